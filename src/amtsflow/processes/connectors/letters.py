"""A plain A4 letter as PDF (fpdf2, pure Python): letterhead with the tenant's name, title, text."""

from pathlib import Path

from django.utils import formats, timezone
from fpdf import FPDF

# DejaVu covers every German character and the euro sign; the core font is the fallback without it.
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def render_letter_pdf(*, title: str, text: str, tenant_name: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Amtsflow")
    pdf.set_margins(25, 20, 20)
    pdf.add_page()
    if _DEJAVU.exists():
        pdf.add_font("DejaVu", fname=str(_DEJAVU))
        family = "DejaVu"
    else:
        family = "Helvetica"
        text, title, tenant_name = (
            s.encode("latin-1", "replace").decode("latin-1") for s in (text, title, tenant_name)
        )
    pdf.set_font(family, size=9)
    pdf.cell(0, 6, tenant_name, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, formats.date_format(timezone.localdate(), "d.m.Y"), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font(family, size=13)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, size=11)
    pdf.multi_cell(0, 5.5, text)
    return bytes(pdf.output())

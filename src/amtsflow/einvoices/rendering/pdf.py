"""The readable invoice as an A4 PDF for the e-file (fpdf2): the same sections as the page, tables, page numbers.

DejaVu covers every German character and the euro sign; without it the core font is used and characters
outside Latin-1 are replaced, which the document then says on its first page.
"""

import logging
from contextlib import nullcontext
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from ..reading.model import Invoice
from .build import readable_invoice
from .pdf_wrap import wrap
from .structure import NoticeView, ReadableInvoice, Row, Section, Table

logger = logging.getLogger(__name__)

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}  # each costs a font parse per document
_MARGIN = 18.0
_WIDTH = 210 - 2 * _MARGIN
_MUTED = (80, 86, 96)
_RULE = (201, 207, 214)
_HEAD_FILL = (243, 245, 247)
_LINE = 4.0  # line height of term rows, mm
# Latin-1 stand-ins for the core-font fallback.
_LATIN1 = str.maketrans(
    {"–": "-", "—": "-", "€": "EUR", "✓": "+", "✗": "x", "›": ">", "\u2212": "-", "„": '"', "“": '"'}
)


def render_pdf(
    invoice: Invoice, *, validation_summary: str = "", received_note: str = "", language: str | None = None
) -> bytes:
    """A readable A4 PDF of `invoice`; `validation_summary` and `received_note` go on top. In `language`
    (default: the active one) — the copy filed in the e-file is usually German whoever files it."""
    with translation.override(language) if language else nullcontext():
        document = _Document(readable_invoice(invoice))
        document.render(validation_summary, received_note)
        return bytes(document.output())


class _Document(FPDF):
    def __init__(self, readable: ReadableInvoice) -> None:
        super().__init__(format="A4")
        self.readable = readable
        self.full_charset = _add_fonts(self)
        self.font_name = "DejaVu" if self.full_charset else "Helvetica"
        self.set_margins(_MARGIN, 16, _MARGIN)
        self.set_auto_page_break(True, margin=18)
        self.set_title(self.clean(readable.title))
        self.set_subject(self.clean(_("E-invoice %(number)s, readable rendering") % {"number": readable.number}))
        if readable.seller:
            self.set_author(self.clean(readable.seller))
        self.set_creator("Amtsflow")
        self.set_lang(readable.language)

    # -- text -----------------------------------------------------------------------------------------------

    def clean(self, text: str) -> str:
        if self.full_charset:
            return text
        return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def paragraph(self, text: str, size: float = 9.5, style: str = "", color: tuple[int, int, int] = (0, 0, 0)) -> None:
        self.set_font(self.font_name, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    # -- page furniture -------------------------------------------------------------------------------------

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.font_name, "", 7.5)
        self.set_text_color(*_MUTED)
        title = wrap(self, self.clean(self.readable.title), _WIDTH * 0.72)
        self.cell(_WIDTH * 0.75, 5, title[0] + ("…" if len(title) > 1 and self.full_charset else ""))
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(_WIDTH * 0.25, 5, self.clean(page), align="R")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, term: str, level: int) -> None:
        size = 12.5 if level == 0 else 10.5
        if self.will_page_break(40):  # never a heading alone at the foot of a page
            self.add_page()
        self.ln(4 if level == 0 else 2)
        self.start_section(self.clean(text), level=level)
        self.set_font(self.font_name, "B", size)
        label = self.clean(text)
        self.cell(self.get_string_width(label) + 2, size * 0.55, label)
        if term:
            self.set_font(self.font_name, "", 7.5)
            self.set_text_color(*_MUTED)
            self.cell(0, size * 0.55, term)
            self.set_text_color(0, 0, 0)
        self.ln(size * 0.55 + 1)

    # -- content --------------------------------------------------------------------------------------------

    def render(self, validation_summary: str, received_note: str) -> None:
        self.add_page()
        self.set_font(self.font_name, "B", 15)
        self.multi_cell(0, 7.5, self.clean(self.readable.title), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
        for text in (received_note, validation_summary):
            if text:
                self.paragraph(text)
        if not self.full_charset:
            self.paragraph(
                _("The font for the full character set is missing; characters outside Latin-1 are shown as “?”."),
                size=8,
                color=_MUTED,
            )
        self.notices(self.readable.notices)
        for section in self.readable.sections:
            self.section(section)

    def notices(self, notices: list[NoticeView]) -> None:
        for notice in notices:
            prefix = f"{notice.term.id} {notice.term.name}: " if notice.term else ""
            self.paragraph(_("Notice: %(message)s") % {"message": prefix + notice.message}, size=8.5, style="B")

    def section(self, section: Section) -> None:
        self.heading(section.title, section.term.id if section.term else "", level=0)
        for part in section.parts:
            if part.title:
                self.heading(part.title, part.term.id if part.term else "", level=1)
            if part.table is not None:
                self.table_part(part.table, part.empty)
            elif part.rows:
                self.rows(part.rows, numeric_values=part.layout == "table")
        self.notices(section.notices)

    def rows(self, rows: list[Row], *, numeric_values: bool = False) -> None:
        """Term rows in three columns: BT id | name and the other language's name | value (amounts right)."""
        widths = (16.0, 110.0, _WIDTH - 126) if numeric_values else (16.0, 62.0, _WIDTH - 78)
        for row in rows:
            self.term_row(row, widths, align="R" if numeric_values else "L")

    def term_row(self, row: Row, widths: tuple[float, float, float], align: str) -> None:
        id_width, label_width, value_width = widths
        label = self.lines([(row.name, "", 8.5, (0, 0, 0)), (row.other, "", 7.5, _MUTED)], label_width - 2)
        value = self.lines(self.value_segments(row), value_width - 2)
        height = max(len(label), len(value)) * _LINE + 2.4
        if height > self.eph - 4:  # taller than a page: running text, which breaks pages by itself
            self.rows_as_text([row])
            return
        if self.will_page_break(height):
            self.add_page()
        top, left = self.y, self.l_margin
        self.set_xy(left, top + 1.2)
        self.set_font(self.font_name, "", 7)
        self.set_text_color(*_MUTED)
        self.cell(id_width, _LINE, row.term.id)
        for column, width, lines, line_align in (
            (left + id_width, label_width, label, "L"),
            (left + id_width + label_width, value_width, value, align),
        ):
            for index, (text, style, size, color) in enumerate(lines):
                self.set_xy(column + 1, top + 1.2 + index * _LINE)
                self.set_font(self.font_name, style, size)
                self.set_text_color(*color)
                self.cell(width - 2, _LINE, text, align=line_align)
        self.set_text_color(0, 0, 0)
        self.set_draw_color(*_RULE)
        self.line(left, top + height, left + _WIDTH, top + height)
        self.set_xy(left, top + height)

    def value_segments(self, row: Row) -> list[tuple[str, str, float, tuple[int, int, int]]]:
        """The value and what belongs to it, each with its style: detail, check result, notices."""
        segments = [(row.value, "B" if row.emphasis else "", 8.5, (0, 0, 0))]
        if row.detail:
            segments.append((row.detail, "", 7.5, _MUTED))
        if row.check is not None:
            segments.append((f"{'✓' if row.check.ok else '✗'} {row.check.text}", "", 8, (0, 0, 0)))
        segments += [(_("Notice: %(message)s") % {"message": notice}, "B", 8, (0, 0, 0)) for notice in row.notices]
        return segments

    def lines(
        self, segments: list[tuple[str, str, float, tuple[int, int, int]]], width: float
    ) -> list[tuple[str, str, float, tuple[int, int, int]]]:
        """Segments wrapped to `width`, one entry per output line with the segment's style."""
        result = []
        for text, style, size, color in segments:
            if not text:
                continue
            self.set_font(self.font_name, style, size)
            result += [(line, style, size, color) for line in wrap(self, self.clean(text), width)]
        return result

    def rows_as_text(self, rows: list[Row]) -> None:
        for row in rows:
            self.paragraph(f"{row.term.id} {row.name}", size=8, style="B")
            self.paragraph("\n".join(filter(None, (row.value, row.detail, *row.notices))), size=8.5)

    def table_part(self, data: Table, empty: str) -> None:
        if not data.rows:
            if empty:
                self.paragraph(empty, size=9, color=_MUTED)
            return
        widths = _column_widths(self, data)
        self.set_font(self.font_name, "", 8)
        try:
            with self.table(
                col_widths=widths,
                borders_layout="HORIZONTAL_LINES",
                text_align=tuple("RIGHT" if column.numeric else "LEFT" for column in data.columns),
                line_height=3.9,
                padding=(1.2, 1.2),
                v_align="TOP",
                width=_WIDTH,
                align="LEFT",
                headings_style=FontFace(emphasis="B", fill_color=_HEAD_FILL),
            ) as table:
                head = table.row()
                for column in data.columns:
                    terms = ", ".join(term.id for term in column.terms)
                    head.cell(self.clean(f"{column.label}\n{terms}"))
                for row in data.rows:
                    cells = table.row()
                    for index, cell in enumerate(row.cells):
                        text = cell.value
                        if index == 0 and row.depth:
                            text = "› " * row.depth + text
                        for item in cell.details:
                            text += f"\n{item.name} ({item.term.id}): {item.value}"
                        cells.cell(self.clean(text))
        except ValueError:
            for row in data.rows:
                self.paragraph(" | ".join(cell.value for cell in row.cells), size=8.5)
                for cell in row.cells:
                    for item in cell.details:
                        self.paragraph(f"{item.term.id} {item.name}: {item.value}", size=8)


def _column_widths(pdf: _Document, data: Table) -> tuple[float, ...]:
    """Number columns and a first column of short values (line numbers) as wide as their widest entry, text
    columns share the rest."""
    widths: list[float | None] = []
    for index, column in enumerate(data.columns):
        values = [row.cells[index].value for row in data.rows]
        if column.numeric or (index == 0 and all(len(value) <= 6 for value in values)):
            pdf.set_font(pdf.font_name, "", 8)
            widest = max((pdf.get_string_width(pdf.clean(value)) for value in values), default=0)
            pdf.set_font(pdf.font_name, "B", 8)
            heading = max(pdf.get_string_width(pdf.clean(word)) for word in [*column.label.split(), "BT-000,"])
            widths.append(min(max(widest, heading) + 3.5, 40.0))
        else:
            widths.append(None)
    free = max(_WIDTH - sum(width for width in widths if width is not None), 30.0)
    text_columns = widths.count(None) or 1
    return tuple(width if width is not None else free / text_columns for width in widths)


def _add_fonts(pdf: FPDF) -> bool:
    paths = {style: _FONT_DIR / name for style, name in _FONT_FILES.items()}
    if not all(path.exists() for path in paths.values()):
        logger.warning("DejaVu fonts missing in %s; the invoice PDF falls back to a Latin-1 core font", _FONT_DIR)
        return False
    for style, path in paths.items():
        pdf.add_font("DejaVu", style=style, fname=str(path))
    return True

"""Real documents built in the tests: a scanned PDF (image only), a DOCX, a PDF with a text layer."""

import io

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def scanned_pdf(text: str) -> bytes:
    """An image-only PDF, as a scanner makes it: OCR is needed to find its words."""
    image = Image.new("L", (1654, 600), 255)  # A4 width at 200 dpi
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype(FONT, 56)
    except OSError:
        font = ImageFont.load_default(size=56)
    for line, chunk in enumerate(text.splitlines()):
        draw.text((80, 80 + line * 90), chunk, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=200.0)
    return out.getvalue()


def docx(*paragraphs: str) -> bytes:
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

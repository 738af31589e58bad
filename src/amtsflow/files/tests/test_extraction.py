"""Text extraction and OCR: every supported format, broken content, idempotent retries, the task path."""

import io
import tempfile
from pathlib import Path

import pytest
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont

from amtsflow.files import extraction, search, services
from amtsflow.files.constants import ExtractionState
from amtsflow.files.extraction import ocr
from amtsflow.files.models import Blob, Document, DocumentVersion
from amtsflow.files.storage import open_blob, store_blob
from amtsflow.tenants.context import tenant_scope

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_ocr = pytest.mark.skipif(
    not extraction.ocr_available(), reason="OCR not installed (apt-get install tesseract-ocr tesseract-ocr-deu)"
)
needs_font = pytest.mark.skipif(not FONT.exists(), reason="font missing (apt-get install fonts-dejavu-core)")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- building files ---------------------------------------------------------------------------------


def text_pdf(text: str) -> bytes:
    from fpdf import FPDF  # installed with OCRmyPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def scan_image(lines: list[str], mode: str = "L") -> Image.Image:
    """A page as a scanner delivers it: an image with rendered text and no text layer."""
    image = Image.new(mode, (1654, 1169), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 56)
    for number, line in enumerate(lines):
        draw.text((120, 150 + number * 120), line, font=font, fill="black")
    return image


def scan_pdf(lines: list[str]) -> bytes:
    out = io.BytesIO()
    scan_image(lines).save(out, format="PDF", resolution=200)
    return out.getvalue()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Stellungnahme zum Bebauungsplan")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Flurstück"
    table.cell(0, 1).text = "Gemarkung Nordheim"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    from odf import text as odf_text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.text.addElement(odf_text.H(outlinelevel=1, text="Niederschrift"))
    document.text.addElement(odf_text.P(text="Sitzung des Bauausschusses"))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Haushalt"
    sheet.append(["Produkt", "Ansatz"])
    sheet.append(["Straßenbeleuchtung", 125000])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


EML = (
    "From: Erika Mustermann <erika@example.org>\r\nTo: bauamt@stadt-a.de\r\nSubject: Antrag Sondernutzung\r\n"
    "Date: Mon, 02 Mar 2026 10:00:00 +0100\r\nMessage-ID: <1@example.org>\r\nMIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\nBitte um Genehmigung eines Baugerüsts.\r\n"
).encode()


# --- helpers ----------------------------------------------------------------------------------------


def file_and_extract(actor, vorgang, content: bytes, filename: str) -> DocumentVersion:  # noqa: ANN001
    """File through the services (with the real upload checks), then run the extraction."""
    with tenant_scope(actor.tenant):
        document = services.file_document(actor=actor, vorgang=vorgang, upload=content, filename=filename)
        version = document.versions.get()
        extraction.extract_version(version_id=version.pk)
        return DocumentVersion.objects.select_related("blob", "rendition").get(pk=version.pk)


def raw_version(actor, vorgang, content: bytes, filename: str, media_type: str) -> DocumentVersion:  # noqa: ANN001
    """A version whose content bypassed the upload checks: content that looked fine but does not parse."""
    with tenant_scope(actor.tenant), tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "content"
        path.write_bytes(content)
        blob = store_blob(tenant=actor.tenant, path=path)
        document = Document.objects.create(tenant=actor.tenant, vorgang=vorgang, title=filename)
        return DocumentVersion.objects.create(
            tenant=actor.tenant,
            document=document,
            number=1,
            blob=blob,
            filename=filename,
            media_type=media_type,
            size=len(content),
        )


def extract(version: DocumentVersion) -> DocumentVersion:
    with tenant_scope(version.tenant), translation.override("en"):
        extraction.extract_version(version_id=version.pk)
        return DocumentVersion.objects.select_related("blob", "rendition").get(pk=version.pk)


def read(blob: Blob) -> bytes:
    with open_blob(blob) as stream:
        return stream.read()


# --- formats ----------------------------------------------------------------------------------------


def test_pdf_text_layer_is_extracted_without_ocr(clerk, vorgang, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(ocr, "run_ocr", lambda *a, **k: pytest.fail("OCR must not run for a text PDF"))
    version = file_and_extract(clerk, vorgang, text_pdf("Rechnung über die Straßenreinigung im März 2026"), "r.pdf")
    assert version.extraction_state == ExtractionState.DONE
    assert "Straßenreinigung" in version.text
    assert version.rendition is None


@needs_ocr
@needs_font
def test_scanned_pdf_is_recognised_and_gets_a_pdfa_rendition(clerk, vorgang):  # noqa: ANN001
    import pikepdf

    original = scan_pdf(["Bauantrag Grundstück", "Rechnung Straßenreinigung"])
    version = file_and_extract(clerk, vorgang, original, "scan.pdf")
    assert version.extraction_state == ExtractionState.DONE, version.extraction_error
    assert "Bauantrag" in version.text
    assert read(version.blob) == original  # the original stays as it was
    with pikepdf.open(io.BytesIO(read(version.rendition))) as pdf, pdf.open_metadata() as meta:
        assert meta.pdfa_status.startswith("2")  # PDF/A-2


@needs_ocr
@needs_font
def test_retry_reuses_the_rendition_instead_of_running_ocr_again(clerk, vorgang, monkeypatch):  # noqa: ANN001
    version = file_and_extract(clerk, vorgang, scan_pdf(["Widerspruchsbescheid"]), "scan.pdf")
    with tenant_scope(clerk.tenant):
        blobs_before = Blob.objects.count()
    monkeypatch.setattr(ocr, "run_ocr", lambda *a, **k: pytest.fail("the retry must reuse the rendition"))
    again = extract(version)
    assert again.extraction_state == ExtractionState.DONE
    assert again.rendition_id == version.rendition_id
    assert again.text == version.text
    with tenant_scope(clerk.tenant):
        assert Blob.objects.count() == blobs_before


@needs_ocr
@needs_font
def test_png_with_alpha_channel_is_recognised(clerk, vorgang):  # noqa: ANN001
    out = io.BytesIO()
    scan_image(["Gewerbeanmeldung"], mode="RGBA").save(out, format="PNG")
    version = file_and_extract(clerk, vorgang, out.getvalue(), "foto.png")
    assert version.extraction_state == ExtractionState.DONE, version.extraction_error
    assert "Gewerbeanmeldung" in version.text
    assert version.rendition is not None


@needs_font
def test_scan_without_tesseract_fails_with_a_clear_message(clerk, vorgang, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    version = extract(raw_version(clerk, vorgang, scan_pdf(["Bauantrag"]), "scan.pdf", "application/pdf"))
    assert version.extraction_state == ExtractionState.FAILED
    assert version.extraction_error == "OCR is not available on this server (tesseract missing)."


def test_docx_paragraphs_and_tables(clerk, vorgang):  # noqa: ANN001
    version = file_and_extract(clerk, vorgang, docx_bytes(), "stellungnahme.docx")
    assert version.extraction_state == ExtractionState.DONE
    assert "Stellungnahme zum Bebauungsplan" in version.text
    assert "Gemarkung Nordheim" in version.text


def test_odt(clerk, vorgang):  # noqa: ANN001
    version = file_and_extract(clerk, vorgang, odt_bytes(), "niederschrift.odt")
    assert version.extraction_state == ExtractionState.DONE
    assert "Niederschrift" in version.text
    assert "Sitzung des Bauausschusses" in version.text


def test_xlsx_values(clerk, vorgang):  # noqa: ANN001
    version = file_and_extract(clerk, vorgang, xlsx_bytes(), "haushalt.xlsx")
    assert version.extraction_state == ExtractionState.DONE
    assert "Straßenbeleuchtung 125000" in version.text


def test_text_in_windows_encoding(clerk, vorgang):  # noqa: ANN001
    version = file_and_extract(clerk, vorgang, "Größe der Fläche: 12 m²".encode("cp1252"), "notiz.txt")
    assert version.extraction_state == ExtractionState.DONE
    assert version.text == "Größe der Fläche: 12 m²"


def test_xml_without_resolving_external_entities(clerk, vorgang):  # noqa: ANN001
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r><a>Rechnung</a>&x;</r>'
    version = extract(raw_version(clerk, vorgang, xxe, "r.xml", "application/xml"))
    assert version.extraction_state == ExtractionState.DONE
    assert "Rechnung" in version.text
    assert "root:" not in version.text


def test_email_body(clerk, vorgang):  # noqa: ANN001
    version = file_and_extract(clerk, vorgang, EML, "antrag.eml")
    assert version.extraction_state == ExtractionState.DONE
    assert "Antrag Sondernutzung" in version.text
    assert "Genehmigung eines Baugerüsts" in version.text


def test_empty_text_ends_as_no_text(clerk, vorgang):  # noqa: ANN001
    version = extract(raw_version(clerk, vorgang, b"  \n\n ", "leer.txt", "text/plain"))
    assert version.extraction_state == ExtractionState.NO_TEXT
    assert version.text == ""


def test_text_is_bounded_and_free_of_nul(clerk, vorgang):  # noqa: ANN001
    content = b"Wort\x00 " * (extraction.MAX_TEXT_CHARS // 5)
    version = extract(raw_version(clerk, vorgang, content, "gross.txt", "text/plain"))
    assert version.extraction_state == ExtractionState.DONE
    assert len(version.text) <= extraction.MAX_TEXT_CHARS
    assert "\x00" not in version.text


# --- failures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "media_type"),
    [
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage", "kaputt.pdf", "application/pdf"),
        (b"PK\x03\x04 not really a zip", "kaputt.docx", DOCX_TYPE),
        (b"PK\x03\x04 not really a zip", "kaputt.xlsx", XLSX_TYPE),
        (b"<r><unclosed></r>", "kaputt.xml", "application/xml"),
        (b"\x89PNG\r\n\x1a\n broken", "kaputt.png", "image/png"),
    ],
)
def test_broken_files_fail_with_a_message_and_keep_the_original(clerk, vorgang, content, filename, media_type):  # noqa: ANN001
    version = extract(raw_version(clerk, vorgang, content, filename, media_type))
    assert version.extraction_state == ExtractionState.FAILED
    assert version.extraction_error == "The file could not be read; it may be damaged."
    assert read(version.blob) == content


def test_unsupported_type_fails_with_a_message(clerk, vorgang):  # noqa: ANN001
    version = extract(raw_version(clerk, vorgang, b"\xd0\xcf\x11\xe0", "alt.doc", "application/msword"))
    assert version.extraction_state == ExtractionState.FAILED
    assert version.extraction_error == "Text cannot be extracted from this type of file."


def test_storage_error_is_recorded_and_raised_for_the_retry(clerk, vorgang, monkeypatch):  # noqa: ANN001
    version = raw_version(clerk, vorgang, b"Akte", "a.txt", "text/plain")

    def unavailable(blob):  # noqa: ANN001, ANN202
        raise OSError("storage down")

    monkeypatch.setattr(extraction, "open_blob", unavailable)
    with tenant_scope(clerk.tenant), pytest.raises(OSError, match="storage down"):
        extraction.extract_version(version_id=version.pk)
    with tenant_scope(clerk.tenant):
        version.refresh_from_db()
    assert version.extraction_state == ExtractionState.FAILED
    assert version.extraction_error


def test_state_is_running_while_extracting(clerk, vorgang, monkeypatch):  # noqa: ANN001
    version = raw_version(clerk, vorgang, b"Akte", "a.txt", "text/plain")
    seen = []
    original = extraction.format_for

    def spy(media_type, filename):  # noqa: ANN001, ANN202
        seen.append(DocumentVersion.objects.get(pk=version.pk).extraction_state)
        return original(media_type, filename)

    monkeypatch.setattr(extraction, "format_for", spy)
    assert extract(version).extraction_state == ExtractionState.DONE
    assert seen == [ExtractionState.RUNNING]


# --- task and index ---------------------------------------------------------------------------------


def test_filing_queues_extraction_and_the_text_becomes_searchable(
    clerk,
    vorgang,
    django_capture_on_commit_callbacks,  # noqa: ANN001
):
    with tenant_scope(clerk.tenant):
        with django_capture_on_commit_callbacks(execute=True):
            document = services.file_document(
                actor=clerk, vorgang=vorgang, upload=b"Die Schachtabdeckung klappert.", filename="hinweis.txt"
            )
        assert document.versions.get().extraction_state == ExtractionState.DONE
        results = search.search(actor=clerk, query="Schachtabdeckung")
    assert [hit.public_id for hit in results.hits] == [document.public_id]


def test_a_version_deleted_before_the_task_ran_is_skipped(clerk):  # noqa: ANN001
    with tenant_scope(clerk.tenant):
        assert extraction.extract_version(version_id=987654) == ExtractionState.FAILED

"""PDF text layers and OCR (OCRmyPDF + Tesseract) of scans and images.

OCR output is a searchable PDF/A, kept beside the original as the version's rendition.
"""

import importlib.util
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from django.utils.translation import gettext as _

from amtsflow.files.extraction.types import MAX_TEXT_CHARS, Extracted, ExtractionFailed, damaged

logger = logging.getLogger(__name__)

MIN_PAGE_CHARS = 20  # a PDF page with less text than this is treated as scanned
OCR_LANGUAGES = "deu+eng"
OCR_TIMEOUT_SECONDS = 30 * 60  # the whole document; a hung OCR must not block a worker for ever
OCR_PAGE_TIMEOUT_SECONDS = 180
DEFAULT_IMAGE_DPI = 300  # for images that do not state their resolution (typical for scanners)


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None and importlib.util.find_spec("ocrmypdf") is not None


def run_ocr(source: Path, output: Path, *, image_dpi: int | None = None) -> None:
    """OCRmyPDF in a child process: a hard time limit, and its worker pool stays out of the Celery worker."""
    if not ocr_available():
        raise ExtractionFailed(_("OCR is not available on this server (tesseract missing)."))
    command = [
        sys.executable,
        "-m",
        "ocrmypdf",
        "--quiet",
        "--language",
        OCR_LANGUAGES,
        "--jobs",
        "1",
        # Debian 12's Ghostscript 10.0 corrupts PDFs with text; the internal PDF/A backend avoids it.
        "--output-type",
        "pdfa",
        "--pdfa-backend",
        "internal",
        # Pages that already carry text keep it; only image pages are recognised.
        "--skip-text",
        "--rotate-pages",
        "--tesseract-timeout",
        str(OCR_PAGE_TIMEOUT_SECONDS),
    ]
    if image_dpi:
        command += ["--image-dpi", str(image_dpi)]
    command += [str(source), str(output)]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per job; workers scale by processes
    try:
        process = subprocess.Popen(  # noqa: S603 (fixed program, our own temporary paths)
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
        )
    except OSError:
        logger.exception("ocrmypdf could not be started")
        raise ExtractionFailed(_("Text recognition (OCR) failed.")) from None
    try:
        _stdout, stderr = process.communicate(timeout=OCR_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # Tesseract runs as a grandchild
        process.communicate()
        raise ExtractionFailed(_("Text recognition (OCR) took too long and was stopped.")) from None
    code = process.returncode
    if code == 0 or (code == 10 and output.exists()):  # 10: PDF/A conversion failed, output is a valid PDF
        return
    logger.warning("ocrmypdf exited with %s: %s", code, stderr.decode(errors="replace")[-2000:])
    if code == 8:
        raise ExtractionFailed(_("The PDF is password-protected; its text cannot be read."))
    if code == 3:
        raise ExtractionFailed(_("OCR is not available on this server (tesseract missing)."))
    if code == 2:
        raise damaged()
    raise ExtractionFailed(_("Text recognition (OCR) failed."))


def _layout_text(item: object) -> str:
    from pdfminer.layout import LTContainer, LTTextContainer

    if isinstance(item, LTTextContainer):
        return item.get_text()
    if isinstance(item, LTContainer):  # pages and figures (OCR layers sit in form XObjects)
        return "".join(_layout_text(child) for child in item)
    return ""


def pdf_pages(path: Path) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pages: list[str] = []
    total = 0
    try:
        for page in extract_pages(path, laparams=LAParams(all_texts=True)):
            text = _layout_text(page)
            pages.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ExtractionFailed(_("The PDF is password-protected; its text cannot be read.")) from None
    return pages


def _needs_ocr(pages: list[str]) -> bool:
    return not pages or any(len(re.sub(r"\s", "", page)) < MIN_PAGE_CHARS for page in pages)


def extract_pdf(path: Path, workdir: Path) -> Extracted:
    pages = pdf_pages(path)
    text = "\n\n".join(pages)
    if not _needs_ocr(pages):
        return Extracted(text)
    output = workdir / "ocr.pdf"
    try:
        run_ocr(path, output)
    except ExtractionFailed as problem:
        if text.strip():  # a mixed PDF: its text layer is still worth keeping
            return Extracted(text, note=problem.message)
        raise
    return Extracted("\n\n".join(pdf_pages(output)), rendition=output)


def extract_image(path: Path, workdir: Path) -> Extracted:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            dpi = image.info.get("dpi")
            image_dpi = None if dpi and min(dpi) >= 50 else DEFAULT_IMAGE_DPI
            source = path
            if image.mode in {"RGBA", "LA", "PA", "P", "I;16", "I", "F"}:
                # img2pdf (inside OCRmyPDF) refuses alpha channels and unusual modes.
                source = workdir / "normalized.png"
                image.convert("RGB").save(source, dpi=(image_dpi or min(dpi),) * 2)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise damaged() from None
    output = workdir / "ocr.pdf"
    run_ocr(source, output, image_dpi=image_dpi)
    return Extracted("\n\n".join(pdf_pages(output)), rendition=output)

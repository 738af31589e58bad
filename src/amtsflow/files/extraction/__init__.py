"""Text extraction of document versions, with OCR for scans and images (see `ocr.py`).

Runs in `tasks.extract_text_task` inside the tenant's scope. The original is only read, never changed. A
retry re-extracts: an existing rendition (of this version, or of another version with the same content) is
reused instead of running OCR again, so no second PDF/A is stored.
"""

import logging
import re
import shutil
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from amtsflow.files.constants import ExtractionState
from amtsflow.files.extraction.formats import format_for, media_kind
from amtsflow.files.extraction.ocr import ocr_available, pdf_pages
from amtsflow.files.extraction.types import MAX_TEXT_CHARS, Extracted, ExtractionFailed, MediaKind, damaged
from amtsflow.files.models import Blob, Document, DocumentVersion
from amtsflow.files.storage import open_blob, store_blob

__all__ = ["MAX_TEXT_CHARS", "ExtractionFailed", "MediaKind", "extract_version", "media_kind", "ocr_available"]

logger = logging.getLogger(__name__)


class _StorageError(Exception):
    """Reading or writing the document storage failed (transient: the task retries)."""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\x0c", "\n\n"))  # NUL cannot be stored in PostgreSQL
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()[:MAX_TEXT_CHARS]


def _start(version_id: int) -> DocumentVersion:
    with transaction.atomic():
        version = (
            DocumentVersion.objects.select_for_update(of=("self",))
            .select_related("blob", "rendition")
            .get(pk=version_id)
        )
        version.extraction_state, version.extraction_error = ExtractionState.RUNNING, ""
        version.save(update_fields=["extraction_state", "extraction_error"])
    return version


def _finish(version: DocumentVersion, state: str, *, text: str = "", error: str = "") -> str:
    from amtsflow.files import search  # search imports this module (media kinds)

    with transaction.atomic():
        DocumentVersion.objects.filter(pk=version.pk).update(extraction_state=state, text=text, extraction_error=error)
        document = Document.objects.filter(pk=version.document_id).first()
        if document is not None:  # destroyed meanwhile (disposal): nothing left to index
            search.index_object(document)
    return state


def _copy_blob(blob: Blob, target: Path) -> Path:
    try:
        with open_blob(blob) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
    except OSError as exc:
        raise _StorageError(str(exc)) from exc
    return target


def _reusable_rendition(version: DocumentVersion) -> Blob | None:
    """The rendition made earlier for this content (a retry, or an identical earlier version)."""
    if version.rendition_id:
        return version.rendition
    twin = (
        DocumentVersion.objects.filter(blob_id=version.blob_id, rendition__isnull=False)
        .exclude(pk=version.pk)
        .select_related("rendition")
        .first()
    )
    return twin.rendition if twin else None


def _keep_rendition(version: DocumentVersion, path: Path) -> None:
    # Saved at once (not with the final state): a retry after a crash finds and reuses it.
    try:
        with transaction.atomic():
            blob = store_blob(tenant=version.tenant, path=path)
            DocumentVersion.objects.filter(pk=version.pk).update(rendition=blob)
    except OSError as exc:
        raise _StorageError(str(exc)) from exc


def _extract(version: DocumentVersion, workdir: Path) -> Extracted:
    found = format_for(version.media_type, version.filename)
    if found is None or found.extract is None:
        raise ExtractionFailed(_("Text cannot be extracted from this type of file."))
    rendition = _reusable_rendition(version) if found.kind in {MediaKind.PDF, MediaKind.IMAGE} else None
    if rendition is not None:
        try:
            pages = pdf_pages(_copy_blob(rendition, workdir / "rendition.pdf"))
            if version.rendition_id != rendition.pk:
                DocumentVersion.objects.filter(pk=version.pk).update(rendition=rendition)
            return Extracted("\n\n".join(pages))
        except Exception:  # a damaged or missing rendition is made anew
            logger.warning("Rendition %s of version %s unusable; running OCR again", rendition.pk, version.pk)
    source = _copy_blob(version.blob, workdir / f"original{Path(version.filename).suffix.lower()[:10]}")
    result = found.extract(source, workdir)
    if result.rendition is not None:
        _keep_rendition(version, result.rendition)
    return result


def extract_version(*, version_id: int) -> str:
    """Extract the text of a version (OCR where needed), store it, update the search index; returns the
    final ExtractionState. Content problems end as FAILED with a plain message; storage errors (OSError)
    are recorded and re-raised as OSError so that the task's retry policy applies."""
    try:
        version = _start(version_id)
    except DocumentVersion.DoesNotExist:  # deleted before the queued task ran
        logger.info("Version %s no longer exists; nothing to extract", version_id)
        return ExtractionState.FAILED
    try:
        with tempfile.TemporaryDirectory(prefix="amtsflow-extract-") as tmp:
            result = _extract(version, Path(tmp))
    except ExtractionFailed as problem:
        return _finish(version, ExtractionState.FAILED, error=problem.message)
    except _StorageError as exc:
        logger.warning("Storage error while extracting version %s", version_id, exc_info=True)
        _finish(version, ExtractionState.FAILED, error=_("The stored file could not be read; retrying later."))
        raise OSError(str(exc)) from exc  # the task retries on OSError
    except Exception:
        logger.exception("Text extraction of version %s failed", version_id)
        return _finish(version, ExtractionState.FAILED, error=damaged().message)
    text = _clean(result.text)
    state = ExtractionState.DONE if text else ExtractionState.NO_TEXT
    return _finish(version, state, text=text, error=result.note)

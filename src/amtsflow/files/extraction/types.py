"""Shared types of text extraction."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_TEXT_CHARS = 2 * 1024 * 1024  # what is stored and indexed; longer texts are cut


class MediaKind(models.TextChoices):
    PDF = "pdf", gettext_lazy("PDF")
    IMAGE = "image", gettext_lazy("image or scan")
    WORD = "word", gettext_lazy("text document")
    SPREADSHEET = "spreadsheet", gettext_lazy("spreadsheet")
    EMAIL = "email", gettext_lazy("e-mail")
    TEXT = "text", gettext_lazy("plain text")
    XML = "xml", gettext_lazy("XML")
    OTHER = "other", gettext_lazy("other")


class ExtractionFailed(Exception):
    """A problem with the content, explained in plain language (stored as `extraction_error`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Extracted:
    text: str
    rendition: Path | None = None  # searchable PDF/A made by OCR
    note: str = ""  # kept as `extraction_error` although text was found (e.g. OCR failed on a mixed PDF)


Extractor = Callable[[Path, Path], Extracted]


@dataclass(frozen=True)
class Format:
    kind: str
    extract: Extractor | None  # None: a known kind we cannot read (yet)
    media_types: tuple[str, ...]
    suffixes: tuple[str, ...]


def damaged() -> ExtractionFailed:
    return ExtractionFailed(_("The file could not be read; it may be damaged."))

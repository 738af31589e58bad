"""The one exception the ingest checks raise: a translated message for people and a stable `code` for machines."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from amtsflow.core.exceptions import ValidationFailed


class UploadRefused(ValidationFailed):
    """An upload that must not enter the E-Akte.

    `code` is stable (API clients and tests match on it); `params` keeps the values formatted into the message,
    e.g. `kind` for "type_not_allowed", so a caller can rephrase without parsing text.
    """

    def __init__(self, message: str, *, code: str, params: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, str] = dict(params or {})

    def __repr__(self) -> str:
        return f"UploadRefused(code={self.code!r}, message={self.message!r})"


def type_not_allowed(kind: str) -> UploadRefused:
    """Content that is not on the allow-list; `kind` is a short, translated description of what it really is."""
    message = _(
        "This file type is not accepted: %(kind)s. "
        "Accepted are PDF, TIFF, PNG, JPEG, DOCX, ODT, XLSX, TXT, XML and EML."
    ) % {"kind": kind}
    return UploadRefused(message, code="type_not_allowed", params={"kind": kind})


def zip_bomb() -> UploadRefused:
    return UploadRefused(
        _("The document contains too much compressed data (possible zip bomb)."),
        code="zip_bomb",
    )


def encrypted() -> UploadRefused:
    return UploadRefused(
        _("The document is password-protected and cannot be read. Please upload it without a password."),
        code="encrypted",
    )

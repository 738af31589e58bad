"""Read an .eml (RFC 5322/MIME) into plain data with the standard library; nothing is fetched or rendered."""

import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from email import errors as email_errors
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from .errors import UploadRefused
from .names import clean_name

MAX_ATTACHMENTS = 200
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
# Real mail nests a handful of multiparts; deeper trees only serve to exhaust the recursion below.
MAX_DEPTH = 30

# Defects that leave no usable MIME structure (as opposed to a missing closing boundary, which mail clients
# tolerate and so do we).
_FATAL_DEFECTS = (
    email_errors.StartBoundaryNotFoundDefect,
    email_errors.NoBoundaryInMultipartDefect,
    email_errors.MultipartInvariantViolationDefect,
)
# A message must carry at least one of these to be mail rather than text that happens to contain a colon.
_REQUIRED_ANY = ("from", "sender", "received", "message-id")


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class ParsedEmail:
    subject: str
    sender: str
    recipients: list[str]
    date: datetime | None
    message_id: str
    body_text: str
    body_html: str
    attachments: list[ParsedAttachment]


def parse_eml(
    data: bytes,
    *,
    max_attachments: int = MAX_ATTACHMENTS,
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES,
) -> ParsedEmail:
    """Parse `data`; raise UploadRefused(code="eml_broken") for anything that is not readable mail."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        assert isinstance(message, EmailMessage)  # policy.default builds EmailMessage
        _check_structure(message)
        body_text_part = message.get_body(preferencelist=("plain",))
        body_html_part = message.get_body(preferencelist=("html",))
        body_html = _part_text(body_html_part) if body_html_part is not None else ""
        body_text = _part_text(body_text_part) if body_text_part is not None else html_to_text(body_html)
        skip = {id(body_text_part), id(body_html_part)}
        attachments = _attachments(message, skip, max_attachments, max_attachment_bytes)
        return ParsedEmail(
            subject=_header(message, "subject"),
            sender=_header(message, "from") or _header(message, "sender"),
            recipients=_recipients(message),
            date=_date(message),
            message_id=_header(message, "message-id"),
            body_text=body_text,
            body_html=body_html,
            attachments=attachments,
        )
    except UploadRefused:
        raise
    except Exception as exc:  # the parser and header classes raise many types on hostile input; all mean "unreadable"
        raise _broken() from exc


def html_to_text(html: str) -> str:
    """Visible text of an HTML body: tags dropped, script/style skipped, block elements become line breaks."""
    if not html:
        return ""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).splitlines())
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def _check_structure(message: EmailMessage) -> None:
    if not any(message.get(name) is not None for name in _REQUIRED_ANY):
        raise _broken()
    for part in _walk(message, depth=0):
        if any(isinstance(defect, _FATAL_DEFECTS) for defect in part.defects):
            raise _broken()


def _walk(part: EmailMessage, depth: int) -> list[EmailMessage]:
    """All parts, not descending into attached messages (they stay whole, as .eml attachments)."""
    if depth > MAX_DEPTH:
        raise _broken()
    parts = [part]
    if part.get_content_maintype() == "multipart":
        payload = part.get_payload()
        if not isinstance(payload, list):
            raise _broken()  # declared multipart, but no boundary was found
        for sub in payload:
            if not isinstance(sub, EmailMessage):
                raise _broken()
            parts.extend(_walk(sub, depth + 1))
    return parts


def _attachments(message: EmailMessage, skip: set[int], limit: int, max_bytes: int) -> list[ParsedAttachment]:
    found: list[ParsedAttachment] = []
    total = 0
    for part in _walk(message, depth=0):
        if id(part) in skip or part.get_content_maintype() == "multipart":
            continue
        attachment = _as_attachment(part, index=len(found) + 1)
        if attachment is None:
            continue
        found.append(attachment)
        total += len(attachment.content)
        if len(found) > limit:
            raise UploadRefused(
                _("The e-mail has more than %(limit)d attachments.") % {"limit": limit},
                code="eml_too_many_attachments",
            )
        if total > max_bytes:
            raise UploadRefused(_("The attachments of the e-mail are too large."), code="eml_too_large")
    return found


def _as_attachment(part: EmailMessage, *, index: int) -> ParsedAttachment | None:
    media_type = part.get_content_type()
    filename = clean_name(part.get_filename() or "")
    if media_type == "message/rfc822":
        inner = part.get_payload()
        inner_message = inner[0] if isinstance(inner, list) and inner else None
        if not isinstance(inner_message, Message):
            return None
        content = inner_message.as_bytes()
        if not filename:
            filename = clean_name(str(inner_message.get("subject") or "")) or f"message-{index}"
        if not filename.lower().endswith(".eml"):
            filename = f"{filename}.eml"
        return ParsedAttachment(filename=filename, media_type=media_type, content=content)
    is_attachment = part.get_content_disposition() == "attachment"
    # Inline text without a name is a body fragment (Apple Mail splits bodies around images), not a document.
    if part.get_content_maintype() == "text" and not filename and not is_attachment:
        return None
    payload = part.get_payload(decode=True)
    content = payload if isinstance(payload, bytes) else b""
    if not filename:
        extension = mimetypes.guess_extension(media_type) or ".bin"
        filename = f"attachment-{index}{extension}"
    return ParsedAttachment(filename=filename, media_type=media_type, content=content)


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, AttributeError):
        pass  # unknown or lying charset: decode the raw bytes leniently below
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("windows-1252", errors="replace")


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header too broken for its structured class: fall back to the raw value
        value = next((raw for key, raw in message.raw_items() if key.lower() == name), None)
    if value is None:
        return ""
    # RFC 2047 words are decoded by policy.default; folding whitespace is not meaningful.
    return " ".join(str(value).split())


def _recipients(message: EmailMessage) -> list[str]:
    recipients: list[str] = []
    for name in ("to", "cc", "bcc"):
        header = message.get(name)
        if header is None:
            continue
        addresses = getattr(header, "addresses", None)
        if addresses is None:
            recipients.append(" ".join(str(header).split()))
            continue
        recipients.extend(str(address) for address in addresses if str(address))
    return recipients


def _date(message: EmailMessage) -> datetime | None:
    header = message.get("date")
    value = getattr(header, "datetime", None)
    if not isinstance(value, datetime):
        return None
    # "-0000" (zone unknown, as many mailers write UTC) parses as naive; read it as UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _broken() -> UploadRefused:
    return UploadRefused(_("The e-mail cannot be read."), code="eml_broken")


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "head", "title", "template"})
    _BLOCK = frozenset({"p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._skipping = 0  # an unclosed <head> ends where the body starts, as in browsers
        elif tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)

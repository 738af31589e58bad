"""Splitting an incoming mail into the header facts worth keeping and its attachments that may be invoices.

A mail comes from anyone, so parsing is bounded: its size here, the nesting of attached mails, and parts and
headers in bounded.py. A mail that cannot be read safely gives `problem` and no attachments; split_mail
itself never raises.
"""

import datetime
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from email.message import EmailMessage

from django.conf import settings
from django.utils.translation import gettext as _

from amtsflow.einvoices.mailbox.bounded import Refused, children, parse
from amtsflow.files.ingest.names import clean_name

logger = logging.getLogger(__name__)

MAX_NESTED_MAILS = 3  # forwarded mail in forwarded mail in forwarded mail
_HEADER_PREVIEW_BYTES = 64 * 1024  # headers read of a mail too big to parse
_MAX_FILENAME = 150
_XML_TYPES = {"application/xml", "text/xml"}
_PDF_TYPES = {"application/pdf", "application/x-pdf"}
_BROKEN_STRUCTURE = ("StartBoundaryNotFoundDefect", "NoBoundaryInMultipartDefect", "MultipartInvariantViolationDefect")


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class MailParts:
    subject: str = ""
    sender: str = ""  # the address of From, e.g. rechnung@lieferant.de
    message_id: str = ""
    date: datetime.datetime | None = None
    attachments: list[MailAttachment] = field(default_factory=list)
    problem: str = ""  # set when the mail was refused or could not be read; then attachments is empty


def max_mail_bytes() -> int:
    """Largest mail taken in: an invoice may come with other attachments and base64 grows it by a third."""
    return 4 * settings.AMTSFLOW_EINVOICE_MAX_BYTES


def _clean_text(value: str, limit: int = 998) -> str:
    """One line without control characters (they could forge log lines or hide text)."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in value).strip()[:limit]


def _header(message: EmailMessage, name: str) -> str:
    try:
        return _clean_text(str(message.get(name) or ""))
    except Exception:  # a header the parser cannot decode is left out, never fatal
        return ""


def _sender(message: EmailMessage) -> str:
    try:
        addresses = message["from"].addresses if message["from"] is not None else ()
        return _clean_text(addresses[0].addr_spec) if addresses else ""
    except Exception:
        return ""


def _date(message: EmailMessage) -> datetime.datetime | None:
    try:
        return message["date"].datetime if message["date"] is not None else None
    except Exception:
        return None


def clean_filename(name: str | None, fallback: str) -> str:
    """The last path component bounded with its extension kept, then the e-file's own cleaning (no control,
    direction or reserved characters)."""
    name = re.split(r"[/\\]", name or "")[-1]
    if len(name) > _MAX_FILENAME:  # bounded here first, so the extension survives
        stem, dot, extension = name.rpartition(".")
        extension = extension[:10] if dot else ""
        name = stem[: _MAX_FILENAME - len(extension) - 1] + "." + extension if extension else name[:_MAX_FILENAME]
    return clean_name(name) or fallback


def _invoice_kind(content_type: str, filename: str) -> str | None:
    lower = filename.lower()
    if content_type in _XML_TYPES or lower.endswith(".xml"):
        return "xml"
    if content_type in _PDF_TYPES or lower.endswith(".pdf"):
        return "pdf"
    return None


def _leaves(message: EmailMessage) -> list[EmailMessage]:
    """The non-container parts in mail order, attached mails included up to MAX_NESTED_MAILS deep."""
    leaves: list[EmailMessage] = []
    stack: list[tuple[EmailMessage, int]] = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        if part.defects and any(type(d).__name__ in _BROKEN_STRUCTURE for d in part.defects):
            raise Refused(_("The MIME structure of the mail is damaged."))
        if not part.is_multipart():
            leaves.append(part)
            continue
        if part.get_content_maintype() == "message":
            depth += 1
            if depth > MAX_NESTED_MAILS:
                raise Refused(
                    _("The mail contains mails nested more than %(depth)d deep.") % {"depth": MAX_NESTED_MAILS}
                )
        stack.extend((child, depth) for child in reversed(children(part)))
    return leaves


def _attachments(message: EmailMessage) -> list[MailAttachment]:
    found: list[MailAttachment] = []
    for part in _leaves(message):
        content_type = part.get_content_type()
        raw_name = part.get_filename()
        kind = _invoice_kind(content_type, raw_name or "")
        if kind is None:
            continue
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            continue
        fallback = f"{_('attachment')}-{len(found) + 1}.{kind}"
        found.append(MailAttachment(clean_filename(raw_name, fallback), content_type, content))
    return found


def _facts(message: EmailMessage) -> dict[str, object]:
    return {
        "subject": _header(message, "subject"),
        "sender": _sender(message),
        "message_id": _header(message, "message-id"),
        "date": _date(message),
    }


def message_id(raw: bytes) -> str:
    """The Message-ID of a mail, "" when it has none or it cannot be read."""
    try:
        return _header(parse(raw[:_HEADER_PREVIEW_BYTES], headers_only=True), "message-id")
    except Exception:
        return ""


def split_mail(raw: bytes) -> MailParts:
    """Header facts and invoice candidates (XML and PDF attachments) of one RFC 5322 mail."""
    if len(raw) > max_mail_bytes():
        problem = _("The mail is larger than %(limit)d MB.") % {"limit": max_mail_bytes() // (1024 * 1024)}
        try:
            facts = _facts(parse(raw[:_HEADER_PREVIEW_BYTES], headers_only=True))
        except Exception:
            facts = {}
        return MailParts(**facts, problem=problem)
    try:
        message = parse(raw)
        facts = _facts(message)
    except Refused as exc:
        return MailParts(problem=str(exc))
    except Exception:  # the parser is lenient; anything it still raises means an unreadable mail
        logger.warning("mail could not be parsed", exc_info=True)
        return MailParts(problem=_("The mail could not be read."))
    if not message.keys():
        return MailParts(problem=_("The data is not a mail: it has no headers."))
    try:
        return MailParts(**facts, attachments=_attachments(message))
    except Refused as exc:
        return MailParts(**facts, problem=str(exc))
    except Exception:
        logger.warning("mail parts could not be read", exc_info=True)
        return MailParts(**facts, problem=_("The mail could not be read."))

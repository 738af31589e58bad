"""Parsing mail with the stdlib email package (policy.default) within bounds a sender cannot push.

The parser builds every MIME part and the structured header parser takes time and memory far beyond
linear (a 200 KB subject of encoded words takes a gigabyte, a 6 KB Content-Type 0.1 s, asked for again
and again by the parser). So one mail may have at most MAX_PARTS parts and MAX_HEADERS header fields,
a header is parsed only up to MAX_HEADER_CHARS and all parsed headers together up to MAX_HEADER_TOTAL
characters; each is parsed once. Going beyond raises Refused while parsing, before the cost is paid.
"""

import base64
import quopri
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser

from django.utils.translation import gettext as _

MAX_PARTS = 100
MAX_HEADERS = 5000  # header fields in all parts together (a long Received chain has a few hundred)
MAX_HEADER_CHARS = 8 * 1024  # of one header read (From, Subject, Content-Type, ...)
MAX_HEADER_TOTAL = 64 * 1024  # of all headers read


class Refused(Exception):
    """The mail goes beyond a bound; the message says which, for the clerk who looks at the mail."""


class Budget:
    """What one mail may cost; it is the parser's message factory, so it counts every part built."""

    def __init__(self) -> None:
        self.parts = 0
        self.headers = 0
        self.header_chars = 0
        self.parsed: dict[tuple[str, str], object] = {}

    def __call__(self, policy: email_policy.Policy) -> EmailMessage:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise Refused(_("The mail has more than %(count)d parts.") % {"count": MAX_PARTS})
        return EmailMessage(policy=policy)


class BoundedPolicy(email_policy.EmailPolicy):
    """policy.default within the Budget given as its message_factory."""

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        self.message_factory.headers += 1
        if self.message_factory.headers > MAX_HEADERS:
            raise Refused(_("The mail has more than %(count)d header fields.") % {"count": MAX_HEADERS})
        return super().header_source_parse(sourcelines)

    def header_fetch_parse(self, name: str, value: str) -> object:
        if not isinstance(value, str) or hasattr(value, "name"):  # set by code, not parsed from the mail
            return super().header_fetch_parse(name, value)
        budget: Budget = self.message_factory
        key = (name, value)
        if key not in budget.parsed:
            if len(value) > MAX_HEADER_CHARS:
                raise Refused(
                    _("The mail header %(name)s is longer than %(limit)d characters.")
                    % {"name": name, "limit": MAX_HEADER_CHARS}
                )
            budget.header_chars += len(value)
            if budget.header_chars > MAX_HEADER_TOTAL:
                raise Refused(
                    _("The headers of the mail are longer than %(limit)d characters together.")
                    % {"limit": MAX_HEADER_TOTAL}
                )
            budget.parsed[key] = super().header_fetch_parse(name, value)
        return budget.parsed[key]


def parse(raw: bytes, *, headers_only: bool = False, budget: Budget | None = None) -> EmailMessage:
    bounded = BoundedPolicy(message_factory=budget or Budget())
    return BytesParser(policy=bounded).parsebytes(raw, headersonly=headers_only)


def children(part: EmailMessage) -> list[EmailMessage]:
    """The parts inside a container. An attached mail sent base64 or quoted-printable (not allowed, but
    some mailers do it) is decoded and parsed on the same budget."""
    inner = part.get_payload()
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if part.get_content_type() == "message/rfc822" and encoding in {"base64", "quoted-printable"}:
        # The parser took the still encoded text for a mail without headers.
        wrapped = inner[0] if len(inner) == 1 else None
        if wrapped is not None and not wrapped.keys() and isinstance(text := wrapped.get_payload(), str):
            data = text.encode("ascii", "replace")
            try:
                decoded = base64.b64decode(data) if encoding == "base64" else quopri.decodestring(data)
            except ValueError:  # binascii.Error: left as it is, it holds no attachment
                return inner
            return [parse(decoded, budget=part.policy.message_factory)]
    return inner

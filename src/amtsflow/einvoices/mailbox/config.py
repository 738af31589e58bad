"""Which mailboxes are polled: the setting AMTSFLOW_INVOICE_MAILBOXES, a list of dicts (see conf/settings.py)."""

import os
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Security = Literal["ssl", "starttls", "none"]
_DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}


@dataclass(frozen=True)
class MailboxConfig:
    """One IMAP account. `tenant` is a tenant slug for a mailbox of one municipality; empty means a shared
    provider mailbox whose invoices are routed by their Leitweg-ID."""

    name: str
    host: str
    port: int = 0  # 0: 993 for ssl, 143 otherwise
    username: str = ""
    password: str = field(default="", repr=False)
    security: Security = "ssl"  # "none" sends the password in clear text: only for a server on this host
    folder: str = "INBOX"
    processed_folder: str = "Verarbeitet"
    failed_folder: str = "Fehler"
    tenant: str = ""
    timeout: float = 30.0  # seconds, for connecting and for every answer of the server
    ca_file: str = ""  # trust this CA (PEM) instead of the system's, e.g. for an internal mail server

    def __post_init__(self) -> None:
        if self.security not in _DEFAULT_PORTS:
            raise ImproperlyConfigured(
                f"mailbox {self.name!r}: security must be ssl, starttls or none, not {self.security!r}"
            )
        if not self.name or not self.host:
            raise ImproperlyConfigured(f"mailbox {self.name!r}: name and host are required")
        if not self.port:
            object.__setattr__(self, "port", _DEFAULT_PORTS[self.security])


_KEYS = {f.name for f in fields(MailboxConfig)}


def _config(entry: dict[str, Any]) -> MailboxConfig:
    entry = dict(entry)
    # The password may stay out of the list: "password_env" names the environment variable that holds it.
    if "password_env" in entry:
        variable = entry.pop("password_env")
        if variable not in os.environ:
            raise ImproperlyConfigured(f"mailbox {entry.get('name')!r}: environment variable {variable} is not set")
        entry["password"] = os.environ[variable]
    unknown = set(entry) - _KEYS
    if unknown:
        raise ImproperlyConfigured(f"mailbox {entry.get('name')!r}: unknown keys {', '.join(sorted(unknown))}")
    try:
        return MailboxConfig(**entry)
    except TypeError as exc:
        raise ImproperlyConfigured(f"mailbox {entry.get('name')!r}: {exc}") from exc


def configured_mailboxes() -> list[MailboxConfig]:
    """The mailboxes of the setting AMTSFLOW_INVOICE_MAILBOXES; a mistake there raises ImproperlyConfigured."""
    entries = getattr(settings, "AMTSFLOW_INVOICE_MAILBOXES", None) or []
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ImproperlyConfigured("AMTSFLOW_INVOICE_MAILBOXES must be a list of objects")
    mailboxes = [_config(entry) for entry in entries]
    names = [mailbox.name for mailbox in mailboxes]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured("AMTSFLOW_INVOICE_MAILBOXES: mailbox names must be unique")
    return mailboxes

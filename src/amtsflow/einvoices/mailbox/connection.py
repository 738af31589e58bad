"""Opening an IMAP session (stdlib imaplib): TLS, login, folder names; errors become MailboxError."""

import base64
import contextlib
import imaplib
import ssl
from collections.abc import Iterator

from django.utils.translation import gettext as _

from amtsflow.einvoices.mailbox.config import MailboxConfig


class MailboxError(Exception):
    """The mailbox could not be read or a mail could not be filed; every mail not filed stays where it was.

    `result` holds what a poll did before the error (None when it failed before reading any mail)."""

    def __init__(self, message: str, result: object = None) -> None:
        super().__init__(message)
        self.result = result


class MailboxLoginError(MailboxError):
    """The server refused the user name or password."""


def folder_name(name: str) -> str:
    """A folder name as an IMAP quoted string, in modified UTF-7 (RFC 3501) so "Geprüft" works too."""
    encoded, pending = [], []

    def flush() -> None:
        if pending:
            chunk = base64.b64encode("".join(pending).encode("utf-16-be")).rstrip(b"=").replace(b"/", b",")
            encoded.append("&" + chunk.decode() + "-")
            pending.clear()

    for char in name:
        if " " <= char <= "~":
            flush()
            encoded.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return '"' + "".join(encoded).replace("\\", "\\\\").replace('"', '\\"') + '"'


def capabilities(conn: imaplib.IMAP4) -> set[str]:
    """The capabilities after login (servers announce more than before it)."""
    typ, data = conn.capability()
    if typ != "OK" or not data or not isinstance(data[-1], bytes):
        return set(conn.capabilities)
    return set(data[-1].decode("ascii", "replace").upper().split())


def _tls_context(config: MailboxConfig) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=config.ca_file or None)


def _open(config: MailboxConfig) -> imaplib.IMAP4:
    where = {"name": config.name, "host": config.host, "port": config.port}
    try:
        if config.security == "ssl":
            return imaplib.IMAP4_SSL(config.host, config.port, ssl_context=_tls_context(config), timeout=config.timeout)
        conn = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(
            _("Mailbox %(name)s: cannot connect to %(host)s:%(port)s (%(error)s).") % {**where, "error": exc}
        ) from exc
    if config.security == "starttls":
        try:
            if "STARTTLS" not in conn.capabilities:
                # Never fall back to clear text: the password would travel readable.
                raise MailboxError(_("Mailbox %(name)s: the server %(host)s offers no STARTTLS.") % where)
            conn.starttls(_tls_context(config))
        except (OSError, imaplib.IMAP4.error) as exc:
            conn.shutdown()
            raise MailboxError(
                _("Mailbox %(name)s: TLS with %(host)s:%(port)s failed (%(error)s).") % {**where, "error": exc}
            ) from exc
        except MailboxError:
            conn.shutdown()
            raise
    return conn


def _login(conn: imaplib.IMAP4, config: MailboxConfig) -> None:
    try:
        if (config.username + config.password).isascii() or "AUTH=PLAIN" not in conn.capabilities:
            conn.login(config.username, config.password)
        else:  # LOGIN is ASCII only; SASL PLAIN carries UTF-8
            credentials = f"\0{config.username}\0{config.password}".encode()
            conn.authenticate("PLAIN", lambda _challenge: credentials)
    except (OSError, imaplib.IMAP4.abort) as exc:
        raise MailboxError(
            _("Mailbox %(name)s: the connection broke off during login (%(error)s).")
            % {"name": config.name, "error": exc}
        ) from exc
    except (imaplib.IMAP4.error, UnicodeEncodeError) as exc:
        raise MailboxLoginError(
            _("Mailbox %(name)s: the server refused the login of %(user)s.")
            % {"name": config.name, "user": config.username}
        ) from exc


@contextlib.contextmanager
def session(config: MailboxConfig) -> Iterator[imaplib.IMAP4]:
    """A logged-in connection with the timeout on its socket, logged out afterwards."""
    conn = _open(config)
    try:
        _login(conn, config)
        yield conn
    finally:
        # LOGOUT, not CLOSE: CLOSE would expunge mail that somebody else marked as deleted.
        with contextlib.suppress(Exception):
            conn.logout()

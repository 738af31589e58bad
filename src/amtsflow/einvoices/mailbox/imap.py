"""Polling one mailbox: each new mail is handed to `receive` as raw bytes, then filed in a folder.

Only a mail that `receive` took without an exception goes to the processed folder; one it refused goes to
the failed folder; nothing is ever deleted before it sits in one of them. A mail taken but not yet filed
(connection lost in between) carries the keyword $AmtsflowReceived, so the next poll files it without
handing it over twice. All commands address mail by UID, which stays stable while others change the folder.
"""

import imaplib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from amtsflow.einvoices.mailbox.config import MailboxConfig
from amtsflow.einvoices.mailbox.connection import MailboxError, capabilities, folder_name, session
from amtsflow.einvoices.mailbox.parts import max_mail_bytes, message_id

logger = logging.getLogger(__name__)

RECEIVED = "$AmtsflowReceived"
_MAX_ERROR_TEXT = 500


@dataclass(frozen=True)
class MessageError:
    uid: int
    message_id: str
    error: str


@dataclass
class PollResult:
    mailbox: str
    received: int = 0  # handed over and filed in the processed folder
    failed: int = 0  # refused (receive raised, or too large) and filed in the failed folder
    refiled: int = 0  # handed over by an earlier poll that could not file them; filed now
    more: bool = False  # the limit was reached: more mail is waiting
    errors: list[MessageError] = field(default_factory=list)


class _Folder:
    """The selected folder of one poll: searching, fetching and filing by UID."""

    def __init__(self, conn: imaplib.IMAP4, config: MailboxConfig, result: PollResult) -> None:
        self.conn, self.config, self.result = conn, config, result
        caps = capabilities(conn)
        self.can_move, self.uidplus = "MOVE" in caps, "UIDPLUS" in caps
        self._created: set[str] = set()
        typ, _data = conn.select(folder_name(config.folder))
        if typ != "OK":
            raise MailboxError(
                _("Mailbox %(name)s: the folder %(folder)s cannot be opened.")
                % {"name": config.name, "folder": config.folder}
            )
        # Servers that keep no own keywords cannot mark a mail as taken; then only the move files it.
        flags = conn.response("PERMANENTFLAGS")[1]
        self.keywords = bool(flags and flags[0] and b"\\*" in flags[0])

    def _check(self, typ: str, data: list, action: str) -> list:
        if typ != "OK":
            detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
            raise MailboxError(
                _("Mailbox %(name)s: %(action)s failed (%(detail)s).")
                % {"name": self.config.name, "action": action, "detail": detail},
                self.result,
            )
        return data

    def search(self, *criteria: str) -> list[int]:
        data = self._check(*self.conn.uid("SEARCH", *criteria), "SEARCH")
        return sorted(int(uid) for uid in b" ".join(d for d in data if d).split())

    def size(self, uid: int) -> int | None:
        data = self._check(*self.conn.uid("FETCH", str(uid), "(RFC822.SIZE)"), "FETCH")
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            if isinstance(line, bytes) and re.search(rb"\bUID %d\b" % uid, line):
                match = re.search(rb"RFC822\.SIZE (\d+)", line)
                return int(match.group(1)) if match else None
        return None  # gone meanwhile (another client expunged it)

    def fetch(self, uid: int) -> bytes | None:
        # BODY.PEEK leaves the mail unread for people who look into the mailbox too.
        data = self._check(*self.conn.uid("FETCH", str(uid), "(BODY.PEEK[])"), "FETCH")
        for item in data:
            if isinstance(item, tuple) and b"BODY[]" in item[0] and re.search(rb"\bUID %d\b" % uid, item[0]):
                return item[1]
        return None

    def mark_received(self, uid: int) -> None:
        if self.keywords:
            self._check(*self.conn.uid("STORE", str(uid), "+FLAGS.SILENT", f"({RECEIVED})"), "STORE")

    def file(self, uid: int, target: str) -> None:
        """Moves the mail to `target` (created when missing); the original goes only once the copy exists."""
        name = folder_name(target)
        if target not in self._created:
            self.conn.create(name)  # NO when it exists already, which is fine
            self.conn.subscribe(name)
            self._created.add(target)
        if self.can_move:
            self._check(*self.conn.uid("MOVE", str(uid), name), f"MOVE → {target}")
            return
        self._check(*self.conn.uid("COPY", str(uid), name), f"COPY → {target}")
        self._check(*self.conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
        if self.uidplus:
            self._check(*self.conn.uid("EXPUNGE", str(uid)), "EXPUNGE")
        # Without UIDPLUS a plain EXPUNGE would also remove what others marked as deleted: the original
        # stays marked \Deleted (searches skip it) until a mail client expunges the folder.


def _handle(folder: _Folder, uid: int, receive: Callable[[bytes], object]) -> None:
    config, result = folder.config, folder.result
    size = folder.size(uid)
    if size is None:
        return
    if size > max_mail_bytes():
        error = _("The mail is larger than %(limit)d MB.") % {"limit": max_mail_bytes() // (1024 * 1024)}
        result.errors.append(MessageError(uid, "", error))
        folder.file(uid, config.failed_folder)
        result.failed += 1
        return
    raw = folder.fetch(uid)
    if raw is None:
        return
    try:
        receive(raw)
    except Exception as exc:
        logger.warning("mailbox %s: mail UID %s was refused", config.name, uid, exc_info=True)
        error = (str(exc) or type(exc).__name__)[:_MAX_ERROR_TEXT]
        result.errors.append(MessageError(uid, message_id(raw), error))
        folder.file(uid, config.failed_folder)
        result.failed += 1
        return
    folder.mark_received(uid)
    folder.file(uid, config.processed_folder)
    result.received += 1


def poll(config: MailboxConfig, receive: Callable[[bytes], object], *, limit: int = 50) -> PollResult:
    """Hands at most `limit` new mails of the mailbox to `receive` and files each; MailboxError when the
    server cannot be reached or refuses a command (what was done so far is in the error's `result`)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    result = PollResult(config.name)
    try:
        with session(config) as conn:
            folder = _Folder(conn, config, result)
            if folder.keywords:
                for uid in folder.search("UNDELETED", "KEYWORD", RECEIVED):
                    folder.file(uid, config.processed_folder)
                    result.refiled += 1
            waiting = (
                folder.search("UNDELETED", "UNKEYWORD", RECEIVED) if folder.keywords else folder.search("UNDELETED")
            )
            result.more = len(waiting) > limit
            for uid in waiting[:limit]:
                _handle(folder, uid, receive)
    except MailboxError as exc:
        exc.result = result
        raise
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(
            _("Mailbox %(name)s: the connection to %(host)s broke off (%(error)s).")
            % {"name": config.name, "host": config.host, "error": exc},
            result,
        ) from exc
    logger.info(
        "mailbox %s: %s received, %s failed, %s refiled", config.name, result.received, result.failed, result.refiled
    )
    return result

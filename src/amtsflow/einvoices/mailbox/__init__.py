"""The mailbox channel of incoming e-invoices: IMAP accounts polled by a background task.

`poll(config, receive)` hands every new mail as raw bytes to `receive` and files it afterwards;
`split_mail(raw)` takes such a mail apart into header facts and the attachments that may be invoices.
"""

from amtsflow.einvoices.mailbox.config import MailboxConfig, configured_mailboxes
from amtsflow.einvoices.mailbox.connection import MailboxError, MailboxLoginError
from amtsflow.einvoices.mailbox.imap import MessageError, PollResult, poll
from amtsflow.einvoices.mailbox.parts import MailAttachment, MailParts, max_mail_bytes, split_mail

__all__ = [
    "MailAttachment",
    "MailParts",
    "MailboxConfig",
    "MailboxError",
    "MailboxLoginError",
    "MessageError",
    "PollResult",
    "configured_mailboxes",
    "max_mail_bytes",
    "poll",
    "split_mail",
]

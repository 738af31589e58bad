"""The mailbox channel against a real IMAP server (dovecot, started for the session), and split_mail."""

import imaplib
import socket
import ssl
import threading
import time
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import make_msgid

import pytest
from django.core.exceptions import ImproperlyConfigured

from amtsflow.core.testing.imap_server import ImapAccount
from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices.mailbox import (
    MailboxConfig,
    MailboxError,
    MailboxLoginError,
    configured_mailboxes,
    poll,
    split_mail,
)
from amtsflow.einvoices.mailbox import imap as imap_module
from amtsflow.einvoices.mailbox.bounded import MAX_HEADER_CHARS, MAX_HEADERS, MAX_PARTS
from amtsflow.einvoices.mailbox.connection import folder_name
from amtsflow.einvoices.mailbox.parts import MAX_NESTED_MAILS, clean_filename

XRECHNUNG = ("xrechnung", "testsuite", "src", "test", "business-cases", "standard", "01.01a-INVOICE_ubl.xml")
ZUGFERD = ("xrechnung", "zugferd-samples", "EN16931_Einfach.pdf")


# --- building mails ---------------------------------------------------------------------------------------


def mail(subject: str, *attachments: tuple[str, str, bytes], sender: str = "rechnung@lieferant.example") -> bytes:
    message = EmailMessage()
    message["From"] = f"Lieferant GmbH <{sender}>"
    message["To"] = "eingang@stadt.example"
    message["Subject"] = subject
    message["Date"] = "Mon, 23 Nov 2026 10:00:00 +0100"
    message["Message-ID"] = make_msgid(domain="lieferant.example")
    message.set_content("Sehr geehrte Damen und Herren,\nanbei unsere Rechnung.\n")
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=policy.SMTP)  # CRLF, as a mail server stores it


MALFORMED = (
    b"From: kaputt\r\nSubject: =?utf-8?B?broken\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n"
    b"no boundary ever \xff\xfe\r\n--y\r\nContent-Type: application/pdf\r\n\r\n%PDF"
)


# --- talking to the server directly (the test's view of the mailbox) --------------------------------------


def config_for(imap_account: ImapAccount, **changes: object) -> MailboxConfig:
    base = MailboxConfig(
        name="rechnungen",
        host=imap_account.host,
        port=imap_account.port,
        username=imap_account.user,
        password=imap_account.password,
        security="none",
        timeout=10,
    )
    return replace(base, **changes)


def client(imap_account: ImapAccount) -> imaplib.IMAP4:
    conn = imaplib.IMAP4(imap_account.host, imap_account.port, timeout=10)
    conn.login(imap_account.user, imap_account.password)
    return conn


def append(imap_account: ImapAccount, *raws: bytes) -> None:
    conn = client(imap_account)
    for raw in raws:
        assert conn.append("INBOX", None, None, raw)[0] == "OK"
    conn.logout()


def contents(imap_account: ImapAccount, folder: str) -> list[bytes]:
    """The mails of `folder` in UID order, without those marked deleted; [] when the folder does not exist."""
    conn = client(imap_account)
    try:
        if conn.select(folder_name(folder), readonly=True)[0] != "OK":
            return []
        uids = conn.uid("SEARCH", "UNDELETED")[1][0].split()
        found = []
        for uid in uids:
            data = conn.uid("FETCH", uid, "(BODY.PEEK[])")[1]
            found.extend(item[1] for item in data if isinstance(item, tuple))
        return found
    finally:
        conn.logout()


@pytest.fixture
def shared_mails() -> dict[str, bytes]:
    xml = require_shared(*XRECHNUNG).read_bytes()
    pdf = require_shared(*ZUGFERD).read_bytes()
    return {
        "xml": mail("Rechnung 4711", ("01.01a-INVOICE_ubl.xml", "application/xml", xml)),
        "pdf": mail("Rechnung 4712 (ZUGFeRD)", ("EN16931_Einfach.pdf", "application/pdf", pdf)),
        "plain": mail("Frage zur Rechnung"),
        "malformed": MALFORMED,
        "xml-content": xml,
        "pdf-content": pdf,
    }


class Recorder:
    def __init__(self, refuse: bytes = b"") -> None:
        self.raws: list[bytes] = []
        self.refuse = refuse

    def __call__(self, raw: bytes) -> None:
        self.raws.append(raw)
        if self.refuse and self.refuse in raw:
            raise ValueError("Leitweg-ID unbekannt")


# --- poll against dovecot ----------------------------------------------------------------------------------


def test_poll_hands_over_the_exact_bytes_and_files_each_mail(imap_account, shared_mails):
    sent = [shared_mails[key] for key in ("xml", "pdf", "plain", "malformed")]
    append(imap_account, *sent)
    receive = Recorder()

    result = poll(config_for(imap_account), receive)

    assert receive.raws == sent
    assert (result.received, result.failed, result.refiled, result.more, result.errors) == (4, 0, 0, False, [])
    assert contents(imap_account, "INBOX") == []
    assert contents(imap_account, "Verarbeitet") == sent
    xml_parts, pdf_parts, plain_parts, malformed_parts = (split_mail(raw) for raw in receive.raws)
    assert [(a.filename, a.content_type) for a in xml_parts.attachments] == [
        ("01.01a-INVOICE_ubl.xml", "application/xml")
    ]
    assert xml_parts.attachments[0].content == shared_mails["xml-content"]
    assert (xml_parts.subject, xml_parts.sender, xml_parts.problem) == (
        "Rechnung 4711",
        "rechnung@lieferant.example",
        "",
    )
    assert [a.content for a in pdf_parts.attachments] == [shared_mails["pdf-content"]]
    assert (plain_parts.attachments, plain_parts.problem) == ([], "")
    assert malformed_parts.attachments == []
    assert malformed_parts.problem


def test_a_refused_mail_goes_to_the_failed_folder_and_nothing_is_lost(imap_account, shared_mails):
    append(imap_account, shared_mails["xml"], shared_mails["pdf"])
    receive = Recorder(refuse=b"Rechnung 4712")

    result = poll(config_for(imap_account), receive)

    assert (result.received, result.failed) == (1, 1)
    [error] = result.errors
    assert error.error == "Leitweg-ID unbekannt"
    assert error.message_id.endswith("@lieferant.example>")
    assert contents(imap_account, "INBOX") == []
    assert contents(imap_account, "Verarbeitet") == [shared_mails["xml"]]
    assert contents(imap_account, "Fehler") == [shared_mails["pdf"]]


def test_a_second_poll_takes_nothing_twice(imap_account, shared_mails):
    append(imap_account, shared_mails["xml"])
    receive = Recorder()
    poll(config_for(imap_account), receive)
    assert poll(config_for(imap_account), receive).received == 0
    append(imap_account, shared_mails["plain"])
    assert poll(config_for(imap_account), receive).received == 1
    assert receive.raws == [shared_mails["xml"], shared_mails["plain"]]


def test_the_limit_leaves_the_rest_for_the_next_poll(imap_account):
    sent = [mail(f"Rechnung {n}") for n in range(3)]
    append(imap_account, *sent)
    receive = Recorder()
    first = poll(config_for(imap_account), receive, limit=2)
    assert (first.received, first.more) == (2, True)
    second = poll(config_for(imap_account), receive, limit=2)
    assert (second.received, second.more) == (1, False)
    assert receive.raws == sent


def test_a_mail_taken_but_not_filed_is_filed_later_without_handing_it_over_again(imap_account, monkeypatch):
    raw = mail("Rechnung 4713")
    append(imap_account, raw)
    receive = Recorder()
    original_file = imap_module._Folder.file

    def connection_lost(folder, uid, target):
        raise MailboxError("connection lost")

    monkeypatch.setattr(imap_module._Folder, "file", connection_lost)
    with pytest.raises(MailboxError) as raised:
        poll(config_for(imap_account), receive)
    assert raised.value.result.received == 0
    assert contents(imap_account, "INBOX") == [raw]

    monkeypatch.setattr(imap_module._Folder, "file", original_file)
    result = poll(config_for(imap_account), receive)
    assert (result.received, result.refiled) == (0, 1)
    assert receive.raws == [raw]
    assert contents(imap_account, "Verarbeitet") == [raw]


def test_servers_without_move_get_copy_and_expunge(imap_account, monkeypatch):
    raw = mail("Rechnung 4714")
    append(imap_account, raw)
    monkeypatch.setattr(imap_module, "capabilities", lambda conn: {"IMAP4REV1", "UIDPLUS"})
    assert poll(config_for(imap_account), Recorder()).received == 1
    assert contents(imap_account, "INBOX") == []
    assert contents(imap_account, "Verarbeitet") == [raw]


def test_folder_names_beyond_ascii(imap_account):
    raw = mail("Rechnung 4715")
    append(imap_account, raw)
    poll(config_for(imap_account, processed_folder="Geprüft & erledigt"), Recorder())
    assert contents(imap_account, "Geprüft & erledigt") == [raw]
    conn = client(imap_account)
    assert any(b'"Gepr&APw-ft &- erledigt"' in line for line in conn.list()[1])
    conn.logout()


def test_a_mail_too_large_is_filed_as_failed_without_being_fetched(imap_account, settings):
    settings.AMTSFLOW_EINVOICE_MAX_BYTES = 1024  # mails up to 4 KiB
    big = mail("Riesig", ("rechnung.pdf", "application/pdf", b"%PDF" + b"x" * 8000))
    append(imap_account, big)
    receive = Recorder()
    result = poll(config_for(imap_account), receive)
    assert (receive.raws, result.failed) == ([], 1)
    assert "larger than" in result.errors[0].error
    assert contents(imap_account, "Fehler") == [big]


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls(imap_account, security):
    raw = mail(f"Rechnung über {security}")
    append(imap_account, raw)
    port = imap_account.ssl_port if security == "ssl" else imap_account.port
    config = config_for(imap_account, security=security, port=port, ca_file=str(imap_account.ca_file))
    receive = Recorder()
    assert poll(config, receive).received == 1
    assert receive.raws == [raw]


def test_an_untrusted_certificate_is_refused(imap_account):
    config = config_for(imap_account, security="ssl", port=imap_account.ssl_port)
    with pytest.raises(MailboxError, match="cannot connect") as raised:
        poll(config, Recorder())
    assert isinstance(raised.value.__cause__, ssl.SSLError)


def test_a_wrong_password_gives_a_clear_error_and_loses_nothing(imap_account):
    raw = mail("Rechnung 4716")
    append(imap_account, raw)
    with pytest.raises(MailboxLoginError) as raised:
        poll(config_for(imap_account, password="falsch-geraten"), Recorder())
    assert str(raised.value) == f"Mailbox rechnungen: the server refused the login of {imap_account.user}."
    assert "falsch-geraten" not in str(raised.value)
    assert contents(imap_account, "INBOX") == [raw]


def test_an_unreachable_or_silent_server_gives_a_clear_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    config = MailboxConfig(name="weg", host="127.0.0.1", port=closed_port, security="none", timeout=2)
    with pytest.raises(MailboxError, match=f"Mailbox weg: cannot connect to 127.0.0.1:{closed_port}"):
        poll(config, Recorder())
    with socket.socket() as silent:  # accepts connections but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        config = replace(config, port=silent.getsockname()[1], timeout=0.5)
        with pytest.raises(MailboxError, match="timed out"):
            poll(config, Recorder())


def test_starttls_is_required_when_configured():
    with socket.socket() as fake:
        fake.bind(("127.0.0.1", 0))
        fake.listen()
        config = MailboxConfig(name="alt", host="127.0.0.1", port=fake.getsockname()[1], security="starttls")

        # A server that greets without offering STARTTLS.
        def serve() -> None:
            conn, _ = fake.accept()
            with conn:
                conn.sendall(b"* OK ready\r\n")
                tag = conn.recv(1024).split(b" ")[0]  # imaplib asks for CAPABILITY first
                conn.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
                conn.recv(1024)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        with pytest.raises(MailboxError, match="offers no STARTTLS"):
            poll(config, Recorder())
        thread.join(5)


# --- configuration -----------------------------------------------------------------------------------------


def test_configured_mailboxes(settings, monkeypatch):
    monkeypatch.setenv("RECHNUNG_IMAP_PASSWORD", "geheim")
    settings.AMTSFLOW_INVOICE_MAILBOXES = [
        {"name": "a", "host": "imap.example", "username": "u", "password_env": "RECHNUNG_IMAP_PASSWORD"},
        {"name": "b", "host": "imap.example", "security": "starttls", "tenant": "musterstadt"},
    ]
    a, b = configured_mailboxes()
    assert (a.port, a.password, a.processed_folder, a.failed_folder, a.tenant) == (
        993,
        "geheim",
        "Verarbeitet",
        "Fehler",
        "",
    )
    assert (b.port, b.tenant) == (143, "musterstadt")
    assert "geheim" not in repr(a)
    settings.AMTSFLOW_INVOICE_MAILBOXES = [{"name": "a", "host": "h", "security": "plain"}]
    with pytest.raises(ImproperlyConfigured, match="security"):
        configured_mailboxes()
    settings.AMTSFLOW_INVOICE_MAILBOXES = [{"name": "a", "host": "h", "passwort": "x"}]
    with pytest.raises(ImproperlyConfigured, match="unknown keys passwort"):
        configured_mailboxes()
    settings.AMTSFLOW_INVOICE_MAILBOXES = []
    assert configured_mailboxes() == []


# --- split_mail --------------------------------------------------------------------------------------------


def test_split_mail_reads_the_header_facts():
    parts = split_mail(mail("Rechnung für März", ("r.xml", "application/xml", b"<Invoice/>")))
    assert parts.subject == "Rechnung für März"
    assert parts.sender == "rechnung@lieferant.example"
    assert parts.message_id.endswith("@lieferant.example>")
    assert parts.date.isoformat() == "2026-11-23T10:00:00+01:00"


def test_split_mail_takes_xml_and_pdf_only():
    parts = split_mail(
        mail(
            "Anlagen",
            ("rechnung.xml", "application/octet-stream", b"<a/>"),
            ("rechnung.pdf", "application/octet-stream", b"%PDF-1.7"),
            ("lieferschein.PDF", "application/pdf", b"%PDF-1.4"),
            ("", "text/xml", b"<b/>"),
            ("logo.png", "image/png", b"\x89PNG"),
            ("notiz.txt", "text/plain", b"hallo"),
        )
    )
    assert [(a.filename, a.content) for a in parts.attachments] == [
        ("rechnung.xml", b"<a/>"),
        ("rechnung.pdf", b"%PDF-1.7"),
        ("lieferschein.PDF", b"%PDF-1.4"),
        ("attachment-4.xml", b"<b/>"),
    ]


def test_split_mail_keeps_xml_bytes_as_they_are():
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><Invoice>Müller</Invoice>'.encode("latin-1")
    raw = (
        b"From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/xml; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        b'Content-Disposition: attachment; filename="r.xml"\r\n\r\n'
        b'<?xml version=3D"1.0" encoding=3D"ISO-8859-1"?><Invoice>M=FCller</Invoice>\r\n--b--\r\n'
    )
    [attachment] = split_mail(raw).attachments
    assert attachment.content == latin
    assert attachment.content_type == "text/xml"


def test_split_mail_decodes_encoded_filenames():
    raw = (
        b"From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="=?UTF-8?B?UmVjaG51bmdfTcOkcnoueG1s?="\r\n\r\n<a/>\r\n'
        b"--b\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*0*=UTF-8''Rechnung%20f%C3%BCr; filename*1*=%20April.pdf\r\n"
        b"\r\n%PDF\r\n"
        b'--b\r\nContent-Type: application/pdf; name="=?iso-8859-1?Q?Geb=FChren.pdf?="\r\n\r\n%PDF\r\n--b--\r\n'
    )
    names = [a.filename for a in split_mail(raw).attachments]
    assert names == ["Rechnung_März.xml", "Rechnung für April.pdf", "Gebühren.pdf"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.xml", "passwd.xml"),
        ("..\\..\\Windows\\system32\\rechnung.pdf", "rechnung.pdf"),
        ("/abs/path/r.xml", "r.xml"),
        ("C:\\Users\\x\\r.pdf", "r.pdf"),
        ("..", "fallback.xml"),
        ("rechnung\u202efdp.exe", "rechnungfdp.exe"),  # no right-to-left override
        ("a\x00b\r\nc.xml", "abc.xml"),
        ('what?<is>"this".pdf', "what__is__this_.pdf"),
        ("x" * 300 + ".xml", "x" * 146 + ".xml"),
        (None, "fallback.xml"),
    ],
)
def test_clean_filename(name, expected):
    assert clean_filename(name, "fallback.xml") == expected


def test_split_mail_strips_path_parts_from_attachment_names():
    parts = split_mail(mail("Pfade", ("../../../etc/cron.d/rechnung.xml", "application/xml", b"<a/>")))
    assert [a.filename for a in parts.attachments] == ["rechnung.xml"]


def _forwarded(inner: bytes, depth: int) -> bytes:
    raw = inner
    for level in range(depth):
        message = EmailMessage()
        message["From"] = "weiter@stadt.example"
        message["Subject"] = f"Fwd {level}"
        message.set_content("siehe Anhang")
        message.add_attachment(BytesParser(policy=policy.default).parsebytes(raw))
        raw = message.as_bytes(policy=policy.SMTP)
    return raw


def test_split_mail_finds_invoices_in_forwarded_mails():
    inner = mail("Original", ("rechnung.xml", "application/xml", b"<Invoice/>"))
    parts = split_mail(_forwarded(inner, MAX_NESTED_MAILS))
    assert (parts.subject, parts.problem) == (f"Fwd {MAX_NESTED_MAILS - 1}", "")
    assert [(a.filename, a.content) for a in parts.attachments] == [("rechnung.xml", b"<Invoice/>")]


def test_split_mail_decodes_forwarded_mails_sent_in_base64():
    inner = mail("Original", ("rechnung.pdf", "application/pdf", b"%PDF-1.7"))
    outer = mail("Fwd", ("weitergeleitet.eml", "message/rfc822", inner))  # base64, as some mailers send it
    assert b"Content-Transfer-Encoding: base64" in outer
    assert [(a.filename, a.content) for a in split_mail(outer).attachments] == [("rechnung.pdf", b"%PDF-1.7")]


def test_split_mail_refuses_mails_nested_too_deep():
    inner = mail("Original", ("rechnung.xml", "application/xml", b"<Invoice/>"))
    parts = split_mail(_forwarded(inner, MAX_NESTED_MAILS + 1))
    assert parts.attachments == []
    assert parts.problem == f"The mail contains mails nested more than {MAX_NESTED_MAILS} deep."


def test_split_mail_refuses_too_many_parts():
    many = [(f"r{n}.xml", "application/xml", b"<a/>") for n in range(MAX_PARTS)]
    parts = split_mail(mail("Viele", *many))
    assert parts.attachments == []
    assert parts.problem == f"The mail has more than {MAX_PARTS} parts."
    fine = split_mail(mail("Genug", *many[: MAX_PARTS - 5]))
    assert (len(fine.attachments), fine.problem) == (MAX_PARTS - 5, "")


def test_split_mail_refuses_deeply_nested_multiparts_early():
    depth = 5000
    opening = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (n, n) for n in range(depth))
    parts = split_mail(b"From: a@b.example\r\nSubject: tief\r\n" + opening)
    assert (parts.attachments, parts.problem) == ([], f"The mail has more than {MAX_PARTS} parts.")


def _multipart(*parts: bytes) -> bytes:
    body = b"".join(b"--b\r\n" + part + b"\r\n" for part in parts)
    return b"From: a@b.example\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" + body + b"--b--\r\n"


CONTENT_TYPE_OF_800_PARAMETERS = b"Content-Type: application/pdf; " + b"; ".join(b"x%d=y" % n for n in range(800))


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        # The structured header parser needs a gigabyte for this subject; it is left out.
        (b"From: a@b.example\r\nSubject: " + b" ".join([b"=?utf-8?q?a=C3=A4?="] * 200_000) + b"\r\n\r\nx", ""),
        (b"From: " + b", ".join(b"x%d@y.example" % n for n in range(200_000)) + b"\r\n\r\nx", ""),
        (b"From: " + b"(" * 100_000 + b"a@b" + b")" * 100_000 + b"\r\n\r\nx", ""),
        (
            b"From: a@b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
            + b"; ".join(b"filename*%d*=x" % n for n in range(100_000))
            + b"\r\n\r\n%PDF",
            f"The mail header Content-Disposition is longer than {MAX_HEADER_CHARS} characters.",
        ),
        (
            _multipart(*[CONTENT_TYPE_OF_800_PARAMETERS + b"; n=%d\r\n\r\n%%PDF" % n for n in range(90)]),
            "The headers of the mail are longer than 65536 characters together.",
        ),
        (
            b"".join(b"X-H%d: v\r\n" % n for n in range(MAX_HEADERS)) + b"From: a@b.example\r\n\r\nx",
            f"The mail has more than {MAX_HEADERS} header fields.",
        ),
    ],
    ids=[
        "subject-of-encoded-words",
        "many-addresses",
        "nested-comments",
        "rfc2231-flood",
        "costly-content-types",
        "many-headers",
    ],
)
def test_split_mail_bounds_the_cost_of_headers(raw, problem):
    started = time.monotonic()
    parts = split_mail(raw)
    assert time.monotonic() - started < 10  # unbounded, the first case takes minutes and gigabytes
    assert parts.problem == problem
    assert parts.attachments == []


def test_split_mail_refuses_oversized_mails_but_keeps_their_headers(settings):
    settings.AMTSFLOW_EINVOICE_MAX_BYTES = 1024 * 1024
    raw = mail("Zu groß", ("rechnung.pdf", "application/pdf", b"%PDF" + b"x" * (4 * 1024 * 1024)))
    parts = split_mail(raw)
    assert (parts.subject, parts.sender, parts.attachments) == ("Zu groß", "rechnung@lieferant.example", [])
    assert parts.problem == "The mail is larger than 4 MB."


@pytest.mark.parametrize(
    "raw",
    [
        MALFORMED,
        b"",
        b"\x00\xff\xfe garbage without any header",
        b"From: a@b.example\r\nContent-Type: multipart/mixed\r\n\r\nno boundary parameter\r\n",
        b"From: \r\nDate: yesterday-ish\r\nSubject: =?x-unknown?Q?=FF?=\r\n\r\nbody",
        b"Content-Type: application/pdf; name*=bogus''%%%\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64",
    ],
    ids=["broken-boundary", "empty", "binary", "multipart-without-boundary", "bad-headers", "bad-base64"],
)
def test_split_mail_never_crashes(raw):
    parts = split_mail(raw)
    assert isinstance(parts.attachments, list)
    if parts.problem:
        assert parts.attachments == []


def test_malformed_mails_say_why():
    assert split_mail(MALFORMED).problem == "The MIME structure of the mail is damaged."
    assert split_mail(b"").problem == "The data is not a mail: it has no headers."


def test_shared_zugferd_and_xrechnung_attachments_come_out_unchanged():
    xml = require_shared(*XRECHNUNG).read_bytes()
    pdf = require_shared(*ZUGFERD).read_bytes()
    parts = split_mail(mail("Beide", ("a.xml", "application/xml", xml), ("b.pdf", "application/pdf", pdf)))
    assert [a.content for a in parts.attachments] == [xml, pdf]

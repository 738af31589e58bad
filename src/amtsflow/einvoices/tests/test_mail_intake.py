"""Mail sent to a real local IMAP server arrives as invoices: the tenant's own mailbox and the provider's
shared mailbox routed by Leitweg-ID, with the rest in the provider's clearing."""

import pytest

from amtsflow.core.testing.imap_server import ImapAccount
from amtsflow.einvoices import originals
from amtsflow.einvoices.models import Intake, IntakeState, Invoice, Receipt, ReceiptState
from amtsflow.einvoices.services import mail as mail_service
from amtsflow.einvoices.tests.conftest import STANDARD
from amtsflow.einvoices.tests.test_mailbox import append, config_for, contents, mail
from amtsflow.files.models import Document
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db


def _xml(name: str) -> bytes:
    return (STANDARD / name).read_bytes()


def _configure(settings, imap_account: ImapAccount, tenant: str = "") -> None:  # noqa: ANN001
    config = config_for(imap_account)
    settings.AMTSFLOW_INVOICE_MAILBOXES = [
        {"name": "rechnungen", "host": config.host, "port": config.port, "username": config.username,
         "password": config.password, "security": "none", "tenant": tenant, "timeout": 10}
    ]  # fmt: skip


def test_a_mail_to_the_tenant_mailbox_arrives_as_an_invoice(  # noqa: PLR0913
    settings, imap_account, tenant_a, invoice_setup, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    _configure(settings, imap_account, tenant=tenant_a.slug)
    raw = mail("Rechnung 4711", ("rechnung.xml", "application/xml", _xml("01.01a-INVOICE_ubl.xml")))
    append(imap_account, raw, mail("Nur ein Gruß"))
    with django_capture_on_commit_callbacks(execute=True):
        counts = mail_service.poll_all()
    assert counts == {"rechnungen": 2}
    assert len(contents(imap_account, "Verarbeitet")) == 2 and contents(imap_account, "INBOX") == []
    with tenant_scope(tenant_a):
        invoice_receipt = Receipt.objects.get(filename="rechnung.xml")
        assert invoice_receipt.state == ReceiptState.PROCESSED and invoice_receipt.channel == "mail"
        invoice = invoice_receipt.invoice
        assert invoice.validity == "accept"
        assert originals.read(invoice_receipt.mail_storage_name).replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")
        titles = set(Document.objects.filter(vorgang__public_id=invoice.case_id).values_list("title", flat=True))
        assert "Rechnung 4711" in titles  # the mail itself is filed in the invoice's case
        refused = Receipt.objects.get(state=ReceiptState.REFUSED)
        assert "no invoice" in refused.problem
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_service.poll_all() == {"rechnungen": 0}  # nothing is taken twice


def test_the_shared_mailbox_routes_by_leitweg_id(
    settings, imap_account, tenant_a, tenant_b, invoice_setup, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001, PLR0913
    _configure(settings, imap_account)
    # tenant_a's coarse address is 04011000 (see the tiefbau fixture); 99000000 belongs to nobody.
    known = _xml("01.01a-INVOICE_ubl.xml")
    unknown = _xml("01.07a-INVOICE_ubl.xml")
    assert b"04011000-" in known and b"04011000-" not in unknown
    append(imap_account, mail("Zwei Rechnungen", ("a.xml", "application/xml", known), ("b.xml", "text/xml", unknown)))
    with django_capture_on_commit_callbacks(execute=True):
        mail_service.poll_all()
    with tenant_scope(tenant_a):
        assert Invoice.objects.filter(filename="a.xml").exists()
    with tenant_scope(tenant_b):
        assert not Invoice.objects.exists()
    row = Intake.objects.get()
    assert row.state == IntakeState.CLEARING and row.filename == "b.xml" and row.buyer_reference
    with django_capture_on_commit_callbacks(execute=True):
        receipt = mail_service.assign_intake(operator_label="betrieb", intake_row=row, tenant=tenant_b)
    row.refresh_from_db()
    assert row.state == IntakeState.ROUTED and row.tenant == tenant_b
    with tenant_scope(tenant_b):
        assert Receipt.objects.get(pk=receipt.pk).filename == "b.xml"


def test_a_broken_mailbox_configuration_is_reported_not_fatal(settings, imap_account) -> None:  # noqa: ANN001
    _configure(settings, imap_account)
    settings.AMTSFLOW_INVOICE_MAILBOXES[0]["password"] = "falsch"
    assert mail_service.poll_all() == {"rechnungen": -1}


def test_operators_hand_clearing_files_to_a_municipality(
    tenant_b, login, admin_a, rules, document_root, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001, PLR0913
    from django.urls import reverse  # noqa: PLC0415

    content = _xml("01.07a-INVOICE_ubl.xml")
    sha256, name = originals.store(content)
    row = Intake.objects.create(
        sha256=sha256, storage_name=name, size=len(content), filename="b.xml", channel="mail",
        source="rechnungen: x@y.example", buyer_reference="99000000-05676-98", state=IntakeState.CLEARING,
    )  # fmt: skip
    member = login(admin_a)
    assert member.get(reverse("operator-einvoices:intake_list")).status_code == 404  # not an operator
    admin_a.user.is_operator = True
    admin_a.user.save()
    page = member.get(reverse("operator-einvoices:intake_list")).content.decode()
    assert "b.xml" in page and "99000000-05676-98" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(
            reverse("operator-einvoices:intake_assign", args=[row.public_id]), {"tenant": tenant_b.pk}
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == IntakeState.ROUTED and row.routed_by == admin_a.user.username


def test_operators_set_aside_clearing_files_with_a_reason_and_keep_them(
    tenant_b, login, admin_a, rules, document_root
) -> None:  # noqa: ANN001
    from django.urls import reverse  # noqa: PLC0415

    content = _xml("01.07a-INVOICE_ubl.xml")
    sha256, name = originals.store(content)
    row = Intake.objects.create(
        sha256=sha256, storage_name=name, size=len(content), filename="spam.xml", channel="mail",
        source="rechnungen: x@y.example", buyer_reference="99000000-05676-98", state=IntakeState.CLEARING,
    )  # fmt: skip
    discard = reverse("operator-einvoices:intake_discard", args=[row.public_id])
    member = login(admin_a)
    assert member.post(discard, {"reason": "Werbung"}).status_code == 404  # not an operator
    admin_a.user.is_operator = True
    admin_a.user.save()
    assert discard in member.get(reverse("operator-einvoices:intake_list")).content.decode()
    member.post(discard, {"reason": "   "})
    row.refresh_from_db()
    assert row.state == IntakeState.CLEARING  # a reason is required
    response = member.post(discard, {"reason": "Werbung, keine Rechnung"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.problem, row.routed_by) == (
        IntakeState.DISCARDED, "Werbung, keine Rechnung", admin_a.user.username,
    )  # fmt: skip
    assert originals.read(row.storage_name) == content
    member.post(reverse("operator-einvoices:intake_assign", args=[row.public_id]), {"tenant": tenant_b.pk})
    row.refresh_from_db()
    assert row.state == IntakeState.DISCARDED  # no longer in clearing: not handed over afterwards
    listed = member.get(reverse("operator-einvoices:intake_list"), {"state": "discarded"}).content.decode()
    assert "spam.xml" in listed and "Werbung, keine Rechnung" in listed


def test_a_bad_attachment_does_not_hold_up_the_others(  # noqa: PLR0913
    settings, imap_account, tenant_a, invoice_setup, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    _configure(settings, imap_account, tenant=tenant_a.slug)
    settings.AMTSFLOW_EINVOICE_MAX_BYTES = 200_000
    raw = mail(
        "Rechnungen",
        ("gut.xml", "application/xml", _xml("01.01a-INVOICE_ubl.xml")),
        ("riesig.xml", "application/xml", b"<a>" + b"x" * 300_000 + b"</a>"),
    )
    append(imap_account, raw)
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_service.poll_all() == {"rechnungen": 1}
    assert len(contents(imap_account, "Verarbeitet")) == 1
    with tenant_scope(tenant_a):
        assert Receipt.objects.get(filename="gut.xml").state == ReceiptState.PROCESSED
        big = Receipt.objects.get(filename="riesig.xml")
        assert big.state == ReceiptState.REFUSED and "larger than" in big.problem
        assert originals.read(big.storage_name).startswith(b"<a>xxx")  # kept all the same


def test_a_mailbox_is_polled_by_one_worker_at_a_time(settings, imap_account) -> None:  # noqa: ANN001
    import threading  # noqa: PLC0415

    from django.db import connections  # noqa: PLC0415

    _configure(settings, imap_account)
    append(imap_account, mail("Warten"))
    held, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with mail_service._mailbox_lock("rechnungen") as locked:  # noqa: SLF001
                assert locked
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(10)
        assert mail_service.poll_all() == {}  # skipped while the other worker polls
    finally:
        release.set()
        thread.join()
    assert mail_service.poll_all() == {"rechnungen": 1}

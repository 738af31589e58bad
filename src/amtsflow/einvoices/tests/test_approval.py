"""The approval of received invoices by the process "Rechnungseingang": factual check with coding, arithmetic
check by a second person (four-eyes in service, UI and API), approval limits from the DMN, release by the
treasury, rejection with a mail to the supplier, invalid invoices, deadlines, the booking export at the end."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from SpiffWorkflow.util.task import TaskState as SpiffState

from amtsflow.core.exceptions import Conflict
from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices.demo import deploy_invoice_process, library_files
from amtsflow.einvoices.models import BookingBatch, Decision, Invoice, InvoiceState, Receipt, Validity
from amtsflow.einvoices.services import approval, clearing, export, intake, processing, routing
from amtsflow.einvoices.tests.conftest import STANDARD
from amtsflow.files import selectors as files_selectors
from amtsflow.processes import selectors as process_selectors
from amtsflow.processes import services as process_services
from amtsflow.processes.clock import tick_all_tenants
from amtsflow.processes.constants import InstanceStatus, TaskState
from amtsflow.processes.engine import runtime
from amtsflow.processes.models import ProcessInstance, Task
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db

FACTUAL, ARITHMETIC = "Sachlich prüfen und kontieren", "Rechnerisch prüfen"
HEAD_APPROVAL, TREASURY_APPROVAL = "Genehmigung Amtsleitung", "Genehmigung Kämmerei"
RELEASE, INVALID = "Zahlung anordnen", "Ungültige Rechnung: weiter oder ablehnen"
CODING = {"entscheidung": "richtig", "kostenstelle": "6600", "produkt": "54.10.01", "sachkonto": "52110000"}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def owner(tenant_a, make_member, actor_for) -> Actor:  # noqa: ANN001
    return actor_for(make_member(tenant_a, Role.PROCESS_OWNER))


@pytest.fixture
def invoice_model(tenant_a, invoice_setup, owner):  # noqa: ANN001, ANN201
    with tenant_scope(tenant_a):
        return deploy_invoice_process(owner)


@pytest.fixture
def people(tenant_a, tiefbau, make_member, actor_for, invoice_clerk, treasurer):  # noqa: ANN001, ANN201
    """Two clerks of the unit, its head of department, two treasury members."""

    class People:
        clerk = invoice_clerk
        clerk2 = actor_for(make_member(tenant_a, Role.CLERK, org_unit=tiefbau))
        head = actor_for(make_member(tenant_a, Role.HEAD_OF_DEPARTMENT, org_unit=tiefbau))
        treasury = treasurer
        treasury2 = actor_for(make_member(tenant_a, Role.TREASURY))

    return People


def receive(actor: Actor, name: str, committed, channel: str = "api") -> Invoice:  # noqa: ANN001
    """Received through the API (routed by Leitweg-ID) or uploaded by a clerk (taken into the clerk's unit)."""
    require_shared("xrechnung", "testsuite")
    incoming = intake.IncomingFile(name, (STANDARD / name).read_bytes())
    with committed():
        (receipt,) = intake.receive(actor=actor, files=[incoming], channel=channel)
    receipt = Receipt.objects.get(pk=receipt.pk)
    assert receipt.invoice is not None, receipt.problem
    return Invoice.objects.get(pk=receipt.invoice.pk)


def announce_again(invoice: Invoice, committed, **changes: object) -> Invoice:  # noqa: ANN001
    """The invoice with changed facts announced (again): starts the process with them."""
    for name, value in changes.items():
        setattr(invoice, name, value)
    invoice.save()
    with committed():
        processing.announce(Actor.for_system(invoice.tenant, processing.SYSTEM_NAME), invoice)
    invoice.refresh_from_db()
    return invoice


def open_task(invoice: Invoice, name: str | None = None) -> Task:
    tasks = Task.objects.filter(instance__public_id=invoice.process_instance_id, state=TaskState.OPEN)
    if name is not None:
        tasks = tasks.filter(name=name)
    return tasks.get()


def complete(actor: Actor, invoice: Invoice, name: str, committed, **data: str) -> Invoice:  # noqa: ANN001
    with committed():
        process_services.complete_task(actor=actor, task=open_task(invoice, name), data=data)
    invoice.refresh_from_db()
    return invoice


def inbox(actor: Actor) -> list[str]:
    return list(process_selectors.list_tasks(actor=actor).filter(state=TaskState.OPEN).values_list("name", flat=True))


@pytest.fixture
def routed(tenant_a, invoice_setup, treasurer):  # noqa: ANN001, ANN201
    with tenant_scope(tenant_a):
        routing.save_route(actor=treasurer, leitweg_id="04011000", org_unit=invoice_setup)


def test_an_invoice_travels_from_receipt_through_four_eyes_and_approval_to_the_export(  # noqa: PLR0915
    tenant_a, invoice_model, routed, people, committed, login, api_client_for, admin_a
) -> None:
    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.09a-INVOICE_ubl.xml", committed)  # 7 197.12 EUR gross
        assert invoice.validity == Validity.ACCEPT
        assert invoice.state == InvoiceState.IN_APPROVAL
        instance = ProcessInstance.objects.get(public_id=invoice.process_instance_id)
        assert str(instance.case_id) == invoice.case_id
        factual = open_task(invoice, FACTUAL)
        assert factual.due_at is not None
        assert FACTUAL in inbox(people.clerk) and FACTUAL in inbox(people.clerk2)
        assert FACTUAL not in inbox(people.treasury2)  # another unit

        invoice = complete(people.clerk, invoice, FACTUAL, committed, **CODING)
        [line] = invoice.coding_lines.all()
        assert (line.cost_centre, line.product, line.account, line.net_amount) == (
            "6600", "54.10.01", "52110000", invoice.net_total,
        )  # fmt: skip
        arithmetic = open_task(invoice, ARITHMETIC)
        section = render_to_string(
            "einvoices/partials/approval.html",
            {"approval": approval.overview(actor=people.clerk, invoice=invoice), "invoice": invoice,
             "current_tenant": tenant_a},
        )  # fmt: skip
        assert str(arithmetic.public_id) in section and "52110000" in section and "<caption" in section
        assert "Four-eyes principle" in section

        # four-eyes: whoever checked factually does not see, claim or complete the arithmetic check
        assert ARITHMETIC not in inbox(people.clerk)
        assert ARITHMETIC in inbox(people.clerk2)
        with pytest.raises(Conflict, match="Four-eyes"):
            process_services.complete_task(actor=people.clerk, task=arithmetic, data={"entscheidung": "richtig"})
        with pytest.raises(Conflict, match="Four-eyes"):
            process_services.claim_task(actor=people.clerk, task=arithmetic)
    page = reverse("processes:task_detail", kwargs={"tenant_slug": tenant_a.slug, "task_id": arithmetic.public_id})
    # the task page says so before the clerk fills anything in, and offers no claim or completion
    shown = login(people.clerk.membership).get(page).content.decode()
    assert 'id="four-eyes-notice"' in shown and "Four-eyes principle" in shown
    claim = reverse("processes:task_claim", kwargs={"tenant_slug": tenant_a.slug, "task_id": arithmetic.public_id})
    assert 'id="form-heading"' not in shown and claim not in shown
    shown = login(people.clerk2.membership).get(page).content.decode()
    assert 'id="four-eyes-notice"' not in shown and 'id="form-heading"' in shown
    response = login(people.clerk.membership).post(page, {"entscheidung": "richtig"})
    assert response.status_code == 409
    assert "Four-eyes" in response.content.decode()
    with tenant_scope(tenant_a):
        assert open_task(invoice, ARITHMETIC).pk == arithmetic.pk

        invoice = complete(people.clerk2, invoice, ARITHMETIC, committed, entscheidung="richtig")
        approval_task = open_task(invoice, HEAD_APPROVAL)  # above 5 000 EUR
        assert approval_task.assignee == people.head.membership
        invoice = complete(people.head, invoice, HEAD_APPROVAL, committed, entscheidung="genehmigt")
        assert RELEASE in inbox(people.treasury)
        invoice = complete(people.treasury, invoice, RELEASE, committed, entscheidung="anordnen")
        assert invoice.state == InvoiceState.RELEASED and invoice.released_at is not None
        steps = [(d.step, d.membership) for d in invoice.decisions.all()]
        assert steps == [
            (Decision.Step.FACTUAL, people.clerk.membership),
            (Decision.Step.ARITHMETIC, people.clerk2.membership),
            (Decision.Step.APPROVAL, people.head.membership),
            (Decision.Step.RELEASE, people.treasury.membership),
        ]
        assert ProcessInstance.objects.get(pk=instance.pk).status == InstanceStatus.COMPLETED
        shown = approval.overview(actor=people.clerk, invoice=invoice)
        assert len(shown.decisions) == 4 and not shown.open_steps and not shown.can_code

        # booking export
        batch = export.create_batch(actor=people.treasury)
        invoice.refresh_from_db()
        assert invoice.state == InvoiceState.EXPORTED and invoice.booking_batch == batch
        rows = list(csv.DictReader(io.StringIO(export.batch_file(batch, "csv").decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == 1
        row = rows[0]
        assert row["invoice_number"] == invoice.number
        assert row["creditor_vat_id"] == invoice.seller_vat_id
        assert row["net"] == "6048,00" and row["gross"] == "7197,12"
        assert (row["cost_centre"], row["product"], row["account"]) == ("6600", "54.10.01", "52110000")
        assert row["iban"] == invoice.iban and row["case_reference"] == invoice.case_label
        data = json.loads(export.batch_file(batch, "json"))
        assert data["batch"]["number"] == batch.number
        [entry] = data["invoices"]
        assert entry["invoice_number"] == invoice.number and entry["totals"]["gross"] == "7197.12"
        assert entry["coding"][0]["account"] == "52110000"
        with pytest.raises(Conflict, match="nothing to export"):
            export.create_batch(actor=people.treasury)
        assert BookingBatch.objects.count() == 1
    # re-download through the UI and the API
    client = login(people.treasury.membership)
    url = reverse("einvoices:batch_csv", kwargs={"tenant_slug": tenant_a.slug, "batch_id": batch.public_id})
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(
        b"\xef\xbb\xbf"
    )
    api = api_client_for(admin_a, scopes=["einvoices.read", "einvoices.admin"])
    response = api.get(reverse("einvoices-api:booking-batch-json", kwargs={"id": batch.public_id}))
    assert response.status_code == 200
    with tenant_scope(tenant_a):
        batch.refresh_from_db()
        assert batch.download_count == 2


def test_the_arithmetic_check_through_the_api_refuses_the_same_client(
    tenant_a, invoice_model, routed, people, committed, api_client_for, admin_a
) -> None:
    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.01a-INVOICE_ubl.xml", committed)
    api = api_client_for(admin_a)

    def complete_via_api(task: Task, data: dict) -> object:
        with committed():
            return api.post(
                reverse("processes-api:task-complete", kwargs={"id": task.public_id}), {"data": data}, format="json"
            )

    with tenant_scope(tenant_a):
        factual = open_task(invoice, FACTUAL)
    assert complete_via_api(factual, CODING).status_code == 200
    with tenant_scope(tenant_a):
        arithmetic = open_task(invoice, ARITHMETIC)
    response = complete_via_api(arithmetic, {"entscheidung": "richtig"})
    assert response.status_code == 409
    assert "Four-eyes" in response.json()["detail"]
    with tenant_scope(tenant_a):
        invoice = complete(people.clerk, invoice, ARITHMETIC, committed, entscheidung="richtig")
        # up to 5 000 EUR no approval: straight to the treasury
        assert open_task(invoice).name == RELEASE
        decision = invoice.decisions.get(step=Decision.Step.FACTUAL)
        assert decision.membership is None and decision.actor_label.startswith("api-client:")


def test_rejection_mails_the_reason_to_the_supplier(tenant_a, invoice_model, routed, people, committed) -> None:
    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.01a-INVOICE_ubl.xml", committed)
        # a rejection without reason is sent back to the same task
        invoice = complete(people.clerk, invoice, FACTUAL, committed, entscheidung="ablehnen")
        assert invoice.state == InvoiceState.IN_APPROVAL
        invoice = complete(
            people.clerk, invoice, FACTUAL, committed, entscheidung="ablehnen", begruendung="Leistung nicht erbracht."
        )
        assert invoice.state == InvoiceState.REJECTED
        assert invoice.rejection_reason == "Leistung nicht erbracht."
        rejection = invoice.decisions.get(step=Decision.Step.REJECTION)
        assert rejection.membership == people.clerk.membership
        assert not Task.objects.filter(instance__public_id=invoice.process_instance_id, state=TaskState.OPEN)
    [message] = mail.outbox
    assert message.to == [invoice.seller_email]
    assert invoice.number in message.subject
    assert "Leistung nicht erbracht." in message.body


@pytest.mark.parametrize("failing", ["mail server", "filing"])
def test_a_failed_rejection_step_is_retried_without_a_second_mail(  # noqa: PLR0913
    tenant_a, invoice_model, routed, people, owner, committed, monkeypatch, failing
) -> None:
    """Filed first, sent last: when the mail server refuses or the filing fails, nothing is filed or sent, the
    invoice is not rejected and the step waits as an incident; the retry files and sends exactly once."""
    from django.core.mail import EmailMessage  # noqa: PLC0415

    from amtsflow.processes.models import Incident  # noqa: PLC0415

    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError(f"{failing} down")

    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.01a-INVOICE_ubl.xml", committed)
        with monkeypatch.context() as patched:
            if failing == "mail server":
                patched.setattr(EmailMessage, "send", broken)
            else:
                patched.setattr(approval.files_services, "file_document", broken)
            invoice = complete(
                people.clerk, invoice, FACTUAL, committed, entscheidung="ablehnen", begruendung="Leistung fehlt."
            )
        assert invoice.state == InvoiceState.IN_APPROVAL
        incident = Incident.objects.get(instance__public_id=invoice.process_instance_id)
        assert f"{failing} down" in incident.error
        case = files_selectors.get_vorgang(actor=people.clerk, public_id=invoice.case_id)
        assert not case.documents.filter(versions__filename="ablehnung.eml").exists()
        assert not mail.outbox

        with committed():
            process_services.retry_incident(actor=owner, incident=incident)
        invoice.refresh_from_db()
        assert invoice.state == InvoiceState.REJECTED
        assert case.documents.filter(versions__filename="ablehnung.eml").count() == 1
    assert len(mail.outbox) == 1


def test_rejection_without_supplier_address_is_recorded_and_said_on_the_task(
    tenant_a, invoice_model, routed, people, committed
) -> None:
    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.02a-INVOICE_ubl.xml", committed)
        Invoice.objects.filter(pk=invoice.pk).update(seller_email="")
        ProcessInstance.objects.filter(public_id=invoice.process_instance_id).delete()
        invoice = announce_again(Invoice.objects.get(pk=invoice.pk), committed)
        task = open_task(invoice, FACTUAL)
        assert "not sent" in process_services.task_variables(task)["ablehnung_hinweis"]
        assert approval.overview(actor=people.clerk, invoice=invoice).no_mail_notice
        invoice = complete(
            people.clerk, invoice, FACTUAL, committed, entscheidung="ablehnen", begruendung="Doppelt berechnet."
        )
        assert invoice.state == InvoiceState.REJECTED
    assert not mail.outbox


def test_an_invalid_invoice_goes_to_the_treasury_first(tenant_a, invoice_model, routed, people, committed) -> None:
    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.03a-INVOICE_ubl.xml", committed)
        ProcessInstance.objects.filter(public_id=invoice.process_instance_id).delete()
        invoice = announce_again(invoice, committed, validity=Validity.REJECT)
        assert open_task(invoice).name == INVALID
        assert INVALID in inbox(people.treasury) and INVALID not in inbox(people.clerk)
        invoice = complete(
            people.treasury, invoice, INVALID, committed, entscheidung="fortsetzen", begruendung="Formfehler egal."
        )
        assert open_task(invoice).name == FACTUAL
        assert invoice.decisions.get().step == Decision.Step.APPROVAL

        other = receive(people.clerk, "01.04a-INVOICE_ubl.xml", committed)
        ProcessInstance.objects.filter(public_id=other.process_instance_id).delete()
        other = announce_again(other, committed, validity=Validity.REJECT)
        other = complete(
            people.treasury, other, INVALID, committed, entscheidung="ablehnen", begruendung="Kein XRechnung-Format."
        )
        assert other.state == InvoiceState.REJECTED
    assert "Kein XRechnung-Format." in mail.outbox[0].body


def test_the_coding_is_checked_against_the_net_total_and_split_by_vat_rate(
    tenant_a, invoice_model, routed, people, committed
) -> None:
    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "02.01a-INVOICE_ubl.xml", committed, channel="upload")  # two VAT rates
        invoice = complete(people.clerk, invoice, FACTUAL, committed, entscheidung="richtig")
        task = open_task(invoice, FACTUAL)  # no coding: back to the factual check with a hint
        assert "no coding" in process_services.task_variables(task)["kontierung_hinweis"]
        invoice = complete(people.clerk, invoice, FACTUAL, committed, **CODING)
        lines = list(invoice.coding_lines.all())
        assert len(lines) == 2 and sum(line.net_amount for line in lines) == invoice.net_total
        assert {line.vat_rate for line in lines} == {Decimal(e["rate"]) for e in invoice.data["vat_breakdown"]}
        assert open_task(invoice).name == ARITHMETIC


def test_skonto_deadline_drives_reminder_and_escalation(tenant_a, invoice_model, routed, people, committed) -> None:
    skonto = timezone.localdate() + dt.timedelta(days=10)
    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.10a-INVOICE_ubl.xml", committed)
        ProcessInstance.objects.filter(public_id=invoice.process_instance_id).delete()
        invoice = announce_again(invoice, committed, skonto_until=skonto, skonto_amount=Decimal("50.00"))
        task = open_task(invoice, FACTUAL)
        assert timezone.localdate(task.due_at) == skonto - dt.timedelta(days=3)
        assert FACTUAL not in inbox(people.head) or task.org_unit_id == people.head.membership.org_unit_id
    with time_machine.travel(task.due_at + dt.timedelta(hours=1), tick=False), committed():
        assert tick_all_tenants()["reminders"] == 1
    reminders = [m for m in mail.outbox if FACTUAL in m.subject]
    assert reminders and people.clerk.user.email in reminders[0].to
    escalation_day = timezone.make_aware(dt.datetime.combine(skonto, dt.time(9, 0)))
    with time_machine.travel(escalation_day, tick=False), committed():
        tick_all_tenants()
    with tenant_scope(tenant_a):
        task.refresh_from_db()
        assert task.escalated and task.state == TaskState.OPEN
        assert "head_of_department" in task.candidate_groups


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(5000.00, "keine"), (5000.01, "amtsleitung"), (25000.00, "amtsleitung"), (25000.01, "amtsleitung_kaemmerei")],
)
def test_approval_limits(amount: float, expected: str) -> None:
    """The decision table as the platform evaluates it (safe DMN engine), at both boundaries."""
    bpmn, dmn = library_files()
    workflow = runtime.new_workflow(process_services.check_model(bpmn, dmn), {"betrag": amount})
    rule_task = workflow.spec.task_specs["Freigabegrenze_ermitteln"]
    [start] = workflow.get_tasks(state=SpiffState.READY)
    rule_task._run_hook(start)  # noqa: SLF001 - runs only the decision, with the start data
    assert start.data["genehmigung"] == expected


def test_large_invoices_need_the_treasury_approval_by_another_person(
    tenant_a, invoice_model, routed, people, committed
) -> None:
    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.13a-INVOICE_ubl.xml", committed)
        ProcessInstance.objects.filter(public_id=invoice.process_instance_id).delete()
        invoice = announce_again(invoice, committed, gross_total=Decimal("25000.01"))
        invoice = complete(people.clerk, invoice, FACTUAL, committed, **CODING)
        invoice = complete(people.clerk2, invoice, ARITHMETIC, committed, entscheidung="richtig")
        invoice = complete(people.head, invoice, HEAD_APPROVAL, committed, entscheidung="genehmigt")
        invoice = complete(people.treasury, invoice, TREASURY_APPROVAL, committed, entscheidung="genehmigt")
        with pytest.raises(Conflict, match="Four-eyes"):
            complete(people.treasury, invoice, RELEASE, committed, entscheidung="anordnen")
        invoice = complete(people.treasury2, invoice, RELEASE, committed, entscheidung="anordnen")
        assert invoice.state == InvoiceState.RELEASED
        assert [d.step for d in invoice.decisions.all()].count(Decision.Step.APPROVAL) == 2


def test_the_model_refuses_separation_rules_naming_unknown_tasks() -> None:
    bpmn, dmn = library_files()
    rule = b'name="amtsflow:notCompletedBy" value="Sachlich_pruefen"'
    assert rule in bpmn
    broken = bpmn.replace(rule, b'name="amtsflow:notCompletedBy" value="Gibt_es_nicht"', 1)
    with pytest.raises(Exception, match="Gibt_es_nicht"):
        process_services.check_model(broken, dmn)


def test_deploying_twice_changes_nothing(tenant_a, invoice_model, owner) -> None:
    with tenant_scope(tenant_a):
        again = deploy_invoice_process(owner)
        assert again.pk == invoice_model.pk and again.versions.count() == 1
        assert again.start_event == processing.INVOICE_RECEIVED.name


def test_the_coding_editor_splits_the_net_total(
    tenant_a, invoice_model, routed, people, committed, login, make_member
) -> None:
    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.01a-INVOICE_ubl.xml", committed)  # 314.86 net
    url = reverse("einvoices:coding_edit", kwargs={"tenant_slug": tenant_a.slug, "invoice_id": invoice.public_id})
    client = login(people.clerk.membership)
    assert client.get(url).status_code == 200
    form = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0"}
    line = {"cost_centre": "6600", "product": "54.10.01", "account": "52110000", "vat_rate": "19"}
    split = {**{f"form-0-{k}": v for k, v in line.items()}, **{f"form-1-{k}": v for k, v in line.items()}}
    wrong = client.post(url, {**form, **split, "form-0-net_amount": "300.00", "form-1-net_amount": "10.00"})
    assert wrong.status_code == 400 and "314.86" in wrong.content.decode()
    right = client.post(url, {**form, **split, "form-0-net_amount": "300.00", "form-1-net_amount": "14.86"})
    assert right.status_code == 302
    assert login(make_member(tenant_a, Role.CLERK)).get(url).status_code == 403  # a clerk of no/another unit
    with tenant_scope(tenant_a):
        assert [line.net_amount for line in invoice.coding_lines.all()] == [Decimal("300.00"), Decimal("14.86")]
        invoice = complete(people.clerk, invoice, FACTUAL, committed, entscheidung="richtig")  # keeps the split
        assert invoice.coding_lines.count() == 2
        assert open_task(invoice).name == ARITHMETIC
    assert client.get(url).status_code == 403  # attested by the factual check


def test_reminders_skip_whoever_the_four_eyes_rule_bars(tenant_a, invoice_model, routed, people, committed) -> None:
    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.10a-INVOICE_ubl.xml", committed)
        invoice = complete(people.clerk, invoice, FACTUAL, committed, **CODING)
        task = open_task(invoice, ARITHMETIC)
        from amtsflow.processes.services.reminders import people_for  # noqa: PLC0415

        offered = {m.pk for m in people_for(task)}
        assert people.clerk.membership.pk not in offered
        assert offered  # someone else of the unit still gets it


def test_only_the_approving_instance_may_decide_release_or_reject(
    tenant_a, invoice_model, routed, people, committed
) -> None:  # noqa: ANN001, E501
    """A second model calling the invoice connectors cannot release or reject an invoice it did not take over."""
    from amtsflow.einvoices.services.approval import StepFailed, record_decision, reject, release, take_over  # noqa: PLC0415

    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.10a-INVOICE_ubl.xml", committed)
        assert invoice.process_instance_id
        system = Actor.for_system(tenant_a, "process:fremd")
        foreign = "00000000-0000-0000-0000-000000000001"
        for step in (
            lambda: release(actor=system, invoice_id=str(invoice.public_id), instance_id=foreign),
            lambda: reject(actor=system, invoice_id=str(invoice.public_id), instance_id=foreign, reason="x"),
            lambda: record_decision(
                actor=system, invoice_id=str(invoice.public_id), instance_id=foreign, step="approval"
            ),
            lambda: take_over(invoice_id=str(invoice.public_id), instance_id=foreign),  # the first one still runs
        ):
            with pytest.raises(StepFailed):
                step()
        invoice.refresh_from_db()
        assert invoice.state == InvoiceState.IN_APPROVAL and not invoice.decisions.exists()


def test_invoices_received_before_the_model_was_deployed_can_start_their_approval(  # noqa: PLR0913
    tenant_a, invoice_setup, owner, routed, people, committed, login, treasurer_member, api_client_for, admin_a
) -> None:
    from django.urls import reverse  # noqa: PLC0415

    with tenant_scope(tenant_a):
        first = receive(people.clerk, "01.10a-INVOICE_ubl.xml", committed)
        second = receive(people.clerk, "01.11a-INVOICE_ubl.xml", committed)
        assert first.state == second.state == InvoiceState.RECEIVED and not first.process_instance_id
        deploy_invoice_process(owner)
    client = login(treasurer_member)
    page = reverse("einvoices:invoice_detail", kwargs={"tenant_slug": tenant_a.slug, "invoice_id": first.public_id})
    assert "Start the approval" in client.get(page).content.decode()
    start = reverse(
        "einvoices:invoice_start_approval", kwargs={"tenant_slug": tenant_a.slug, "invoice_id": first.public_id}
    )
    with committed():
        assert client.post(start).status_code == 302
    api = api_client_for(admin_a)
    with committed():
        response = api.post(f"/api/v1/invoices/{second.public_id}/start-approval/")
    assert response.status_code == 200, response.content
    with tenant_scope(tenant_a):
        for invoice in (first, second):
            invoice.refresh_from_db()
            assert invoice.state == InvoiceState.IN_APPROVAL and invoice.process_instance_id
    assert api.post(f"/api/v1/invoices/{second.public_id}/start-approval/").status_code == 409  # only once


def test_an_invoice_whose_approval_was_cancelled_can_start_it_again(  # noqa: PLR0913
    tenant_a, invoice_model, routed, people, owner, committed, login, treasurer_member
) -> None:
    from django.urls import reverse  # noqa: PLC0415

    with tenant_scope(tenant_a):
        invoice = receive(people.clerk, "01.01a-INVOICE_ubl.xml", committed)
        first_instance = invoice.process_instance_id
        assert not clearing.approval_can_start(invoice)  # running: no second start
        instance = process_selectors.get_instance(actor=owner, public_id=first_instance)
        process_services.cancel_instance(actor=owner, instance=instance, reason="Modell wird überarbeitet")
        invoice.refresh_from_db()
        assert invoice.state == InvoiceState.IN_APPROVAL and clearing.approval_stopped(invoice)
    client = login(treasurer_member)
    page = reverse("einvoices:invoice_detail", kwargs={"tenant_slug": tenant_a.slug, "invoice_id": invoice.public_id})
    shown = client.get(page).content.decode()
    assert "was cancelled before the invoice was released or rejected" in shown and "Start the approval" in shown
    start = reverse(
        "einvoices:invoice_start_approval", kwargs={"tenant_slug": tenant_a.slug, "invoice_id": invoice.public_id}
    )
    with committed():
        assert client.post(start).status_code == 302
    with tenant_scope(tenant_a):
        invoice.refresh_from_db()
        assert invoice.state == InvoiceState.IN_APPROVAL
        assert invoice.process_instance_id not in ("", first_instance)
        assert open_task(invoice, FACTUAL)
        assert not clearing.approval_stopped(invoice) and not clearing.approval_can_start(invoice)
    assert "was cancelled" not in client.get(page).content.decode()

"""The approval of an invoice as the process "Rechnungseingang" drives it: taken over, decisions recorded
(who, when, comment), released for payment or rejected with a mail to the supplier; and what the invoice page
shows of it.

The connectors call these functions as the platform; the person behind a decision is whoever completed the user
task the engine has just left. Every function may run again for the same step (the engine retries failed
connector calls) without doing its work twice.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsflow.audit import services as audit
from amtsflow.einvoices.models import CodingLine, Decision, Invoice, InvoiceState
from amtsflow.einvoices.services import clearing, coding
from amtsflow.files import selectors as files_selectors
from amtsflow.files import services as files_services
from amtsflow.files.constants import Direction
from amtsflow.processes import selectors as process_selectors
from amtsflow.processes import services as process_services
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.constants import Role
from amtsflow.tenants.models import Membership, OrgUnit

if TYPE_CHECKING:
    from amtsflow.processes.models import Task

REMINDER_LEAD = dt.timedelta(days=3)  # tasks are due this long before the cash discount or due date ends
ESCALATION_LEAD = dt.timedelta(days=1)  # the head of department is called in this long before
DEFAULT_TERM = dt.timedelta(days=14)  # invoices naming neither


class StepFailed(Exception):
    """The step cannot be done (e.g. the invoice is gone); the connector turns it into an incident."""


def _locked(invoice_id: str, instance_id: str | None = None) -> Invoice:
    """The invoice, locked; with `instance_id` only if that process instance runs its approval, so no other
    model can record decisions on, release or reject an invoice it did not take over."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",)).select_related("org_unit").filter(public_id=invoice_id).first()
    )
    if invoice is None:
        raise StepFailed(f"invoice {invoice_id} not found")
    if instance_id is not None and invoice.process_instance_id != instance_id:
        raise StepFailed(f"invoice {invoice_id} is approved by another process instance")
    return invoice


def deadline(invoice: Invoice, today: dt.date) -> dt.date:
    """The date that matters: the cash discount deadline while it can still be reached, else the due date."""
    if invoice.skonto_until and invoice.skonto_until >= today:
        return invoice.skonto_until
    return invoice.due_date or today + DEFAULT_TERM


def _head_of(unit: OrgUnit | None) -> str:
    """User name of a head of department of the unit or the nearest unit above it; "" if there is none."""
    while unit is not None:
        head = (
            Membership.objects.filter(org_unit=unit, is_active=True, role_assignments__role=Role.HEAD_OF_DEPARTMENT)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if head is not None:
            return head.user.get_username()
        unit = unit.parent
    return ""


def no_mail_notice(invoice: Invoice) -> str:
    if invoice.seller_email:
        return ""
    return _("The invoice names no e-mail address of the supplier: a rejection is recorded but not sent.")


@transaction.atomic
def take_over(*, invoice_id: str, instance_id: str) -> dict[str, Any]:
    """Process start: the invoice is in approval; returns what the model's tasks need (unit, deadlines)."""
    invoice = _locked(invoice_id)
    if invoice.process_instance_id != instance_id:
        if invoice.state not in (InvoiceState.RECEIVED, InvoiceState.IN_APPROVAL):
            raise StepFailed(f"invoice {invoice_id} is {invoice.state}; its approval is over")
        if process_selectors.is_running(invoice.process_instance_id):
            raise StepFailed(f"invoice {invoice_id} is already in the approval of another process instance")
    if invoice.state == InvoiceState.RECEIVED:
        invoice.state = InvoiceState.IN_APPROVAL
    invoice.process_instance_id = instance_id
    invoice.save(update_fields=["state", "process_instance_id", "updated_at"])
    now = timezone.now()
    due = deadline(invoice, timezone.localdate(now))
    escalation = timezone.make_aware(dt.datetime.combine(due - ESCALATION_LEAD, dt.time(8, 0)))
    unit = invoice.org_unit
    return {
        "einheit": f"unit:{unit.code or unit.name}" if unit else "",
        "amtsleitung": _head_of(unit),
        "lieferant_email": invoice.seller_email,
        "ablehnung_hinweis": no_mail_notice(invoice),
        "bearbeiten_bis": max(due - REMINDER_LEAD, timezone.localdate(now)).isoformat(),
        "eskalation_am": escalation.astimezone(dt.UTC).isoformat(),
    }


def _decide(invoice: Invoice, step: str, comment: str, instance_id: str) -> Decision:
    """One Decision per task completion: a retry of the same step finds the one already written."""
    who = process_selectors.last_completion(instance_id)
    since = who.at if who else None
    existing = invoice.decisions.filter(step=step)
    if since is not None:
        existing = existing.filter(decided_at__gte=since, membership=who.membership, actor_label=who.label[:150])
    found = existing.order_by("-decided_at").first()
    if found is not None and (since is not None or found.comment == comment):
        return found
    return Decision.objects.create(
        tenant=invoice.tenant,
        invoice=invoice,
        step=step,
        membership=who.membership if who else None,
        actor_label=(who.label if who else "—")[:150],
        comment=(comment or "").strip(),
    )


@transaction.atomic
def record_decision(*, actor: Actor, invoice_id: str, instance_id: str, step: str, comment: str = "") -> Decision:
    if step not in Decision.Step.values:
        raise StepFailed(f"unknown step {step!r}")
    invoice = _locked(invoice_id, instance_id)
    decision = _decide(invoice, step, comment, instance_id)
    audit.record(actor=actor, action=f"invoice.decision.{step}", obj=invoice, details={"by": decision.actor_label})
    return decision


@transaction.atomic
def record_factual_check(
    *, actor: Actor, invoice_id: str, instance_id: str, cost_centre: str, product: str, account: str, comment: str
) -> str:
    """The factual check with its coding; returns why the coding is incomplete ("" when it was recorded)."""
    invoice = _locked(invoice_id, instance_id)
    hint = coding.code_from_task(
        actor=actor, invoice=invoice, cost_centre=cost_centre, product=product, account=account
    )
    if not hint:
        _decide(invoice, Decision.Step.FACTUAL, comment, instance_id)
    return hint


@transaction.atomic
def release(*, actor: Actor, invoice_id: str, instance_id: str, comment: str = "") -> Invoice:
    """Anordnung: released for payment; the next booking export takes the invoice."""
    invoice = _locked(invoice_id, instance_id)
    if invoice.state == InvoiceState.IN_APPROVAL:
        decision = _decide(invoice, Decision.Step.RELEASE, comment, instance_id)
        invoice.state, invoice.released_at = InvoiceState.RELEASED, timezone.now()
        invoice.save(update_fields=["state", "released_at", "updated_at"])
        audit.record(actor=actor, action="invoice.released", obj=invoice, details={"by": decision.actor_label})
    return invoice


@transaction.atomic
def reject(*, actor: Actor, invoice_id: str, instance_id: str, reason: str) -> bool:
    """Rejected with the reason; the supplier gets it by mail (filed in the case) if an address is known.
    Returns whether a mail went out."""
    invoice = _locked(invoice_id, instance_id)
    if invoice.state == InvoiceState.REJECTED:
        return bool(invoice.seller_email)
    if invoice.state != InvoiceState.IN_APPROVAL:
        raise StepFailed(f"invoice {invoice_id} is {invoice.state}; only invoices in approval can be rejected")
    decision = _decide(invoice, Decision.Step.REJECTION, reason, instance_id)
    invoice.state, invoice.rejection_reason = InvoiceState.REJECTED, reason.strip()
    invoice.save(update_fields=["state", "rejection_reason", "updated_at"])
    mailed = bool(invoice.seller_email)
    audit.record(
        actor=actor,
        action="invoice.rejected",
        obj=invoice,
        details={"by": decision.actor_label, "reason": invoice.rejection_reason, "mailed": mailed},
    )
    if mailed:
        _mail_rejection(actor, invoice, key=f"{instance_id}:rejection")  # last: nothing after it can fail
    return mailed


def _mail_rejection(actor: Actor, invoice: Invoice, *, key: str) -> None:
    context = {"invoice": invoice, "tenant": invoice.tenant, "reason": invoice.rejection_reason}
    message = EmailMessage(
        subject=_("Your invoice %(number)s was rejected") % {"number": invoice.number or invoice.filename},
        body=render_to_string("einvoices/mail/rejection.txt", context),
        to=[invoice.seller_email],
        headers={"X-Amtsflow-Key": key},
    )
    mime = message.message()
    # Filed first, sent last: a failing filing rolls the step back before anything left the house, and a
    # failing send (an OSError: the step becomes an incident and is retried) rolls the filing back with it.
    if invoice.case_id:
        files_services.file_document(
            actor=actor,
            vorgang=files_selectors.get_vorgang(actor=actor, public_id=invoice.case_id),
            upload=mime.as_bytes(),
            filename="ablehnung.eml",
            title=str(message.subject)[:300],
            direction=Direction.OUTGOING,
        )
    message.send()


# --- what the invoice page shows


@dataclass
class OpenStep:
    task: "Task"
    barred: bool  # the viewer may not complete it (four-eyes)


@dataclass
class ApprovalOverview:
    invoice: Invoice
    decisions: list[Decision]
    open_steps: list[OpenStep]
    coding_lines: list[CodingLine]
    coding_total: Decimal
    coding_problem: str
    can_code: bool
    no_mail_notice: str
    started: bool = field(default=False)
    stopped: bool = field(default=False)  # its instance was cancelled before a release or rejection


def overview(*, actor: Actor, invoice: Invoice) -> ApprovalOverview:
    """Context of the approval section of the invoice page (the caller has read access to the invoice)."""
    lines = list(invoice.coding_lines.all())
    tasks = process_selectors.open_tasks_of(invoice.process_instance_id)
    steps = [OpenStep(task, bool(process_services.separation_notice(actor, task))) for task in tasks]
    return ApprovalOverview(
        invoice=invoice,
        decisions=list(invoice.decisions.select_related("membership__user")),
        open_steps=steps,
        coding_lines=lines,
        coding_total=sum((line.net_amount for line in lines), Decimal(0)),
        coding_problem=coding.problem(invoice, lines) if lines else "",
        can_code=coding.can_edit(actor, invoice),
        no_mail_notice=no_mail_notice(invoice) if invoice.state == InvoiceState.IN_APPROVAL else "",
        started=bool(invoice.process_instance_id),
        stopped=clearing.approval_stopped(invoice),
    )

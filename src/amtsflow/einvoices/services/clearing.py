"""Clearing: invoices whose unit the Leitweg-ID did not name get one from treasury or the tenant admin."""

from django.db import transaction
from django.utils.translation import gettext as _

from amtsflow.audit import services as audit
from amtsflow.core.exceptions import Conflict
from amtsflow.einvoices import permissions as perms
from amtsflow.einvoices.models import Invoice, InvoiceState
from amtsflow.einvoices.services import processing, routing
from amtsflow.files import selectors as files_selectors
from amtsflow.files import services as files_services
from amtsflow.processes import selectors as process_selectors
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import OrgUnit


@transaction.atomic
def assign_unit(*, actor: Actor, invoice: Invoice, org_unit: OrgUnit, remember_route: bool = False) -> Invoice:
    """Give an invoice in clearing its unit (optionally remembering the Leitweg-ID for next time); this starts
    its approval."""
    actor.require(perms.MANAGE)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.state != InvoiceState.CLEARING:
        raise Conflict(_("This invoice is no longer in clearing."))
    invoice.org_unit = org_unit
    invoice.state = InvoiceState.RECEIVED
    invoice.save(update_fields=["org_unit", "state", "updated_at"])
    if invoice.case_id:
        vorgang = files_selectors.get_vorgang(
            actor=Actor.for_system(actor.tenant, processing.SYSTEM_NAME), public_id=invoice.case_id
        )
        files_services.update_vorgang(
            actor=Actor.for_system(actor.tenant, processing.SYSTEM_NAME), vorgang=vorgang, org_unit=org_unit
        )
    audit.record(actor=actor, action="invoice.assigned", obj=invoice, details={"org_unit": str(org_unit)})
    if remember_route and invoice.buyer_reference and routing.unit_for(invoice.buyer_reference) is None:
        routing.save_route(actor=actor, leitweg_id=invoice.buyer_reference, org_unit=org_unit)
    processing.announce(actor, invoice)
    return invoice


def approval_can_start(invoice: Invoice) -> bool:
    """Routed, and no approval instance yet (none was deployed, or its start failed); or in approval while its
    instance no longer runs (an operator cancelled it): the decisions made so far stay on record."""
    if invoice.state == InvoiceState.RECEIVED:
        return not invoice.process_instance_id
    return approval_stopped(invoice)


def approval_stopped(invoice: Invoice) -> bool:
    """In approval, but the instance that took the invoice over has ended without releasing or rejecting it."""
    return (
        invoice.state == InvoiceState.IN_APPROVAL
        and bool(invoice.process_instance_id)
        and not process_selectors.is_running(invoice.process_instance_id)
    )


def can_start_approval(actor: Actor, invoice: Invoice) -> bool:
    return actor.can(perms.MANAGE) and approval_can_start(invoice)


@transaction.atomic
def start_approval(*, actor: Actor, invoice: Invoice) -> Invoice:
    """Announce an invoice again, e.g. after the approval model was deployed, its start failed or its approval
    instance was cancelled."""
    actor.require(perms.MANAGE)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not approval_can_start(invoice):
        raise Conflict(_("The approval of this invoice has already started or the invoice is not routed yet."))
    audit.record(actor=actor, action="invoice.approval_requested", obj=invoice)
    processing.announce(actor, invoice)
    return invoice

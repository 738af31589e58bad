"""Kontierung: which cost centre, product and account carry the invoice, possibly split across several lines.

The lines together must carry exactly the invoice's net total. They can be entered on the invoice page (any
split) or in the factual check task (one coding; split by VAT rate when the invoice has several). Once the factual
check is recorded the coding is attested and stays as it is.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from amtsflow.audit import services as audit
from amtsflow.core.exceptions import Conflict, ValidationFailed
from amtsflow.einvoices import permissions as perms
from amtsflow.einvoices.models import CodingLine, Decision, Invoice, InvoiceState
from amtsflow.tenants.actor import Actor

EDITABLE_STATES = (InvoiceState.RECEIVED, InvoiceState.IN_APPROVAL)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Coding:
    cost_centre: str
    product: str
    account: str
    net_amount: Decimal
    vat_rate: Decimal = Decimal("19")
    vat_category: str = "S"
    invoice_line: str = ""


def is_attested(invoice: Invoice) -> bool:
    return invoice.decisions.filter(step=Decision.Step.FACTUAL).exists()


def can_edit(actor: Actor, invoice: Invoice) -> bool:
    """Members of the invoice's unit (and invoice managers) code it until the factual check is recorded."""
    if invoice.state not in EDITABLE_STATES or not actor.can(perms.VIEW):
        return False
    in_unit = actor.membership is not None and actor.membership.org_unit_id == invoice.org_unit_id
    return (in_unit or actor.can(perms.MANAGE)) and not is_attested(invoice)


def problem(invoice: Invoice, lines: list[Coding] | list[CodingLine]) -> str:
    """Why the coding is not complete, or "" when it is."""
    if not lines:
        return _("The invoice has no coding yet: enter cost centre, product and account.")
    if any(not (line.cost_centre and line.product and line.account) for line in lines):
        return _("Every coding line needs a cost centre, a product and an account.")
    total = sum((line.net_amount for line in lines), Decimal(0))
    if invoice.net_total is not None and total != invoice.net_total:
        return _("The coding lines add up to %(sum)s, the invoice's net total is %(net)s.") % {
            "sum": f"{total:.2f}",
            "net": f"{invoice.net_total:.2f}",
        }
    return ""


def _replace(invoice: Invoice, lines: list[Coding]) -> None:
    invoice.coding_lines.all().delete()
    CodingLine.objects.bulk_create(
        CodingLine(
            tenant=invoice.tenant,
            invoice=invoice,
            position=position,
            invoice_line=line.invoice_line[:50],
            cost_centre=line.cost_centre.strip()[:30],
            product=line.product.strip()[:30],
            account=line.account.strip()[:30],
            net_amount=line.net_amount.quantize(CENT),
            vat_rate=line.vat_rate,
            vat_category=line.vat_category[:3],
        )
        for position, line in enumerate(lines, start=1)
    )


@transaction.atomic
def save_coding(*, actor: Actor, invoice: Invoice, lines: list[Coding]) -> list[CodingLine]:
    """Replace the coding of an invoice (editor on the invoice page)."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not can_edit(actor, invoice):
        raise Conflict(_("The coding of this invoice can no longer be changed here, or not by you."))
    reason = problem(invoice, lines)
    if reason:
        raise ValidationFailed(reason)
    _replace(invoice, lines)
    audit.record(
        actor=actor,
        action="invoice.coded",
        obj=invoice,
        details={"lines": [[c.cost_centre, c.product, c.account, str(c.net_amount)] for c in lines]},
    )
    return list(invoice.coding_lines.all())


def _vat_split(invoice: Invoice) -> list[tuple[Decimal, Decimal, str]]:
    """(net, rate, category) per VAT rate of the invoice; one line for the whole net total if unknown."""
    split = []
    for entry in (invoice.data or {}).get("vat_breakdown") or []:
        try:
            net = Decimal(entry.get("taxable_amount") or "0").quantize(CENT)
            rate = Decimal(entry.get("rate") or "0").quantize(CENT)
        except (InvalidOperation, TypeError):
            return [(invoice.net_total or Decimal(0), Decimal("19"), "S")]
        if not Decimal(0) <= rate <= Decimal(100) or abs(net) >= Decimal(10) ** 17:  # beyond any real VAT rate
            return [(invoice.net_total or Decimal(0), Decimal("19"), "S")]
        split.append((net, rate, (entry.get("category") or "S")[:3]))
    if not split or sum(net for net, _rate, _cat in split) != (invoice.net_total or Decimal(0)):
        rate = split[0][1] if len(split) == 1 else Decimal("19")
        category = split[0][2] if len(split) == 1 else "S"
        return [(invoice.net_total or Decimal(0), rate, category)]
    return split


def code_from_task(*, actor: Actor, invoice: Invoice, cost_centre: str, product: str, account: str) -> str:
    """The factual check task's coding: taken over when no lines exist yet (split by VAT rate); an existing
    coding from the invoice page is kept and only checked. Returns why it is incomplete, or ""."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    existing = list(invoice.coding_lines.all())
    if existing or not (cost_centre or product or account):
        return problem(invoice, existing)
    lines = [
        Coding(cost_centre, product, account, net, vat_rate=rate, vat_category=category)
        for net, rate, category in _vat_split(invoice)
    ]
    reason = problem(invoice, lines)
    if not reason:
        _replace(invoice, lines)
        audit.record(actor=actor, action="invoice.coded", obj=invoice, details={"via": "factual check"})
    return reason

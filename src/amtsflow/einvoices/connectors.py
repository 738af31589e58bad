"""Connectors of the invoice approval ("Rechnungseingang"): service tasks hand the invoice's steps to the
einvoices services. Each is safe to run again for the same engine task."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from amtsflow.einvoices.services import approval
from amtsflow.processes.connectors.base import Connector, ConnectorContext, ConnectorError, Param

_INVOICE = Param("invoice_id", "public ID of the invoice (the start event's invoice_id)")
_COMMENT = Param("comment", "comment of the person who decided", required=False)


def _text(inputs: dict[str, Any], name: str) -> str:
    value = inputs.get(name)
    return "" if value is None else str(value).strip()


class _InvoiceConnector(Connector):
    def run(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        try:
            return self.step(context, inputs)
        except approval.StepFailed as error:
            raise ConnectorError(str(error)) from error

    def step(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


class StartApproval(_InvoiceConnector):
    name = "invoice.start"
    label = _("Invoice: start the approval")
    inputs = (_INVOICE,)
    outputs = (
        Param("einheit", "candidate entry of the invoice's unit (unit:<code>)"),
        Param("amtsleitung", "user name of the unit's head of department, or empty"),
        Param("lieferant_email", "e-mail address of the supplier, or empty"),
        Param("ablehnung_hinweis", "notice for the tasks when a rejection cannot be mailed"),
        Param("bearbeiten_bis", "due date of the tasks (ISO date)"),
        Param("eskalation_am", "when to escalate (ISO date and time)"),
    )

    def step(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        return approval.take_over(invoice_id=_text(inputs, "invoice_id"), instance_id=context.instance_id)


class RecordCoding(_InvoiceConnector):
    name = "invoice.record_coding"
    label = _("Invoice: record the factual check and its coding")
    inputs = (
        _INVOICE,
        Param("kostenstelle", "cost centre", required=False),
        Param("produkt", "product", required=False),
        Param("sachkonto", "account", required=False),
        _COMMENT,
    )
    outputs = (Param("ok", "the coding is complete"), Param("hint", "why it is not"))

    def step(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        hint = approval.record_factual_check(
            actor=context.actor,
            invoice_id=_text(inputs, "invoice_id"),
            instance_id=context.instance_id,
            cost_centre=_text(inputs, "kostenstelle"),
            product=_text(inputs, "produkt"),
            account=_text(inputs, "sachkonto"),
            comment=_text(inputs, "comment"),
        )
        return {"ok": not hint, "hint": hint}


class RecordDecision(_InvoiceConnector):
    name = "invoice.record_decision"
    label = _("Invoice: record a decision of the approval")
    inputs = (_INVOICE, Param("step", "factual, arithmetic, approval or release"), _COMMENT)
    outputs = (Param("decided_by", "who decided"),)

    def step(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        decision = approval.record_decision(
            actor=context.actor,
            invoice_id=_text(inputs, "invoice_id"),
            instance_id=context.instance_id,
            step=_text(inputs, "step"),
            comment=_text(inputs, "comment"),
        )
        return {"decided_by": decision.actor_label}


class ReleaseInvoice(_InvoiceConnector):
    name = "invoice.release"
    label = _("Invoice: release for payment (Anordnung)")
    inputs = (_INVOICE, _COMMENT)
    outputs = (Param("state", "the invoice's state"),)

    def step(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        invoice = approval.release(
            actor=context.actor,
            invoice_id=_text(inputs, "invoice_id"),
            instance_id=context.instance_id,
            comment=_text(inputs, "comment"),
        )
        return {"state": invoice.state}


class RejectInvoice(_InvoiceConnector):
    name = "invoice.reject"
    label = _("Invoice: reject and tell the supplier")
    inputs = (_INVOICE, Param("reason", "reason for the rejection (goes to the supplier)"))
    outputs = (Param("mailed", "the supplier was told by e-mail"),)

    def step(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        mailed = approval.reject(
            actor=context.actor,
            invoice_id=_text(inputs, "invoice_id"),
            instance_id=context.instance_id,
            reason=_text(inputs, "reason"),
        )
        return {"mailed": mailed}

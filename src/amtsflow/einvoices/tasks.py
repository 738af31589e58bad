from celery import shared_task

from amtsflow.core.tasks import TenantTask


@shared_task(base=TenantTask, bind=True)
def process_receipt(self, *, tenant_id: int, receipt_id: str) -> str | None:  # noqa: ANN001, ARG001
    """Process one received invoice file (queued after its arrival commits)."""
    from amtsflow.einvoices.models import Receipt
    from amtsflow.einvoices.services import processing

    receipt = Receipt.objects.filter(public_id=receipt_id).select_related("membership__org_unit").first()
    if receipt is None:
        return None
    invoice = processing.process(receipt)
    return str(invoice.public_id) if invoice is not None else None


@shared_task
def poll_mailboxes() -> dict[str, int]:
    """Periodic (Celery beat): take in new mail of every configured invoice mailbox."""
    from amtsflow.einvoices.services.mail import poll_all

    return poll_all()

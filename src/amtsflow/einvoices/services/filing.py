"""Filing an invoice in the e-file: its own case in the fiscal year's invoice file, with the original, the
validation report, the readable PDF, embedded attachments and the mail it came with."""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import ValidationFailed
from amtsflow.einvoices import originals
from amtsflow.einvoices.models import Invoice, InvoiceSettings, Receipt
from amtsflow.einvoices.reading import Detected
from amtsflow.einvoices.reading import Invoice as ReadInvoice
from amtsflow.einvoices.rendering.pdf import render_pdf
from amtsflow.einvoices.validation import ValidationReport
from amtsflow.files import services as files_services
from amtsflow.files.constants import Direction
from amtsflow.tenants.actor import Actor

logger = logging.getLogger(__name__)


def invoice_settings() -> InvoiceSettings:
    """The active tenant's settings (created with the defaults on first use)."""
    found = InvoiceSettings.objects.first()
    return found if found is not None else InvoiceSettings.objects.create()


def case_subject(invoice: Invoice) -> str:
    if invoice.number:
        return _("Invoice %(number)s – %(seller)s") % {"number": invoice.number, "seller": invoice.seller_name}
    return _("Invoice file %(name)s") % {"name": invoice.filename}


def fiscal_year(invoice: Invoice) -> int:
    """The budget year an invoice is filed under: the year of its invoice date, so a December invoice arriving
    in January goes to the old year's file. Only the previous year is open for that (older invoices are booked
    in the current year after the annual closing), and a date in the future counts as this year."""
    this_year = timezone.localdate().year
    if invoice.issue_date is None or not this_year - 1 <= invoice.issue_date.year <= this_year:
        return this_year
    return invoice.issue_date.year


def validation_summary(invoice: Invoice, *, with_findings: bool = False) -> str:
    """The verdict in one line, optionally followed by every finding (the filed PDF is the readable report)."""
    if invoice.validity == "unstructured":
        return _("No structured invoice: the PDF carries no invoice data.")
    verdict = invoice.get_validity_display()
    lines = [
        _("Validation: %(verdict)s (%(errors)d errors, %(warnings)d warnings; scenario %(scenario)s)")
        % {
            "verdict": verdict,
            "errors": invoice.errors,
            "warnings": invoice.warnings,
            "scenario": invoice.scenario or "–",
        }
    ]
    if invoice.validation_error:
        lines.append(invoice.validation_error)
    if with_findings:
        lines += [f"{f['rule']} ({f['severity']}): {f['message']}" for f in invoice.findings]
    return "\n".join(lines)


def file_invoice(
    actor: Actor,
    invoice: Invoice,
    receipt: Receipt,
    content: bytes,
    detected: Detected,
    read: ReadInvoice | None,
    report: ValidationReport | None,
) -> None:
    config = invoice_settings()
    vorgang = files_services.open_process_case(
        actor=actor,
        plan_entry_number=config.plan_entry_number,
        file_title=config.file_title,
        subject=case_subject(invoice)[:300],
        org_unit=invoice.org_unit,
        year=fiscal_year(invoice),
    )
    invoice.case_id = str(vorgang.public_id)
    invoice.case_label = f"{vorgang.akte.aktenzeichen}-{vorgang.number}"
    sender = invoice.seller_name or receipt.source

    def file(data: bytes, filename: str, title: str, **extra: object) -> object | None:
        try:
            return files_services.file_document(
                actor=actor, vorgang=vorgang, upload=data, filename=filename, title=title, sender=sender, **extra
            )
        except ValidationFailed as refused:  # e.g. an embedded attachment of a type the e-file does not take
            invoice.notices.append(
                _("%(name)s was not filed: %(reason)s") % {"name": filename, "reason": refused.message}
            )
            return None

    original = file(content, receipt.filename, _("Invoice (original)"), document_date=invoice.issue_date)
    if report is not None:
        _keep_report(invoice, report)
        if report.svrl:  # the KoSIT report embeds HTML, which the e-file refuses; the SVRL is plain XML
            bundle = originals.read(invoice.svrl_storage_name)
            file(bundle, "Pruefbericht-SVRL.xml", _("Validation report (SVRL)"), direction=Direction.INTERNAL)
    if read is not None:
        summary = validation_summary(invoice, with_findings=True)
        pdf = render_pdf(read, validation_summary=summary, received_note=_received_note(receipt))
        file(
            pdf,
            f"Rechnung-{invoice.number or 'ohne-Nummer'}.pdf"[:120],
            _("Invoice (readable)"),
            direction=Direction.INTERNAL,
        )
        embedded = [*detected.attachments, *(a for a in read.attachments if a.content)]
    else:
        embedded = list(detected.attachments)
    for attachment in embedded:
        name = attachment.filename or attachment.id or "anlage"
        file(attachment.content, name, attachment.description or _("Invoice attachment"), part_of=original)
    if receipt.mail_storage_name:
        try:
            files_services.file_email(
                actor=actor, vorgang=vorgang, upload=originals.read(receipt.mail_storage_name), filename="mail.eml"
            )
        except ValidationFailed as refused:
            invoice.notices.append(_("The mail was not filed: %(reason)s") % {"reason": refused.message})
    invoice.save(update_fields=["case_id", "case_label", "notices", "report_storage_name", "svrl_storage_name"])


def _keep_report(invoice: Invoice, report: ValidationReport) -> None:
    folder = f"einvoice-reports/{invoice.tenant_id}/{invoice.public_id}"
    if report.varl:
        invoice.report_storage_name = originals.store_named(f"{folder}/report.xml", report.varl)
    if report.svrl:
        invoice.svrl_storage_name = originals.store_named(f"{folder}/svrl.xml", _svrl_bundle(report.svrl))


def _svrl_bundle(documents: tuple[bytes, ...]) -> bytes:
    """One SVRL document per Schematron run, wrapped so they download as one well-formed file."""
    body = b"".join(doc.split(b"?>", 1)[1] if doc.startswith(b"<?xml") else doc for doc in documents)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<svrl-reports>' + body + b"</svrl-reports>\n"


def _received_note(receipt: Receipt) -> str:
    return _("Received via %(channel)s on %(when)s, file %(name)s, SHA-256 %(sha)s") % {
        "channel": receipt.get_channel_display(),
        "when": timezone.localtime(receipt.created_at).strftime("%d.%m.%Y %H:%M"),
        "name": receipt.filename,
        "sha": receipt.sha256,
    }

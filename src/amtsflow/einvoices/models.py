"""Incoming e-invoices: what arrived (receipts), the invoices made of them, routing, coding, booking batches.

A file is stored (hash-addressed, unchanged) before anything reads it, and its row is committed before it is
processed, so nothing that arrived can be lost by a later failure. Files from shared channels (the provider's
mailbox) arrive before their tenant is known: they are `Intake` rows outside any tenant until the buyer
reference (Leitweg-ID) routes them, or a provider operator does in the clearing inbox.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amtsflow.core.models import PublicIdModel, TimeStampedModel
from amtsflow.tenants.models import Membership, OrgUnit, Tenant, TenantScopedModel


class Channel(models.TextChoices):
    UPLOAD = "upload", _("Upload")
    API = "api", _("REST API")
    MAIL = "mail", _("Mailbox")


class ReceiptState(models.TextChoices):
    RECEIVED = "received", _("received, not yet processed")
    PROCESSING = "processing", _("being processed")
    PROCESSED = "processed", _("processed")
    DUPLICATE = "duplicate", _("duplicate")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("processing failed")


class IntakeState(models.TextChoices):
    RECEIVED = "received", _("received, not yet routed")
    ROUTED = "routed", _("routed to a municipality")
    CLEARING = "clearing", _("clearing: municipality unknown")
    REFUSED = "refused", _("refused")
    DISCARDED = "discarded", _("discarded")


class InvoiceState(models.TextChoices):
    CLEARING = "clearing", _("clearing: unit unknown")
    RECEIVED = "received", pgettext_lazy("invoice state", "received")
    IN_APPROVAL = "in_approval", _("in approval")
    RELEASED = "released", _("released for payment")
    REJECTED = "rejected", _("rejected")
    EXPORTED = "exported", _("exported for booking")


class Validity(models.TextChoices):
    ACCEPT = "accept", _("valid")
    REJECT = "reject", _("invalid")
    NOT_VALIDATED = "not_validated", _("not validated")
    UNSTRUCTURED = "unstructured", _("no structured invoice")


class Intake(PublicIdModel, TimeStampedModel):
    """A file from a shared channel, before routing. Only provider operators see these."""

    sha256 = models.CharField(max_length=64, db_index=True)
    storage_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    filename = models.CharField(_("file name"), max_length=255)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=255, blank=True, help_text=_("mailbox, sender"))
    buyer_reference = models.CharField(_("buyer reference (Leitweg-ID)"), max_length=100, blank=True)
    mail_sha256 = models.CharField(max_length=64, blank=True)
    mail_storage_name = models.CharField(max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=IntakeState.choices, default=IntakeState.RECEIVED)
    problem = models.TextField(_("problem"), blank=True)
    tenant = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    routed_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("intake")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "-created_at"])]


class LeitwegRoute(PublicIdModel, TenantScopedModel):
    """Which org unit receives invoices addressed to a Leitweg-ID (or the part after the tenant's prefix)."""

    leitweg_id = models.CharField(
        _("Leitweg-ID"),
        max_length=46,
        help_text=_("Full Leitweg-ID (e.g. 08119999-20-12) or its start; the longest matching entry wins."),
    )
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("organisational unit"), on_delete=models.PROTECT)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Leitweg-ID route")
        verbose_name_plural = _("Leitweg-ID routes")
        ordering = ["leitweg_id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "leitweg_id"], name="einvoices_route_unique")]


class Receipt(PublicIdModel, TenantScopedModel, TimeStampedModel):
    """One arrival of one file for this tenant, whatever became of it."""

    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    filename = models.CharField(_("file name"), max_length=255)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=255, blank=True)
    received_by = models.CharField(_("received by"), max_length=150, blank=True)
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    mail_sha256 = models.CharField(max_length=64, blank=True)
    mail_storage_name = models.CharField(max_length=200, blank=True)
    mail_subject = models.CharField(max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ReceiptState.choices, default=ReceiptState.RECEIVED)
    problem = models.TextField(_("problem"), blank=True)
    invoice = models.ForeignKey("Invoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="receipts")

    class Meta:
        verbose_name = _("receipt")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "sha256"]), models.Index(fields=["tenant", "-created_at"])]


class Invoice(PublicIdModel, TenantScopedModel, TimeStampedModel):
    """One received invoice (one distinct file) with what validation and reading found."""

    sha256 = models.CharField(max_length=64)
    filename = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("format"), max_length=20)
    profile = models.CharField(_("ZUGFeRD profile"), max_length=30, blank=True)
    xrechnung_version = models.CharField(_("XRechnung version"), max_length=20, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=InvoiceState.choices, default=InvoiceState.RECEIVED)
    validity = models.CharField(_("validation"), max_length=14, choices=Validity.choices)
    scenario = models.CharField(_("scenario"), max_length=200, blank=True)
    rules_release = models.CharField(_("rule release"), max_length=100, blank=True)
    validation_error = models.TextField(blank=True)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    findings = models.JSONField(default=list, blank=True)
    notices = models.JSONField(default=list, blank=True)
    report_storage_name = models.CharField(max_length=200, blank=True)  # VARL (KoSIT report) XML
    svrl_storage_name = models.CharField(max_length=200, blank=True)  # the SVRL documents, concatenated per run
    # Read from the invoice (empty when unstructured); `data` holds the whole normalised invoice.
    number = models.CharField(_("invoice number"), max_length=200, blank=True)
    type_code = models.CharField(_("invoice type"), max_length=10, blank=True)
    issue_date = models.DateField(_("invoice date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    seller_name = models.CharField(_("supplier"), max_length=300, blank=True)
    seller_vat_id = models.CharField(_("supplier VAT ID"), max_length=50, blank=True)
    seller_email = models.CharField(_("supplier e-mail"), max_length=254, blank=True)
    buyer_reference = models.CharField(_("buyer reference (Leitweg-ID)"), max_length=100, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    net_total = models.DecimalField(_("net"), max_digits=19, decimal_places=2, null=True, blank=True)
    tax_total = models.DecimalField(_("VAT"), max_digits=19, decimal_places=2, null=True, blank=True)
    gross_total = models.DecimalField(_("gross"), max_digits=19, decimal_places=2, null=True, blank=True)
    amount_due = models.DecimalField(_("amount due"), max_digits=19, decimal_places=2, null=True, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    skonto_until = models.DateField(_("cash discount until"), null=True, blank=True)
    skonto_amount = models.DecimalField(
        _("cash discount amount"), max_digits=19, decimal_places=2, null=True, blank=True
    )
    data = models.JSONField(default=dict, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organisational unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    possible_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case_id = models.CharField(_("case"), max_length=64, blank=True)  # public id of the e-file Vorgang
    case_label = models.CharField(max_length=300, blank=True)
    process_instance_id = models.CharField(max_length=64, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    booking_batch = models.ForeignKey(
        "BookingBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["tenant", "sha256"], name="einvoices_invoice_once")]
        indexes = [
            models.Index(fields=["tenant", "state", "-created_at"]),
            models.Index(fields=["tenant", "seller_vat_id", "number"]),
        ]

    def __str__(self) -> str:
        return f"{self.number or self.filename} – {self.seller_name}".strip(" –")

    @property
    def structured(self) -> bool:
        return self.validity != Validity.UNSTRUCTURED


class CodingLine(TenantScopedModel):
    """Kontierung: which cost centre, product and account carry (part of) the invoice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="coding_lines")
    position = models.PositiveIntegerField(default=1)
    invoice_line = models.CharField(_("invoice line"), max_length=50, blank=True)
    cost_centre = models.CharField(_("cost centre"), max_length=30)
    product = models.CharField(_("product"), max_length=30)
    account = models.CharField(_("account"), max_length=30)
    net_amount = models.DecimalField(_("net"), max_digits=19, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2, default=Decimal("19"))
    vat_category = models.CharField(_("VAT category"), max_length=3, default="S")

    class Meta:
        ordering = ["position"]


class Decision(TenantScopedModel):
    """A step of the approval: factual check, arithmetic check, approval, release, rejection."""

    class Step(models.TextChoices):
        FACTUAL = "factual", _("factually correct (sachlich richtig)")
        ARITHMETIC = "arithmetic", _("arithmetically correct (rechnerisch richtig)")
        APPROVAL = "approval", _("approved")
        RELEASE = "release", _("released for payment (Anordnung)")
        REJECTION = "rejection", _("rejected")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="decisions")
    step = models.CharField(max_length=12, choices=Step.choices)
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["invoice", "step"])]


class BookingBatch(PublicIdModel, TenantScopedModel, TimeStampedModel):
    """Released invoices handed to the finance system together; the files stay downloadable."""

    number = models.PositiveIntegerField(_("batch number"))
    created_by = models.CharField(max_length=150)
    invoice_count = models.PositiveIntegerField(default=0)
    gross_total = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0"))
    csv_storage_name = models.CharField(max_length=200)
    json_storage_name = models.CharField(max_length=200)
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("booking batch")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="einvoices_batch_number")]


class InvoiceSettings(TenantScopedModel):
    """Per municipality: where invoices are filed in the e-file."""

    plan_entry_number = models.CharField(
        _("file plan entry for invoices"),
        max_length=30,
        default="2.10.01",
        help_text=_("Each fiscal year gets its own file under this entry; each invoice a case in it."),
    )
    file_title = models.CharField(_("title of the yearly file"), max_length=200, default="Eingangsrechnungen")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="einvoices_settings_once")]

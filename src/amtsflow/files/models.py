"""E-Akte: Aktenplan → Akte → Vorgang → Document → DocumentVersion, and content-addressed blobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from amtsflow.core.models import PublicIdModel, TimeStampedModel
from amtsflow.files.constants import (
    AkteState,
    Confidentiality,
    Direction,
    DisposalAction,
    ExtractionState,
    PartyKind,
    VorgangStatus,
)
from amtsflow.tenants.models import Membership, OrgUnit, TenantScopedModel


class AktenplanEntry(PublicIdModel, TenantScopedModel):
    """One position of the file plan, e.g. `0.10.02 Organisation der Verwaltung`."""

    number = models.CharField(_("number"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    retention_years = models.PositiveSmallIntegerField(_("retention period (years)"), default=10)
    disposal_action = models.CharField(
        _("after retention"), max_length=10, choices=DisposalAction.choices, default=DisposalAction.ARCHIVE
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Only leaves take files; structural headings (e.g. "0 Allgemeine Verwaltung") group them.
    accepts_files = models.BooleanField(_("files may be created here"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("file plan entry")
        verbose_name_plural = _("file plan")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="aktenplan_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class AktenzeichenCounter(TenantScopedModel):
    """Last sequence number per plan entry and year; locked while a file is created (gap-free)."""

    plan_entry = models.ForeignKey(AktenplanEntry, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "plan_entry", "year"], name="aktenzeichen_counter_unique")
        ]


class Akte(PublicIdModel, TenantScopedModel, TimeStampedModel):
    plan_entry = models.ForeignKey(
        AktenplanEntry, verbose_name=_("file plan entry"), on_delete=models.PROTECT, related_name="akten"
    )
    aktenzeichen = models.CharField(_("reference number"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=AkteState.choices, default=AkteState.OPEN)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    # Confidential files are visible to these members only (and nobody else, whatever their role).
    permitted_members = models.ManyToManyField(
        Membership, verbose_name=_("permitted persons"), blank=True, related_name="+"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    retention_until = models.DateField(_("retained until"), null=True, blank=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.CharField(_("reason for the legal hold"), max_length=300, blank=True)
    disposed_at = models.DateTimeField(_("disposed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("file (Akte)")
        verbose_name_plural = _("files (Akten)")
        ordering = ["-year", "aktenzeichen"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "aktenzeichen"], name="akte_unique_aktenzeichen"),
        ]
        indexes = [
            models.Index(fields=["tenant", "state", "retention_until"]),
            models.Index(fields=["tenant", "plan_entry"]),
        ]

    def __str__(self) -> str:
        return f"{self.aktenzeichen} {self.title}"

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality == Confidentiality.CONFIDENTIAL


class Vorgang(PublicIdModel, TenantScopedModel, TimeStampedModel):
    akte = models.ForeignKey(Akte, verbose_name=_("file"), on_delete=models.CASCADE, related_name="vorgaenge")
    number = models.PositiveIntegerField(_("number within the file"))
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=VorgangStatus.choices, default=VorgangStatus.OPEN)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responsible = models.ForeignKey(
        Membership,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Cases of sandbox process runs stay out of production lists and statistics.
    is_test = models.BooleanField(_("test case"), default=False)

    class Meta:
        verbose_name = _("case (Vorgang)")
        verbose_name_plural = _("cases (Vorgänge)")
        ordering = ["akte", "number"]
        constraints = [models.UniqueConstraint(fields=["akte", "number"], name="vorgang_unique_number")]
        indexes = [models.Index(fields=["tenant", "status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.akte.aktenzeichen}-{self.number} {self.subject}"


class Party(TenantScopedModel):
    """A person or organisation involved in a case (Beteiligte)."""

    vorgang = models.ForeignKey(Vorgang, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("kind"), max_length=14, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(_("name"), max_length=300)
    role = models.CharField(_("role in the case"), max_length=100, blank=True, help_text=_("e.g. applicant"))
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Blob(TenantScopedModel):
    """Stored content, addressed by its SHA-256; identical content of a tenant is stored once."""

    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    storage_name = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "sha256"], name="blob_unique_content")]

    def __str__(self) -> str:
        return self.sha256


class Document(PublicIdModel, TenantScopedModel, TimeStampedModel):
    vorgang = models.ForeignKey(Vorgang, verbose_name=_("case"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCOMING)
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    sender = models.CharField(_("sender"), max_length=300, blank=True)
    # An e-mail's attachments point to the document of the mail itself.
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("attachment of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    checked_out_by = models.ForeignKey(
        Membership,
        verbose_name=_("checked out by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "vorgang"])]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(TenantScopedModel):
    """An immutable version: content and metadata never change once written; extraction fields do."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    extraction_state = models.CharField(
        _("text extraction"), max_length=10, choices=ExtractionState.choices, default=ExtractionState.PENDING
    )
    extraction_error = models.TextField(_("extraction error"), blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    # Searchable PDF/A made by OCR, kept beside the original.
    rendition = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("document version")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


# Search index (owned by files/search/); imported here so that this section stays self-contained.
from django.contrib.postgres.search import SearchVectorField  # noqa: E402


class SearchKind(models.TextChoices):
    AKTE = "akte", _("file")
    VORGANG = "vorgang", _("case")
    DOCUMENT = "document", _("document")


class SearchEntry(TenantScopedModel):
    """One row per file, case and document in the full-text index; written by `files.search` only.

    The vendor-specific parts live outside Django's view (see `files/search/schema.py`): on PostgreSQL a
    trigger fills `search_vector` (German configuration) with GIN and trigram indexes; on SQLite triggers
    mirror `keywords` and `body` into an FTS5 table. On SQLite, a later migration that rebuilds this table
    drops those triggers: run `schema.install()` again there (as `rebuild_search_index` does).
    """

    kind = models.CharField(max_length=10, choices=SearchKind.choices)
    object_id = models.UUIDField()  # public_id of the Akte, Vorgang or Document
    # Visibility (confidential files) is checked through the Akte at query time, so it is never stale here.
    akte = models.ForeignKey(Akte, on_delete=models.CASCADE, related_name="+")
    vorgang = models.ForeignKey(Vorgang, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    plan_entry = models.ForeignKey(AktenplanEntry, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=300)
    reference = models.CharField(max_length=100, blank=True)
    # Reference, title and names: weighted highest and matched fuzzily (trigrams) on PostgreSQL.
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, blank=True)
    direction = models.CharField(max_length=10, blank=True)
    media_kind = models.CharField(max_length=20, blank=True)
    is_test = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only, set by a trigger

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "object_id"], name="searchentry_unique_object")
        ]
        indexes = [models.Index(fields=["tenant", "date"]), models.Index(fields=["tenant", "akte"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} {self.title}"


# Aussonderung (disposal): written by `files.services.retention` only.
class DisposalListState(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    EXECUTED = "executed", _("executed")


class DisposalOutcome(models.TextChoices):
    PENDING = "pending", _("pending")
    ARCHIVED = "archived", _("archived")
    DESTROYED = "destroyed", _("destroyed")
    FAILED = "failed", _("failed")


class DisposalList(PublicIdModel, TenantScopedModel):
    """An Aussonderungsliste: files due for disposal, reviewed and approved before anything happens to them."""

    as_of = models.DateField(_("due as of"))
    state = models.CharField(
        _("state"), max_length=10, choices=DisposalListState.choices, default=DisposalListState.DRAFT
    )
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposal list")
        verbose_name_plural = _("disposal lists")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "state"])]

    def __str__(self) -> str:
        return f"{_('Disposal list')} {self.created_at:%Y-%m-%d} ({self.get_state_display()})"


class DisposalListItem(TenantScopedModel):
    """One file on a disposal list, with a snapshot of what was reviewed (the list stays readable afterwards)."""

    disposal_list = models.ForeignKey(DisposalList, on_delete=models.CASCADE, related_name="items")
    # Destroyed files stay as tombstones; SET_NULL only matters should an Akte row ever be removed.
    akte = models.ForeignKey(Akte, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    aktenzeichen = models.CharField(_("reference number"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    plan_number = models.CharField(_("file plan number"), max_length=40)
    # The action approved on the list; a later change of the plan entry does not alter an approved list.
    action = models.CharField(_("after retention"), max_length=10, choices=DisposalAction.choices)
    retention_until = models.DateField(_("retained until"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=DisposalOutcome.choices, default=DisposalOutcome.PENDING
    )
    message = models.TextField(_("message"), blank=True)
    package_name = models.CharField(_("archive package"), max_length=300, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposal list entry")
        verbose_name_plural = _("disposal list entries")
        ordering = ["aktenzeichen"]
        constraints = [models.UniqueConstraint(fields=["disposal_list", "akte"], name="disposal_item_unique_akte")]

    def __str__(self) -> str:
        return f"{self.aktenzeichen} {self.title}"

"""API shapes of the E-Akte (shape only; rules live in services)."""

from rest_framework import serializers

from amtsflow.files.constants import Confidentiality, Direction, DisposalAction, VorgangStatus
from amtsflow.files.models import Akte, AktenplanEntry, Document, DocumentVersion, Party, Vorgang


class PlanEntrySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    parent = serializers.CharField(source="parent.number", read_only=True, allow_null=True)
    org_unit = serializers.UUIDField(source="org_unit.public_id", read_only=True, allow_null=True)

    class Meta:
        model = AktenplanEntry
        fields = [
            "id",
            "number",
            "title",
            "parent",
            "retention_years",
            "disposal_action",
            "org_unit",
            "accepts_files",
            "is_active",
        ]


class PlanEntryWriteSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=300)
    retention_years = serializers.IntegerField(min_value=0, max_value=200, default=10)
    disposal_action = serializers.ChoiceField(choices=DisposalAction.choices, default=DisposalAction.ARCHIVE)
    org_unit = serializers.UUIDField(required=False, allow_null=True, default=None)
    accepts_files = serializers.BooleanField(default=True)


class PlanEntryUpdateSerializer(PlanEntryWriteSerializer):
    number = None
    is_active = serializers.BooleanField(default=True)


class AkteSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    plan_entry = serializers.UUIDField(source="plan_entry.public_id", read_only=True)
    plan_number = serializers.CharField(source="plan_entry.number", read_only=True)
    org_unit = serializers.UUIDField(source="org_unit.public_id", read_only=True, allow_null=True)

    class Meta:
        model = Akte
        fields = [
            "id",
            "aktenzeichen",
            "title",
            "description",
            "plan_entry",
            "plan_number",
            "state",
            "confidentiality",
            "org_unit",
            "created_at",
            "closed_at",
            "retention_until",
            "legal_hold",
            "legal_hold_reason",
        ]


class AkteCreateSerializer(serializers.Serializer):
    plan_entry = serializers.UUIDField()
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, default=Confidentiality.NORMAL)
    permitted_members = serializers.ListField(child=serializers.UUIDField(), default=list)
    org_unit = serializers.UUIDField(required=False, allow_null=True, default=None)


class AkteUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, default=Confidentiality.NORMAL)
    permitted_members = serializers.ListField(child=serializers.UUIDField(), required=False)
    org_unit = serializers.UUIDField(required=False, allow_null=True, default=None)


class LegalHoldSerializer(serializers.Serializer):
    hold = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "kind", "name", "role", "address", "email", "phone"]
        read_only_fields = ["id"]


class VorgangSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    akte = serializers.UUIDField(source="akte.public_id", read_only=True)
    aktenzeichen = serializers.CharField(source="akte.aktenzeichen", read_only=True)
    org_unit = serializers.UUIDField(source="org_unit.public_id", read_only=True, allow_null=True)
    responsible = serializers.UUIDField(source="responsible.public_id", read_only=True, allow_null=True)
    parties = PartySerializer(many=True, read_only=True)

    class Meta:
        model = Vorgang
        fields = [
            "id",
            "akte",
            "aktenzeichen",
            "number",
            "subject",
            "description",
            "status",
            "due_date",
            "org_unit",
            "responsible",
            "is_test",
            "parties",
            "created_at",
        ]


class VorgangWriteSerializer(serializers.Serializer):
    akte = serializers.UUIDField(required=False)
    subject = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=VorgangStatus.choices, default=VorgangStatus.OPEN)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    org_unit = serializers.UUIDField(required=False, allow_null=True, default=None)
    responsible = serializers.UUIDField(required=False, allow_null=True, default=None)


class VersionSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="blob.sha256", read_only=True)
    has_rendition = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "number",
            "filename",
            "media_type",
            "size",
            "sha256",
            "comment",
            "created_at",
            "extraction_state",
            "extraction_error",
            "has_rendition",
        ]

    def get_has_rendition(self, version: DocumentVersion) -> bool:
        return version.rendition_id is not None


class DocumentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    vorgang = serializers.UUIDField(source="vorgang.public_id", read_only=True)
    part_of = serializers.UUIDField(source="part_of.public_id", read_only=True, allow_null=True)
    checked_out_by = serializers.CharField(source="checked_out_by.user.username", read_only=True, allow_null=True)
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "vorgang",
            "title",
            "direction",
            "document_date",
            "received_at",
            "sender",
            "part_of",
            "checked_out_by",
            "checked_out_at",
            "versions",
            "created_at",
        ]


class DocumentUploadSerializer(serializers.Serializer):
    vorgang = serializers.UUIDField()
    file = serializers.FileField()
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.INCOMING)
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
    sender = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class VersionUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CheckInSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    force = serializers.BooleanField(default=False)


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    kind = serializers.ChoiceField(
        choices=["akte", "vorgang", "document"], required=False, allow_null=True, default=None
    )
    plan_entry = serializers.UUIDField(required=False, allow_null=True, default=None)
    akte = serializers.UUIDField(required=False, allow_null=True, default=None)
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.CharField(required=False, allow_blank=True, default="")
    direction = serializers.ChoiceField(choices=Direction.choices, required=False, allow_blank=True, default="")
    media_kind = serializers.CharField(required=False, allow_blank=True, default="")
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)
    offset = serializers.IntegerField(min_value=0, default=0)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    reference = serializers.CharField()
    snippet_html = serializers.CharField(help_text="HTML-escaped text with <mark> around the matches")
    rank = serializers.FloatField()
    date = serializers.DateField(allow_null=True)
    akte = serializers.UUIDField(source="akte_public_id")
    vorgang = serializers.UUIDField(source="vorgang_public_id", allow_null=True)
    status = serializers.CharField()
    direction = serializers.CharField()
    media_kind = serializers.CharField()


class SearchResultsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="matches; a lower bound when `capped`")
    capped = serializers.BooleanField(help_text="more matches than counted: narrow the search with filters")
    query = serializers.CharField()
    hits = SearchHitSerializer(many=True)

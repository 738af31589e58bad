from rest_framework import serializers

from amtsflow.einvoices.models import Invoice, LeitwegRoute, Receipt


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning", "information"])
    message = serializers.CharField()
    location = serializers.CharField()
    explanation = serializers.CharField()


class InvoiceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    org_unit = serializers.CharField(source="org_unit.name", default=None, read_only=True)
    org_unit_id = serializers.UUIDField(source="org_unit.public_id", default=None, read_only=True)
    possible_duplicate_of = serializers.UUIDField(
        source="possible_duplicate_of.public_id", default=None, read_only=True
    )

    class Meta:
        model = Invoice
        fields = [
            "id", "filename", "sha256", "kind", "profile", "xrechnung_version", "state", "validity", "scenario",
            "rules_release", "validation_error", "errors", "warnings", "notices", "number", "type_code",
            "issue_date", "due_date", "seller_name", "seller_vat_id", "seller_email", "buyer_reference", "currency",
            "net_total", "tax_total", "gross_total", "amount_due", "iban", "skonto_until", "skonto_amount",
            "org_unit", "org_unit_id", "possible_duplicate_of", "case_id", "case_label", "process_instance_id",
            "rejection_reason", "released_at", "created_at",
        ]  # fmt: skip


class InvoiceDetailSerializer(InvoiceSerializer):
    data = serializers.JSONField(read_only=True, help_text="The normalised invoice (EN 16931 structure)")

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "data"]


class ReceiptSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    invoice = serializers.UUIDField(source="invoice.public_id", default=None, read_only=True)

    class Meta:
        model = Receipt
        fields = [
            "id", "filename", "sha256", "size", "channel", "source", "received_by", "state", "problem", "invoice",
            "created_at",
        ]  # fmt: skip


class UploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), help_text="One or more invoice files (XML or PDF)")


class AssignSerializer(serializers.Serializer):
    org_unit = serializers.UUIDField()
    remember = serializers.BooleanField(default=False, help_text="Route this Leitweg-ID to the unit from now on")


class RouteSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    org_unit = serializers.UUIDField(source="org_unit.public_id")

    class Meta:
        model = LeitwegRoute
        fields = ["id", "leitweg_id", "org_unit", "note"]

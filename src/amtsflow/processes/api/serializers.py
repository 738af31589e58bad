from rest_framework import serializers

from amtsflow.processes.models import Incident, ProcessEvent, ProcessInstance, ProcessModel, ProcessVersion, Task


class ProcessVersionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    deployed_by = serializers.CharField(source="deployed_by.user.username", default=None, read_only=True)

    class Meta:
        model = ProcessVersion
        fields = ["id", "number", "name", "sha256", "plan_entry", "deployed_at", "deployed_by"]


class ProcessModelSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = ProcessModel
        fields = ["id", "key", "name", "description", "plan_entry", "start_event", "latest_version", "updated_at"]

    def get_latest_version(self, model: ProcessModel) -> int | None:
        latest = model.versions.order_by("-number").first()
        return latest.number if latest else None


class ModelImportSerializer(serializers.Serializer):
    bpmn = serializers.FileField(help_text="BPMN 2.0 XML file")
    dmn = serializers.ListField(child=serializers.FileField(), required=False, help_text="DMN files")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    plan_entry = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)


class ModelSettingsSerializer(serializers.Serializer):
    plan_entry = serializers.CharField(allow_blank=True, max_length=50)
    start_event = serializers.CharField(allow_blank=True, required=False, default="")
    description = serializers.CharField(allow_blank=True, required=False, default="")


class StartSerializer(serializers.Serializer):
    data = serializers.DictField(required=False, default=dict, help_text="start variables")
    case = serializers.UUIDField(required=False, allow_null=True, default=None, help_text="existing case")
    subject = serializers.CharField(required=False, allow_blank=True, default="")
    business_key = serializers.CharField(required=False, allow_blank=True, default="")
    sandbox = serializers.BooleanField(required=False, default=False)


class TaskBriefSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    assignee = serializers.CharField(source="assignee.user.username", default=None, read_only=True)
    process = serializers.CharField(source="instance.version.name", read_only=True)
    instance = serializers.UUIDField(source="instance.public_id", read_only=True)
    case = serializers.UUIDField(source="instance.case_id", read_only=True)
    case_label = serializers.CharField(source="instance.case_label", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "name",
            "element_id",
            "state",
            "process",
            "instance",
            "case",
            "case_label",
            "assignee",
            "candidate_groups",
            "candidate_users",
            "due_at",
            "follow_up_at",
            "escalated",
            "is_test",
            "created_at",
            "completed_at",
        ]


class FormFieldSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    readonly = serializers.BooleanField()
    enum_values = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class TaskDetailSerializer(TaskBriefSerializer):
    form = serializers.SerializerMethodField()
    variables = serializers.SerializerMethodField()

    class Meta(TaskBriefSerializer.Meta):
        fields = [*TaskBriefSerializer.Meta.fields, "form", "variables"]

    def get_form(self, task: Task) -> list[dict]:
        return FormFieldSerializer(self.context.get("form_fields", []), many=True).data

    def get_variables(self, task: Task) -> dict:
        return self.context.get("variables", {})


class DelegateSerializer(serializers.Serializer):
    to = serializers.UUIDField(help_text="member ID")


class CompleteSerializer(serializers.Serializer):
    data = serializers.DictField(required=False, default=dict, help_text="form values by field ID")


class InstanceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    process = serializers.CharField(source="version.model.key", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)
    open_tasks = serializers.SerializerMethodField()

    class Meta:
        model = ProcessInstance
        fields = [
            "id",
            "process",
            "version",
            "status",
            "is_test",
            "case",
            "case_label",
            "business_key",
            "started_via",
            "created_at",
            "completed_at",
            "next_timer_at",
            "open_tasks",
        ]

    def get_open_tasks(self, instance: ProcessInstance) -> list[str]:
        return [str(t.public_id) for t in instance.tasks.all() if t.state == "open"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class IncidentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    instance = serializers.UUIDField(source="instance.public_id", read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "instance",
            "activity",
            "element_id",
            "connector",
            "error",
            "attempts",
            "next_retry_at",
            "state",
            "created_at",
            "resolved_at",
        ]


class EventSerializer(serializers.ModelSerializer):
    instance = serializers.UUIDField(source="instance.public_id", read_only=True)

    class Meta:
        model = ProcessEvent
        fields = ["instance", "case_id", "process_key", "activity", "element_id", "lifecycle", "timestamp", "resource"]

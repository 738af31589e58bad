from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "amtsflow.audit"
    label = "audit"
    verbose_name = "Audit trail"

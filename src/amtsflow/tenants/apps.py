from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "amtsflow.tenants"
    label = "tenants"
    verbose_name = "Tenants and identity"

from django.apps import AppConfig


class EinvoicesConfig(AppConfig):
    name = "amtsflow.einvoices"
    label = "einvoices"
    verbose_name = "E-Rechnungen"

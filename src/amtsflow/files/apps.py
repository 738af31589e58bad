from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "amtsflow.files"
    label = "files"
    verbose_name = "E-Akte"

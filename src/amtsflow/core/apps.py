from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "amtsflow.core"
    label = "core"
    verbose_name = "Amtsflow core"

    def ready(self) -> None:
        # Each capability declares its permissions and navigation in `<app>/permissions.py`.
        autodiscover_modules("permissions")

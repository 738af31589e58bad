from django.apps import AppConfig


def _start_for_event(event: object) -> None:
    from amtsflow.processes.services.instances import start_for_event

    start_for_event(event)


class ProcessesConfig(AppConfig):
    name = "amtsflow.processes"
    label = "processes"
    verbose_name = "Prozesse"

    def ready(self) -> None:
        from amtsflow.core.events import subscribe

        subscribe(_start_for_event)

"""Load the demo municipalities and print their logins (`make run` calls this)."""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from amtsflow.tenants import demo as tenants_demo


class Command(BaseCommand):
    help = "Create the demo municipality Musterstadt (and Beispielhausen) with one user per role and sample data."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = tenants_demo.load()
        # Every other capability adds its own sample data in `<app>/demo.py` (in INSTALLED_APPS order).
        for config in apps.get_app_configs():
            own = config.name.startswith("amtsflow.") and config.name != "amtsflow.tenants"
            if own and find_spec(f"{config.name}.demo") is not None:
                import_module(f"{config.name}.demo").load()
                self.stdout.write(f"Demo data loaded: {config.verbose_name}")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (user / password / municipality / roles):"))
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.password:<20} {login.tenant:<15} {login.roles}")

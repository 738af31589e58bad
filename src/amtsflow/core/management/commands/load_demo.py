"""Load the demo municipalities and print their logins (`make run` calls this)."""

from typing import Any

from django.core.management.base import BaseCommand

from amtsflow.tenants import demo


class Command(BaseCommand):
    help = "Create the demo municipality Musterstadt (and Beispielhausen) with one user per role."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (user / password / municipality / roles):"))
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.password:<20} {login.tenant:<15} {login.roles}")

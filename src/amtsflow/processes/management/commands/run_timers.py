import time

from django.core.management.base import BaseCommand, CommandParser

from amtsflow.processes.clock import tick_all_tenants


class Command(BaseCommand):
    help = "Fire due process timers, retry due incidents, remind overdue tasks in all tenants (instead of beat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--interval", type=int, default=30, help="seconds between rounds (default 30)")

    def handle(self, *args: object, once: bool, interval: int, **options: object) -> None:
        while True:
            result = tick_all_tenants()
            self.stdout.write(
                f"timers fired: {result['timers']}, instances retried: {result['retries']}, "
                f"reminders sent: {result['reminders']}"
            )
            if once:
                return
            time.sleep(max(1, interval))

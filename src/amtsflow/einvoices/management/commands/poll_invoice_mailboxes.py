"""Poll the configured invoice mailboxes (AMTSFLOW_INVOICE_MAILBOXES) once, or every N seconds."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amtsflow.einvoices.mailbox import configured_mailboxes
from amtsflow.einvoices.services.mail import poll_all


class Command(BaseCommand):
    help = "Take in new mail of the invoice mailboxes: every invoice attachment becomes an arrival."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="keep polling every N seconds (0: once)")

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        if not configured_mailboxes():
            self.stdout.write("No invoice mailbox is configured (AMTSFLOW_INVOICE_MAILBOXES).")
            return
        while True:
            for name, count in poll_all().items():
                state = "failed, see the log" if count < 0 else f"{count} mail(s) taken in"
                self.stdout.write(f"{name}: {state}")
            if not every:
                return
            time.sleep(every)

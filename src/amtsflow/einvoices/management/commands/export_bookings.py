"""`manage.py export_bookings --tenant SLUG [--out DIR]`: export the released invoices as a booking batch (e.g.
nightly from cron) and write its CSV and JSON to DIR. Exits quietly when nothing is waiting."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from amtsflow.core.exceptions import Conflict
from amtsflow.core.management.base import TenantCommand
from amtsflow.einvoices.services import export
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import Tenant


class Command(TenantCommand):
    help = "Export all released, not yet exported invoices of a municipality as a booking batch (CSV and JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--out", type=Path, help="Directory to write the batch files to")

    def handle_tenant(self, active_tenant: Tenant, *args: Any, **options: Any) -> None:
        actor = Actor.for_system(active_tenant, "export_bookings")  # audited as the scheduled export
        try:
            batch = export.create_batch(actor=actor)
        except Conflict as nothing:
            self.stdout.write(str(nothing.message))
            return
        self.stdout.write(f"batch {batch.number}: {batch.invoice_count} invoices, {batch.gross_total} gross")
        out: Path | None = options["out"]
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            for fmt in ("csv", "json"):
                content, filename, _type = export.download(actor=actor, batch=batch, fmt=fmt)
                (out / filename).write_bytes(content)
                self.stdout.write(str(out / filename))

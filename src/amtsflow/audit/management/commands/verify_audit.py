"""Check the audit chains: `manage.py verify_audit [--tenant SLUG]`; exit code 1 when any chain is broken."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtsflow.audit import selectors
from amtsflow.tenants.models import Tenant


class Command(BaseCommand):
    help = "Recompute the hash chain of the audit trail of one tenant or of all tenants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", help="Short name (slug) of the municipality; all tenants when omitted")

    def handle(self, *args: Any, **options: Any) -> None:
        # Inactive tenants too: their trails must stay intact as long as they are kept.
        tenants = Tenant.objects.order_by("slug")
        if options["tenant"]:
            tenants = tenants.filter(slug=options["tenant"])
            if not tenants.exists():
                raise CommandError(f"Unknown tenant: {options['tenant']}")
        broken = 0
        for tenant in tenants:
            result = selectors.verify_chain(tenant=tenant)
            if result.ok:
                self.stdout.write(self.style.SUCCESS(f"OK {tenant.slug}: {result.checked} entries"))
            else:
                broken += 1
                self.stdout.write(
                    self.style.ERROR(
                        f"BROKEN {tenant.slug}: first broken entry #{result.first_broken_sequence}: {result.reason}"
                    )
                )
        if broken:
            raise CommandError(f"The audit trail of {broken} tenant(s) is broken.", returncode=1)

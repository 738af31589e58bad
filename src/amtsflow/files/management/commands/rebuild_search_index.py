"""Rebuild the full-text search index of one municipality (`--tenant`) or of all of them."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from amtsflow.core.exceptions import NotFound
from amtsflow.files.search import reindex_all, schema
from amtsflow.tenants.context import tenant_by_slug
from amtsflow.tenants.models import Tenant


class Command(BaseCommand):
    help = "Rebuild the search index of files, cases and documents (after restores, upgrades or index damage)."

    def add_arguments(self, parser: CommandParser) -> None:
        # Optional, unlike TenantCommand: an operator rebuilds every tenant after an upgrade.
        parser.add_argument("--tenant", help="Short name (slug) of the municipality; all when left out")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["tenant"]:
            try:
                tenants = [tenant_by_slug(options["tenant"])]
            except NotFound:
                raise CommandError(f"Unknown tenant: {options['tenant']}") from None
        else:
            tenants = list(Tenant.objects.filter(is_active=True).order_by("slug"))
        for tenant in tenants:
            count = reindex_all(tenant=tenant)
            self.stdout.write(f"{tenant.slug}: {count} entries indexed")
        if not connection.in_atomic_block:  # VACUUM cannot run in a transaction (e.g. inside a test)
            schema.optimize(connection)

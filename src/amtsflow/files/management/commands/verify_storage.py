"""Re-hash every stored document content (of one municipality or all): `manage.py verify_storage [--tenant SLUG]`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtsflow.core.exceptions import NotFound
from amtsflow.files.storage import verify_blobs
from amtsflow.tenants.context import tenant_by_slug


class Command(BaseCommand):
    help = "Check that every stored blob exists and still has its SHA-256; exit code 1 on any problem."

    def add_arguments(self, parser: CommandParser) -> None:
        # Optional, unlike TenantCommand: the operator checks the whole storage after a restore.
        parser.add_argument("--tenant", help="Short name (slug) of the municipality; all when left out")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = None
        if options["tenant"]:
            try:
                tenant = tenant_by_slug(options["tenant"])
            except NotFound:
                raise CommandError(f"Unknown tenant: {options['tenant']}") from None
        checked = problems = 0
        for _blob, problem in verify_blobs(tenant=tenant):
            checked += 1
            if problem is not None:
                problems += 1
                self.stdout.write(
                    f"{problem.problem.upper()}: {problem.tenant_slug} {problem.storage_name}"
                    f" (expected {problem.sha256})"
                )
        if problems:
            raise CommandError(f"{problems} of {checked} blobs are missing or damaged", returncode=1)
        self.stdout.write(f"OK: {checked} blobs")

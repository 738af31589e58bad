"""Base for management commands that work inside one tenant (`--tenant <slug>`)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtsflow.core.exceptions import DomainError, NotFound
from amtsflow.tenants.context import tenant_by_slug, tenant_scope
from amtsflow.tenants.models import Tenant


class TenantCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", required=True, help="Short name (slug) of the municipality")

    def handle(self, *args: Any, **options: Any) -> str | None:
        try:
            tenant = tenant_by_slug(options["tenant"])
        except NotFound:
            raise CommandError(f"Unknown tenant: {options['tenant']}") from None
        with tenant_scope(tenant):
            try:
                return self.handle_tenant(tenant, *args, **options)
            except DomainError as error:
                raise CommandError(str(error.message)) from error

    def handle_tenant(self, tenant: Tenant, *args: Any, **options: Any) -> str | None:
        raise NotImplementedError

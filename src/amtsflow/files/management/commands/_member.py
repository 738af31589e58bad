"""`--as USERNAME` for commands that act in a tenant: the command runs as that member, with their roles.

There is no anonymous system actor: an `Actor(tenant=...)` without membership holds no permission, and the audit
trail must name the person who ran the command.
"""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from amtsflow.core.exceptions import NotFound
from amtsflow.core.management.base import TenantCommand
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import Tenant, User
from amtsflow.tenants.selectors import get_membership


class MemberCommand(TenantCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--as",
            dest="as_user",
            required=True,
            metavar="USERNAME",
            help="User name of the member in whose name the command acts (audited)",
        )

    # Not named `tenant`: TenantCommand passes the options (which hold the `tenant` slug) as keywords too.
    def handle_tenant(self, active_tenant: Tenant, *args: Any, **options: Any) -> str | None:
        try:
            user = User.objects.get(username=options["as_user"], is_active=True)
            membership = get_membership(tenant=active_tenant, user=user)
        except (User.DoesNotExist, NotFound):
            raise CommandError(f"{options['as_user']} is no active member of {active_tenant.slug}") from None
        return self.handle_member(Actor.for_membership(membership), *args, **options)

    def handle_member(self, actor: Actor, *args: Any, **options: Any) -> str | None:
        raise NotImplementedError

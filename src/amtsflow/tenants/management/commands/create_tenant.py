"""Create a municipality with its first administrator: `manage.py create_tenant --name ... --ags ...`."""

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtsflow.core.exceptions import DomainError
from amtsflow.tenants import services


class Command(BaseCommand):
    help = "Create a tenant (municipality) and its first tenant administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="e.g. 'Stadt Musterstadt'")
        parser.add_argument("--slug", required=True, help="short name used in URLs, e.g. 'musterstadt'")
        parser.add_argument("--ags", required=True, help="official municipality key, 8 digits")
        parser.add_argument("--leitweg-prefix", default="", help="Leitweg-ID prefix for e-invoices")
        parser.add_argument("--contact-email", default="")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-first-name", default="")
        parser.add_argument("--admin-last-name", default="")
        parser.add_argument(
            "--admin-password",
            default=None,
            help="initial password; omit to be asked, or use --invite to send a link instead",
        )
        parser.add_argument("--invite", action="store_true", help="e-mail the administrator a set-password link")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["admin_password"]
        if password is None and not options["invite"] and sys.stdin.isatty():
            try:
                password = getpass.getpass("Password for the administrator (empty: send invitation): ") or None
            except EOFError:
                password = None
        try:
            tenant, membership = services.create_tenant(
                operator=None,
                name=options["name"],
                slug=options["slug"],
                ags=options["ags"],
                leitweg_prefix=options["leitweg_prefix"],
                contact_email=options["contact_email"],
                admin_username=options["admin_username"],
                admin_email=options["admin_email"],
                admin_first_name=options["admin_first_name"],
                admin_last_name=options["admin_last_name"],
                admin_password=password,
            )
        except DomainError as error:
            details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in error.field_errors.items())
            raise CommandError(f"{error.message} {details}".strip()) from error
        if password is None:
            services.send_invitation(membership=membership)
            self.stdout.write(f"Invitation sent to {options['admin_email']}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created tenant {tenant.name} ({tenant.slug}, AGS {tenant.ags}) with administrator "
                f"{membership.user.username}. Staff URL: /t/{tenant.slug}/"
            )
        )

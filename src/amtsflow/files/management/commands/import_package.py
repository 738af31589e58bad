"""Import a records package: `manage.py import_package --tenant SLUG --as USER FILE.zip [--plan-entry NUMBER]`."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from amtsflow.files import packages, selectors
from amtsflow.files.management.commands._member import MemberCommand
from amtsflow.tenants.actor import Actor


class Command(MemberCommand):
    help = "Create the files of a records package (all or nothing; hostile or damaged packages are refused)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("package", type=Path, help="ZIP file")
        parser.add_argument("--plan-entry", default="", help="File plan number for files whose entry is missing here")

    def handle_member(self, actor: Actor, *args: Any, **options: Any) -> None:
        fallback = None
        if options["plan_entry"]:
            fallback = selectors.list_plan_entries(actor=actor).filter(number=options["plan_entry"]).first()
            if fallback is None:
                raise CommandError(f"Unknown file plan entry: {options['plan_entry']}")
        with options["package"].open("rb") as source:
            akten = packages.import_package(actor=actor, data=source, plan_entry_fallback=fallback)
        for akte in akten:
            self.stdout.write(f"imported {akte.aktenzeichen} {akte.title}")

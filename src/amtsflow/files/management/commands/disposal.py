"""Aussonderung from the command line: `manage.py disposal --tenant SLUG --as USER [--as-of DATE]` prints the files
due; `--create` makes a draft list of them, `--approve LIST_ID` approves one, `--execute LIST_ID` carries one out."""

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser

from amtsflow.files.management.commands._member import MemberCommand
from amtsflow.files.services import retention
from amtsflow.tenants.actor import Actor


class Command(MemberCommand):
    help = "List files due for disposal, create and approve disposal lists, execute an approved list."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="Due before this date (YYYY-MM-DD); today")
        actions = parser.add_mutually_exclusive_group()
        actions.add_argument("--create", action="store_true", help="Create a draft disposal list of the due files")
        actions.add_argument("--approve", metavar="LIST_ID", help="Approve a draft disposal list")
        actions.add_argument("--execute", metavar="LIST_ID", help="Archive or destroy the files of an approved list")

    def handle_member(self, actor: Actor, *args: Any, **options: Any) -> None:
        if options["approve"]:
            disposal_list = retention.get_disposal_list(actor=actor, public_id=options["approve"])
            retention.approve_disposal_list(actor=actor, disposal_list=disposal_list)
            self.stdout.write(f"approved {disposal_list.public_id}")
        elif options["execute"]:
            self._execute(actor, options["execute"])
        elif options["create"]:
            disposal_list = retention.create_disposal_list(actor=actor, as_of=options["as_of"])
            self.stdout.write(f"created {disposal_list.public_id} (draft)")
            for item in disposal_list.items.all():
                self.stdout.write(f"  {item.aktenzeichen}\t{item.action}\t{item.title}")
        else:
            self._print_due(actor, options["as_of"])

    def _print_due(self, actor: Actor, as_of: dt.date | None) -> None:
        due = retention.list_due_for_disposal(actor=actor, as_of=as_of)
        for akte in due:
            flags = " BLOCKED (legal hold)" if akte.blocked else (" (on an open list)" if akte.on_list else "")
            self.stdout.write(
                f"{akte.aktenzeichen}\t{akte.retention_until}\t{akte.plan_entry.disposal_action}\t{akte.title}{flags}"
            )
        self.stdout.write(f"{len(due)} files due")

    def _execute(self, actor: Actor, list_id: str) -> None:
        disposal_list = retention.get_disposal_list(actor=actor, public_id=list_id)
        result = retention.execute_disposal_list(actor=actor, disposal_list=disposal_list)
        for item in result.archived:
            self.stdout.write(f"archived {item.aktenzeichen} -> {item.package_name}")
        for item in result.destroyed:
            self.stdout.write(f"destroyed {item.aktenzeichen}")
        for item in result.failed:
            self.stdout.write(f"FAILED {item.aktenzeichen}: {item.message}")
        if result.failed:
            raise CommandError(f"{len(result.failed)} files failed; the list can be executed again", returncode=1)

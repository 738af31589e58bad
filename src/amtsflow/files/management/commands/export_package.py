"""Export a file's records package: `manage.py export_package --tenant SLUG --as USER AKTENZEICHEN -o FILE.zip`."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from amtsflow.files import packages, selectors
from amtsflow.files.management.commands._member import MemberCommand
from amtsflow.tenants.actor import Actor


class Command(MemberCommand):
    help = "Write the records package (ZIP with XDOMEA-style manifest.xml and all content) of one file."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("aktenzeichen", help="Reference number of the file, e.g. 6.60/2026/0001")
        parser.add_argument("-o", "--output", required=True, type=Path, help="ZIP file to write")
        parser.add_argument("--recipient", default="", help="Receiving authority or archive (manifest Empfaenger)")

    def handle_member(self, actor: Actor, *args: Any, **options: Any) -> None:
        akte = selectors.list_akten(actor=actor).filter(aktenzeichen=options["aktenzeichen"]).first()
        if akte is None:
            raise CommandError(f"Unknown file: {options['aktenzeichen']}")
        data = packages.export_akte_package(actor=actor, akte=akte, recipient=options["recipient"])
        options["output"].write_bytes(data)
        self.stdout.write(f"{akte.aktenzeichen}: {len(data)} bytes written to {options['output']}")

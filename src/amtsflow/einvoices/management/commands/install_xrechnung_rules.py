"""Install official XRechnung rule releases (KoSIT validator-configuration zips) after checking their SHA-256."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtsflow.einvoices.rules import (
    InstallError,
    NotAValidatorConfiguration,
    install_release,
    installed_releases,
    rules_dir,
)


class Command(BaseCommand):
    requires_system_checks = []  # touches no model or URL; keeps the command quick outside any tenant
    help = (
        "Install KoSIT XRechnung validator-configuration zips into AMTSFLOW_XRECHNUNG_RULES_DIR (several releases "
        "side by side; the document chooses). Only zips whose SHA-256 is known are installed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("zips", nargs="*", type=Path, metavar="ZIP")
        parser.add_argument("--list", action="store_true", help="list the installed releases")
        parser.add_argument(
            "--allow-unknown",
            action="store_true",
            help="install a zip whose SHA-256 is in no known list (a new official release not yet known to this "
            "version). Only after comparing the SHA-256 with the publisher's own statement.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        zips: list[Path] = options["zips"]
        if not zips and not options["list"]:
            raise CommandError("Give one or more release zips, or --list.", returncode=2)
        failed = 0
        for zip_path in zips:
            try:
                release = install_release(zip_path, allow_unknown=options["allow_unknown"])
            except NotAValidatorConfiguration as exc:
                self.stdout.write(f"Skipped: {exc}")
                continue
            except InstallError as exc:
                failed += 1
                self.stderr.write(self.style.ERROR(f"Not installed: {zip_path.name}: {exc}"))
                continue
            if not release.verified:
                self.stderr.write(
                    self.style.WARNING(
                        f"WARNING: {release.id} is NOT a known release (SHA-256 {release.sha256}). It was installed "
                        "because of --allow-unknown and will be used to accept or reject invoices. Remove it unless "
                        "you have verified it against the publisher."
                    )
                )
            state = "Installed" if release.newly_installed else "Already installed"
            self.stdout.write(self.style.SUCCESS(f"{state}: {release.id} ({release.name}) in {release.path.parent}"))
        if options["list"]:
            self._list()
        if failed:
            raise CommandError(f"{failed} of {len(zips)} zips not installed.")

    def _list(self) -> None:
        releases = installed_releases()
        if not releases:
            self.stdout.write(f"No XRechnung rules installed in {rules_dir()}.")
            return
        for release in releases:
            flag = "" if release.verified else "  UNVERIFIED"
            self.stdout.write(
                f"{release.id}  XRechnung {release.xrechnung_version or '?'}  released {release.release_date}  "
                f"{len(release.files)} files  sha256 {release.sha256[:16]}…{flag}"
            )

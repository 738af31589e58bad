"""Validate e-invoice XML files as the KoSIT validator does (no tenant, no database).

Exit code 0: every file accepted; 1: at least one rejected or not validated; 2: usage error (no such file,
no rules installed).
"""

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtsflow.einvoices.rules import RulesUnavailable, available_releases
from amtsflow.einvoices.validation import ValidationReport, validate_xml


class Command(BaseCommand):
    requires_system_checks = []  # touches no model or URL; keeps the command quick outside any tenant
    help = "Validate XRechnung / EN 16931 invoices (UBL or CII XML) and recommend accept or reject."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--json", action="store_true", help="one JSON object per file and line")

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = options["files"]
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}", returncode=2)
        try:
            available_releases()
        except RulesUnavailable as exc:
            raise CommandError(str(exc), returncode=2) from exc
        limit = settings.AMTSFLOW_EINVOICE_MAX_BYTES
        not_accepted = 0
        for path in files:
            with path.open("rb") as handle:
                content = handle.read(limit + 1)  # a larger file is refused anyway; never read all of it
            report = validate_xml(content, filename=path.name)
            not_accepted += not report.accepted
            if options["json"]:
                self.stdout.write(json.dumps({"file": str(path), **report.as_dict()}, ensure_ascii=False))
            else:
                self._print(path, report)
        if not_accepted:
            raise CommandError(f"{not_accepted} of {len(files)} files not accepted.", returncode=1)

    def _print(self, path: Path, report: ValidationReport) -> None:
        style = {"accept": self.style.SUCCESS, "reject": self.style.ERROR}.get(
            report.recommendation, self.style.WARNING
        )
        self.stdout.write(f"{path}: " + style(report.recommendation))
        if report.scenario:
            version = f"XRechnung {report.xrechnung_version}" if report.xrechnung_version else "EN 16931"
            rules = f"rules {report.release}" + (f" (XRechnung {report.rules_version})" if report.rules_version else "")
            self.stdout.write(f"  {version}, {report.document_type or '?'}; scenario: {report.scenario}; {rules}")
        if report.error and all(report.error != f.message for f in report.findings):
            self.stdout.write(f"  {report.error}")
        for finding in report.findings:
            where = f"  at {_readable(finding.location)}" if finding.location else ""
            self.stdout.write(f"  {finding.severity:<11} {finding.rule}: {finding.message}{where}")


_PREFIXES = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "ubl",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "cn",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc",
    "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100": "rsm",
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100": "ram",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100": "udt",
    "urn:un:unece:uncefact:data:standard:QualifiedDataType:100": "qdt",
}


def _readable(location: str) -> str:
    """/Q{urn:...Invoice-2}Invoice[1]/Q{...}Note[2] -> /ubl:Invoice[1]/cbc:Note[2] (JSON keeps the exact XPath)."""
    return re.sub(
        r"Q\{([^}]*)\}", lambda m: f"{_PREFIXES[m.group(1)]}:" if m.group(1) in _PREFIXES else m.group(0), location
    )

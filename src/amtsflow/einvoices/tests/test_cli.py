"""`manage.py validate_invoice`: text and JSON output, and the exit codes of the real command line."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from amtsflow.core.testing.shared_data import REPO_ROOT
from amtsflow.einvoices.rules import RuleRelease

from .conftest import XRECHNUNG

STANDARD = XRECHNUNG / "testsuite" / "src" / "test" / "business-cases" / "standard"


@pytest.fixture
def good(rules: tuple[RuleRelease, ...]) -> Path:
    return STANDARD / "01.01a-INVOICE_ubl.xml"


@pytest.fixture
def bad(good: Path, tmp_path: Path) -> Path:
    """The same invoice without Buyer reference (BT-10): BR-DE-15 fires, the invoice is rejected."""
    path = tmp_path / "ohne-leitweg-id.xml"
    text = good.read_text("utf-8")
    start = text.index("<cbc:BuyerReference>")
    end = text.index("</cbc:BuyerReference>") + len("</cbc:BuyerReference>")
    path.write_text(text[:start] + text[end:], "utf-8")
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("validate_invoice", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_text_output_for_an_accepted_invoice(good: Path) -> None:
    out, _ = run(str(good))
    lines = out.splitlines()
    assert lines[0] == f"{good}: accept"
    assert "XRechnung 3.0, UBL Invoice; scenario: EN16931 XRechnung (UBL Invoice)" in lines[1]
    assert "rules xrechnung-3.0.2-validator-configuration-2026-01-31 (XRechnung 3.0.2)" in lines[1]
    assert any(line.split()[:2] == ["information", "BR-DE-TMP-32:"] for line in lines[2:])
    assert "at /ubl:Invoice[1]" in out  # locations with readable prefixes


def test_text_output_and_exit_code_1_for_a_rejected_invoice(good: Path, bad: Path) -> None:
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("validate_invoice", str(good), str(bad), stdout=out, stderr=StringIO())
    assert failed.value.returncode == 1
    assert "1 of 2 files not accepted" in str(failed.value)
    assert f"{bad}: reject" in out.getvalue()
    assert "error       BR-DE-15: [BR-DE-15]" in out.getvalue()


def test_json_output_has_one_object_per_file(good: Path, bad: Path) -> None:
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("validate_invoice", "--json", str(good), str(bad), stdout=out, stderr=StringIO())
    objects = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [o["file"] for o in objects] == [str(good), str(bad)]
    assert [o["recommendation"] for o in objects] == ["accept", "reject"]
    for obj in objects:
        assert {"file", "recommendation", "scenario", "findings"} <= obj.keys()
        assert obj["scenario"] == "EN16931 XRechnung (UBL Invoice)"
        for finding in obj["findings"]:
            assert finding.keys() == {"rule", "severity", "message", "location"}
            assert finding["severity"] in ("error", "warning", "information")
    assert {"rule": "BR-DE-15", "severity": "error"}.items() <= next(
        f for f in objects[1]["findings"] if f["rule"] == "BR-DE-15"
    ).items()


def test_json_severity_is_after_the_scenarios_custom_levels(rules: tuple[RuleRelease, ...]) -> None:
    path = XRECHNUNG / "kosit-config-tests" / "src" / "test" / "integration" / "ubl-cr-646-sub-invoice-lines-cius.xml"
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("validate_invoice", "--json", str(path), stdout=out, stderr=StringIO())
    finding = next(f for f in json.loads(out.getvalue())["findings"] if f["rule"] == "UBL-CR-646")
    assert finding["severity"] == "error"  # the CEN rule says warning; the XRechnung scenario raises it


def test_missing_file_is_a_usage_error(good: Path) -> None:
    with pytest.raises(CommandError, match="No such file: /no/such/invoice.xml") as failed:
        run(str(good), "/no/such/invoice.xml")
    assert failed.value.returncode == 2


def test_no_installed_rules_is_a_usage_error(good: Path, tmp_path: Path, settings) -> None:  # noqa: ANN001
    settings.AMTSFLOW_XRECHNUNG_RULES_DIR = tmp_path / "none"
    with pytest.raises(CommandError, match="No XRechnung rules are installed") as failed:
        run(str(good))
    assert failed.value.returncode == 2


def manage(*args: str, rules_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "AMTSFLOW_XRECHNUNG_RULES_DIR": str(rules_dir), "DJANGO_SETTINGS_MODULE": "amtsflow.conf.test"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_exit_codes_of_the_command_line(good: Path, xrechnung_rules_dir: Path) -> None:
    """0 and argparse's 2 need the real process; 1 and the other 2s are CommandError.returncode (above), which
    Django's command line turns into the exit code."""
    accepted = manage("validate_invoice", str(good), rules_dir=xrechnung_rules_dir)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith(f"{good}: accept")
    no_file = manage("validate_invoice", rules_dir=xrechnung_rules_dir)
    assert no_file.returncode == 2
    assert "the following arguments are required: FILE" in no_file.stderr

"""The official rule releases, installed once per test session into a temporary rules directory."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from amtsflow.core.testing.shared_data import require_shared, shared_data_dir
from amtsflow.einvoices.rules import NotAValidatorConfiguration, RuleRelease, available_releases, install_release
from amtsflow.einvoices.validation import warm_up

XRECHNUNG = shared_data_dir() / "xrechnung"


@pytest.fixture(scope="session")
def xrechnung_rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every release zip of the shared rules folder installed as `make setup` does; the setting points there."""
    zips = sorted(require_shared("xrechnung", "rules").glob("*.zip"))
    assert zips, "no rule zips in the shared xrechnung/rules folder"
    target = tmp_path_factory.mktemp("xrechnung-rules")
    for zip_path in zips:
        # The Schematron source zips are skipped: their compiled rules are part of the validator configuration.
        with contextlib.suppress(NotAValidatorConfiguration):
            install_release(zip_path, directory=target)
    previous = settings.AMTSFLOW_XRECHNUNG_RULES_DIR
    settings.AMTSFLOW_XRECHNUNG_RULES_DIR = target
    yield target
    settings.AMTSFLOW_XRECHNUNG_RULES_DIR = previous


@pytest.fixture(scope="session")
def rule_releases(xrechnung_rules_dir: Path) -> tuple[RuleRelease, ...]:
    releases = available_releases(xrechnung_rules_dir)
    warm_up(releases)  # compile once per session; every test after this runs warm
    return releases


@pytest.fixture
def rules(rule_releases: tuple[RuleRelease, ...]) -> tuple[RuleRelease, ...]:
    """The installed, compiled releases (the setting points at them for the whole session)."""
    return rule_releases


@pytest.fixture
def release(rules: tuple[RuleRelease, ...]) -> RuleRelease:
    return rules[0]

"""The official rule releases, installed once per test session into a temporary rules directory; the tenant side:
file plan, members, a unit, the invoice channel."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from amtsflow.core.testing.imap_server import dovecot, imap_account  # noqa: F401 - fixtures of the mail tests
from amtsflow.core.testing.shared_data import require_shared, shared_data_dir
from amtsflow.einvoices.rules import NotAValidatorConfiguration, RuleRelease, available_releases, install_release
from amtsflow.einvoices.validation import warm_up
from amtsflow.files import services as files_services
from amtsflow.tenants.constants import OrgUnitKind, Role
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import OrgUnit

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


# --- Tenant-side fixtures: file plan, members, a unit, the invoice channel ---

STANDARD = XRECHNUNG / "testsuite" / "src" / "test" / "business-cases" / "standard"
ZUGFERD = XRECHNUNG / "zugferd-samples"


@pytest.fixture
def tiefbau(tenant_a) -> OrgUnit:  # noqa: ANN001
    tenant_a.leitweg_prefix = "04011000"
    tenant_a.save()
    with tenant_scope(tenant_a):
        return OrgUnit.objects.create(tenant=tenant_a, name="Tiefbauamt", code="66", kind=OrgUnitKind.AMT)


@pytest.fixture
def treasurer_member(tenant_a, make_member, tiefbau):  # noqa: ANN001, ANN201
    return make_member(tenant_a, Role.TREASURY, Role.RECORDS_MANAGER, org_unit=tiefbau)


@pytest.fixture
def treasurer(treasurer_member, actor_for):  # noqa: ANN001, ANN201
    return actor_for(treasurer_member)


@pytest.fixture
def invoice_clerk_member(tenant_a, make_member, tiefbau):  # noqa: ANN001, ANN201
    return make_member(tenant_a, Role.CLERK, org_unit=tiefbau)


@pytest.fixture
def invoice_clerk(invoice_clerk_member, actor_for):  # noqa: ANN001, ANN201
    return actor_for(invoice_clerk_member)


def create_invoice_plan(tenant, actor) -> None:  # noqa: ANN001
    """The file plan entries invoices are filed under (2.10.01 by default)."""
    with tenant_scope(tenant):
        for number, title, accepts in (
            ("2", "Finanzen", False),
            ("2.10", "Kasse", False),
            ("2.10.01", "Rechnungen", True),
        ):
            files_services.create_plan_entry(actor=actor, number=number, title=title, accepts_files=accepts)


@pytest.fixture
def invoice_plan(tenant_a, treasurer):  # noqa: ANN001, ANN201
    create_invoice_plan(tenant_a, treasurer)


@pytest.fixture
def invoice_setup(rules, document_root, invoice_plan, tiefbau):  # noqa: ANN001, ANN201
    """Rules installed, storage in a temp dir, the file plan entry for invoices and one unit."""
    return tiefbau

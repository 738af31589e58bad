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


# --- Tenant-side fixtures: storage, file plan, members, a unit, the invoice channel ---

import pytest as _pytest  # noqa: E402
from django.test import override_settings  # noqa: E402

from amtsflow.files import services as files_services  # noqa: E402
from amtsflow.tenants.constants import OrgUnitKind, Role  # noqa: E402
from amtsflow.tenants.context import tenant_scope  # noqa: E402
from amtsflow.tenants.models import OrgUnit  # noqa: E402

STANDARD = XRECHNUNG / "testsuite" / "src" / "test" / "business-cases" / "standard"
ZUGFERD = XRECHNUNG / "zugferd-samples"


@_pytest.fixture
def document_root(tmp_path, settings):  # noqa: ANN001, ANN201
    storages = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        },
    }
    with override_settings(STORAGES=storages):
        yield tmp_path / "documents"


@_pytest.fixture
def tiefbau(tenant_a) -> OrgUnit:  # noqa: ANN001
    tenant_a.leitweg_prefix = "04011000"
    tenant_a.save()
    with tenant_scope(tenant_a):
        return OrgUnit.objects.create(tenant=tenant_a, name="Tiefbauamt", code="66", kind=OrgUnitKind.AMT)


@_pytest.fixture
def treasurer_member(tenant_a, make_member, tiefbau):  # noqa: ANN001, ANN201
    return make_member(tenant_a, Role.TREASURY, Role.RECORDS_MANAGER, org_unit=tiefbau)


@_pytest.fixture
def treasurer(treasurer_member, actor_for):  # noqa: ANN001, ANN201
    return actor_for(treasurer_member)


@_pytest.fixture
def invoice_clerk_member(tenant_a, make_member, tiefbau):  # noqa: ANN001, ANN201
    return make_member(tenant_a, Role.CLERK, org_unit=tiefbau)


@_pytest.fixture
def invoice_clerk(invoice_clerk_member, actor_for):  # noqa: ANN001, ANN201
    return actor_for(invoice_clerk_member)


@_pytest.fixture
def invoice_plan(tenant_a, treasurer):  # noqa: ANN001, ANN201
    with tenant_scope(tenant_a):
        for number, title, accepts in (
            ("2", "Finanzen", False),
            ("2.10", "Kasse", False),
            ("2.10.01", "Rechnungen", True),
        ):
            files_services.create_plan_entry(actor=treasurer, number=number, title=title, accepts_files=accepts)


@_pytest.fixture
def invoice_setup(rules, document_root, invoice_plan, tiefbau):  # noqa: ANN001, ANN201
    """Rules installed, storage in a temp dir, the file plan entry for invoices and one unit."""
    return tiefbau

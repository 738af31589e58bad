"""Fixtures of the process tests: members per role, the plan entries the shipped models file into, deployed models."""

from collections.abc import Callable
from pathlib import Path

import pytest

from amtsflow.files import services as files_services
from amtsflow.processes import services
from amtsflow.processes.models import ProcessModel
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope

LIBRARY = Path(__file__).resolve().parents[1] / "library"


@pytest.fixture(autouse=True)
def _documents_per_test(document_root):  # noqa: ANN001, ANN202
    return document_root


@pytest.fixture
def owner_member(tenant_a, make_member):  # noqa: ANN001, ANN201
    return make_member(tenant_a, Role.PROCESS_OWNER, Role.CLERK, Role.RECORDS_MANAGER)


@pytest.fixture
def owner(owner_member, actor_for) -> Actor:  # noqa: ANN001
    return actor_for(owner_member)


@pytest.fixture
def clerk_member(tenant_a, make_member):  # noqa: ANN001, ANN201
    return make_member(tenant_a, Role.CLERK)


@pytest.fixture
def clerk(clerk_member, actor_for) -> Actor:  # noqa: ANN001
    return actor_for(clerk_member)


@pytest.fixture
def plan(tenant_a, owner) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        for number, title, accepts in (
            ("3", "Ordnung", False),
            ("3.20", "Gewerbe", False),
            ("3.20.01", "Anträge", True),
            ("6", "Bauen", False),
            ("6.60", "Straßen", False),
            ("6.60.01", "Schadensmeldungen", True),
        ):
            files_services.create_plan_entry(actor=owner, number=number, title=title, accepts_files=accepts)


@pytest.fixture
def deploy_library(tenant_a, owner, plan) -> Callable[..., ProcessModel]:  # noqa: ANN001
    def deploy(bpmn: str, *dmn: str, plan_entry: str = "6.60.01") -> ProcessModel:
        with tenant_scope(tenant_a):
            model = services.import_model(
                actor=owner,
                bpmn=(LIBRARY / bpmn).read_bytes(),
                dmn=[(name, (LIBRARY / name).read_bytes()) for name in dmn],
                plan_entry=plan_entry,
            )
            services.deploy(actor=owner, model=model)
            return model

    return deploy


@pytest.fixture
def reference_model(deploy_library) -> ProcessModel:  # noqa: ANN001
    return deploy_library("reference.bpmn")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    """`with committed(): ...` runs what a service queued for after its commit (connector runs, event starts),
    as the real commit outside the test transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)

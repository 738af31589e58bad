"""Fixtures of the audit tests: actors of both tenants and filled chains."""

from collections.abc import Callable

import pytest

from amtsflow.audit import services
from amtsflow.audit.models import AuditEntry
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import Membership, Tenant


@pytest.fixture
def actor_a(admin_a: Membership, actor_for: Callable[[Membership], Actor]) -> Actor:
    return actor_for(admin_a)


@pytest.fixture
def actor_b(admin_b: Membership, actor_for: Callable[[Membership], Actor]) -> Actor:
    return actor_for(admin_b)


@pytest.fixture
def fill() -> Callable[..., list[AuditEntry]]:
    """Append `count` entries for `actor` (or the system in `tenant`)."""

    def make(count: int, *, actor: Actor | None = None, tenant: Tenant | None = None) -> list[AuditEntry]:
        return [
            services.record(
                actor=actor,
                tenant=tenant,
                action="akte.created",
                object_type="files.akte",
                object_id=f"akte-{number}",
                object_label=f"Akte {number}",
                details={"number": number},
            )
            for number in range(1, count + 1)
        ]

    return make

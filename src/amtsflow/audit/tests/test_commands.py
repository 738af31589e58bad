from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from amtsflow.audit.models import AuditEntry
from amtsflow.audit.tests.helpers import triggers_off

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_all_tenants_ok(actor_a, tenant_b, fill) -> None:  # noqa: ANN001
    fill(3, actor=actor_a)

    assert _run().splitlines() == ["OK gemeinde-b: 0 entries", "OK stadt-a: 3 entries"]


def test_one_tenant(actor_a, tenant_b, fill) -> None:  # noqa: ANN001
    fill(2, actor=actor_a)

    assert _run("--tenant", "stadt-a").splitlines() == ["OK stadt-a: 2 entries"]


def test_broken_chain_is_named_and_fails(actor_a, actor_b, fill) -> None:  # noqa: ANN001
    fill(4, actor=actor_a)
    fill(1, actor=actor_b)
    with triggers_off():
        AuditEntry.unscoped_objects.filter(tenant=actor_a.tenant, sequence=2).update(object_label="Akte 99")
    out = StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=out)

    assert failure.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "OK gemeinde-b: 1 entries",
        "BROKEN stadt-a: first broken entry #2: stored values do not match the entry hash",
    ]


def test_deleted_entry_is_named(actor_a, fill) -> None:  # noqa: ANN001
    fill(4, actor=actor_a)
    with triggers_off():
        AuditEntry.unscoped_objects.filter(tenant=actor_a.tenant, sequence=3).delete()
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("verify_audit", "--tenant", "stadt-a", stdout=out)

    assert out.getvalue().startswith("BROKEN stadt-a: first broken entry #3: missing")


def test_unknown_tenant(db) -> None:  # noqa: ANN001
    with pytest.raises(CommandError, match="Unknown tenant"):
        call_command("verify_audit", "--tenant", "nirgendwo")

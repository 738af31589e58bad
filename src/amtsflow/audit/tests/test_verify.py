"""verify_chain finds every kind of tampering and names the first broken entry."""

import datetime
from collections.abc import Callable

import pytest

from amtsflow.audit.chain import compute_hash
from amtsflow.audit.models import AuditEntry, AuditHead
from amtsflow.audit.selectors import VerificationResult, verify_chain
from amtsflow.audit.tests.helpers import entries_of, triggers_off
from amtsflow.tenants.models import Tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(actor_a, fill) -> list[AuditEntry]:  # noqa: ANN001
    return fill(5, actor=actor_a)


def _entries(tenant: Tenant):  # noqa: ANN202
    return AuditEntry.unscoped_objects.filter(tenant=tenant)


def _forge(template: AuditEntry, *, sequence: int, previous_hash: str) -> AuditEntry:
    """A well-formed entry with a correct hash, as a forger who knows the algorithm would write it."""
    forged = AuditEntry(
        tenant=template.tenant,
        sequence=sequence,
        created_at=template.created_at,
        actor_label="forger",
        action="akte.destroyed",
        object_type="files.akte",
        object_id="akte-99",
        previous_hash=previous_hash,
    )
    forged.entry_hash = compute_hash(forged)
    forged.save(force_insert=True)
    return forged


def _broken_at(tenant: Tenant, sequence: int) -> VerificationResult:
    result = verify_chain(tenant=tenant)
    assert not result.ok
    assert result.first_broken_sequence == sequence, result.reason
    assert result.checked == sequence - 1
    return result


def test_untampered_chain_passes(chain, tenant_a) -> None:  # noqa: ANN001
    assert verify_chain(tenant=tenant_a) == VerificationResult(ok=True, checked=5)


def test_empty_trail_passes(tenant_b) -> None:  # noqa: ANN001
    assert verify_chain(tenant=tenant_b) == VerificationResult(ok=True, checked=0)


def test_other_tenants_do_not_disturb_the_chain(chain, actor_b, fill, tenant_a) -> None:  # noqa: ANN001
    fill(3, actor=actor_b)

    assert verify_chain(tenant=tenant_a).checked == 5
    assert verify_chain(tenant=actor_b.tenant).checked == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("action", "akte.created_x"),
        ("actor_label", "someone-else"),
        ("actor_user_ref", 999_999),
        ("object_type", "files.vorgang"),
        ("object_id", "akte-77"),
        ("object_label", "Akte 77"),
        ("details", {"number": 77}),
        ("created_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
    ],
)
def test_changed_field_is_found(chain, tenant_a, field: str, value: object) -> None:  # noqa: ANN001
    with triggers_off():
        _entries(tenant_a).filter(sequence=3).update(**{field: value})

    result = _broken_at(tenant_a, 3)
    assert "hash" in result.reason


def test_time_moved_by_one_microsecond_is_found(chain, tenant_a) -> None:  # noqa: ANN001
    with triggers_off():
        _entries(tenant_a).filter(sequence=2).update(
            created_at=chain[1].created_at + datetime.timedelta(microseconds=1)
        )

    _broken_at(tenant_a, 2)


def test_rewritten_entry_with_recomputed_hash_breaks_the_link_to_the_next(chain, tenant_a) -> None:  # noqa: ANN001
    entry = entries_of(tenant_a)[2]
    entry.action = "akte.destroyed"
    with triggers_off():
        _entries(tenant_a).filter(pk=entry.pk).update(action=entry.action, entry_hash=compute_hash(entry))

    result = _broken_at(tenant_a, 4)
    assert "previous hash" in result.reason


def test_changed_previous_hash_is_found(chain, tenant_a) -> None:  # noqa: ANN001
    with triggers_off():
        _entries(tenant_a).filter(sequence=3).update(previous_hash="f" * 64)

    _broken_at(tenant_a, 3)


@pytest.mark.parametrize("deleted", [1, 3])
def test_deleted_entry_is_found(chain, tenant_a, deleted: int) -> None:  # noqa: ANN001
    with triggers_off():
        _entries(tenant_a).filter(sequence=deleted).delete()

    result = _broken_at(tenant_a, deleted)
    assert "missing" in result.reason


def test_truncated_tail_is_found(chain, tenant_a) -> None:  # noqa: ANN001
    with triggers_off():
        _entries(tenant_a).filter(sequence__gte=4).delete()

    result = _broken_at(tenant_a, 4)
    assert "head ends at #5" in result.reason


def test_all_entries_deleted_is_found(chain, tenant_a) -> None:  # noqa: ANN001
    with triggers_off():
        _entries(tenant_a).delete()

    _broken_at(tenant_a, 1)


def test_forged_entry_appended_without_the_head_is_found(chain, tenant_a) -> None:  # noqa: ANN001
    _forge(chain[-1], sequence=6, previous_hash=chain[-1].entry_hash)

    result = _broken_at(tenant_a, 6)
    assert "head" in result.reason


def test_entry_inserted_in_the_middle_is_found(chain, tenant_a) -> None:  # noqa: ANN001
    # Make room for a forged #3 (one row at a time: the unique constraint is checked per row),
    # then insert it with a correct hash and move the head as well.
    with triggers_off():
        for entry in reversed(chain[2:]):
            _entries(tenant_a).filter(pk=entry.pk).update(sequence=entry.sequence + 1)
    _forge(chain[1], sequence=3, previous_hash=chain[1].entry_hash)
    AuditHead.objects.filter(tenant=tenant_a).update(last_sequence=6)

    result = _broken_at(tenant_a, 4)
    assert "previous hash" in result.reason


def test_head_moved_back_over_the_last_entry_is_found(chain, tenant_a) -> None:  # noqa: ANN001
    AuditHead.objects.filter(tenant=tenant_a).update(last_sequence=4, last_hash=chain[3].entry_hash)

    _broken_at(tenant_a, 5)


def test_head_with_another_hash_is_found(chain, tenant_a) -> None:  # noqa: ANN001
    AuditHead.objects.filter(tenant=tenant_a).update(last_hash="a" * 64)

    result = _broken_at(tenant_a, 5)
    assert "chain head" in result.reason


def test_missing_head_is_found(chain, tenant_a) -> None:  # noqa: ANN001
    AuditHead.objects.filter(tenant=tenant_a).delete()

    result = _broken_at(tenant_a, 1)
    assert "head is missing" in result.reason


def test_entry_moved_to_another_tenant_is_found(chain, tenant_a, tenant_b, fill: Callable[..., object]) -> None:  # noqa: ANN001
    fill(2, tenant=tenant_b)
    with triggers_off():
        _entries(tenant_a).filter(sequence=5).update(tenant=tenant_b, sequence=3)

    assert _broken_at(tenant_a, 5).reason.startswith("missing")
    assert verify_chain(tenant=tenant_b).first_broken_sequence == 3

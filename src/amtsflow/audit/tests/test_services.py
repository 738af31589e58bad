import datetime
import hashlib
import json
import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from amtsflow.audit import selectors, services
from amtsflow.audit.chain import compute_hash
from amtsflow.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from amtsflow.audit.tests.helpers import entries_of
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import ApiClient, User
from amtsflow.tenants.tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def test_record_stores_actor_object_and_details(actor_a, tenant_a) -> None:  # noqa: ANN001
    unit = OrgUnitFactory(tenant=tenant_a, name="Bauamt", code="60")

    returned = services.record(actor=actor_a, action="akte.created", obj=unit, details={"reason": "Neubau"})

    entry = AuditEntry.unscoped_objects.get(pk=returned.pk)
    assert entry.tenant == tenant_a
    assert entry.sequence == 1
    assert entry.actor_label == actor_a.user.username
    assert entry.actor_user == actor_a.user
    assert entry.actor_user_ref == actor_a.user.pk
    assert (entry.object_type, entry.object_id, entry.object_label) == (
        "tenants.orgunit",
        str(unit.public_id),
        "60 Bauamt",
    )
    assert entry.details == {"reason": "Neubau"}
    assert entry.previous_hash == GENESIS_HASH
    assert entry.created_at == returned.created_at  # stored to the microsecond
    assert entry.entry_hash == returned.entry_hash == compute_hash(entry)


def test_entry_hash_is_sha256_of_sorted_compact_json(actor_a) -> None:  # noqa: ANN001
    entry = services.record(actor=actor_a, action="package.exported", object_type="files.akte", object_id="x1")
    entry = AuditEntry.unscoped_objects.get(pk=entry.pk)

    payload = {
        "action": "package.exported",
        "actor_label": actor_a.user.username,
        "actor_user_ref": actor_a.user.pk,
        "created_at": entry.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "details": {},
        "object_id": "x1",
        "object_label": "",
        "object_type": "files.akte",
        "previous_hash": GENESIS_HASH,
        "sequence": 1,
        "tenant_id": actor_a.tenant.pk,
    }
    text = json.dumps(payload, separators=(",", ":"))
    assert '": ' not in text and text.startswith('{"action"')
    assert entry.entry_hash == hashlib.sha256(text.encode()).hexdigest()


def test_entries_chain_per_tenant_and_move_the_head(actor_a, actor_b) -> None:  # noqa: ANN001
    first = services.record(actor=actor_a, action="akte.created")
    other = services.record(actor=actor_b, action="akte.created")
    second = services.record(actor=actor_a, action="akte.destroyed")

    assert (first.sequence, second.sequence, other.sequence) == (1, 2, 1)
    assert second.previous_hash == first.entry_hash
    assert other.previous_hash == GENESIS_HASH
    head = AuditHead.objects.get(tenant=actor_a.tenant)
    assert (head.last_sequence, head.last_hash) == (2, second.entry_hash)
    assert second.created_at >= first.created_at


def test_next_append_moves_the_known_head_in_two_statements(actor_a) -> None:  # noqa: ANN001
    first = services.record(actor=actor_a, action="akte.created")
    with CaptureQueriesContext(connection) as queries:
        second = services.record(actor=actor_a, action="akte.destroyed")

    sent = [query["sql"] for query in queries.captured_queries]
    assert len(sent) == 2 and sent[0].startswith("UPDATE") and sent[1].startswith("INSERT")
    assert (second.sequence, second.previous_hash) == (2, first.entry_hash)
    head = AuditHead.objects.get(tenant=actor_a.tenant)
    assert (head.last_sequence, head.last_hash) == (2, second.entry_hash)
    assert selectors.verify_chain(tenant=actor_a.tenant).ok


def test_a_head_moved_on_elsewhere_is_read_again_under_its_lock(actor_a) -> None:  # noqa: ANN001
    first = services.record(actor=actor_a, action="akte.created")
    known = dict(services._known_heads())
    services.record(actor=actor_a, action="akte.changed")  # as another process would: the head moves past `first`
    services._known_heads().update(known)  # this thread still believes in `first`

    third = services.record(actor=actor_a, action="akte.destroyed")

    assert [(e.sequence, e.action) for e in entries_of(actor_a.tenant)] == [
        (1, "akte.created"),
        (2, "akte.changed"),
        (3, "akte.destroyed"),
    ]
    assert third.previous_hash != first.entry_hash
    assert selectors.verify_chain(tenant=actor_a.tenant).ok


def test_a_known_head_with_the_same_number_but_another_hash_is_not_trusted(actor_a) -> None:  # noqa: ANN001
    services.record(actor=actor_a, action="akte.created")
    services._known_heads()[actor_a.tenant.pk] = (1, "f" * 64)  # e.g. an entry that was rolled back

    services.record(actor=actor_a, action="akte.destroyed")

    assert [e.sequence for e in entries_of(actor_a.tenant)] == [1, 2]
    assert selectors.verify_chain(tenant=actor_a.tenant).ok


def test_system_actor_writes_to_the_active_tenant(tenant_a) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        entry = services.record(actor=None, action="akte.destroyed", object_type="files.akte", object_id="42")

    assert entry.tenant == tenant_a
    assert entry.actor_label == "system"
    assert entry.actor_user is None and entry.actor_user_ref is None


def test_system_actor_without_tenant_is_refused(db) -> None:  # noqa: ANN001
    with pytest.raises(LookupError):
        services.record(actor=None, action="akte.destroyed")
    assert not AuditEntry.unscoped_objects.exists()


def test_explicit_tenant_for_system_actor(tenant_b) -> None:  # noqa: ANN001
    assert services.record(actor=None, tenant=tenant_b, action="package.exported").tenant == tenant_b


def test_api_client_is_named_in_the_label(tenant_a) -> None:  # noqa: ANN001
    client = ApiClient(tenant=tenant_a, name="Fachverfahren", token_prefix="p1", token_hash="0" * 64)
    entry = services.record(actor=Actor.for_api_client(client), action="document.downloaded")

    assert entry.actor_label == "api-client:Fachverfahren"
    assert entry.actor_user_ref is None


def test_record_refuses_another_tenants_trail_or_object(actor_a, tenant_b) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="own tenant"):
        services.record(actor=actor_a, tenant=tenant_b, action="akte.created")
    with pytest.raises(ValueError, match="another tenant"):
        services.record(actor=actor_a, action="akte.created", obj=OrgUnitFactory(tenant=tenant_b))
    with tenant_scope(tenant_b), pytest.raises(ValueError, match="Another tenant"):
        services.record(actor=actor_a, action="akte.created")  # a different tenant is active
    assert not AuditEntry.unscoped_objects.exists()


def test_object_without_public_id_uses_primary_key(actor_a, tenant_a) -> None:  # noqa: ANN001
    entry = services.record(actor=actor_a, action="package.exported", obj=tenant_a, object_label="Export 2026")

    assert (entry.object_type, entry.object_id, entry.object_label) == (
        "tenants.tenant",
        str(tenant_a.pk),
        "Export 2026",
    )


def test_object_label_is_cut_to_300_characters(actor_a, tenant_a) -> None:  # noqa: ANN001
    unit = OrgUnitFactory(tenant=tenant_a, name="x" * 200, code="1" * 20)
    long_label = services.record(actor=actor_a, action="akte.created", obj=unit, object_label="y" * 400)

    assert long_label.object_label == "y" * 300


def test_contradicting_object_fields_are_refused(actor_a, tenant_a) -> None:  # noqa: ANN001
    unit = OrgUnitFactory(tenant=tenant_a)
    with pytest.raises(ValueError, match="contradict"):
        services.record(actor=actor_a, action="akte.created", obj=unit, object_type="files.akte")


@pytest.mark.parametrize("action", ["", "created", "Akte.Created", "akte.", "akte created", "a." + "b" * 100])
def test_action_must_be_noun_dot_verb(actor_a, action: str) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="noun"):
        services.record(actor=actor_a, action=action)


def test_details_are_stored_as_plain_json_and_hash_again_after_reading(actor_a) -> None:  # noqa: ANN001
    details = {
        "amount": Decimal("12.50"),
        "due": datetime.date(2026, 3, 1),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "label": gettext_lazy("File created"),
        "large": 1e16,
        "ratio": 0.1,
        "tiny": 1.5e-7,
        "nested": {"b": [1, 2.0, None, True], "a": "ä"},
        3: "numeric key",
    }
    entry = services.record(actor=actor_a, action="akte.created", details=details)

    stored = AuditEntry.unscoped_objects.get(pk=entry.pk)
    assert stored.details["amount"] == "12.50"
    assert stored.details["due"] == "2026-03-01"
    assert stored.details["id"] == "12345678-1234-5678-1234-567812345678"
    assert stored.details["label"] == "File created"
    assert stored.details["3"] == "numeric key"
    assert compute_hash(stored) == entry.entry_hash
    assert selectors.verify_chain(tenant=actor_a.tenant).ok


def test_details_must_be_small_and_serialisable(actor_a) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="limited"):
        services.record(actor=actor_a, action="akte.created", details={"blob": "x" * 20_000})
    with pytest.raises(TypeError):
        services.record(actor=actor_a, action="akte.created", details={"user": actor_a.user})
    with pytest.raises(ValueError, match="JSON"):
        services.record(actor=actor_a, action="akte.created", details={"value": float("nan")})


def test_entry_rolls_back_with_the_callers_transaction(actor_a) -> None:  # noqa: ANN001
    class DomainFailure(Exception):
        pass

    with pytest.raises(DomainFailure), transaction.atomic():
        services.record(actor=actor_a, action="akte.created")
        raise DomainFailure

    assert not AuditEntry.unscoped_objects.exists()
    assert not AuditHead.objects.exists()
    # The chain continues without a gap.
    services.record(actor=actor_a, action="akte.created")
    with pytest.raises(DomainFailure), transaction.atomic():
        services.record(actor=actor_a, action="akte.destroyed")
        raise DomainFailure
    services.record(actor=actor_a, action="package.exported")

    assert [(e.sequence, e.action) for e in entries_of(actor_a.tenant)] == [
        (1, "akte.created"),
        (2, "package.exported"),
    ]
    assert selectors.verify_chain(tenant=actor_a.tenant).ok


def test_entries_cannot_be_changed_or_deleted_through_the_orm(actor_a) -> None:  # noqa: ANN001
    entry = services.record(actor=actor_a, action="akte.created")
    entry.action = "akte.destroyed"

    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()


def test_deleting_the_user_keeps_the_entry_and_the_chain(actor_a) -> None:  # noqa: ANN001
    services.record(actor=actor_a, action="akte.created")
    user_pk = actor_a.user.pk

    User.objects.filter(pk=user_pk).delete()

    entry = entries_of(actor_a.tenant)[0]
    assert entry.actor_user is None
    assert entry.actor_user_ref == user_pk
    assert entry.actor_label == actor_a.user.username
    assert selectors.verify_chain(tenant=actor_a.tenant).ok

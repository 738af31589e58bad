"""On PostgreSQL the database itself refuses to change or delete audit entries."""

import pytest
from django.db import DatabaseError, connection, transaction

from amtsflow.audit import services
from amtsflow.audit.models import AuditEntry, AuditHead
from amtsflow.audit.tests.helpers import postgres_only, triggers_off
from amtsflow.tenants.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, postgres_only]


def _execute(sql: str, params: list[object]) -> None:
    # A savepoint, so the refused statement does not abort the test's transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_update_is_refused(actor_a) -> None:  # noqa: ANN001
    entry = services.record(actor=actor_a, action="akte.created")

    with pytest.raises(DatabaseError, match="Cannot update"):
        _execute("UPDATE audit_auditentry SET action = 'akte.destroyed' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="Cannot update"):
        _execute("UPDATE audit_auditentry SET entry_hash = previous_hash WHERE id = %s", [entry.pk])
    assert AuditEntry.unscoped_objects.get(pk=entry.pk).action == "akte.created"


def test_raw_delete_is_refused(actor_a) -> None:  # noqa: ANN001
    entry = services.record(actor=actor_a, action="akte.created")

    with pytest.raises(DatabaseError, match="Cannot delete"):
        _execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="Cannot delete"), transaction.atomic():
        AuditEntry.unscoped_objects.filter(pk=entry.pk).delete()
    assert AuditEntry.unscoped_objects.filter(pk=entry.pk).exists()


def test_user_link_may_only_be_cleared(actor_a) -> None:  # noqa: ANN001
    entry = services.record(actor=actor_a, action="akte.created")
    other = UserFactory()

    with pytest.raises(DatabaseError, match="Cannot update"):
        _execute("UPDATE audit_auditentry SET actor_user_id = %s WHERE id = %s", [other.pk, entry.pk])
    with pytest.raises(DatabaseError, match="Cannot update"):
        _execute("UPDATE audit_auditentry SET actor_user_id = NULL, actor_label = 'x' WHERE id = %s", [entry.pk])
    # What SET_NULL does when the user is deleted.
    _execute("UPDATE audit_auditentry SET actor_user_id = NULL WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="Cannot update"):
        _execute("UPDATE audit_auditentry SET actor_user_id = %s WHERE id = %s", [actor_a.user.pk, entry.pk])


def test_the_head_stays_updatable(actor_a) -> None:  # noqa: ANN001
    services.record(actor=actor_a, action="akte.created")

    assert AuditHead.objects.filter(tenant=actor_a.tenant).update(last_sequence=1) == 1


def test_tampering_helper_really_switches_the_triggers_off(actor_a) -> None:  # noqa: ANN001
    entry = services.record(actor=actor_a, action="akte.created")

    with triggers_off():
        AuditEntry.unscoped_objects.filter(pk=entry.pk).update(action="akte.destroyed")
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        AuditEntry.unscoped_objects.filter(pk=entry.pk).update(action="akte.created")

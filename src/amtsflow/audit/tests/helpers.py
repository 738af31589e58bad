"""Helpers for the audit tests: database checks and tampering past the append-only triggers."""

from collections.abc import Iterator
from contextlib import contextmanager

import pgtrigger
import pytest
from django.db import connection

from amtsflow.audit.models import AuditEntry
from amtsflow.tenants.models import Tenant

TRIGGERS = (
    "audit.AuditEntry:audit_entry_no_delete",
    "audit.AuditEntry:audit_entry_no_update",
    "audit.AuditEntry:audit_entry_no_user_relink",
)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks, append-only triggers); run with DATABASE_URL=postgres://...",
)


@contextmanager
def triggers_off() -> Iterator[None]:
    """Tampering as someone with direct database access would: on PostgreSQL past the triggers."""
    if connection.vendor == "postgresql":
        with pgtrigger.ignore(*TRIGGERS):
            yield
    else:
        yield


def entries_of(tenant: Tenant) -> list[AuditEntry]:
    return list(AuditEntry.unscoped_objects.filter(tenant=tenant).order_by("sequence"))

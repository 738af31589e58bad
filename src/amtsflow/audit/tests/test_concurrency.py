"""Concurrent appends on PostgreSQL: separate threads, each with its own connection and transactions."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from amtsflow.audit import services
from amtsflow.audit.selectors import VerificationResult, verify_chain
from amtsflow.audit.tests.helpers import entries_of, postgres_only
from amtsflow.tenants.models import Tenant
from amtsflow.tenants.tests.factories import TenantFactory

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


def _in_thread(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported to the test thread
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection; the test database must be droppable

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_concurrent_appends_never_share_a_sequence_or_fork_the_chain() -> None:
    tenant = TenantFactory()  # no head yet: the threads also race to create it
    other = TenantFactory()
    start = threading.Barrier(4)
    errors: list[BaseException] = []
    verifications: list[VerificationResult] = []
    writing = threading.Event()
    writing.set()

    def append(target: Tenant, worker: int) -> None:
        start.wait(timeout=10)
        for number in range(25):
            with transaction.atomic():
                services.record(actor=None, tenant=target, action="akte.created", object_id=f"{worker}-{number}")

    def verify_meanwhile() -> None:
        start.wait(timeout=10)
        while writing.is_set():
            verifications.append(verify_chain(tenant=tenant))

    writers = [_in_thread(lambda w=w: append(tenant, w), errors) for w in (1, 2)]
    verifier = _in_thread(verify_meanwhile, errors)
    other_writer = _in_thread(lambda: append(other, 3), errors)  # another tenant's chain does not interfere
    for thread in [*writers, other_writer]:
        thread.join(timeout=60)
    writing.clear()
    verifier.join(timeout=60)

    assert errors == []
    entries = entries_of(tenant)
    assert [e.sequence for e in entries] == list(range(1, 51))
    assert len({e.object_id for e in entries}) == 50
    assert all(e.previous_hash == before.entry_hash for before, e in zip(entries, entries[1:], strict=False))
    assert verify_chain(tenant=tenant) == VerificationResult(ok=True, checked=50)
    assert verify_chain(tenant=other) == VerificationResult(ok=True, checked=25)
    # Verification during the appends saw consistent snapshots, never a false alarm.
    assert verifications and all(result.ok for result in verifications)


def test_second_append_waits_for_the_first_transaction() -> None:
    tenant = TenantFactory()
    services.record(actor=None, tenant=tenant, action="akte.created")
    first_recorded = threading.Event()
    second_done = threading.Event()
    order: list[str] = []
    errors: list[BaseException] = []

    def first() -> None:
        with transaction.atomic():
            services.record(actor=None, tenant=tenant, action="akte.created", object_id="first")
            first_recorded.set()
            # Still holding the head: the second append must not get past the lock meanwhile.
            time.sleep(0.5)
            order.append("first commits" if not second_done.is_set() else "second did not wait")

    def second() -> None:
        first_recorded.wait(timeout=10)
        with transaction.atomic():
            services.record(actor=None, tenant=tenant, action="akte.created", object_id="second")
        second_done.set()
        order.append("second commits")

    threads = [_in_thread(first, errors), _in_thread(second, errors)]
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert order == ["first commits", "second commits"]
    assert [(e.sequence, e.object_id) for e in entries_of(tenant)] == [(1, ""), (2, "first"), (3, "second")]
    assert verify_chain(tenant=tenant).ok


def test_rolled_back_append_leaves_no_gap_for_the_waiting_one() -> None:
    tenant = TenantFactory()
    first_recorded = threading.Event()
    errors: list[BaseException] = []

    class Abort(Exception):
        pass

    def first() -> None:
        try:
            with transaction.atomic():
                services.record(actor=None, tenant=tenant, action="akte.created", object_id="rolled back")
                first_recorded.set()
                time.sleep(0.3)
                raise Abort
        except Abort:
            pass

    def second() -> None:
        first_recorded.wait(timeout=10)
        with transaction.atomic():
            services.record(actor=None, tenant=tenant, action="akte.created", object_id="kept")

    threads = [_in_thread(first, errors), _in_thread(second, errors)]
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert [(e.sequence, e.object_id) for e in entries_of(tenant)] == [(1, "kept")]
    assert verify_chain(tenant=tenant) == VerificationResult(ok=True, checked=1)

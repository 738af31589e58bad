"""A real Celery worker process runs a TenantTask against the test database, over a real Redis broker."""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from celery.app.backends import by_url
from celery.result import AsyncResult
from django.conf import settings
from django.db import connection

from amtsflow import celery_app
from amtsflow.tenants.tasks import count_active_members_task

REDIS_URL = os.environ.get("AMTSFLOW_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RESULT_TIMEOUT = 60.0
ENABLED = os.environ.get("AMTSFLOW_TEST_REAL_WORKER") == "1" or os.environ.get("CI", "").lower() == "true"

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not ENABLED, reason="starts a Celery worker and needs Redis: set AMTSFLOW_TEST_REAL_WORKER=1"),
]


def _worker_database_url() -> str:
    """The URL of the database this test process uses, i.e. pytest-django's test database."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"
    raise NotImplementedError(f"no worker DATABASE_URL for {connection.vendor}")


@contextmanager
def _celery_conf(**overrides: Any) -> Iterator[None]:
    """Override the app's configuration for one test; the eager default is back afterwards."""
    saved = {key: celery_app.conf[key] for key in overrides}
    celery_app.conf.update(overrides)
    try:
        yield
    finally:
        celery_app.conf.update(saved)


@contextmanager
def _worker(queue: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        # The production settings module: the worker reads broker, backend and database from the
        # environment exactly like a deployed one.
        "DJANGO_SETTINGS_MODULE": "amtsflow.conf.settings",
        "DATABASE_URL": _worker_database_url(),
        "AMTSFLOW_DATA_DIR": str(settings.DATA_DIR),
        "AMTSFLOW_LOG_FORMAT": "console",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    command = [
        *(sys.executable, "-m", "celery", "-A", "amtsflow", "worker"),
        *("--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h", "--loglevel=INFO"),
        # Nothing to talk to: only this test's queue, no other workers.
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _tail(log: Path) -> str:
    return _tail(log)


def _wait_for(result: AsyncResult, worker: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + RESULT_TIMEOUT
    while not result.ready():
        if worker.poll() is not None:
            pytest.fail(f"worker exited with {worker.returncode}:\n{_tail(log)}")
        if time.monotonic() > deadline:
            pytest.fail(f"no result after {RESULT_TIMEOUT:.0f}s; worker log:\n{_tail(log)}")
        time.sleep(0.2)


def test_worker_runs_tenant_task_and_stores_result(transactional_db, tenant_a, tenant_b, make_member) -> None:  # noqa: ANN001
    # Committed rows (transactional_db): the worker has its own connection and sees no open transaction.
    for _ in range(3):
        make_member(tenant_a)
    make_member(tenant_a, is_active=False)
    make_member(tenant_b)

    queue = f"amtsflow-test-{uuid.uuid4().hex}"  # concurrent runs share Redis but never a queue
    backend_cls, backend_url = by_url(REDIS_URL, celery_app.loader)
    # Only the app's configuration changes (no eager run, Redis broker). Its result backend stays the
    # in-memory one; results are read through Redis backends of our own, so nothing is cached globally.
    with (
        tempfile.TemporaryDirectory() as tmp,
        _celery_conf(task_always_eager=False, broker_url=REDIS_URL),
        celery_app.connection_for_write() as conn,
    ):
        log = Path(tmp) / "worker.log"
        try:
            with _worker(queue, log) as worker:
                sent = count_active_members_task.apply_async(
                    kwargs={"tenant_id": tenant_a.pk}, queue=queue, connection=conn
                )
                polled = AsyncResult(sent.id, backend=backend_cls(app=celery_app, url=backend_url), app=celery_app)
                _wait_for(polled, worker, log)
                assert polled.get(timeout=5) == 3, _tail(log)

            # A fresh handle (new backend connection) reads the outcome the worker stored.
            stored = AsyncResult(sent.id, backend=backend_cls(app=celery_app, url=backend_url), app=celery_app)
            assert stored.state == "SUCCESS"
            assert stored.get(timeout=5) == 3
            stored.forget()
        finally:
            conn.default_channel.queue_delete(queue)

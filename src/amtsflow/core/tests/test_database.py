"""The test run uses the database it was asked for (CI runs the suite on SQLite and on PostgreSQL)."""

import os

import pytest
from django.db import connection

EXPECTED_VENDOR = os.environ.get("AMTSFLOW_EXPECT_DB", "")


@pytest.mark.skipif(not EXPECTED_VENDOR, reason="AMTSFLOW_EXPECT_DB is not set (set by .ci/run per leg)")
def test_suite_runs_on_the_expected_database(db) -> None:  # noqa: ANN001
    # A silently ignored DATABASE_URL would make the PostgreSQL leg a second SQLite run.
    assert connection.vendor == EXPECTED_VENDOR
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        assert cursor.fetchone()[0]


def test_sqlite_test_database_is_a_file_other_processes_can_open(db) -> None:  # noqa: ANN001
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite has an in-memory test database by default")
    # The real-worker test hands this path to a Celery worker process (see conf/test.py).
    assert not connection.is_in_memory_db()
    assert os.path.isfile(connection.settings_dict["NAME"])

from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_reports_database(client) -> None:  # noqa: ANN001
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_fails_when_database_is_down(client) -> None:  # noqa: ANN001
    with mock.patch("amtsflow.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_requests_carry_a_request_id(client) -> None:  # noqa: ANN001
    assert len(client.get("/healthz")["X-Request-ID"]) == 32

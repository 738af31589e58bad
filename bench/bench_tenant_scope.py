"""What tenant isolation costs per request.

Reference: GET /healthz (no tenant, no authentication) measured in the same run. Figures: requests per
second for the health check, a scoped API list (token lookup, tenant scope, scope check, 15 org units)
and a scoped staff page (session, membership lookup, roles, navigation), and their ratios to the reference.
Runs against a throw-away SQLite database with the demo data.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["AMTSFLOW_DATA_DIR"] = tempfile.mkdtemp(prefix="amtsflow-bench-")
os.environ.setdefault("AMTSFLOW_HTTPS", "false")
os.environ["AMTSFLOW_LOG_LEVEL"] = "ERROR"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SETTINGS_MODULE"] = "amtsflow.conf.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))


def rate(client: Client, path: str, **headers: str) -> float:
    for _ in range(10):  # warm-up
        assert client.get(path, **headers).status_code == 200, path
    started = time.perf_counter()
    for _ in range(REQUESTS):
        client.get(path, **headers)
    return REQUESTS / (time.perf_counter() - started)


def main() -> None:
    call_command("migrate", verbosity=0)
    from amtsflow.tenants import demo, services
    from amtsflow.tenants.actor import Actor
    from amtsflow.tenants.context import tenant_scope
    from amtsflow.tenants.models import Membership, Tenant

    demo.load()
    tenant = Tenant.objects.get(slug="musterstadt")
    with tenant_scope(tenant):
        admin = Actor.for_membership(Membership.objects.get(user__username="admin"))
        _, token = services.create_api_client(actor=admin, name="bench", scopes=["tenants.read"])
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    staff = Client()
    login = staff.post("/accounts/login/", {"username": "sachbearbeitung", "password": demo.DEMO_PASSWORD})
    assert login.status_code == 302, "demo login failed"

    reference = rate(Client(), "/healthz")
    api_list = rate(api, "/api/v1/org-units/")
    staff_page = rate(staff, "/t/musterstadt/organisation/")
    print(f"requests per measurement: {REQUESTS}")  # noqa: T201
    print(f"reference  GET /healthz                       {reference:8.0f} req/s  ratio 1.00")  # noqa: T201
    print(f"scoped API GET /api/v1/org-units/ (15 units)  {api_list:8.0f} req/s  ratio {api_list / reference:.2f}")  # noqa: T201
    print(f"scoped UI  GET /t/musterstadt/organisation/   {staff_page:8.0f} req/s  ratio {staff_page / reference:.2f}")  # noqa: T201


if __name__ == "__main__":
    main()

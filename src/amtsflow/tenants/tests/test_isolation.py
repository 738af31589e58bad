"""The tenant isolation harness: runs for every resource any app registers in `<app>/isolation.py`."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from amtsflow.core.testing.isolation import exempted, resources, snapshot
from amtsflow.tenants.constants import Role

RESOURCES = resources()
WRITE_METHODS = ["post", "put", "patch", "delete"]


@pytest.fixture
def both(tenant_a, tenant_b, make_member):  # noqa: ANN001, ANN201
    """A member of A holding every role, and an API client of A with every scope."""
    return make_member(tenant_a, *Role.values)


def _named_patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _named_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((namespace + entry.name, prefix + str(entry.pattern)))
    return found


def test_every_object_url_is_covered_by_the_harness() -> None:
    covered = {name for r in RESOURCES for name in (*r.ui_detail, *r.api_detail)}
    covered |= set(exempted())
    uncovered = [
        name
        for name, route in _named_patterns(get_resolver())
        if (route.startswith(("t/", "api/v1/")))
        and route.count("<") > (1 if route.startswith("t/") else 0)
        and name not in covered
    ]
    assert uncovered == [], f"URLs with object IDs not registered in any <app>/isolation.py: {uncovered}"


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_staff_ui_hides_other_tenants_objects(resource, both, tenant_a, tenant_b, login) -> None:  # noqa: ANN001
    own, foreign = resource.create(tenant_a), resource.create(tenant_b)
    before = snapshot(foreign)
    client = login(both)
    if resource.ui_list:
        page = client.get(reverse(resource.ui_list, kwargs={"tenant_slug": tenant_a.slug})).content.decode()
        assert resource.identify(own) in page
        assert resource.identify(foreign) not in page
        assert resource.label(foreign) not in page
        # The other tenant's pages themselves are out of reach.
        assert client.get(reverse(resource.ui_list, kwargs={"tenant_slug": tenant_b.slug})).status_code == 404
    for url_name in resource.ui_detail:
        for slug in (tenant_a.slug, tenant_b.slug):
            url = reverse(url_name, kwargs={"tenant_slug": slug, resource.ui_id_kwarg: resource.identify(foreign)})
            for method in ("get", "post"):
                response = getattr(client, method)(url, {"name": "Übernommen", "roles": ["tenant_admin"]})
                assert response.status_code in (404, 405), (url, method, response.status_code)
                assert resource.label(foreign) not in response.content.decode()
    assert snapshot(foreign) == before


@pytest.mark.parametrize("resource", [r for r in RESOURCES if r.api_list or r.api_detail], ids=lambda r: r.name)
def test_api_hides_other_tenants_objects(resource, both, tenant_a, tenant_b, api_client_for) -> None:  # noqa: ANN001
    own, foreign = resource.create(tenant_a), resource.create(tenant_b)
    before = snapshot(foreign)
    client = api_client_for(both)
    if resource.api_list:
        body = client.get(reverse(resource.api_list)).content.decode()
        assert resource.identify(own) in body
        assert resource.identify(foreign) not in body
        assert resource.label(foreign) not in body
    for url_name in resource.api_detail:
        url = reverse(url_name, kwargs={resource.id_kwarg: resource.identify(foreign)})
        for method in ["get", *WRITE_METHODS]:
            response = getattr(client, method)(
                url, {"name": "Übernommen", "kind": "fachbereich", "roles": []}, format="json"
            )
            assert response.status_code in (404, 405), (url, method, response.status_code)
            assert resource.label(foreign) not in response.content.decode()
    assert snapshot(foreign) == before


@pytest.mark.parametrize("resource", [r for r in RESOURCES if r.api_detail], ids=lambda r: r.name)
def test_api_detail_of_own_object_is_reachable(resource, both, tenant_a, api_client_for) -> None:  # noqa: ANN001
    """The counterpart that keeps the 404s above honest: the same URL works for one's own object."""
    own = resource.create(tenant_a)
    client = api_client_for(both)
    url = reverse(resource.api_detail[0], kwargs={resource.id_kwarg: resource.identify(own)})
    response = client.get(url)
    assert response.status_code == 200, response.content
    if response["Content-Type"] == "application/json":  # downloads (e.g. a records package) are binary
        assert resource.identify(own) in response.content.decode()

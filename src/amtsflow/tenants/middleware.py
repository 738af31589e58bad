"""The one place where a request gets its tenant.

- Staff UI: `/t/<slug>/...` — the user must hold an active membership there, otherwise 404.
- REST API: `/api/v1/...` — the tenant is the one of the API client named by the token.
The rest of the request runs inside `tenant_scope(...)`, so scoped models see that tenant only.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amtsflow.core.exceptions import NotFound
from amtsflow.tenants import selectors
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_by_slug, tenant_scope

UI_PREFIX = "/t/"
API_PREFIX = "/api/v1/"


class TenantContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.tenant = None  # type: ignore[attr-defined]
        request.actor = None  # type: ignore[attr-defined]
        request.api_client = None  # type: ignore[attr-defined]
        request.api_token_invalid = False  # type: ignore[attr-defined]
        path = request.path_info
        if path.startswith(UI_PREFIX):
            return self._staff_request(request, path[len(UI_PREFIX) :].split("/", 1)[0])
        if path.startswith(API_PREFIX):
            return self._api_request(request)
        return self.get_response(request)

    def _staff_request(self, request: HttpRequest, slug: str) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        try:
            tenant = tenant_by_slug(slug)
            membership = selectors.get_membership(tenant=tenant, user=request.user)
        except NotFound:
            # Unknown tenant and foreign tenant look the same.
            return render(request, "404.html", status=404)
        with tenant_scope(tenant):
            request.tenant = tenant  # type: ignore[attr-defined]
            request.actor = Actor.for_membership(membership)  # type: ignore[attr-defined]
            return self.get_response(request)

    def _api_request(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() not in {"token", "bearer"} or not token.strip():
            return self.get_response(request)  # DRF answers 401 where authentication is required
        client = selectors.authenticate_api_token(token.strip())
        if client is None:
            request.api_token_invalid = True  # type: ignore[attr-defined]
            return self.get_response(request)
        with tenant_scope(client.tenant):
            request.tenant = client.tenant  # type: ignore[attr-defined]
            request.api_client = client  # type: ignore[attr-defined]
            request.actor = Actor.for_api_client(client)  # type: ignore[attr-defined]
            return self.get_response(request)

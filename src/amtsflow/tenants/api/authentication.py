"""DRF side of API client authentication; the token was resolved by TenantContextMiddleware."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from amtsflow.tenants.models import ApiClient


class ApiClientAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiClient] | None:
        django_request = request._request  # noqa: SLF001
        if getattr(django_request, "api_token_invalid", False):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        client: ApiClient | None = getattr(django_request, "api_client", None)
        if client is None:
            return None
        now = timezone.now()
        # Record use at most once a minute: one write per request would serialise busy clients.
        if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
            ApiClient.unscoped_objects.filter(pk=client.pk).update(last_used_at=now)
        return AnonymousUser(), client

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "amtsflow.tenants.api.authentication.ApiClientAuthentication"
    name = "apiClientToken"

    def get_security_definition(self, auto_schema):  # noqa: ANN001, ANN201
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>` of an API client; the client's tenant and scopes apply.",
        }

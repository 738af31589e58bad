"""Template context for the page shell: navigation, tenant switcher, user menu."""

from typing import Any

from django.http import HttpRequest

from amtsflow.tenants import selectors as tenant_selectors


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    tenant = getattr(request, "tenant", None)
    return {
        "current_tenant": tenant,
        "user_tenants": tenant_selectors.list_tenants_of_user(user=user),
        "nav_entries": tenant_selectors.nav_for(actor=request.actor) if tenant else [],
    }

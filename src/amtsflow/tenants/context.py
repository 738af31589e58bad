"""The active tenant. Set in three places only: request middleware, Celery task base, `--tenant` option."""

from collections.abc import Iterator
from contextlib import contextmanager

from django_scopes import get_scope, scope

from amtsflow.core.exceptions import NotFound
from amtsflow.tenants.models import Tenant


@contextmanager
def tenant_scope(tenant: Tenant) -> Iterator[Tenant]:
    """Activate `tenant` for scoped queries; a missing tenant is refused (django-scopes would show all)."""
    if not isinstance(tenant, Tenant) or tenant.pk is None:
        raise TypeError("tenant_scope needs a saved Tenant")
    with scope(tenant=tenant):
        yield tenant


def current_tenant() -> Tenant:
    tenant = get_scope().get("tenant")
    if not isinstance(tenant, Tenant):
        raise LookupError("No tenant is active")
    return tenant


def tenant_by_slug(slug: str) -> Tenant:
    try:
        return Tenant.objects.get(slug=slug, is_active=True)
    except Tenant.DoesNotExist:
        raise NotFound("Unknown tenant") from None

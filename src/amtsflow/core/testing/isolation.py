"""Tenant isolation harness: every app registers its tenant-owned resources in `<app>/isolation.py`.

The harness (tenants/tests/test_isolation.py) then proves for each registered resource that a member or
API client of tenant A lists only A's objects and gets 404 for B's objects on every UI and API URL,
whatever the HTTP method, and that B's object is unchanged afterwards. It also fails when a URL with an
object ID exists that no resource covers, so new endpoints cannot slip past it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class IsolatedResource:
    name: str
    # Creates one object in the given tenant (outside any scope) and returns it.
    create: Callable[[Any], Model]
    # URL names (staff UI takes `tenant_slug`, both take `id_kwarg` for detail URLs).
    ui_list: str | None = None
    ui_detail: tuple[str, ...] = ()
    api_list: str | None = None
    api_detail: tuple[str, ...] = ()
    id_kwarg: str = "id"
    ui_id_kwarg: str | None = None
    # The identifier that lists show and URLs take.
    identify: Callable[[Model], str] = field(default=lambda obj: str(obj.public_id))
    # A text of the object that must never appear in another tenant's responses.
    label: Callable[[Model], str] = field(default=str)


def snapshot(obj: Model) -> dict[str, Any] | None:
    """All stored field values of `obj` (None once deleted), read past any scope."""
    return type(obj)._base_manager.filter(pk=obj.pk).values().first()  # noqa: SLF001


_registry: dict[str, IsolatedResource] = {}
# URL names with an object ID that deliberately belong to no resource (with the reason).
_exempt: dict[str, str] = {}


def register(resource: IsolatedResource) -> IsolatedResource:
    _registry[resource.name] = resource
    return resource


def exempt(url_name: str, *, reason: str) -> None:
    _exempt[url_name] = reason


def resources() -> list[IsolatedResource]:
    autodiscover_modules("isolation")
    return sorted(_registry.values(), key=lambda r: r.name)


def exempted() -> dict[str, str]:
    autodiscover_modules("isolation")
    return dict(_exempt)

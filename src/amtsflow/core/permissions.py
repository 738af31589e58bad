"""Registry of permissions. Each capability declares its own in `<app>/permissions.py`.

A permission is granted to a tenant member through the roles listed with it and to an API client
through its scope. Services ask `Actor.can(code)`; nobody else decides.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class Permission:
    code: str
    label: str | Promise
    roles: frozenset[str]
    scope: str


@dataclass(frozen=True)
class Scope:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class NavEntry:
    """A capability's entry in the main navigation, shown to holders of `permission`."""

    label: str | Promise
    url_name: str
    permission: str
    order: int = 100
    active_prefix: str = field(default="")


_permissions: dict[str, Permission] = {}
_scopes: dict[str, Scope] = {}
_nav: list[NavEntry] = []


def register_scope(code: str, label: str | Promise) -> Scope:
    scope = Scope(code=code, label=label)
    _scopes[code] = scope
    return scope


def register_permission(code: str, label: str | Promise, *, roles: set[str], scope: str) -> Permission:
    if scope not in _scopes:
        raise LookupError(f"Permission {code} names unknown scope {scope}")
    permission = Permission(code=code, label=label, roles=frozenset(roles), scope=scope)
    _permissions[code] = permission
    return permission


def register_nav(entry: NavEntry) -> None:
    _nav.append(entry)


def get_permission(code: str) -> Permission:
    try:
        return _permissions[code]
    except KeyError:
        raise LookupError(f"Unknown permission {code}") from None


def all_permissions() -> list[Permission]:
    return sorted(_permissions.values(), key=lambda p: p.code)


def all_scopes() -> list[Scope]:
    return sorted(_scopes.values(), key=lambda s: s.code)


def nav_entries() -> list[NavEntry]:
    return sorted(_nav, key=lambda e: e.order)

"""Reads of the tenants capability. Scoped models are filtered by the active tenant automatically."""

import hashlib
import hmac
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import NotFound
from amtsflow.core.permissions import NavEntry, nav_entries
from amtsflow.core.selectors import get_by_public_id
from amtsflow.tenants import permissions as perms
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import ApiClient, Group, Membership, OrgUnit, Tenant, User

API_TOKEN_PREFIX = "af"


def list_tenants_of_user(*, user: User) -> list[Tenant]:
    """Tenants where the user has an active membership.

    Provider operators get no implicit access: municipal data is seen only through a membership.
    """
    # Memberships live in many tenants: one explicitly unscoped read through the tenants app.
    tenant_ids = Membership.objects.with_scopes_disabled().filter(user=user, is_active=True).values("tenant_id")
    return list(Tenant.objects.filter(pk__in=tenant_ids, is_active=True))


def get_membership(*, tenant: Tenant, user: User) -> Membership:
    """The user's active membership in `tenant`; NotFound for strangers (the tenant seems not to exist)."""
    with tenant_scope(tenant):
        membership = (
            Membership.objects.select_related("user", "tenant", "org_unit")
            .prefetch_related("role_assignments")
            .filter(user=user, is_active=True, user__is_active=True)
            .first()
        )
    if membership is None:
        raise NotFound(_("Not found."))
    return membership


def authenticate_api_token(token: str) -> ApiClient | None:
    """The active API client owning `token` (format `af_<prefix>_<secret>`), or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != API_TOKEN_PREFIX:
        return None
    client = (
        ApiClient.unscoped_objects.select_related("tenant")
        .filter(token_prefix=parts[1], is_active=True, tenant__is_active=True)
        .first()
    )
    if client is None:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return client if hmac.compare_digest(digest, client.token_hash) else None


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    active_prefix: str


def nav_for(*, actor: Actor) -> list[NavLink]:
    links = []
    entry: NavEntry
    for entry in nav_entries():
        if not actor.can(entry.permission):
            continue
        try:
            url = reverse(entry.url_name, kwargs={"tenant_slug": actor.tenant.slug})
        except NoReverseMatch:
            continue
        links.append(NavLink(label=str(entry.label), url=url, active_prefix=entry.active_prefix))
    return links


def list_org_units(*, actor: Actor) -> QuerySet[OrgUnit]:
    actor.require(perms.VIEW_DIRECTORY)
    return OrgUnit.objects.select_related("parent").all()


def get_org_unit(*, actor: Actor, public_id: uuid.UUID | str) -> OrgUnit:
    return get_by_public_id(list_org_units(actor=actor), public_id)


def org_unit_tree(*, actor: Actor) -> list[tuple[OrgUnit, int]]:
    """Units in tree order with their depth, for indented lists and select boxes."""
    units = list(list_org_units(actor=actor))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[OrgUnit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def list_members(*, actor: Actor, query: str = "") -> QuerySet[Membership]:
    actor.require(perms.VIEW_DIRECTORY)
    members = (
        Membership.objects.select_related("user", "org_unit")
        .prefetch_related("role_assignments", "groups")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    if query:
        members = members.filter(
            Q(user__username__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__email__icontains=query)
        )
    return members


def get_member(*, actor: Actor, public_id: uuid.UUID | str) -> Membership:
    return get_by_public_id(list_members(actor=actor), public_id)


def list_groups(*, actor: Actor) -> QuerySet[Group]:
    actor.require(perms.VIEW_DIRECTORY)
    return Group.objects.prefetch_related("members__user").all()


def get_group(*, actor: Actor, public_id: uuid.UUID | str) -> Group:
    return get_by_public_id(list_groups(actor=actor), public_id)


def list_api_clients(*, actor: Actor) -> QuerySet[ApiClient]:
    actor.require(perms.MANAGE_API_CLIENTS)
    return ApiClient.objects.all()


def get_api_client(*, actor: Actor, public_id: uuid.UUID | str) -> ApiClient:
    return get_by_public_id(list_api_clients(actor=actor), public_id)


def count_active_members() -> int:
    """Active members of the active tenant (used by background probes)."""
    return Membership.objects.filter(is_active=True).count()


def tenant_for_leitweg(leitweg_id: str) -> Tenant | None:
    """The active tenant whose Leitweg-ID prefix (Grobadressierung) is the first part of `leitweg_id`."""
    coarse = leitweg_id.strip().split("-", 1)[0]
    if not coarse.isdigit():
        return None
    return Tenant.objects.filter(leitweg_prefix=coarse, is_active=True).first()

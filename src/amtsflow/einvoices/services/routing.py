"""Routing by the buyer reference (Leitweg-ID): which municipality, and which of its units."""

from django.db import transaction
from django.utils.translation import gettext as _

from amtsflow.audit import services as audit
from amtsflow.core.exceptions import ValidationFailed
from amtsflow.core.selectors import full_clean
from amtsflow.einvoices import permissions as perms
from amtsflow.einvoices.models import LeitwegRoute
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import OrgUnit


def normalise(leitweg_id: str) -> str:
    return leitweg_id.strip().upper()


def unit_for(buyer_reference: str) -> OrgUnit | None:
    """The unit of the longest route that the reference starts with (within the active tenant)."""
    reference = normalise(buyer_reference)
    if not reference:
        return None
    best: LeitwegRoute | None = None
    for route in LeitwegRoute.objects.select_related("org_unit"):
        key = normalise(route.leitweg_id)
        if reference.startswith(key) and (best is None or len(key) > len(best.leitweg_id)):
            best = route
    return best.org_unit if best else None


def belongs_to_tenant(actor: Actor, buyer_reference: str) -> bool:
    prefix = actor.tenant.leitweg_prefix
    return bool(prefix) and normalise(buyer_reference).split("-", 1)[0] == prefix


@transaction.atomic
def save_route(
    *, actor: Actor, leitweg_id: str, org_unit: OrgUnit, note: str = "", route: LeitwegRoute | None = None
) -> LeitwegRoute:
    actor.require(perms.MANAGE)
    route = route or LeitwegRoute(tenant=actor.tenant)
    route.leitweg_id = normalise(leitweg_id)
    route.org_unit = org_unit
    route.note = note
    full_clean(route, exclude=["tenant"])
    if LeitwegRoute.objects.filter(leitweg_id=route.leitweg_id).exclude(pk=route.pk).exists():
        raise ValidationFailed(
            _("There is already a route for this Leitweg-ID."), field_errors={"leitweg_id": [_("Already routed.")]}
        )
    route.save()
    audit.record(
        actor=actor,
        action="leitweg_route.saved",
        obj=route,
        details={"leitweg_id": route.leitweg_id, "org_unit": str(org_unit)},
    )
    return route


@transaction.atomic
def delete_route(*, actor: Actor, route: LeitwegRoute) -> None:
    actor.require(perms.MANAGE)
    audit.record(actor=actor, action="leitweg_route.deleted", obj=route, details={"leitweg_id": route.leitweg_id})
    route.delete()

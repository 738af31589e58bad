"""Reads of the E-Akte. Confidential files and everything inside them are visible to named members only."""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import NotFound
from amtsflow.core.selectors import get_by_public_id
from amtsflow.files import permissions as perms
from amtsflow.files.constants import Confidentiality
from amtsflow.files.models import Akte, AktenplanEntry, Document, DocumentVersion, Vorgang
from amtsflow.tenants.actor import Actor


def visible_to(actor: Actor, prefix: str = "") -> Q:
    """Normal files, plus confidential ones the member is named on. API clients see normal files only."""
    normal = Q(**{f"{prefix}confidentiality": Confidentiality.NORMAL})
    if actor.membership is None:
        return normal
    return normal | Q(**{f"{prefix}permitted_members": actor.membership})


def list_plan_entries(*, actor: Actor) -> QuerySet[AktenplanEntry]:
    actor.require(perms.VIEW)
    return AktenplanEntry.objects.select_related("parent", "org_unit")


def get_plan_entry(*, actor: Actor, public_id: uuid.UUID | str) -> AktenplanEntry:
    return get_by_public_id(list_plan_entries(actor=actor), public_id)


def list_akten(*, actor: Actor, include_test: bool = False) -> QuerySet[Akte]:  # noqa: ARG001
    actor.require(perms.VIEW)
    visible_ids = Akte.objects.filter(visible_to(actor)).values("pk")
    return Akte.objects.filter(pk__in=visible_ids).select_related("plan_entry", "org_unit")


def get_akte(*, actor: Actor, public_id: uuid.UUID | str) -> Akte:
    return get_by_public_id(list_akten(actor=actor), public_id)


def list_vorgaenge(*, actor: Actor, include_test: bool = False) -> QuerySet[Vorgang]:
    actor.require(perms.VIEW)
    visible_ids = Akte.objects.filter(visible_to(actor)).values("pk")
    vorgaenge = Vorgang.objects.filter(akte_id__in=visible_ids).select_related("akte", "org_unit", "responsible__user")
    return vorgaenge if include_test else vorgaenge.filter(is_test=False)


def get_vorgang(*, actor: Actor, public_id: uuid.UUID | str) -> Vorgang:
    return get_by_public_id(list_vorgaenge(actor=actor, include_test=True), public_id)


def list_documents(*, actor: Actor) -> QuerySet[Document]:
    actor.require(perms.VIEW)
    visible_ids = Akte.objects.filter(visible_to(actor)).values("pk")
    return Document.objects.filter(vorgang__akte_id__in=visible_ids).select_related(
        "vorgang__akte", "checked_out_by__user"
    )


def get_document(*, actor: Actor, public_id: uuid.UUID | str) -> Document:
    return get_by_public_id(list_documents(actor=actor), public_id)


def list_versions(*, actor: Actor, document: Document) -> QuerySet[DocumentVersion]:
    actor.require(perms.VIEW)
    return DocumentVersion.objects.filter(document=document).select_related("blob", "created_by__user")


def get_version(*, actor: Actor, document: Document, number: int) -> DocumentVersion:
    try:
        return list_versions(actor=actor, document=document).get(number=number)
    except DocumentVersion.DoesNotExist:
        raise NotFound(_("Not found.")) from None


def latest_version(document: Document) -> DocumentVersion | None:
    return DocumentVersion.objects.filter(document=document).order_by("-number").first()

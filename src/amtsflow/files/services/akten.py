"""Files (Akten) and cases (Vorgänge): creation with gap-free reference numbers, changes, closing."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import Conflict, ValidationFailed
from amtsflow.files import permissions as perms
from amtsflow.files.constants import AkteState, Confidentiality, VorgangStatus
from amtsflow.files.models import Akte, AktenplanEntry, AktenzeichenCounter, Party, Vorgang
from amtsflow.files.services.common import changed_fields, full_clean, record, reindex
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import Membership, OrgUnit


def _next_sequence(plan_entry: AktenplanEntry, year: int) -> int:
    """Next number for plan entry and year. The counter row stays locked until commit, so numbers are
    gap-free: a rolled-back creation also rolls back its number."""
    for _attempt in range(3):
        counter = AktenzeichenCounter.objects.select_for_update().filter(plan_entry=plan_entry, year=year).first()
        if counter is None:
            try:
                with transaction.atomic():
                    AktenzeichenCounter.objects.create(tenant=plan_entry.tenant, plan_entry=plan_entry, year=year)
            except IntegrityError:
                pass  # created concurrently; lock it in the next round
            continue
        counter.last_sequence += 1
        counter.save(update_fields=["last_sequence"])
        return counter.last_sequence
    raise Conflict(_("The reference number could not be assigned; please try again."))


def _require_open(akte: Akte) -> None:
    if akte.state != AkteState.OPEN:
        raise Conflict(_("The file %(ref)s is closed.") % {"ref": akte.aktenzeichen})


@transaction.atomic
def create_akte(
    *,
    actor: Actor,
    plan_entry: AktenplanEntry,
    title: str,
    description: str = "",
    confidentiality: str = Confidentiality.NORMAL,
    permitted_members: Iterable[Membership] = (),
    org_unit: OrgUnit | None = None,
    year: int | None = None,
) -> Akte:
    """Create a file under a plan entry with the reference number `<plan number>/<year>/<sequence:04>`."""
    actor.require(perms.EDIT)
    if not plan_entry.accepts_files or not plan_entry.is_active:
        raise ValidationFailed(
            _("No files can be created under this file plan entry."),
            field_errors={"plan_entry": [_("Choose an active entry that takes files.")]},
        )
    year = year or timezone.localdate().year
    sequence = _next_sequence(plan_entry, year)
    akte = Akte(
        tenant=actor.tenant,
        plan_entry=plan_entry,
        year=year,
        sequence=sequence,
        aktenzeichen=f"{plan_entry.number}/{year}/{sequence:04d}",
        title=title.strip(),
        description=description,
        confidentiality=confidentiality,
        org_unit=org_unit or plan_entry.org_unit,
        created_by=actor.membership,
    )
    full_clean(akte, exclude=["tenant", "created_by"])
    akte.save()
    members = set(permitted_members)
    if confidentiality == Confidentiality.CONFIDENTIAL and actor.membership is not None:
        members.add(actor.membership)  # the creator must not lock themselves out
    akte.permitted_members.set(members)
    record(actor, "akte.created", akte, aktenzeichen=akte.aktenzeichen, confidentiality=confidentiality)
    reindex(akte, new=True)
    return akte


@transaction.atomic
def update_akte(
    *, actor: Actor, akte: Akte, permitted_members: Iterable[Membership] | None = None, **values: Any
) -> Akte:
    actor.require(perms.EDIT)
    allowed = {"title", "description", "confidentiality", "org_unit"}
    if set(values) - allowed:
        raise ValidationFailed(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(set(values) - allowed))}
        )
    akte = Akte.objects.select_for_update().get(pk=akte.pk)
    _require_open(akte)
    changes = changed_fields(akte, values)
    full_clean(akte, exclude=["tenant", "created_by"])
    akte.save()
    if permitted_members is not None:
        members = set(permitted_members)
        if akte.is_confidential and actor.membership is not None:
            members.add(actor.membership)
        akte.permitted_members.set(members)
        changes["permitted_members"] = [None, ", ".join(sorted(str(m) for m in members))]
    if changes:
        record(actor, "akte.changed", akte, changes=changes)
        reindex(akte)
    return akte


@transaction.atomic
def close_akte(*, actor: Actor, akte: Akte) -> Akte:
    """Close the file; its retention period (from the plan entry) runs from the end of the closing year."""
    actor.require(perms.EDIT)
    akte = Akte.objects.select_for_update().select_related("plan_entry").get(pk=akte.pk)
    _require_open(akte)
    if akte.vorgaenge.exclude(status=VorgangStatus.DONE).exists():
        raise Conflict(_("The file still has open cases; finish them first."))
    now = timezone.now()
    # Retention counts in full calendar years after the year of closing (common records practice).
    closing_year = timezone.localdate(now).year
    akte.state, akte.closed_at = AkteState.CLOSED, now
    akte.retention_until = dt.date(closing_year + akte.plan_entry.retention_years, 12, 31)
    akte.save(update_fields=["state", "closed_at", "retention_until", "updated_at"])
    record(actor, "akte.closed", akte, retention_until=akte.retention_until.isoformat())
    reindex(akte)
    return akte


@transaction.atomic
def reopen_akte(*, actor: Actor, akte: Akte) -> Akte:
    actor.require(perms.DISPOSE)
    akte = Akte.objects.select_for_update().get(pk=akte.pk)
    if akte.state != AkteState.CLOSED:
        raise Conflict(_("Only closed files can be reopened."))
    akte.state, akte.closed_at, akte.retention_until = AkteState.OPEN, None, None
    akte.save(update_fields=["state", "closed_at", "retention_until", "updated_at"])
    record(actor, "akte.reopened", akte)
    reindex(akte)
    return akte


@transaction.atomic
def set_legal_hold(*, actor: Actor, akte: Akte, hold: bool, reason: str = "") -> Akte:
    """A legal hold blocks disposal until it is lifted (e.g. pending litigation)."""
    actor.require(perms.DISPOSE)
    if hold and not reason.strip():
        raise ValidationFailed(
            _("Please give a reason for the legal hold."), field_errors={"reason": [_("This field is required.")]}
        )
    akte = Akte.objects.select_for_update().get(pk=akte.pk)
    akte.legal_hold, akte.legal_hold_reason = hold, reason.strip() if hold else ""
    akte.save(update_fields=["legal_hold", "legal_hold_reason", "updated_at"])
    record(actor, "akte.legal_hold_set" if hold else "akte.legal_hold_lifted", akte, reason=reason)
    return akte


@transaction.atomic
def create_vorgang(
    *,
    actor: Actor,
    akte: Akte,
    subject: str,
    description: str = "",
    due_date: dt.date | None = None,
    org_unit: OrgUnit | None = None,
    responsible: Membership | None = None,
    is_test: bool = False,
) -> Vorgang:
    actor.require(perms.EDIT)
    akte = Akte.objects.select_for_update().get(pk=akte.pk)  # serialises case numbers within the file
    return _add_vorgang(
        actor,
        akte,
        subject=subject,
        description=description,
        due_date=due_date,
        org_unit=org_unit,
        responsible=responsible,
        is_test=is_test,
    )


def _add_vorgang(actor: Actor, akte: Akte, *, org_unit: OrgUnit | None, **values: Any) -> Vorgang:
    """A new case in `akte`, which the caller has locked in its transaction."""
    _require_open(akte)
    number = (akte.vorgaenge.aggregate(last=Max("number"))["last"] or 0) + 1
    vorgang = Vorgang(tenant=actor.tenant, akte=akte, number=number, org_unit=org_unit or akte.org_unit, **values)
    vorgang.subject = vorgang.subject.strip()
    # What this service sets itself is not validated again: the file exists and is locked, the number is the next
    # one under that lock, the public ID is new (the database's constraints stay the backstop). That spares three
    # queries; the caller's values are checked as before.
    full_clean(vorgang, exclude=["tenant", "akte", "number", "public_id"])
    vorgang.save()
    record(actor, "vorgang.created", vorgang)
    reindex(vorgang, new=True)
    return vorgang


@transaction.atomic
def update_vorgang(*, actor: Actor, vorgang: Vorgang, **values: Any) -> Vorgang:
    actor.require(perms.EDIT)
    allowed = {"subject", "description", "status", "due_date", "org_unit", "responsible"}
    if set(values) - allowed:
        raise ValidationFailed(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(set(values) - allowed))}
        )
    vorgang = Vorgang.objects.select_for_update().select_related("akte").get(pk=vorgang.pk)
    _require_open(vorgang.akte)
    changes = changed_fields(vorgang, values)
    # Only the changed fields are validated (and written): the others were validated when they were stored, and
    # re-checking the case's file and number would cost three queries for values this service cannot change.
    full_clean(vorgang, exclude=[field.name for field in Vorgang._meta.concrete_fields if field.name not in changes])
    vorgang.save(update_fields=[*changes, "updated_at"])
    if changes:
        record(actor, "vorgang.changed", vorgang, changes=changes)
        reindex(vorgang)
    return vorgang


@transaction.atomic
def add_party(*, actor: Actor, vorgang: Vorgang, **values: Any) -> Party:
    actor.require(perms.EDIT)
    _require_open(vorgang.akte)
    party = Party(tenant=actor.tenant, vorgang=vorgang, **values)
    full_clean(party, exclude=["tenant"])
    party.save()
    record(actor, "vorgang.party_added", vorgang, party=party.name, role=party.role)
    reindex(vorgang)  # party names are searchable
    return party


@transaction.atomic
def remove_party(*, actor: Actor, party: Party) -> None:
    actor.require(perms.EDIT)
    _require_open(party.vorgang.akte)
    record(actor, "vorgang.party_removed", party.vorgang, party=party.name)
    party.delete()
    reindex(party.vorgang)


@transaction.atomic(savepoint=False)  # inside a process start, its failure fails the start: no savepoint needed
def open_process_case(
    *,
    actor: Actor,
    plan_entry_number: str,
    file_title: str,
    subject: str,
    is_test: bool = False,
    org_unit: OrgUnit | None = None,
    year: int | None = None,
) -> Vorgang:
    """A new case for a process instance, in the year's collective file of that process under the plan entry
    (created on first use). Test cases of the sandbox go into a separate file so production files stay clean.
    `year`: the year the case belongs to (e.g. an invoice's fiscal year), by default the current one."""
    actor.require(perms.EDIT)
    year = year or timezone.localdate().year
    title = f"{file_title} {year}" + (" (Test)" if is_test else "")
    # The year's file, found through its active plan entry and locked as it is read (it serialises case numbers
    # within the file): one query in the usual case. Only the file row is locked, as before.
    akte = (
        Akte.objects.select_for_update(of=("self",))
        .filter(
            plan_entry__number=plan_entry_number,
            plan_entry__is_active=True,
            year=year,
            title=title,
            state=AkteState.OPEN,
        )
        .order_by("sequence")
        .first()
    )
    if akte is None:
        plan_entry = AktenplanEntry.objects.filter(number=plan_entry_number, is_active=True).first()
        if plan_entry is None:
            raise ValidationFailed(
                _("The file plan has no active entry %(number)s for the cases of this process.")
                % {"number": plan_entry_number}
            )
        # A file created here is this transaction's own until it commits.
        akte = create_akte(actor=actor, plan_entry=plan_entry, title=title, org_unit=org_unit, year=year)
    return _add_vorgang(
        actor,
        akte,
        subject=subject,
        description="",
        due_date=None,
        org_unit=org_unit,
        responsible=None,
        is_test=is_test,
    )

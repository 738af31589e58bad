"""File plan (Aktenplan): entries, CSV import and export."""

import csv
import io
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import Conflict, ValidationFailed
from amtsflow.files import permissions as perms
from amtsflow.files.constants import DisposalAction
from amtsflow.files.models import AktenplanEntry
from amtsflow.files.services.common import changed_fields, full_clean, record
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import OrgUnit

CSV_FIELDS = ["number", "title", "parent", "retention_years", "disposal_action", "accepts_files"]


def _parent_for(number: str) -> AktenplanEntry | None:
    """The nearest existing entry whose number is a prefix of `number` (0.10.02 → 0.10 → 0)."""
    parts = number.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        parent = AktenplanEntry.objects.filter(number=".".join(parts[:cut])).first()
        if parent is not None:
            return parent
    return None


@transaction.atomic
def create_plan_entry(
    *,
    actor: Actor,
    number: str,
    title: str,
    retention_years: int = 10,
    disposal_action: str = DisposalAction.ARCHIVE,
    org_unit: OrgUnit | None = None,
    accepts_files: bool = True,
) -> AktenplanEntry:
    """Add a plan position; its parent is derived from the number (`0.10.02` sits below `0.10`)."""
    actor.require(perms.MANAGE_PLAN)
    number = number.strip()
    entry = AktenplanEntry(
        tenant=actor.tenant,
        number=number,
        title=title.strip(),
        parent=_parent_for(number),
        retention_years=retention_years,
        disposal_action=disposal_action,
        org_unit=org_unit,
        accepts_files=accepts_files,
    )
    full_clean(entry, exclude=["tenant", "parent"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        message = _("The number %(number)s exists already.") % {"number": number}
        raise Conflict(message, field_errors={"number": [message]}) from exc
    record(actor, "aktenplan.created", entry)
    return entry


@transaction.atomic
def update_plan_entry(*, actor: Actor, entry: AktenplanEntry, **values: Any) -> AktenplanEntry:
    """Change title, retention, disposal action, unit or activity; the number stays (reference numbers use it)."""
    actor.require(perms.MANAGE_PLAN)
    allowed = {"title", "retention_years", "disposal_action", "org_unit", "accepts_files", "is_active"}
    if set(values) - allowed:
        raise ValidationFailed(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(set(values) - allowed))}
        )
    entry = AktenplanEntry.objects.select_for_update().get(pk=entry.pk)
    changes = changed_fields(entry, values)
    full_clean(entry, exclude=["tenant", "parent"])
    entry.save()
    if changes:
        record(actor, "aktenplan.changed", entry, changes=changes)
    return entry


def export_plan_csv(*, actor: Actor) -> str:
    """The file plan as CSV (semicolon-separated, as German spreadsheets expect)."""
    actor.require(perms.VIEW)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_FIELDS)
    for entry in AktenplanEntry.objects.select_related("parent").order_by("number"):
        writer.writerow(
            [
                entry.number,
                entry.title,
                entry.parent.number if entry.parent else "",
                entry.retention_years,
                entry.disposal_action,
                "1" if entry.accepts_files else "0",
            ]
        )
    return out.getvalue()


@transaction.atomic
def import_plan_csv(*, actor: Actor, content: str) -> tuple[int, int]:
    """Create missing and update existing entries from CSV; all or nothing. Returns (created, updated)."""
    actor.require(perms.MANAGE_PLAN)
    sample = content[:2000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff")), delimiter=delimiter))
    if not rows or not {"number", "title"} <= set(rows[0]):
        raise ValidationFailed(_("The CSV needs at least the columns number and title."))
    created = updated = 0
    errors: dict[str, list[str]] = {}
    for line, row in enumerate(
        sorted(rows, key=lambda r: [int(p) if p.isdigit() else p for p in (r.get("number") or "").split(".")]), 2
    ):
        try:
            values = {
                "title": (row.get("title") or "").strip(),
                "retention_years": int(row.get("retention_years") or 10),
                "disposal_action": (row.get("disposal_action") or DisposalAction.ARCHIVE).strip(),
                "accepts_files": (row.get("accepts_files") or "1").strip() not in {"0", "false", "nein", "no"},
            }
            existing = AktenplanEntry.objects.filter(number=(row.get("number") or "").strip()).first()
            if existing:
                update_plan_entry(actor=actor, entry=existing, **values)
                updated += 1
            else:
                create_plan_entry(actor=actor, number=row.get("number") or "", **values)
                created += 1
        except (ValueError, ValidationFailed, Conflict) as exc:
            errors[f"line {line}"] = [str(getattr(exc, "message", exc))]
    if errors:
        transaction.set_rollback(True)
        raise ValidationFailed(
            _("The import was not applied: %(count)s lines have errors.") % {"count": len(errors)}, field_errors=errors
        )
    return created, updated

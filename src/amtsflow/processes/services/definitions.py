"""Process models: import from BPMN/DMN files, edit the draft, deploy immutable versions."""

import hashlib
import json
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from amtsflow.audit import services as audit
from amtsflow.core.exceptions import Conflict, ValidationFailed
from amtsflow.processes import permissions as perms
from amtsflow.processes.engine.parser import ModelInvalid, ParsedModel, parse_model
from amtsflow.processes.events import known_event
from amtsflow.processes.models import ProcessModel, ProcessVersion
from amtsflow.tenants.actor import Actor

MAX_MODEL_BYTES = 5 * 1024 * 1024


def _decode(name: str, content: bytes) -> str:
    if len(content) > MAX_MODEL_BYTES:
        raise ValidationFailed(_("%(name)s is larger than 5 MB.") % {"name": name})
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed(_("%(name)s is not UTF-8 encoded XML.") % {"name": name}) from None


def check_model(bpmn: bytes, dmn: Sequence[tuple[str, bytes]] = ()) -> ParsedModel:
    """Parse and validate; every problem names the element and why, as one ValidationFailed."""
    try:
        return parse_model(bpmn, dmn)
    except ModelInvalid as invalid:
        problems = [
            f"{p.element_name or p.element_id} ({p.element_id}): {p.message}" if p.element_id else p.message
            for p in invalid.problems
        ]
        raise ValidationFailed(
            _("The model cannot be executed: %(problems)s") % {"problems": "; ".join(problems)},
            field_errors={"bpmn": problems},
        ) from None


@transaction.atomic
def import_model(
    *,
    actor: Actor,
    bpmn: bytes,
    dmn: Sequence[tuple[str, bytes]] = (),
    description: str = "",
    plan_entry: str | None = None,
) -> ProcessModel:
    """Create a model from files, or replace the draft of the model with the same process ID."""
    actor.require(perms.MODEL)
    bpmn_text = _decode("BPMN", bpmn)
    dmn_items = [{"name": name, "xml": _decode(name, content)} for name, content in dmn]
    parsed = check_model(bpmn, dmn)
    model = ProcessModel.objects.select_for_update().filter(key=parsed.process_id).first()
    created = model is None
    if model is None:
        model = ProcessModel(tenant=actor.tenant, key=parsed.process_id, created_by=actor.membership)
    model.name = parsed.name or parsed.process_id
    model.draft_bpmn = bpmn_text
    model.draft_dmn = dmn_items
    model.description = description or model.description
    # An explicit entry wins, then the tenant's saved setting, then the default written in the model file.
    model.plan_entry = plan_entry if plan_entry is not None else (model.plan_entry or parsed.plan_entry or "")
    model.save()
    audit.record(
        actor=actor,
        action="process_model.imported" if created else "process_model.draft_changed",
        obj=model,
        details={"key": model.key, "dmn": [item["name"] for item in dmn_items]},
    )
    return model


@transaction.atomic
def update_model_settings(
    *, actor: Actor, model: ProcessModel, plan_entry: str, start_event: str, description: str
) -> ProcessModel:
    actor.require(perms.MODEL)
    if start_event and not known_event(start_event):
        raise ValidationFailed(_("Unknown event."), field_errors={"start_event": [_("Unknown event.")]})
    model.plan_entry, model.start_event, model.description = plan_entry.strip(), start_event, description
    model.save(update_fields=["plan_entry", "start_event", "description", "updated_at"])
    audit.record(actor=actor, action="process_model.changed", obj=model, details={"plan_entry": model.plan_entry})
    return model


def _fingerprint(bpmn: str, dmn: list[dict[str, str]]) -> str:
    return hashlib.sha256(json.dumps({"bpmn": bpmn, "dmn": dmn}, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def deploy(*, actor: Actor, model: ProcessModel) -> ProcessVersion:
    """Freeze the current draft as a new version. Deploying an unchanged draft again is refused."""
    actor.require(perms.MODEL)
    model = ProcessModel.objects.select_for_update().get(pk=model.pk)
    parsed = check_model(model.draft_bpmn.encode(), [(i["name"], i["xml"].encode()) for i in model.draft_dmn])
    if not (model.plan_entry or parsed.plan_entry):
        raise ValidationFailed(
            _("Name the file plan entry where the cases of this process are filed before deploying."),
            field_errors={"plan_entry": [_("Required for deployment.")]},
        )
    sha256 = _fingerprint(model.draft_bpmn, model.draft_dmn)
    latest = model.versions.order_by("-number").first()
    if latest is not None and latest.sha256 == sha256 and latest.plan_entry == model.plan_entry:
        raise Conflict(_("This draft is already deployed as version %(number)s.") % {"number": latest.number})
    number = (model.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ProcessVersion.objects.create(
        tenant=actor.tenant,
        model=model,
        number=number,
        name=model.name,
        bpmn=model.draft_bpmn,
        dmn=model.draft_dmn,
        sha256=sha256,
        plan_entry=model.plan_entry or parsed.plan_entry or "",
        deployed_by=actor.membership,
    )
    audit.record(actor=actor, action="process_model.deployed", obj=model, details={"version": number, "sha256": sha256})
    return version


@transaction.atomic
def save_draft(*, actor: Actor, model: ProcessModel, bpmn: bytes) -> ProcessModel:
    """Save the BPMN edited in the modeller as the draft (DMN files stay). The process ID must not change:
    it is what instances, events and other tenants' templates refer to."""
    actor.require(perms.MODEL)
    bpmn_text = _decode("BPMN", bpmn)
    model = ProcessModel.objects.select_for_update().get(pk=model.pk)
    parsed = check_model(bpmn, [(i["name"], i["xml"].encode()) for i in model.draft_dmn])
    if parsed.process_id != model.key:
        raise ValidationFailed(
            _("The process ID must stay %(key)s (found %(found)s).") % {"key": model.key, "found": parsed.process_id},
            field_errors={"bpmn": [_("Process ID changed.")]},
        )
    model.draft_bpmn = bpmn_text
    model.name = parsed.name or model.name
    model.save(update_fields=["draft_bpmn", "name", "updated_at"])
    audit.record(actor=actor, action="process_model.draft_changed", obj=model, details={"via": "modeller"})
    return model

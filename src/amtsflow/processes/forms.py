"""Task forms from the model's form definition (Camunda form fields), as Django forms: the UI renders them,
and the API validates with the very same form, so the rules cannot drift apart."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from amtsflow.core.exceptions import ValidationFailed
from amtsflow.processes.engine.parser import FormField

_YES_NO = [("true", _("Yes")), ("false", _("No"))]


def _field(spec: FormField) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label or spec.id, "required": spec.required, "disabled": spec.readonly}
    if spec.type == "long":
        return forms.IntegerField(min_value=spec.min, max_value=spec.max, **common)
    if spec.type == "boolean":
        # Yes/No radios rather than a checkbox: "required" then means "answer it", not "tick it".
        return forms.TypedChoiceField(
            choices=_YES_NO, coerce=lambda v: v == "true", widget=forms.RadioSelect, empty_value=None, **common
        )
    if spec.type == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.type == "enum":
        choices = [("", "—"), *spec.enum_values] if not spec.required else list(spec.enum_values)
        return forms.ChoiceField(choices=choices, **common)
    if spec.type == "file":
        return forms.FileField(**common)
    widget = forms.Textarea(attrs={"rows": 4}) if spec.type == "text" else None
    return forms.CharField(min_length=spec.minlength, max_length=spec.maxlength, widget=widget, **common)


def build_form_class(fields: Sequence[FormField]) -> type[forms.Form]:
    attrs = {spec.id: _field(spec) for spec in fields}
    return type("TaskForm", (forms.Form,), attrs)


def _initial(fields: Sequence[FormField], data: Mapping[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for spec in fields:
        value = data.get(spec.id, spec.default)
        if spec.type == "boolean" and isinstance(value, bool):
            value = "true" if value else "false"
        initial[spec.id] = value
    return initial


def make_form(
    fields: Sequence[FormField],
    *,
    data: Mapping[str, Any] | None = None,
    files: Mapping[str, UploadedFile] | None = None,
    current: Mapping[str, Any] | None = None,
    prefix: str | None = None,
) -> forms.Form:
    """A bound form when data is given, else an unbound one prefilled with the process variables."""
    form_class = build_form_class(fields)
    return form_class(data=data, files=files, initial=_initial(fields, current or {}), prefix=prefix)


def api_data(fields: Sequence[FormField], payload: Mapping[str, Any]) -> dict[str, Any]:
    """JSON from the API → the strings a form expects (booleans as true/false); unknown keys are an error."""
    known = {spec.id: spec for spec in fields if spec.type != "file"}
    unknown = sorted(set(payload) - set(known))
    if unknown:
        raise ValidationFailed(
            _("These fields are not part of the form: %(fields)s") % {"fields": ", ".join(unknown)},
            field_errors={key: [str(_("Unknown field."))] for key in unknown},
        )
    converted: dict[str, Any] = {}
    for key, value in payload.items():
        spec = known[key]
        if spec.type == "boolean" and isinstance(value, bool):
            value = "true" if value else "false"
        converted[key] = "" if value is None else value
    return converted

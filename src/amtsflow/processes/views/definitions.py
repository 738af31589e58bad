"""Process models (process owners): import, settings, deploy, versions, start and sandbox."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amtsflow.core.forms import submit
from amtsflow.processes import permissions as perms
from amtsflow.processes import selectors, services
from amtsflow.processes.events import event_choices
from amtsflow.processes.forms import make_form
from amtsflow.processes.models import ProcessVersion
from amtsflow.processes.services.instances import parsed_for
from amtsflow.processes.views.common import act, actor_of, url


class ImportForm(forms.Form):
    bpmn = forms.FileField(label=_lazy("BPMN file"), help_text=_lazy("BPMN 2.0 XML, e.g. from Camunda Modeler"))
    dmn = forms.FileField(
        label=_lazy("DMN file"), required=False, help_text=_lazy("Decision table used by business rule tasks")
    )
    plan_entry = forms.CharField(
        label=_lazy("File plan entry"),
        required=False,
        max_length=50,
        help_text=_lazy("Number of the file plan entry for the cases, e.g. 6.60; empty: as named in the model"),
    )


class SettingsForm(forms.Form):
    plan_entry = forms.CharField(label=_lazy("File plan entry"), max_length=50)
    start_event = forms.ChoiceField(label=_lazy("Start automatically on"), required=False)
    description = forms.CharField(label=_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_event"].choices = [("", _lazy("no event")), *event_choices()]


class StartForm(forms.Form):
    subject = forms.CharField(label=_lazy("Subject of the case"), max_length=300, required=False)


@require_GET
def model_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    models = selectors.list_models(actor=actor).prefetch_related("versions")
    return render(request, "processes/model_list.html", {"models": models, "can_model": actor.can(perms.MODEL)})


@require_http_methods(["GET", "POST"])
def model_import(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    actor.require(perms.MODEL)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":

        def run() -> object:
            dmn_file = form.cleaned_data.get("dmn")
            dmn = [(dmn_file.name, dmn_file.read())] if dmn_file else []
            return services.import_model(
                actor=actor,
                bpmn=form.cleaned_data["bpmn"].read(),
                dmn=dmn,
                plan_entry=form.cleaned_data["plan_entry"] or None,
            )

        model = submit(form, run)
        if model is not None:
            messages.success(
                request, _("Model imported: %(name)s. Check the settings, then deploy.") % {"name": model.name}
            )
            return redirect(url(request, "model_detail", model_id=model.public_id))
    return render(
        request,
        "processes/form.html",
        {"form": form, "title": _("Import process model"), "cancel_url": url(request, "model_list")},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def model_detail(request: HttpRequest, tenant_slug: str, model_id: str) -> HttpResponse:
    actor = actor_of(request)
    model = selectors.get_model(actor=actor, public_id=model_id)
    initial = {"plan_entry": model.plan_entry, "start_event": model.start_event, "description": model.description}
    settings_form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        actor.require(perms.MODEL)
        saved = submit(
            settings_form,
            lambda: services.update_model_settings(actor=actor, model=model, **settings_form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Settings saved."))
            return redirect(url(request, "model_detail", model_id=model.public_id))
    versions = selectors.list_versions(actor=actor, model=model)
    latest = versions.first()
    start_fields = _start_fields(latest)
    return render(
        request,
        "processes/model_detail.html",
        {
            "model": model,
            "versions": versions,
            "settings_form": settings_form,
            "start_form": make_form(start_fields, prefix="data") if latest else None,
            "subject_form": StartForm(),
            "can_model": actor.can(perms.MODEL),
            "can_start": actor.can(perms.WORK) and latest is not None,
            "instances": selectors.list_instances(actor=actor, include_test=True).filter(version__model=model)[:20],
        },
        status=400 if settings_form.errors else 200,
    )


def _start_fields(version: ProcessVersion | None) -> list:
    return list(parsed_for(version).start_form_fields) if version is not None else []


@require_POST
def model_deploy(request: HttpRequest, tenant_slug: str, model_id: str) -> HttpResponse:
    actor = actor_of(request)
    model = selectors.get_model(actor=actor, public_id=model_id)
    return act(
        request,
        lambda: services.deploy(actor=actor, model=model),
        success=_("Deployed as a new version. New instances use it; running ones stay on theirs."),
        back=url(request, "model_detail", model_id=model.public_id),
    )


@require_GET
def model_bpmn(request: HttpRequest, tenant_slug: str, model_id: str) -> HttpResponse:
    model = selectors.get_model(actor=actor_of(request), public_id=model_id)
    response = HttpResponse(model.draft_bpmn, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{model.key}.bpmn"'
    return response


@require_POST
def model_start(request: HttpRequest, tenant_slug: str, model_id: str) -> HttpResponse:
    """Start from the UI; with `sandbox` the instance and its case are test data (process owners only)."""
    actor = actor_of(request)
    model = selectors.get_model(actor=actor, public_id=model_id)
    sandbox = request.POST.get("sandbox") == "1"
    subject = StartForm(request.POST)
    back = url(request, "model_detail", model_id=model.public_id)
    if not subject.is_valid():
        messages.error(request, _("Please correct the start form: %(errors)s") % {"errors": subject.errors.as_text()})
        return redirect(back)
    # The start form's fields carry the prefix "data-"; the service validates them with the model's form.
    data = {key[5:]: request.POST.get(key) for key in request.POST if key.startswith("data-")}
    files = {key[5:]: upload for key, upload in request.FILES.items() if key.startswith("data-")}
    instance = None

    def run() -> None:
        nonlocal instance
        instance = services.start_instance(
            actor=actor,
            model=model,
            data=data,
            files=files,
            subject=subject.cleaned_data["subject"],
            is_test=sandbox,
        )

    response = act(request, run, success=_("Process started."), back=back)
    if instance is not None:
        return redirect(url(request, "instance_detail", instance_id=instance.public_id))
    return response

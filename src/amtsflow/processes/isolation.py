"""Tenant-owned resources of the process engine, for the isolation harness. Each tenant gets a real deployed
model and a running instance (with its inbox task), named after the tenant so a leak would show."""

from pathlib import Path

from amtsflow.core.testing.isolation import IsolatedResource, register

REFERENCE = Path(__file__).parent / "library" / "reference.bpmn"


def _instance(tenant):  # noqa: ANN001, ANN202
    from amtsflow.files import selectors as files_selectors
    from amtsflow.files import services as files_services
    from amtsflow.processes import services
    from amtsflow.processes.models import ProcessModel
    from amtsflow.tenants.actor import Actor
    from amtsflow.tenants.context import tenant_scope

    with tenant_scope(tenant):
        system = Actor.for_system(tenant, "isolation-test")
        if not files_selectors.list_plan_entries(actor=system).filter(number="6.60.01").exists():
            files_services.create_plan_entry(actor=system, number="6", title="Bauen", accepts_files=False)
            files_services.create_plan_entry(actor=system, number="6.60", title="Straßen", accepts_files=False)
            files_services.create_plan_entry(actor=system, number="6.60.01", title="Schäden")
        model = ProcessModel.objects.filter(key="reference").first()
        if model is None:
            bpmn = REFERENCE.read_text().replace('name="Referenzprozess"', f'name="Referenz {tenant.slug}"')
            model = services.import_model(actor=system, bpmn=bpmn.encode(), plan_entry="6.60.01")
            services.deploy(actor=system, model=model)
        return services.start_instance(actor=system, model=model, subject=f"Fall {tenant.slug}")


def _model(tenant):  # noqa: ANN001, ANN202
    return _instance(tenant).version.model


def _task(tenant):  # noqa: ANN001, ANN202
    from django_scopes import scopes_disabled

    instance = _instance(tenant)
    with scopes_disabled():
        return instance.tasks.select_related("instance").get()


def _incident(tenant):  # noqa: ANN001, ANN202
    from django_scopes import scopes_disabled

    from amtsflow.processes.models import Incident

    instance = _instance(tenant)
    with scopes_disabled():
        return Incident.objects.create(
            tenant=tenant,
            instance=instance,
            spiff_task_id=instance.public_id,
            element_id="Status_setzen",
            activity="Status setzen",
            connector="case.set_status",
            error=f"Fehler bei {tenant.slug}",
        )


register(
    IsolatedResource(
        name="process_model",
        create=_model,
        ui_list="processes:model_list",
        ui_detail=(
            "processes:model_detail",
            "processes:model_deploy",
            "processes:model_bpmn",
            "processes:model_start",
            "processes:model_modeler",
        ),
        ui_id_kwarg="model_id",
        api_list="processes-api:process-model-list",
        api_detail=(
            "processes-api:process-model-detail",
            "processes-api:process-model-deploy",
            "processes-api:process-model-versions",
            "processes-api:process-model-bpmn",
            "processes-api:process-model-start",
        ),
    )
)
register(
    IsolatedResource(
        name="process_instance",
        create=_instance,
        ui_list="processes:instance_list",
        ui_detail=("processes:instance_detail", "processes:instance_cancel"),
        ui_id_kwarg="instance_id",
        api_list="processes-api:process-instance-list",
        api_detail=("processes-api:process-instance-detail", "processes-api:process-instance-cancel"),
    )
)
register(
    IsolatedResource(
        name="task",
        create=_task,
        label=lambda task: str(task.instance.case_id),
        ui_list="processes:inbox",
        ui_detail=(
            "processes:task_detail",
            "processes:task_claim",
            "processes:task_unclaim",
            "processes:task_delegate",
        ),
        ui_id_kwarg="task_id",
        api_list="processes-api:task-list",
        api_detail=(
            "processes-api:task-detail",
            "processes-api:task-claim",
            "processes-api:task-unclaim",
            "processes-api:task-delegate",
            "processes-api:task-complete",
        ),
    )
)
register(
    IsolatedResource(
        name="incident",
        create=_incident,
        label=lambda incident: incident.error,
        ui_list="processes:incident_list",
        ui_detail=("processes:incident_retry",),
        ui_id_kwarg="incident_id",
        api_list="processes-api:incident-list",
        api_detail=(
            "processes-api:incident-detail",
            "processes-api:incident-retry",
            "processes-api:incident-cancel",
        ),
    )
)


def _version(tenant):  # noqa: ANN001, ANN202
    return _instance(tenant).version


register(
    IsolatedResource(
        name="process_version",
        create=_version,
        # Versions are listed on their model's page, which the "process_model" resource covers.
        label=lambda version: version.name,
        ui_detail=("processes:version_bpmn",),
        ui_id_kwarg="version_id",
    )
)

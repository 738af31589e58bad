"""The invoice approval process for a municipality: the shipped model imported, deployed and started by
received invoices."""

from pathlib import Path

from django.db import transaction

from amtsflow.einvoices.models import LeitwegRoute
from amtsflow.einvoices.services import routing
from amtsflow.einvoices.services.processing import INVOICE_RECEIVED
from amtsflow.processes import services
from amtsflow.processes.models import ProcessModel
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import OrgUnit, Tenant, User

LIBRARY = Path(__file__).parent / "library"
BPMN = "rechnungseingang.bpmn"
DMN = ("freigabegrenzen.dmn",)


def library_files() -> tuple[bytes, list[tuple[str, bytes]]]:
    return (LIBRARY / BPMN).read_bytes(), [(name, (LIBRARY / name).read_bytes()) for name in DMN]


@transaction.atomic
def deploy_invoice_process(actor: Actor) -> ProcessModel:
    """Import and deploy "Rechnungseingang" and let received invoices start it. Safe to run again: an existing
    model is left as its process owners changed it, only a missing deployment or start event is added."""
    bpmn, dmn = library_files()
    parsed = services.check_model(bpmn, dmn)
    model = ProcessModel.objects.filter(key=parsed.process_id).first()
    if model is None:
        model = services.import_model(actor=actor, bpmn=bpmn, dmn=dmn)
    if not model.versions.exists():
        services.deploy(actor=actor, model=model)
    if model.start_event != INVOICE_RECEIVED.name:
        model = services.update_model_settings(
            actor=actor,
            model=model,
            plan_entry=model.plan_entry,
            start_event=INVOICE_RECEIVED.name,
            description=model.description,
        )
    return model


# Fine addresses of Musterstadt's Leitweg-IDs (after its coarse address) → unit code.
DEMO_ROUTES = {"66": "66", "60": "60", "20": "20"}


def load() -> None:
    """Demo data (called by load_demo): the approval process deployed in Musterstadt by its process owner, and
    Leitweg-ID routes for three of its units."""
    tenant = Tenant.objects.get(slug="musterstadt")
    with tenant_scope(tenant):
        owner = User.objects.get(username="prozesse")
        deploy_invoice_process(Actor.for_membership(tenant_selectors.get_membership(tenant=tenant, user=owner)))
        system = Actor.for_system(tenant, "demo")
        for fine, code in DEMO_ROUTES.items():
            leitweg_id = f"{tenant.leitweg_prefix}-{fine}"
            unit = OrgUnit.objects.filter(code=code).first()
            if unit is not None and not LeitwegRoute.objects.filter(leitweg_id=leitweg_id).exists():
                routing.save_route(actor=system, leitweg_id=leitweg_id, org_unit=unit, note=unit.name)

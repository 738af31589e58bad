"""Demo processes for Musterstadt: the shipped models imported and deployed, a few instances running."""

from pathlib import Path

from django.db import transaction

from amtsflow.processes import services
from amtsflow.processes.models import ProcessInstance, ProcessModel
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant, User

LIBRARY = Path(__file__).parent / "library"
# Shipped model → (DMN files, plan entry of its cases in the demo plan).
MODELS = {
    "antrag_pruefen.bpmn": (["antrag_pruefen.dmn"], "3.20.01"),
    "schadensmeldung.bpmn": ([], "6.60.01"),
}
SAMPLE_STARTS = {
    "antrag_pruefen.bpmn": [
        {
            "antragsteller_name": "Erika Mustermann",
            "antragsteller_email": "erika.mustermann@example.org",
            "antragsart": "Sondernutzung",
            "betrag": 1200,
            "begruendung": "Aufstellen eines Baugerüsts vor dem Haus Hauptstraße 12 für vier Wochen.",
        },
        {
            "antragsteller_name": "Bäckerei Huber GmbH",
            "antragsteller_email": "info@baeckerei-huber.example",
            "antragsart": "Gewerbeanmeldung",
            "betrag": 60,
            "begruendung": "Eröffnung einer Filiale am Marktplatz 3.",
        },
    ],
    "schadensmeldung.bpmn": [
        {
            "kategorie": "Strasse",
            "beschreibung": "Tiefes Schlagloch auf der rechten Fahrspur, Gefahr für Radfahrende.",
            "ort": "Bahnhofstraße 14",
            "melder_email": "m.schmidt@example.org",
        },
        {
            "kategorie": "Beleuchtung",
            "beschreibung": "Straßenlaterne vor dem Spielplatz seit Tagen dunkel.",
            "ort": "Lindenweg / Ecke Ahornstraße",
            "melder_email": "anwohner@example.org",
        },
    ],
}


def _actor(tenant: Tenant, username: str) -> Actor:
    user = User.objects.get(username=username)
    return Actor.for_membership(tenant_selectors.get_membership(tenant=tenant, user=user))


@transaction.atomic
def load() -> None:
    """Import, deploy and start the shipped processes in Musterstadt (once; safe to run again)."""
    tenant = Tenant.objects.get(slug="musterstadt")
    with tenant_scope(tenant):
        owner = _actor(tenant, "prozesse")
        clerk = _actor(tenant, "sachbearbeitung")
        for filename, (dmn_files, plan_entry) in MODELS.items():
            bpmn = (LIBRARY / filename).read_bytes()
            dmn = [(name, (LIBRARY / name).read_bytes()) for name in dmn_files]
            parsed = services.check_model(bpmn, dmn)
            if ProcessModel.objects.filter(key=parsed.process_id).exists():
                continue
            model = services.import_model(actor=owner, bpmn=bpmn, dmn=dmn, plan_entry=plan_entry)
            services.deploy(actor=owner, model=model)
            if not ProcessInstance.objects.filter(version__model=model).exists():
                for data in SAMPLE_STARTS.get(filename, []):
                    subject = str(data.get("antragsteller_name") or data.get("ort") or model.name)
                    services.start_instance(actor=clerk, model=model, data=data, subject=subject)

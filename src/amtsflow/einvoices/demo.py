"""The invoice approval process for a municipality: the shipped model imported, deployed and started by
received invoices."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from amtsflow.einvoices.demo_invoices import Line, Supplier, build_invoice, leitweg_id
from amtsflow.einvoices.models import Channel, LeitwegRoute, Receipt
from amtsflow.einvoices.services import intake, routing
from amtsflow.einvoices.services.processing import INVOICE_RECEIVED
from amtsflow.processes import selectors as process_selectors
from amtsflow.processes import services
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import OrgUnit, Tenant, User

if TYPE_CHECKING:
    from amtsflow.processes.models import ProcessModel

LIBRARY = Path(__file__).parent / "library"
BPMN = "rechnungseingang.bpmn"
DMN = ("freigabegrenzen.dmn",)


def library_files() -> tuple[bytes, list[tuple[str, bytes]]]:
    return (LIBRARY / BPMN).read_bytes(), [(name, (LIBRARY / name).read_bytes()) for name in DMN]


@transaction.atomic
def deploy_invoice_process(actor: Actor) -> "ProcessModel":
    """Import and deploy "Rechnungseingang" and let received invoices start it. Safe to run again: an existing
    model is left as its process owners changed it, only a missing deployment or start event is added."""
    bpmn, dmn = library_files()
    parsed = services.check_model(bpmn, dmn)
    model = process_selectors.model_by_key(parsed.process_id)
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
    """Demo data (called by load_demo): the approval process deployed in Musterstadt by its process owner,
    Leitweg-ID routes for three of its units and five invoices delivered through the intake."""
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
        load_invoices(tenant)


DEMO_SOURCE = "Zentraler Rechnungseingang (Demo)"


def demo_invoices(coarse: str) -> list[tuple[str, bytes]]:
    """A Monday morning's invoices: routed to three units, one above the approval limit, one with an unknown
    Leitweg-ID (clearing) and one without the seller's phone number (invalid: BR-DE-6)."""
    today = timezone.localdate()
    mueller = Supplier("Asphalt Müller GmbH", "Industriestraße 12", "79998", "Nachbarstadt", "DE811907980",
                       "buchhaltung@asphalt-mueller.example", "+49 761 123456", "DE02120300000000202051")  # fmt: skip
    schreiber = Supplier("Bürobedarf Schreiber KG", "Marktgasse 3", "79999", "Musterstadt", "DE813495425",
                         "rechnung@schreiber-buero.example", "+49 7999 4711", "DE02500105170137075030")  # fmt: skip
    lichtblick = Supplier("Elektro Lichtblick GmbH", "Am Umspannwerk 7", "79997", "Oberdorf", "DE814584193",
                          "faktura@lichtblick-elektro.example", "+49 7998 2020", "DE02100100109307118603")  # fmt: skip
    invoices = [
        ("asphalt-mueller-2026-118.xml", dict(
            number="2026-118", issue_date=today - dt.timedelta(days=3), supplier=mueller, fine="66",
            order_reference="B-2026-0412", skonto=(14, Decimal("2")), delivery_date=today - dt.timedelta(days=7),
            lines=[Line("Asphaltfeinschicht AC 5 D S, Lindenstraße", Decimal("42.5"), "TNE", Decimal("112.40")),
                   Line("Fräsarbeiten Kreuzung Lindenstraße", Decimal("6"), "HUR", Decimal("95.00"))])),
        ("schreiber-R-88231.xml", dict(
            number="R-88231", issue_date=today - dt.timedelta(days=2), supplier=schreiber, fine="20",
            delivery_date=today - dt.timedelta(days=4),
            lines=[Line("Kopierpapier A4, 80 g, Karton à 2 500 Blatt", Decimal("12"), "H87", Decimal("21.90")),
                   Line("Ordner A4 breit, blau", Decimal("40"), "H87", Decimal("2.35"))])),
        ("lichtblick-LB-26-0977.xml", dict(
            number="LB-26-0977", issue_date=today - dt.timedelta(days=1), supplier=lichtblick, fine="60",
            skonto=(10, Decimal("3")), delivery_date=today - dt.timedelta(days=5),
            lines=[Line("Prüfung ortsveränderlicher Betriebsmittel (DGUV V3), Bauhof", Decimal("1"), "LS",
                        Decimal("640.00")),
                   Line("LED-Hallenstrahler 150 W", Decimal("8"), "H87", Decimal("118.50"))])),
        ("lichtblick-LB-26-0981.xml", dict(
            number="LB-26-0981", issue_date=today, supplier=lichtblick, fine="99",
            delivery_date=today - dt.timedelta(days=2),
            lines=[Line("Störungsbeseitigung Straßenbeleuchtung Am Markt", Decimal("3.5"), "HUR", Decimal("78.00"))])),
        ("schreiber-R-88240.xml", dict(
            number="R-88240", issue_date=today, supplier=schreiber, fine="20", seller_phone=False,
            delivery_date=today - dt.timedelta(days=1),
            lines=[Line("Druckerpatronen schwarz, XL", Decimal("6"), "H87", Decimal("34.90"))])),
    ]  # fmt: skip
    built = []
    for filename, values in invoices:
        fine = values.pop("fine")
        xml = build_invoice(buyer_name="Stadt Musterstadt", buyer_reference=leitweg_id(coarse, fine), **values)
        built.append((filename, xml))
    return built


def load_invoices(tenant: Tenant) -> None:
    """Deliver the demo invoices through the real intake, as a receipt platform would (once)."""
    if not tenant.leitweg_prefix or Receipt.objects.filter(source=DEMO_SOURCE).exists():
        return
    platform = Actor.for_system(tenant, "demo")
    files = [intake.IncomingFile(name, xml) for name, xml in demo_invoices(tenant.leitweg_prefix)]
    intake.receive(actor=platform, files=files, channel=Channel.API, source=DEMO_SOURCE)

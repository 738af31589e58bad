"""Demo data of the E-Akte: a file plan after the usual municipal structure, files, cases and documents."""

import datetime as dt

from django.db import transaction

from amtsflow.files import services
from amtsflow.files.constants import Confidentiality, Direction, DisposalAction
from amtsflow.files.models import Akte, AktenplanEntry
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant, User

A, D = DisposalAction.ARCHIVE, DisposalAction.DESTROY

# (number, title, retention years, disposal action, accepts files) — after the KGSt file plan pattern
PLAN = [
    ("0", "Allgemeine Verwaltung", 10, A, False),
    ("0.10", "Organisation", 10, A, False),
    ("0.10.01", "Organisation der Verwaltung", 10, A, True),
    ("0.10.02", "Geschäftsverteilung", 10, A, True),
    ("0.11", "Informations- und Kommunikationstechnik", 10, D, False),
    ("0.11.01", "IT-Verfahren und Fachanwendungen", 10, D, True),
    ("0.20", "Personal", 30, A, False),
    ("0.20.01", "Personalangelegenheiten", 30, A, True),
    ("2", "Finanzen", 10, A, False),
    ("2.00", "Haushalt", 10, A, False),
    ("2.00.01", "Haushaltsplan und Nachträge", 10, A, True),
    ("2.10", "Kasse", 10, D, False),
    ("2.10.01", "Rechnungen und Zahlungsanordnungen", 10, D, True),
    ("3", "Öffentliche Sicherheit und Ordnung", 10, A, False),
    ("3.20", "Gewerbe", 5, D, False),
    ("3.20.01", "Gewerbeanzeigen", 5, D, True),
    ("6", "Bauen und Verkehr", 30, A, False),
    ("6.10", "Bauordnung", 30, A, False),
    ("6.10.01", "Bauanträge", 30, A, True),
    ("6.60", "Straßen und Wege", 10, D, False),
    ("6.60.01", "Straßenunterhaltung und Schadensmeldungen", 10, D, True),
]

LETTER = """Stadt Musterstadt · Tiefbauamt · Rathausplatz 1 · 71332 Musterstadt

Schlaglöcher in der Hauptstraße zwischen Hausnummer 12 und 40

Sehr geehrte Damen und Herren,

im Rahmen der Straßenbegehung am {date} wurden in der Hauptstraße mehrere Schlaglöcher
festgestellt. Die Verkehrssicherungspflicht erfordert eine Ausbesserung bis spätestens Monatsende.
Die Kostenschätzung beläuft sich auf 4.800 Euro brutto.

Mit freundlichen Grüßen
Thomas Wagner, Amtsleitung Tiefbauamt
"""


def _actor(tenant: Tenant, username: str) -> Actor:
    user = User.objects.get(username=username)
    return Actor.for_membership(tenant_selectors.get_membership(tenant=tenant, user=user))


@transaction.atomic
def load() -> None:
    """Create the Musterstadt file plan and a few files (once; safe to run again)."""
    tenant = Tenant.objects.get(slug="musterstadt")
    with tenant_scope(tenant):
        registratur = _actor(tenant, "registratur")
        existing = set(AktenplanEntry.objects.values_list("number", flat=True))
        for number, title, years, action, accepts in PLAN:
            if number not in existing:
                services.create_plan_entry(
                    actor=registratur,
                    number=number,
                    title=title,
                    retention_years=years,
                    disposal_action=action,
                    accepts_files=accepts,
                )
        if Akte.objects.exists():
            return
        clerk, head = _actor(tenant, "sachbearbeitung"), _actor(tenant, "amtsleitung")
        entry = AktenplanEntry.objects.get
        roads = services.create_akte(actor=head, plan_entry=entry(number="6.60.01"), title="Straßenschäden Hauptstraße")
        case = services.create_vorgang(
            actor=head,
            akte=roads,
            subject="Schlaglöcher Hauptstraße 12–40",
            due_date=dt.date.today() + dt.timedelta(days=14),
            responsible=head.membership,
        )
        services.add_party(
            actor=head,
            vorgang=case,
            kind="person",
            name="Erika Mustermann",
            role="Hinweisgeberin",
            email="erika.mustermann@example.org",
            address="Hauptstraße 17\n71332 Musterstadt",
        )
        services.file_document(
            actor=head,
            vorgang=case,
            filename="Begehungsbericht.txt",
            direction=Direction.INTERNAL,
            upload=LETTER.format(date=dt.date.today().strftime("%d.%m.%Y")).encode(),
            title="Begehungsbericht Hauptstraße",
        )
        invoices = services.create_akte(
            actor=clerk, plan_entry=entry(number="2.10.01"), title="Rechnungseingang Tiefbauamt"
        )
        services.create_vorgang(actor=clerk, akte=invoices, subject="Rechnung Asphalt Müller GmbH Nr. 2026-118")
        services.create_akte(
            actor=registratur,
            plan_entry=entry(number="0.20.01"),
            title="Personalakte (vertraulich)",
            confidentiality=Confidentiality.CONFIDENTIAL,
        )

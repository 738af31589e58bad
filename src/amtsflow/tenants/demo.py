"""Demo data of the tenants capability: Musterstadt with one person per role, and a second municipality."""

from dataclasses import dataclass

from django.db import transaction

from amtsflow.tenants import services
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.constants import OrgUnitKind, Role
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Group, Membership, OrgUnit, Tenant, User


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    tenant: str
    roles: str


# (code, name, kind, parent code)
MUSTERSTADT_UNITS = [
    ("1", "Zentrale Dienste", OrgUnitKind.FACHBEREICH, None),
    ("10", "Hauptamt", OrgUnitKind.AMT, "1"),
    ("10.1", "Organisation und IT", OrgUnitKind.SACHGEBIET, "10"),
    ("10.2", "Registratur und Archiv", OrgUnitKind.SACHGEBIET, "10"),
    ("2", "Finanzen", OrgUnitKind.FACHBEREICH, None),
    ("20", "Kämmerei", OrgUnitKind.AMT, "2"),
    ("20.1", "Haushalt", OrgUnitKind.SACHGEBIET, "20"),
    ("20.2", "Stadtkasse", OrgUnitKind.SACHGEBIET, "20"),
    ("3", "Bürgerdienste und Ordnung", OrgUnitKind.FACHBEREICH, None),
    ("32", "Ordnungsamt", OrgUnitKind.AMT, "3"),
    ("33", "Bürgerbüro", OrgUnitKind.AMT, "3"),
    ("4", "Bauen und Umwelt", OrgUnitKind.FACHBEREICH, None),
    ("60", "Bauamt", OrgUnitKind.AMT, "4"),
    ("66", "Tiefbauamt", OrgUnitKind.AMT, "4"),
    ("66.1", "Straßenunterhaltung", OrgUnitKind.SACHGEBIET, "66"),
]

# (username, first, last, roles, unit code)
MUSTERSTADT_PEOPLE = [
    ("admin", "Frank", "Meyer", [Role.TENANT_ADMIN], "10.1"),
    ("sachbearbeitung", "Sabine", "Schneider", [Role.CLERK], "33"),
    ("amtsleitung", "Thomas", "Wagner", [Role.HEAD_OF_DEPARTMENT, Role.CLERK], "66"),
    ("kaemmerei", "Petra", "Becker", [Role.TREASURY], "20.2"),
    # Second pairs of eyes: with them, invoices of the Bürgerbüro (the clerk's uploads) and of the Tiefbauamt
    # can pass the four-eyes steps of the invoice approval with demo users alone.
    ("vertretung", "Lea", "Braun", [Role.CLERK], "33"),
    ("tiefbau", "Lukas", "Fischer", [Role.CLERK], "66"),
    ("strassenbau", "Jana", "Weber", [Role.CLERK], "66"),
    ("prozesse", "Jonas", "Hoffmann", [Role.PROCESS_OWNER], "10.1"),
    ("registratur", "Maria", "Schulz", [Role.RECORDS_MANAGER], "10.2"),
]

DEMO_PASSWORD = "Amtsflow-Demo-2026"


def _person(username: str, first: str, last: str, email_domain: str, *, operator: bool = False) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@{email_domain}",
            "is_operator": operator,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _tenant(*, operator: User, name: str, slug: str, ags: str, leitweg: str, admin: tuple[str, str, str]) -> Tenant:
    existing = Tenant.objects.filter(slug=slug).first()
    if existing:
        return existing
    _person(admin[0], admin[1], admin[2], f"{slug}.example")
    tenant, _ = services.create_tenant(
        operator=operator,
        name=name,
        slug=slug,
        ags=ags,
        leitweg_prefix=leitweg,
        contact_email=f"rathaus@{slug}.example",
        contact_phone="+49 7151 0000-0",
        address=f"Rathausplatz 1\n{name.split()[-1]}",
        admin_username=admin[0],
        admin_email=f"{admin[0]}@{slug}.example",
    )
    return tenant


@transaction.atomic
def load() -> list[DemoLogin]:
    """Create (or complete) the demo tenants; safe to run again."""
    operator = _person("betrieb", "Olaf", "Betreiber", "kommunal-it.example", operator=True)
    musterstadt = _tenant(
        operator=operator,
        name="Stadt Musterstadt",
        slug="musterstadt",
        ags="08119999",
        leitweg="081199990000",
        admin=MUSTERSTADT_PEOPLE[0][:3],
    )
    beispielhausen = _tenant(
        operator=operator,
        name="Gemeinde Beispielhausen",
        slug="beispielhausen",
        ags="09189999",
        leitweg="091899990000",
        admin=("bh-admin", "Anna", "Huber"),
    )
    logins = [DemoLogin("betrieb", DEMO_PASSWORD, "–", "provider operator")]
    with tenant_scope(musterstadt):
        admin = Actor.for_membership(Membership.objects.get(user__username="admin"))
        units: dict[str, OrgUnit] = {u.code: u for u in OrgUnit.objects.all()}
        for code, name, kind, parent in MUSTERSTADT_UNITS:
            if code not in units:
                units[code] = services.create_org_unit(
                    actor=admin, name=name, code=code, kind=kind, parent=units[parent] if parent else None
                )
        for username, first, last, roles, unit in MUSTERSTADT_PEOPLE:
            user = _person(username, first, last, "musterstadt.example")
            membership = Membership.objects.filter(user=user).first()
            if membership is None:
                membership = services.add_member(
                    actor=admin, username=username, email=user.email, roles=roles, org_unit=units[unit]
                )
            elif membership.org_unit is None:
                services.update_member(
                    actor=admin, membership=membership, roles=roles, org_unit=units[unit], is_active=True
                )
            logins.append(DemoLogin(username, DEMO_PASSWORD, "musterstadt", ", ".join(str(r.label) for r in roles)))
        if not Membership.objects.filter(user=operator).exists():
            services.add_member(actor=admin, username="betrieb", email=operator.email, roles=[Role.PROCESS_OWNER])
        members = {m.user.username: m for m in Membership.objects.select_related("user")}
        for name, description, usernames in [
            (
                "Rechnungsprüfung",
                "Prüft eingehende Rechnungen sachlich und rechnerisch.",
                ["sachbearbeitung", "kaemmerei"],
            ),
            ("Straßenunterhaltung", "Bearbeitet Schadensmeldungen zu Straßen und Wegen.", ["amtsleitung"]),
        ]:
            if not Group.objects.filter(name=name).exists():
                services.save_group(
                    actor=admin, name=name, description=description, members=[members[u] for u in usernames]
                )
    with tenant_scope(beispielhausen):
        bh_admin = Actor.for_membership(Membership.objects.get(user__username="bh-admin"))
        if not OrgUnit.objects.exists():
            services.create_org_unit(actor=bh_admin, name="Hauptverwaltung", code="1", kind=OrgUnitKind.FACHBEREICH)
        if not Membership.objects.filter(user=operator).exists():
            services.add_member(actor=bh_admin, username="betrieb", email=operator.email, roles=[Role.TENANT_ADMIN])
    logins.append(DemoLogin("bh-admin", DEMO_PASSWORD, "beispielhausen", str(Role.TENANT_ADMIN.label)))
    return logins

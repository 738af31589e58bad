import factory
from django_scopes import scopes_disabled

from amtsflow.tenants.constants import OrgUnitKind, Role
from amtsflow.tenants.models import Group, Membership, OrgUnit, RoleAssignment, Tenant, User

PASSWORD = "Test-Passwort-2026"


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")
    ags = factory.Sequence(lambda n: f"08{n:06d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Sequence(lambda n: f"Erika{n}")
    last_name = factory.Sequence(lambda n: f"Mustermann{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):  # noqa: ANN001, ANN003
        if create:
            self.save()


class ScopedFactory(factory.django.DjangoModelFactory):
    """Creates tenant-owned rows outside any request (the factory names the tenant)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN206
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class OrgUnitFactory(ScopedFactory):
    class Meta:
        model = OrgUnit

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Amt Nummer {n}")
    kind = OrgUnitKind.FACHBEREICH


class MembershipFactory(ScopedFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):  # noqa: ANN001, ANN003
        with scopes_disabled():
            for role in extracted if extracted is not None else [Role.CLERK]:
                RoleAssignment.objects.create(tenant=self.tenant, membership=self, role=role)


class GroupFactory(ScopedFactory):
    class Meta:
        model = Group

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Gruppe Nummer {n}")

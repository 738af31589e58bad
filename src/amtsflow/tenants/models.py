"""Tenants (municipalities), their organisation, members, groups and API clients."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, get_scope

from amtsflow.core.models import PublicIdModel, TimeStampedModel
from amtsflow.tenants.constants import ORG_UNIT_LEVEL, OrgUnitKind, Role
from amtsflow.tenants.validators import validate_ags, validate_leitweg_prefix


class User(AbstractUser):
    """A person who logs in. Belongs to tenants through memberships, possibly several."""

    is_operator = models.BooleanField(
        _("provider operator"),
        default=False,
        help_text=_("Staff of the IT service provider: may create tenants and publish templates."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Tenant(TimeStampedModel):
    """A municipality (Kommune) served by this installation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in URLs"), max_length=50, unique=True)
    ags = models.CharField(_("official municipality key (AGS)"), max_length=8, unique=True, validators=[validate_ags])
    leitweg_prefix = models.CharField(
        _("Leitweg-ID prefix"), max_length=12, blank=True, validators=[validate_leitweg_prefix]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="tenant-logos/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantScopedModel(models.Model):
    """Base of every tenant-owned model.

    The default manager (django-scopes) refuses to query unless a tenant scope is active, and then
    returns only that tenant's rows. The scope is set by the request middleware, the Celery task
    base and the `--tenant` option of commands; nothing else needs to remember a filter.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", editable=False)

    objects = ScopedManager(tenant="tenant")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        active = get_scope().get("tenant")
        if self.tenant_id is None and active is not None:
            self.tenant = active
        elif active is not None and self.tenant_id != active.pk:
            raise ValidationError("Refusing to write an object of another tenant.")
        super().save(*args, **kwargs)


class OrgUnit(PublicIdModel, TenantScopedModel):
    """Fachbereich → Amt → Sachgebiet."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=20, blank=True, help_text=_("e.g. 20 or 20.1"))
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["code", "name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name", "parent"], name="orgunit_unique_name")]
        indexes = [models.Index(fields=["tenant", "parent"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def level(self) -> int:
        return ORG_UNIT_LEVEL[self.kind]


class Membership(PublicIdModel, TenantScopedModel, TimeStampedModel):
    """A user's membership in one tenant, with roles and an org unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisational unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def role_codes(self) -> set[str]:
        return {assignment.role for assignment in self.role_assignments.all()}


class RoleAssignment(TenantScopedModel):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        constraints = [models.UniqueConstraint(fields=["membership", "role"], name="role_unique_per_member")]
        indexes = [models.Index(fields=["tenant", "role"])]

    def __str__(self) -> str:
        return f"{self.membership}: {self.get_role_display()}"


class Group(PublicIdModel, TenantScopedModel, TimeStampedModel):
    """A named set of members, e.g. the candidate group of a process task."""

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(Membership, verbose_name=_("members"), blank=True, related_name="groups")

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="group_unique_name")]

    def __str__(self) -> str:
        return self.name


class ApiClient(PublicIdModel, TenantScopedModel, TimeStampedModel):
    """A system that calls the REST API on behalf of one tenant, limited to its scopes."""

    name = models.CharField(_("name"), max_length=150)
    # The token is shown once; we keep a public prefix for lookup and a SHA-256 of the whole token.
    token_prefix = models.CharField(max_length=16, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    # Token lookup happens before any tenant is known; only the authentication code uses this.
    unscoped_objects = models.Manager()

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        default_manager_name = "objects"

    def __str__(self) -> str:
        return self.name

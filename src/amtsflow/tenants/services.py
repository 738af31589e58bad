"""Write use cases of the tenants capability: tenants, org units, members, groups, API clients.

Every function takes keyword arguments, checks the actor's permission, runs in one transaction and
raises domain exceptions (amtsflow.core.exceptions) that the UI, API and commands turn into messages.
"""

import hashlib
import io
import logging
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from amtsflow.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from amtsflow.core.permissions import all_scopes
from amtsflow.core.selectors import full_clean
from amtsflow.tenants import permissions as perms
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.constants import ORG_UNIT_LEVEL, Role
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import ApiClient, Group, Membership, OrgUnit, RoleAssignment, Tenant, User
from amtsflow.tenants.selectors import API_TOKEN_PREFIX

logger = logging.getLogger(__name__)


# --- Tenants (provider operators) ------------------------------------------------------------------
@transaction.atomic
def create_tenant(
    *,
    operator: User | None,
    name: str,
    slug: str,
    ags: str,
    leitweg_prefix: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    address: str = "",
    admin_username: str,
    admin_email: str,
    admin_first_name: str = "",
    admin_last_name: str = "",
    admin_password: str | None = None,
) -> tuple[Tenant, Membership]:
    """Create a municipality and its first tenant administrator (an existing user is reused by name).

    `operator` is the provider operator acting in the UI; None means the server's command line.
    """
    if operator is not None and not operator.is_operator:
        raise PermissionDenied(_("Only provider operators may create tenants."))
    tenant = Tenant(
        name=name,
        slug=slug,
        ags=ags,
        leitweg_prefix=leitweg_prefix,
        contact_email=contact_email,
        contact_phone=contact_phone,
        address=address,
    )
    full_clean(tenant)
    try:
        with transaction.atomic():
            tenant.save()
    except IntegrityError as exc:
        raise Conflict(_("A tenant with this short name or municipality key already exists.")) from exc
    with tenant_scope(tenant):
        membership = _add_member(
            tenant=tenant,
            username=admin_username,
            email=admin_email,
            first_name=admin_first_name,
            last_name=admin_last_name,
            password=admin_password,
            roles=[Role.TENANT_ADMIN],
            org_unit=None,
        )
    logger.info("tenant created", extra={"tenant": tenant.slug, "operator": operator.username if operator else "cli"})
    return tenant, membership


# --- Organisational units ----------------------------------------------------------------------------
def _check_parent(unit: OrgUnit, parent: OrgUnit | None) -> None:
    if parent is None:
        return
    if ORG_UNIT_LEVEL[parent.kind] >= ORG_UNIT_LEVEL[unit.kind]:
        raise ValidationFailed(
            _("A unit of kind “%(kind)s” cannot be placed below a unit of kind “%(parent)s”.")
            % {"kind": unit.get_kind_display(), "parent": parent.get_kind_display()},
            field_errors={"parent": [_("Choose a unit of a higher level.")]},
        )
    ancestor: OrgUnit | None = parent
    while ancestor is not None:
        if unit.pk is not None and ancestor.pk == unit.pk:
            raise ValidationFailed(
                _("A unit cannot be placed below itself."),
                field_errors={"parent": [_("This would create a cycle.")]},
            )
        ancestor = ancestor.parent


@transaction.atomic
def create_org_unit(*, actor: Actor, name: str, kind: str, code: str = "", parent: OrgUnit | None = None) -> OrgUnit:
    actor.require(perms.MANAGE_ORG_UNITS)
    unit = OrgUnit(tenant=actor.tenant, name=name, kind=kind, code=code, parent=parent)
    _check_parent(unit, parent)
    full_clean(unit, exclude=["tenant"])
    return _save_unique(unit, _("A unit with this name already exists at this place."))


@transaction.atomic
def update_org_unit(
    *, actor: Actor, unit: OrgUnit, name: str, kind: str, code: str = "", parent: OrgUnit | None = None
) -> OrgUnit:
    actor.require(perms.MANAGE_ORG_UNITS)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    unit.name, unit.kind, unit.code, unit.parent = name, kind, code, parent
    _check_parent(unit, parent)
    if any(ORG_UNIT_LEVEL[child.kind] <= ORG_UNIT_LEVEL[kind] for child in unit.children.all()):
        raise ValidationFailed(
            _("The unit has sub-units of this level or above; move them first."),
            field_errors={"kind": [_("Not possible with the current sub-units.")]},
        )
    full_clean(unit, exclude=["tenant"])
    return _save_unique(unit, _("A unit with this name already exists at this place."))


@transaction.atomic
def delete_org_unit(*, actor: Actor, unit: OrgUnit) -> None:
    actor.require(perms.MANAGE_ORG_UNITS)
    if unit.children.exists():
        raise Conflict(_("The unit still has sub-units."))
    if unit.members.exists():
        raise Conflict(_("Members still belong to the unit; assign them elsewhere first."))
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError as exc:  # other capabilities refer to it (e.g. invoices, Leitweg-ID routes)
        raise Conflict(
            _("The unit is still in use (e.g. by invoices or Leitweg-ID routes); it cannot be deleted.")
        ) from exc


def _save_unique(instance: OrgUnit | Group, message: str):  # noqa: ANN202
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise Conflict(message, field_errors={"name": [message]}) from exc
    return instance


# --- Members ----------------------------------------------------------------------------------------
def _clean_roles(roles: Iterable[str]) -> set[str]:
    chosen = set(roles)
    unknown = chosen - set(Role.values)
    if unknown:
        raise ValidationFailed(
            _("Unknown role: %(roles)s") % {"roles": ", ".join(sorted(unknown))},
            field_errors={"roles": [_("Unknown role.")]},
        )
    return chosen


def _set_roles(membership: Membership, roles: set[str]) -> None:
    membership.role_assignments.exclude(role__in=roles).delete()
    existing = set(membership.role_assignments.values_list("role", flat=True))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(tenant=membership.tenant, membership=membership, role=r) for r in sorted(roles - existing)]
    )


def _add_member(
    *,
    tenant: Tenant,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    roles: Iterable[str],
    org_unit: OrgUnit | None,
) -> Membership:
    chosen_roles = _clean_roles(roles)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        full_clean(user, exclude=["password"])
        if password:
            try:
                validate_password(password, user)
            except DjangoValidationError as exc:
                raise ValidationFailed(
                    _("The password is not strong enough."), field_errors={"password": list(exc.messages)}
                ) from exc
            user.set_password(password)
        else:
            user.set_unusable_password()  # the person sets it through the reset link
        user.save()
    if Membership.objects.filter(user=user).exists():
        raise Conflict(_("This user is already a member."), field_errors={"username": [_("Already a member.")]})
    membership = Membership.objects.create(tenant=tenant, user=user, org_unit=org_unit)
    _set_roles(membership, chosen_roles)
    return membership


@transaction.atomic
def add_member(
    *,
    actor: Actor,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    roles: Iterable[str] = (),
    org_unit: OrgUnit | None = None,
    password: str | None = None,
) -> Membership:
    """Add a person to the tenant, creating the user account if the user name is new."""
    actor.require(perms.MANAGE_MEMBERS)
    return _add_member(
        tenant=actor.tenant,
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        roles=roles,
        org_unit=org_unit,
    )


def _ensure_admin_remains(membership: Membership, *, still_admin: bool) -> None:
    if still_admin:
        return
    others = RoleAssignment.objects.filter(role=Role.TENANT_ADMIN, membership__is_active=True).exclude(
        membership=membership
    )
    if not others.exists():
        raise Conflict(_("The tenant needs at least one active administrator."))


@transaction.atomic
def update_member(
    *,
    actor: Actor,
    membership: Membership,
    roles: Iterable[str],
    org_unit: OrgUnit | None,
    is_active: bool,
) -> Membership:
    actor.require(perms.MANAGE_MEMBERS)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    chosen = _clean_roles(roles)
    _ensure_admin_remains(membership, still_admin=is_active and Role.TENANT_ADMIN in chosen)
    membership.org_unit, membership.is_active = org_unit, is_active
    membership.save()
    _set_roles(membership, chosen)
    return membership


@transaction.atomic
def remove_member(*, actor: Actor, membership: Membership) -> None:
    """End the membership; the user account stays (it may belong to other tenants)."""
    actor.require(perms.MANAGE_MEMBERS)
    _ensure_admin_remains(membership, still_admin=False)
    membership.delete()


# --- Groups -----------------------------------------------------------------------------------------
@transaction.atomic
def save_group(
    *,
    actor: Actor,
    name: str,
    description: str = "",
    members: Iterable[Membership] = (),
    group: Group | None = None,
) -> Group:
    """Create a group, or update `group` when given."""
    actor.require(perms.MANAGE_GROUPS)
    group = group or Group(tenant=actor.tenant)
    group.name, group.description = name, description
    full_clean(group, exclude=["tenant", "members"])
    _save_unique(group, _("A group with this name already exists."))
    group.members.set(list(members))
    return group


@transaction.atomic
def delete_group(*, actor: Actor, group: Group) -> None:
    actor.require(perms.MANAGE_GROUPS)
    group.delete()


# --- API clients ------------------------------------------------------------------------------------
@transaction.atomic
def create_api_client(*, actor: Actor, name: str, scopes: Iterable[str]) -> tuple[ApiClient, str]:
    """Create an API client and return it with its token; the token is shown only this once."""
    actor.require(perms.MANAGE_API_CLIENTS)
    chosen = sorted(set(scopes))
    known = {scope.code for scope in all_scopes()}
    if not chosen or set(chosen) - known:
        raise ValidationFailed(_("Choose at least one known scope."), field_errors={"scopes": [_("Invalid.")]})
    prefix = secrets.token_hex(6)
    token = f"{API_TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    client = ApiClient(
        tenant=actor.tenant,
        name=name,
        scopes=chosen,
        token_prefix=prefix,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        created_by=actor.user,
    )
    full_clean(client, exclude=["tenant", "created_by"])
    client.save()
    return client, token


@transaction.atomic
def revoke_api_client(*, actor: Actor, client: ApiClient) -> ApiClient:
    actor.require(perms.MANAGE_API_CLIENTS)
    client.is_active = False
    client.save(update_fields=["is_active", "updated_at"])
    return client


# --- Invitations ------------------------------------------------------------------------------------
def send_invitation(*, membership: Membership) -> bool:
    """E-mail a link to set a password (Django's password-reset token: single use, expires).

    Returns False when nothing was sent: the person has no address or already has a password.
    """
    user = membership.user
    if not user.email or user.has_usable_password():
        return False
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "tenant": membership.tenant, "url": settings.BASE_URL.rstrip("/") + path}
    # The recipient's language is unknown: write in the installation's language, not the sender's.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("tenants/email/invitation_subject.txt", context).strip()
        body = render_to_string("tenants/email/invitation.txt", context)
    send_mail(
        subject=subject,
        message=body,
        from_email=None,
        recipient_list=[user.email],
    )
    return True


# --- Tenant master data ------------------------------------------------------------------------------
LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def _checked_logo(upload: UploadedFile) -> ContentFile:
    """A PNG or JPEG of at most 1 MB, decided from the content (SVG could carry scripts)."""
    if upload.size is None or upload.size > LOGO_MAX_BYTES:
        raise ValidationFailed(_("The logo may be at most 1 MB."), field_errors={"logo": [_("File too large.")]})
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationFailed(
            _("The logo must be a PNG or JPEG image."), field_errors={"logo": [_("Not a readable image.")]}
        ) from exc
    if kind not in LOGO_FORMATS:
        raise ValidationFailed(
            _("The logo must be a PNG or JPEG image."), field_errors={"logo": [_("Only PNG and JPEG are accepted.")]}
        )
    return ContentFile(data, name=f"logo.{LOGO_FORMATS[kind]}")


@transaction.atomic
def update_tenant_profile(
    *,
    actor: Actor,
    contact_email: str,
    contact_phone: str,
    address: str,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> Tenant:
    """Contact data and logo, kept by the tenant's administrators (name and AGS belong to the operator)."""
    actor.require(perms.MANAGE_TENANT_PROFILE)
    tenant = Tenant.objects.select_for_update().get(pk=actor.tenant.pk)
    tenant.contact_email, tenant.contact_phone, tenant.address = contact_email, contact_phone, address
    full_clean(tenant, exclude=["logo"])
    if logo is not None:
        checked = _checked_logo(logo)
        tenant.logo.save(f"{tenant.slug}-{secrets.token_hex(4)}-{checked.name}", checked, save=False)
    elif remove_logo:
        tenant.logo = ""
    tenant.save()
    return tenant

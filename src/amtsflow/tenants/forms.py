"""Forms of the staff UI; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amtsflow.core.permissions import all_scopes
from amtsflow.tenants.constants import OrgUnitKind, Role
from amtsflow.tenants.models import Membership, OrgUnit
from amtsflow.tenants.validators import validate_ags, validate_leitweg_prefix


class OrgUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{obj} ({obj.get_kind_display()})"


class OrgUnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=20, required=False, help_text=_("e.g. 20 or 20.1"))
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnitKind.choices)
    parent = OrgUnitChoiceField(
        label=_("Parent unit"), queryset=OrgUnit.objects.none(), required=False, to_field_name="public_id"
    )

    def __init__(self, *args, units=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["parent"].queryset = units


class MemberCreateForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    org_unit = OrgUnitChoiceField(
        label=_("Organisational unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        to_field_name="public_id",
    )

    def __init__(self, *args, units=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["org_unit"].queryset = units


class MemberUpdateForm(forms.Form):
    roles = MemberCreateForm.base_fields["roles"]
    org_unit = MemberCreateForm.base_fields["org_unit"]
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, units=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["org_unit"].queryset = units


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return str(obj)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    members = MemberChoiceField(
        label=_("Members"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )

    def __init__(self, *args, memberships=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        if memberships is not None:
            self.fields["members"].queryset = memberships


class ApiClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("e.g. the name of the calling system"))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), widget=forms.CheckboxSelectMultiple, choices=[])

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(s.code, f"{s.code}: {s.label}") for s in all_scopes()]


class TenantCreateForm(forms.Form):
    name = forms.CharField(label=_("Name of the municipality"), max_length=200)
    slug = forms.SlugField(label=_("Short name in URLs"), max_length=50)
    ags = forms.CharField(
        label=_("Official municipality key (AGS)"),
        max_length=8,
        validators=[validate_ags],
        help_text=_("8 digits, e.g. 09162000"),
    )
    leitweg_prefix = forms.CharField(
        label=_("Leitweg-ID prefix"), max_length=12, required=False, validators=[validate_leitweg_prefix]
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Postal address"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    admin_username = forms.CharField(label=_("User name of the first administrator"), max_length=150)
    admin_email = forms.EmailField(label=_("E-mail of the first administrator"))
    admin_first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    admin_last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)


class TenantProfileForm(forms.Form):
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Postal address"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

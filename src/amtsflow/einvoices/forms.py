from django import forms
from django.utils.translation import gettext_lazy as _

from amtsflow.einvoices.models import InvoiceState, Validity
from amtsflow.files.forms import MultipleFileField
from amtsflow.tenants.models import OrgUnit


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Invoice files"),
        help_text=_("XRechnung (UBL or CII XML) or ZUGFeRD/Factur-X PDF; several at once."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = ".xml,.pdf,application/xml,text/xml,application/pdf"


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Number, supplier, Leitweg-ID or file name"))
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("all")), *InvoiceState.choices])
    validity = forms.ChoiceField(label=_("Validation"), required=False, choices=[("", _("all")), *Validity.choices])


class AssignForm(forms.Form):
    org_unit = forms.ModelChoiceField(label=_("Organisational unit"), queryset=OrgUnit.objects.none())
    remember = forms.BooleanField(
        label=_("Route this Leitweg-ID to the unit from now on"), required=False, initial=True
    )

    def __init__(self, *args: object, units: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units


class RouteForm(forms.Form):
    leitweg_id = forms.CharField(label=_("Leitweg-ID"), max_length=46)
    org_unit = forms.ModelChoiceField(label=_("Organisational unit"), queryset=OrgUnit.objects.none())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: object, units: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units

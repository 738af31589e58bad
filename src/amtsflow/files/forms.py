"""Forms of the E-Akte staff UI; they parse input, the services decide."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amtsflow.files.constants import AkteState, Confidentiality, Direction, DisposalAction, PartyKind, VorgangStatus
from amtsflow.files.models import AktenplanEntry
from amtsflow.tenants.models import Membership, OrgUnit

MAX_CSV_BYTES = 2 * 1024 * 1024
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Responsible unit"))
        super().__init__(queryset=OrgUnit.objects.none(), required=False, to_field_name="public_id", **kwargs)


class MemberChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Membership.objects.none(), required=False, to_field_name="public_id", **kwargs)


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Membership.objects.none(),
            required=False,
            to_field_name="public_id",
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


class PlanEntryChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=AktenplanEntry.objects.none(), to_field_name="public_id", **kwargs)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; cleans to a list (Django's FileField takes one)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return [single(None, initial)] if self.required else []
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data or self.required else []


def _querysets(form: forms.Form, **querysets: QuerySet | None) -> None:
    for name, queryset in querysets.items():
        if queryset is not None and name in form.fields:
            form.fields[name].queryset = queryset  # type: ignore[attr-defined]


# --- File plan -------------------------------------------------------------------------------------------
class PlanEntryForm(forms.Form):
    number = forms.CharField(
        label=_("Number"), max_length=40, help_text=_("e.g. 0.10.02; the entry is placed below 0.10 automatically")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    retention_years = forms.IntegerField(label=_("Retention period (years)"), min_value=0, max_value=200, initial=10)
    disposal_action = forms.ChoiceField(label=_("After retention"), choices=DisposalAction.choices)
    org_unit = UnitChoiceField()
    accepts_files = forms.BooleanField(label=_("Files may be created here"), required=False, initial=True)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, units: QuerySet | None = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _querysets(self, org_unit=units)
        # The number is fixed once files carry it in their reference numbers; new entries are always active.
        del self.fields["number" if editing else "is_active"]


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns number, title, parent, retention_years, disposal_action, accepts_files (as exported)."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> str:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size and upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is too large for a file plan (at most 2 MB)."))
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Spreadsheets on German Windows save CSV as Windows-1252 unless told otherwise.
            return raw.decode("cp1252", errors="replace")


# --- Files (Akten) ---------------------------------------------------------------------------------------
class AkteFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("all"))] + AkteState.choices, required=False)
    plan_entry = PlanEntryChoiceField(label=_("File plan entry"), required=False, empty_label=_("all"))

    def __init__(self, *args: Any, plan_entries: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _querysets(self, plan_entry=plan_entries)


class AkteForm(forms.Form):
    plan_entry = PlanEntryChoiceField(
        label=_("File plan entry"), help_text=_("The reference number is derived from it and cannot change later.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    org_unit = UnitChoiceField(help_text=_("Empty: the unit of the file plan entry."))
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices)
    permitted_members = MembersChoiceField(
        label=_("Permitted persons"),
        help_text=_(
            "For confidential files only: nobody else can see the file, whatever their role. You are always included."
        ),
    )

    def __init__(
        self,
        *args: Any,
        plan_entries: QuerySet | None = None,
        units: QuerySet | None = None,
        members: QuerySet | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _querysets(self, plan_entry=plan_entries, org_unit=units, permitted_members=members)
        if editing:
            del self.fields["plan_entry"]


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the legal hold"), max_length=300, required=False, help_text=_("e.g. pending litigation")
    )


# --- Cases (Vorgänge) ------------------------------------------------------------------------------------
class VorgangForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=VorgangStatus.choices)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)
    org_unit = UnitChoiceField(help_text=_("Empty: the unit of the file."))
    responsible = MemberChoiceField(label=_("Responsible person"))

    def __init__(
        self,
        *args: Any,
        units: QuerySet | None = None,
        members: QuerySet | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _querysets(self, org_unit=units, responsible=members)
        if not editing:
            del self.fields["status"]  # new cases start open


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyKind.choices)
    name = forms.CharField(label=_("Name"), max_length=300)
    role = forms.CharField(label=_("Role in the case"), max_length=100, required=False, help_text=_("e.g. applicant"))
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


# --- Documents -------------------------------------------------------------------------------------------
class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_("One or more files; an e-mail (.eml) is filed with its attachments."),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    document_date = forms.DateField(label=_("Date of the documents"), required=False, widget=DATE_WIDGET)
    sender = forms.CharField(label=_("Sender"), max_length=300, required=False)


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"))
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False, help_text=_("What changed?"))


class CheckInForm(forms.Form):
    file = forms.FileField(label=_("Edited file"), required=False, help_text=_("Optional: filed as a new version."))
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)


# --- Search ----------------------------------------------------------------------------------------------
class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("all")), ("akte", _("Files")), ("vorgang", _("Cases")), ("document", _("Documents"))],
    )
    plan_entry = PlanEntryChoiceField(label=_("File plan entry"), required=False, empty_label=_("all"))
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        # Files and cases share "open"; the index stores either state under one name.
        choices=[("", _("all")), *{**dict(VorgangStatus.choices), **dict(AkteState.choices)}.items()],
    )
    direction = forms.ChoiceField(label=_("Direction"), required=False, choices=[("", _("all"))] + Direction.choices)

    def __init__(self, *args: Any, plan_entries: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _querysets(self, plan_entry=plan_entries)
        self.fields["q"].widget.input_type = "search"


# --- Aussonderung and records packages -------------------------------------------------------------------
class DueFilterForm(forms.Form):
    as_of = forms.DateField(
        label=_("Due as of"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Closed files retained until before this date (default: today)."),
    )


class DisposalCreateForm(forms.Form):
    as_of = forms.DateField(required=False, widget=forms.HiddenInput)


class DisposalRemoveForm(forms.Form):
    akte = forms.UUIDField(widget=forms.HiddenInput)


class DisposalExecuteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm the irreversible destruction"),
        help_text=_("Files marked for destruction are deleted for good; only a tombstone and the audit trail remain."),
    )


class PackageImportForm(forms.Form):
    file = forms.FileField(
        label=_("Records package (ZIP)"),
        help_text=_("A package exported from Amtsflow or another XDOMEA system."),
        widget=forms.FileInput(attrs={"accept": ".zip,application/zip"}),
    )
    plan_entry = PlanEntryChoiceField(
        label=_("File plan entry for files without one here"),
        required=False,
        help_text=_("Otherwise missing file plan entries are created from the package."),
    )

    def __init__(self, *args: Any, plan_entries: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _querysets(self, plan_entry=plan_entries)

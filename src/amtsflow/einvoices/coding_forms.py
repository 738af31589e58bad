"""The coding editor: several lines of cost centre, product, account, net amount and VAT rate."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from amtsflow.einvoices.models import CodingLine
from amtsflow.einvoices.services.coding import Coding

EXTRA_LINES = 2


class CodingLineForm(forms.Form):
    cost_centre = forms.CharField(label=_("Cost centre"), max_length=30, required=False)
    product = forms.CharField(label=_("Product"), max_length=30, required=False)
    account = forms.CharField(label=_("Account"), max_length=30, required=False)
    net_amount = forms.DecimalField(label=_("Net"), max_digits=19, decimal_places=2, required=False, localize=True)
    vat_rate = forms.DecimalField(
        label=_("VAT rate (%)"), max_digits=5, decimal_places=2, required=False, localize=True
    )

    def clean(self) -> dict:
        data = super().clean()
        filled = [
            name for name in ("cost_centre", "product", "account", "net_amount") if data.get(name) not in (None, "")
        ]
        if filled and len(filled) < 4:
            raise forms.ValidationError(
                _("Fill in cost centre, product, account and net amount, or leave the line empty.")
            )
        return data

    def coding(self) -> Coding | None:
        data = self.cleaned_data
        if not data or data.get("net_amount") is None:
            return None
        rate = data.get("vat_rate")
        return Coding(
            cost_centre=data["cost_centre"],
            product=data["product"],
            account=data["account"],
            net_amount=data["net_amount"],
            vat_rate=rate if rate is not None else Decimal("19"),
        )


CodingFormSet = forms.formset_factory(CodingLineForm, extra=EXTRA_LINES, max_num=50, validate_max=True)


def initial_lines(lines: list[CodingLine]) -> list[dict]:
    return [
        {
            "cost_centre": line.cost_centre,
            "product": line.product,
            "account": line.account,
            "net_amount": line.net_amount,
            "vat_rate": line.vat_rate,
        }
        for line in lines
    ]

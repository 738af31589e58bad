"""The normalised invoice read from UBL or CII: one model, every field tagged with its EN 16931 business term.

Each field's metadata names its BT/BG identifier (`bt`). Parties, addresses, contacts and allowances appear in
several roles with different identifiers (the seller's city is BT-37, the buyer's BT-52), so there the metadata
maps role → identifier and the containing field passes its `role` down. `business_terms()` walks an invoice and
yields every filled field with its identifier, which is what the display pairs with the names in `terms`.
"""

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .leitweg import LeitwegCheck
from .leitweg import check as check_leitweg

PARTY_ROLES = ("seller", "buyer", "payee", "tax_representative", "deliver_to")


def bt(
    term: str | Mapping[str, str],
    default: Any = dataclasses.MISSING,
    *,
    role: str = "",
    many: bool = False,
    factory: Any = dataclasses.MISSING,
) -> Any:
    """A dataclass field tagged with its business term (or role → term); `many` gives a list default."""
    metadata = {"bt": term, "role": role}
    if many:
        factory = list
    if factory is not dataclasses.MISSING:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Identifier:
    value: str
    scheme: str = ""  # schemeID, e.g. "0088" (GLN), "EM" (e-mail), "0204" (Leitweg-ID)

    def __str__(self) -> str:
        return f"{self.value} ({self.scheme})" if self.scheme else self.value


@dataclass(frozen=True)
class Notice:
    """Something the clerk should see while reading (an invalid IBAN, a malformed amount); never a refusal."""

    bt: str
    message: str


@dataclass
class Address:
    line1: str = bt({"seller": "BT-35", "buyer": "BT-50", "tax_representative": "BT-64", "deliver_to": "BT-75"}, "")
    line2: str = bt({"seller": "BT-36", "buyer": "BT-51", "tax_representative": "BT-65", "deliver_to": "BT-76"}, "")
    line3: str = bt({"seller": "BT-162", "buyer": "BT-163", "tax_representative": "BT-164", "deliver_to": "BT-165"}, "")
    city: str = bt({"seller": "BT-37", "buyer": "BT-52", "tax_representative": "BT-66", "deliver_to": "BT-77"}, "")
    postcode: str = bt({"seller": "BT-38", "buyer": "BT-53", "tax_representative": "BT-67", "deliver_to": "BT-78"}, "")
    subdivision: str = bt(
        {"seller": "BT-39", "buyer": "BT-54", "tax_representative": "BT-68", "deliver_to": "BT-79"}, ""
    )
    country: str = bt({"seller": "BT-40", "buyer": "BT-55", "tax_representative": "BT-69", "deliver_to": "BT-80"}, "")


@dataclass
class Contact:
    name: str = bt({"seller": "BT-41", "buyer": "BT-56"}, "")
    phone: str = bt({"seller": "BT-42", "buyer": "BT-57"}, "")
    email: str = bt({"seller": "BT-43", "buyer": "BT-58"}, "")


@dataclass
class Party:
    name: str = bt(
        {"seller": "BT-27", "buyer": "BT-44", "payee": "BT-59", "tax_representative": "BT-62", "deliver_to": "BT-70"},
        "",
    )
    trading_name: str = bt({"seller": "BT-28", "buyer": "BT-45"}, "")
    identifiers: list[Identifier] = bt(
        {"seller": "BT-29", "buyer": "BT-46", "payee": "BT-60", "deliver_to": "BT-71"}, many=True
    )
    legal_registration_id: Identifier | None = bt({"seller": "BT-30", "buyer": "BT-47", "payee": "BT-61"}, None)
    vat_id: str = bt({"seller": "BT-31", "buyer": "BT-48", "tax_representative": "BT-63"}, "")
    tax_number: str = bt({"seller": "BT-32"}, "")
    legal_info: str = bt({"seller": "BT-33"}, "")
    electronic_address: Identifier | None = bt({"seller": "BT-34", "buyer": "BT-49"}, None)
    address: Address | None = bt(
        {"seller": "BG-5", "buyer": "BG-8", "tax_representative": "BG-12", "deliver_to": "BG-15"}, None
    )
    contact: Contact | None = bt({"seller": "BG-6", "buyer": "BG-9"}, None)


@dataclass
class AllowanceCharge:
    amount: Decimal | None = bt(
        {"allowance": "BT-92", "charge": "BT-99", "line_allowance": "BT-136", "line_charge": "BT-141"}, None
    )
    base_amount: Decimal | None = bt(
        {"allowance": "BT-93", "charge": "BT-100", "line_allowance": "BT-137", "line_charge": "BT-142"}, None
    )
    percent: Decimal | None = bt(
        {"allowance": "BT-94", "charge": "BT-101", "line_allowance": "BT-138", "line_charge": "BT-143"}, None
    )
    vat_category: str = bt({"allowance": "BT-95", "charge": "BT-102"}, "")
    vat_rate: Decimal | None = bt({"allowance": "BT-96", "charge": "BT-103"}, None)
    reason: str = bt(
        {"allowance": "BT-97", "charge": "BT-104", "line_allowance": "BT-139", "line_charge": "BT-144"}, ""
    )
    reason_code: str = bt(
        {"allowance": "BT-98", "charge": "BT-105", "line_allowance": "BT-140", "line_charge": "BT-145"}, ""
    )


@dataclass
class SkontoTerm:
    """One cash-discount term of the XRechnung convention in BT-20: `percent` off when paid within `days`."""

    days: int = bt("BT-20", 0)
    percent: Decimal = bt("BT-20", Decimal(0))
    base_amount: Decimal | None = bt("BT-20", None)  # None: the discount applies to the amount due (BT-115)


@dataclass
class PaymentMeans:
    code: str = bt("BT-81", "")
    text: str = bt("BT-82", "")
    remittance_information: str = bt("BT-83", "")
    account_id: str = bt("BT-84", "")  # IBAN or a proprietary account number
    account_name: str = bt("BT-85", "")
    bic: str = bt("BT-86", "")
    card_number: str = bt("BT-87", "")
    card_holder: str = bt("BT-88", "")
    mandate_id: str = bt("BT-89", "")
    debited_account: str = bt("BT-91", "")
    # Result of the ISO 13616 check of account_id / debited_account; None where no IBAN is given.
    iban_valid: bool | None = None


@dataclass
class TaxBreakdown:
    taxable_amount: Decimal | None = bt("BT-116", None)
    tax_amount: Decimal | None = bt("BT-117", None)
    category: str = bt("BT-118", "")
    rate: Decimal | None = bt("BT-119", None)
    exemption_reason: str = bt("BT-120", "")
    exemption_code: str = bt("BT-121", "")


@dataclass
class Totals:
    line_total: Decimal | None = bt("BT-106", None)
    allowance_total: Decimal | None = bt("BT-107", None)
    charge_total: Decimal | None = bt("BT-108", None)
    tax_exclusive: Decimal | None = bt("BT-109", None)
    tax_total: Decimal | None = bt("BT-110", None)
    tax_total_accounting: Decimal | None = bt("BT-111", None)  # in the VAT accounting currency (BT-6)
    tax_inclusive: Decimal | None = bt("BT-112", None)
    prepaid: Decimal | None = bt("BT-113", None)
    rounding: Decimal | None = bt("BT-114", None)
    payable: Decimal | None = bt("BT-115", None)


@dataclass
class ThirdPartyPayment:
    """XRechnung extension: an amount a third party already paid, added to the amount due (BR-DEX-09)."""

    type: str = bt("BT-DEX-001", "")
    amount: Decimal | None = bt("BT-DEX-002", None)
    description: str = bt("BT-DEX-003", "")


@dataclass
class Attachment:
    """A supporting document (BG-24): embedded (content) or referenced by URI; embedded ones go to the case."""

    id: str = bt("BT-122", "")
    description: str = bt("BT-123", "")
    uri: str = bt("BT-124", "")
    content: bytes = bt("BT-125", b"")
    filename: str = bt("BT-125", "")
    mime: str = bt("BT-125", "")


@dataclass
class PrecedingInvoice:
    number: str = bt("BT-25", "")
    issue_date: date | None = bt("BT-26", None)


@dataclass
class Line:
    id: str = bt("BT-126", "")
    note: str = bt("BT-127", "")
    object_id: Identifier | None = bt("BT-128", None)
    quantity: Decimal | None = bt("BT-129", None)
    unit: str = bt("BT-130", "")
    net_amount: Decimal | None = bt("BT-131", None)
    order_line_reference: str = bt("BT-132", "")
    accounting_reference: str = bt("BT-133", "")
    period_start: date | None = bt("BT-134", None)
    period_end: date | None = bt("BT-135", None)
    allowances: list[AllowanceCharge] = bt("BG-27", role="line_allowance", many=True)
    charges: list[AllowanceCharge] = bt("BG-28", role="line_charge", many=True)
    net_price: Decimal | None = bt("BT-146", None)
    price_discount: Decimal | None = bt("BT-147", None)
    gross_price: Decimal | None = bt("BT-148", None)
    base_quantity: Decimal | None = bt("BT-149", None)
    base_quantity_unit: str = bt("BT-150", "")
    vat_category: str = bt("BT-151", "")
    vat_rate: Decimal | None = bt("BT-152", None)
    name: str = bt("BT-153", "")
    description: str = bt("BT-154", "")
    seller_item_id: str = bt("BT-155", "")
    buyer_item_id: str = bt("BT-156", "")
    standard_item_id: Identifier | None = bt("BT-157", None)
    sub_lines: list["Line"] = bt("BG-DEX-01", many=True)  # XRechnung extension: lines grouped under this one


@dataclass
class Invoice:
    syntax: str  # "ubl-invoice", "ubl-creditnote" or "cii"
    number: str = bt("BT-1", "")
    issue_date: date | None = bt("BT-2", None)
    type_code: str = bt("BT-3", "")
    currency: str = bt("BT-5", "")
    tax_currency: str = bt("BT-6", "")
    tax_point_date: date | None = bt("BT-7", None)
    tax_point_date_code: str = bt("BT-8", "")
    due_date: date | None = bt("BT-9", None)
    buyer_reference: str = bt("BT-10", "")  # the Leitweg-ID for German public buyers
    project_reference: str = bt("BT-11", "")
    contract_reference: str = bt("BT-12", "")
    order_reference: str = bt("BT-13", "")
    sales_order_reference: str = bt("BT-14", "")
    receiving_advice_reference: str = bt("BT-15", "")
    despatch_advice_reference: str = bt("BT-16", "")
    tender_reference: str = bt("BT-17", "")
    invoiced_object: Identifier | None = bt("BT-18", None)
    buyer_accounting_reference: str = bt("BT-19", "")
    payment_terms: str = bt("BT-20", "")
    skonto: list[SkontoTerm] = bt("BT-20", many=True)
    notes: list[str] = bt("BT-22", many=True)
    process_id: str = bt("BT-23", "")
    specification_id: str = bt("BT-24", "")
    preceding_invoices: list[PrecedingInvoice] = bt("BG-3", many=True)
    seller: Party = bt("BG-4", role="seller", factory=Party)
    buyer: Party = bt("BG-7", role="buyer", factory=Party)
    payee: Party | None = bt("BG-10", None, role="payee")
    tax_representative: Party | None = bt("BG-11", None, role="tax_representative")
    deliver_to: Party | None = bt("BG-13", None, role="deliver_to")
    delivery_date: date | None = bt("BT-72", None)
    period_start: date | None = bt("BT-73", None)
    period_end: date | None = bt("BT-74", None)
    payment_means: list[PaymentMeans] = bt("BG-16", many=True)
    creditor_id: str = bt("BT-90", "")
    allowances: list[AllowanceCharge] = bt("BG-20", role="allowance", many=True)
    charges: list[AllowanceCharge] = bt("BG-21", role="charge", many=True)
    totals: Totals = bt("BG-22", factory=Totals)
    third_party_payments: list[ThirdPartyPayment] = bt("BG-DEX-09", many=True)
    vat_breakdown: list[TaxBreakdown] = bt("BG-23", many=True)
    attachments: list[Attachment] = bt("BG-24", many=True)
    lines: list[Line] = bt("BG-25", many=True)
    notices: list[Notice] = field(default_factory=list)

    @property
    def leitweg(self) -> LeitwegCheck | None:
        """The buyer reference checked as a Leitweg-ID; None when there is none."""
        return check_leitweg(self.buyer_reference) if self.buyer_reference.strip() else None

    @property
    def is_credit_note(self) -> bool:
        return self.syntax == "ubl-creditnote" or self.type_code == "381"

    def notice(self, term: str, message: str) -> None:
        self.notices.append(Notice(term, message))


@dataclass(frozen=True)
class TermValue:
    bt: str
    path: str  # attribute path in the model, e.g. "seller.address.city" or "lines[0].net_amount"
    value: Any


def term_of(cls: type, name: str, role: str = "") -> str:
    """The business term of field `name` of model class `cls` (in `role` for party-like classes)."""
    for item in dataclasses.fields(cls):
        if item.name == name:
            return _resolve(item.metadata.get("bt", ""), role)
    raise KeyError(name)


def business_terms(obj: Any, role: str = "", path: str = "") -> Iterator[TermValue]:
    """Every filled field below `obj` with its business term, in model order (groups before their members)."""
    for item in dataclasses.fields(obj):
        term = _resolve(item.metadata.get("bt", ""), role)
        if not term:
            continue
        value = getattr(obj, item.name)
        if value in (None, "", b"") or value == []:
            continue
        child_role = item.metadata.get("role") or role
        where = f"{path}.{item.name}" if path else item.name
        values = value if isinstance(value, list) else [value]
        for index, element in enumerate(values):
            at = f"{where}[{index}]" if isinstance(value, list) else where
            if _is_group(element):
                yield TermValue(term, at, None)
                yield from business_terms(element, child_role, at)
            else:
                yield TermValue(term, at, element)


def _resolve(term: str | Mapping[str, str], role: str) -> str:
    return term.get(role, "") if isinstance(term, Mapping) else term


def _is_group(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and any("bt" in f.metadata for f in dataclasses.fields(value))

"""Demo e-invoices: XRechnung 3.0 UBL invoices from suppliers of Musterstadt, built here (not copied test data).

They go through the real intake (stored, validated with the installed rules, read, routed, filed, approval
started), so the demo shows invoices in every stage the clerk would meet on a Monday morning.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from amtsflow.einvoices.reading.iban import mod97

UBL = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Supplier:
    name: str
    street: str
    postcode: str
    city: str
    vat_id: str
    email: str
    phone: str
    iban: str


@dataclass(frozen=True)
class Line:
    name: str
    quantity: Decimal
    unit: str  # UN/ECE rec. 20, e.g. H87 piece, HUR hour, TNE tonne
    price: Decimal
    vat_rate: Decimal = Decimal("19")


def leitweg_id(coarse: str, fine: str) -> str:
    """A Leitweg-ID with its ISO 7064 MOD 97-10 check digits."""
    base = f"{coarse}{fine}".upper()
    check = 98 - mod97(base + "00")
    return f"{coarse}-{fine}-{check:02d}"


def _sub(parent: etree._Element, ns: str, tag: str, text: object = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        element.text = str(text)
    return element


def _amount(parent: etree._Element, tag: str, value: Decimal) -> None:
    _sub(parent, CBC, tag, value.quantize(CENT), currencyID="EUR")


def _tax_category(parent: etree._Element, tag: str, rate: Decimal) -> None:
    category = _sub(parent, CAC, tag)
    _sub(category, CBC, "ID", "S")
    _sub(category, CBC, "Percent", rate)
    _sub(_sub(category, CAC, "TaxScheme"), CBC, "ID", "VAT")


def _address(party: etree._Element, street: str, postcode: str, city: str) -> None:
    address = _sub(party, CAC, "PostalAddress")
    _sub(address, CBC, "StreetName", street)
    _sub(address, CBC, "CityName", city)
    _sub(address, CBC, "PostalZone", postcode)
    _sub(_sub(address, CAC, "Country"), CBC, "IdentificationCode", "DE")


def build_invoice(  # noqa: PLR0913
    *,
    number: str,
    issue_date: dt.date,
    supplier: Supplier,
    buyer_name: str,
    buyer_reference: str,
    lines: list[Line],
    order_reference: str = "",
    skonto: tuple[int, Decimal] | None = None,
    payment_days: int = 30,
    delivery_date: dt.date | None = None,
    seller_phone: bool = True,
) -> bytes:
    """One invoice; `seller_phone=False` leaves out the seller's phone, which XRechnung requires (BR-DE-6)."""
    root = etree.Element(f"{{{UBL}}}Invoice", nsmap={"ubl": UBL, "cac": CAC, "cbc": CBC})
    _sub(root, CBC, "CustomizationID", "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0")
    _sub(root, CBC, "ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0")
    _sub(root, CBC, "ID", number)
    _sub(root, CBC, "IssueDate", issue_date.isoformat())
    _sub(root, CBC, "DueDate", (issue_date + dt.timedelta(days=payment_days)).isoformat())
    _sub(root, CBC, "InvoiceTypeCode", "380")
    _sub(root, CBC, "DocumentCurrencyCode", "EUR")
    _sub(root, CBC, "BuyerReference", buyer_reference)
    if order_reference:
        _sub(_sub(root, CAC, "OrderReference"), CBC, "ID", order_reference)

    seller = _sub(_sub(root, CAC, "AccountingSupplierParty"), CAC, "Party")
    _sub(seller, CBC, "EndpointID", supplier.email, schemeID="EM")
    _sub(_sub(seller, CAC, "PartyName"), CBC, "Name", supplier.name)
    _address(seller, supplier.street, supplier.postcode, supplier.city)
    tax_scheme = _sub(seller, CAC, "PartyTaxScheme")
    _sub(tax_scheme, CBC, "CompanyID", supplier.vat_id)
    _sub(_sub(tax_scheme, CAC, "TaxScheme"), CBC, "ID", "VAT")
    _sub(_sub(seller, CAC, "PartyLegalEntity"), CBC, "RegistrationName", supplier.name)
    contact = _sub(seller, CAC, "Contact")
    _sub(contact, CBC, "Name", "Buchhaltung")
    if seller_phone:
        _sub(contact, CBC, "Telephone", supplier.phone)
    _sub(contact, CBC, "ElectronicMail", supplier.email)

    buyer = _sub(_sub(root, CAC, "AccountingCustomerParty"), CAC, "Party")
    _sub(buyer, CBC, "EndpointID", "rechnungseingang@musterstadt.example", schemeID="EM")
    _address(buyer, "Rathausplatz 1", "79999", "Musterstadt")
    _sub(_sub(buyer, CAC, "PartyLegalEntity"), CBC, "RegistrationName", buyer_name)
    if delivery_date:
        _sub(_sub(root, CAC, "Delivery"), CBC, "ActualDeliveryDate", delivery_date.isoformat())

    means = _sub(root, CAC, "PaymentMeans")
    _sub(means, CBC, "PaymentMeansCode", "58")
    _sub(_sub(means, CAC, "PayeeFinancialAccount"), CBC, "ID", supplier.iban)
    terms = f"Zahlbar innerhalb von {payment_days} Tagen ohne Abzug."
    if skonto:
        terms = f"#SKONTO#TAGE={skonto[0]}#PROZENT={skonto[1]:.2f}#\n"
    _sub(_sub(root, CAC, "PaymentTerms"), CBC, "Note", terms)

    nets = [(line.quantity * line.price).quantize(CENT) for line in lines]
    by_rate: dict[Decimal, Decimal] = {}
    for line, net in zip(lines, nets, strict=True):
        by_rate[line.vat_rate] = by_rate.get(line.vat_rate, Decimal(0)) + net
    taxes = {rate: (base * rate / 100).quantize(CENT) for rate, base in by_rate.items()}
    net_total, tax_total = sum(nets, Decimal(0)), sum(taxes.values(), Decimal(0))
    tax = _sub(root, CAC, "TaxTotal")
    _amount(tax, "TaxAmount", tax_total)
    for rate, base in sorted(by_rate.items()):
        subtotal = _sub(tax, CAC, "TaxSubtotal")
        _amount(subtotal, "TaxableAmount", base)
        _amount(subtotal, "TaxAmount", taxes[rate])
        _tax_category(subtotal, "TaxCategory", rate)
    totals = _sub(root, CAC, "LegalMonetaryTotal")
    _amount(totals, "LineExtensionAmount", net_total)
    _amount(totals, "TaxExclusiveAmount", net_total)
    _amount(totals, "TaxInclusiveAmount", net_total + tax_total)
    _amount(totals, "PayableAmount", net_total + tax_total)

    for position, (line, net) in enumerate(zip(lines, nets, strict=True), start=1):
        element = _sub(root, CAC, "InvoiceLine")
        _sub(element, CBC, "ID", position)
        _sub(element, CBC, "InvoicedQuantity", line.quantity, unitCode=line.unit)
        _amount(element, "LineExtensionAmount", net)
        item = _sub(element, CAC, "Item")
        _sub(item, CBC, "Name", line.name)
        _tax_category(item, "ClassifiedTaxCategory", line.vat_rate)
        _amount(_sub(element, CAC, "Price"), "PriceAmount", line.price)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

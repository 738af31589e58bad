"""UBL 2.1 Invoice and CreditNote → normalised invoice, following the EN 16931 UBL syntax binding."""

from lxml import etree

from .model import (
    Address,
    AllowanceCharge,
    Attachment,
    Contact,
    Invoice,
    Line,
    Party,
    PaymentMeans,
    PrecedingInvoice,
    TaxBreakdown,
    ThirdPartyPayment,
    Totals,
)
from .values import Reader

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
# Supporting documents with this type code carry the invoiced object identifier (BT-18), not an attachment.
_INVOICED_OBJECT = "130"


def read_ubl(root: etree._Element) -> Invoice:
    credit_note = root.tag == f"{{{CREDIT_NOTE_NS}}}CreditNote"
    invoice = Invoice(syntax="ubl-creditnote" if credit_note else "ubl-invoice")
    r = Reader(NS, invoice)
    invoice.specification_id = r.text(root, "cbc:CustomizationID")
    invoice.process_id = r.text(root, "cbc:ProfileID")
    invoice.number = r.text(root, "cbc:ID")
    invoice.issue_date = r.iso_date(root, "cbc:IssueDate", "BT-2")
    invoice.type_code = r.text(root, "cbc:CreditNoteTypeCode" if credit_note else "cbc:InvoiceTypeCode")
    # A credit note has no DueDate element; EN 16931 maps its BT-9 to the payment means' due date.
    due_path = "cac:PaymentMeans/cbc:PaymentDueDate" if credit_note else "cbc:DueDate"
    invoice.due_date = r.iso_date(root, due_path, "BT-9")
    invoice.notes = [r.text(note) for note in r.all(root, "cbc:Note") if r.text(note)]
    invoice.tax_point_date = r.iso_date(root, "cbc:TaxPointDate", "BT-7")
    invoice.currency = r.text(root, "cbc:DocumentCurrencyCode")
    invoice.tax_currency = r.text(root, "cbc:TaxCurrencyCode")
    invoice.buyer_accounting_reference = r.text(root, "cbc:AccountingCost")
    invoice.buyer_reference = r.text(root, "cbc:BuyerReference")
    period = r.first(root, "cac:InvoicePeriod")
    invoice.period_start = r.iso_date(period, "cbc:StartDate", "BT-73")
    invoice.period_end = r.iso_date(period, "cbc:EndDate", "BT-74")
    invoice.tax_point_date_code = r.text(period, "cbc:DescriptionCode")
    invoice.order_reference = r.text(root, "cac:OrderReference/cbc:ID")
    invoice.sales_order_reference = r.text(root, "cac:OrderReference/cbc:SalesOrderID")
    invoice.preceding_invoices = [
        PrecedingInvoice(r.text(ref, "cbc:ID"), r.iso_date(ref, "cbc:IssueDate", "BT-26"))
        for ref in r.all(root, "cac:BillingReference/cac:InvoiceDocumentReference")
    ]
    invoice.despatch_advice_reference = r.text(root, "cac:DespatchDocumentReference/cbc:ID")
    invoice.receiving_advice_reference = r.text(root, "cac:ReceiptDocumentReference/cbc:ID")
    invoice.tender_reference = r.text(root, "cac:OriginatorDocumentReference/cbc:ID")
    invoice.contract_reference = r.text(root, "cac:ContractDocumentReference/cbc:ID")
    invoice.project_reference = r.text(root, "cac:ProjectReference/cbc:ID")
    _documents(r, root, invoice)
    invoice.seller = _party(r, r.first(root, "cac:AccountingSupplierParty/cac:Party"), "seller")
    invoice.buyer = _party(r, r.first(root, "cac:AccountingCustomerParty/cac:Party"), "buyer")
    payee = r.first(root, "cac:PayeeParty")
    invoice.payee = _party(r, payee, "payee") if payee is not None else None
    representative = r.first(root, "cac:TaxRepresentativeParty")
    invoice.tax_representative = _party(r, representative, "tax_representative") if representative is not None else None
    _delivery(r, root, invoice)
    invoice.payment_means = [_payment_means(r, means) for means in r.all(root, "cac:PaymentMeans")]
    invoice.creditor_id = _creditor_id(r, root)
    invoice.payment_terms = "\n".join(
        text for note in r.all(root, "cac:PaymentTerms/cbc:Note") if (text := r.raw_text(note, ""))
    )
    for element in r.all(root, "cac:AllowanceCharge"):
        charge = r.text(element, "cbc:ChargeIndicator").lower() == "true"
        (invoice.charges if charge else invoice.allowances).append(_allowance_charge(r, element, "BT-92"))
    _tax(r, root, invoice)
    invoice.totals = _totals(r, r.first(root, "cac:LegalMonetaryTotal"), invoice.totals)
    invoice.third_party_payments = [
        ThirdPartyPayment(
            r.text(payment, "cbc:ID"),
            r.decimal(payment, "cbc:PaidAmount", "BT-DEX-002"),
            r.text(payment, "cbc:InstructionID"),
        )
        for payment in r.all(root, "cac:PrepaidPayment")
    ]
    line_tag = "cac:CreditNoteLine" if credit_note else "cac:InvoiceLine"
    invoice.lines = [_line(r, line, credit_note=credit_note) for line in r.all(root, line_tag)]
    return invoice


def _documents(r: Reader, root: etree._Element, invoice: Invoice) -> None:
    for reference in r.all(root, "cac:AdditionalDocumentReference"):
        if r.text(reference, "cbc:DocumentTypeCode") == _INVOICED_OBJECT:
            invoice.invoiced_object = r.identifier(reference, "cbc:ID")
            continue
        embedded = r.first(reference, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject")
        invoice.attachments.append(
            Attachment(
                id=r.text(reference, "cbc:ID"),
                description=r.text(reference, "cbc:DocumentDescription"),
                uri=r.text(reference, "cac:Attachment/cac:ExternalReference/cbc:URI"),
                content=r.binary(embedded, "BT-125"),
                filename=r.attr(embedded, "", "filename"),
                mime=r.attr(embedded, "", "mimeCode"),
            )
        )


def _party(r: Reader, node: etree._Element | None, role: str) -> Party:
    party = Party()
    if node is None:
        return party
    trading_name = r.text(node, "cac:PartyName/cbc:Name")
    legal_name = r.text(node, "cac:PartyLegalEntity/cbc:RegistrationName")
    if role in ("seller", "buyer"):
        party.name, party.trading_name = legal_name or trading_name, trading_name if legal_name else ""
    else:  # payee and tax representative carry their name in PartyName only
        party.name = trading_name or legal_name
    # SEPA creditor identifiers share the element with party identifiers but are BT-90, read separately.
    party.identifiers = [
        identifier
        for element in r.all(node, "cac:PartyIdentification/cbc:ID")
        if (identifier := r.identifier(element)) and identifier.scheme != "SEPA"
    ]
    party.legal_registration_id = r.identifier(node, "cac:PartyLegalEntity/cbc:CompanyID")
    party.legal_info = r.text(node, "cac:PartyLegalEntity/cbc:CompanyLegalForm")
    for scheme in r.all(node, "cac:PartyTaxScheme"):
        company_id = r.text(scheme, "cbc:CompanyID")
        if r.text(scheme, "cac:TaxScheme/cbc:ID").upper() == "VAT":
            party.vat_id = company_id
        else:
            party.tax_number = company_id
    party.electronic_address = r.identifier(node, "cbc:EndpointID")
    address = r.first(node, "cac:PostalAddress")
    party.address = _address(r, address) if address is not None else None
    contact = r.first(node, "cac:Contact")
    if contact is not None:
        party.contact = Contact(
            r.text(contact, "cbc:Name"), r.text(contact, "cbc:Telephone"), r.text(contact, "cbc:ElectronicMail")
        )
    return party


def _address(r: Reader, node: etree._Element) -> Address:
    return Address(
        line1=r.text(node, "cbc:StreetName"),
        line2=r.text(node, "cbc:AdditionalStreetName"),
        line3=r.text(node, "cac:AddressLine/cbc:Line"),
        city=r.text(node, "cbc:CityName"),
        postcode=r.text(node, "cbc:PostalZone"),
        subdivision=r.text(node, "cbc:CountrySubentity"),
        country=r.text(node, "cac:Country/cbc:IdentificationCode"),
    )


def _delivery(r: Reader, root: etree._Element, invoice: Invoice) -> None:
    delivery = r.first(root, "cac:Delivery")
    if delivery is None:
        return
    invoice.delivery_date = r.iso_date(delivery, "cbc:ActualDeliveryDate", "BT-72")
    location = r.first(delivery, "cac:DeliveryLocation")
    name = r.text(delivery, "cac:DeliveryParty/cac:PartyName/cbc:Name")
    if location is None and not name:
        return
    address = r.first(location, "cac:Address")
    location_id = r.identifier(location, "cbc:ID")
    invoice.deliver_to = Party(
        name=name,
        identifiers=[location_id] if location_id else [],
        address=_address(r, address) if address is not None else None,
    )


def _payment_means(r: Reader, node: etree._Element) -> PaymentMeans:
    return PaymentMeans(
        code=r.text(node, "cbc:PaymentMeansCode"),
        text=r.attr(node, "cbc:PaymentMeansCode", "name"),
        remittance_information=r.text(node, "cbc:PaymentID"),
        account_id=r.text(node, "cac:PayeeFinancialAccount/cbc:ID"),
        account_name=r.text(node, "cac:PayeeFinancialAccount/cbc:Name"),
        bic=r.text(node, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"),
        card_number=r.text(node, "cac:CardAccount/cbc:PrimaryAccountNumberID"),
        card_holder=r.text(node, "cac:CardAccount/cbc:HolderName"),
        mandate_id=r.text(node, "cac:PaymentMandate/cbc:ID"),
        debited_account=r.text(node, "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"),
    )


def _creditor_id(r: Reader, root: etree._Element) -> str:
    for path in ("cac:AccountingSupplierParty/cac:Party", "cac:PayeeParty"):
        for element in r.all(root, f"{path}/cac:PartyIdentification/cbc:ID"):
            if element.get("schemeID") == "SEPA":
                return r.text(element)
    return ""


def _allowance_charge(r: Reader, node: etree._Element, term: str) -> AllowanceCharge:
    return AllowanceCharge(
        amount=r.decimal(node, "cbc:Amount", term),
        base_amount=r.decimal(node, "cbc:BaseAmount", term),
        percent=r.decimal(node, "cbc:MultiplierFactorNumeric", term),
        vat_category=r.text(node, "cac:TaxCategory/cbc:ID"),
        vat_rate=r.decimal(node, "cac:TaxCategory/cbc:Percent", term),
        reason=r.text(node, "cbc:AllowanceChargeReason"),
        reason_code=r.text(node, "cbc:AllowanceChargeReasonCode"),
    )


def _tax(r: Reader, root: etree._Element, invoice: Invoice) -> None:
    for total in r.all(root, "cac:TaxTotal"):
        amount = r.first(total, "cbc:TaxAmount")
        # The currency tells BT-110 (invoice currency) from BT-111 (VAT accounting currency) apart.
        in_tax_currency = (
            bool(invoice.tax_currency) and amount is not None and amount.get("currencyID") == invoice.tax_currency
        )
        if in_tax_currency and (invoice.tax_currency != invoice.currency or r.first(total, "cac:TaxSubtotal") is None):
            invoice.totals.tax_total_accounting = r.decimal(amount, "", "BT-111")
            continue
        invoice.totals.tax_total = r.decimal(amount, "", "BT-110")
        invoice.vat_breakdown.extend(
            TaxBreakdown(
                taxable_amount=r.decimal(subtotal, "cbc:TaxableAmount", "BT-116"),
                tax_amount=r.decimal(subtotal, "cbc:TaxAmount", "BT-117"),
                category=r.text(subtotal, "cac:TaxCategory/cbc:ID"),
                rate=r.decimal(subtotal, "cac:TaxCategory/cbc:Percent", "BT-119"),
                exemption_reason=r.text(subtotal, "cac:TaxCategory/cbc:TaxExemptionReason"),
                exemption_code=r.text(subtotal, "cac:TaxCategory/cbc:TaxExemptionReasonCode"),
            )
            for subtotal in r.all(total, "cac:TaxSubtotal")
        )


def _totals(r: Reader, node: etree._Element | None, totals: Totals) -> Totals:
    totals.line_total = r.decimal(node, "cbc:LineExtensionAmount", "BT-106")
    totals.tax_exclusive = r.decimal(node, "cbc:TaxExclusiveAmount", "BT-109")
    totals.tax_inclusive = r.decimal(node, "cbc:TaxInclusiveAmount", "BT-112")
    totals.allowance_total = r.decimal(node, "cbc:AllowanceTotalAmount", "BT-107")
    totals.charge_total = r.decimal(node, "cbc:ChargeTotalAmount", "BT-108")
    totals.prepaid = r.decimal(node, "cbc:PrepaidAmount", "BT-113")
    totals.rounding = r.decimal(node, "cbc:PayableRoundingAmount", "BT-114")
    totals.payable = r.decimal(node, "cbc:PayableAmount", "BT-115")
    return totals


def _line(r: Reader, node: etree._Element, *, credit_note: bool) -> Line:
    item = r.first(node, "cac:Item")
    price = r.first(node, "cac:Price")
    line = Line(
        id=r.text(node, "cbc:ID"),
        note=r.text(node, "cbc:Note"),
        object_id=r.identifier(node, "cac:DocumentReference/cbc:ID"),
        quantity=r.decimal(node, "cbc:CreditedQuantity" if credit_note else "cbc:InvoicedQuantity", "BT-129"),
        unit=r.attr(node, "cbc:CreditedQuantity" if credit_note else "cbc:InvoicedQuantity", "unitCode"),
        net_amount=r.decimal(node, "cbc:LineExtensionAmount", "BT-131"),
        order_line_reference=r.text(node, "cac:OrderLineReference/cbc:LineID"),
        accounting_reference=r.text(node, "cbc:AccountingCost"),
        period_start=r.iso_date(node, "cac:InvoicePeriod/cbc:StartDate", "BT-134"),
        period_end=r.iso_date(node, "cac:InvoicePeriod/cbc:EndDate", "BT-135"),
        net_price=r.decimal(price, "cbc:PriceAmount", "BT-146"),
        price_discount=r.decimal(price, "cac:AllowanceCharge/cbc:Amount", "BT-147"),
        gross_price=r.decimal(price, "cac:AllowanceCharge/cbc:BaseAmount", "BT-148"),
        base_quantity=r.decimal(price, "cbc:BaseQuantity", "BT-149"),
        base_quantity_unit=r.attr(price, "cbc:BaseQuantity", "unitCode"),
        vat_category=r.text(item, "cac:ClassifiedTaxCategory/cbc:ID"),
        vat_rate=r.decimal(item, "cac:ClassifiedTaxCategory/cbc:Percent", "BT-152"),
        name=r.text(item, "cbc:Name"),
        description=r.text(item, "cbc:Description"),
        seller_item_id=r.text(item, "cac:SellersItemIdentification/cbc:ID"),
        buyer_item_id=r.text(item, "cac:BuyersItemIdentification/cbc:ID"),
        standard_item_id=r.identifier(item, "cac:StandardItemIdentification/cbc:ID"),
    )
    for element in r.all(node, "cac:AllowanceCharge"):
        charge = r.text(element, "cbc:ChargeIndicator").lower() == "true"
        (line.charges if charge else line.allowances).append(_allowance_charge(r, element, "BT-136"))
    sub_tag = "cac:SubCreditNoteLine" if credit_note else "cac:SubInvoiceLine"
    line.sub_lines = [_line(r, sub, credit_note=credit_note) for sub in r.all(node, sub_tag)]
    return line

"""UN/CEFACT Cross Industry Invoice (D16B, as used by XRechnung and Factur-X/ZUGFeRD 2) → normalised invoice."""

from lxml import etree

from .model import (
    Address,
    AllowanceCharge,
    Attachment,
    Contact,
    Identifier,
    Invoice,
    Line,
    Party,
    PaymentMeans,
    PrecedingInvoice,
    TaxBreakdown,
)
from .values import Reader

CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS = {
    "rsm": CII_NS,
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
_DOC = "rsm:ExchangedDocument"
_TRADE = "rsm:SupplyChainTradeTransaction"
# Type codes of AdditionalReferencedDocument besides supporting documents (916): tender or lot, invoiced object.
_TENDER, _INVOICED_OBJECT = "50", "130"


def read_cii(root: etree._Element) -> Invoice:
    invoice = Invoice(syntax="cii")
    r = Reader(NS, invoice)
    context = r.first(root, "rsm:ExchangedDocumentContext")
    invoice.process_id = r.text(context, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID")
    invoice.specification_id = r.text(context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")
    document = r.first(root, _DOC)
    invoice.number = r.text(document, "ram:ID")
    invoice.type_code = r.text(document, "ram:TypeCode")
    invoice.issue_date = r.cii_date(document, "ram:IssueDateTime/udt:DateTimeString", "BT-2")
    invoice.notes = [text for note in r.all(document, "ram:IncludedNote") if (text := r.text(note, "ram:Content"))]
    trade = r.first(root, _TRADE)
    _agreement(r, r.first(trade, "ram:ApplicableHeaderTradeAgreement"), invoice)
    _delivery(r, r.first(trade, "ram:ApplicableHeaderTradeDelivery"), invoice)
    _settlement(r, r.first(trade, "ram:ApplicableHeaderTradeSettlement"), invoice)
    invoice.lines = _lines(r, r.all(trade, "ram:IncludedSupplyChainTradeLineItem"))
    return invoice


def _agreement(r: Reader, node: etree._Element | None, invoice: Invoice) -> None:
    invoice.buyer_reference = r.text(node, "ram:BuyerReference")
    invoice.seller = _party(r, r.first(node, "ram:SellerTradeParty"))
    invoice.buyer = _party(r, r.first(node, "ram:BuyerTradeParty"))
    representative = r.first(node, "ram:SellerTaxRepresentativeTradeParty")
    invoice.tax_representative = _party(r, representative) if representative is not None else None
    invoice.sales_order_reference = r.text(node, "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID")
    invoice.order_reference = r.text(node, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID")
    invoice.contract_reference = r.text(node, "ram:ContractReferencedDocument/ram:IssuerAssignedID")
    invoice.project_reference = r.text(node, "ram:SpecifiedProcuringProject/ram:ID")
    for reference in r.all(node, "ram:AdditionalReferencedDocument"):
        type_code = r.text(reference, "ram:TypeCode")
        if type_code == _TENDER:
            invoice.tender_reference = r.text(reference, "ram:IssuerAssignedID")
        elif type_code == _INVOICED_OBJECT:
            scheme = r.text(reference, "ram:ReferenceTypeCode")
            invoice.invoiced_object = Identifier(r.text(reference, "ram:IssuerAssignedID"), scheme)
        else:
            embedded = r.first(reference, "ram:AttachmentBinaryObject")
            invoice.attachments.append(
                Attachment(
                    id=r.text(reference, "ram:IssuerAssignedID"),
                    description=r.text(reference, "ram:Name"),
                    uri=r.text(reference, "ram:URIID"),
                    content=r.binary(embedded, "BT-125"),
                    filename=r.attr(embedded, "", "filename"),
                    mime=r.attr(embedded, "", "mimeCode"),
                )
            )


def _party(r: Reader, node: etree._Element | None) -> Party:
    party = Party()
    if node is None:
        return party
    party.name = r.text(node, "ram:Name")
    party.identifiers = [
        identifier
        for element in r.all(node, "ram:ID") + r.all(node, "ram:GlobalID")
        if (identifier := r.identifier(element))
    ]
    party.legal_info = r.text(node, "ram:Description")
    party.legal_registration_id = r.identifier(node, "ram:SpecifiedLegalOrganization/ram:ID")
    party.trading_name = r.text(node, "ram:SpecifiedLegalOrganization/ram:TradingBusinessName")
    contact = r.first(node, "ram:DefinedTradeContact")
    if contact is not None:
        party.contact = Contact(
            name=r.text(contact, "ram:PersonName") or r.text(contact, "ram:DepartmentName"),
            phone=r.text(contact, "ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
            email=r.text(contact, "ram:EmailURIUniversalCommunication/ram:URIID"),
        )
    address = r.first(node, "ram:PostalTradeAddress")
    party.address = _address(r, address) if address is not None else None
    party.electronic_address = r.identifier(node, "ram:URIUniversalCommunication/ram:URIID")
    for registration in r.all(node, "ram:SpecifiedTaxRegistration/ram:ID"):
        if registration.get("schemeID") == "VA":
            party.vat_id = r.text(registration)
        elif registration.get("schemeID") == "FC":
            party.tax_number = r.text(registration)
    return party


def _address(r: Reader, node: etree._Element) -> Address:
    return Address(
        line1=r.text(node, "ram:LineOne"),
        line2=r.text(node, "ram:LineTwo"),
        line3=r.text(node, "ram:LineThree"),
        city=r.text(node, "ram:CityName"),
        postcode=r.text(node, "ram:PostcodeCode"),
        subdivision=r.text(node, "ram:CountrySubDivisionName"),
        country=r.text(node, "ram:CountryID"),
    )


def _delivery(r: Reader, node: etree._Element | None, invoice: Invoice) -> None:
    ship_to = r.first(node, "ram:ShipToTradeParty")
    if ship_to is not None:
        invoice.deliver_to = _party(r, ship_to)
    invoice.delivery_date = r.cii_date(
        node, "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString", "BT-72"
    )
    invoice.despatch_advice_reference = r.text(node, "ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID")
    invoice.receiving_advice_reference = r.text(node, "ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID")


def _settlement(r: Reader, node: etree._Element | None, invoice: Invoice) -> None:
    invoice.creditor_id = r.text(node, "ram:CreditorReferenceID")
    remittance = r.text(node, "ram:PaymentReference")
    invoice.tax_currency = r.text(node, "ram:TaxCurrencyCode")
    invoice.currency = r.text(node, "ram:InvoiceCurrencyCode")
    payee = r.first(node, "ram:PayeeTradeParty")
    invoice.payee = _party(r, payee) if payee is not None else None
    terms = r.all(node, "ram:SpecifiedTradePaymentTerms")
    mandate = next((text for term in terms if (text := r.text(term, "ram:DirectDebitMandateID"))), "")
    invoice.payment_means = [
        _payment_means(r, means, remittance, mandate)
        for means in r.all(node, "ram:SpecifiedTradeSettlementPaymentMeans")
    ]
    for tax in r.all(node, "ram:ApplicableTradeTax"):
        invoice.vat_breakdown.append(
            TaxBreakdown(
                taxable_amount=r.decimal(tax, "ram:BasisAmount", "BT-116"),
                tax_amount=r.decimal(tax, "ram:CalculatedAmount", "BT-117"),
                category=r.text(tax, "ram:CategoryCode"),
                rate=r.decimal(tax, "ram:RateApplicablePercent", "BT-119"),
                exemption_reason=r.text(tax, "ram:ExemptionReason"),
                exemption_code=r.text(tax, "ram:ExemptionReasonCode"),
            )
        )
        invoice.tax_point_date = invoice.tax_point_date or r.cii_date(tax, "ram:TaxPointDate/udt:DateString", "BT-7")
        invoice.tax_point_date_code = invoice.tax_point_date_code or r.text(tax, "ram:DueDateTypeCode")
    invoice.period_start = r.cii_date(node, "ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString", "BT-73")
    invoice.period_end = r.cii_date(node, "ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString", "BT-74")
    for element in r.all(node, "ram:SpecifiedTradeAllowanceCharge"):
        charge = r.text(element, "ram:ChargeIndicator/udt:Indicator").lower() == "true"
        (invoice.charges if charge else invoice.allowances).append(_allowance_charge(r, element, "BT-92"))
    invoice.payment_terms = "\n".join(text for term in terms if (text := r.raw_text(term, "ram:Description")))
    invoice.due_date = next(
        (due for term in terms if (due := r.cii_date(term, "ram:DueDateDateTime/udt:DateTimeString", "BT-9"))), None
    )
    _totals(r, r.first(node, "ram:SpecifiedTradeSettlementHeaderMonetarySummation"), invoice)
    invoice.preceding_invoices = [
        PrecedingInvoice(
            r.text(reference, "ram:IssuerAssignedID"),
            r.cii_date(reference, "ram:FormattedIssueDateTime/qdt:DateTimeString", "BT-26"),
        )
        for reference in r.all(node, "ram:InvoiceReferencedDocument")
    ]
    invoice.buyer_accounting_reference = r.text(node, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID")


def _payment_means(r: Reader, node: etree._Element, remittance: str, mandate: str) -> PaymentMeans:
    creditor = r.first(node, "ram:PayeePartyCreditorFinancialAccount")
    code = r.text(node, "ram:TypeCode")
    debited = r.text(node, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID")
    return PaymentMeans(
        code=code,
        text=r.text(node, "ram:Information"),
        remittance_information=remittance,
        account_id=r.text(creditor, "ram:IBANID") or r.text(creditor, "ram:ProprietaryID"),
        account_name=r.text(creditor, "ram:AccountName"),
        bic=r.text(node, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"),
        card_number=r.text(node, "ram:ApplicableTradeSettlementFinancialCard/ram:ID"),
        card_holder=r.text(node, "ram:ApplicableTradeSettlementFinancialCard/ram:CardholderName"),
        # The mandate belongs to the payment terms in CII; it only means something for a direct debit.
        mandate_id=mandate if debited or code in ("49", "59") else "",
        debited_account=debited,
    )


def _allowance_charge(r: Reader, node: etree._Element, term: str) -> AllowanceCharge:
    return AllowanceCharge(
        amount=r.decimal(node, "ram:ActualAmount", term),
        base_amount=r.decimal(node, "ram:BasisAmount", term),
        percent=r.decimal(node, "ram:CalculationPercent", term),
        vat_category=r.text(node, "ram:CategoryTradeTax/ram:CategoryCode"),
        vat_rate=r.decimal(node, "ram:CategoryTradeTax/ram:RateApplicablePercent", term),
        reason=r.text(node, "ram:Reason"),
        reason_code=r.text(node, "ram:ReasonCode"),
    )


def _totals(r: Reader, node: etree._Element | None, invoice: Invoice) -> None:
    totals = invoice.totals
    totals.line_total = r.decimal(node, "ram:LineTotalAmount", "BT-106")
    totals.charge_total = r.decimal(node, "ram:ChargeTotalAmount", "BT-108")
    totals.allowance_total = r.decimal(node, "ram:AllowanceTotalAmount", "BT-107")
    totals.tax_exclusive = r.decimal(node, "ram:TaxBasisTotalAmount", "BT-109")
    for amount in r.all(node, "ram:TaxTotalAmount"):
        # Two TaxTotalAmount elements are told apart by currency: BT-110 in BT-5, BT-111 in BT-6.
        currency = amount.get("currencyID", "")
        if invoice.tax_currency and currency == invoice.tax_currency and currency != invoice.currency:
            totals.tax_total_accounting = r.decimal(amount, "", "BT-111")
        elif totals.tax_total is None:
            totals.tax_total = r.decimal(amount, "", "BT-110")
        else:
            totals.tax_total_accounting = r.decimal(amount, "", "BT-111")
    totals.rounding = r.decimal(node, "ram:RoundingAmount", "BT-114")
    totals.tax_inclusive = r.decimal(node, "ram:GrandTotalAmount", "BT-112")
    totals.prepaid = r.decimal(node, "ram:TotalPrepaidAmount", "BT-113")
    totals.payable = r.decimal(node, "ram:DuePayableAmount", "BT-115")


def _lines(r: Reader, nodes: list[etree._Element]) -> list[Line]:
    """Top-level lines; lines naming a ParentLineID (XRechnung extension) are nested below their parent."""
    by_id: dict[str, Line] = {}
    parents: list[tuple[Line, str]] = []
    for node in nodes:
        line = _line(r, node)
        by_id.setdefault(line.id, line)
        parents.append((line, r.text(node, "ram:AssociatedDocumentLineDocument/ram:ParentLineID")))
    top: list[Line] = []
    for line, parent_id in parents:
        parent = by_id.get(parent_id) if parent_id else None
        if parent is not None and parent is not line:
            parent.sub_lines.append(line)
        else:
            top.append(line)
    return top


def _line(r: Reader, node: etree._Element) -> Line:
    document = r.first(node, "ram:AssociatedDocumentLineDocument")
    product = r.first(node, "ram:SpecifiedTradeProduct")
    agreement = r.first(node, "ram:SpecifiedLineTradeAgreement")
    gross = r.first(agreement, "ram:GrossPriceProductTradePrice")
    net = r.first(agreement, "ram:NetPriceProductTradePrice")
    settlement = r.first(node, "ram:SpecifiedLineTradeSettlement")
    quantity = r.first(node, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
    basis = r.first(net, "ram:BasisQuantity")
    basis = basis if basis is not None else r.first(gross, "ram:BasisQuantity")
    line = Line(
        id=r.text(document, "ram:LineID"),
        note=r.text(document, "ram:IncludedNote/ram:Content"),
        quantity=r.decimal(quantity, "", "BT-129"),
        unit=r.attr(quantity, "", "unitCode"),
        net_amount=r.decimal(
            settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", "BT-131"
        ),
        order_line_reference=r.text(agreement, "ram:BuyerOrderReferencedDocument/ram:LineID"),
        accounting_reference=r.text(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"),
        period_start=r.cii_date(
            settlement, "ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString", "BT-134"
        ),
        period_end=r.cii_date(settlement, "ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString", "BT-135"),
        net_price=r.decimal(net, "ram:ChargeAmount", "BT-146"),
        price_discount=r.decimal(gross, "ram:AppliedTradeAllowanceCharge/ram:ActualAmount", "BT-147"),
        gross_price=r.decimal(gross, "ram:ChargeAmount", "BT-148"),
        base_quantity=r.decimal(basis, "", "BT-149"),
        base_quantity_unit=r.attr(basis, "", "unitCode"),
        vat_category=r.text(settlement, "ram:ApplicableTradeTax/ram:CategoryCode"),
        vat_rate=r.decimal(settlement, "ram:ApplicableTradeTax/ram:RateApplicablePercent", "BT-152"),
        name=r.text(product, "ram:Name"),
        description=r.text(product, "ram:Description"),
        seller_item_id=r.text(product, "ram:SellerAssignedID"),
        buyer_item_id=r.text(product, "ram:BuyerAssignedID"),
        standard_item_id=r.identifier(product, "ram:GlobalID"),
    )
    for reference in r.all(settlement, "ram:AdditionalReferencedDocument"):
        if r.text(reference, "ram:TypeCode") == _INVOICED_OBJECT:
            scheme = r.text(reference, "ram:ReferenceTypeCode")
            line.object_id = Identifier(r.text(reference, "ram:IssuerAssignedID"), scheme)
    for element in r.all(settlement, "ram:SpecifiedTradeAllowanceCharge"):
        charge = r.text(element, "ram:ChargeIndicator/udt:Indicator").lower() == "true"
        (line.charges if charge else line.allowances).append(_allowance_charge(r, element, "BT-136"))
    return line

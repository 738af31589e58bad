"""read_invoice(): invoice XML bytes → normalised Invoice, whatever the syntax (UBL Invoice/CreditNote, CII)."""

from django.utils.translation import gettext as _
from lxml import etree

from . import iban
from .cii import CII_NS, read_cii
from .model import Invoice
from .safexml import Refused, parse_xml
from .skonto import parse_skonto
from .ubl import CREDIT_NOTE_NS, INVOICE_NS, read_ubl

ZUGFERD1_NS = "urn:ferd:CrossIndustryDocument:invoice:1p0"

# Root element → syntax name, as Detected.kind reports it for XML files.
SYNTAXES = {
    f"{{{INVOICE_NS}}}Invoice": "ubl-invoice",
    f"{{{CREDIT_NOTE_NS}}}CreditNote": "ubl-creditnote",
    f"{{{CII_NS}}}CrossIndustryInvoice": "cii",
}


class NotEN16931(Refused):
    """Invoice data of a format that predates EN 16931 (ZUGFeRD 1.0): readable by people, not by this module."""


def syntax_of(root: etree._Element) -> str:
    """ "ubl-invoice", "ubl-creditnote" or "cii"; raises Refused for any other document."""
    syntax = SYNTAXES.get(root.tag)
    if syntax is not None:
        return syntax
    if root.tag == f"{{{ZUGFERD1_NS}}}CrossIndustryDocument":
        raise NotEN16931(_("ZUGFeRD 1.0 data is not an EN 16931 e-invoice and cannot be read."))
    raise Refused(
        _("The XML is not an e-invoice (UBL Invoice, UBL CreditNote or CII); its root element is %(tag)s.")
        % {"tag": etree.QName(root).localname}
    )


def read_invoice(xml: bytes) -> Invoice:
    """The normalised invoice; raises Refused (with a message for the clerk) when `xml` cannot be read."""
    root = parse_xml(xml)
    invoice = read_cii(root) if syntax_of(root) == "cii" else read_ubl(root)
    _check(invoice)
    return invoice


def _check(invoice: Invoice) -> None:
    """Derived values and reading-time notices: IBANs, the Leitweg-ID and the Skonto terms."""
    for means in invoice.payment_means:
        for term, account in (("BT-84", means.account_id), ("BT-91", means.debited_account)):
            # SEPA credit transfer (58) and direct debit (59) require an IBAN; elsewhere only what claims to be one.
            if not account or not (iban.looks_like_iban(account) or means.code in ("58", "59")):
                continue
            valid = iban.is_valid(account)
            means.iban_valid = valid if means.iban_valid is None else means.iban_valid and valid
            if not valid:
                invoice.notice(term, _("%(account)s is not a valid IBAN.") % {"account": account})
    leitweg = invoice.leitweg
    if leitweg is not None and not leitweg.valid:
        invoice.notice("BT-10", leitweg.problem)
    skonto = parse_skonto(invoice.payment_terms)
    invoice.skonto = skonto.terms
    for problem in skonto.problems:
        invoice.notice("BT-20", problem)

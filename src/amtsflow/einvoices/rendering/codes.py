"""Readable names for the codes an invoice carries (type, payment means, VAT category, unit, tax point date).

Only the codes that German public-sector invoices use in practice; any other code is shown as it stands.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# UNTDID 1001, the subset XRechnung admits for BT-3.
INVOICE_TYPES: dict[str, Promise] = {
    "326": _("Partial invoice"),
    "380": _("Commercial invoice"),
    "381": _("Credit note"),
    "383": _("Debit note"),
    "384": _("Corrected invoice"),
    "386": _("Prepayment invoice"),
    "389": _("Self-billed invoice"),
    "751": _("Invoice information for accounting purposes"),
    "875": _("Partial construction invoice"),
    "876": _("Partial final construction invoice"),
    "877": _("Final construction invoice"),
}

# UNTDID 4461 for BT-81.
PAYMENT_MEANS: dict[str, Promise] = {
    "1": _("Instrument not defined"),
    "10": _("In cash"),
    "20": _("Cheque"),
    "30": _("Credit transfer"),
    "31": _("Debit transfer"),
    "42": _("Payment to bank account"),
    "48": _("Bank card"),
    "49": _("Direct debit"),
    "54": _("Credit card"),
    "55": _("Debit card"),
    "57": _("Standing agreement"),
    "58": _("SEPA credit transfer"),
    "59": _("SEPA direct debit"),
    "68": _("Online payment service"),
    "97": _("Clearing between partners"),
    "ZZZ": _("Mutually defined"),
}

# UNTDID 5305 for BT-95, BT-102, BT-118 and BT-151.
VAT_CATEGORIES: dict[str, Promise] = {
    "S": _("Standard rate"),
    "Z": _("Zero rated goods"),
    "E": _("Exempt from tax"),
    "AE": _("Reverse charge"),
    "K": _("Intra-community supply"),
    "G": _("Export outside the EU"),
    "O": _("Not subject to VAT"),
    "L": _("Canary Islands general indirect tax"),
    "M": _("Tax for production, services and importation in Ceuta and Melilla"),
}

# BT-8: UNTDID 2005 in UBL, UNTDID 2475 in CII.
TAX_POINT_DATE_CODES: dict[str, Promise] = {
    "3": _("Invoice issue date"),
    "5": _("Invoice issue date"),
    "29": _("Delivery date"),
    "35": _("Delivery date"),
    "72": _("Paid to date"),
    "432": _("Paid to date"),
}

# UN/ECE Recommendation 20/21 for BT-130 and BT-150: short symbols, so a quantity reads "3 h" or "12 pcs";
# SI symbols are the same in every language.
UNITS: dict[str, Promise | str] = {
    "C62": _("pcs"),
    "H87": _("pcs"),
    "XPP": _("pcs"),
    "EA": _("pcs"),
    "SET": _("set(s)"),
    "LS": _("lump sum"),
    "SEC": "s",
    "MIN": "min",
    "HUR": "h",
    "DAY": _("day(s)"),
    "WEE": _("week(s)"),
    "MON": _("month(s)"),
    "ANN": _("year(s)"),
    "GRM": "g",
    "KGM": "kg",
    "TNE": "t",
    "MMT": "mm",
    "CMT": "cm",
    "MTR": "m",
    "KMT": "km",
    "MTK": "m²",
    "MTQ": "m³",
    "LTR": "l",
    "KWT": "kW",
    "KWH": "kWh",
    "MWH": "MWh",
    "P1": "%",
}


def label(codes: dict[str, Promise], code: str) -> str:
    """`Name (code)` for a known code, the bare code otherwise."""
    name = codes.get(code)
    return f"{name} ({code})" if name is not None else code


def unit(code: str) -> str:
    name = UNITS.get(code)
    return str(name) if name is not None else code

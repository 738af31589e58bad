"""Reading e-invoices: format detection (XML, ZUGFeRD/Factur-X PDF) and a normalised, BT-tagged invoice model.

detected = detect(content, filename)   # never raises; see Detected.refusal / .notices
if detected.structured:
    invoice = read_invoice(detected.xml)   # raises Refused for unreadable XML
"""

from .detect import Detected, detect
from .model import Invoice, business_terms, term_of
from .reader import read_invoice
from .safexml import Refused
from .terms import TERMS, BusinessTerm, term

__all__ = [
    "TERMS",
    "BusinessTerm",
    "Detected",
    "Invoice",
    "Refused",
    "business_terms",
    "detect",
    "read_invoice",
    "term",
    "term_of",
]

"""Leitweg-ID (buyer reference BT-10 of invoices to German public buyers): format and check digits.

Format per the KoSIT Leitweg-ID specification: coarse address of 2 to 12 digits, an optional fine address of up
to 30 letters or digits, and two check digits, separated by hyphens. The check digits make the whole ID, read
without hyphens and with letters as A=10 ... Z=35, leave remainder 1 modulo 97 (ISO 7064 MOD 97-10).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .iban import mod97

_FORMAT = re.compile(r"[0-9]{2,12}(-[0-9A-Za-z]{1,30})?-[0-9]{2}")


@dataclass(frozen=True)
class LeitwegCheck:
    value: str
    valid: bool
    problem: str = ""  # why the ID is not valid, for the clerk


def check(value: str) -> LeitwegCheck:
    text = value.strip()
    if not _FORMAT.fullmatch(text):
        return LeitwegCheck(text, valid=False, problem=_("The buyer reference is not in the Leitweg-ID format."))
    if mod97(text.replace("-", "").upper()) != 1:
        return LeitwegCheck(text, valid=False, problem=_("The check digits of the Leitweg-ID are wrong."))
    return LeitwegCheck(text, valid=True)


def is_valid(value: str) -> bool:
    return check(value).valid

"""Display values in the active language: Django's locale formats (German: 1.234,56 and 13.04.2018)."""

from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language

from ..reading import iban as ibans


def places(value: Decimal) -> int:
    """Decimal places the value really has (1.2500 → 2), so unit prices keep their precision."""
    if not value.is_finite():
        return 0
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def number(value: Decimal | None, min_places: int = 0) -> str:
    if value is None:
        return ""
    if not value.is_finite():
        return str(value)
    return formats.number_format(value, max(min_places, places(value)), use_l10n=True, force_grouping=True)


def amount(value: Decimal | None, currency: str = "") -> str:
    """At least two decimal places and the currency code: "1.234,56 EUR"."""
    if value is None:
        return ""
    text = number(value, 2)
    return f"{text} {currency}" if currency else text


def percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    # German typography separates the sign (DIN 5008), English does not.
    return f"{number(value)}\N{NO-BREAK SPACE}%" if _german() else f"{number(value)}%"


def day(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT", use_l10n=True) if value else ""


def account(value: str) -> str:
    """An IBAN in groups of four as on paper; any other account number as given."""
    if not ibans.looks_like_iban(value):
        return value
    compact = ibans.normalize(value)
    return " ".join(compact[index : index + 4] for index in range(0, len(compact), 4))


def multiline(text: str) -> str:
    """Free text without the indentation that XML pretty-printing leaves inside it."""
    lines = [line.strip() for line in text.strip().splitlines()]
    return "\n".join(lines)


def _german() -> bool:
    return (get_language() or "de").split("-")[0] == "de"

"""Cash-discount (Skonto) terms that XRechnung encodes in the payment terms (BT-20).

Each term is one line `#SKONTO#TAGE=14#PROZENT=2.00#`, optionally with `BASISBETRAG=123.45#` when the discount
applies to part of the amount due only (rule BR-DE-18). Other lines of BT-20 are free text and left alone.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .model import SkontoTerm

# The regular expression of BR-DE-18 (XRechnung 3.0), applied per line; days are capped at nine digits so a
# hostile value cannot exhaust int() (a longer one is reported as not following the convention).
_SKONTO = re.compile(
    r"#SKONTO#TAGE=(?P<days>[0-9]{1,9})#PROZENT=(?P<percent>[0-9]+\.[0-9]{2})"
    r"(?:#BASISBETRAG=(?P<base>-?[0-9]+\.[0-9]{2}))?#"
)


@dataclass
class SkontoParse:
    terms: list[SkontoTerm] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # lines that look like terms but break the convention


def parse_skonto(payment_terms: str) -> SkontoParse:
    result = SkontoParse()
    for raw_line in payment_terms.splitlines():
        line = raw_line.strip()
        if not line.startswith("#"):
            continue  # free text
        match = _SKONTO.fullmatch(line)
        if match is None:
            result.problems.append(
                _("Payment terms line %(line)s does not follow the XRechnung Skonto convention.") % {"line": line}
            )
            continue
        base = match["base"]
        result.terms.append(
            SkontoTerm(
                days=int(match["days"]),
                percent=Decimal(match["percent"]),
                base_amount=Decimal(base) if base is not None else None,
            )
        )
    return result

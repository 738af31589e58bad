"""Validators for official identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_AGS = re.compile(r"^\d{8}$")
_LEITWEG_PREFIX = re.compile(r"^\d{2,12}$")


def validate_ags(value: str) -> None:
    """Amtlicher Gemeindeschlüssel: 8 digits, the first two the Land (01 Schleswig-Holstein … 16 Thüringen)."""
    if not _AGS.match(value or ""):
        raise ValidationError(_("The municipality key (AGS) must consist of exactly 8 digits."), code="ags_format")
    if not 1 <= int(value[:2]) <= 16:
        raise ValidationError(
            _("The municipality key (AGS) must start with a Land code from 01 to 16."), code="ags_land"
        )


def validate_leitweg_prefix(value: str) -> None:
    """Grobadressierung of the Leitweg-ID: 2 to 12 digits (Land code, then regional key)."""
    if not _LEITWEG_PREFIX.match(value or ""):
        raise ValidationError(
            _("The Leitweg-ID prefix must consist of 2 to 12 digits (e.g. 091620000)."), code="leitweg_format"
        )

"""Template helpers of task pages: whom a task is offered to, process values in words."""

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.translation import gettext as _

from amtsflow.processes import selectors

register = template.Library()


@register.filter
def offered_to(task: Any) -> str:
    return ", ".join(selectors.offered_to(task)) or "–"


@register.filter
def process_value(value: Any) -> str:
    """None, booleans and lists as a reader expects them rather than as Python writes them."""
    if value is None or value == "":
        return "–"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list | tuple):
        return ", ".join(process_value(item) for item in value) or "–"
    if isinstance(value, int | float | Decimal):
        return str(localize(value))  # 336,9 in German
    return str(value)

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pilotage.core.money import format_mad, format_mdh
from pilotage.core.numbers import format_decimal, format_percent
from pilotage.core.translation import translated_html

register = template.Library()


@register.filter
def index(sequence: Any, position: int) -> Any:
    return sequence[position]


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def cell(value: Any) -> Any:
    """How a table cell shows a value: yes/no, dd/mm/yyyy, empty for None."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return value


register.filter("mad", format_mad)
register.filter("num", format_decimal)
register.filter("mdh", format_mdh)


@register.filter
def kpi(value: Any, kind: str) -> str:
    """An indicator's figure by its kind: `{{ value|kpi:indicator.kind }}` (results.semantics)."""
    from pilotage.results.semantics import format_value

    return format_value(value, kind)


@register.filter
def percent(ratio: Any) -> str:
    """A ratio as `64 %` (French spacing); empty when there is nothing to divide."""
    return format_percent(ratio)


@register.filter
def translated(obj: Any, field: str) -> str:
    """A stored name in the active language; where it is not translated yet, the French one,
    marked (a visible "FR" and `lang="fr"`, so a screen reader pronounces it as French)."""
    return translated_html(obj, field)

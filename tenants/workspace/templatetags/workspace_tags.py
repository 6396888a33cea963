"""French display of report numbers (counts, euros, evolutions); « de » before a word is
union.templatetags.french's `de`."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from union.formats import french_number

register = template.Library()
NO_EVOLUTION = mark_safe(
    '<span aria-hidden="true">—</span><span class="visually-hidden">sans comparaison</span>'
)


@register.filter
def number(value) -> str:
    return "" if value is None else french_number(value, 0)


@register.filter
def euros(value) -> str:
    return "" if value is None else french_number(value, 2) + "\u00a0€"


# Arrow (hidden from screen readers, which read the word), word. The same neutral colour for
# all: more requests, refusals or removals is not good news, fewer is not bad news, and a
# colour would say one or the other.
DIRECTIONS = {1: ("↑", "hausse"), -1: ("↓", "baisse"), 0: ("→", "stable")}


def signed_percent(value: Decimal) -> str:
    """« +12,5 % », « −3,0 % » (the minus sign, not a hyphen), « 0,0 % »: a change as the report
    page prints it, for the exports too (tenants.workspace.exports)."""
    direction = (value > 0) - (value < 0)
    sign = {1: "+", -1: "−", 0: ""}[direction]
    return f"{sign}{french_number(abs(value), 1)}\u00a0%"


@register.filter
def evolution(value: Decimal | None):
    """'↑ +12,5 %' with « hausse » for screen readers; an em dash when there is nothing to
    compare."""
    if value is None:
        return NO_EVOLUTION
    direction = (value > 0) - (value < 0)
    arrow, word = DIRECTIONS[direction]
    return format_html(
        '<span class="evolution"><span aria-hidden="true">{}\u00a0</span>{}'
        '<span class="visually-hidden"> ({})</span></span>',
        arrow,
        signed_percent(value),
        word,
    )

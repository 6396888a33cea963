"""French display of report numbers (counts, euros, evolutions) and of « de » before a word."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from union.formats import french_number, with_de

register = template.Library()
NO_EVOLUTION = mark_safe(
    '<span aria-hidden="true">—</span><span class="visually-hidden">sans comparaison</span>'
)


@register.filter
def de(value) -> str:
    """`{{ email|de }}`: « d'agent@… », « de lecture@… » (union.formats.with_de)."""
    return with_de(value)


@register.filter
def number(value) -> str:
    return "" if value is None else french_number(value, 0)


@register.filter
def euros(value) -> str:
    return "" if value is None else french_number(value, 2) + "\u00a0€"


@register.filter
def evolution(value: Decimal | None):
    """'+12,5 %' with a word for screen readers; an em dash when there is nothing to compare."""
    if value is None:
        return NO_EVOLUTION
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    css = "up" if value > 0 else ("down" if value < 0 else "flat")
    return format_html(
        '<span class="evolution evolution-{}">{}{}\u00a0%</span>',
        css,
        sign,
        french_number(abs(value), 1),
    )

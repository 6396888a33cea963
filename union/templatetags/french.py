"""Dates as French writes them in sentences: `{{ day|long_date }}` -> « 1er janvier 2027 »."""

from django import template

from union.formats import long_date as write_long_date

register = template.Library()


@register.filter
def long_date(value) -> str:
    return "" if value is None else write_long_date(value, weekday=False)

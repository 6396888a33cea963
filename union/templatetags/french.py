"""Dates as French writes them in sentences: `{{ day|long_date }}` -> « 1er janvier 2027 »;
`{{ moment|long_date:"weekday time" }}` -> « vendredi 1er janvier 2027 à 09:30 »;
`{{ start|date_span:end }}` -> « vendredi 1er janvier 2027, de 09:30 à 17:00 »; and sizes:
`{{ bytes|file_size }}` -> « 25,7 Ko »."""

from django import template

from union.formats import date_span as write_date_span
from union.formats import file_size as write_file_size
from union.formats import long_date as write_long_date

register = template.Library()

PARTS = {"weekday", "time"}


# expects_localtime: like Django's `date`, an aware datetime is read in the current time zone
# first, or an event at 00:30 in Paris would be dated the day before (and its time in UTC).
@register.filter(expects_localtime=True)
def long_date(value, parts: str = "") -> str:
    if value is None or value == "":
        return ""
    asked = set(parts.split())
    if asked - PARTS:
        unknown = " ".join(sorted(asked - PARTS))
        raise template.TemplateSyntaxError(f"long_date takes weekday and/or time, not {unknown!r}")
    return write_long_date(value, weekday="weekday" in asked, time="time" in asked)


@register.filter
def date_span(start, end) -> str:
    """An event's start and end in one phrase (union.formats.date_span)."""
    if not start or not end:
        return ""
    return write_date_span(start, end)


@register.filter
def file_size(value) -> str:
    """A file's size in octets, Ko or Mo (union.formats.file_size)."""
    if value is None or value == "":
        return ""
    return write_file_size(int(value))

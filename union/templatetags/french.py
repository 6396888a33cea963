"""Dates as French writes them in sentences: `{{ day|long_date }}` -> « 1er janvier 2027 »;
`{{ moment|long_date:"weekday time" }}` -> « vendredi 1er janvier 2027 à 9 h 30 »;
`{{ start|date_span:end }}` -> « vendredi 1er janvier 2027, de 9 h 30 à 17 h »;
`{{ moment|french_time }}` -> « 9 h 30 » (never `|date:"H:i"` where a person reads); and sizes:
`{{ bytes|file_size }}` -> « 25,7 Ko »; and « de » before a name: `{{ r.prenom|de }}` -> « d'Aïcha »,
`{{ member.name|of_body }}` -> « du CCAS de Bagnolet »; numbers: `{{ 1200|french_number }}` ->
« 1 200 »; counts, 0 and 1 in the singular where Django's `pluralize`
writes « 0 places »: `{{ n|count:"rencontre tenue,rencontres tenues" }}` -> « 0 rencontre tenue »,
`place{{ n|french_pluralize }}`, `recevr{{ n|french_pluralize:"a,ont" }}`."""

from django import template

from tenants.naming import of_body as write_of_body
from union.formats import date_span as write_date_span
from union.formats import file_size as write_file_size
from union.formats import french_number as write_french_number
from union.formats import french_time as write_french_time
from union.formats import long_date as write_long_date
from union.formats import plural, with_de

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


@register.filter(expects_localtime=True)
def french_time(value) -> str:
    """A time as French writes it, « 9 h 30 », « 17 h » (union.formats.french_time), read in
    the current time zone like `long_date`."""
    if value is None or value == "":
        return ""
    return write_french_time(value)


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


@register.filter
def de(value) -> str:
    """« de » before a person's first name or an address, elided before a vowel sound:
    « d'Aïcha », « de Hugo » (union.formats.with_de)."""
    return with_de(value)


@register.filter
def of_body(value) -> str:
    """A member's name after « de », with its article: « du CCAS de Bagnolet »
    (tenants.naming.of_body)."""
    return write_of_body(str(value))


@register.filter
def french_number(value) -> str:
    """A whole number with its thousands apart, « 1 200 » (union.formats.french_number)."""
    return write_french_number(value)


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.filter
def count(value, forms: str) -> str:
    """The number (french_number) and the noun: union.formats.plural, "singulier,pluriel"."""
    number = _number(value)
    singular, _, plural_form = forms.partition(",")
    if number is None:
        return ""
    return plural(number, singular, plural_form or singular)


@register.filter
def french_pluralize(value, suffixes: str = "s") -> str:
    """Django's `pluralize` with French's rule: the singular suffix for 0 and 1."""
    number = _number(value)
    singular, _, plural_suffix = suffixes.rpartition(",")  # no comma: ("", "", suffixes)
    if number is None:
        return ""
    return singular if number <= 1 else plural_suffix

"""How numbers and dates read in French, on pages, in documents and in exports."""

import datetime
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils import timezone
from django.utils.formats import date_format

from tenants.naming import of_place


def french_number(value, decimals: int = 0, thousands: str = "\u202f") -> str:
    """1234.5 -> '1 234,50': decimal comma, a (narrow) no-break space between thousands.

    Halves are rounded up, as people round by hand and as INSEE publishes (14,35 -> 14,4); a float
    goes through its shortest text so that 14.35 is not read as 14.3499999.

    Never raises on a large number of decimals (an indicator saved with 30 before the catalogue
    limited them): the rounding works with as many digits as the result needs, where the default
    context (28 digits) would refuse.
    """
    decimals = max(int(decimals), 0)
    number = round_half_up(value, decimals)
    return f"{number:,.{decimals}f}".replace(",", thousands).replace(".", ",")


def round_half_up(value, decimals: int) -> Decimal:
    """`value` rounded as french_number shows it (14,35 -> 14,4), as a Decimal: exports hold the
    figure the page shows."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number.is_finite():
        with localcontext() as context:
            context.prec = max(context.prec, number.adjusted() + decimals + 2)
            number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number


# The space around the « h » of a time: a no-break space, so that a line never breaks inside
# « 9 h 30 ». U+00A0 rather than the narrow U+202F of french_number's thousands: « h » is a unit
# symbol, and a unit is set off by a no-break space (file_size's « 25,7 Ko », the Imprimerie
# nationale's « 9 h 30 »); and reportlab, which prints the attestations, takes U+202F for an
# ordinary breaking space (its paragraph.py `_wsc`) but keeps U+00A0 unbroken. Plain-text and
# HTML e-mails show both alike.
TIME_SPACE = "\u00a0"


def french_time(moment) -> str:
    """A time as French typography writes it: « 9 h », « 9 h 05 », « 17 h 30 », « 0 h » at
    midnight: no leading zero on the hour, minutes only when not zero, no-break spaces around
    the « h » (TIME_SPACE). `moment`: a time or a datetime, as given: an aware datetime is read
    in the current time zone (as Django's templates do), a naive one as it is.

    Where a person reads only: machines keep their formats (ISO 8601 in the API and the .ics,
    real times or « HH:MM » in spreadsheet cells, « %H:%M » in the `__str__` of log rows)."""
    if isinstance(moment, datetime.datetime) and timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    hour = f"{moment.hour}{TIME_SPACE}h"
    return f"{hour}{TIME_SPACE}{moment.minute:02d}" if moment.minute else hour


def time_span(start, end) -> str:
    """Two times of the same day: « 10 h 30 – 12 h 30 ». An en dash between spaces, as French
    sets a range of times; the space before it does not break, so no line starts with « – »."""
    return f"{french_time(start)}{TIME_SPACE}– {french_time(end)}"


def long_date(moment, *, weekday: bool = True, time: bool = False) -> str:
    """ "mardi 1er décembre 2026" (French writes the first of the month as an ordinal, which
    Django's "j" does not); with `time`, « mardi 1er décembre 2026 à 9 h 30 » (french_time).
    An aware datetime is read in the current time zone, its date as its time: 23 h 30 UTC on
    the 1st is the 2nd in Paris."""
    if isinstance(moment, datetime.datetime) and timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    day = "1er" if moment.day == 1 else str(moment.day)
    text = f"{day} {date_format(moment, 'F Y')}"
    if weekday:
        text = f"{date_format(moment, 'l')} {text}"
    return f"{text} à {french_time(moment)}" if time else text


def date_span(start, end) -> str:
    """An event's dates: « mardi 22 décembre 2026, de 9 h à 17 h » within one day, « du lundi
    21 décembre 2026 à 9 h 30 au mardi 22 décembre 2026 à 17 h » over several (french_time).
    Aware datetimes are read in the current time zone."""
    start, end = (timezone.localtime(m) if timezone.is_aware(m) else m for m in (start, end))
    if start.date() == end.date():
        return f"{long_date(start)}, de {french_time(start)} à {french_time(end)}"
    return f"du {long_date(start, time=True)} au {long_date(end, time=True)}"


def french_list(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »: a list inside a sentence."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} et {items[-1]}"


def plural(count: int, singular: str, plural_form: str) -> str:
    """ "1 rencontre tenue", "0 rencontre tenue", "3 rencontres tenues": French counts 0 and 1 as
    singular."""
    return f"{french_number(count)} {singular if count <= 1 else plural_form}"


def describe_days(days: int) -> str:
    """ "30 jours", "3 ans", "1 an": a retention period as the privacy notice says it."""
    if days >= 365 and days % 365 == 0:
        return plural(days // 365, "an", "ans")
    return plural(days, "jour", "jours")


def file_size(size: int) -> str:
    """« 812 octets », « 25,7 Ko », « 3,4 Mo »: the units French readers know (Django's
    `filesizeformat` writes « Kio » in French). Multiples of 1,024, as file managers count."""
    if size < 1024:
        return plural(size, "octet", "octets")
    for unit in ("Ko", "Mo", "Go"):
        size /= 1024
        if size < 1023.95 or unit == "Go":  # 1 023,96 Ko reads « 1,0 Mo », not « 1 024,0 Ko »
            return f"{french_number(size, 1)}\u00a0{unit}"


def with_de(text: str) -> str:
    """ "de" before `text`, elided before a vowel sound: « d'agent@ccas.fr », « d'Yves », « de
    lecture@ccas.fr », « de Yannick ». A y elides before a consonant only; an h never does:
    the spelling does not tell a mute h (« d'Hélène ») from an aspirated one (« de Hugues »),
    and a wrong « de » reads better than a wrong « d' » (as tenants/naming.py does for
    communes)."""
    text = str(text)
    letters = "".join(
        c for c in unicodedata.normalize("NFKD", text[:2]) if not unicodedata.combining(c)
    ).lower()
    first, second = letters[:1], letters[1:2]
    vowel = first in ("a", "e", "i", "o", "u", "œ", "æ")
    if first == "y":
        vowel = bool(second) and second.isalpha() and second not in "aeiouy"
    return f"d'{text}" if vowel else f"de {text}"


def of_union(name: str) -> str:
    """The union's name after « de », with its article: « de l'UDCCAS de Seine-Saint-Denis »,
    « de l'Union départementale… » (with_de tells the vowel sound); a name that
    starts with a consonant keeps a bare « de » (its gender is unknown), one that starts with
    its article contracts it (tenants.naming.of_place)."""
    name = name.strip()
    if name.startswith(("Le ", "Les ", "La ", "L'", "L’")):  # « du Collectif… »
        return of_place(name)
    after_de = with_de(name)
    return f"de l'{name}" if after_de.startswith("d'") else after_de


MINUS = "\u2212"  # the minus sign, not a hyphen: « −0,3 »


def signed_gap(value, decimals: int, unit: str) -> str:
    """A gap as French prints it: « +11,2 points », « −0,3 point » (a true minus sign; « point »
    in the singular below 2, as French counts: « 1,5 point », « 2 points »); a gap that rounds
    to zero has no sign (« 0,0 point »). Other units follow the figure unchanged."""
    shown = french_number(abs(value), decimals)
    size = Decimal(shown.replace("\u202f", "").replace(",", "."))
    sign = "" if size == 0 else ("+" if value > 0 else MINUS)
    if unit == "points" and size < 2:
        unit = "point"
    return f"{sign}{shown} {unit}"

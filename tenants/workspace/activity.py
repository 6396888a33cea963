"""The yearly activity report: figures beside the previous year, import parsing, exports.

Reads only; writes live in services.py.
"""

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection
from django.utils import timezone

from tenants.workspace.models import ActivityFigure
from union.formats import french_list, french_number, plural
from union.params import parse_digits
from union.spreadsheets import (
    ImportIssue,
    ImportRejected,
    cell_text,
    header_below_issue,
    read_file,
    sheet_read_note,
)

FIRST_YEAR, LAST_YEAR = 1900, 2100  # what a year typed in an address may be
FIRST_ACTIVITY_YEAR = 1990  # the earliest year a figure may be entered or imported for

# The usual poles and categories of a CCAS activity report (DOMAIN.md), in the order reports list
# them. Free ones are allowed; these serve as suggestions, to spell a typed name the way the
# report expects it, to order the report, and to say what each pole's key figure is.
DOMICILIATION_POLE = "Élection de domicile"


@dataclass(frozen=True)
class UsualCategory:
    label: str
    # What one of its counts is, in the plural ("personnes", "aides", "réunions"): only counts of
    # the same unit may be added up (UsualPole.adds).
    unit: str


@dataclass(frozen=True)
class UsualPole:
    """A pole of the catalogue and its key figure (docs/workspace.md, « Key figures »).

    A pole's figures measure different things (requests, refusals, people domiciled, letters),
    so a pole is never the sum of all its lines: its key figure is either the sum of its
    categories whose unit is `adds` (secours: aids of every kind, not the meetings of the relief
    committee), or else the first category of `key` the member has ever entered."""

    name: str
    categories: tuple[UsualCategory, ...]
    key: tuple[str, ...] = ()
    adds: str = ""
    # The name of the sum, when the pole `adds`.
    total_label: str = ""


def _categories(unit_by_label: dict[str, str]) -> tuple[UsualCategory, ...]:
    return tuple(UsualCategory(label, unit) for label, unit in unit_by_label.items())


CATALOGUE: tuple[UsualPole, ...] = (
    UsualPole(
        "Accueil",
        _categories(
            {"Personnes reçues à l'accueil": "personnes", "Appels téléphoniques": "appels"}
        ),
        key=("Personnes reçues à l'accueil", "Appels téléphoniques"),
    ),
    UsualPole(
        DOMICILIATION_POLE,
        _categories(
            {
                "Demandes d'élection de domicile": "demandes",
                "Élections de domicile accordées": "élections accordées",
                "Refus d'élection de domicile": "refus",
                "Radiations": "radiations",
                "Domiciliations actives au 31 décembre": "personnes domiciliées",
                "Courriers reçus": "courriers",
            }
        ),
        # The people the CCAS domiciles (DOMAIN.md's DOMIC indicator); the flows of the year
        # (requests, grants, refusals, removals) and the letters are read beside it.
        key=(
            "Domiciliations actives au 31 décembre",
            "Élections de domicile accordées",
            "Demandes d'élection de domicile",
        ),
    ),
    UsualPole(
        "Attestations d'accueil",
        _categories({"Attestations d'accueil instruites": "attestations"}),
        key=("Attestations d'accueil instruites",),
    ),
    UsualPole(
        "Aides légales",
        _categories(
            {
                "Dossiers d'aide sociale": "dossiers",
                "Dossiers ASPA": "dossiers",
                "Obligations alimentaires": "dossiers",
            }
        ),
        adds="dossiers",
        total_label="Dossiers instruits (total)",
    ),
    UsualPole(
        "Aides facultatives",
        _categories({"Dossiers examinés": "dossiers", "Aides accordées": "aides"}),
        # Every aid granted was a file examined first: adding both counts it twice.
        key=("Aides accordées", "Dossiers examinés"),
    ),
    UsualPole(
        "Secours",
        _categories(
            {
                "Urgence alimentaire et hygiène": "aides",
                "Transports": "aides",
                "Permis de conduire": "aides",
                "Obsèques": "aides",
                "Énergie, eau, loyer": "aides",
                "Commissions de secours": "réunions",
                "Aides aux enfants et étudiants": "aides",
                "Fêtes de fin d'année": "aides",
            }
        ),
        adds="aides",
        total_label="Secours accordés (total)",
    ),
    UsualPole(
        "RSA",
        _categories({"Accompagnements RSA": "accompagnements"}),
        key=("Accompagnements RSA",),
    ),
    UsualPole(
        "Seniors",
        _categories({"Visites à domicile": "visites", "Participants aux ateliers": "participants"}),
        key=("Visites à domicile", "Participants aux ateliers"),
    ),
    UsualPole(
        "Réussite éducative",
        _categories({"Enfants suivis": "enfants"}),
        key=("Enfants suivis",),
    ),
)
USUAL_CATEGORIES: dict[str, list[str]] = {
    pole.name: [category.label for category in pole.categories] for pole in CATALOGUE
}
USUAL_POLES = list(USUAL_CATEGORIES)

# What the préfet asks each year about domiciliation (CASF D264-8), due before 31 January.
PREFECT_FIGURES = [
    ("requests", "Demandes d'élection de domicile"),
    ("granted", "Élections de domicile accordées"),
    ("refused", "Refus d'élection de domicile"),
    ("struck_off", "Radiations"),
    ("active", "Domiciliations actives au 31 décembre"),
    ("mail", "Courriers reçus"),
]

COLUMNS = ["year", "pole", "category", "count", "amount"]
# The headers of the import template, and the name of a missing column in an error.
FRENCH_HEADERS = {
    "year": "année",
    "pole": "pôle",
    "category": "catégorie",
    "count": "nombre",
    "amount": "montant",
}
# Headers are matched without case nor accents ("Année", "ANNEE"); the English internal names of
# the first template stay accepted for files made with it.
COLUMN_ALIASES = {
    "annee": "year",
    "pole": "pole",
    "categorie": "category",
    "nombre": "count",
    "montant": "amount",
}
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
CENT = Decimal("0.01")


def fold(text: str) -> str:
    """Case, accents, punctuation and spacing removed: how two spellings of a label compare."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def evolution_pct(current, previous) -> Decimal | None:
    """Change in percent with one decimal (half up); None if the previous value is missing or zero,
    or the current one is missing."""
    if current is None or previous is None or previous == 0:
        return None
    change = (Decimal(current) - Decimal(previous)) * HUNDRED / Decimal(previous)
    return change.quantize(TENTH, rounding=ROUND_HALF_UP)


def _sum(values) -> int | Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


# --- Key figures: what stands for a pole -----------------------------------------------------

_CATALOGUE_BY_POLE = {fold(pole.name): pole for pole in CATALOGUE}
_POLE_INDEX = {fold(pole.name): index for index, pole in enumerate(CATALOGUE)}


@dataclass(frozen=True)
class KeyFigure:
    """What stands for one pole of a member: its line on the dashboard, the summary line of its
    table in the report and the exports, its row in the multi-year table."""

    # What it measures: "Domiciliations actives au 31 décembre", "Secours accordés (total)".
    label: str
    # The folded categories it is made of.
    categories: frozenset[str]
    # A sum of several categories of one unit (a total), or one category.
    summed: bool

    def takes(self, category: str) -> bool:
        return fold(category) in self.categories


def key_figures(entered: Iterable[tuple[str, str]]) -> dict[str, KeyFigure | None]:
    """Each pole's key figure, by folded pole name, from the (pole, category) pairs the member
    has entered in any year, so that a pole is measured the same way every year:
    - a pole of the catalogue that adds (UsualPole.adds): the sum of its categories of that unit;
    - another pole of the catalogue: the first of its `key` categories ever entered (the first
      of them when none was: the pole then shows that nothing stands for it yet);
    - a pole of the member's own with a single category: that category;
    - a pole of the member's own with several: None. Nothing says what they count, so they
      are neither added up nor picked from."""
    by_pole: dict[str, dict[str, str]] = defaultdict(dict)
    for pole, category in entered:
        by_pole[fold(pole)].setdefault(fold(category), category)
    figures: dict[str, KeyFigure | None] = {}
    for pole_key, categories in by_pole.items():
        usual = _CATALOGUE_BY_POLE.get(pole_key)
        if usual and usual.adds:
            added = frozenset(fold(c.label) for c in usual.categories if c.unit == usual.adds)
            figures[pole_key] = KeyFigure(usual.total_label, added, True)
        elif usual:
            label = next((c for c in usual.key if fold(c) in categories), usual.key[0])
            figures[pole_key] = KeyFigure(label, frozenset({fold(label)}), False)
        elif len(categories) == 1:
            ((folded, label),) = categories.items()
            figures[pole_key] = KeyFigure(label, frozenset({folded}), False)
        else:
            figures[pole_key] = None
    return figures


def key_figure_name_error(pole: str, category: str) -> str | None:
    """Why `category` may not be entered in `pole`, if it is the name of the pole's key figure
    (« Secours accordés (total) », with or without « (total) », any case or accents): that figure
    is the sum of the pole's categories, the report adds them up itself. A line of that name was
    accepted, then left out of the key figure it was meant to be (and named as not counted)."""
    usual = _CATALOGUE_BY_POLE.get(fold(pole))
    if usual is None or not usual.adds:
        return None
    total = fold(usual.total_label)
    bare = fold(usual.total_label.replace("(total)", ""))
    if fold(category) not in {total, bare}:
        return None
    parts = [c.label for c in usual.categories if c.unit == usual.adds]
    return (
        f"« {category.strip()} » est le chiffre clé du pôle {usual.name} : la plateforme le "
        "calcule en additionnant les catégories du pôle. Saisissez plutôt chacune d'elles : "
        f"{french_list(parts)}."
    )


def member_categories() -> set[tuple[str, str]]:
    """The (pole, category) pairs the member has entered, in any year."""
    return set(ActivityFigure.objects.values_list("pole", "category").distinct())


@dataclass
class Line:
    """A figure, or a pole's key figure, of the report year beside the previous year."""

    pole: str
    category: str | None
    count: int | None
    amount: Decimal | None
    previous_count: int | None = None
    previous_amount: Decimal | None = None
    pk: int | None = None
    # False when the two years do not measure the same thing (see activity_report): no evolution.
    comparable: bool = True
    # A figure: it makes up its pole's key figure (it is the key figure, or one of its terms).
    key: bool = False
    # A pole's key figure: what it measures (KeyFigure.label), "" when the pole has none; whether
    # it is a total; the categories of the year a total leaves out (another unit, or the
    # member's own).
    measure: str = ""
    summed: bool = False
    left_out: list[str] = field(default_factory=list)

    @property
    def count_evolution_pct(self) -> Decimal | None:
        return evolution_pct(self.count, self.previous_count) if self.comparable else None

    @property
    def amount_evolution_pct(self) -> Decimal | None:
        return evolution_pct(self.amount, self.previous_amount) if self.comparable else None


@dataclass
class ActivityReport:
    year: int
    previous_year: int
    figures: list[Line] = field(default_factory=list)
    # One line per pole: its key figure (a total only when its categories add up).
    totals: list[Line] = field(default_factory=list)
    # (pole, category) of the previous year not entered yet for this one, in report order.
    missing: list[tuple[str, str]] = field(default_factory=list)
    # The year is not over: its figures cover part of it only.
    in_progress: bool = False

    @property
    def partial(self) -> bool:
        """Not comparable as a whole with the previous year: still being entered, or not over."""
        return self.in_progress or bool(self.missing)

    # Said under a report with missing figures, on the page and in the exports.
    stopped_activity_help = (
        "Une activité qui a cessé se saisit avec un nombre 0 : elle est alors comparée."
    )

    @property
    def in_progress_note(self) -> str:
        """Why a year not over is not compared (after « <year> n'est pas terminée : »); the page
        (workspace/_partial_year.html) and the exports (partial_year_notes) say the same."""
        return (
            "ses chiffres ne couvrent qu'une partie de l'année, ils ne sont donc pas comparés à "
            f"ceux de {self.previous_year}."
        )

    @property
    def missing_note(self) -> str:
        """What is missing (after « Saisie incomplète : »), as the page and the exports say it:
        a file read later, away from the page, would otherwise pass an empty evolution off as
        « no change » or a missing figure as a fall."""
        count = len(self.missing)
        several = count > 1
        has = "n'ont" if several else "n'a"
        text = (
            f"{plural(count, 'chiffre', 'chiffres')} de {self.previous_year} {has} pas encore "
            f"d'équivalent en {self.year}"
        )
        if not self.in_progress:
            text += f" ; le chiffre clé d'un pôle qui en dépend n'est pas comparé à {self.previous_year}"
        return f"{text}."

    @property
    def missing_by_pole(self) -> list[tuple[str, list[str]]]:
        grouped: dict[str, list[str]] = {}
        for pole, category in self.missing:
            grouped.setdefault(pole, []).append(category)
        return list(grouped.items())

    @property
    def has_previous(self) -> bool:
        return any(
            line.previous_count is not None or line.previous_amount is not None
            for line in self.figures
        )

    def figures_by_pole(self) -> list[tuple[Line, list[Line]]]:
        """(pole's key figure, its figures) in report order, for templates and exports."""
        grouped = defaultdict(list)
        for line in self.figures:
            grouped[line.pole].append(line)
        return [(total, grouped[total.pole]) for total in self.totals]


def available_years() -> list[int]:
    """Years that have figures, most recent first."""
    return list(ActivityFigure.objects.order_by("-year").values_list("year", flat=True).distinct())


def report_years(today: date | None = None) -> list[int]:
    """The activity report's tabs, most recent first: the years that have figures and the
    current one, even before its first figure. A year reached only by typing `?annee=` was never
    started: its tab lists what the year before had, each figure one link to enter."""
    years = available_years()
    current = latest_activity_year(today)
    return years if current in years else sorted([current, *years], reverse=True)


def entry_year(today: date | None = None) -> int:
    """The year an entry proposes when none is asked (« Saisir un chiffre »): the current one
    once its entry has begun (it has a figure), else last year, whose report is drawn up in the
    first months of the year. The report opens on the last complete year, which is seldom the
    one being entered."""
    current = latest_activity_year(today)
    if ActivityFigure.objects.filter(year=current).exists():
        return current
    return current - 1


def pole_order(pole: str) -> tuple[int, str]:
    """The catalogue's poles in its order, then the member's own in alphabetical order."""
    key = fold(pole)
    index = _POLE_INDEX.get(key)
    return (index, "") if index is not None else (len(CATALOGUE), key)


def category_order(pole: str, category: str) -> tuple[int, str]:
    """Within a pole of the catalogue, its categories in the order reports give them (requests,
    then grants, refusals, removals…), then the member's own in alphabetical order."""
    key = fold(category)
    usual = _CATALOGUE_BY_POLE.get(fold(pole))
    if usual:
        for index, item in enumerate(usual.categories):
            if fold(item.label) == key:
                return (index, "")
        return (len(usual.categories), key)
    return (0, key)


def report_order(pole: str, category: str) -> tuple:
    return (pole_order(pole), category_order(pole, category))


def activity_report(
    year: int, today: date | None = None, entered: set[tuple[str, str]] | None = None
) -> ActivityReport:
    """The figures of `year`, each beside the same pole and category of the year before, and
    each pole's key figure (key_figures) beside the same key figure the year before. `entered`:
    the member's (pole, category) pairs of all years, when the caller has read them already.

    A year being entered is not compared as if it were complete, since a director reads an
    evolution as "our activity went up or down", never as "we have not typed it all yet":
    - a key figure made of a category entered last year and not yet this year gets no
      evolution (a total would add up fewer things), and the report lists what is missing:
      entering them, or 0 for an activity that stopped, brings the evolution back;
    - a year not over (this year, or a later one) gets no evolution at all: part of a year
      against a whole one would show a fall everywhere.
    The figures and the previous year's key figures stay shown as they are, so that nothing is
    hidden and they still match last year's report."""
    today = today or timezone.localdate()
    in_progress = year >= today.year
    rows = list(
        ActivityFigure.objects.filter(year__in=(year, year - 1)).values_list(
            "pk", "year", "pole", "category", "count", "amount"
        )
    )
    keys = key_figures(member_categories() if entered is None else entered)
    previous = {
        (pole, category): (count, amount)
        for _, y, pole, category, count, amount in rows
        if y == year - 1
    }
    figures = []
    for pk, y, pole, category, count, amount in rows:
        if y != year:
            continue
        key = keys.get(fold(pole))
        previous_count, previous_amount = previous.get((pole, category), (None, None))
        figures.append(
            Line(
                pole,
                category,
                count,
                amount,
                previous_count,
                previous_amount,
                pk,
                comparable=not in_progress,
                key=bool(key and key.takes(category)),
            )
        )
    figures.sort(key=lambda line: report_order(line.pole, line.category))
    entered_now = {(line.pole, line.category) for line in figures}
    missing = sorted(
        (key for key in previous if key not in entered_now), key=lambda k: report_order(*k)
    )
    incomplete = {
        pole for pole, category in missing if (k := keys.get(fold(pole))) and k.takes(category)
    }
    totals = []
    for pole in dict.fromkeys(line.pole for line in figures):
        key = keys.get(fold(pole))
        mine = [line for line in figures if line.pole == pole]
        taken = [line for line in mine if line.key]
        before = [v for (p, c), v in previous.items() if p == pole and key and key.takes(c)]
        totals.append(
            Line(
                pole,
                None,
                _sum(line.count for line in taken),
                _sum(line.amount for line in taken),
                _sum(count for count, _ in before),
                _sum(amount for _, amount in before),
                comparable=not in_progress and pole not in incomplete,
                measure=key.label if key else "",
                summed=bool(key and key.summed),
                left_out=[line.category for line in mine if not line.key]
                if key and key.summed
                else [],
            )
        )
    return ActivityReport(year, year - 1, figures, totals, missing, in_progress)


# --- The dashboard's year --------------------------------------------------------------------


@dataclass
class YearEntry:
    """A year after the dashboard's whose figures are being entered."""

    year: int
    entered: int  # figures entered so far
    missing: int  # figures of the year before without their counterpart yet
    over: bool  # the year is over

    @property
    def note(self) -> str:
        """How far the entry is, after « Saisie de <year> en cours : »."""
        text = plural(self.entered, "chiffre saisi", "chiffres saisis")
        if not self.over:
            return f"{text} jusqu'ici ; l'année n'est pas terminée."
        has = "n'ont" if self.missing > 1 else "n'a"
        return (
            f"{text} ; {plural(self.missing, 'chiffre', 'chiffres')} de {self.year - 1} {has} "
            "pas encore d'équivalent."
        )


@dataclass
class ActivityOverview:
    """What the dashboard's activity card shows (activity_overview)."""

    # The last complete year's report; the latest year's when no year is complete yet.
    report: ActivityReport | None
    complete: bool = False
    # The years after the report's that have figures, most recent first.
    entering: list[YearEntry] = field(default_factory=list)
    # Last year, once January is over, when it has no figure at all.
    overdue_year: int | None = None


def is_complete(year: int, pairs_by_year: dict[int, set], today: date) -> bool:
    """A year is complete when it is over and every figure of the year before has its
    counterpart (0 for an activity that stopped): the same rule as the report's « saisie
    incomplète ». A first year is complete once over."""
    return year < today.year and pairs_by_year.get(year - 1, set()) <= pairs_by_year[year]


def activity_overview(today: date | None = None) -> ActivityOverview:
    """The dashboard's year: the last complete one, so that one figure typed for a new year
    does not replace a whole year by a partial one; the years being entered after it, with how
    far they are; and, from February, last year if nothing was entered for it yet (activity
    reports are drawn up in the first months of the year)."""
    today = today or timezone.localdate()
    pairs_by_year = _pairs_by_year()
    last_year = today.year - 1
    overdue = last_year if today.month > 1 and last_year not in pairs_by_year else None
    if not pairs_by_year:
        return ActivityOverview(None, overdue_year=overdue)
    years = sorted(pairs_by_year, reverse=True)
    shown, complete = _shown_year(pairs_by_year, today)
    entering = [
        YearEntry(
            year,
            len(pairs_by_year[year]),
            len(pairs_by_year.get(year - 1, set()) - pairs_by_year[year]),
            year < today.year,
        )
        for year in years
        if year > shown
    ]
    entered = set().union(*pairs_by_year.values())
    return ActivityOverview(activity_report(shown, today, entered), complete, entering, overdue)


def _pairs_by_year() -> dict[int, set[tuple[str, str]]]:
    pairs_by_year: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for year, pole, category in ActivityFigure.objects.values_list("year", "pole", "category"):
        pairs_by_year[year].add((pole, category))
    return pairs_by_year


def _shown_year(pairs_by_year: dict[int, set], today: date) -> tuple[int, bool]:
    """The dashboard's year among years that have figures: the last complete one, else the
    latest; and whether it is complete."""
    years = sorted(pairs_by_year, reverse=True)
    complete = [year for year in years if is_complete(year, pairs_by_year, today)]
    return (complete[0], True) if complete else (years[0], False)


def dashboard_year(today: date | None = None) -> int | None:
    """The year the dashboard's activity card shows (activity_overview), None without figures:
    the year the activity page, its exports and the API's report open on when none is asked,
    so that they never show a year just begun where the dashboard shows the last whole one."""
    pairs_by_year = _pairs_by_year()
    if not pairs_by_year:
        return None
    return _shown_year(pairs_by_year, today or timezone.localdate())[0]


def latest_report(today: date | None = None) -> ActivityReport | None:
    """The dashboard's report: the last complete year's (activity_overview)."""
    return activity_overview(today).report


@dataclass
class Trend:
    """A pole's key figure year by year, with bar heights for a small chart (0-100)."""

    pole: str
    measure: str  # KeyFigure.label; "" for a pole without a key figure (no values)
    values: list[int | None]
    heights: list[int]

    @property
    def bars(self) -> list[dict]:
        return [
            {"x": index * 10 + 1, "y": 100 - height, "height": height}
            for index, height in enumerate(self.heights)
        ]

    @property
    def width(self) -> int:
        return len(self.heights) * 10


def pole_trends(last: int = 10) -> tuple[list[int], list[Trend]]:
    """Each pole's key figure (its count) over the `last` years with figures, for the
    multi-year table: the same figure as the dashboard's, never the sum of a pole's lines."""
    years = sorted(available_years()[:last])
    rows = ActivityFigure.objects.filter(year__in=years).values_list(
        "pole", "category", "year", "count"
    )
    keys = key_figures(member_categories())
    by_pole: dict[str, dict[int, list[int | None]]] = {}
    for pole, category, year, count in rows:
        counts = by_pole.setdefault(pole, defaultdict(list))
        key = keys.get(fold(pole))
        if key and key.takes(category):
            counts[year].append(count)
    trends = []
    for pole in sorted(by_pole, key=pole_order):
        key = keys.get(fold(pole))
        values = [_sum(by_pole[pole].get(year, ())) for year in years]
        peak = max((v for v in values if v), default=0)
        heights = [round((v or 0) * 100 / peak) if peak else 0 for v in values]
        trends.append(Trend(pole, key.label if key else "", values, heights))
    return years, trends


# --- Domiciliation: the préfet's yearly figures ----------------------------------------------


@dataclass
class PrefectFigure:
    code: str
    label: str
    count: int | None


# The names CCAS give the domiciliation pole in their reports and files, folded (fold): the
# catalogue's, and « Domiciliation(s) », « Élections de domicile ». The import and the entry
# form keep a member's own name as it is (spell), so the préfet's page reads the figures under
# any of them; the rest of the report still treats « Domiciliation » as the member's own pole.
DOMICILIATION_POLE_NAMES = frozenset(
    fold(name)
    for name in (DOMICILIATION_POLE, "Élections de domicile", "Domiciliation", "Domiciliations")
)


def _is_domiciliation_pole(pole: str) -> bool:
    return fold(pole) in DOMICILIATION_POLE_NAMES


def domiciliation_figures(year: int) -> list[PrefectFigure]:
    """The domiciliation figures the préfet asks for, from the activity report of `year`: under
    any name of the pole (DOMICILIATION_POLE_NAMES), the catalogue's first when a category is
    entered under two of them."""
    rows = [
        (pole, category, count)
        for pole, category, count in ActivityFigure.objects.filter(year=year).values_list(
            "pole", "category", "count"
        )
        if _is_domiciliation_pole(pole)
    ]
    rows.sort(key=lambda row: fold(row[0]) != fold(DOMICILIATION_POLE))
    entered: dict[str, int | None] = {}
    for _pole, category, count in rows:
        entered.setdefault(fold(category), count)
    return [PrefectFigure(code, label, entered.get(fold(label))) for code, label in PREFECT_FIGURES]


def domiciliation_pole(year: int) -> str:
    """The pole a missing domiciliation figure of `year` is entered under: the member's own name
    for it, where its other figures are (those of `year`, else of any year; the catalogue's
    name first, then the name with the most figures), the catalogue's without any."""
    poles = [
        (pole, y)
        for pole, y in ActivityFigure.objects.values_list("pole", "year")
        if _is_domiciliation_pole(pole)
    ]
    candidates = Counter(pole for pole, y in poles if y == year) or Counter(p for p, _ in poles)
    if not candidates:
        return DOMICILIATION_POLE
    return min(
        candidates,
        key=lambda pole: (fold(pole) != fold(DOMICILIATION_POLE), -candidates[pole], pole),
    )


def domiciliation_reminder(today: date) -> int | None:
    """The year whose domiciliation report is due soon (December and January), else None."""
    if today.month == 12:
        return today.year
    if today.month == 1:
        return today.year - 1
    return None


def prefect_due_date(year: int) -> date:
    """The report on year N is due before 31 January of N+1 (CASF D264-8)."""
    return date(year + 1, 1, 31)


# --- Import parsing --------------------------------------------------------------------------


@dataclass
class ImportRow:
    line: int
    year: int
    pole: str
    category: str
    count: int | None
    amount: Decimal | None


def parse_activity_file(filename: str, content: bytes) -> tuple[list[ImportRow], list[ImportIssue]]:
    """The rows of an uploaded CSV or XLSX file, or every error by line and column (a NUL
    character, a quote never closed, a bad cell); ValueError (French) if the file can't be read."""
    try:
        read = read_file(content, filename)
    except ImportRejected as rejected:
        if rejected.unreadable:
            raise ValueError(rejected.errors[0].message) from rejected
        return [], rejected.errors
    return parse_activity_rows([cells for _line, cells in read.rows], sheet=read.sheet)


def _field_limits() -> tuple[int, Decimal]:
    """The largest count and amount the database stores: read from ActivityFigure's fields."""
    count = ActivityFigure._meta.get_field("count")
    _low, high = connection.ops.integer_field_range(count.get_internal_type())
    amount = ActivityFigure._meta.get_field("amount")
    largest_amount = Decimal(10) ** (amount.max_digits - amount.decimal_places) - CENT
    return high, largest_amount


MAX_COUNT, MAX_AMOUNT = _field_limits()


def latest_activity_year(today: date | None = None) -> int:
    """The latest year a figure may be entered or imported for: the current one (the union's time,
    settings.TIME_ZONE). A year not begun has no activity yet, and its figures (a typo for the
    year before, most often) would become the dashboard's « Activité <année> »."""
    return (today or timezone.localdate()).year


def future_year_message(year: int, latest: int) -> str | None:
    """Why a year after `latest` (latest_activity_year) is refused; None for a year that is not
    merely early but absurd (99999), which gets the plain « between 1990 and <latest> »."""
    if not latest < year <= LAST_YEAR:
        return None
    return (
        f"L'année {year} n'a pas commencé : saisissez une année entre {FIRST_ACTIVITY_YEAR} "
        f"et {latest}, l'année en cours."
    )


def activity_year_error(year: int, latest: int | None = None) -> str | None:
    """Why figures cannot be entered for `year` (the entry form's and the service's words), or
    None: a year not begun (future_year_message), or outside 1990 to `latest`."""
    latest = latest_activity_year() if latest is None else latest
    if FIRST_ACTIVITY_YEAR <= year <= latest:
        return None
    return future_year_message(year, latest) or f"Année entre {FIRST_ACTIVITY_YEAR} et {latest}."


def invalid_count_message(text: str) -> str:
    """Said by the import and the entry form alike for a count that is not a whole number."""
    return f"Nombre invalide : « {text} » (attendu : un entier positif ou nul, par exemple 1 234)."


class TooLarge(ValueError):
    """A number the database can't hold; str() says so in French."""


def parse_integer(value, maximum: int = MAX_COUNT) -> int:
    """'5 400' -> 5400; ValueError otherwise, TooLarge beyond `maximum`."""
    text = cell_text(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not text.isdecimal():
        raise ValueError
    number = int(text.lstrip("0") or "0") if len(text) <= 30 else maximum + 1
    if number > maximum:
        raise TooLarge(f"Nombre trop grand : au plus {french_number(maximum)}.")
    return number


def parse_amount(value) -> Decimal:
    """'1 234,50', '1234.5', '1.234,50', '1,234.50', '12 €' -> Decimal; ValueError otherwise,
    TooLarge beyond what the amount field holds."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = cell_text(value)
        for junk in ("\u202f", "\xa0", " ", "€"):
            text = text.replace(junk, "")
        if "," in text and "." in text:
            # The last separator is the decimal one; the other groups thousands.
            thousands = "." if text.rfind(",") > text.rfind(".") else ","
            text = text.replace(thousands, "")
        text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError from None
    if not number.is_finite() or number < 0:
        raise ValueError
    if number > MAX_AMOUNT:  # before rounding: 1E+999999 can't be rounded to the cent
        raise TooLarge(f"Montant trop grand : au plus {french_number(MAX_AMOUNT, 2)} €.")
    if number != number.quantize(CENT):
        raise ValueError
    return number.quantize(CENT)


def _header_map(
    header: list, sheet: str | None = None
) -> tuple[dict[str, int], dict[str, str], list[ImportIssue]]:
    """Where each column is, and how the file names it (errors quote the file's own header). A
    missing column of a workbook names the sheet read (`sheet`): the person may have filled in
    another one."""
    positions, labels = {}, {}
    for index, cell in enumerate(header):
        name = fold(cell_text(cell)).replace(" ", "_")
        key = name if name in COLUMNS else COLUMN_ALIASES.get(name)
        if key and key not in positions:
            positions[key] = index
            labels[key] = cell_text(cell)
    note = sheet_read_note(sheet)
    where = f"la ligne d'en-tête ({note})" if note else "la ligne d'en-tête"
    errors = [
        ImportIssue(
            1,
            FRENCH_HEADERS[column],
            f"Colonne « {FRENCH_HEADERS[column]} » absente de {where}.",
        )
        for column in COLUMNS
        if column not in positions
    ]
    return positions, labels, errors


# How the column titles are named when they are found below the first line.
HEADER_TITLES = f"« {FRENCH_HEADERS['year']} », « {FRENCH_HEADERS['pole']} »…"


def _is_header(cells: list) -> bool:
    return not _header_map(cells)[2]


def parse_activity_rows(
    table: list[list], sheet: str | None = None
) -> tuple[list[ImportRow], list[ImportIssue]]:
    """Check every line of the file; return the rows, or every error (line, column, reason).
    `sheet`: the name of the sheet read, for a workbook (missing columns name it)."""
    positions, labels, errors = _header_map(table[0] if table else [], sheet)
    # A title (and a blank line) above the column titles: say where they are, not « absente ».
    if errors and (
        below := header_below_issue(list(enumerate(table, start=1)), _is_header, HEADER_TITLES)
    ):
        return [], [below]
    if not table or not any(cell_text(c) for c in table[0]):
        return [], [
            ImportIssue(
                1,
                "",
                "Le fichier est vide : la première ligne doit être "
                "l'en-tête année;pôle;catégorie;nombre;montant.",
            )
        ]
    if errors:
        return [], errors
    rows: list[ImportRow] = []
    seen: dict[tuple, int] = {}
    max_year = latest_activity_year()
    for number, raw in enumerate(table[1:], start=2):
        cells = {col: (raw[i] if i < len(raw) else None) for col, i in positions.items()}
        if not any(cell_text(v) for v in cells.values()):
            continue
        line_errors = []
        year = None
        try:
            year = parse_integer(cells["year"])
            if future := future_year_message(year, max_year):
                line_errors.append(ImportIssue(number, labels["year"], future))
            elif not FIRST_ACTIVITY_YEAR <= year <= max_year:
                raise ValueError
        except ValueError:
            line_errors.append(
                ImportIssue(
                    number,
                    labels["year"],
                    f"Année invalide : « {cell_text(cells['year'])} » "
                    f"(attendu : une année entre {FIRST_ACTIVITY_YEAR} et {max_year}).",
                )
            )
        pole = cell_text(cells["pole"])
        category = cell_text(cells["category"])
        for column, text, limit in (("pole", pole, 100), ("category", category, 150)):
            if not text:
                line_errors.append(ImportIssue(number, labels[column], "Valeur obligatoire."))
            elif len(text) > limit:
                line_errors.append(
                    ImportIssue(number, labels[column], f"Texte trop long ({len(text)} > {limit}).")
                )
        if pole and category and (refused := key_figure_name_error(pole, category)):
            line_errors.append(ImportIssue(number, labels["category"], refused))
        count = amount = None
        if cell_text(cells["count"]):
            try:
                count = parse_integer(cells["count"])
            except TooLarge as error:
                line_errors.append(ImportIssue(number, labels["count"], str(error)))
            except ValueError:
                line_errors.append(
                    ImportIssue(
                        number, labels["count"], invalid_count_message(cell_text(cells["count"]))
                    )
                )
        if cell_text(cells["amount"]):
            try:
                amount = parse_amount(cells["amount"])
            except TooLarge as error:
                line_errors.append(ImportIssue(number, labels["amount"], str(error)))
            except ValueError:
                line_errors.append(
                    ImportIssue(
                        number,
                        labels["amount"],
                        f"Montant invalide : « {cell_text(cells['amount'])} » (attendu : des euros "
                        "positifs, au plus deux décimales, virgule ou point décimal).",
                    )
                )
        if not cell_text(cells["count"]) and not cell_text(cells["amount"]):
            line_errors.append(
                ImportIssue(number, labels["count"], "Indiquez un nombre, un montant ou les deux.")
            )
        if not line_errors:
            key = (year, fold(pole), fold(category))
            if key in seen:
                line_errors.append(
                    ImportIssue(
                        number,
                        labels["category"],
                        f"Doublon : même année, pôle et catégorie qu'à la ligne {seen[key]}.",
                    )
                )
            seen.setdefault(key, number)
        if line_errors:
            errors.extend(line_errors)
        else:
            rows.append(ImportRow(number, year, pole, category, count, amount))
    if not rows and not errors:
        errors.append(ImportIssue(2, "", "Le fichier ne contient aucune ligne de données."))
    return rows, errors


def canonical_labels() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Known spellings: poles and (pole, category) from the usual list and the member's figures,
    so that 'SECOURS;transports' joins 'Secours;Transports' of the year before."""
    poles = {fold(p): p for p in USUAL_POLES}
    categories = {(fold(p), fold(c)): c for p, items in USUAL_CATEGORIES.items() for c in items}
    # The oldest figures' spelling first: the one later entries take is the same each time.
    for pole, category in ActivityFigure.objects.order_by("year", "pk").values_list(
        "pole", "category"
    ):
        poles.setdefault(fold(pole), pole)
        categories.setdefault((fold(pole), fold(category)), category)
    return poles, categories


def is_usual_pole(pole: str) -> bool:
    """Whether `pole` is one of the catalogue's (however spelled)."""
    return fold(pole) in _CATALOGUE_BY_POLE


def is_usual_category(pole: str, category: str) -> bool:
    """Whether `category` is one of the catalogue's for `pole` (however spelled)."""
    usual = _CATALOGUE_BY_POLE.get(fold(pole))
    return bool(usual) and any(fold(item.label) == fold(category) for item in usual.categories)


def spell(pole: str, category: str, known=None) -> tuple[str, str]:
    poles, categories = known or canonical_labels()
    pole_key, category_key = fold(pole), fold(category)
    return (
        poles.get(pole_key, pole.strip()),
        categories.get((pole_key, category_key), category.strip()),
    )


def read_year(raw: str) -> int | None:
    """A year typed in an address (`?annee=`, `?year=`), or None."""
    year = parse_digits(raw, 4)
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None

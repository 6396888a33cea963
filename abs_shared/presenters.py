"""What the ABS pages show: one table per view, used for the HTML table, the chart's accessible
equivalent and the CSV/XLSX export alike, so that an export is exactly what is shown: a number
is exported rounded as the page shows it (a number in XLSX, formatted with those decimals), a
rank with what it is out of (« 8 sur 14 »)."""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.utils.text import slugify

from abs_shared import charts
from abs_shared.comparisons import (
    COMMUNE,
    INTERCOMMUNALITY,
    at_subject,
    of_subject,
    ratio_of,
)
from abs_shared.models import DEMO_SOURCE, Indicator, ReferenceValue, ValueStatus
from union.formats import french_number, plural, round_half_up, signed_gap
from union.spreadsheets import (
    append_row,
    csv_bytes,
    download_response,
    new_sheet,
    set_widths,
    workbook_bytes,
)

DASH = "–"
# An XLSX column's width, in characters (ShownTable.column_widths): a year fits the narrowest;
# a long source or header is cut at the widest rather than make the sheet a screen wide.
MIN_COLUMN_WIDTH = 8
MAX_COLUMN_WIDTH = 60
# How a member's own number published as « s » reads in its own space (see Point.secret_in_pool).
SECRET_IN_POOL = "secret sur le portail"


@dataclass
class Cell:
    """A cell as shown (French text) and as exported (a number when it is one).

    `decimals`: how many the text shows; the export rounds `raw` to them, so that a spreadsheet
    holds the page's figure (27,2, not 27,15)."""

    text: str
    raw: object = None
    numeric: bool = False
    wraps: bool = False  # a phrase (« hausse de 0,3 pt depuis 2020 ») may go on two lines
    decimals: int | None = None

    @property
    def export(self):
        if self.raw is None:
            return self.text
        if self.decimals is None or not is_number(self.raw):
            return self.raw
        return round_half_up(self.raw, self.decimals)


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


@dataclass
class ShownTable:
    caption: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    row_header: bool = True  # the first cell of each row is a <th scope="row">
    notes: list[str] = field(default_factory=list)
    # Sortable tables: a link per header (or None) and the aria-sort value of each header.
    header_links: list[str | None] = field(default_factory=list)
    header_sort: list[str | None] = field(default_factory=list)
    # A rank is shown (the secrecy legend then says what rank 1 means).
    ranked: bool = False

    # Grouped columns (the portrait's territories, the members, the comparable communes): each
    # group's label and how many columns it spans, "" for columns standing alone. The page
    # shows `column_labels` under a group's label; exports keep `headers`, which say it all.
    header_groups: list[tuple[str, int]] = field(default_factory=list)
    column_labels: list[str] = field(default_factory=list)
    # The last column, shown on the page under each row's header rather than as a column of its
    # own (the portrait's « Source »: a thirteenth column would not fit a laptop's screen);
    # exports and the PDF keep it as a column. Not in `header_groups`.
    last_column_under_row_header: bool = False

    def page_rows(self) -> list[tuple[list[Cell], str]]:
        """The rows as the page shows them, each with the line under its header (« Source :
        INSEE Filosofi ») or ""."""
        if not self.last_column_under_row_header:
            return [(row, "") for row in self.rows]
        label = self.headers[-1]
        return [
            (row[:-1], f"{label} : {row[-1].text}" if row[-1].text else "") for row in self.rows
        ]

    @property
    def page_headers(self) -> list[str]:
        """The headers of the columns the page shows (see last_column_under_row_header)."""
        return self.headers[:-1] if self.last_column_under_row_header else self.headers

    def printed_row(self, row: list[Cell]) -> list[Cell]:
        """A row as the PDF prints it, like the page: the last column's text after the row's
        header (« Taux de pauvreté (%) – Source : INSEE Filosofi »)."""
        if not self.last_column_under_row_header:
            return row
        if not row[-1].text:
            return row[:-1]
        named = f"{row[0].text} – {self.headers[-1]} : {row[-1].text}"
        return [replace(row[0], text=named), *row[1:-1]]

    def header_rows(self) -> tuple[list[dict], list[dict]]:
        """A grouped head in two rows: a column standing alone spans both, a group's label
        sits above its columns' own labels."""
        labels = self.column_labels or self.headers
        top, below, start = [], [], 0
        for label, span in self.header_groups:
            columns = [
                {"text": text, "index": start + n}
                for n, text in enumerate(labels[start : start + span])
            ]
            if label:
                top.append({"text": label, "colspan": span})
                below += columns
            else:
                top += [{**column, "rowspan": 2} for column in columns]
            start += span
        return top, below

    def column_widths(self) -> tuple[int, ...]:
        """The XLSX's column widths, in characters: each column as wide as its header or its
        longest text (« 19 215,0 », an indicator's name), within bounds: a spreadsheet's
        default width showed « ##### » and cut indicator names."""
        widths = []
        for index, header in enumerate(self.headers):
            texts = [header] + [row[index].text for row in self.rows if index < len(row)]
            widest = max(len(line) for value in texts for line in (value or "").split("\n"))
            widths.append(min(max(widest + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH))
        return tuple(widths)

    def header_cells(self) -> list[tuple[str, str | None, str | None]]:
        links = self.header_links or [None] * len(self.headers)
        sort = self.header_sort or [None] * len(self.headers)
        return list(zip(self.headers, links, sort, strict=True))


def text(value: str) -> Cell:
    return Cell(value)


def value_cell(
    indicator: Indicator,
    value: float | None,
    status: str,
    *,
    draft: bool = False,
    secret_in_pool: bool = False,
) -> Cell:
    shown = indicator.format(value, status)
    # Exported as text too: a spreadsheet shown to the board must not pass a draft, or a number
    # the portal shows as « s », off as a published figure.
    if draft:
        return Cell(f"{shown} (brouillon)", numeric=True, wraps=True)
    if secret_in_pool:
        return Cell(f"{shown} ({SECRET_IN_POOL})", numeric=True, wraps=True)
    if status == ValueStatus.VALUE and value is not None:
        return Cell(shown, value, numeric=True, decimals=indicator.decimals)
    return Cell(shown, indicator.format(None, status), numeric=True)


def own_value_cell(indicator: Indicator, shown: dict) -> Cell:
    """The subject's value of a comparison result or a series point, marked as the member
    space needs: a draft, a number published as « s »."""
    return value_cell(
        indicator,
        shown["value"],
        shown["status"],
        draft=shown.get("draft", False),
        secret_in_pool=shown.get("secret_in_pool", False),
    )


def number_cell(
    indicator: Indicator, value: float | None, decimals: int | None = None, *, note: str = ""
) -> Cell:
    """A figure; with a `note` (« brouillon compris »), a text that says what it counts."""
    if value is None:
        return Cell(DASH, numeric=True)
    places = indicator.decimals if decimals is None else decimals
    shown = french_number(value, places)
    if note:
        return Cell(f"{shown} ({note})", numeric=True, wraps=True)
    return Cell(shown, value, True, decimals=places)


def shown_ratio(result: dict, row: dict) -> Decimal | None:
    """A row's ratio to the subject's value as a page and its exports show it: from the two
    values (stored to 4 decimals, exact as floats), not from the API's ratio already rounded to
    4 decimals, which a second rounding could raise by 0,01."""
    if row["ratio"] is None:
        return None
    return ratio_of(Decimal(str(result["value"])), Decimal(str(row["value"])))


def signed_number(value: float, decimals: int) -> str:
    """A signed figure ("+1,2", "-0,4"); one that rounds to zero reads "0,0", never "-0,0"."""
    shown = french_number(abs(value), decimals)
    if not shown.strip("0,\u202f"):
        return shown
    return f"{'+' if value > 0 else '-'}{shown}"


def gap_cell(indicator: Indicator, gap: float | None) -> Cell:
    if gap is None:
        return Cell(DASH, numeric=True)
    return Cell(
        signed_gap(gap, indicator.decimals, indicator.gap_unit),
        gap,
        True,
        decimals=indicator.decimals,
    )


def population_text(population: int) -> str:
    """A population as French reads it, thousands apart, and where it comes from: the official
    geography's legal population, which a CCAS's own « Population municipale » indicator (a
    later year, say) may not match on the same page, with the geography's vintage (the package
    gives the population without its year): "111 934 habitants (population légale Insee,
    référentiel géographique 2026)"."""
    return (
        f"{french_number(population, 0)} habitants (population légale Insee, référentiel "
        f"géographique {settings.COG_VINTAGE})"
    )


def band_phrase(band: tuple[int, int | None, str] | None) -> str:
    """How a sentence names the communes of a population band: "communes de moins de 5 000
    habitants"; empty when the subject has no band (an intercommunality)."""
    if band is None:
        return ""
    label = band[2]
    return f"communes {label}" if label.startswith("de ") else f"communes de {label}"


def territory_names(subject, preposition: str) -> list[str]:
    """The subject's reference territories as a sentence names them after « de » or « à »:
    « de l'intercommunalité », « du département (Seine-Saint-Denis) », « de la région
    (Île-de-France) », « de la France métropolitaine ». Taken from the subject's own lines, so
    that a DROM (no région line, France entière as nation) is never said to have a région."""
    names = []
    for level, _code, name in subject.territories:
        if level == ReferenceValue.Level.EPCI:
            names.append(f"{preposition} l'intercommunalité")
        elif level == ReferenceValue.Level.DEPARTEMENT:
            names.append(f"{'du' if preposition == 'de' else 'au'} département ({name})")
        elif level == ReferenceValue.Level.REGION:
            names.append(f"{preposition} la région ({name})")
        else:
            names.append(f"{preposition} la {name}")
    return names


def portrait_lead(subject, served: bool = True) -> str:
    """The portrait's opening sentence: what the subject is and what it is compared with. The
    page and its PDF both print it. A commune whose CCAS (nor any CIAS) is no member (`served`
    False) is compared with nothing: none of its values will come."""
    population, seat = population_text(subject.population), subject.seat
    if subject.is_commune and not served:
        return f"{subject.nom} ({subject.code}), {seat.departement.nom} · {population}."
    if subject.is_commune:
        return (
            f"{subject.nom} ({subject.code}), {seat.departement.nom} · {population} · "
            f"comparée aux {band_phrase(subject.band)}."
        )
    compared_with = ", ".join(territory_names(subject, "de"))
    return (
        f"Intercommunalité {subject.nom} (SIREN {subject.code}), {population} · valeurs de son "
        f"CIAS (siège : {seat.nom}, {seat.departement.nom}), comparées à celles {compared_with} "
        "et des autres CIAS membres, jamais à celles des communes."
    )


def nothing_published(subject, member_space: bool, served: bool = True) -> str:
    """What a portrait without any value says instead of its tables (page and PDF); `served`:
    whether the commune's CCAS, or a CIAS of its intercommunality, is a member of the union
    (one that is not has nothing waiting to be published)."""
    if subject.is_commune and not served:
        return (
            f"Aucun indicateur publié pour {subject.nom} : ni son CCAS ni un CIAS de son "
            "intercommunalité ne sont membres de l'union."
        )
    if subject.is_commune:
        return f"{subject.nom} n'a encore publié aucun indicateur."
    if member_space:
        return "Aucune valeur saisie ou publiée par le CIAS."
    return f"Le CIAS {of_subject(subject.nom)} n'a encore publié aucun indicateur."


def rank_cell(stats: dict, *, note: str = "") -> Cell:
    """« 8 sur 14 », exported as that text: a rank alone (8) would not say out of how many."""
    if stats["rank"] is None:
        return Cell(DASH, numeric=True)
    shown = f"{stats['rank']} sur {stats['count']}"
    return Cell(f"{shown} ({note})" if note else shown, numeric=True, wraps=bool(note))


# Below this many values, quartiles, a median or a rank say nothing about where a value stands
# (« rang 1 sur 1 », the median of two): they are not shown, and a sentence says why.
MIN_PUBLISHERS = 3


def too_few(stats: dict | None) -> bool:
    """Whether a group's statistics rest on too few values to be shown (MIN_PUBLISHERS)."""
    return stats is not None and stats["count"] < MIN_PUBLISHERS


def too_few_note(group: str, stats: dict, result: dict, member_space: bool = False) -> str:
    """« Trop peu de CIAS ont publié cette valeur pour situer la vôtre (1 valeur, celle-ci
    comprise ; il en faut au moins 3) : ni quartiles, ni médiane, ni rang. »"""
    name = result["subject"]["nom"]
    own = "la vôtre" if member_space else f"celle {of_subject(name)}"
    counted = plural(stats["count"], "valeur", "valeurs")
    if result["value"] is not None and not result.get("secret_in_pool"):  # counted (as_counted)
        counted += ", celle-ci comprise"
    return (
        f"Trop peu de {group} ont publié cette valeur pour situer {own} ({counted} ; il en "
        f"faut au moins {MIN_PUBLISHERS}) : ni quartiles, ni médiane, ni rang."
    )


def too_few_card(group: str, member_space: bool = False) -> str:
    """Why a portrait's indicator has no position chart (page card) or no median bar (PDF):
    « Trop peu de membres ont publié cet indicateur pour situer celle-ci (moins de 3). »"""
    own = "votre valeur" if member_space else "celle-ci"
    return (
        f"Trop peu de {group} ont publié cet indicateur pour situer {own} "
        f"(moins de {MIN_PUBLISHERS})."
    )


def subject_label(subject: dict) -> str:
    """The subject's own row or series: « Bondy (commune) »; « Est Ensemble – valeurs du CIAS »,
    which its intercommunality's reference line beside it must not be taken for."""
    if subject["kind"] == COMMUNE:
        return f"{subject['nom']} (commune)"
    return f"{subject['nom']} – valeurs du CIAS"


# How a territory is named when its name alone would read as something else: « Paris » beside
# the commune of Paris is its département (views.territory_references names every column so).
LEVEL_WORDS = {
    ReferenceValue.Level.EPCI: "intercommunalité",
    ReferenceValue.Level.DEPARTEMENT: "département",
    ReferenceValue.Level.REGION: "région",
}


def named_with_level(subject: dict, ref: dict) -> str:
    """A reference territory's name, with its level when it is the commune's own name: the
    département of Paris is « Paris (département) » beside the commune of Paris; any other
    territory keeps its name alone."""
    if subject["kind"] == COMMUNE and ref["nom"] == subject["nom"] and ref["level"] in LEVEL_WORDS:
        return f"{ref['nom']} ({LEVEL_WORDS[ref['level']]})"
    return ref["nom"]


def reference_name(subject: dict, ref: dict) -> str:
    """A reference territory as tables and charts name it. An intercommunality's own line,
    beside its CIAS's values, says what it is: two rows or columns both named « Est Ensemble »
    read as a territory differing from itself; so does a territory named as the commune
    (named_with_level)."""
    if (
        subject["kind"] == INTERCOMMUNALITY
        and ref["level"] == ReferenceValue.Level.EPCI
        and ref["code"] == subject["code"]
    ):
        return f"{ref['nom']} – territoire de référence"
    return named_with_level(subject, ref)


def draft_counted(result: dict) -> bool:
    """Whether the member's own draft is among the values of a result's members' (and peers')
    statistics: in the member space, a number not yet published is placed among the others,
    and every count or rank that includes it must say so."""
    return result["draft"] and result["value"] is not None


def counted_label(label: str, stats: dict, result: dict) -> str:
    """« Membres ayant publié (14) », or « Membres ayant publié (13) + Bondy (brouillon) »
    when the member's own draft is among the values."""
    if draft_counted(result):
        return f"{label} ({stats['count'] - 1}) + {result['subject']['nom']} (brouillon)"
    return f"{label} ({stats['count']})"


def titled(indicator: Indicator, year: int | None = None) -> str:
    """An indicator as a caption names it: label, unit, year ("Taux de chômage (%), 2021")."""
    title = f"{indicator.label} ({indicator.unit_label})"
    return f"{title}, {year}" if year else title


def formatter(indicator: Indicator):
    return lambda value: french_number(value, indicator.decimals)


def is_demo(*sources: str) -> bool:
    return any(source == DEMO_SOURCE for source in sources)


@dataclass(frozen=True)
class Words:
    """How pages name a subject and the values it is compared with."""

    kind: str  # after the subject's name: "Bondy (commune)"
    group: str  # "parmi les membres"
    published: str  # a header: "Membres ayant publié"
    phrase: str  # in a sentence: "parmi les 12 membres ayant publié"
    listed: str  # the indicator page's table: "communes ayant publié"
    column: str  # its first header
    at: str  # "évolution à Bondy"


WORDS = {
    COMMUNE: Words(
        "commune",
        "membres",
        "Membres ayant publié",
        "membres ayant publié",
        "communes ayant publié",
        "Commune",
        "à",
    ),
    INTERCOMMUNALITY: Words(
        "intercommunalité",
        "CIAS",
        "CIAS ayant publié",
        "CIAS ayant publié",
        "intercommunalités dont le CIAS a publié",
        "Intercommunalité (CIAS)",
        "pour",
    ),
}


def words(result: dict) -> Words:
    return WORDS[result["subject"]["kind"]]


# --- one commune or intercommunality, one indicator, one year -----------------------------


def comparison_table(
    result: dict,
    indicator: Indicator,
    chosen: list[dict] | None = None,
    member_space: bool = False,
) -> ShownTable:
    """The subject, the communes a visitor chose beside it, its territories (gap, ratio), then
    the members' (or the other CIAS') and the peers' distributions and ranks, each only when
    enough values make one (MIN_PUBLISHERS); `member_space`: the reader is the subject's
    CCAS or CIAS (« la vôtre »)."""
    name, said = result["subject"]["nom"], words(result)
    table = ShownTable(
        caption=f"{name} – {titled(indicator, result['year'])} : comparaison",
        headers=comparison_headers(indicator),
    )
    table.rows.append(
        [
            text(subject_label(result["subject"])),
            own_value_cell(indicator, result),
            Cell(DASH, numeric=True),
            Cell(DASH, numeric=True),
            text(result["source"]),
        ]
    )
    for other in chosen or []:
        table.rows.append(
            [
                text(f"{other['nom']} (commune choisie)"),
                value_cell(indicator, other["value"], other["status"]),
                gap_cell(indicator, other["gap"]),
                number_cell(indicator, shown_ratio(result, other), 2),
                text(other["source"]),
            ]
        )
    if indicator.is_count:
        table.notes.append(COUNT_NOTE)
        return table
    for ref in result["references"]:
        table.rows.append(
            [
                text(reference_name(result["subject"], ref)),
                value_cell(indicator, ref["value"], ref["status"]),
                gap_cell(indicator, ref["gap"]),
                number_cell(indicator, shown_ratio(result, ref), 2),
                text(ref["source"]),
            ]
        )
    groups = [
        (
            counted_label(said.published, result["members"], result),
            said.group,
            result["members"],
        )
    ]
    if result["peers"] is not None:
        groups.append(
            (
                counted_label(
                    f"Communes comparables, {result['population_band']}", result["peers"], result
                ),
                f"communes comparables ({result['population_band']})",
                result["peers"],
            )
        )
    for name, group, stats in groups:
        if too_few(stats):
            table.notes.append(too_few_note(group, stats, result, member_space))
            continue
        table.ranked = table.ranked or indicator.polarity != Indicator.Polarity.NEUTRAL
        for key, label in (
            ("min", "minimum"),
            ("q1", "1er quartile"),
            ("median", "médiane"),
            ("q3", "3e quartile"),
            ("max", "maximum"),
        ):
            table.rows.append(
                [
                    text(f"{name} : {label}"),
                    number_cell(indicator, stats[key]),
                    Cell(DASH, numeric=True),
                    Cell(DASH, numeric=True),
                    text(""),
                ]
            )
        table.rows.append(
            [
                text(f"{name} : rang (1 = {indicator.rank_first})"),
                rank_cell(stats),
                Cell(DASH, numeric=True),
                Cell(DASH, numeric=True),
                text(""),
            ]
        )
    if result["secret_count"]:
        table.notes.append(
            f"{result['secret_count']} valeur(s) couverte(s) par le secret statistique : "
            "elles ne sont ni comptées dans les statistiques, ni classées, ni représentées."
        )
    if result.get("secret_in_pool"):
        table.notes.append(SECRET_IN_POOL_NOTE)
    if draft_counted(result) and not all(too_few(stats) for _name, _group, stats in groups):
        name = result["subject"]["nom"]
        table.notes.append(DRAFT_COUNTED_NOTE.format(group=said.group, of_name=of_subject(name)))
    if indicator.polarity == Indicator.Polarity.NEUTRAL:
        table.notes.append(NEUTRAL_NOTE)
    return table


NEUTRAL_NOTE = "Indicateur neutre : pas de rang de fragilité."


def neutral_rank_note(indicators: list[Indicator]) -> str:
    """Why a portrait's rank reads « – » for a neutral indicator (read neither way: its rank
    would say nothing of fragility), naming those indicators; a count has COUNT_NOTE."""
    labels = [i.label for i in indicators if not i.is_count and i.polarity == i.Polarity.NEUTRAL]
    if not labels:
        return ""
    if len(labels) == 1:
        return f"Rang « – » : indicateur neutre, sans rang de fragilité ({labels[0]})."
    return f"Rang « – » : indicateurs neutres, sans rang de fragilité ({' ; '.join(labels)})."


SECRET_IN_POOL_NOTE = (
    "« secret sur le portail » : votre valeur a été publiée comme secrète (moins de 11 "
    "personnes ou ménages) ; le portail et les autres membres voient « s ». Comme sur le "
    "portail, rien n'est calculé à partir d'elle : ni médiane, ni rang, ni écart, ni évolution."
)
DRAFT_COUNTED_NOTE = (
    "Statistiques des {group} calculées avec la valeur non publiée {of_name} (brouillon) : "
    "elles changeront si cette valeur change avant sa publication."
)

COUNT_NOTE = (
    "Effectif : valeur brute seule. Un effectif dépend de la taille du territoire ; il n'est ni "
    "classé, ni comparé aux territoires de référence ou aux autres membres (voir le taux "
    "correspondant)."
)


def comparison_headers(indicator: Indicator) -> list[str]:
    return ["Repère", "Valeur", f"Écart ({indicator.gap_unit})", "Rapport", "Source"]


def empty_comparison_table(name: str, indicator: Indicator) -> ShownTable:
    """What the comparison export holds when nothing was published: the caption and headers."""
    return ShownTable(
        caption=f"{name} – {titled(indicator)} : comparaison (aucune valeur publiée)",
        headers=comparison_headers(indicator),
    )


def comparison_chart(result: dict, indicator: Indicator, chosen: list[dict] | None = None):
    """Where the subject's value sits among the others; None when too few published for a
    box and a median to mean anything (the table says why)."""
    if too_few(result["members"]):
        return None
    refs = [
        (reference_name(result["subject"], r), r["value"])
        for r in result["references"]
        if r["value"] is not None
    ]
    # Secret or missing values of chosen communes are in the table only, never charted.
    others = [(o["nom"], o["value"]) for o in chosen or [] if o["value"] is not None]
    stats, name, said = result["members"], result["subject"]["nom"], words(result)
    # The member's own number published as « s » is a secret: never charted, as on the portal.
    value = None if result.get("secret_in_pool") else result["value"]
    shown = indicator.format(result["value"], result["status"])
    if result.get("secret_in_pool"):
        shown += f", {SECRET_IN_POOL}, non représentée"
    elif result["draft"]:
        shown += ", brouillon : losange vide"
    among = f"{stats['count']} {said.phrase}"
    if draft_counted(result):
        among = f"{stats['count'] - 1} {said.phrase} et {name} (brouillon)"
    desc = (
        f"Position {of_subject(name)} ({shown}) parmi les {among} : boîte du "
        "1er au 3e quartile, trait de la médiane, traits verticaux pour les territoires de référence"
        + (", ronds blancs pour les communes choisies" if others else "")
        + "."
    )
    return charts.position_chart(
        stats,
        value,
        refs,
        formatter(indicator),
        f"{indicator.label}, {result['year']} : {name} parmi les {said.group}",
        desc,
        others,
        draft=result["draft"],
    )


# --- the series of a commune or an intercommunality ---------------------------------------


def series_others(data: dict) -> list[tuple[str, list[dict]]]:
    """The series set beside the subject's, in the order of the comparison table: the chosen
    communes (if any), then the territories. (name as shown, points)"""
    others = [(f"{c['nom']} (commune choisie)", c["points"]) for c in data.get("chosen", [])]
    return others + [
        (reference_name(data["subject"], ref), ref["points"]) for ref in data["references"]
    ]


def series_name(subject: dict) -> str:
    """The subject's own series: its name for a commune (« Bondy »), « Est Ensemble – valeurs
    du CIAS » for an intercommunality, whose reference line is beside it (reference_name)."""
    return subject["nom"] if subject["kind"] == COMMUNE else subject_label(subject)


def series_table(data: dict, indicator: Indicator) -> ShownTable:
    breaks, name = set(data["breaks"]), data["subject"]["nom"]
    others = series_others(data)
    table = ShownTable(
        caption=f"{name} – {titled(indicator)} : évolution",
        headers=["Année", series_name(data["subject"])] + [other for other, _points in others],
    )
    for index, point in enumerate(data["points"]):
        year = point["year"]
        label = f"{year} (rupture de série après)" if year in breaks else str(year)
        row = [Cell(label, year), own_value_cell(indicator, point)]
        row += [
            value_cell(indicator, points[index]["value"], points[index]["status"])
            for _other, points in others
        ]
        table.rows.append(row)
    if breaks:
        table.notes.append(indicator.break_notes or "Rupture de série : années non comparables.")
    return table


def series_chart(data: dict, indicator: Indicator):
    """One line per series of the table; a secret or missing value is no point (the points'
    `value` is None for them), so it is never drawn."""
    name = data["subject"]["nom"]
    # A number the portal shows as « s » is no point; a draft is a hollow one.
    own = [(p["year"], None if p.get("secret_in_pool") else p["value"]) for p in data["points"]]
    drafts = [p["year"] for p in data["points"] if p["draft"] and p["value"] is not None]
    own_name = series_name(data["subject"])
    label = f"{own_name} (point vide : brouillon)" if drafts else own_name
    lines = [charts.Line(label, own, drafts=frozenset(drafts))]
    lines += [
        charts.Line(other, [(p["year"], p["value"]) for p in points])
        for other, points in series_others(data)
    ]
    legend = " ; ".join(
        f"{line.name} : {charts.describe_style(index)}" for index, line in enumerate(lines)
    )
    chosen = bool(data.get("chosen"))
    marked = (
        f" Point vide : valeur {of_subject(name)} non publiée (brouillon), en "
        f"{', '.join(str(year) for year in drafts)}."
        if drafts
        else ""
    )
    return charts.line_chart(
        lines,
        data["breaks"],
        formatter(indicator),
        f"{indicator.label} : évolution {at_subject(data['subject']['kind'], name)}"
        + (", dans les communes choisies" if chosen else "")
        + " et dans ses territoires",
        "Une ligne par "
        + ("commune choisie et par " if chosen else "")
        + f"territoire, chacune avec sa forme de point et son trait ({legend}) ; "
        "les valeurs secrètes ou non disponibles interrompent la ligne ; un trait vertical "
        "marque chaque rupture de série." + marked,
        from_zero=indicator.unit in charts.ZERO_BASED_UNITS,
    )


# --- the portrait of a commune or an intercommunality -------------------------------------


CHANGE_HEADER = "Évolution depuis l'année publiée précédente"


def change_text(indicator: Indicator, change: dict | None) -> str:
    """« hausse de 1,2 pt depuis 2019 » (a rate), « baisse de 3,4 % depuis 2019 » (a count or an
    amount), « hausse de 0,1 depuis 2019 » (a ratio), « stable (0,0 pt) depuis 2019 » when it
    rounds to nothing; « – » when there is nothing to compare with or it cannot be said (a
    secret on either side).

    In words rather than signed: the text opens on a letter, so a CSV export holds it as it
    reads (a cell opening on « + » or « - » would be quoted against formula injection), and a
    screen reader says « hausse » where it might skip a « + »."""
    if change is None:
        return DASH
    if change["break"]:
        return f"{DASH} (rupture de série)"
    if change["change"] is None:
        return DASH
    decimals = 1 if change["measure"] == "percent" else indicator.decimals
    # No-break spaces: a narrow cell (the portrait's) goes on a second line before « depuis »
    # only, never inside « hausse de 0,4 % » or « depuis 2020 ».
    unit = {"points": "\u202fpt", "percent": "\u202f%"}.get(change["measure"], "")
    size = f"{french_number(abs(change['change']), decimals)}{unit}"
    sign = signed_number(change["change"], decimals)[0]  # no sign: it rounds to zero
    figure = {"+": f"hausse\u00a0de\u00a0{size}", "-": f"baisse\u00a0de\u00a0{size}"}.get(
        sign, f"stable\u00a0({size})"
    )
    shown = f"{figure} depuis\u00a0{change['since']}"
    return f"{shown} (brouillon)" if change["draft"] else shown


def portrait_table(
    subject,
    results: list[tuple[Indicator, dict]],
    changes: dict[str, dict | None] | None = None,
    year: int | None = None,
    member_space: bool = False,
    *,
    chosen: list = (),
    beside: dict[str, list[dict]] | None = None,
) -> ShownTable:
    """One row per indicator: its year, value and change since the previous published year,
    then the communes a visitor chose (`chosen`, their values of the row's year in `beside`, by
    indicator code: comparisons.chosen_communes_values), its territories, the members' (and
    peers') median and rank (when enough values make them: MIN_PUBLISHERS), and the value's
    source. `year` is the year chosen by the visitor, if any (else each indicator shows its
    latest)."""
    said = WORDS[subject.kind]
    changes = changes or {}
    beside = beside or {}
    headers = ["Indicateur", "Année", "Valeur", CHANGE_HEADER]
    # As the comparison page's rows, after the subject and before its territories; named with
    # their code in the files too (two communes may share a name).
    chosen_headers = [chosen_header(commune) for commune in chosen]
    headers += chosen_headers
    # The subject's territories, not a result's: a count has no reference line. « Paris » under
    # « Territoires de référence » beside the commune of Paris says it is the département.
    shape = {"kind": subject.kind, "code": subject.code, "nom": subject.nom}
    territories = [
        named_with_level(shape, {"level": level, "code": code, "nom": name})
        for level, code, name in subject.territories
    ]
    # Exports have no group header: there, an intercommunality's own line says what it is.
    headers += [
        reference_name(shape, {"level": level, "code": code, "nom": name})
        for level, code, name in subject.territories
    ]
    headers += [f"Médiane des {said.group}", f"Rang parmi les {said.group}"]
    # On the page, twelve full headers side by side made the table twice as wide as the screen.
    statistics = [(said.group[0].upper() + said.group[1:], 2)]
    if subject.band:
        headers += ["Médiane des communes comparables", "Rang parmi les communes comparables"]
        statistics.append(("Communes comparables", 2))
    headers.append("Source")
    groups = [
        ("", 4),
        (CHOSEN_GROUP, len(chosen_headers)),
        ("Territoires de référence", len(territories)),
        *statistics,
    ]
    table = ShownTable(
        caption=portrait_caption(subject, results, year),
        headers=headers,
        header_groups=[(label, span) for label, span in groups if span],
        column_labels=headers[:4]
        + chosen_headers
        + territories
        + ["Médiane", "Rang"] * len(statistics),
        last_column_under_row_header=True,
    )
    too_few_shown = False
    for indicator, result in results:
        row = [
            text(f"{indicator.label} ({indicator.unit_label})"),
            Cell(str(result["year"]), result["year"], True),
            own_value_cell(indicator, result),
            # Exported as text: « depuis 2019 » and the unit say what the figure is.
            Cell(change_text(indicator, changes.get(indicator.code)), numeric=True, wraps=True),
        ]
        if indicator.is_count:  # the raw figure and its change only
            row += [Cell(DASH, numeric=True)] * (len(headers) - 1 - len(row))
        else:
            # Published values only, « s » for a secret, « n.d. » without a value that year.
            row += [
                value_cell(indicator, other["value"], other["status"])
                for other in beside.get(indicator.code, [])
            ]
            row += [
                value_cell(indicator, ref["value"], ref["status"]) for ref in result["references"]
            ]
            # Computed with the member's own draft: they say so, as the value does.
            note = "brouillon compris" if draft_counted(result) else ""
            for stats in (result["members"], result["peers"]):
                if stats is None:
                    continue
                if too_few(stats):
                    row += [Cell(TOO_FEW, numeric=True, wraps=True), Cell(DASH, numeric=True)]
                    too_few_shown = True
                    continue
                row += [
                    number_cell(indicator, stats["median"], note=note),
                    rank_cell(stats, note=note),
                ]
                table.ranked = table.ranked or stats["rank"] is not None
        row.append(Cell(result["source"], wraps=True))
        table.rows.append(row)
    if any(indicator.is_count for indicator, _result in results):
        table.notes.append(COUNT_NOTE)
    if neutral := neutral_rank_note([indicator for indicator, _result in results]):
        table.notes.append(neutral)
    table.notes.append(CHANGE_NOTE)
    if chosen:
        table.notes.append(CHOSEN_NOTE)
    if too_few_shown:
        table.notes.append(too_few_table_note(said.group, member_space))
    if any(result.get("secret_in_pool") for _indicator, result in results):
        table.notes.append(SECRET_IN_POOL_NOTE)
    return table


CHOSEN_GROUP = "Communes choisies"
CHOSEN_NOTE = (
    "Communes choisies\u00a0: valeurs publiées par leur CCAS pour l'année de la ligne\u00a0; "
    "«\u00a0n.d.\u00a0» sans valeur publiée cette année-là, «\u00a0s\u00a0» pour une valeur "
    "secrète\u00a0; «\u00a0–\u00a0» pour un effectif, qui ne se compare pas à celui d'une "
    "autre commune."
)


def chosen_header(commune) -> str:
    """A chosen commune's column: « Montreuil (93048) »."""
    return f"{commune.nom} ({commune.code})"


def territories_note(name: str) -> str:
    """What the territories' table of a commune whose CCAS is no member says of its values
    (the page's words: abs_shared/portrait.html)."""
    return (
        f"Valeurs de référence des territoires auxquels {name} appartient, chaque indicateur à "
        f"sa dernière année disponible. Ce ne sont pas les valeurs de {name} : seul son "
        "CCAS pourrait publier les siennes, en rejoignant l'union."
    )


def territories_table(subject, territories: dict) -> ShownTable:
    """The reference values of the territories of a commune whose CCAS is no member
    (views.territory_references) as the portrait's CSV, XLSX and PDF carry them: numbers in the
    indicator's unit, never ranked, and said, in the caption and a note, not to be the
    commune's."""
    name = subject.nom
    table = ShownTable(
        caption=f"Valeurs de référence des territoires de {name} : ce ne sont pas les "
        f"valeurs de {name}",
        headers=["Indicateur", "Année", *territories["columns"]],
        notes=[territories_note(name)],
    )
    for row in territories["rows"]:
        indicator = row["indicator"]
        table.rows.append(
            [
                text(f"{indicator.label} ({indicator.unit_label})"),
                Cell(str(row["year"]), row["year"], True),
                *(value_cell(indicator, value, status) for value, status in row["values"]),
            ]
        )
    return table


def portrait_caption(subject, results: list[tuple[Indicator, dict]], year: int | None) -> str:
    """« Portrait de Bondy : indicateurs publiés, 2021 »; in the member space, with values not
    yet published among them, « indicateurs, dont brouillons »: the caption is the first line
    of the exports and the PDF's heading, which must not call a draft published."""
    drafts = any(result["draft"] for _indicator, result in results)
    what = "indicateurs, dont brouillons" if drafts else "indicateurs publiés"
    caption = f"Portrait {of_subject(subject.nom)} : {what}"
    return f"{caption}, {year}" if year else caption


TOO_FEW = "trop peu de valeurs"


def too_few_table_note(group: str, member_space: bool = False) -> str:
    """What « trop peu de valeurs » means in a table of several indicators."""
    own = "la vôtre" if member_space else "celle-ci"
    return (
        f"« {TOO_FEW} » : moins de {MIN_PUBLISHERS} {group} ont publié l'indicateur cette "
        f"année-là, valeur comprise ; trop peu pour situer {own} (ni quartiles, ni médiane, "
        "ni rang)."
    )


CHANGE_NOTE = (
    "Évolution : hausse ou baisse en points pour un taux, en % pour un effectif ou un montant, "
    "en écart pour un rapport ; « – » quand il n'y a pas de valeur antérieure ou que l'une des "
    "deux est secrète."
)


def distribution_table(
    subject, results: list[tuple[Indicator, dict]], member_space: bool = False
) -> ShownTable:
    """The portrait's position charts as a table: the members' (or the other CIAS') distribution,
    indicator by indicator, beside the subject's value; none where too few published."""
    said = WORDS[subject.kind]
    table = ShownTable(
        caption=f"Position {of_subject(subject.nom)} parmi les {said.group} : les graphiques en "
        "tableau",
        headers=[
            "Indicateur",
            "Année",
            f"Valeur {of_subject(subject.nom)}",
            "Minimum",
            "1er quartile",
            "Médiane",
            "3e quartile",
            "Maximum",
            said.published,
        ],
    )
    for indicator, result in results:
        if indicator.is_count:  # not placed among the others: see COUNT_NOTE
            continue
        stats = result["members"]
        row = [
            text(f"{indicator.label} ({indicator.unit_label})"),
            Cell(str(result["year"]), result["year"], True),
            own_value_cell(indicator, result),
        ]
        if too_few(stats):
            dash = Cell(DASH, numeric=True)
            row += [dash, dash, Cell(TOO_FEW, numeric=True, wraps=True), dash, dash]
        else:
            row += [
                number_cell(indicator, stats[key]) for key in ("min", "q1", "median", "q3", "max")
            ]
        if draft_counted(result):  # « 13 + Bondy (brouillon) »: not 14 members who published
            name = result["subject"]["nom"]
            row.append(Cell(f"{stats['count'] - 1} + {name} (brouillon)", numeric=True, wraps=True))
        else:
            row.append(Cell(str(stats["count"]), stats["count"], True))
        table.rows.append(row)
    if any(too_few(result["members"]) for indicator, result in results if not indicator.is_count):
        table.notes.append(too_few_table_note(said.group, member_space))
    return table


# --- every commune (or intercommunality) for one indicator and year -----------------------


def indicator_table(
    indicator: Indicator, year: int | None, rows: list[dict], kind: str = COMMUNE
) -> ShownTable:
    """Communes' values (their CCAS'), or intercommunalities' (their CIAS', ranked apart)."""
    said = WORDS[kind]
    when = titled(indicator, year) if year else f"{titled(indicator)}, aucune année publiée"
    # A count (or a neutral indicator) ranks nobody: no rank column, on the page or its exports.
    ranks = indicator.rank_polarity != Indicator.Polarity.NEUTRAL
    table = ShownTable(
        caption=f"{when} : {said.listed} ({len(rows)})",
        headers=[
            said.column,
            "Département" if kind == COMMUNE else "Département du siège",
            "Population",
            "Valeur",
            *([f"Rang (1 = {indicator.rank_first})"] if ranks else []),
            "Source",
        ],
    )
    ranked = sum(1 for row in rows if row["value"] is not None)
    for row in rows:
        # « 3 sur 14 », as everywhere else: a rank alone, exported, would not say out of
        # how many.
        rank_cells = [rank_cell({"rank": row["rank"] or None, "count": ranked})]
        table.rows.append(
            [
                text(row["nom"]),
                text(row["departement"]),
                Cell(french_number(row["population"], 0), row["population"], True, decimals=0),
                value_cell(indicator, row["value"], row["status"]),
                *(rank_cells if ranks else []),
                text(row["source"]),
            ]
        )
    if 0 < ranked < MIN_PUBLISHERS and ranks:
        # views._indicator_rows ranks nobody then: « 1 sur 1 » would say nothing.
        table.notes.append(
            f"Pas de rang : trop peu de valeurs publiées ({ranked} ; il en faut au moins "
            f"{MIN_PUBLISHERS} pour les classer)."
        )
    else:
        table.ranked = any(row["rank"] for row in rows)
    return table


# --- exports ------------------------------------------------------------------------------


def _csv_cell(cell: Cell):
    """Numbers the way a French spreadsheet reads them: decimal comma, no thousands separator,
    the decimals the page shows (« 41,0 »)."""
    value = cell.export
    if not is_number(value):
        return value
    if cell.decimals is not None:
        return french_number(value, cell.decimals, thousands="")
    return french_number(value, 4, thousands="").rstrip("0").rstrip(",")


def _number_format(decimals: int) -> str:
    """An XLSX number format showing `decimals` decimals, thousands grouped (« 19 215 »)."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def export_response(
    table: ShownTable, fmt: str, filename: str, demo: bool, *, titled: bool = True
) -> HttpResponse:
    """The table as CSV (semicolons, decimal comma, for French spreadsheets) or XLSX.

    Both open on the table's caption (indicator, unit, year), then the headers: a director who
    opens the file in Excel or LibreOffice, or prints it for the board, sees what the figures
    are, as on the page. `titled=False` for a file meant to be filled in and imported back (the
    import template), whose first line must be the headers."""
    notes = list(table.notes)
    if demo:
        notes.insert(0, f"{DEMO_SOURCE} : chiffres inventés pour la démonstration.")
    rows = list(table.rows)
    rows += [[text(note)] + [text("")] * (len(table.headers) - 1) for note in notes]
    if fmt == "csv":
        caption = [[table.caption] + [""] * (len(table.headers) - 1)] if titled else []
        body = csv_bytes(
            [*caption, table.headers, *([_csv_cell(cell) for cell in row] for row in rows)]
        )
    else:
        title = table.caption if titled else None
        workbook, sheet = new_sheet(table.caption, table.headers, title=title)
        set_widths(sheet, table.column_widths())
        for row in rows:
            # A typed source is text: never a formula, no control character.
            written = append_row(sheet, [cell.export for cell in row])
            for cell, shown in zip(written, row, strict=False):
                if shown.decimals is not None and is_number(cell.value):
                    cell.number_format = _number_format(shown.decimals)
        body = workbook_bytes(workbook)
    return download_response(body, fmt, f"{slugify(filename)}.{fmt}")

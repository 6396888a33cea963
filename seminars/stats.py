"""An event's « Chiffres »: its confirmed registrations and, once anyone was checked in, the
people present beside them (members / non-members, by fonction, by commune, by atelier), with
the summary « 42 présents sur 50 inscrits confirmés (84 %) ; 8 absents. »; and the same tables
as a download (XLSX, a sheet per table; CSV, the tables one after the other).

Present: confirmed and checked in (`seminars.models.PRESENT`); a registration cancelled after its
check-in is counted nowhere. An atelier's presences are those marked at it (seminars.attendance),
shown only once any was recorded for the event; people seen in an atelier they had not chosen
count there. Two ateliers of the same title read with their time slot
(seminars.models.atelier_names). Before anyone is checked in the figures are the registrations,
as they always were; for an event over without any check-in the page says so rather than showing
zeros as if nobody came (the year report counts the confirmed for such an event too).
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from seminars.attendance import counted_presences, records_ateliers
from seminars.models import Fonction, Registration, SeminarPage, atelier_names
from seminars.services import member_communes
from tenants.matching import fold
from tenants.naming import distinct_commune_labels
from union.formats import french_number, long_date, plural, round_half_up
from union.spreadsheets import (
    add_sheet,
    append_row,
    ascii_file_name,
    csv_bytes,
    new_sheet,
    set_widths,
    workbook_bytes,
)

Status = Registration.Status

CONFIRMED = "Inscrits confirmés"
PRESENT_LABEL = "Présents"
PEOPLE = "Personnes"  # the one count column before anyone is checked in, as it always was
NO_CHECK_IN = "Aucune présence émargée : les chiffres ci-dessous sont ceux des inscriptions."
ATELIERS_NOT_RECORDED = "présences aux ateliers non émargées"
DOWNLOAD_FORMATS = ("xlsx", "csv")


def commune_key(registration: Registration) -> tuple[str, str]:
    """The commune a registration counts under: an official one by its INSEE code, so that
    homonyms (Saint-Denis 93 and 974, Montreuil 93 and 85) are counted apart; a commune kept as
    typed (« Aubervilier ») by its text, not counted as if it were an official one."""
    if registration.commune_status == Registration.CommuneStatus.FLAGGED:
        return ("typed", f"{registration.commune_label} (à vérifier)")
    if registration.commune_id:
        return ("code", registration.commune_id)
    return ("typed", registration.commune_label)


def commune_labels(registrations: list[Registration]) -> dict[tuple[str, str], str]:
    """commune_key -> the row's label: an official commune's name, with its département when
    another row carries the same name (« Saint-Denis (93) », « Saint-Denis (974) »); the text
    of one kept as typed."""
    keys = {commune_key(r): r for r in registrations}
    official = distinct_commune_labels(r.commune for key, r in keys.items() if key[0] == "code")
    return {key: official[key[1]] if key[0] == "code" else key[1] for key in keys}


def _by_count(counter: Counter, key=lambda label: label) -> list[tuple[str, int]]:
    """The larger counts first, then the labels in reading order."""
    return sorted(counter.items(), key=lambda item: (-item[1], key(item[0])))


@dataclass(frozen=True)
class Line:
    label: str
    confirmed: int
    present: int | None = None  # None: not counted (nobody checked in, or not at the ateliers)
    seats: int | None = None  # an atelier's

    def cells(self, table: "Table") -> list:
        cells = [self.label, self.confirmed]
        if table.with_present:
            cells.append(self.present)
        if table.with_seats:
            cells.append(self.seats)
        return cells


@dataclass
class Table:
    """One table of the page, and one sheet (or CSV block) of the download."""

    caption: str
    sheet: str  # the worksheet's name (31 characters at most)
    heading: str  # the first column's header
    lines: list[Line]
    with_present: bool
    confirmed_header: str = PEOPLE
    with_seats: bool = False
    empty: str = "Aucune inscription."

    @property
    def headers(self) -> list[str]:
        headers = [self.heading, self.confirmed_header]
        if self.with_present:
            headers.append(PRESENT_LABEL)
        if self.with_seats:
            headers.append("Places")
        return headers

    @property
    def rows(self) -> list[list]:
        return [line.cells(self) for line in self.lines]


@dataclass
class EventFigures:
    seminar: SeminarPage
    confirmed: int
    present: int
    waitlisted: int
    checked_in: bool  # anyone present: the tables count the present beside the confirmed
    ended: bool
    tables: list[Table] = field(default_factory=list)

    @property
    def absent(self) -> int:
        return self.confirmed - self.present

    @property
    def present_percent(self) -> Decimal | None:
        """The share of the confirmed who came, in %, unrounded; None without anyone confirmed."""
        if not self.confirmed:
            return None
        return Decimal(100 * self.present) / Decimal(self.confirmed)

    @property
    def summary(self) -> str:
        """« 42 présents sur 50 inscrits confirmés (84 %) ; 8 absents. » once anyone came
        (« 8 pas encore arrivés » while the event runs); "" before."""
        if not self.checked_in:
            return ""
        present = plural(self.present, "présent", "présents")
        confirmed = plural(self.confirmed, "inscrit confirmé", "inscrits confirmés")
        percent = f"{french_number(self.present_percent)}\u00a0%"
        if self.ended:
            absent = "aucun absent" if not self.absent else plural(self.absent, "absent", "absents")
        elif not self.absent:
            absent = "tout le monde est arrivé"
        else:
            absent = plural(self.absent, "pas encore arrivé", "pas encore arrivés")
        return f"{present} sur {confirmed} ({percent}) ; {absent}."

    @property
    def no_check_in(self) -> str:
        """What an event over without any check-in says above its tables; "" otherwise."""
        return NO_CHECK_IN if self.ended and self.confirmed and not self.checked_in else ""


def event_figures(seminar: SeminarPage, now=None) -> EventFigures:
    """The « Chiffres » of the event: a handful of queries, whatever the number of people."""
    registrations = list(
        seminar.registrations.filter(status=Status.CONFIRMED).select_related("commune")
    )
    # seminars.models.PRESENT, read from the rows at hand: confirmed and checked in.
    came = {r.pk for r in registrations if r.checked_in_at is not None}
    checked_in = bool(came)
    codes = {r.commune_id for r in registrations if r.commune_id}
    members = set(member_communes().filter(code__in=codes).values_list("code", flat=True))
    labels = dict(Fonction.choices)

    def counted(key) -> tuple[Counter, Counter]:
        confirmed = Counter(key(r) for r in registrations)
        present = Counter(key(r) for r in registrations if r.pk in came)
        return confirmed, present

    def category(r: Registration) -> str:
        if not r.commune_id:
            return "unknown"
        return "members" if r.commune_id in members else "non_members"

    def lines(confirmed: Counter, present: Counter, order, label=lambda key: key) -> list[Line]:
        return [
            Line(label(key), count, present[key] if checked_in else None)
            for key, count in order(confirmed)
        ]

    communes = commune_labels(registrations)
    confirmed_header = CONFIRMED if checked_in else PEOPLE
    kinds, kinds_present = counted(category)
    tables = [
        Table(
            "Membres et non-membres (inscrits confirmés et présents)"
            if checked_in
            else "Membres et non-membres (inscriptions confirmées)",
            "Membres",
            "Catégorie",
            [
                Line(label, kinds[kind], kinds_present[kind] if checked_in else None)
                for kind, label in (
                    ("members", "Communes membres de l'union"),
                    ("non_members", "Communes non membres"),
                    ("unknown", "Commune à vérifier"),
                )
            ],
            checked_in,
            confirmed_header,
        ),
        Table(
            "Par fonction",
            "Fonctions",
            "Fonction",
            lines(*counted(lambda r: labels[r.fonction]), _by_count),
            checked_in,
            confirmed_header,
        ),
        Table(
            "Par commune",
            "Communes",
            "Commune",
            lines(
                *counted(commune_key),
                lambda counter: _by_count(counter, lambda key: fold(communes[key])),
                communes.get,
            ),
            checked_in,
            confirmed_header,
        ),
    ]
    atelier_table = _ateliers(seminar, checked_in)
    if atelier_table is not None:
        tables.append(atelier_table)
    return EventFigures(
        seminar=seminar,
        confirmed=len(registrations),
        present=len(came),
        waitlisted=seminar.registrations.filter(status=Status.WAITLISTED).count(),
        checked_in=checked_in,
        ended=seminar.has_ended(now),
        tables=tables,
    )


def _ateliers(seminar: SeminarPage, checked_in: bool) -> Table | None:
    """The ateliers in starting order: confirmed people who chose each and, once presences at
    the ateliers were recorded, the people present there (chosen or not)."""
    ateliers = list(
        seminar.ateliers.annotate(
            taken=Count(
                "registrations",
                filter=Q(registrations__status=Status.CONFIRMED),
                distinct=True,
            ),
            present=Count("presences", filter=counted_presences("presences__"), distinct=True),
        ).order_by("starts_at", "sort_order")
    )
    if not ateliers:
        return None
    names = atelier_names(ateliers, seminar)
    recorded = checked_in and records_ateliers(seminar)
    caption = "Par atelier"
    if checked_in and not recorded:
        caption = f"Par atelier ({ATELIERS_NOT_RECORDED})"
    return Table(
        caption,
        "Ateliers",
        "Atelier",
        [Line(names[a.pk], a.taken, a.present if recorded else None, a.seats) for a in ateliers],
        recorded,
        CONFIRMED if checked_in else "Confirmées",
        with_seats=True,
    )


# The download ------------------------------------------------------------------------------------


def _summary_rows(figures: EventFigures) -> list[list]:
    """The first sheet's lines (label, value)."""
    rows: list[list] = [[CONFIRMED, figures.confirmed]]
    if figures.checked_in:
        absent = "Absents" if figures.ended else "Pas encore arrivés"
        rows += [
            [PRESENT_LABEL, figures.present],
            [absent, figures.absent],
            # The figure the page shows, rounded the same way (union.formats.french_number).
            ["Taux de présence (%)", int(round_half_up(figures.present_percent, 0))],
        ]
    rows.append(["Liste d'attente", figures.waitlisted])
    return rows


def _event_label(seminar: SeminarPage) -> str:
    return f"{seminar.title} – {long_date(timezone.localtime(seminar.start), weekday=False)}"


def figures_file(figures: EventFigures, fmt: str) -> bytes:
    """The figures as an XLSX workbook (« Synthèse », then a sheet per table, its caption as
    the title line) or a CSV (the same blocks one after the other, an empty line between)."""
    title = f"Chiffres – {_event_label(figures.seminar)}"
    notes = [[text] for text in (figures.summary, figures.no_check_in) if text]
    if fmt == "csv":
        rows: list[list] = [[title], *notes, [], ["Synthèse"], ["Chiffre", "Valeur"]]
        rows += _summary_rows(figures)
        for table in figures.tables:
            rows += [[], [table.caption], table.headers, *table.rows]
        return csv_bytes(rows)
    if fmt != "xlsx":
        raise ValueError(fmt)
    workbook, sheet = new_sheet("Synthèse", ["Chiffre", "Valeur"], title=title)
    for row in _summary_rows(figures):
        append_row(sheet, row)
    if notes:
        append_row(sheet, [])
        for note in notes:
            append_row(sheet, note)
    set_widths(sheet, (40, 12))
    for table in figures.tables:
        _table_sheet(workbook, table)
    return workbook_bytes(workbook)


def _table_sheet(workbook, table: Table) -> None:
    """A sheet laid out as the first: the caption as its title, the headers frozen below it."""
    sheet = add_sheet(workbook, table.sheet, table.headers, title=table.caption)
    for row in table.rows:
        append_row(sheet, row)
    set_widths(sheet, (48, 18, 12, 10))


def figures_filename(seminar: SeminarPage, fmt: str) -> str:
    return ascii_file_name("chiffres", seminar.slug, extension=fmt)

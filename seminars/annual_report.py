"""The year's events in figures (« bilan des rencontres »), for the union's activity report to its
board and its funders: for each event, the seats, the people registered and present, the communes
reached, the opinions; for the year, the totals, the member communes reached and the people by
fonction.

Who took part: the people checked in when the organisers used the check-in that day; for an event
where nobody was checked in, the confirmed registrations stand in for them, and the report says so
(a commission with no welcome desk is still a meeting that took place).

Training hours: each participation counts the event's attested duration (SeminarPage.
attested_duration, what the attestation de présence certifies); an event without one adds no
hours, and the report says how many such events there were. Ateliers: listed with the people
present at each when presences per atelier were recorded (seminars.attendance), else not at all.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from seminars.attendance import presences_by_atelier
from seminars.durations import describe_duration
from seminars.evaluations import SATISFIED, whole_percent
from seminars.models import PRESENT, Evaluation, Fonction, Registration, SeminarPage
from seminars.services import member_communes
from tenants.matching import fold
from union.formats import plural
from union.spreadsheets import append_row, new_sheet, set_widths, workbook_bytes

Status = Registration.Status


@dataclass
class EventLine:
    event: SeminarPage
    held: bool  # over: an event still to come has registrations but no participants yet
    confirmed: int
    present: int
    checked_in: bool  # False: nobody was checked in, `present` counts the confirmed people
    communes: int
    answers: int
    satisfied: int
    # (title, people present) of each atelier where presences were recorded; empty otherwise.
    ateliers: list[tuple[str, int]] = field(default_factory=list)
    # present × the attested duration; None when the event has no attested duration or is to come.
    training: timedelta | None = None

    @property
    def cancelled(self) -> bool:
        """Called off (« Annuler l'événement »): listed, never held, nobody counted as present."""
        return self.event.cancelled_at is not None

    @property
    def satisfied_percent(self) -> int | None:
        return whole_percent(self.satisfied, self.answers)

    @property
    def training_label(self) -> str:
        return describe_duration(self.training) if self.training is not None else ""


@dataclass(frozen=True)
class FonctionCount:
    code: str  # the API's code ("maire")
    label: str  # as the pages and the spreadsheet write it ("Maire")
    participations: int


@dataclass
class YearReport:
    year: int
    lines: list[EventLine]
    participants: int
    communes: int
    member_communes_reached: int
    member_communes: int
    by_fonction: list[FonctionCount] = field(default_factory=list)
    answers: int = 0
    satisfied: int = 0

    @property
    def satisfied_percent(self) -> int | None:
        return whole_percent(self.satisfied, self.answers)

    @property
    def training(self) -> timedelta:
        """The training hours of the year's participations (events with an attested duration)."""
        return sum((line.training for line in self.lines if line.training), timedelta(0))

    @property
    def training_label(self) -> str:
        return describe_duration(self.training)

    @property
    def without_duration(self) -> int:
        """Events held with participants but no attested duration: their hours are not counted."""
        return sum(1 for line in self.lines if line.held and line.present and line.training is None)

    @property
    def held_count(self) -> int:
        return sum(1 for line in self.lines if line.held)

    @property
    def upcoming_count(self) -> int:
        return sum(1 for line in self.lines if not line.held and not line.cancelled)

    @property
    def cancelled_count(self) -> int:
        return sum(1 for line in self.lines if line.cancelled)

    @property
    def estimated(self) -> bool:
        """Some events held count their confirmed people, not people checked in."""
        return any(line.held and not line.checked_in for line in self.lines)


def report_years() -> list[int]:
    """Years with at least one event, newest first (the year select)."""
    return [moment.year for moment in SeminarPage.objects.live().datetimes("start", "year", "DESC")]


def default_report_year() -> int:
    """The latest year with an event held: a year whose events are all to come has nothing to
    report yet."""
    held = SeminarPage.objects.live().filter(end__lte=timezone.now())
    latest = held.datetimes("start", "year", "DESC").first()
    return latest.year if latest else timezone.localdate().year


def _events(year: int) -> QuerySet[SeminarPage]:
    return (
        SeminarPage.objects.live()
        .filter(start__year=year)
        .annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=Status.CONFIRMED)
            ),
            present_count=Count(
                "registrations",
                filter=Q(
                    registrations__status=Status.CONFIRMED,
                    registrations__checked_in_at__isnull=False,
                ),
            ),
        )
        .order_by("start", "pk")
    )


def participants(held: list[SeminarPage]) -> QuerySet[Registration]:
    """The people who took part in the events `held`: checked in, or confirmed where nobody
    was."""
    checked = [e.pk for e in held if e.present_count]
    unchecked = [e.pk for e in held if not e.present_count]
    return Registration.objects.filter(
        (Q(seminar__in=checked) & PRESENT)
        | Q(seminar__in=unchecked, status=Registration.Status.CONFIRMED)
    )


def build_year_report(year: int) -> YearReport:
    """The report of `year`: a handful of queries, whatever the number of events."""
    events = list(_events(year))
    # One instant for the whole report: an event ending meanwhile is held or not everywhere.
    now = timezone.now()
    # A cancelled event did not take place: its registrations are kept, its people not counted.
    held = {event.pk for event in events if event.end <= now and event.cancelled_at is None}
    people = participants([event for event in events if event.pk in held])
    communes_by_event = dict(
        people.exclude(commune=None)
        .values("seminar")
        .annotate(n=Count("commune", distinct=True))
        .values_list("seminar", "n")
    )
    # Event id -> (answers, satisfied: the overall opinion on the two upper levels).
    opinions = {
        event_id: (answers, satisfied)
        for event_id, answers, satisfied in Evaluation.objects.filter(
            registration__seminar__in=events
        )
        .values("registration__seminar")
        .annotate(answers=Count("pk"), satisfied=Count("pk", filter=Q(overall__in=SATISFIED)))
        .values_list("registration__seminar", "answers", "satisfied")
    }
    ateliers = presences_by_atelier(held)
    lines = [
        EventLine(
            event=event,
            held=event.pk in held,
            confirmed=event.confirmed_count,
            present=(event.present_count or event.confirmed_count) if event.pk in held else 0,
            checked_in=bool(event.present_count),
            communes=communes_by_event.get(event.pk, 0),
            answers=opinions.get(event.pk, (0, 0))[0],
            satisfied=opinions.get(event.pk, (0, 0))[1],
            ateliers=ateliers.get(event.pk, []),
        )
        for event in events
    ]
    for line in lines:
        if line.held and line.event.attested_duration:
            line.training = line.event.attested_duration * line.present
    labels = dict(Fonction.choices)
    by_fonction = [
        FonctionCount(code, str(labels.get(code, code)), count)
        for code, count in people.values("fonction")
        .annotate(n=Count("pk"))
        .values_list("fonction", "n")
    ]
    members = member_communes()
    return YearReport(
        year=year,
        lines=lines,
        participants=sum(line.present for line in lines),
        communes=people.exclude(commune=None).values("commune").distinct().count(),
        member_communes_reached=people.filter(commune__in=members)
        .values("commune")
        .distinct()
        .count(),
        member_communes=members.count(),
        by_fonction=sorted(by_fonction, key=lambda row: (-row.participations, fold(row.label))),
        answers=sum(line.answers for line in lines),
        satisfied=sum(line.satisfied for line in lines),
    )


def year_report_workbook(report: YearReport) -> bytes:
    headers = [
        "Date",
        "Événement",
        "Type",
        "Places",
        "Inscrits confirmés",
        "Participants",
        "Émargement",
        "Communes",
        "Avis",
        "Satisfaits (%)",
        # Added last, so that the earlier columns keep their places.
        "Heures de formation",
        "Ateliers suivis (présents)",
    ]
    workbook, sheet = new_sheet(
        "Rencontres", headers, title=f"Bilan des rencontres de l'union – {report.year}"
    )
    for line in report.lines:
        coming = ("annulé" if line.cancelled else "à venir") if not line.held else None
        append_row(
            sheet,
            [
                timezone.localtime(line.event.start).date(),
                line.event.title,
                line.event.get_kind_display(),
                line.event.seats,
                line.confirmed,
                coming or line.present,
                coming or ("oui" if line.checked_in else "non (inscrits confirmés comptés)"),
                line.communes,
                line.answers,
                line.satisfied_percent,
                _hours(line.training) if line.training is not None else None,
                " ; ".join(f"{title} ({present})" for title, present in line.ateliers),
            ],
        )
        sheet.cell(row=sheet.max_row, column=1).number_format = "DD/MM/YYYY"
    append_row(sheet, [])
    held = plural(report.held_count, "rencontre tenue", "rencontres tenues")
    append_row(
        sheet,
        ["Total", held, "", "", "", report.participants, "", "", "", "", _hours(report.training)],
    )
    if report.without_duration:
        append_row(
            sheet,
            [
                "Heures de formation",
                "non comptées : "
                + plural(
                    report.without_duration,
                    "rencontre sans durée de formation attestée",
                    "rencontres sans durée de formation attestée",
                ),
            ],
        )
    append_row(
        sheet,
        [
            "Communes membres représentées",
            f"{report.member_communes_reached} sur {report.member_communes}",
        ],
    )
    append_row(sheet, [])
    # A person who came to three events counts three times: participations, not people.
    append_row(sheet, ["Fonction", "Participations"])
    for row in report.by_fonction:
        append_row(sheet, [row.label, row.participations])
    set_widths(sheet, (14, 48, 24, 8, 12, 12, 30, 10, 8, 12, 12, 48))
    return workbook_bytes(workbook)


def _hours(duration: timedelta) -> float:
    """Hours as a number a spreadsheet sums: 6 h 30 -> 6.5."""
    return round(duration.total_seconds() / 3600, 2)

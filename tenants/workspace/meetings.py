"""The board's séances, read against CASF R123-16 to R123-18: who is in office on a séance's
day, whether the quorum was reached, whether the convocation went out in time, which quarters
went without a séance, and when the ABS report was presented. Writes are in services.py.

The rules, as the code applies them:
- the board holds at least one séance a quarter (quarters_without_meeting);
- the convocation, with the agenda, goes out three days at least before the séance; in a
  commune of 3,500 inhabitants or more, with an explanatory report on the matters to be
  decided (convocation_issue, needs_explanatory_report);
- the board deliberates only when the majority of its members in office attends: a proxy
  (pouvoir) lets an absent member vote but does not count towards the quorum; after a séance
  without it, the board convened again deliberates whatever the number present (Quorum).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from tenants.workspace.compliance import renewal_due, sitting_members
from tenants.workspace.models import BoardMandate, BoardMeeting, BoardMember, MeetingAttendance
from union.formats import french_list, long_date, plural

Presence = MeetingAttendance.Presence
CONVOCATION_DAYS = 3
EXPLANATORY_REPORT_POPULATION = 3_500
RULES = "CASF R123-16 à R123-18"


def _mandates() -> list[BoardMandate]:
    """Every mandate, the latest begun first, with its seats."""
    return list(BoardMandate.objects.prefetch_related("members").order_by("-start", "-pk"))


def _mandate_on(day: date, mandates: list[BoardMandate]) -> BoardMandate | None:
    """The mandate running on `day`: begun by then and not ended before (the latest begun, as
    compliance.current_mandate, if mandates saved before the no-overlap rule overlap).
    `mandates`: _mandates()."""
    return next((m for m in mandates if m.start <= day and (m.end is None or m.end >= day)), None)


def _board_on(day: date, mandates: list[BoardMandate]) -> list[BoardMember]:
    """Who sits on `day` in the mandate running then (_mandate_on)."""
    mandate = _mandate_on(day, mandates)
    return sitting_members(mandate, day) if mandate else []


def members_in_office(day: date) -> list[BoardMember]:
    """The members of the board on `day`, président(e) included: the « membres en exercice »
    the quorum is counted on."""
    return _board_on(day, _mandates())


def overdue_board_warning(meeting: BoardMeeting, member=None) -> str:
    """What the séance's page and its attendance sheet say when the séance falls after the
    deadline to renew its board (compliance.renewal_due, the rule of the board page and the
    dashboard, read on the séance's day): the members in office are then those of a board that
    should have been replaced, and the quorum is counted on them. "" otherwise: a séance held
    within the two months by the board still in office is lawful. `member`: whose board it is
    (a CIAS's texts name the EPCI's authorities)."""
    mandate = _mandate_on(meeting.date, _mandates())
    renewal = renewal_due(mandate, meeting.date, member)
    if renewal is None or not renewal.overdue:
        return ""
    return (
        "Conseil d'administration à renouveler, délai dépassé : il devait l'être au plus tard "
        f"le {long_date(renewal.due, weekday=False)}, après les élections municipales "
        f"{renewal.election.rounds} (CASF R123-10). Les membres listés sont ceux de la "
        f"mandature {mandate.label}, et le quorum est compté sur eux. "
        f"{renewal.presidency_changed} Enregistrez le nouveau conseil (« Renouveler le "
        "conseil », par la direction) : s'il siège à la date de la séance, ses membres "
        "seront listés et comptés à la place de ceux-ci."
    )


@dataclass(frozen=True)
class Quorum:
    """The attendance of one séance, counted. `unrecorded`: members in office whose presence
    is not entered yet."""

    in_office: int
    present: int
    represented: int
    unrecorded: int
    reconvened: bool

    @property
    def needed(self) -> int:
        """The majority of the members in office: more than half of them."""
        return self.in_office // 2 + 1

    @property
    def reached(self) -> bool | None:
        """True or False once known; None while presences left to enter could still reach it."""
        if self.reconvened or self.present >= self.needed:
            return True
        if self.present + self.unrecorded >= self.needed:
            return None
        return False

    @property
    def votes(self) -> int:
        """Who may vote: the members present and those who gave them a proxy."""
        return self.present + self.represented

    @property
    def badge(self) -> tuple[str, str]:
        """(style, words) of the séances' list: ok, warn or error."""
        if self.in_office == 0:
            return "warn", "conseil à saisir"
        if self.reconvened:
            return "ok", "sans condition de quorum"
        if self.reached is None:
            return "warn", "présences à compléter"
        return ("ok", "quorum atteint") if self.reached else ("error", "quorum non atteint")

    def _counts(self) -> str:
        text = (
            f"{plural(self.present, 'membre présent', 'membres présents')} sur "
            f"{self.in_office} en exercice"
        )
        if self.represented:
            text += f", {plural(self.represented, 'représenté', 'représentés')} par un pouvoir"
        return text

    @property
    def text(self) -> str:
        if self.in_office == 0:
            return "Aucun membre du conseil ne siège à cette date : saisissez d'abord le conseil."
        if self.reconvened:
            return (
                f"Nouvelle convocation faute de quorum : le conseil délibère quel que soit le "
                f"nombre de présents ({self._counts()})."
            )
        if self.reached:
            return f"Quorum atteint : {self._counts()} (il en faut {self.needed})."
        if self.reached is None:
            return (
                f"Présences à compléter : {self._counts()} ; le quorum est de {self.needed} "
                f"présents, {plural(self.unrecorded, 'présence reste', 'présences restent')} à "
                "saisir."
            )
        return (
            f"Quorum non atteint : {self._counts()}, il en fallait {self.needed}. Le conseil "
            "ne pouvait pas délibérer : il est convoqué de nouveau, et délibère alors quel que "
            f"soit le nombre de présents ({RULES})."
        )


def _count(meeting: BoardMeeting, in_office: set[int], rows) -> Quorum:
    presence = {r.board_member_id: r.presence for r in rows if r.board_member_id in in_office}
    values = list(presence.values())
    return Quorum(
        in_office=len(in_office),
        present=values.count(Presence.PRESENT),
        represented=values.count(Presence.PROXY),
        unrecorded=len(in_office) - len(presence),
        reconvened=meeting.reconvened,
    )


def meeting_quorum(
    meeting: BoardMeeting,
    rows: list[MeetingAttendance] | None = None,
    in_office: list[BoardMember] | None = None,
) -> Quorum:
    """The quorum of `meeting`, counted on the members in office on its day. `rows` (its
    attendance) and `in_office` (members_in_office of its day): when the caller has them."""
    if in_office is None:
        in_office = members_in_office(meeting.date)
    rows = list(meeting.attendance.all()) if rows is None else rows
    return _count(meeting, {m.pk for m in in_office}, rows)


def meetings_with_quorum() -> list[tuple[BoardMeeting, Quorum]]:
    """Every séance, latest first, with its quorum: the mandates and their seats read once
    (not once per séance), the presences with the séances."""
    meetings = BoardMeeting.objects.prefetch_related(
        "attendance__board_member", "attendance__proxy_holder"
    )
    mandates = _mandates()
    return [
        (
            meeting,
            meeting_quorum(meeting, meeting.attendance.all(), _board_on(meeting.date, mandates)),
        )
        for meeting in meetings
    ]


@dataclass(frozen=True)
class Attendance:
    """One member's presence as entered: a Presence code, and whom a proxy went to (a pk)."""

    presence: str
    proxy_holder: int | None = None


def attendance_errors(attendance: dict[int, Attendance], names: dict[int, str]) -> dict[int, str]:
    """What is wrong with the proxies of `attendance` (by board member pk), by the pk of the
    member who gave the proxy; `names`: the members' names. A proxy goes from a member
    represented to a member present, who holds one at most (CASF R123-16)."""
    errors: dict[int, str] = {}
    held: dict[int, int] = {}
    for pk, entry in attendance.items():
        holder = entry.proxy_holder
        if entry.presence != Presence.PROXY:
            if holder:
                errors[pk] = (
                    "Seul un membre représenté donne un pouvoir : choisissez « Représenté(e) » "
                    "ou retirez le pouvoir."
                )
            continue
        if not holder:
            errors[pk] = "Indiquez à quel membre présent le pouvoir a été donné."
        elif holder == pk:
            errors[pk] = "Un membre ne peut pas se donner pouvoir à lui-même."
        elif holder not in names:
            errors[pk] = "Le pouvoir est donné à un membre du conseil qui siège à cette date."
        elif attendance.get(holder, Attendance("")).presence != Presence.PRESENT:
            errors[pk] = (
                f"{names[holder]} n'est pas indiqué(e) présent(e) : le pouvoir est donné à un "
                "membre qui assiste à la séance."
            )
        elif holder in held:
            errors[pk] = (
                f"{names[holder]} porte déjà le pouvoir de {names[held[holder]]} : un "
                f"administrateur ne porte qu'un seul pouvoir ({RULES})."
            )
        else:
            held[holder] = pk
    return errors


def convocation_issue(meeting: BoardMeeting) -> str:
    """What is wrong with the convocation's date, in French; "" when nothing is."""
    if meeting.convened_on is None:
        return ""
    days = (meeting.date - meeting.convened_on).days
    if days < 0:
        return "La date de convocation suit la séance."
    if days < CONVOCATION_DAYS:
        sent = "le jour même" if days == 0 else f"{plural(days, 'jour', 'jours')} avant"
        return (
            f"Convocation adressée {sent} : elle doit l'être {CONVOCATION_DAYS} jours au moins "
            f"avant la séance, avec l'ordre du jour ({RULES})."
        )
    return ""


def needs_explanatory_report(member) -> bool:
    """A CCAS of a commune of 3,500 inhabitants or more sends an explanatory report on the
    matters to be decided with each convocation (« dans les villes de 3 500 habitants et
    plus »). The text names towns: a CIAS is left to its own reading."""
    return not member.is_cias and member.commune.population >= EXPLANATORY_REPORT_POPULATION


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int
    meetings: int

    @property
    def label(self) -> str:
        rank = "1er" if self.number == 1 else f"{self.number}e"
        return f"{rank} trimestre {self.year}"

    @property
    def last_day(self) -> date:
        month = self.number * 3
        return date(self.year, month, 31 if month in (3, 12) else 30)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarters_of_year(year: int, meetings: list[BoardMeeting]) -> list[Quarter]:
    counts = [0, 0, 0, 0]
    for meeting in meetings:
        if meeting.date.year == year:
            counts[quarter_of(meeting.date)[1] - 1] += 1
    return [Quarter(year, number, counts[number - 1]) for number in range(1, 5)]


def quarters_shown(meetings: list[BoardMeeting], today: date | None = None) -> list[Quarter]:
    """Last year's quarters and this year's, from the quarter of the first séance recorded here
    on (this year's all, when none is): before it, the platform knows nothing of the board's
    séances."""
    today = today or timezone.localdate()
    quarters = quarters_of_year(today.year - 1, meetings) + quarters_of_year(today.year, meetings)
    first = quarter_of(min(m.date for m in meetings)) if meetings else (today.year, 1)
    return [q for q in quarters if (q.year, q.number) >= first]


def quarters_without_meeting(
    meetings: list[BoardMeeting], today: date | None = None
) -> list[Quarter]:
    """The quarters shown that are over without a séance; none while no séance is recorded
    (the platform would say nothing it knows)."""
    today = today or timezone.localdate()
    if not meetings:
        return []
    return [q for q in quarters_shown(meetings, today) if q.meetings == 0 and q.last_day < today]


def missing_quarters_text(missing: list[Quarter]) -> str:
    if not missing:
        return ""
    return (
        f"Aucune séance enregistrée au {french_list([q.label for q in missing])} : le conseil d'administration tient au moins une "
        f"séance par trimestre ({RULES})."
    )


def last_meeting(today: date | None = None) -> BoardMeeting | None:
    """The latest séance held (today's included)."""
    return BoardMeeting.objects.filter(date__lte=today or timezone.localdate()).first()


def next_meeting(today: date | None = None) -> BoardMeeting | None:
    """The next séance planned."""
    upcoming = BoardMeeting.objects.filter(date__gt=today or timezone.localdate())
    return upcoming.order_by("date", "time").first()


def abs_report_presented(since: date) -> BoardMeeting | None:
    """The first séance since `since` at which the ABS report was presented."""
    return BoardMeeting.objects.filter(abs_report=True, date__gte=since).order_by("date").first()


def meeting_heading(meeting: BoardMeeting) -> str:
    """ "Séance du mardi 10 mars 2026" (« à 18 h 30 » when its time is known)."""
    if meeting.time is None:
        return f"Séance du {long_date(meeting.date)}"
    return f"Séance du {long_date(datetime.combine(meeting.date, meeting.time), time=True)}"

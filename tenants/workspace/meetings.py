"""The board's séances, read against CASF R123-16 to R123-18: who is in office on a séance's
day, whether the quorum was reached, whether the convocation went out in time, which quarters
went without a séance, and when the ABS report was presented. Writes are in services.py, but
for « Envoyer la convocation » (convene_board), which reads the same rules.

The rules, as the code applies them:
- the board holds at least one séance a quarter (quarters_without_meeting);
- the convocation, with the agenda, goes out three days at least before the séance; in a
  commune of 3,500 inhabitants or more, with an explanatory report on the matters to be
  decided (convocation_issue, needs_explanatory_report);
- the board deliberates only when the majority of its members in office attends: a proxy
  (pouvoir) lets an absent member vote but does not count towards the quorum; after a séance
  without it, the board convened again deliberates whatever the number present (Quorum), which
  holds only when the séance recorded before it lacked its quorum (waiver_refused).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from tenants.naming import person_name
from tenants.workspace.compliance import renewal_due, sitting_members
from tenants.workspace.models import (
    BoardMandate,
    BoardMeeting,
    BoardMember,
    ConvocationSending,
    MeetingAttendance,
    Profile,
)
from tenants.workspace.tasks import send_board_convocation
from tenants.workspace.uploads import content_type_for
from union.audit import record_audit
from union.formats import french_list, french_time, long_date, plural
from union.mail import templated_message
from union.task_queue import enqueue_with_transaction

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
    # Convened again after a séance without quorum: deliberates whatever the number present.
    reconvened: bool
    # « Nouvelle convocation faute de quorum » ticked, but the séance recorded before this one
    # did not lack its quorum: why the quorum still applies ("" otherwise).
    waiver_refused: str = ""

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
    def lacked(self) -> bool:
        """Ended without its quorum (every presence entered, too few present, a board in
        office): the next séance, convened again, deliberates whatever the number present."""
        return self.in_office > 0 and self.reached is False

    @property
    def condition(self) -> str:
        """The rule the attendance sheet prints, signed before anyone is counted."""
        if self.reconvened:
            return (
                "nouvelle convocation faute de quorum : le conseil délibère quel que soit le "
                "nombre de présents"
            )
        return (
            f"le conseil délibère valablement si {self.needed} au moins sont présents (un "
            "pouvoir ne compte pas dans ce nombre)"
        )

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
        return f"{self._verdict()} {self.waiver_refused}".strip()

    def _verdict(self) -> str:
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


def _count(meeting: BoardMeeting, in_office: set[int], rows, previous=None) -> Quorum:
    """`previous`: (the séance held last before `meeting`'s day, its Quorum), read only when
    `meeting` says it was convened again (_in_order)."""
    presence = {r.board_member_id: r.presence for r in rows if r.board_member_id in in_office}
    values = list(presence.values())
    waived, refused = meeting.reconvened, ""
    if meeting.reconvened:
        earlier, counted = previous or (None, None)
        waived = counted is not None and counted.lacked
        refused = "" if waived else _waiver_refused(earlier)
    return Quorum(
        in_office=len(in_office),
        present=values.count(Presence.PRESENT),
        represented=values.count(Presence.PROXY),
        unrecorded=len(in_office) - len(presence),
        reconvened=waived,
        waiver_refused=refused,
    )


def _waiver_refused(earlier: BoardMeeting | None) -> str:
    """Why a séance ticked « nouvelle convocation faute de quorum » is counted as any other:
    the board deliberates without quorum only after a first convocation that lacked it."""
    if earlier is None:
        found = "aucune séance précédente n'est enregistrée"
    else:
        found = (
            f"la séance précédente, du {long_date(earlier.date, weekday=False)}, n'est pas "
            "enregistrée sans quorum (toutes ses présences saisies, moins de membres présents "
            "qu'il n'en fallait)"
        )
    return (
        f"« Nouvelle convocation faute de quorum » est cochée, mais {found} : le quorum "
        f"s'applique ({RULES}). Enregistrez les présences de la séance qui n'a pas atteint son "
        "quorum pour que celle-ci délibère sans condition."
    )


def _held_order(meeting: BoardMeeting) -> tuple:
    """The order séances were held in: by day, then time (a séance without one first)."""
    return (meeting.date, meeting.time is not None, meeting.time or time.min, meeting.pk)


def _in_order(meetings, mandates: list[BoardMandate]) -> dict[int, Quorum]:
    """The quorum of each of `meetings` (with their attendance prefetched), counted from the
    oldest: a séance convened again deliberates without quorum when the séance held last
    before its day lacked its own (Quorum.lacked, that séance's waiver, valid or not, counted
    first). Séances of one day are ordered by time, a séance without a time first."""
    chronological = sorted(meetings, key=_held_order)
    counted: dict[int, Quorum] = {}
    previous = None  # (séance, its Quorum) held last before the current day
    last_of_day = None
    for meeting in chronological:
        if last_of_day is not None and last_of_day[0].date < meeting.date:
            previous = last_of_day
        board = {m.pk for m in _board_on(meeting.date, mandates)}
        quorum = _count(meeting, board, meeting.attendance.all(), previous)
        counted[meeting.pk] = quorum
        last_of_day = (meeting, quorum)
    return counted


def meeting_quorum(
    meeting: BoardMeeting,
    rows: list[MeetingAttendance] | None = None,
    in_office: list[BoardMember] | None = None,
) -> Quorum:
    """The quorum of `meeting`, counted on the members in office on its day. `rows` (its
    attendance) and `in_office` (members_in_office of its day): when the caller has them. A
    séance convened again reads the séances before it (_in_order)."""
    if in_office is None:
        in_office = members_in_office(meeting.date)
    rows = list(meeting.attendance.all()) if rows is None else rows
    previous = None
    if meeting.reconvened:
        earlier = list(
            BoardMeeting.objects.filter(date__lt=meeting.date).prefetch_related("attendance")
        )
        counted = _in_order(earlier, _mandates())
        last = max(earlier, key=_held_order, default=None)
        previous = (last, counted[last.pk]) if last else None
    return _count(meeting, {m.pk for m in in_office}, rows, previous)


def meetings_with_quorum() -> list[tuple[BoardMeeting, Quorum]]:
    """Every séance, latest first, with its quorum: the mandates and their seats read once
    (not once per séance), the presences with the séances."""
    meetings = list(
        BoardMeeting.objects.prefetch_related(
            "attendance__board_member", "attendance__proxy_holder"
        )
    )
    counted = _in_order(meetings, _mandates())
    return [(meeting, counted[meeting.pk]) for meeting in meetings]


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
    return f"Séance du {meeting_when(meeting)}"


def expected_end(meeting: BoardMeeting) -> str:
    """ " (fin prévue à 20 h 30)" after meeting_when in the convocations, "" without one."""
    if meeting.time is None or meeting.end_time is None:
        return ""
    return f" (fin prévue à {french_time(meeting.end_time)})"


def meeting_when(meeting: BoardMeeting) -> str:
    """ "mardi 10 mars 2026", and the hour when it is known."""
    if meeting.time is None:
        return long_date(meeting.date)
    return long_date(datetime.combine(meeting.date, meeting.time), time=True)


# --- « Envoyer la convocation » ---------------------------------------------------------------

# What one convocation may carry: mail servers commonly refuse a message above 20 Mo, and the
# attachments grow by a third once encoded.
MAX_CONVOCATION_ATTACHMENTS_BYTES = 10 * 1024 * 1024


PAST_SEANCE = "La séance n'est plus à venir : sa convocation ne peut plus être envoyée."


class ConvocationRefused(Exception):
    """Why the convocation cannot go, in French (the page shows it above the form)."""


@dataclass(frozen=True)
class Convocation:
    """A convocation sent: who receives it by e-mail, who has no address (to convene by other
    means), and whether « convocation adressée le » was filled in with today."""

    convened: list[BoardMember]
    unreachable: list[BoardMember]
    convened_on_set: bool


def convocation_recipients(meeting: BoardMeeting) -> tuple[list[BoardMember], list[BoardMember]]:
    """The members in office on the séance's day (members_in_office): those with an address,
    who receive the convocation, and those without one to convene by other means, to whom the
    letters « sans adresse » go: not the président(e), who convenes."""
    from tenants.workspace import convocation_pdf

    in_office = members_in_office(meeting.date)
    otherwise = convocation_pdf.letter_addressees(in_office, without_address=True)
    return [m for m in in_office if m.email], otherwise


def convocation_reply_to(actor) -> str:
    """Where the board members' answers go: the space's own address (its profile), else the
    address of the person who sends."""
    profile = Profile.objects.filter(singleton=True).first()
    if profile and profile.email:
        return profile.email
    return getattr(actor, "email", "") or ""


def convocation_letters(
    member, meeting: BoardMeeting, actor, *, without_address: bool, postal_addresses: bool = True
) -> bytes:
    """« Convocations à imprimer » (convocation_pdf): a letter to each member in office on the
    séance's day but the président(e), who convenes and signs, or (`without_address`) only to
    those « Envoyer la convocation » cannot reach. The letter says what the last e-mail said
    (its message, the documents it carried). Dated the day it is printed for a séance to come
    (the day it is handed over or posted); for a past séance, the day of the convocation, marked
    as a copy printed today. b"" when there is nobody to write to."""
    from tenants.workspace import convocation_pdf

    in_office = members_in_office(meeting.date)
    president = next((m for m in in_office if m.seat == BoardMember.Seat.PRESIDENT), None)
    addressees = convocation_pdf.letter_addressees(in_office, without_address=without_address)
    if not addressees:
        return b""
    today = timezone.localdate()
    last_sending = meeting.convocation_sendings.filter(paper_date__isnull=True).first()
    head = convocation_pdf.letterhead(
        member,
        Profile.objects.filter(singleton=True).first(),
        convocation_reply_to(actor),
        president,
        needs_explanatory_report(member) and bool(meeting.agenda_items),
    )
    return convocation_pdf.letters_pdf(
        head,
        meeting,
        meeting_when(meeting),
        addressees,
        dated=today if meeting.upcoming else meeting.convened_on,
        copy_of_past=today if not meeting.upcoming else None,
        message=last_sending.message if last_sending else "",
        documents=last_sending.documents if last_sending else [],
        postal_addresses=postal_addresses,
    )


def convocation_subject(member, meeting: BoardMeeting) -> str:
    return f"Convocation au conseil d'administration du {member.name} – {meeting_heading(meeting)}"


def convocation_context(member, meeting: BoardMeeting, message: str, reply_to: str) -> dict:
    """What the e-mail's templates (and the confirmation page's preview) are given."""
    return {
        "member_name": member.name,
        "heading": meeting_heading(meeting),
        "when": meeting_when(meeting),
        "until": expected_end(meeting),
        "meeting": meeting,
        "agenda": meeting.agenda_items,
        "message": message.strip(),
        "reply_to": reply_to,
        "explanatory_report": needs_explanatory_report(member),
    }


def missing_in_convocation(meeting: BoardMeeting) -> list[str]:
    """What the convocation would lack (the e-mail says « à venir », « à préciser »): the
    agenda, which R123-16 requires with it, and the place. Warned, not refused: a director
    may have her reasons, and sends again once it is complete."""
    missing = []
    if not meeting.agenda_items:
        missing.append(
            "L'ordre du jour est vide : la convocation doit le comporter. Complétez la séance "
            "avant d'envoyer."
        )
    if not meeting.place.strip():
        missing.append("Le lieu de la séance n'est pas saisi : le courriel dira « à préciser ».")
    return missing


def late_convocation_warning(meeting: BoardMeeting, today: date | None = None) -> str:
    """What convocation_issue would say of a convocation sent today: "" when the séance is
    CONVOCATION_DAYS days away or more."""
    today = today or timezone.localdate()
    return convocation_issue(BoardMeeting(date=meeting.date, convened_on=today))


def convene_board(
    member,
    meeting: BoardMeeting,
    *,
    message: str = "",
    documents=(),
    again: bool = False,
    actor=None,
) -> Convocation:
    """« Envoyer la convocation »: one e-mail to each member in office with an address, through
    the task queue (tasks.send_board_convocation, with the commit); « convocation adressée le »
    set to today when empty; the sending dated and noted in the member's journal. Refused
    (ConvocationRefused) for a séance not to come, a board without any address, or a second
    sending not confirmed (`again`)."""
    with transaction.atomic():
        # Locked: two colleagues sending at the same moment do not both pass the check below.
        meeting = BoardMeeting.objects.select_for_update().get(pk=meeting.pk)
        today = timezone.localdate()
        if meeting.date <= today:
            raise ConvocationRefused(PAST_SEANCE)
        if meeting.convocation_sent_at and not again:
            raise ConvocationRefused(
                f"La convocation a déjà été envoyée le {sent_on(meeting)} : cochez "
                "« Envoyer de nouveau » pour l'envoyer une seconde fois."
            )
        convened, unreachable = convocation_recipients(meeting)
        if not convened:
            raise ConvocationRefused(
                "Aucun membre en exercice n'a d'adresse électronique : saisissez-les sur la "
                "page du conseil, ou convoquez les membres par un autre moyen."
            )
        # « Convocation adressée le » is the day the last member was first convened (the three
        # days' check reads it; a paper convocation moves it the same way): today, when this
        # e-mail reaches a member whom a recorded earlier sending did not (letters posted the
        # week before to the others do not make it lawful), or when the date was empty or
        # planned later. A date typed with no sending recorded is the director's word.
        already = _already_convened(meeting)
        # The président(e) convenes (no letter is written to her): not someone convened late.
        newly = bool(already) and any(
            m.full_name not in already for m in convened if m.seat != BoardMember.Seat.PRESIDENT
        )
        convened_on_set = (
            meeting.convened_on is None
            or meeting.convened_on > today
            or (newly and meeting.convened_on < today)
        )
        if convened_on_set:
            meeting.convened_on = today
        meeting.convocation_sent_at = timezone.now()
        meeting.save(update_fields=["convened_on", "convocation_sent_at"])
        # Kept on the séance too, for every sending: the page shows what a director may have to
        # prove (a deliberation contested), the journal keeps the same as the action's trace.
        ConvocationSending.objects.create(
            meeting=meeting,
            sent_at=meeting.convocation_sent_at,
            sent_by=person_name(actor) if actor else "",
            message=message.strip(),
            convened=[{"name": m.full_name, "email": m.email} for m in convened],
            to_convene_otherwise=[m.full_name for m in unreachable],
            documents=[document.title for document in documents],
        )
        record_audit(
            "board.meeting_convened",
            actor=actor,
            member=member,
            target=f"{meeting} ({plural(len(convened), 'membre convoqué', 'membres convoqués')} "
            "par courriel)",
            # What a director may have to show: who was convened, who was not, what was sent.
            # Kept whole in the member's journal; the union's trail keeps only the action.
            convened=[f"{m.full_name} <{m.email}>" for m in convened],
            to_convene_otherwise=[m.full_name for m in unreachable],
            message=message.strip(),
            documents=[document.title for document in documents],
        )
        enqueue_with_transaction(
            send_board_convocation,
            member.pk,
            meeting.pk,
            [m.pk for m in convened],
            message.strip(),
            [document.pk for document in documents],
            convocation_reply_to(actor),
        )
    return Convocation(convened, unreachable, convened_on_set)


def _already_convened(meeting: BoardMeeting) -> set[str]:
    """The names of the members an earlier sending convened, by e-mail or on paper."""
    names = set()
    for sending in meeting.convocation_sendings.all():
        names.update(entry["name"] for entry in sending.convened)
        names.update(sending.on_paper)
    return names


def record_paper_convocation(
    member, meeting: BoardMeeting, *, day: date, convened: list[BoardMember], actor=None
) -> ConvocationSending:
    """« Noter la convocation papier »: the letters (convocation_letters) handed or posted to
    `convened` on `day`, kept on the séance beside the e-mails (what a director shows when a
    deliberation is contested) and in the member's journal. « Convocation adressée le » is the
    day the last member was convened: a paper convocation later than it moves it, so that the
    three days' check (convocation_issue) reads the latest one."""
    if not convened:
        raise ConvocationRefused("Cochez au moins un membre convoqué sur papier.")
    if day > timezone.localdate():
        raise ConvocationRefused("La date de remise ou d'envoi ne peut pas être à venir.")
    if day > meeting.date:
        raise ConvocationRefused("La date de remise ou d'envoi suit la séance.")
    with transaction.atomic():
        meeting = BoardMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.convened_on is None or meeting.convened_on < day:
            meeting.convened_on = day
            meeting.save(update_fields=["convened_on"])
        names = [m.full_name for m in convened]
        sending = ConvocationSending.objects.create(
            meeting=meeting,
            sent_by=person_name(actor) if actor else "",
            on_paper=names,
            paper_date=day,
        )
        record_audit(
            "board.meeting_paper_convened",
            actor=actor,
            member=member,
            target=f"{meeting} ({plural(len(names), 'membre convoqué', 'membres convoqués')} "
            "sur papier)",
            on_paper=names,
            day=day.isoformat(),
        )
    return sending


def sent_on(meeting: BoardMeeting) -> str:
    """ "mardi 6 octobre 2026 à 9 h 30": when the convocation was last sent."""
    return long_date(meeting.convocation_sent_at, time=True) if meeting.convocation_sent_at else ""


# A séance without an end time (BoardMeeting.end_time): the calendar's event lasts this long,
# for the time to show as taken.
CALENDAR_EVENT_LENGTH = timedelta(hours=2)


def convocation_ics(member, meeting: BoardMeeting, reply_to: str) -> bytes:
    """The séance as a calendar event (.ics), under one UID per séance so that a convocation
    sent again updates the event a calendar already holds (SEQUENCE: seminars.ics.sequence_at,
    the issue's moment)."""
    from icalendar import Calendar, Event

    from seminars.ics import sequence_at

    calendar = Calendar()
    calendar.add("prodid", "-//Maillage//Conseil d'administration//FR")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"seance-{member.slug}-{meeting.pk}@{settings.PLATFORM_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence_at(timezone.now()))
    if meeting.time is None:
        event.add("dtstart", meeting.date)  # a whole day: the hour is not known yet
    else:
        # In UTC, as the events' files (seminars.ics): a TZID needs its VTIMEZONE, which
        # Outlook requires and a zone named by TIME_ZONE may not have in every calendar.
        def on_the_day(clock):
            return timezone.make_aware(datetime.combine(meeting.date, clock)).astimezone(UTC)

        start = on_the_day(meeting.time)
        end = on_the_day(meeting.end_time) if meeting.end_time else start + CALENDAR_EVENT_LENGTH
        event.add("dtstart", start)
        event.add("dtend", end)
    event.add("summary", f"Conseil d'administration du {member.name}")
    if meeting.place:
        event.add("location", meeting.place)
    items = meeting.agenda_items
    if items:
        event.add("description", "Ordre du jour :\n" + "\n".join(f"- {i}" for i in items))
    if reply_to:
        event.add("organizer", f"mailto:{reply_to}")
    calendar.add_component(event)
    return calendar.to_ical()


@dataclass(frozen=True)
class ConvocationFiles:
    """What every member's convocation carries, read once for all of them: the documents'
    titles (the e-mail lists them) and the attachments, the séance's .ics first."""

    titles: list[str]
    attachments: list[tuple[str, bytes, str]]


def convocation_files(member, meeting: BoardMeeting, documents, reply_to: str) -> ConvocationFiles:
    """The séance as .ics and the documents chosen, each file read once. A document whose file
    went missing since it was chosen (ConvocationForm refuses it then) is left out, never a
    convocation that does not go."""
    kept = [document for document in documents if document.file_size is not None]
    attachments = [("seance.ics", convocation_ics(member, meeting, reply_to), "text/calendar")]
    for document in kept:
        with document.file.open("rb") as stored:
            attachments.append(
                (document.download_name, stored.read(), content_type_for(document.file.name))
            )
    return ConvocationFiles([document.title for document in kept], attachments)


def convocation_message(
    member,
    meeting: BoardMeeting,
    board_member: BoardMember,
    *,
    message: str,
    files: ConvocationFiles,
    reply_to: str,
) -> EmailMultiAlternatives:
    """One board member's convocation: text and HTML (the platform's e-mail frame) with
    `files` attached; to this member alone (the others' addresses are not shown)."""
    email = templated_message(
        convocation_subject(member, meeting),
        "workspace/email/convocation",
        {
            **convocation_context(member, meeting, message, reply_to),
            "board_member": board_member,
            "documents": files.titles,
        },
        [board_member.email],
        reply_to=[reply_to] if reply_to else [],
    )
    for attachment in files.attachments:
        email.attach(*attachment)
    return email

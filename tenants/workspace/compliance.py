"""The board (conseil d'administration) checked against the law: one function per rule.

CASF L123-6: the maire presides; élus and nommés in equal numbers; among the nommés, one
representative of each of four kinds of association; the board elects a vice-président.
CASF R123-7: at most 8 élus and 8 nommés, at least 4 of each.
CASF R123-10: after each general municipal election, a new board within two months of the
municipal council's installation (MUNICIPAL_ELECTIONS, renewal_due).
A CIAS follows the same rules, the président of the EPCI standing for the maire and its
deliberative body (conseil communautaire…) for the conseil municipal (CASF R123-27): every
French text here names them through BoardAuthorities.
"""

import calendar
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from tenants.models import Intercommunality, MemberCCAS
from tenants.workspace.models import BoardMandate, BoardMember
from union.formats import long_date, plural

Seat = BoardMember.Seat
Category = BoardMember.Category
MIN_PER_GROUP = 4
MAX_PER_GROUP = 8
REQUIRED_CATEGORIES = (Category.FAMILY, Category.INCLUSION, Category.ELDERLY, Category.DISABILITY)


@dataclass(frozen=True)
class BoardAuthorities:
    """Who presides the board and appoints its nommés, and which council elects its élus: the
    maire and the conseil municipal of a CCAS (CASF L123-6); for a CIAS, the président of the
    EPCI and the EPCI's deliberative body, put in their place (CASF R123-27). Nouns without
    article (all masculine: « le … », « du … »)."""

    president: str = "maire"
    council: str = "conseil municipal"
    cias: bool = False

    @property
    def seat_labels(self) -> dict[str, str]:
        """What each seat is called on the board page, its forms and its warnings: the model's
        own labels (BoardMember.Seat) for a CCAS, the EPCI's authorities for a CIAS."""
        president = "président(e) de l'EPCI" if self.cias else self.president
        return {
            Seat.PRESIDENT: f"Président(e) de droit ({president})",
            Seat.ELECTED: f"Élu(e) du {self.council}",
            Seat.APPOINTED: f"Nommé(e) par le {self.president}",
        }

    @property
    def renewal_rule(self) -> str:
        """Who renews the board after the municipal elections (« Renouveler le conseil »)."""
        if self.cias:
            return (
                f"Après les élections municipales, le {self.council}, renouvelé avec les "
                f"conseils municipaux, élit ses représentants et le {self.president} nomme les "
                "autres membres (CASF R123-10, R123-11 et R123-27)."
            )
        return (
            f"Après les élections municipales, le {self.council} élit ses représentants et le "
            f"{self.president} nomme les autres membres (CASF R123-10 et R123-11)."
        )


CCAS_AUTHORITIES = BoardAuthorities()
# The deliberative body of the intercommunality, by its kind: a conseil communautaire for a
# communauté (CC, CA, CU), the conseil de la métropole, the conseil de territoire of an EPT of
# the Métropole du Grand Paris (CGCT L5219-2).
CIAS_COUNCILS = {
    Intercommunality.Kind.METRO: "conseil de la métropole",
    Intercommunality.Kind.MET69: "conseil de la métropole",
    Intercommunality.Kind.EPT: "conseil de territoire",
}
CIAS_COUNCIL = "conseil communautaire"


def board_authorities(member: MemberCCAS | None = None) -> BoardAuthorities:
    """The authorities of `member`'s board; by default of the member whose schema is in use
    (the pages and the API run on its host; a test or a command under schema_context has only
    the schema's name)."""
    if member is None:
        member = getattr(connection, "tenant", None)
        if not isinstance(member, MemberCCAS):
            member = (
                MemberCCAS.objects.filter(schema_name=connection.schema_name)
                .select_related("intercommunality")
                .first()
            )
    if member is None or member.kind != MemberCCAS.Kind.CIAS:
        return CCAS_AUTHORITIES
    grouping = member.intercommunality
    council = CIAS_COUNCILS.get(grouping.kind, CIAS_COUNCIL) if grouping else CIAS_COUNCIL
    return BoardAuthorities("président de l'EPCI", council, cias=True)


def seat_label(seat: str, authorities: BoardAuthorities | None = None) -> str:
    """The label of a seat code (« president »…) on the board of the member whose schema is in
    use, unless `authorities` says whose board it is. An unknown code is shown as stored."""
    authorities = authorities or board_authorities()
    return authorities.seat_labels.get(seat, seat)


def in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter in lower case only (« président(e) de
    l'EPCI », not « de l'epci »)."""
    return label[:1].lower() + label[1:]


def seat_choices(authorities: BoardAuthorities | None = None) -> list[tuple[str, str]]:
    """(code, label) of each seat, in the model's order, for a form's list."""
    labels = (authorities or board_authorities()).seat_labels
    return [(code, labels[code]) for code in Seat.values]


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    article: str
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Compliance:
    rules: list[RuleResult]

    @property
    def compliant(self) -> bool:
        return all(rule.ok for rule in self.rules)

    @property
    def failures(self) -> list[RuleResult]:
        return [rule for rule in self.rules if not rule.ok]

    def as_dict(self) -> dict:
        return {"compliant": self.compliant, "rules": [rule.as_dict() for rule in self.rules]}


def _of_seat(members: Iterable[BoardMember], seat: str) -> list[BoardMember]:
    return [m for m in members if m.seat == seat]


def _names(members: Iterable[BoardMember]) -> str:
    return ", ".join(m.full_name for m in members)


def check_president(
    members: list[BoardMember], authorities: BoardAuthorities = CCAS_AUTHORITIES
) -> RuleResult:
    president = authorities.president
    presidents = _of_seat(members, Seat.PRESIDENT)
    if len(presidents) == 1:
        detail = f"Présidence de droit : {presidents[0].full_name}."
    elif not presidents:
        detail = f"Aucun président de droit : le {president} préside le conseil d'administration."
    else:
        detail = (
            f"{len(presidents)} présidents de droit ({_names(presidents)}) : un seul, "
            f"le {president}."
        )
    return RuleResult(
        "president",
        f"Le {president} préside le conseil d'administration",
        "CASF L123-6",
        len(presidents) == 1,
        detail,
    )


def check_parity(members: list[BoardMember], authorities=CCAS_AUTHORITIES) -> RuleResult:
    elected = len(_of_seat(members, Seat.ELECTED))
    appointed = len(_of_seat(members, Seat.APPOINTED))
    ok = elected == appointed
    detail = f"{plural(elected, 'élu', 'élus')} et {plural(appointed, 'nommé', 'nommés')}."
    if not ok:
        detail += " Ils doivent être en nombre égal."
    return RuleResult(
        "parity", "Autant de membres élus que de membres nommés", "CASF L123-6", ok, detail
    )


def check_group_sizes(members: list[BoardMember], authorities=CCAS_AUTHORITIES) -> RuleResult:
    problems = []
    for seat, word in ((Seat.ELECTED, "élu"), (Seat.APPOINTED, "nommé")):
        count = len(_of_seat(members, seat))
        if not MIN_PER_GROUP <= count <= MAX_PER_GROUP:
            problems.append(plural(count, word, f"{word}s"))
    ok = not problems
    detail = (
        "Chaque groupe compte entre 4 et 8 membres."
        if ok
        else f"{' et '.join(problems)} : chaque groupe doit compter entre 4 et 8 membres."
    )
    return RuleResult(
        "group_sizes", "Entre 4 et 8 élus et entre 4 et 8 nommés", "CASF R123-7", ok, detail
    )


def check_associations(members: list[BoardMember], authorities=CCAS_AUTHORITIES) -> RuleResult:
    present = {m.category for m in _of_seat(members, Seat.APPOINTED)}
    missing = [Category(c).label for c in REQUIRED_CATEGORIES if c not in present]
    ok = not missing
    detail = (
        "Les quatre catégories d'associations sont représentées parmi les nommés."
        if ok
        else ("Catégorie absente" if len(missing) == 1 else "Catégories absentes")
        + " parmi les nommés : "
        + " ; ".join(missing)
        + "."
    )
    return RuleResult(
        "associations",
        "Parmi les nommés, un représentant de chacune des quatre catégories d'associations "
        "(familiales, insertion, retraités et personnes âgées, personnes handicapées)",
        "CASF L123-6",
        ok,
        detail,
    )


def check_vice_president(members: list[BoardMember], authorities=CCAS_AUTHORITIES) -> RuleResult:
    vice = [m for m in members if m.is_vice_president]
    if len(vice) == 1 and vice[0].seat == Seat.PRESIDENT:
        ok, detail = False, "Le président de droit ne peut pas être aussi vice-président."
    elif len(vice) == 1:
        ok, detail = True, f"Vice-présidence : {vice[0].full_name}."
    elif not vice:
        ok, detail = False, "Aucun vice-président élu par le conseil d'administration."
    else:
        ok, detail = False, f"{len(vice)} vice-présidents ({_names(vice)}) : un seul."
    return RuleResult(
        "vice_president",
        "Un vice-président élu par le conseil en son sein",
        "CASF L123-6",
        ok,
        detail,
    )


# Each rule takes the sitting members and the board's authorities (the texts naming them).
RULES: list[Callable[[list[BoardMember], BoardAuthorities], RuleResult]] = [
    check_president,
    check_parity,
    check_group_sizes,
    check_associations,
    check_vice_president,
]


def check_board(
    members: Iterable[BoardMember], authorities: BoardAuthorities | None = None
) -> Compliance:
    """Run every rule over the given sitting members (of the member whose schema is in use,
    unless `authorities` says whose board it is)."""
    members = list(members)
    authorities = authorities or board_authorities()
    return Compliance([rule(members, authorities) for rule in RULES])


def current_mandate() -> BoardMandate | None:
    """The latest mandate that has started; else the earliest planned one.

    Mandates do not overlap (services.mandate_errors refuses it), so the latest started is the
    one running today, or the last one if the board is between two. Mandates saved before
    that rule may still overlap or share a start: the newest entry wins a tie, so that every
    page shows the same board."""
    today = timezone.localdate()
    started = BoardMandate.objects.filter(start__lte=today).order_by("-start", "-pk").first()
    return started or BoardMandate.objects.order_by("start", "pk").first()


def reference_day(mandate: BoardMandate) -> date:
    """Today for the running mandate; its last day for a past one; its first for a future one."""
    today = timezone.localdate()
    if mandate.end and mandate.end < today:
        return mandate.end
    return max(today, mandate.start)


def sitting_members(
    mandate: BoardMandate, day: date | None = None, members: list[BoardMember] | None = None
) -> list[BoardMember]:
    """Who sits on `day` (the reference day by default). Pass `members` (the mandate's seats,
    already fetched) so that a page showing the board, its compliance and its terms reads the
    seats once instead of once per question."""
    day = day or reference_day(mandate)
    seats = mandate.members.all() if members is None else members
    return [m for m in seats if m.sits_on(day)]


def mandate_compliance(
    mandate: BoardMandate | None,
    members: list[BoardMember] | None = None,
    member: MemberCCAS | None = None,
) -> Compliance:
    """Compliance of a mandate's board as it sits on its reference day (no mandate: all fail).
    `member`: whose board it is, by default the member whose schema is in use."""
    authorities = board_authorities(member)
    if mandate is None:
        return check_board([], authorities)
    return check_board(sitting_members(mandate, members=members), authorities)


# --- Municipal elections --------------------------------------------------------------------


@dataclass(frozen=True)
class MunicipalElection:
    """A general election of the conseils municipaux (renouvellement général), by its rounds."""

    first_round: date
    last_round: date

    @property
    def year(self) -> int:
        return self.first_round.year

    @property
    def rounds(self) -> str:
        """ "des 15 et 22 mars 2026", "des 15 mars et 28 juin 2020"."""
        day, month, _year = long_date(self.first_round, weekday=False).split()
        last = long_date(self.last_round, weekday=False)
        if self.first_round.month == self.last_round.month:
            return f"des {day} et {last}"
        return f"des {day} {month} et {last}"

    @property
    def installed_by(self) -> date:
        """The latest day a council elected at this election met for the first time: the Sunday
        after the round that completed it (CGCT L2121-7; rounds are held on Sundays)."""
        return self.last_round + timedelta(days=7)

    @property
    def board_due(self) -> date:
        """The latest day for the new board: two months after the municipal council's
        installation (CASF R123-10), counted from the latest installation possible."""
        return add_months(self.installed_by, BOARD_RENEWAL_MONTHS)


# General municipal elections in metropolitan France, from the decrees convening the voters
# (ministère de l'Intérieur, résultats des élections municipales). Conseillers municipaux are
# elected for six years (code électoral L227). 2020: the second round, due on 22 March, was
# postponed to 28 June by the Covid-19 epidemic (loi 2020-290 of 23 March 2020). Add the next
# election when its decree is published (about a year ahead).
MUNICIPAL_ELECTIONS: tuple[MunicipalElection, ...] = (
    MunicipalElection(date(2008, 3, 9), date(2008, 3, 16)),
    MunicipalElection(date(2014, 3, 23), date(2014, 3, 30)),
    MunicipalElection(date(2020, 3, 15), date(2020, 6, 28)),
    MunicipalElection(date(2026, 3, 15), date(2026, 3, 22)),
)
NEXT_MUNICIPAL_ELECTION_YEAR = 2032  # expected in March, six years after 2026; dates not set yet
# CASF R123-10: once renewed, the conseil municipal elects its members of the CCAS board within
# two months (and the maire appoints the others, R123-11).
BOARD_RENEWAL_MONTHS = 2


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def last_municipal_election(today: date | None = None) -> MunicipalElection | None:
    """The latest general municipal election whose first round has taken place."""
    today = today or timezone.localdate()
    held = [e for e in MUNICIPAL_ELECTIONS if e.first_round <= today]
    return held[-1] if held else None


def next_mandate_label(today: date | None = None) -> str:
    """ "2026-2032": the usual label of a board installed after the last municipal election
    (the years of the municipal term)."""
    election = last_municipal_election(today)
    if election is None:
        return ""
    later = [e.year for e in MUNICIPAL_ELECTIONS if e.year > election.year]
    return f"{election.year}-{later[0] if later else NEXT_MUNICIPAL_ELECTION_YEAR}"


def abs_due_after(today: date | None = None) -> MunicipalElection | None:
    """The election after which the ABS report is due (CASF R123-1: presented to the board
    « au cours de l'année civile qui suit chaque renouvellement général des conseils
     municipaux »), from the election until the end of that following calendar year."""
    today = today or timezone.localdate()
    election = last_municipal_election(today)
    if election is None or today.year > election.last_round.year + 1:
        return None
    return election


@dataclass(frozen=True)
class AbsReportDue:
    """The ABS report every CCAS and CIAS presents to its board in the calendar year after the
    municipal elections, whatever the state of its board: a board renewed on time owes it too.
    `presented_on`: the séance, since the elections, at which the board heard it (the séances'
    « rapport d'ABS présenté »), once entered."""

    election: MunicipalElection
    presented_on: date | None = None

    @property
    def year(self) -> int:
        return self.election.last_round.year + 1

    @property
    def text(self) -> str:
        if self.presented_on:
            return (
                "Le rapport d'analyse des besoins sociaux qui suit les élections municipales "
                f"{self.election.rounds} a été présenté au conseil d'administration le "
                f"{long_date(self.presented_on, weekday=False)} (CASF R123-1)."
            )
        return (
            "Le rapport d'analyse des besoins sociaux est présenté au conseil d'administration "
            f"au cours de {self.year}, l'année civile qui suit les élections municipales "
            f"{self.election.rounds} (CASF R123-1) ; les années suivantes, des analyses "
            "complémentaires, notamment thématiques, peuvent l'être lors du débat d'orientation "
            "budgétaire ou du vote du budget."
        )


def abs_report_due(today: date | None = None) -> AbsReportDue | None:
    election = abs_due_after(today)
    if election is None:
        return None
    if connection.schema_name == get_public_schema_name():
        return AbsReportDue(election)  # the rule itself: no member's séances to read
    # The séances are read here, not imported at the top: meetings.py reads this module.
    from tenants.workspace.meetings import abs_report_presented

    meeting = abs_report_presented(since=election.first_round)
    return AbsReportDue(election, meeting.date if meeting else None)


# CGCT L5211-8: after the general renewal of the conseils municipaux, an EPCI's deliberative
# body meets at the latest on the Friday of the fourth week after the maires' election, which
# is at the latest on the Sunday after the last round (MunicipalElection.installed_by): 26 days
# later. A CIAS's élus are elected by that body (CASF R123-27), so its two months start then.
EPCI_INSTALLATION_DAYS = 26


@dataclass(frozen=True)
class RenewalDue:
    """The latest board began before the last general municipal election: the conseil
    municipal must elect, and the maire appoint, a new one (CASF R123-10); for a CIAS, the
    EPCI's council and its président, once that council is installed (R123-27).

    The texts the renewal alert shows (workspace/_term_warnings.html) are built here, so that
    a CIAS is not told about « le maire » and « le conseil municipal »."""

    election: MunicipalElection
    today: date
    authorities: BoardAuthorities = CCAS_AUTHORITIES

    @property
    def installed_by(self) -> date:
        """The latest day the council that elects the élus is installed."""
        if self.authorities.cias:
            return self.election.installed_by + timedelta(days=EPCI_INSTALLATION_DAYS)
        return self.election.installed_by

    @property
    def due(self) -> date:
        return add_months(self.installed_by, BOARD_RENEWAL_MONTHS)

    @property
    def rule(self) -> str:
        """Who elects and appoints the new board, and within what time, without the date."""
        president, council = self.authorities.president, self.authorities.council
        if self.authorities.cias:
            return (
                "Après chaque renouvellement général des conseils municipaux, le "
                f"{council}, renouvelé avec eux, élit ses représentants au conseil "
                f"d'administration et le {president} nomme les autres membres, dans les deux "
                f"mois suivant l'installation du {council} (CASF R123-10 et R123-27)"
            )
        return (
            f"Après chaque renouvellement du {council}, celui-ci élit ses représentants au "
            f"conseil d'administration et le {president} nomme les autres membres, dans les "
            f"deux mois suivant l'installation du {council} (CASF R123-10)"
        )

    @property
    def deadline(self) -> str:
        """ "Après … (CASF R123-10) : au plus tard le 29 mai 2026 pour un conseil municipal
        installé le 29 mars 2026, dernier jour possible." """
        installed = "installé le " + long_date(self.installed_by, weekday=False)
        if self.authorities.cias:
            installed += " (CGCT L5211-8)"
        return (
            f"{self.rule} : au plus tard le {long_date(self.due, weekday=False)} pour un "
            f"{self.authorities.council} {installed}, dernier jour possible."
        )

    @property
    def presidency_changed(self) -> str:
        """The dashboard's short reminder."""
        return f"Le {self.authorities.president}, président de droit, a pu changer."

    @property
    def presidency_check(self) -> str:
        return (
            f"Le {self.authorities.president}, président de droit, a pu changer avec les "
            "élections : vérifiez la présidence."
        )

    @property
    def overdue(self) -> bool:
        return self.today > self.due

    @property
    def when(self) -> str:
        return "" if self.overdue else in_days((self.due - self.today).days)


def renewal_due(
    mandate: BoardMandate | None,
    today: date | None = None,
    member: MemberCCAS | None = None,
) -> RenewalDue | None:
    """Whether `mandate`, the latest board entered, began before the last general municipal
    election and so must be renewed. Nothing once a later mandate is entered (even one that
    has not started yet: the renewal is planned), nor for a past mandate followed by another.
    `member`: whose board it is, by default the member whose schema is in use."""
    today = today or timezone.localdate()
    election = last_municipal_election(today)
    if mandate is None or election is None or mandate.start >= election.first_round:
        return None
    # Compared with the first round: in 2020 boards were renewed between the two rounds.
    if BoardMandate.objects.filter(start__gt=mandate.start).exists():
        return None
    return RenewalDue(election, today, board_authorities(member))


def is_past(mandate: BoardMandate, today: date | None = None) -> bool:
    """An ended mandate: the board's history."""
    return mandate.end is not None and mandate.end < (today or timezone.localdate())


# --- Terms ending soon -----------------------------------------------------------------------

# How far ahead a director is warned: a seat needs a replacement chosen (a council vote, an
# association asked for a name), a mandate a new board after the municipal elections.
SEAT_NOTICE_DAYS = 90
MANDATE_NOTICE_DAYS = 180


def in_days(days: int) -> str:
    if days == 0:
        return "aujourd'hui"
    if days == 1:
        return "demain"
    return f"dans {days} jours"


@dataclass(frozen=True)
class EndingSeat:
    member: BoardMember
    days_left: int
    # The seat's name on this member's board (BoardAuthorities.seat_labels), as said inside a
    # sentence (in_sentence).
    seat_label: str = ""

    @property
    def when(self) -> str:
        return in_days(self.days_left)


@dataclass(frozen=True)
class TermWarnings:
    """What ends soon on the running board, and whether the board stays lawful without it."""

    seats: list[EndingSeat] = field(default_factory=list)
    mandate_days_left: int | None = None
    breaks_compliance: bool = False
    renewal: RenewalDue | None = None

    @property
    def mandate_when(self) -> str:
        return "" if self.mandate_days_left is None else in_days(self.mandate_days_left)

    def __bool__(self) -> bool:
        return bool(self.seats) or self.mandate_days_left is not None or self.renewal is not None


def term_warnings(
    mandate: BoardMandate | None,
    today: date | None = None,
    members: list[BoardMember] | None = None,
    member: MemberCCAS | None = None,
) -> TermWarnings:
    """Seats of the running mandate whose end date falls within SEAT_NOTICE_DAYS, the mandate's
    own end within MANDATE_NOTICE_DAYS, and whether the board, compliant today, would no longer
    be once those seats are empty; and, for the latest mandate (running or ended without a
    successor), whether it predates the last municipal election (renewal_due). Nothing for a
    future mandate, nor for a past one followed by another. `members`: the mandate's seats if
    the caller already has them; `member`: whose board it is (by default the member whose schema
    is in use)."""
    today = today or timezone.localdate()
    if mandate is None or mandate.start > today:
        return TermWarnings()
    authorities = board_authorities(member)
    renewal = renewal_due(mandate, today, member)
    if mandate.end and mandate.end < today:
        return TermWarnings(renewal=renewal)
    if members is None:
        members = list(mandate.members.all())
    sitting = sitting_members(mandate, today, members)
    seats = [
        EndingSeat(m, (m.end - today).days, in_sentence(seat_label(m.seat, authorities)))
        for m in sorted(sitting, key=lambda m: (m.end or date.max, m.last_name))
        if m.end and m.end <= today + timedelta(days=SEAT_NOTICE_DAYS)
    ]
    mandate_days = None
    if mandate.end and mandate.end <= today + timedelta(days=MANDATE_NOTICE_DAYS):
        mandate_days = (mandate.end - today).days
    # The board the day after the last of these seats ends, successors already entered included.
    staying = (
        sitting_members(
            mandate, max(seat.member.end for seat in seats) + timedelta(days=1), members
        )
        if seats
        else sitting
    )
    breaks = (
        bool(seats)
        and check_board(sitting, authorities).compliant
        and not check_board(staying, authorities).compliant
    )
    return TermWarnings(seats, mandate_days, breaks, renewal)


# --- The board's status, as badges ------------------------------------------------------------


@dataclass(frozen=True)
class StatusBadge:
    text: str
    style: str  # the badge's modifier: "ok", "warn" or "error"


def board_status(
    compliance: Compliance, renewal: RenewalDue | None, *, counted: bool = False
) -> list[StatusBadge]:
    """The board's status as the dashboard and the board page show it. « Conforme » alone only
    when no renewal is due: a board that should have been replaced after the municipal elections
    is not in order, whatever its composition (« Composition conforme – conseil à renouveler,
    délai dépassé »). `counted`: a non-compliant board says how many points fail (the dashboard,
    which lists them) rather than « Non conforme » (the board page's checklist says which)."""
    if renewal is None:
        if compliance.compliant:
            return [StatusBadge("Conforme", "ok")]
        return [_failures_badge(compliance, counted)]
    due = "conseil à renouveler" + (", délai dépassé" if renewal.overdue else "")
    if compliance.compliant:
        return [StatusBadge(f"Composition conforme – {due}", "warn")]
    return [_failures_badge(compliance, counted), StatusBadge(due[0].upper() + due[1:], "warn")]


def _failures_badge(compliance: Compliance, counted: bool) -> StatusBadge:
    if not counted:
        return StatusBadge("Non conforme", "error")
    count = len(compliance.failures)
    return StatusBadge(f"{count} point{'s' if count > 1 else ''} à corriger", "error")

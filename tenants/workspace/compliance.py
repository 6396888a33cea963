"""The board (conseil d'administration) checked against the law: one function per rule.

CASF L123-6: the maire presides; élus and nommés in equal numbers; among the nommés, one
representative of each of four kinds of association; the board elects a vice-président.
CASF R123-7: at most 8 élus and 8 nommés, at least 4 of each.
"""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from tenants.workspace.models import BoardMandate, BoardMember

Seat = BoardMember.Seat
Category = BoardMember.Category
MIN_PER_GROUP = 4
MAX_PER_GROUP = 8
REQUIRED_CATEGORIES = (Category.FAMILY, Category.INCLUSION, Category.ELDERLY, Category.DISABILITY)


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


def check_president(members: list[BoardMember]) -> RuleResult:
    presidents = _of_seat(members, Seat.PRESIDENT)
    if len(presidents) == 1:
        detail = f"Présidence de droit : {presidents[0].full_name}."
    elif not presidents:
        detail = "Aucun président de droit : le maire préside le conseil d'administration."
    else:
        detail = (
            f"{len(presidents)} présidents de droit ({_names(presidents)}) : un seul, le maire."
        )
    return RuleResult(
        "president",
        "Le maire préside le conseil d'administration",
        "CASF L123-6",
        len(presidents) == 1,
        detail,
    )


def check_parity(members: list[BoardMember]) -> RuleResult:
    elected = len(_of_seat(members, Seat.ELECTED))
    appointed = len(_of_seat(members, Seat.APPOINTED))
    ok = elected == appointed
    detail = f"{elected} élu(s) et {appointed} nommé(s)."
    if not ok:
        detail += " Ils doivent être en nombre égal."
    return RuleResult(
        "parity", "Autant de membres élus que de membres nommés", "CASF L123-6", ok, detail
    )


def check_group_sizes(members: list[BoardMember]) -> RuleResult:
    problems = []
    for seat, word in ((Seat.ELECTED, "élus"), (Seat.APPOINTED, "nommés")):
        count = len(_of_seat(members, seat))
        if not MIN_PER_GROUP <= count <= MAX_PER_GROUP:
            problems.append(f"{count} {word}")
    ok = not problems
    detail = (
        "Chaque groupe compte entre 4 et 8 membres."
        if ok
        else f"{' et '.join(problems)} : chaque groupe doit compter entre 4 et 8 membres."
    )
    return RuleResult(
        "group_sizes", "Entre 4 et 8 élus et entre 4 et 8 nommés", "CASF R123-7", ok, detail
    )


def check_associations(members: list[BoardMember]) -> RuleResult:
    present = {m.category for m in _of_seat(members, Seat.APPOINTED)}
    missing = [Category(c).label for c in REQUIRED_CATEGORIES if c not in present]
    ok = not missing
    detail = (
        "Les quatre catégories d'associations sont représentées parmi les nommés."
        if ok
        else "Catégorie(s) absente(s) parmi les nommés : " + " ; ".join(missing) + "."
    )
    return RuleResult(
        "associations",
        "Parmi les nommés, un représentant de chacune des quatre catégories d'associations "
        "(familiales, insertion, retraités et personnes âgées, personnes handicapées)",
        "CASF L123-6",
        ok,
        detail,
    )


def check_vice_president(members: list[BoardMember]) -> RuleResult:
    vice = [m for m in members if m.is_vice_president]
    if len(vice) == 1 and vice[0].seat == Seat.PRESIDENT:
        ok, detail = False, "Le président de droit ne peut pas être aussi vice-président."
    elif len(vice) == 1:
        ok, detail = True, f"Vice-présidence : {vice[0].full_name}."
    elif not vice:
        ok, detail = False, "Aucun vice-président élu par le conseil d'administration."
    else:
        ok, detail = False, f"{len(vice)} vice-présidents ({_names(vice)}) : un seul."
    return RuleResult(
        "vice_president",
        "Un vice-président élu par le conseil en son sein",
        "CASF L123-6",
        ok,
        detail,
    )


RULES: list[Callable[[list[BoardMember]], RuleResult]] = [
    check_president,
    check_parity,
    check_group_sizes,
    check_associations,
    check_vice_president,
]


def check_board(members: Iterable[BoardMember]) -> Compliance:
    """Run every rule over the given sitting members."""
    members = list(members)
    return Compliance([rule(members) for rule in RULES])


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
    mandate: BoardMandate | None, members: list[BoardMember] | None = None
) -> Compliance:
    """Compliance of a mandate's board as it sits on its reference day (no mandate: all fail)."""
    if mandate is None:
        return check_board([])
    return check_board(sitting_members(mandate, members=members))


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

    @property
    def when(self) -> str:
        return in_days(self.days_left)


@dataclass(frozen=True)
class TermWarnings:
    """What ends soon on the running board, and whether the board stays lawful without it."""

    seats: list[EndingSeat] = field(default_factory=list)
    mandate_days_left: int | None = None
    breaks_compliance: bool = False

    @property
    def mandate_when(self) -> str:
        return "" if self.mandate_days_left is None else in_days(self.mandate_days_left)

    def __bool__(self) -> bool:
        return bool(self.seats) or self.mandate_days_left is not None


def term_warnings(
    mandate: BoardMandate | None,
    today: date | None = None,
    members: list[BoardMember] | None = None,
) -> TermWarnings:
    """Seats of the running mandate whose end date falls within SEAT_NOTICE_DAYS, the mandate's
    own end within MANDATE_NOTICE_DAYS, and whether the board, compliant today, would no longer
    be once those seats are empty. Nothing for a past or future mandate. `members`: the
    mandate's seats if the caller already has them."""
    today = today or timezone.localdate()
    if mandate is None or mandate.start > today or (mandate.end and mandate.end < today):
        return TermWarnings()
    if members is None:
        members = list(mandate.members.all())
    sitting = sitting_members(mandate, today, members)
    seats = [
        EndingSeat(m, (m.end - today).days)
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
    breaks = bool(seats) and check_board(sitting).compliant and not check_board(staying).compliant
    return TermWarnings(seats, mandate_days, breaks)

"""Comparisons of a commune's value with its territories, the members and comparable communes,
and of an intercommunality's (its CIAS's) with its territories and the other CIAS.

Reads the public tables only (reference values, pooled values): request handlers never visit
member schemas. In a member's space, its own observations (drafts included) are passed in as
`overrides` and take the place of its published values, marked as such.

Secret values are never averaged, ranked or charted: they are counted apart and nothing else.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from abs_shared.models import (
    FRANCE_CODE,
    SECRECY_THRESHOLD,
    WHOLE_FRANCE_CODE,
    Indicator,
    PublishedValue,
    ReferenceValue,
    ValueStatus,
    population_band,
)
from tenants.models import Commune, Intercommunality, MemberCCAS
from tenants.naming import at_place, of_place
from union.formats import round_half_up


@dataclass(frozen=True)
class Point:
    """A value with its status; `draft` marks a member's own value that is not in the pool as is.

    `secret_in_pool` marks a member's own number that its publication turned into a secret
    (fewer than 11 people or households: abs_shared.services.pooled_status): the member sees
    its number, everyone else « s »; nothing is computed from it (as_counted).
    """

    value: Decimal | None
    status: str
    draft: bool = False
    source: str = ""
    secret_in_pool: bool = False

    @property
    def is_number(self) -> bool:
        return self.status == ValueStatus.VALUE and self.value is not None

    def as_counted(self) -> "Point":
        """The point as the members' statistics count it: a number the pool holds as a secret
        counts as a secret (never averaged or ranked), as it does on the portal."""
        if self.secret_in_pool:
            return Point(None, ValueStatus.SECRET, self.draft, self.source)
        return self


MISSING = Point(None, ValueStatus.MISSING)
Overrides = dict[tuple[str, int], Point]

# (intercommunality SIREN, indicator code, year) of the CIAS counts that must read as secret.
HiddenCounts = set[tuple[str, str, int]]


def hidden_intercommunal_counts(codes: set[str] | None = None) -> HiddenCounts:
    """The CIAS counts to show as secret: those of an intercommunality (EPCI or EPT) one of whose
    communes has a secret count for that indicator and year in the pool.

    A CIAS's count covers its whole intercommunality: minus its communes' published counts it
    gives a secret one away (Est Ensemble 1207 - Bondy 500 - Montreuil 700 = Pantin's 7). Every
    CCAS row counts, a suspended member's too: its secret is no less one for being hidden. So
    do the counts whose remainder is small (small_intercommunal_remainders)."""
    rows = PublishedValue.objects.filter(
        member__kind=MemberCCAS.Kind.CCAS,
        status=ValueStatus.SECRET,
        indicator__unit=Indicator.Unit.COUNT,
    )
    if codes is not None:
        rows = rows.filter(indicator_id__in=codes)
    hidden: HiddenCounts = set()
    for epci, ept, code, year in rows.values_list(
        "commune__epci_id", "commune__ept_id", "indicator_id", "year"
    ).distinct():
        hidden.update((siren, code, year) for siren in (epci, ept) if siren)
    return hidden | small_intercommunal_remainders(codes)


def small_intercommunal_remainders(codes: set[str] | None = None) -> HiddenCounts:
    """The CIAS counts that, minus the counts shown for their communes, leave a remainder below
    the secrecy threshold: Est Ensemble 1257 - Bondy 500 - Montreuil 700 - Pantin 50 = 7 RSA
    households in the communes without a member CCAS, one commune's count when one is left.
    Subtracting every count ever shown gives the smallest remainder anyone can reach, so one
    test per count covers every subset; a remainder of zero or less reveals nothing (sources differ)."""
    counts = PublishedValue.objects.filter(
        status=ValueStatus.VALUE, indicator__unit=Indicator.Unit.COUNT
    )
    if codes is not None:
        counts = counts.filter(indicator_id__in=codes)
    shown = defaultdict(Decimal)  # (siren, indicator, year) -> sum of its communes' shown counts
    # Every CCAS's count, a suspended or departed member's too: hidden now, it was shown, and
    # whoever kept it subtracts it all the same.
    ccas_counts = counts.filter(member__kind=MemberCCAS.Kind.CCAS)
    for epci, ept, code, year, value in ccas_counts.values_list(
        "commune__epci_id", "commune__ept_id", "indicator_id", "year", "value"
    ):
        for siren in {epci, ept} - {None}:
            shown[(siren, code, year)] += value
    hidden: HiddenCounts = set()
    for siren, code, year, value in counts.of_intercommunalities().values_list(
        "member__intercommunality_id", "indicator_id", "year", "value"
    ):
        remainder = value - shown.get((siren, code, year), Decimal(0))
        if 0 < remainder < SECRECY_THRESHOLD:
            hidden.add((siren, code, year))
    return hidden


def guard_intercommunal_count(
    siren: str, code: str, year: int, point: Point, hidden: HiddenCounts
) -> Point:
    """The point as shown for a CIAS: secret (no number) when its count would reveal a commune's
    secret (see hidden_intercommunal_counts), else unchanged."""
    if (siren, code, year) in hidden:
        return Point(None, ValueStatus.SECRET, point.draft, point.source)
    return point


def quantile(ordered: list[Decimal], fraction: float) -> Decimal | None:
    """Linear interpolation between closest ranks (Excel QUARTILE.INC, numpy's default, type 7)."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * Decimal(str(fraction))
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def rank(value: Decimal | None, values: list[Decimal], polarity: str) -> int | None:
    """1 = most fragile (most unequal for an inequality indicator). Ties share the best rank.
    None for a neutral indicator or no number."""
    if value is None or polarity == Indicator.Polarity.NEUTRAL:
        return None
    if polarity == Indicator.Polarity.LOWER_FRAGILE:
        return 1 + sum(1 for other in values if other < value)
    return 1 + sum(1 for other in values if other > value)


def _number(value: Decimal | None) -> float | None:
    """A figure for the API, to 4 decimals rounded as the pages round (half up)."""
    return None if value is None else float(round_half_up(value, 4))


def summarize(values: list[Decimal], own: Point, polarity: str) -> dict:
    """count, min, quartiles, median, max and the rank of `own` among numeric values only."""
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "min": _number(ordered[0]) if ordered else None,
        "q1": _number(quantile(ordered, 0.25)),
        "median": _number(quantile(ordered, 0.5)),
        "q3": _number(quantile(ordered, 0.75)),
        "max": _number(ordered[-1]) if ordered else None,
        "rank": rank(own.value, ordered, polarity) if own.is_number else None,
    }


def gap_and_ratio(own: Point, reference: Point) -> tuple[float | None, float | None]:
    """Gap in the indicator's unit (percentage points for percentages) and ratio; None if secret."""
    if not (own.is_number and reference.is_number):
        return None, None
    gap = own.value - reference.value
    ratio = ratio_of(own.value, reference.value)
    return _number(gap), _number(ratio)


def ratio_of(value: Decimal, reference: Decimal) -> Decimal | None:
    """The exact ratio. A page rounds it once from here (presenters.shown_ratio): rounded from
    the API's 4 decimals it read 1,11 for 20,0 / 18,1 = 1,10497 (1,1050 first)."""
    return value / reference if reference != 0 else None


def reference_territories(commune: Commune) -> list[tuple[str, str, str]]:
    """(level, code, name) from the closest to the widest: EPT or EPCI, département, région, France."""
    grouping = commune.ept or commune.epci
    return _territories(
        commune,
        [] if grouping is None else [(ReferenceValue.Level.EPCI, grouping.siren, grouping.nom)],
    )


def is_overseas(departement: str) -> bool:
    """A DROM département (971 to 976)."""
    return departement.startswith("97")


def national_territory(commune: Commune) -> tuple[str, str, str]:
    """France métropolitaine for a commune of the métropole; France entière for a DROM's, which
    is not part of the métropole."""
    if is_overseas(commune.departement_id):
        return (ReferenceValue.Level.FRANCE, WHOLE_FRANCE_CODE, "France")
    return (ReferenceValue.Level.FRANCE, FRANCE_CODE, "France métropolitaine")


def _territories(seat: Commune, closest: list) -> list[tuple[str, str, str]]:
    lines = closest + [
        (ReferenceValue.Level.DEPARTEMENT, seat.departement_id, seat.departement.nom)
    ]
    # A DROM is a région of a single département, the same territory: « La Réunion » once.
    if not is_overseas(seat.departement_id):
        lines.append((ReferenceValue.Level.REGION, seat.region_id, seat.region.nom))
    return lines + [national_territory(seat)]


COMMUNE = "commune"
INTERCOMMUNALITY = "intercommunality"


def of_subject(name: str) -> str:
    """« de » and a subject's name as French writes it (tenants.naming.of_place)."""
    return of_place(name)


def at_subject(kind: str, name: str) -> str:
    """Where a subject's values are: « à Bondy », « au Blanc-Mesnil », « pour Est Ensemble »."""
    return at_place(name) if kind == COMMUNE else f"pour {name}"


@dataclass(frozen=True, eq=False)
class Subject:
    """What a comparison is about: a commune, whose values are its CCAS's and whose peers are the
    other communes' CCAS; or an intercommunality, whose values are its CIAS's and whose peers are
    the other CIAS. Never one for the other: a CIAS's values are not its seat commune's.
    """

    kind: str  # COMMUNE or INTERCOMMUNALITY
    code: str  # INSEE code or SIREN
    nom: str
    population: int
    # The commune itself, or the CIAS's seat: where the département and région lines come from.
    seat: Commune
    territories: tuple[tuple[str, str, str], ...]

    @property
    def is_commune(self) -> bool:
        return self.kind == COMMUNE

    @property
    def nation(self) -> str:
        """The name of its national reference: « France métropolitaine » or « France »."""
        return self.territories[-1][2]

    def pooled(self):
        """The pooled rows of this kind of subject (CCAS rows for communes, CIAS rows else)."""
        if self.is_commune:
            return PublishedValue.objects.of_communes()
        return PublishedValue.objects.of_intercommunalities()

    @property
    def pool_key(self) -> str:
        """The field of a pooled row naming the subject it stands for."""
        return "commune_id" if self.is_commune else "member__intercommunality_id"

    @property
    def pool_population(self) -> str:
        return "commune__population" if self.is_commune else "member__intercommunality__population"

    @property
    def band(self) -> tuple[int, int | None, str] | None:
        """Communes are also compared with those of their size; intercommunalities, too few among
        the members to be split, only with all the other CIAS."""
        return population_band(self.population) if self.is_commune else None

    def own_rows(self):
        return self.pooled().filter(**{self.pool_key: self.code})

    def as_dict(self) -> dict:
        return {"code": self.code, "nom": self.nom}

    @property
    def of_name(self) -> str:
        """The name after « de », elided or contracted: « d'Aubervilliers », « des Lilas »."""
        return of_subject(self.nom)

    @property
    def at_name(self) -> str:
        """« à Bondy », « aux Lilas » (a commune); « pour Est Ensemble » (an intercommunality:
        its CIAS's values are not « à » a territory of several communes)."""
        return at_subject(self.kind, self.nom)

    def shape(self) -> dict:
        """How results name their subject: `commune` or `intercommunality`, and `subject`."""
        return {self.kind: self.as_dict(), "subject": {"kind": self.kind, **self.as_dict()}}


def commune_subject(commune: Commune) -> Subject:
    return Subject(
        COMMUNE,
        commune.code,
        commune.nom,
        commune.population,
        commune,
        tuple(reference_territories(commune)),
    )


def intercommunality_subject(intercommunality: Intercommunality, seat: Commune) -> Subject:
    """The intercommunality's own reference line, then its seat commune's département, région and
    France (the seat's own EPT or EPCI line is not repeated)."""
    closest = [(ReferenceValue.Level.EPCI, intercommunality.siren, intercommunality.nom)]
    return Subject(
        INTERCOMMUNALITY,
        intercommunality.siren,
        intercommunality.nom,
        intercommunality.population,
        seat,
        tuple(_territories(seat, closest)),
    )


def as_subject(subject: "Subject | Commune") -> Subject:
    return subject if isinstance(subject, Subject) else commune_subject(subject)


def load_commune(code: str) -> Commune:
    return Commune.objects.select_related("departement", "region", "epci", "ept").get(code=code)


def load_intercommunality(siren: str) -> Subject:
    """An intercommunality as a subject, seated where its CIAS is (else its most populous commune).

    Raises Intercommunality.DoesNotExist for an unknown SIREN (or one with no commune at all).
    """
    intercommunality = Intercommunality.objects.get(siren=siren)
    seats = Commune.objects.select_related("departement", "region")
    cias = (
        MemberCCAS.objects.filter(kind=MemberCCAS.Kind.CIAS, intercommunality=intercommunality)
        .order_by("pk")
        .values_list("commune_id", flat=True)
        .first()
    )
    if cias is not None:
        seat = seats.get(code=cias)
    else:
        seat = (
            seats.filter(Q(epci=intercommunality) | Q(ept=intercommunality))
            .order_by("-population")
            .first()
        )
        if seat is None:
            raise Intercommunality.DoesNotExist(siren)
    return intercommunality_subject(intercommunality, seat)


def member_subject(member: MemberCCAS) -> Subject | None:
    """What a member's own values describe: its commune (CCAS) or its intercommunality (CIAS);
    None for a CIAS attached to no intercommunality (its values then compare with nothing)."""
    if member.kind == MemberCCAS.Kind.CIAS:
        if member.intercommunality_id is None:
            return None
        return intercommunality_subject(member.intercommunality, load_commune(member.commune_id))
    return commune_subject(load_commune(member.commune_id))


def is_member_subject(member: MemberCCAS, subject: Subject) -> bool:
    """Whether `subject` is what `member`'s own values describe (no query)."""
    if member.kind == MemberCCAS.Kind.CIAS:
        return subject.kind == INTERCOMMUNALITY and subject.code == member.intercommunality_id
    return subject.kind == COMMUNE and subject.code == member.commune_id


def _references(territories, codes: set[str], years: set[int] | None) -> dict:
    if not territories:  # an empty Q() would match every territory's values
        return {}
    match = Q()
    for level, code, _name in territories:
        match |= Q(level=level, code=code)
    rows = ReferenceValue.objects.filter(match, indicator_id__in=codes)
    if years is not None:
        rows = rows.filter(year__in=years)
    found = {}
    for level, code, indicator, year, value, status, source in rows.values_list(
        "level", "code", "indicator_id", "year", "value", "status", "source"
    ):
        found[(level, code, indicator, year)] = Point(value, status, source=source)
    return found


def _pool(subject: Subject, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], list[tuple]]:
    """Pooled rows (subject, value, status, population, source) of the subject's kind for each
    (indicator, year)."""
    by_indicator = defaultdict(set)
    for code, year in pairs:
        by_indicator[code].add(year)
    match = Q()
    for code, years in by_indicator.items():
        match |= Q(indicator_id=code, year__in=years)
    pooled = defaultdict(list)
    hidden = set() if subject.is_commune else hidden_intercommunal_counts(set(by_indicator))
    rows = (
        subject.pooled()
        .filter(match)
        .values_list(
            "indicator_id",
            "year",
            subject.pool_key,
            "value",
            "status",
            subject.pool_population,
            "source",
        )
    )
    for indicator, year, other, value, status, population, source in rows:
        shown = guard_intercommunal_count(
            other, indicator, year, Point(value, status, source=source), hidden
        )
        pooled[(indicator, year)].append((other, shown.value, shown.status, population, source))
    return pooled


def compare_many(
    subject: Subject | Commune,
    pairs: list[tuple[Indicator, int]],
    overrides: Overrides | None = None,
) -> list[dict]:
    """Comparisons for several (indicator, year) pairs with two queries in all (the portrait).

    A commune is compared with the other communes' CCAS (all, and those of its population band);
    an intercommunality with the other CIAS (`peers` is then None).
    """
    subject = as_subject(subject)
    overrides = overrides or {}
    territories = subject.territories
    references = _references(territories, {i.code for i, _ in pairs}, {year for _, year in pairs})
    pool = _pool(subject, {(i.code, year) for i, year in pairs})
    band = subject.band
    low, high, band_label = band or (0, None, "")
    results = []
    for indicator, year in pairs:
        own = overrides.get((indicator.code, year))
        members, peers, secret = [], [], 0
        for other, value, status, population, source in pool.get((indicator.code, year), []):
            if other == subject.code:
                own = own or Point(value, status, source=source)
                continue
            if status != ValueStatus.VALUE:
                secret += 1
                continue
            members.append(value)
            if band and population >= low and (high is None or population < high):
                peers.append(value)
        own = own or MISSING
        # A member's own number published as « s » is its own to see, marked; nothing is computed
        # from it (statistics, rank, gaps), as on the portal.
        counted = own.as_counted()
        if counted.is_number:
            members.append(counted.value)
            peers.append(counted.value)
        elif counted.status == ValueStatus.SECRET:
            secret += 1
        reference_rows = []
        # A count is shown alone: set beside a territory's total it is no comparison, and the
        # total minus the other communes' published counts would give away a secret one.
        for level, code, name in () if indicator.is_count else territories:
            point = references.get((level, code, indicator.code, year), MISSING)
            gap, ratio = gap_and_ratio(counted, point)
            reference_rows.append(
                {
                    "level": level,
                    "code": code,
                    "nom": name,
                    "value": _number(point.value) if point.is_number else None,
                    "status": point.status,
                    "gap": gap,
                    "ratio": ratio,
                    "source": point.source,
                }
            )
        result = subject.shape() | {
            "indicator": {
                "code": indicator.code,
                "label": indicator.label,
                "unit": indicator.unit,
            },
            "year": year,
            "value": _number(own.value) if own.is_number else None,
            "status": own.status,
            "draft": own.draft,
            "source": own.source,
            "references": reference_rows,
            # A count is not set among the other members' either (see COUNT_NOTE).
            "members": None
            if indicator.is_count
            else summarize(members, counted, indicator.rank_polarity),
            "peers": summarize(peers, counted, indicator.rank_polarity)
            if band and not indicator.is_count
            else None,
            "secret_count": secret,
            "population_band": band_label,
        }
        results.append(_mark_secret_in_pool(result, own))
    return results


def _mark_secret_in_pool(shown: dict, point: Point) -> dict:
    """Add `secret_in_pool: true` to a result or a series point of the member's own number that
    the pool holds as « s ». Only then: the portal's answers keep their documented shape."""
    if point.secret_in_pool:
        shown["secret_in_pool"] = True
    return shown


def compare(
    subject: Subject | Commune,
    indicator: Indicator,
    year: int,
    overrides: Overrides | None = None,
) -> dict:
    """The comparison of one commune or intercommunality, indicator and year (the API's shape)."""
    return compare_many(subject, [(indicator, year)], overrides)[0]


def series(
    subject: Subject | Commune,
    indicator: Indicator,
    overrides: Overrides | None = None,
    chosen: list[Commune] = (),
) -> dict:
    """The subject's values over the years beside its territories'; series breaks listed.

    With `chosen` (communes set beside a commune), their published values too, under `chosen`
    (the key is left out otherwise, so that the API's answer keeps its shape); their years are
    the series' years as well: a director sets a commune beside hers to see its whole course."""
    subject = as_subject(subject)
    overrides = {key: p for key, p in (overrides or {}).items() if key[0] == indicator.code}
    own = {
        year: Point(value, status, source=source)
        for year, value, status, source in subject.own_rows()
        .filter(indicator=indicator)
        .values_list("year", "value", "status", "source")
    }
    own = _guard_own_points(subject, {(indicator.code, y): p for y, p in own.items()})
    own = {year: point for (_code, year), point in own.items()}
    own.update({year: point for (_code, year), point in overrides.items()})
    # No reference line for a count (see compare_many).
    territories = () if indicator.is_count else subject.territories
    references = _references(territories, {indicator.code}, None)
    beside = pooled_commune_points(indicator, list(chosen)) if chosen else {}
    years = sorted(set(own) | {key[3] for key in references} | {key[1] for key in beside})

    def points(lookup) -> list[dict]:
        return [
            {
                "year": year,
                "value": _number(lookup(year).value) if lookup(year).is_number else None,
                "status": lookup(year).status,
            }
            for year in years
        ]

    subject_points = points(lambda year: own.get(year, MISSING))
    for point in subject_points:
        point["draft"] = own.get(point["year"], MISSING).draft
        _mark_secret_in_pool(point, own.get(point["year"], MISSING))
    result = subject.shape() | {
        "indicator": {"code": indicator.code, "label": indicator.label, "unit": indicator.unit},
        "breaks": [
            year for year in indicator.break_after if years and years[0] <= year < years[-1]
        ],
        "points": subject_points,
        "references": [
            {
                "level": level,
                "code": code,
                "nom": name,
                "points": points(
                    lambda year, level=level, code=code: references.get(
                        (level, code, indicator.code, year), MISSING
                    )
                ),
            }
            for level, code, name in territories
        ],
    }
    if chosen:
        result["chosen"] = [
            {
                "code": commune.code,
                "nom": commune.nom,
                "points": points(lambda year, code=commune.code: beside.get((code, year), MISSING)),
            }
            for commune in chosen
        ]
    return result


def _guard_own_points(
    subject: Subject, points: dict[tuple[str, int], Point]
) -> dict[tuple[str, int], Point]:
    """A CIAS's pooled points with the counts that would reveal a commune's secret made secret."""
    if subject.is_commune or not points:
        return points
    hidden = hidden_intercommunal_counts({code for code, _year in points})
    return {
        (code, year): guard_intercommunal_count(subject.code, code, year, point, hidden)
        for (code, year), point in points.items()
    }


def subject_points(
    subject: Subject | Commune, overrides: Overrides | None = None
) -> dict[tuple[str, int], Point]:
    """Every (indicator, year) the subject has in the pool (or among its own observations, which
    take the place of their pooled values), in one query (two for a CIAS: see
    hidden_intercommunal_counts)."""
    subject = as_subject(subject)
    points = {
        (code, year): Point(value, status, source=source)
        for code, year, value, status, source in subject.own_rows().values_list(
            "indicator_id", "year", "value", "status", "source"
        )
    }
    points = _guard_own_points(subject, points)
    # A member's own observations, in its own space, are its own to see: not guarded.
    points.update(overrides or {})
    return points


def available_years(points: dict[tuple[str, int], Point]) -> list[int]:
    """The years with at least one value (a number or a secret), latest first."""
    return sorted(
        {year for (_code, year), p in points.items() if p.status != ValueStatus.MISSING},
        reverse=True,
    )


def latest_years(
    subject: Subject | Commune,
    overrides: Overrides | None = None,
    points: dict[tuple[str, int], Point] | None = None,
) -> dict[str, int]:
    """The latest year each indicator has a value for this subject (pooled or own), a number or a
    secret: a year marked « non disponible » must not hide the latest figure published before."""
    if points is None:
        points = subject_points(subject, overrides)
    latest: dict[str, int] = {}
    for (code, year), point in points.items():
        if point.status != ValueStatus.MISSING:
            latest[code] = max(year, latest.get(code, year))
    return latest


def change_since_previous(
    indicator: Indicator, points: dict[tuple[str, int], Point], year: int
) -> dict | None:
    """How the subject's value of `year` moved since its previous published year of that
    indicator: {"since", "change", "measure", "draft"}, `change` None when it cannot be said
    (either value secret or missing, a series break in between, a relative change from zero).
    None when the subject published nothing earlier.

    The measure follows INSEE's usage: a rate moves in percentage points (a « +10 % » of a 20 %
    rate would read as 30 %); a count or an amount in euros in relative % (its size depends on
    the territory's, its rate of change does not); a ratio or an index by its difference."""
    earlier = [
        y
        for (code, y), p in points.items()
        if code == indicator.code and y < year and p.status != ValueStatus.MISSING
    ]
    if not earlier:
        return None
    since = max(earlier)
    current, previous = points.get((indicator.code, year), MISSING), points[(indicator.code, since)]
    # A number the pool holds as « s » is a secret here too: no change is computed from it.
    current, previous = current.as_counted(), previous.as_counted()
    change = {
        "since": since,
        "change": None,
        "measure": _change_measure(indicator),
        "draft": current.draft or previous.draft,
        "break": any(since <= b < year for b in indicator.break_after),
    }
    # Never computed from a secret: the change and the other figure would give it away.
    if not (current.is_number and previous.is_number) or change["break"]:
        return change
    # Exact: the page rounds it once (presenters.change_text); rounded here to 4 decimals
    # first, 1007 -> 1079 (+7,14995 %) read « hausse de 7,2 % » (audit A30).
    if change["measure"] == "percent":
        if previous.value == 0:
            return change
        change["change"] = (current.value - previous.value) / previous.value * 100
    else:
        change["change"] = current.value - previous.value
    return change


def _change_measure(indicator: Indicator) -> str:
    if indicator.is_percent:
        return "points"
    if indicator.unit in (Indicator.Unit.COUNT, Indicator.Unit.EUROS_YEAR):
        return "percent"
    return "difference"


def pooled_commune_points(
    indicator: Indicator, communes: list[Commune], year: int | None = None
) -> dict[tuple[str, int], Point]:
    """The published values (their CCAS') of some communes for one indicator, every year or
    one: {(INSEE code, year): point}. Public figures only, whoever asks."""
    rows = PublishedValue.objects.of_communes().filter(indicator=indicator, commune__in=communes)
    if year is not None:
        rows = rows.filter(year=year)
    return {
        (code, row_year): Point(value, status, source=source)
        for code, row_year, value, status, source in rows.values_list(
            "commune_id", "year", "value", "status", "source"
        )
    }


def chosen_communes_values(
    indicator: Indicator, year: int, communes: list[Commune], own: dict
) -> list[dict]:
    """The published values (their CCAS') of communes a visitor set beside a commune's, in the
    order given, with the gap and ratio of the commune's value `own` (a comparison result) to
    each; « n.d. » for a commune with nothing that year, never a number for a secret."""
    found = {
        code: point
        for (code, _year), point in pooled_commune_points(indicator, communes, year).items()
    }
    own_value = None if own["value"] is None else Decimal(str(own["value"]))
    own_point = Point(own_value, own["status"], secret_in_pool=own.get("secret_in_pool", False))
    own_point = own_point.as_counted()  # no gap from a number published as « s »
    rows = []
    for commune in communes:
        point = found.get(commune.code, MISSING)
        # No gap between two counts: see compare_many.
        gap, ratio = (None, None) if indicator.is_count else gap_and_ratio(own_point, point)
        rows.append(
            {
                "code": commune.code,
                "nom": commune.nom,
                "value": _number(point.value) if point.is_number else None,
                "status": point.status,
                "gap": gap,
                "ratio": ratio,
                "source": point.source,
            }
        )
    return rows

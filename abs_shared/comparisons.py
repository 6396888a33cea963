"""Comparisons of a commune's value with its territories, the members and comparable communes.

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
    Indicator,
    PublishedValue,
    ReferenceValue,
    ValueStatus,
    population_band,
)
from tenants.models import Commune

QUANT = Decimal("0.0001")


@dataclass(frozen=True)
class Point:
    """A value with its status; `draft` marks a member's own value that is not in the pool as is."""

    value: Decimal | None
    status: str
    draft: bool = False
    source: str = ""

    @property
    def is_number(self) -> bool:
        return self.status == ValueStatus.VALUE and self.value is not None


MISSING = Point(None, ValueStatus.MISSING)
Overrides = dict[tuple[str, int], Point]


def quantile(ordered: list[Decimal], fraction: float) -> Decimal | None:
    """Linear interpolation between closest ranks (Excel QUARTILE.INC, numpy's default, type 7)."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * Decimal(str(fraction))
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def rank(value: Decimal | None, values: list[Decimal], polarity: str) -> int | None:
    """1 = most fragile. Ties share the best rank. None for a neutral indicator or no number."""
    if value is None or polarity == Indicator.Polarity.NEUTRAL:
        return None
    if polarity == Indicator.Polarity.HIGHER_FRAGILE:
        return 1 + sum(1 for other in values if other > value)
    return 1 + sum(1 for other in values if other < value)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(QUANT))


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
    ratio = own.value / reference.value if reference.value != 0 else None
    return _number(gap), _number(ratio)


def reference_territories(commune: Commune) -> list[tuple[str, str, str]]:
    """(level, code, name) from the closest to the widest: EPT or EPCI, département, région, France."""
    territories = []
    grouping = commune.ept or commune.epci
    if grouping is not None:
        territories.append((ReferenceValue.Level.EPCI, grouping.siren, grouping.nom))
    territories.append(
        (ReferenceValue.Level.DEPARTEMENT, commune.departement_id, commune.departement.nom)
    )
    territories.append((ReferenceValue.Level.REGION, commune.region_id, commune.region.nom))
    territories.append((ReferenceValue.Level.FRANCE, FRANCE_CODE, "France métropolitaine"))
    return territories


def load_commune(code: str) -> Commune:
    return Commune.objects.select_related("departement", "region", "epci", "ept").get(code=code)


def _references(territories, codes: set[str], years: set[int] | None) -> dict:
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


def _pool(pairs: set[tuple[str, int]]) -> dict[tuple[str, int], list[tuple]]:
    """Pooled rows (commune, value, status, population) for each (indicator, year)."""
    by_indicator = defaultdict(set)
    for code, year in pairs:
        by_indicator[code].add(year)
    match = Q()
    for code, years in by_indicator.items():
        match |= Q(indicator_id=code, year__in=years)
    pooled = defaultdict(list)
    rows = (
        PublishedValue.objects.of_communes()
        .filter(match)
        .values_list(
            "indicator_id", "year", "commune_id", "value", "status", "commune__population", "source"
        )
    )
    for indicator, year, commune, value, status, population, source in rows:
        pooled[(indicator, year)].append((commune, value, status, population, source))
    return pooled


def compare_many(
    commune: Commune,
    pairs: list[tuple[Indicator, int]],
    overrides: Overrides | None = None,
) -> list[dict]:
    """Comparisons for several (indicator, year) pairs with two queries in all (the portrait)."""
    overrides = overrides or {}
    territories = reference_territories(commune)
    references = _references(territories, {i.code for i, _ in pairs}, {year for _, year in pairs})
    pool = _pool({(i.code, year) for i, year in pairs})
    low, high, band_label = population_band(commune.population)
    results = []
    for indicator, year in pairs:
        own = overrides.get((indicator.code, year))
        members, peers, secret = [], [], 0
        for other, value, status, population, source in pool.get((indicator.code, year), []):
            if other == commune.code:
                own = own or Point(value, status, source=source)
                continue
            if status != ValueStatus.VALUE:
                secret += 1
                continue
            members.append(value)
            if population >= low and (high is None or population < high):
                peers.append(value)
        own = own or MISSING
        if own.is_number:
            members.append(own.value)
            peers.append(own.value)
        elif own.status == ValueStatus.SECRET:
            secret += 1
        reference_rows = []
        for level, code, name in territories:
            point = references.get((level, code, indicator.code, year), MISSING)
            gap, ratio = gap_and_ratio(own, point)
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
        results.append(
            {
                "commune": {"code": commune.code, "nom": commune.nom},
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
                "members": summarize(members, own, indicator.polarity),
                "peers": summarize(peers, own, indicator.polarity),
                "secret_count": secret,
                "population_band": band_label,
            }
        )
    return results


def compare(
    commune: Commune, indicator: Indicator, year: int, overrides: Overrides | None = None
) -> dict:
    """The comparison of one commune, indicator and year (the API's shape)."""
    return compare_many(commune, [(indicator, year)], overrides)[0]


def series(commune: Commune, indicator: Indicator, overrides: Overrides | None = None) -> dict:
    """The commune's values over the years beside its territories'; series breaks listed."""
    overrides = {key: p for key, p in (overrides or {}).items() if key[0] == indicator.code}
    own = {
        year: Point(value, status, source=source)
        for year, value, status, source in PublishedValue.objects.of_communes()
        .filter(commune=commune, indicator=indicator)
        .values_list("year", "value", "status", "source")
    }
    own.update({year: point for (_code, year), point in overrides.items()})
    territories = reference_territories(commune)
    references = _references(territories, {indicator.code}, None)
    years = sorted(set(own) | {key[3] for key in references})

    def points(lookup) -> list[dict]:
        return [
            {
                "year": year,
                "value": _number(lookup(year).value) if lookup(year).is_number else None,
                "status": lookup(year).status,
            }
            for year in years
        ]

    commune_points = points(lambda year: own.get(year, MISSING))
    for point in commune_points:
        point["draft"] = own.get(point["year"], MISSING).draft
    return {
        "commune": {"code": commune.code, "nom": commune.nom},
        "indicator": {"code": indicator.code, "label": indicator.label, "unit": indicator.unit},
        "breaks": [
            year for year in indicator.break_after if years and years[0] <= year < years[-1]
        ],
        "points": commune_points,
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


def latest_years(commune: Commune, overrides: Overrides | None = None) -> dict[str, int]:
    """The latest year each indicator has a value for this commune (pooled or own)."""
    latest: dict[str, int] = {}
    rows = (
        PublishedValue.objects.of_communes()
        .filter(commune=commune)
        .values_list("indicator_id", "year")
    )
    for code, year in list(rows) + list((overrides or {}).keys()):
        latest[code] = max(year, latest.get(code, year))
    return latest

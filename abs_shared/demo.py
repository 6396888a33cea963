"""Demo data of abs_shared, loaded by `manage.py demo`. Idempotent.

Every figure here is invented (plausible orders of magnitude for Seine-Saint-Denis, nothing more)
and carries the source DEMO_SOURCE, so that pages and exports say "données de démonstration".
The data goes through the real pipeline: reference and observation files are imported, then
validated and published by the services.
"""

import io
import random

from django.db import connection

from abs_shared.local.services import (
    import_observations,
    publish_observations,
    validate_observations,
)
from abs_shared.models import DEMO_SOURCE, FRANCE_CODE, Indicator
from abs_shared.services import import_references
from tenants.models import MemberCCAS

# Communes that publish, by INSEE code: bondy, montreuil and saint-denis first (their directors can
# log in), then ten others.
PUBLISHERS = [
    "93010",  # Bondy
    "93048",  # Montreuil
    "93066",  # Saint-Denis
    "93001",  # Aubervilliers
    "93005",  # Aulnay-sous-Bois
    "93008",  # Bobigny
    "93029",  # Drancy
    "93031",  # Épinay-sur-Seine
    "93055",  # Pantin
    "93064",  # Rosny-sous-Bois
    "93051",  # Noisy-le-Grand
    "93045",  # Les Lilas
    "93070",  # Saint-Ouen-sur-Seine
    "93053",  # Noisy-le-Sec
]
YEARS = [2020, 2021, 2022]
SMALL_COUNT_COMMUNE = "93045"  # Les Lilas
FILOSOFI = {"TP60", "MED", "D9D1"}  # no 2022 vintage: the series stops after 2021
# Invented levels: (France métropolitaine, Île-de-France, Seine-Saint-Denis) for 2021.
LEVELS = {
    "TP60": (14.5, 15.9, 27.6),
    "MED": (23160, 25000, 18900),
    "D9D1": (3.4, 4.4, 4.0),
    "FAMMONO": (25.0, 28.0, 31.0),
    "CHOM": (12.5, 12.8, 18.3),
    "P75SEUL": (38.5, 36.0, 37.0),
    "SANSDIP": (21.0, 22.0, 33.5),
    "LOCHLM": (15.0, 22.0, 33.0),
    "SUROCC": (5.0, 12.0, 20.0),
    "ALLOCBR": (32.0, 35.0, 43.0),
    "DEP100": (16.0, 18.0, 25.0),
}
# Counts, per inhabitant of the commune.
COUNT_RATES = {"RSA": 0.035, "DOMIC": 0.008}


def _drift(code: str, year: int) -> float:
    """A small yearly movement: incomes grow, rates ease slowly."""
    steps = year - 2021
    return 1 + (0.02 if code == "MED" else -0.01) * steps


def _territory_weight(siren: str) -> float:
    """How far an intercommunality's invented levels sit from the département's."""
    return random.Random(int(siren)).uniform(0.88, 1.12)


def _reference_value(base: float, weight: float, indicator: str, year: int) -> str:
    return f"{base * weight * _drift(indicator, year):.1f}"


def _reference_rows(territories: list[tuple[str, str, float]]) -> list[str]:
    """Reference values of the rates, amounts and ratios only: a count's reference total is
    shown nowhere (it would give a secret count away, see comparisons.compare_many), so the
    demo loads none, whatever the catalogue says a code is."""
    counts = set(Indicator.objects.filter(unit=Indicator.Unit.COUNT).values_list("code", flat=True))
    rows = []
    for level, code, weight in territories:
        for indicator, (france, region, departement) in LEVELS.items():
            if indicator in counts:
                continue
            base = {"france": france, "region": region}.get(level, departement)
            for year in YEARS:
                if indicator in FILOSOFI and year > 2021:
                    continue
                value = _reference_value(base, weight, indicator, year)
                rows.append(f"{level};{code};{indicator};{year};{value}")
    return rows


def load_references(members: list[MemberCCAS], stdout) -> None:
    territories = [("france", FRANCE_CODE, 1.0), ("region", "11", 1.0), ("departement", "93", 1.0)]
    epts = {m.commune.ept_id for m in members if m.commune.ept_id}
    territories += [("epci", siren, _territory_weight(siren)) for siren in sorted(epts)]
    text = "level;code;indicator;year;value;source\n" + "\n".join(
        f"{row};{DEMO_SOURCE}" for row in _reference_rows(territories)
    )
    count = import_references(io.BytesIO(text.encode()), default_source=DEMO_SOURCE)
    stdout.write(f"ABS : {count} valeurs de référence de démonstration.")


def _observation_file(member: MemberCCAS, years: list[int]) -> io.BytesIO:
    """An import file in the Maillage template, values invented around the département's; a
    CIAS's are its intercommunality's reference values, the same territory's figures (they
    differed, audit A29: 27,6 for the CIAS beside 28,6 for « its » territory)."""
    rng = random.Random(member.slug if member.is_cias else int(member.commune_id))
    fragility = rng.uniform(-1, 1)
    population = member.population  # a CIAS's: its intercommunality's
    values: dict[tuple[str, int], str] = {}
    for year in years:
        values[("POP", year)] = str(round(population * (1 + 0.004 * (year - 2021))))
        for indicator, (_france, _region, departement) in LEVELS.items():
            if indicator in FILOSOFI and year > 2021:
                continue
            if member.is_cias and member.intercommunality_id:
                weight = _territory_weight(member.intercommunality_id)
                value = _reference_value(departement, weight, indicator, year)
                values[(indicator, year)] = value.replace(".", ",")
                continue
            direction = -1 if indicator == "MED" else 1
            value = departement * (1 + 0.18 * fragility * direction + rng.uniform(-0.03, 0.03))
            values[(indicator, year)] = f"{value * _drift(indicator, year):.1f}".replace(".", ",")
        for indicator, rate in COUNT_RATES.items():
            values[(indicator, year)] = str(round(population * rate * (1 + 0.3 * fragility)))
    if member.commune_id == SMALL_COUNT_COMMUNE:
        # Fewer than 11 domiciliations: the publication turns it into a secret.
        values[("DOMIC", years[-1])] = "8"
    rows = ["indicator;year;value;source"]
    rows += [f"{code};{year};{value};{DEMO_SOURCE}" for (code, year), value in values.items()]
    data = io.BytesIO("\n".join(rows).encode())
    data.name = f"demo-{member.slug}.csv"
    return data


def load(stdout) -> None:
    """Load this app's demo data. Idempotent."""
    members = list(
        MemberCCAS.objects.filter(
            commune_id__in=PUBLISHERS, kind=MemberCCAS.Kind.CCAS
        ).select_related("commune")
    )
    members.sort(key=lambda m: PUBLISHERS.index(m.commune_id))
    load_references(members, stdout)
    for index, member in enumerate(members):
        years = YEARS if index % 3 != 2 else YEARS[1:]  # some publish three years, some two
        import_observations(member, _observation_file(member, years))
        if member.commune_id == "93010":
            # Bondy: 2020 and 2021 published, 2022 left as drafts for the director to validate.
            for year in years[:-1]:
                validate_observations(member, year=year)
                publish_observations(member, year=year)
        else:
            validate_observations(member)
            publish_observations(member)
        connection.set_schema_to_public()
    # The demo's CIAS publishes its intercommunality's values too (union.demo.load_cias).
    from union.demo import DEMO_CIAS_SLUG

    for member in MemberCCAS.objects.filter(slug=DEMO_CIAS_SLUG).select_related(
        "commune", "intercommunality"
    ):
        import_observations(member, _observation_file(member, YEARS[1:]))
        validate_observations(member)
        publish_observations(member)
        connection.set_schema_to_public()
        members.append(member)
    stdout.write(f"ABS : observations de démonstration pour {len(members)} membres.")

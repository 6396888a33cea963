"""ABS: 1,000 communes x 14 indicators x 10 years published (generated).

Targets (issue 5): the comparison endpoint < 30 ms median, a commune portrait page < 150 ms median
(server time through Django's test client), one member publishing 14 indicators x 10 years < 500 ms.
"""

import datetime
import itertools
from decimal import Decimal

from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from abs_shared.local.models import Observation
from abs_shared.local.services import publish_observations
from abs_shared.models import Indicator, PublishedValue, ReferenceValue
from bench.harness import report, timings
from tenants.models import Commune, MemberCCAS
from tenants.services import onboard_member

COMMUNES = 1000
YEARS = range(2013, 2023)
PUBLISHER = "93010"


def _generate_pool() -> list[str]:
    """999 members without schemas (only the pool is read) plus one real member; 140,000 values."""
    codes = list(
        Commune.objects.order_by("-population").values_list("code", flat=True)[: COMMUNES + 1]
    )
    codes = [code for code in codes if code != PUBLISHER][: COMMUNES - 1]
    MemberCCAS.objects.bulk_create(
        [
            MemberCCAS(
                schema_name=f"bench_{code}",
                name=f"CCAS {code}",
                slug=f"bench-{code}",
                commune_id=code,
                joined_on=datetime.date(2024, 1, 1),
            )
            for code in codes
        ]
    )
    pooled = PublishedValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {pooled} (member_id, commune_id, indicator_id, year, value, status, source, published_at)
            SELECT m.id, m.commune_id, i.code, y, round((random() * 60 + 5)::numeric, 1), 'value', 'bench', now()
            FROM {MemberCCAS._meta.db_table} m
            CROSS JOIN {Indicator._meta.db_table} i
            CROSS JOIN generate_series(%s, %s) AS y
            WHERE m.schema_name LIKE 'bench\\_%%'
            """,
            [YEARS[0], YEARS[-1]],
        )
        # About 2 % secret, as real pools have.
        cursor.execute(f"UPDATE {pooled} SET status = 'secret', value = NULL WHERE random() < 0.02")
        cursor.execute(f"ANALYZE {pooled}")
    territories = {("france", "FRM")}
    for commune in Commune.objects.filter(code__in=codes).select_related("epci", "ept"):
        territories |= {("region", commune.region_id), ("departement", commune.departement_id)}
        grouping = commune.ept_id or commune.epci_id
        if grouping:
            territories.add(("epci", grouping))
    ReferenceValue.objects.bulk_create(
        [
            ReferenceValue(
                level=level,
                code=code,
                indicator_id=indicator,
                year=year,
                value=Decimal("20.5"),
                source="bench",
            )
            for (level, code), indicator, year in itertools.product(
                territories, Indicator.objects.values_list("code", flat=True), YEARS
            )
        ],
        batch_size=5000,
    )
    return codes


def _publisher_ready():
    member = onboard_member(PUBLISHER)
    connection.set_schema_to_public()
    indicators = list(Indicator.objects.all())
    with schema_context(member.schema_name):
        Observation.objects.bulk_create(
            [
                Observation(
                    indicator=indicator,
                    year=year,
                    value=Decimal("25.5"),
                    status="value",
                    state=Observation.State.VALIDATED,
                    source="bench",
                )
                for indicator in indicators
                for year in YEARS
            ]
        )
    return member


def run() -> None:
    codes = _generate_pool()
    member = _publisher_ready()

    def publish():
        assert publish_observations(member) == 14 * len(YEARS)
        connection.set_schema_to_public()

    report("publication: one member, 14 indicators x 10 years", timings(publish, repeat=15), 500)
    print(
        f"pool: {PublishedValue.objects.count()} published values, {len(codes) + 1} communes",
        flush=True,
    )

    client = Client(HTTP_HOST="localhost")
    cycle = itertools.cycle(codes[::7])
    indicators = itertools.cycle(Indicator.objects.values_list("code", flat=True))

    def comparison():
        response = client.get(
            f"/api/v1/comparison/?commune={next(cycle)}&indicator={next(indicators)}&year=2020"
        )
        assert response.status_code == 200

    report("GET /api/v1/comparison/ (1,000 communes pooled)", timings(comparison, repeat=60), 30)

    def portrait():
        response = client.get(f"/indicateurs/communes/{next(cycle)}/")
        assert response.status_code == 200 and b"<svg" in response.content

    report(
        "GET /indicateurs/communes/<insee>/ (portrait, 14 indicators)",
        timings(portrait, repeat=30),
        150,
    )

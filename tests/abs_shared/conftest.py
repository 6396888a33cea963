"""Builders for the ABS tests: real files in tmp_path, pooled values published the real way."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context

from abs_shared.local.models import Observation
from abs_shared.local.services import (
    publish_observations,
    save_observation,
    validate_observations,
)
from abs_shared.models import Indicator, ReferenceValue, ValueStatus
from abs_shared.services import PublishItem, publish_values
from tenants.models import Commune, MemberCCAS


def write_file(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def upload(path: Path) -> SimpleUploadedFile:
    """A real file from disk, as Django hands it to a view or a service."""
    return SimpleUploadedFile(path.name, path.read_bytes())


def pool_member(
    insee: str, kind: str = MemberCCAS.Kind.CCAS, intercommunality: str | None = None
) -> MemberCCAS:
    """A member row without a schema: enough for tests that only read the public pool.

    bulk_create skips TenantMixin.save(), which would clone a schema (0.3 s each). A CIAS is
    seated in the commune `insee` and covers the intercommunality of SIREN `intercommunality`
    (none given: attached to none, as a CIAS row from before that field).
    """
    commune = Commune.objects.get(code=insee)
    (member,) = MemberCCAS.objects.bulk_create(
        [
            MemberCCAS(
                schema_name=f"pool_{kind.lower()}_{insee}",
                name=f"{kind} de {commune.nom}",
                slug=f"pool-{kind.lower()}-{insee}",
                kind=kind,
                commune=commune,
                intercommunality_id=intercommunality,
                joined_on=datetime.date(2024, 1, 1),
            )
        ]
    )
    return member


def pool_value(member: MemberCCAS, code: str, year: int, value, *, denominator=None) -> None:
    """Publish one value to the pool through the publication service ("s" for secret)."""
    status = ValueStatus.SECRET if value == "s" else ValueStatus.VALUE
    publish_values(
        member,
        [
            PublishItem(
                indicator=Indicator.objects.get(code=code),
                year=year,
                value=None if value == "s" else Decimal(str(value)),
                status=status,
                denominator=denominator,
                source="test",
            )
        ],
    )


def observe(member: MemberCCAS, code: str, year: int, value, **extra) -> Observation:
    """A member's draft observation ("s" secret, None missing)."""
    if value == "s":
        status, number = ValueStatus.SECRET, None
    elif value is None:
        status, number = ValueStatus.MISSING, None
    else:
        status, number = ValueStatus.VALUE, Decimal(str(value))
    observation = save_observation(
        member,
        indicator=Indicator.objects.get(code=code),
        year=year,
        status=status,
        value=number,
        **extra,
    )
    connection.set_schema_to_public()
    return observation


def observe_and_publish(member: MemberCCAS, code: str, year: int, value, **extra) -> None:
    observe(member, code, year, value, **extra)
    validate_observations(member, year=year, indicators=[code])
    publish_observations(member, year=year, indicators=[code])
    connection.set_schema_to_public()


def observations_of(member: MemberCCAS) -> list[Observation]:
    with schema_context(member.schema_name):
        return list(Observation.objects.order_by("indicator_id", "year"))


def reference(level: str, code: str, indicator: str, year: int, value) -> ReferenceValue:
    status = ValueStatus.SECRET if value == "s" else ValueStatus.VALUE
    return ReferenceValue.objects.create(
        level=level,
        code=code,
        indicator_id=indicator,
        year=year,
        value=None if value == "s" else Decimal(str(value)),
        status=status,
        source="test",
    )

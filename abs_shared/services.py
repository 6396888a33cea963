"""Writes of the public half of the ABS: reference imports, publication to the pool, retraction."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from abs_shared.models import (
    FRANCE_CODE,
    SECRECY_THRESHOLD,
    WHOLE_FRANCE_CODE,
    Indicator,
    PublishedValue,
    ReferenceValue,
    ValueStatus,
)
from abs_shared.tabular import (
    CODE_WIDTHS,
    ImportIssue,
    ImportRejected,
    check_value_range,
    header_key,
    insee_code,
    key_columns,
    parse_value,
    parse_year,
    read_table,
)
from tenants.models import Departement, Intercommunality, MemberCCAS, Region
from union.audit import record_audit

REFERENCE_COLUMNS = ("level", "code", "indicator", "year", "value")
# The French name of each column, for a column missing from the file; its French header is read
# too (compared without case or accents), like the member's import.
REFERENCE_FRENCH_NAMES = {
    "level": "niveau",
    "code": "code",
    "indicator": "indicateur",
    "year": "année",
    "value": "valeur",
    "source": "source",
}
REFERENCE_ALIASES = {header_key(name): field for field, name in REFERENCE_FRENCH_NAMES.items()} | {
    field: field for field in REFERENCE_FRENCH_NAMES
}
MAX_SOURCE = ReferenceValue._meta.get_field("source").max_length


def _territory_codes() -> dict[str, set[str]]:
    return {
        # FRM for the métropole's communes, FR (France entière) for the DROM's.
        ReferenceValue.Level.FRANCE: {FRANCE_CODE, WHOLE_FRANCE_CODE},
        ReferenceValue.Level.REGION: set(Region.objects.values_list("code", flat=True)),
        ReferenceValue.Level.DEPARTEMENT: set(Departement.objects.values_list("code", flat=True)),
        ReferenceValue.Level.EPCI: set(Intercommunality.objects.values_list("siren", flat=True)),
    }


def parse_references(uploaded, default_source: str = "") -> list[ReferenceValue]:
    """Check a whole reference file (`level,code,indicator,year,value[,source]`); raise ImportRejected."""
    table = read_table(uploaded, lower_header=False)
    labels, header_issues = key_columns(table, REFERENCE_ALIASES, REFERENCE_FRENCH_NAMES)
    missing = [
        ImportIssue(
            1,
            column,
            f"Colonne « {column} » absente de la ligne d'en-tête "
            "(level;code;indicator;year;value[;source]).",
        )
        for column in REFERENCE_COLUMNS
        if column not in labels
    ]
    if missing or header_issues:
        raise ImportRejected(header_issues + missing)
    label = labels.get  # every issue names the column as the file's header writes it
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    territories = _territory_codes()
    errors: list[ImportIssue] = list(table.issues)
    seen: dict[tuple, int] = {}
    parsed = []
    for line, row in table.rows:
        level = row["level"].strip().lower()
        # « 1 » for the département 01, as a spreadsheet writes it (the member's import reads
        # its CODGEO the same way).
        code = insee_code(row["code"], CODE_WIDTHS.get(level, 0))
        indicator = indicators.get(row["indicator"].strip().upper())
        row_errors = []
        if level not in territories:
            row_errors.append(
                ImportIssue(
                    line,
                    label("level"),
                    f"Niveau « {row['level']} » inconnu (france, region, departement ou epci).",
                )
            )
        elif code not in territories[level]:
            row_errors.append(
                ImportIssue(
                    line, label("code"), f"Code « {row['code']} » inconnu pour le niveau {level}."
                )
            )
        if indicator is None:
            row_errors.append(
                ImportIssue(
                    line,
                    label("indicator"),
                    f"Indicateur « {row['indicator']} » absent du catalogue.",
                )
            )
        try:
            year = parse_year(row["year"])
        except ValueError as error:
            row_errors.append(ImportIssue(line, label("year"), str(error)))
            year = None
        try:
            status, value = parse_value(row["value"])
            if indicator is not None:
                check_value_range(indicator, value, row["value"])
        except ValueError as error:
            row_errors.append(ImportIssue(line, label("value"), str(error)))
        source = row.get("source", "").strip()
        if len(source) > MAX_SOURCE:  # cut, it would lose its end (year, table) unsaid
            row_errors.append(
                ImportIssue(
                    line,
                    label("source"),
                    f"Source trop longue : {len(source)} caractères, {MAX_SOURCE} au plus.",
                )
            )
        if not row_errors:
            key = (level, code, indicator.code, year)
            if key in seen:
                row_errors.append(
                    ImportIssue(line, label("indicator"), f"Doublon de la ligne {seen[key]}.")
                )
            seen[key] = line
        errors.extend(row_errors)
        if not row_errors:
            parsed.append(
                ReferenceValue(
                    level=level,
                    code=code,
                    indicator=indicator,
                    year=year,
                    value=value,
                    status=status,
                    # The form's default source has the same limit; the catalogue's fits too.
                    source=(source or default_source or indicator.source)[:MAX_SOURCE],
                )
            )
    if errors:
        raise ImportRejected(sorted(errors, key=lambda issue: issue.line))
    if not parsed:
        raise ImportRejected([ImportIssue(2, "", "Aucune ligne de données.")])
    return parsed


@transaction.atomic
def import_references(uploaded, *, actor=None, default_source: str = "") -> int:
    """Import reference values from a file, all or nothing; existing values are replaced."""
    values = parse_references(uploaded, default_source)
    ReferenceValue.objects.bulk_create(
        values,
        update_conflicts=True,
        unique_fields=["level", "code", "indicator", "year"],
        update_fields=["value", "status", "source", "imported_at"],
    )
    record_audit(
        "abs.references.import",
        actor=actor,
        target=getattr(uploaded, "name", "") or "fichier",
        rows=len(values),
    )
    return len(values)


@dataclass(frozen=True)
class PublishItem:
    """One validated observation on its way to the pool.

    `numerator` and `denominator` (when the member gave them) are what secrecy is checked on;
    neither reaches the pool.
    """

    indicator: Indicator
    year: int
    value: Decimal | None
    status: str
    denominator: Decimal | None
    source: str
    numerator: Decimal | None = None


def pooled_status(item: PublishItem) -> str:
    """Secrecy at publication: a count (or a rate) over fewer than 11 units is published as secret.

    A rate is secret when its denominator or its numerator is below the threshold: with 3 poor
    households out of 200, the rate and the (public) number of households give the 3 away. A
    percentage given with its denominator but not its numerator is checked on the numerator it
    implies (1,5 % of 200 is 3). A percentage with its denominator is also secret when the rest
    (denominator − numerator) is below the threshold: 97 % of 150 people aged 75 or more living
    alone says that 4 or 5 do not, a cell of fewer than 11 given by difference. Given with its
    numerator only, a percentage implies its denominator (96,7 % and 145 people: 150 in all, 5
    apart), which is checked the same way.
    """
    if item.status != ValueStatus.VALUE:
        return ValueStatus.SECRET
    if item.denominator is not None and item.denominator < SECRECY_THRESHOLD:
        return ValueStatus.SECRET
    numerator, denominator = item.numerator, item.denominator
    if numerator is None and denominator is not None and item.indicator.is_percent:
        numerator = item.value * denominator / 100
    if numerator is not None and numerator < SECRECY_THRESHOLD:
        return ValueStatus.SECRET
    if denominator is None and numerator is not None and item.indicator.is_percent:
        # 0 % of a numerator above 0 implies nothing: such a value is checked no further.
        denominator = numerator * 100 / item.value if item.value else None
    if (
        item.indicator.is_percent
        and denominator is not None
        and denominator - numerator < SECRECY_THRESHOLD
    ):
        return ValueStatus.SECRET
    if item.indicator.is_count and item.value < SECRECY_THRESHOLD:
        return ValueStatus.SECRET
    return ValueStatus.VALUE


def made_secret(items: list[PublishItem]) -> int:
    """How many numbers of these items the publication turns into secrets (fewer than 11 people
    or households): the director is told, as the portal will show « s » for them."""
    return sum(
        item.status == ValueStatus.VALUE and pooled_status(item) == ValueStatus.SECRET
        for item in items
    )


@transaction.atomic
def publish_values(member: MemberCCAS, items: list[PublishItem], *, actor=None) -> int:
    """Write (or replace) the member's pooled values for these indicators and years; audited.

    Returns how many values the pool now holds from these items. Missing values are not pooled:
    a missing value removes the member's pooled value of that indicator and year, so that a
    figure the director has since marked « non disponible » does not stay in the pool.
    """
    missing = [
        (item.indicator.code, item.year) for item in items if item.status == ValueStatus.MISSING
    ]
    items = [item for item in items if item.status != ValueStatus.MISSING]
    withdrawn = _remove_pooled(member, missing)
    if not items and not withdrawn:
        return 0
    now = timezone.now()
    rows = []
    for item in items:
        status = pooled_status(item)
        rows.append(
            PublishedValue(
                member=member,
                commune_id=member.commune_id,
                indicator=item.indicator,
                year=item.year,
                value=item.value if status == ValueStatus.VALUE else None,
                status=status,
                source=item.source[:200],
                published_by=actor if getattr(actor, "is_authenticated", False) else None,
                published_at=now,
            )
        )
    PublishedValue.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["member", "indicator", "year"],
        update_fields=["commune", "value", "status", "source", "published_by", "published_at"],
    )
    record_audit(
        "abs.publish",
        actor=actor,
        member=member,
        shared=True,  # what was published: the union's to know
        target=member.commune_id,
        values=len(rows),
        suppressed=sum(row.status == ValueStatus.SECRET for row in rows),
        withdrawn_as_missing=withdrawn,
        years=sorted({item.year for item in items}),
        indicators=sorted({item.indicator.code for item in items}),
    )
    return len(rows)


def _remove_pooled(member: MemberCCAS, pairs: list[tuple[str, int]]) -> int:
    """Delete the member's pooled values of these (indicator code, year) pairs; how many were."""
    if not pairs:
        return 0
    wanted = Q()
    for code, year in pairs:
        wanted |= Q(indicator_id=code, year=year)
    deleted, _by_model = PublishedValue.objects.filter(wanted, member=member).delete()
    return deleted


@transaction.atomic
def retract_values(
    member: MemberCCAS,
    *,
    year: int | None = None,
    indicators: list[str] | None = None,
    actor=None,
) -> list[tuple[str, int]]:
    """Remove the member's pooled values (a year, or every year; some indicators, or all); audited.

    Returns the (indicator, year) pairs removed.
    """
    published = PublishedValue.objects.filter(member=member)
    if year is not None:
        published = published.filter(year=year)
    if indicators:
        published = published.filter(indicator_id__in=indicators)
    removed = list(published.values_list("indicator_id", "year"))
    published.delete()
    record_audit(
        "abs.retract",
        actor=actor,
        member=member,
        shared=True,
        target=member.commune_id,
        values=len(removed),
        year=year,
        indicators=sorted(indicators) if indicators else "tous",
    )
    return removed


# --- the catalogue -------------------------------------------------------------------------


def values_held(indicator: Indicator) -> list[str]:
    """What already holds values of this indicator, in words (« des valeurs publiées »…): its unit
    is then fixed (see wagtail_hooks.IndicatorForm). Members' drafts are not read: request
    handlers never visit the members' schemas (ARCHITECTURE.md, the tenant boundary): each
    member's value keeps the unit it was typed in, and one typed in the former unit is neither
    validated nor published until saved again (abs_shared.local.models.Observation.unit).
    """
    held = []
    if PublishedValue.objects.filter(indicator=indicator).exists():
        held.append("des valeurs publiées")
    if ReferenceValue.objects.filter(indicator=indicator).exists():
        held.append("des valeurs de référence")
    return held

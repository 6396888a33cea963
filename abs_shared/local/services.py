"""Writes of a member's ABS: observations, imports, validation, publication and retraction.

Each function sets the member's schema itself (callers may be a request on the member host, a
command or a test), and runs in one transaction covering both the member's schema and the public
pool: a publication is written whole or not at all.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tenants.utils import schema_context

from abs_shared.comparisons import Point, hidden_intercommunal_counts
from abs_shared.local.importer import read_observations
from abs_shared.local.models import Observation
from abs_shared.models import Indicator, PublishedValue, ValueStatus
from abs_shared.services import PublishItem, made_secret, publish_values, retract_values
from tenants.models import MemberCCAS
from union.audit import record_audit


def _actor_id(actor) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def _selection(year: int | None, indicators: list[str] | None) -> QuerySet:
    observations = Observation.objects.select_related("indicator")
    if year is not None:
        observations = observations.filter(year=year)
    if indicators:
        observations = observations.filter(indicator_id__in=indicators)
    return observations


# Typed in the indicator's present unit (or before units were recorded): what validating and
# publishing act on. Excluded, the values Observation.unit_changed marks.
UNIT_UNCHANGED = Q(unit="") | Q(unit=F("indicator__unit"))


def unit_changed_labels(
    member: MemberCCAS, state: str, *, year: int | None = None, indicators: list[str] | None = None
) -> list[str]:
    """« Label (year) » of each value of the selection in `state` that validating (drafts) or
    publishing (validated values) leaves out, its unit having changed since it was typed; for
    the page to say which and why."""
    with schema_context(member.schema_name):
        selection = _selection(year, indicators).filter(state=state)
        changed = selection.exclude(UNIT_UNCHANGED).order_by("indicator__label", "year")
        return [f"« {obs.indicator.label} » ({obs.year})" for obs in changed]


class ObservationExists(ValueError):
    """The member already has an observation of this indicator for this year."""


def _draft_fields(
    indicator: Indicator,
    *,
    status: str,
    value: Decimal | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    source: str = "",
    comment: str = "",
    actor=None,
) -> dict:
    """What any change writes: the new value, back to draft, no longer the version in the pool.

    `pooled_at` is left alone: until a republication or a retraction, the pool still holds the
    previous version ("modifiée depuis la publication").
    """
    return {
        "status": status,
        "value": value if status == ValueStatus.VALUE else None,
        "numerator": numerator,
        "denominator": denominator,
        "source": source or indicator.source,
        "comment": comment,
        "state": Observation.State.DRAFT,
        "unit": indicator.unit,
        "updated_by_id": _actor_id(actor),
        "validated_by_id": None,
        "validated_at": None,
        "published_at": None,
    }


def save_observation(
    member: MemberCCAS, *, indicator: Indicator, year: int, **values
) -> Observation:
    """Create or replace the member's observation of an indicator for a year, as a draft.

    `values`: status, value, and optionally numerator, denominator, source, comment, actor (see
    _draft_fields). For commands and tests; the pages use create_observation (which refuses to
    replace) and update_observation (by primary key). A change to a validated or published
    observation sends it back to draft: a director validates it, and publishes it, again.
    """
    fields = _draft_fields(indicator, **values)
    with schema_context(member.schema_name), transaction.atomic():
        observation, _ = Observation.objects.update_or_create(
            indicator=indicator, year=year, defaults=fields
        )
    return observation


def create_observation(
    member: MemberCCAS, *, indicator: Indicator, year: int, **values
) -> Observation:
    """A new draft observation; raises ObservationExists if the member has this indicator and year."""
    fields = _draft_fields(indicator, **values)
    message = (
        f"Une valeur de « {indicator.label} » existe déjà pour {year} : "
        "modifiez-la depuis la liste des observations."
    )
    with schema_context(member.schema_name), transaction.atomic():
        if Observation.objects.filter(indicator=indicator, year=year).exists():
            raise ObservationExists(message)
        try:
            with transaction.atomic():
                return Observation.objects.create(indicator=indicator, year=year, **fields)
        except IntegrityError:  # created meanwhile by someone else
            raise ObservationExists(message) from None


def update_observation(member: MemberCCAS, pk: int, **values) -> Observation:
    """Change the value of one observation (its indicator and year never change), as a draft."""
    with schema_context(member.schema_name), transaction.atomic():
        observation = Observation.objects.select_for_update().select_related("indicator").get(pk=pk)
        fields = _draft_fields(observation.indicator, **values)
        for name, new in fields.items():
            setattr(observation, name, new)
        observation.save()
    return observation


def delete_observation(member: MemberCCAS, observation: Observation, *, actor=None) -> None:
    """Delete an observation none of whose versions is in the pool (retract it first)."""
    if observation.in_pool:
        raise ValueError("Retirez d'abord cette valeur de la publication.")
    with schema_context(member.schema_name), transaction.atomic():
        observation.delete()


@dataclass(frozen=True)
class ImportSummary:
    count: int
    # Columns of an INSEE file whose blank cell for the commune was imported as secret.
    blank_insee_columns: tuple[str, ...] = ()
    # Values already entered that the file changed, and of those how many the direction had
    # validated or published (they are drafts again); values the file gives as they are saved
    # are left alone, their state with them.
    replaced: int = 0
    replaced_validated: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.count - self.unchanged


def import_observations(member: MemberCCAS, uploaded, *, actor=None) -> int:
    """Import a whole file (template or INSEE layout) as drafts; raises ImportRejected, writing nothing.

    Returns the number of values imported; import_observations_summary says more.
    """
    return import_observations_summary(member, uploaded, actor=actor).count


def import_observations_summary(member: MemberCCAS, uploaded, *, actor=None) -> ImportSummary:
    """import_observations, also telling which blank INSEE cells were read as secret."""
    # A CIAS's values are its intercommunality's: an INSEE file's row is found by SIREN.
    territory = (
        member.intercommunality_id or ""
        if member.kind == MemberCCAS.Kind.CIAS
        else member.commune_id
    )
    parsed = read_observations(uploaded, territory)
    with schema_context(member.schema_name), transaction.atomic():
        existing = {
            (obs.indicator_id, obs.year): obs
            for obs in Observation.objects.filter(
                indicator_id__in={row.indicator.code for row in parsed},
                year__in={row.year for row in parsed},
            )
        }
        to_create, to_update = [], []
        replaced_validated = unchanged = 0
        for row in parsed:
            observation = existing.get((row.indicator.code, row.year))
            if observation is not None and _as_saved(observation, row):
                # The same file sent again must not turn validated values back into drafts.
                unchanged += 1
                continue
            if observation is not None and observation.state == Observation.State.VALIDATED:
                replaced_validated += 1
            observation = observation or Observation(indicator=row.indicator, year=row.year)
            observation.status = row.status
            observation.value = row.value
            observation.numerator = row.numerator
            observation.denominator = row.denominator
            observation.source = row.source
            observation.comment = row.comment
            observation.state = Observation.State.DRAFT
            observation.unit = row.indicator.unit
            observation.updated_by_id = _actor_id(actor)
            observation.updated_at = timezone.now()
            observation.validated_by_id = None
            observation.validated_at = None
            observation.published_at = None  # the pool keeps the older version (pooled_at)
            (to_update if observation.pk else to_create).append(observation)
        Observation.objects.bulk_create(to_create)
        Observation.objects.bulk_update(
            to_update,
            [
                "status",
                "value",
                "numerator",
                "denominator",
                "source",
                "comment",
                "state",
                "unit",
                "updated_by_id",
                "updated_at",
                "validated_by_id",
                "validated_at",
                "published_at",
            ],
        )
        record_audit(
            "abs.observations.import",
            actor=actor,
            member=member,
            target=getattr(uploaded, "name", "") or "fichier",
            rows=len(parsed),
        )
    return ImportSummary(
        count=len(parsed),
        blank_insee_columns=tuple(
            row.blank_insee_column for row in parsed if row.blank_insee_column
        ),
        replaced=len(to_update),
        replaced_validated=replaced_validated,
        unchanged=unchanged,
    )


def _as_saved(observation: Observation, row) -> bool:
    """Whether a row of the file says what `observation` already holds, in the same unit."""
    return (
        observation.status,
        observation.value,
        observation.numerator,
        observation.denominator,
        observation.source,
        observation.comment,
        observation.unit,
    ) == (
        row.status,
        row.value,
        row.numerator,
        row.denominator,
        row.source,
        row.comment,
        row.indicator.unit,
    )


def validate_observations(
    member: MemberCCAS,
    *,
    year: int | None = None,
    indicators: list[str] | None = None,
    actor=None,
) -> int:
    """A director validates the drafts of a year (or every year), for some or all indicators."""
    with schema_context(member.schema_name), transaction.atomic():
        drafts = _selection(year, indicators).filter(state=Observation.State.DRAFT)
        count = drafts.filter(UNIT_UNCHANGED).update(
            state=Observation.State.VALIDATED,
            validated_by_id=_actor_id(actor),
            validated_at=timezone.now(),
            # A draft is never the version in the pool: validating it publishes nothing.
            published_at=None,
        )
        record_audit(
            "abs.observations.validate",
            actor=actor,
            member=member,
            target=str(year or "toutes années"),
            rows=count,
        )
    return count


@dataclass(frozen=True)
class PublishSummary:
    count: int
    # Numbers the publication turned into secrets (fewer than 11 people or households).
    made_secret: int = 0


def publish_observations(
    member: MemberCCAS,
    *,
    year: int | None = None,
    indicators: list[str] | None = None,
    actor=None,
) -> int:
    """Publish the validated observations of a year (or every year) to the pool, in one transaction.

    Drafts are never published; secrecy is applied on the way (abs_shared.services.pooled_status).
    Returns the number of values pooled; publish_observations_summary says more.
    """
    return publish_observations_summary(member, year=year, indicators=indicators, actor=actor).count


def publish_observations_summary(
    member: MemberCCAS,
    *,
    year: int | None = None,
    indicators: list[str] | None = None,
    actor=None,
) -> PublishSummary:
    """publish_observations, also telling how many numbers went out as secrets."""
    with schema_context(member.schema_name), transaction.atomic():
        observations = list(_publishable(year, indicators))
        items = [
            PublishItem(
                indicator=obs.indicator,
                year=obs.year,
                value=obs.value,
                status=obs.status,
                denominator=obs.denominator,
                source=obs.source,
                numerator=obs.numerator,
            )
            for obs in observations
        ]
        count = publish_values(member, items, actor=actor)
        missing = [obs.pk for obs in observations if obs.status == ValueStatus.MISSING]
        now = timezone.now()
        Observation.objects.filter(pk__in=[obs.pk for obs in observations]).exclude(
            pk__in=missing
        ).update(published_at=now, pooled_at=now)
        # « Non disponible » is not pooled: publishing it took any older figure out of the pool.
        Observation.objects.filter(pk__in=missing).update(published_at=None, pooled_at=None)
    return PublishSummary(count=count, made_secret=made_secret(items))


def retract_observations(
    member: MemberCCAS,
    *,
    year: int | None = None,
    indicators: list[str] | None = None,
    actor=None,
) -> int:
    """Remove the member's values of a year (or every year) from the pool; its observations stay."""
    with schema_context(member.schema_name), transaction.atomic():
        removed = retract_values(member, year=year, indicators=indicators, actor=actor)
        _selection(year, indicators).update(published_at=None, pooled_at=None)
    return len(removed)


def validated_count(
    member: MemberCCAS, *, year: int | None = None, indicators: list[str] | None = None
) -> int:
    """How many validated observations a publication of this selection would take up."""
    with schema_context(member.schema_name):
        return _publishable(year, indicators).count()


def _publishable(year: int | None, indicators: list[str] | None) -> QuerySet:
    """The validated observations of the selection, but those validated before the union
    changed their indicator's unit: never pooled as a figure of the new one."""
    validated = _selection(year, indicators).filter(state=Observation.State.VALIDATED)
    return validated.filter(UNIT_UNCHANGED)


def state_counts(member: MemberCCAS) -> dict[str, int]:
    """Drafts, validated (not in the pool) and published observations of the member."""
    with schema_context(member.schema_name):
        observations = Observation.objects.all()
        return {
            "drafts": observations.filter(state=Observation.State.DRAFT).count(),
            "validated": observations.filter(
                state=Observation.State.VALIDATED, published_at__isnull=True
            ).count(),
            "published": observations.filter(
                state=Observation.State.VALIDATED, published_at__isnull=False
            ).count(),
        }


def secret_in_pool(member: MemberCCAS) -> set[tuple[str, int]]:
    """The (indicator, year) the portal shows as secrets for the member (public schema): those
    the pool holds as secrets and, for a CIAS, the counts the portal hides because, with its
    communes' published counts, they would give a commune's secret away
    (comparisons.hidden_intercommunal_counts). Without the latter, the CIAS's own pages and files
    showed such a count as an ordinary published value, to be printed in its board's papers
    (audit of session 32)."""
    secrets = set(
        PublishedValue.objects.filter(member=member, status=ValueStatus.SECRET).values_list(
            "indicator_id", "year"
        )
    )
    siren = member.intercommunality_id if member.kind == MemberCCAS.Kind.CIAS else None
    if siren:
        secrets.update(
            (code, year)
            for hidden_siren, code, year in hidden_intercommunal_counts()
            if hidden_siren == siren
        )
    return secrets


def is_secret_in_pool(observation: Observation, secrets: set[tuple[str, int]]) -> bool:
    """A number of the member that the pool holds, exactly this version, as « s »."""
    return (
        observation.status == ValueStatus.VALUE
        and observation.is_published
        and (observation.indicator_id, observation.year) in secrets
    )


def own_points(member: MemberCCAS) -> dict[tuple[str, int], Point]:
    """The member's observations as comparison points.

    Anything that is not in the pool exactly as it stands here is marked as a draft; a number
    the pool holds as « s » (published as secret) is marked `secret_in_pool`, compared with what
    the pool holds rather than recomputed, so that it says what the portal shows.
    """
    secrets = secret_in_pool(member)
    with schema_context(member.schema_name):
        return {
            (obs.indicator_id, obs.year): Point(
                obs.value,
                obs.status,
                draft=obs.is_draft or not obs.is_published,
                source=obs.source,
                secret_in_pool=is_secret_in_pool(obs, secrets),
            )
            for obs in Observation.objects.all()
        }

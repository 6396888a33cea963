"""The private half of the ABS: a member's own observations (tenant schema)."""

from django.conf import settings
from django.db import models

from abs_shared.models import Indicator, ValueStatus, value_matches_status


def _person() -> models.ForeignKey:
    # People live in public: no database constraint across schemas (they are deactivated, not
    # deleted).
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )


class Observation(models.Model):
    """A member's value of an indicator for a year: draft, then validated by a director.

    Only a director's explicit publication copies validated observations to the public pool
    (abs_shared.PublishedValue). `pooled_at` says a version of this observation is in the pool
    (set by publication, cleared only by retraction); `published_at` says the pool holds this
    version exactly (set by publication, cleared by any change and by retraction). So a value
    changed after its publication is "modifiée depuis la publication" (pooled_at set, published_at
    empty) until it is republished or retracted, whether or not it has been validated again.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        VALIDATED = "validated", "Validée"

    # Public tables: no database constraint across schemas.
    indicator = models.ForeignKey(
        "abs_shared.Indicator",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="indicateur",
    )
    year = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("valeur", max_digits=16, decimal_places=4, null=True, blank=True)
    status = models.CharField(
        "statut", max_length=8, choices=ValueStatus.choices, default=ValueStatus.VALUE
    )
    numerator = models.DecimalField(
        "numérateur", max_digits=16, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        "dénominateur", max_digits=16, decimal_places=2, null=True, blank=True
    )
    source = models.CharField("source", max_length=200, blank=True)
    comment = models.TextField("commentaire", blank=True)
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.DRAFT)
    # The indicator's unit when the value was typed or imported: the union may change a unit
    # before anything is published (abs_shared.services.values_held), but cannot read members'
    # drafts; a value typed as « effectif » must not go out as a « % » (see unit_changed).
    unit = models.CharField(
        "unité à la saisie",
        max_length=12,
        choices=Indicator.Unit.choices,
        blank=True,
        default="",
        db_default="",
    )
    updated_by = _person()
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    validated_by = _person()
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    pooled_at = models.DateTimeField("dans l'espace commun depuis le", null=True, blank=True)

    class Meta:
        verbose_name = "observation"
        ordering = ["indicator__position", "indicator_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_observation_per_year"),
            value_matches_status("observation_value_matches_status"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}"

    @property
    def unit_changed(self) -> bool:
        """The indicator's unit changed since this value was typed: it is neither validated nor
        published until it is checked and saved again (in the new unit)."""
        return bool(self.unit) and self.unit != self.indicator.unit

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_published(self) -> bool:
        """The pool holds this observation exactly as it stands."""
        return self.published_at is not None

    @property
    def in_pool(self) -> bool:
        """Some version of this observation is in the pool (it must be retracted to be deleted)."""
        return self.pooled_at is not None

    @property
    def changed_since_publication(self) -> bool:
        """The pool still holds an older version of this observation."""
        return self.pooled_at is not None and self.published_at is None

    @property
    def display_value(self) -> str:
        return self.indicator.format(self.value, self.status)

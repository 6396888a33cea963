"""ABS mutualisée (public schema): the indicator catalogue, reference values and the pooled values.

Only aggregates published explicitly by a member's director reach these tables; a member's drafts
live in its own schema (abs_shared.local).
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models

from union.formats import french_number

# The demo's invented figures carry this source, so that every page and export showing them says so.
DEMO_SOURCE = "Données de démonstration (valeurs fictives)"
# CNIS rule for gridded data: a count below this is not published.
SECRECY_THRESHOLD = 11
# Figures are published with at most this many decimals (INSEE: 1, ratios: up to 4).
MAX_DECIMALS = 6
FRANCE_CODE = "FRM"
# France entière (métropole and DROM): the national reference of a DROM commune.
WHOLE_FRANCE_CODE = "FR"


class ValueStatus(models.TextChoices):
    """A value is a number, secret (exists, not publishable: "s") or missing ("n.d.")."""

    VALUE = "value", "Valeur"
    SECRET = "secret", "Secret statistique"
    MISSING = "missing", "Non disponible"


def value_matches_status(name: str) -> models.CheckConstraint:
    """A number exactly when the status is "value": a secret can never hide a number."""
    return models.CheckConstraint(
        condition=models.Q(status="value", value__isnull=False)
        | models.Q(~models.Q(status="value"), value__isnull=True),
        name=name,
    )


class Indicator(models.Model):
    """One indicator of the catalogue, edited by union staff. Its code is its identity."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "%"
        EUROS_YEAR = "euros_year", "euros par an"
        COUNT = "count", "effectif"
        RATIO = "ratio", "rapport"
        INDEX = "index", "indice"

    class Polarity(models.TextChoices):
        HIGHER_FRAGILE = "higher_fragile", "Plus la valeur est haute, plus la situation est fragile"
        LOWER_FRAGILE = "lower_fragile", "Plus la valeur est basse, plus la situation est fragile"
        # D9/D1: a rich minority raises it as much as a poor one; ranked, but as inequality.
        HIGHER_UNEQUAL = (
            "higher_unequal",
            "Plus la valeur est haute, plus les inégalités sont fortes",
        )
        NEUTRAL = "neutral", "Neutre"

    code = models.CharField(
        "code",
        max_length=20,
        primary_key=True,
        # Pages, exports and imports look codes up in capitals ("tp60" in a URL is TP60).
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9]*$",
                "Le code s'écrit en majuscules et chiffres, sans espace ni accent (ex. TP60).",
            )
        ],
        help_text="Majuscules et chiffres, sans espace ; c'est aussi le préfixe des colonnes INSEE "
        "(MED21 = MED pour 2021).",
    )
    label = models.CharField("libellé", max_length=200)
    definition = models.TextField("définition", blank=True)
    unit = models.CharField("unité", max_length=12, choices=Unit.choices)
    decimals = models.PositiveSmallIntegerField(
        "décimales affichées",
        default=1,
        validators=[
            MaxValueValidator(
                MAX_DECIMALS,
                "Au plus %(limit_value)s décimales (la valeur saisie est %(show_value)s).",
            )
        ],
        help_text=f"De 0 à {MAX_DECIMALS} chiffres après la virgule.",
    )
    source = models.CharField("source", max_length=200, blank=True)
    polarity = models.CharField(
        "sens de lecture", max_length=16, choices=Polarity.choices, default=Polarity.NEUTRAL
    )
    theme = models.CharField("thème", max_length=100, blank=True)
    break_after = ArrayField(
        models.PositiveSmallIntegerField(),
        default=list,
        blank=True,
        verbose_name="ruptures de série après les années",
        help_text="Années après lesquelles la série n'est pas comparable (ex. 2021 pour Filosofi), "
        "séparées par des virgules.",
    )
    break_notes = models.TextField("notes sur les ruptures de série", blank=True)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        verbose_name = "indicateur"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    @property
    def unit_label(self) -> str:
        return self.get_unit_display()

    @property
    def unit_suffix(self) -> str:
        """What follows a number in running text: "27,1 %", "19 215 € par an", "1 727"."""
        return {self.Unit.PERCENT: "%", self.Unit.EUROS_YEAR: "€ par an"}.get(self.unit, "")

    @property
    def gap_unit(self) -> str:
        """A gap between two percentages is in percentage points."""
        return "points" if self.unit == self.Unit.PERCENT else self.get_unit_display()

    @property
    def is_count(self) -> bool:
        return self.unit == self.Unit.COUNT

    @property
    def rank_polarity(self) -> str:
        """The polarity ranks are computed with. A count is never ranked: a larger commune has
        more RSA households without being more fragile (its rate says that)."""
        return self.Polarity.NEUTRAL if self.is_count else self.polarity

    @property
    def rank_first(self) -> str:
        """Who is ranked 1, as the rank columns say it."""
        if self.polarity == self.Polarity.HIGHER_UNEQUAL:
            return "le plus inégalitaire"
        return "le plus fragile"

    @property
    def is_percent(self) -> bool:
        return self.unit == self.Unit.PERCENT

    def format(self, value: Decimal | float | None, status: str = ValueStatus.VALUE) -> str:
        """French display of a value: "12,3 %", "21 340 €", "s" for secret, "n.d." for missing."""
        if status == ValueStatus.SECRET:
            return "s"
        if value is None or status == ValueStatus.MISSING:
            return "n.d."
        return french_number(value, self.decimals)

    def format_with_unit(
        self, value: Decimal | float | None, status: str = ValueStatus.VALUE
    ) -> str:
        """format() followed by the unit a number takes in running text (unit_suffix):
        "27,1 %", "19 215 € par an", "1 727"; "s" and "n.d." alone."""
        shown = self.format(value, status)
        if status != ValueStatus.VALUE or value is None:
            return shown
        return f"{shown} {self.unit_suffix}".strip()


class ReferenceValue(models.Model):
    """The value of an indicator for France métropolitaine, a région, a département or an EPCI/EPT."""

    class Level(models.TextChoices):
        FRANCE = "france", "France métropolitaine"
        REGION = "region", "Région"
        DEPARTEMENT = "departement", "Département"
        EPCI = "epci", "EPCI ou EPT"

    level = models.CharField("niveau", max_length=12, choices=Level.choices)
    code = models.CharField(
        "code", max_length=9, help_text="FRM, code INSEE de la région ou du département, SIREN."
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="references", verbose_name="indicateur"
    )
    year = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("valeur", max_digits=16, decimal_places=4, null=True, blank=True)
    status = models.CharField(
        "statut", max_length=8, choices=ValueStatus.choices, default=ValueStatus.VALUE
    )
    source = models.CharField("source", max_length=200, blank=True)
    imported_at = models.DateTimeField("importée le", auto_now=True)

    class Meta:
        verbose_name = "valeur de référence"
        verbose_name_plural = "valeurs de référence"
        ordering = ["indicator", "level", "code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "indicator", "year"], name="one_reference_value"
            ),
            value_matches_status("reference_value_matches_status"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.level} {self.code} {self.year}"


class PublishedValueQuerySet(models.QuerySet):
    def of_communes(self) -> "PublishedValueQuerySet":
        """The values that stand for their commune: its CCAS's. A CIAS may be seated in a commune
        that has its own CCAS, and its values describe the whole intercommunality: they are
        pooled under the CIAS but kept out of the commune comparisons. A suspended member's
        values are kept (they return with the member) but not shown: its director can no longer
        reach its space to withdraw them."""
        return self.filter(member__kind="CCAS", member__status="active")

    def of_intercommunalities(self) -> "PublishedValueQuerySet":
        """The values that stand for an intercommunality: its CIAS's (pooled under the CIAS,
        compared only with the other CIAS')."""
        return self.filter(
            member__kind="CIAS", member__intercommunality__isnull=False, member__status="active"
        )


class PublishedValue(models.Model):
    """A member's value published to the pool: the only member data the union's space holds.

    Written and removed only by abs_shared.services (publication, retraction), in one transaction.
    Comparisons read this table alone; request handlers never visit member schemas. One value per
    member, indicator and year: a member's publication never replaces another member's.
    """

    member = models.ForeignKey(
        "tenants.MemberCCAS", on_delete=models.CASCADE, related_name="published_values"
    )
    commune = models.ForeignKey(
        "tenants.Commune", on_delete=models.PROTECT, related_name="published_values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="published")
    year = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("valeur", max_digits=16, decimal_places=4, null=True, blank=True)
    status = models.CharField(
        "statut",
        max_length=8,
        choices=[(ValueStatus.VALUE, "Valeur"), (ValueStatus.SECRET, "Secret statistique")],
    )
    source = models.CharField("source", max_length=200, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField("publiée le")

    objects = PublishedValueQuerySet.as_manager()

    class Meta:
        verbose_name = "valeur publiée"
        verbose_name_plural = "valeurs publiées"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "indicator", "year"], name="one_published_value_per_member"
            ),
            # Secret is never stored as a number: it can then never be averaged by mistake.
            models.CheckConstraint(
                condition=models.Q(status="value", value__isnull=False)
                | models.Q(status="secret", value__isnull=True),
                name="published_value_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="published_indicator_year")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.indicator_id} {self.year}"


# What the API shows and union staff edit of an indicator (the admin adds the display order).
CATALOGUE_FIELDS = [
    "code",
    "label",
    "definition",
    "unit",
    "decimals",
    "source",
    "polarity",
    "theme",
    "break_after",
    "break_notes",
]

POPULATION_BANDS: list[tuple[int, int | None, str]] = [
    (0, 5_000, "moins de 5 000 habitants"),
    (5_000, 10_000, "de 5 000 à 10 000 habitants"),
    (10_000, 20_000, "de 10 000 à 20 000 habitants"),
    (20_000, 50_000, "de 20 000 à 50 000 habitants"),
    (50_000, 100_000, "de 50 000 à 100 000 habitants"),
    (100_000, None, "100 000 habitants ou plus"),
]


def population_band(population: int) -> tuple[int, int | None, str]:
    """The band (lower bound included, upper excluded, label) a commune's population falls in."""
    for low, high, label in POPULATION_BANDS:
        if high is None or population < high:
            return low, high, label
    raise AssertionError("unreachable: the last band is open")

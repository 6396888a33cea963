"""Editable reference lists of the knowledge base: themes, audiences and the glossary."""

import re
import unicodedata

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, TitleFieldPanel
from wagtail.admin.widgets.slug import SlugInput
from wagtail.search import index

from union.slugs import first_free

# Holds the sigles only since the glossary took terms too (an older cached value would not).
GLOSSARY_CACHE_KEY = "knowledge_base:glossary-sigles"


def acronym_key(acronym: str) -> str:
    """What makes two ways of typing a sigle the same: « CCAS », « ccas », « C.C.A.S. »."""
    return re.sub(r"[\s.]", "", acronym).upper()


class Audience(models.TextChoices):
    """Who a page is written for (fixed list: the union's four readerships)."""

    ELUS = "elus", "Élus"
    DIRECTEURS = "directeurs", "Directeurs et directrices"
    AGENTS = "agents", "Agents"
    PARTENAIRES = "partenaires", "Partenaires"


class ChoiceArrayField(ArrayField):
    """An array of choices edited as checkboxes (the stock ArrayField form is a comma list)."""

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.base_field.choices,
            "coerce": self.base_field.to_python,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        # Skip ArrayField.formfield, which would force its SimpleArrayField.
        return super(ArrayField, self).formfield(**defaults)


class Theme(index.Indexed, models.Model):
    """A theme of the union's work (accès aux droits, domiciliation...), shared by guides and
    experiences. Editable as a snippet; the slug appears in shared listing URLs."""

    # French messages for a duplicate: Django's own read « Un objet Thème avec ce champ Slug
    # existe déjà. »
    name = models.CharField(
        "nom",
        max_length=100,
        unique=True,
        error_messages={"unique": "Un thème porte déjà ce nom : choisissez-en un autre."},
    )
    slug = models.SlugField(
        "slug",
        unique=True,
        blank=True,
        max_length=100,
        help_text="Identifiant du thème dans les adresses (ex. : acces-aux-droits) : lettres "
        "minuscules sans accents, chiffres et tirets. Rempli d'après le nom ; laissé vide, il "
        "est créé à l'enregistrement.",
        error_messages={
            "unique": "Un thème porte déjà ce slug (identifiant dans les adresses) : "
            "choisissez-en un autre."
        },
    )
    description = models.TextField("description", blank=True)
    sort_order = models.PositiveSmallIntegerField("ordre", default=0)

    panels = [
        # The slug follows the name as it is typed (Wagtail's title/slug sync), until edited.
        TitleFieldPanel("name", placeholder=False, apply_if_live=True, classname=""),
        FieldPanel("slug", widget=SlugInput),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "thème"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.free_slug()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.slug and self.name:
            self.slug = self.free_slug()

    def free_slug(self) -> str:
        """A slug made from the name, not used by another theme (« -2 », « -3 »… if it is)."""
        base = slugify(self.name)[:90] or "theme"
        others = Theme.objects.exclude(pk=self.pk)
        return first_free(base, lambda slug: others.filter(slug=slug).exists())


class GlossaryKind(models.TextChoices):
    """What a glossary entry is: only a sigle is marked up in guides (<abbr>); a word of the trade
    is explained on /glossaire/ only (marking ordinary words would hit every capitalised one)."""

    SIGLE = "sigle", "Sigle"
    TERME = "terme", "Terme"


# A sigle is one short word (« C.C.A.S. », « C C A S » count as one), under this length.
SIGLE_MAX_LENGTH = 20


def looks_like_sigle(text: str) -> bool:
    """Written as a sigle: capitals and digits only, short (« CCAS », « UDCCAS », « RSA »), not a
    word of the trade (« Domiciliation », « Délégation de signature »). Used when an entry is
    created without its kind (imports, the demo); migration 0006 holds a frozen copy."""
    compact = re.sub(r"[\s.&'’/-]", "", text or "")
    return (
        bool(compact)
        and len(compact) <= 15
        and compact.isalnum()
        and compact == compact.upper()
        and any(char.isalpha() for char in compact)
    )


def entry_key(text: str) -> str:
    """What makes two entries the same: case, accents, dots, spaces and hyphens aside (« CCAS »,
    « C.C.A.S. », « c c a s » ; « Élection de domicile », « election de domicile »)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if char.isalnum()).upper()


class GlossaryTermForm(WagtailAdminModelForm):
    """The kind is a choice the editor makes: two radio buttons, no empty « --------- » one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].choices = GlossaryKind.choices


class GlossaryTerm(index.Indexed, models.Model):
    """An entry of the glossary: a sigle of social action (CCAS, ABS, CASF...), whose first use
    in a guide is rendered as <abbr title="expansion">, or a word of the trade (« Délégation de
    signature », « Aide facultative »), explained on the glossary page only. The page lists both.

    The column keeps its historical name `acronym` (imports and the demo write it) but holds
    either: a sigle or a term."""

    Kind = GlossaryKind

    acronym = models.CharField(
        "terme ou sigle",
        max_length=120,
        unique=True,
        help_text="Tel qu'il s'écrit dans les textes : un sigle avec ses majuscules (ex. : CCAS, "
        "RSA), un terme avec une majuscule initiale (ex. : Délégation de signature).",
        error_messages={"unique": "Ce terme ou ce sigle est déjà dans le glossaire."},
    )
    # No default: an editor chooses; code that creates an entry without it gets the kind its
    # writing says (save()).
    kind = models.CharField(
        "nature",
        max_length=5,
        choices=GlossaryKind.choices,
        help_text="Un sigle est expliqué au survol dans les guides (balise abréviation) et dans "
        "le glossaire ; un terme (mot ou expression du métier) dans le glossaire seulement.",
    )
    expansion = models.CharField(
        "forme développée ou précision",
        max_length=250,
        blank=True,
        help_text="Pour un sigle, obligatoire : ce qu'il veut dire (ex. : centre communal "
        "d'action sociale). Pour un terme, facultatif : un synonyme ou une précision affichée "
        "avant la définition (ex. : élection de domicile).",
    )
    definition = models.TextField(
        "définition", blank=True, help_text="Obligatoire pour un terme, facultative pour un sigle."
    )

    base_form_class = GlossaryTermForm
    panels = [
        FieldPanel("acronym"),
        FieldPanel("kind", widget=forms.RadioSelect),
        FieldPanel("expansion"),
        FieldPanel("definition"),
    ]
    search_fields = [
        index.SearchField("acronym"),
        index.SearchField("expansion"),
        index.AutocompleteField("acronym"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = "terme du glossaire"
        verbose_name_plural = "glossaire"
        ordering = ["acronym"]

    def __str__(self) -> str:
        if self.expansion:
            return f"{self.acronym} – {self.expansion}"
        return self.acronym

    def save(self, *args, **kwargs):
        if not self.kind:
            self.kind = GlossaryKind.SIGLE if looks_like_sigle(self.acronym) else GlossaryKind.TERME
        super().save(*args, **kwargs)
        cache.delete(GLOSSARY_CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(GLOSSARY_CACHE_KEY)
        return result

    def clean(self):
        """One entry per term or sigle, whatever its case, accents, dots and spaces: « ccas » or
        « C.C.A.S. » beside « CCAS » would be a second, competing definition. A sigle needs its
        expansion (the guides show it) and stays one short word; a term needs its definition."""
        super().clean()
        self.acronym = (self.acronym or "").strip()
        key = entry_key(self.acronym)
        if not key:
            raise ValidationError({"acronym": "Saisissez le terme ou le sigle."})
        for other in GlossaryTerm.objects.exclude(pk=self.pk).only("acronym", "kind"):
            if entry_key(other.acronym) == key:
                what = "Ce sigle" if other.kind == GlossaryKind.SIGLE else "Ce terme"
                raise ValidationError(
                    {
                        "acronym": f"{what} est déjà dans le glossaire sous la forme "
                        f"« {other.acronym} » : modifiez cette entrée plutôt que d'en créer "
                        "une seconde."
                    }
                )
        errors = {}
        if self.kind == GlossaryKind.SIGLE:
            several_words = re.search(r"\s", self.acronym) and self.acronym != self.acronym.upper()
            if len(self.acronym) > SIGLE_MAX_LENGTH or several_words:
                errors["kind"] = (
                    f"Un sigle s'écrit en un mot court ({SIGLE_MAX_LENGTH} caractères au plus), "
                    "comme CCAS ou RSA : pour un mot ou une expression, choisissez « Terme »."
                )
            elif not (self.expansion or "").strip():
                errors["expansion"] = (
                    "Saisissez la forme développée du sigle : les guides l'affichent au survol "
                    "et le glossaire à côté du sigle."
                )
        elif self.kind == GlossaryKind.TERME and not (self.definition or "").strip():
            errors["definition"] = (
                "Saisissez la définition : c'est elle que le glossaire affiche pour un terme."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_sigle(self) -> bool:
        """Marked up in guides (<abbr>); a term is explained on /glossaire/ only."""
        return self.kind == GlossaryKind.SIGLE

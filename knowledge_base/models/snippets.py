"""Editable reference lists of the knowledge base: themes, audiences and the glossary."""

import re

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, TitleFieldPanel
from wagtail.admin.widgets.slug import SlugInput
from wagtail.search import index

from union.slugs import first_free

GLOSSARY_CACHE_KEY = "knowledge_base:glossary"


def acronym_key(acronym: str) -> str:
    """What makes two acronyms the same: « CCAS », « ccas », « C.C.A.S. », « C C A S »."""
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

    # French messages for a duplicate: Django's own read « Un objet Thème avec ce champ Slug
    # existe déjà. »
    name = models.CharField(
        "nom",
        max_length=100,
        unique=True,
        error_messages={"unique": "Un thème porte déjà ce nom : choisissez-en un autre."},
    )
    slug = models.SlugField(
        "slug",
        unique=True,
        blank=True,
        max_length=100,
        help_text="Identifiant du thème dans les adresses (ex. : acces-aux-droits) : lettres "
        "minuscules sans accents, chiffres et tirets. Rempli d'après le nom ; laissé vide, il "
        "est créé à l'enregistrement.",
        error_messages={
            "unique": "Un thème porte déjà ce slug (identifiant dans les adresses) : "
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
        """A slug made from the name, not used by another theme (« -2 », « -3 »… if it is)."""
        base = slugify(self.name)[:90] or "theme"
        others = Theme.objects.exclude(pk=self.pk)
        return first_free(base, lambda slug: others.filter(slug=slug).exists())


class GlossaryTerm(index.Indexed, models.Model):
    """An acronym of social action (CCAS, ABS, CASF...). Its first use in a guide is rendered as
    <abbr title="expansion">, and the glossary page lists every term."""

    acronym = models.CharField(
        "sigle",
        max_length=20,
        unique=True,
        help_text="Tel qu'il s'écrit dans les textes, majuscules comprises (ex. : CCAS, RSA).",
        error_messages={"unique": "Ce sigle est déjà dans le glossaire."},
    )
    expansion = models.CharField("forme développée", max_length=250)
    definition = models.TextField("définition", blank=True)

    panels = [FieldPanel("acronym"), FieldPanel("expansion"), FieldPanel("definition")]
    search_fields = [
        index.SearchField("acronym"),
        index.SearchField("expansion"),
        index.AutocompleteField("acronym"),
    ]

    class Meta:
        verbose_name = "terme du glossaire"
        verbose_name_plural = "glossaire"
        ordering = ["acronym"]

    def __str__(self) -> str:
        return f"{self.acronym} – {self.expansion}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(GLOSSARY_CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(GLOSSARY_CACHE_KEY)
        return result

    def clean(self):
        """One entry per acronym, whatever its case, dots and spaces: « ccas » or « C.C.A.S. »
        beside « CCAS » would be a second, competing definition."""
        super().clean()
        self.acronym = (self.acronym or "").strip()
        key = acronym_key(self.acronym)
        if not key:
            raise ValidationError({"acronym": "Saisissez le sigle."})
        for other in GlossaryTerm.objects.exclude(pk=self.pk).only("acronym"):
            if acronym_key(other.acronym) == key:
                raise ValidationError(
                    {
                        "acronym": f"Ce sigle est déjà dans le glossaire sous la forme "
                        f"« {other.acronym} » : modifiez cette entrée plutôt que d'en créer "
                        "une seconde."
                    }
                )

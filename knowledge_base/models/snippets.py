"""Editable reference lists of the knowledge base: themes, audiences and the glossary."""

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

GLOSSARY_CACHE_KEY = "knowledge_base:glossary"


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
        max_length=100,
        help_text="Identifiant du thème dans les adresses (ex. : acces-aux-droits) : lettres "
        "minuscules sans accents, chiffres et tirets.",
        error_messages={
            "unique": "Un thème porte déjà ce slug (identifiant dans les adresses) : "
            "choisissez-en un autre."
        },
    )
    description = models.TextField("description", blank=True)
    sort_order = models.PositiveSmallIntegerField("ordre", default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "thème"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


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

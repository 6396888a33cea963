"""Model names in the admin are French and their plurals too. Django's default plural adds an
« s » at the end: « page d'accueils », « index des guidess », « auteur ou autrices »; two
models had no French name at all (« atelier rating », « handover link »). A name of several
words must say its plural itself."""

from django.apps import apps

PROJECT_APPS = ("union", "tenants", "knowledge_base", "seminars", "abs_shared")


def project_models():
    for model in apps.get_models():
        if model.__module__.split(".")[0] in PROJECT_APPS:
            yield model


def test_every_model_of_several_words_gives_its_plural():
    missing = [
        f"{model._meta.label}: {model._meta.verbose_name} → {model._meta.verbose_name_plural}"
        for model in project_models()
        if " " in str(model._meta.verbose_name)
        and "verbose_name_plural" not in model._meta.original_attrs
    ]
    assert missing == []


def test_every_model_has_a_french_name():
    """A name Django made from the class name (« atelier rating ») is the class name in lower
    case: each model says its own."""
    unnamed = [
        model._meta.label
        for model in project_models()
        if "verbose_name" not in model._meta.original_attrs
        and len(str(model._meta.verbose_name).split()) > 1
    ]
    assert unnamed == []


def test_the_plurals_that_read_wrong_before():
    plurals = {
        model._meta.label: str(model._meta.verbose_name_plural) for model in project_models()
    }
    assert plurals["union.HomePage"] == "pages d'accueil"
    assert plurals["knowledge_base.GuideIndexPage"] == "index des guides"
    assert plurals["knowledge_base.GuideAuthor"] == "auteurs ou autrices"
    assert plurals["seminars.SeminarIndexPage"] == "calendriers des événements"
    assert plurals["seminars.AtelierRating"] == "notes des ateliers"
    assert plurals["tenants.HandoverLink"] == "liens de passage vers les espaces membres"

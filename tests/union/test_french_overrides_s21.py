"""More corrections to Wagtail's French (locale/, LOCALE_PATHS): « Status » is English, the French
word is « Statut »; « La copie a échouée » is a grammar mistake."""

import pytest
from django.utils import translation


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Locking status", "Statut de verrouillage"),
        ("Current page status:", "Statut actuel de la page :"),
        ("Status: ", "Statut : "),
        (
            "Copying failed — please select and copy the token manually.",
            "La copie a échoué — veuillez sélectionner et copier le jeton manuellement.",
        ),
    ],
)
def test_wagtails_french_says_statut(english, french):
    with translation.override("fr"):
        assert translation.gettext(english) == french


IMAGE = '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>'
IMAGES = '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>'
DOC = '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>'
DOCS = '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>'


@pytest.mark.parametrize(
    ("singular", "plural", "count", "expected"),
    [
        (IMAGE, IMAGES, 1, '1 Image <span class="w-sr-only">créée dans U</span>'),
        (IMAGE, IMAGES, 1000000, '1000000 Images <span class="w-sr-only">créées dans U</span>'),
        (DOC, DOCS, 40, '40 Documents <span class="w-sr-only">créés dans U</span>'),
        (DOC, DOCS, 1000000, '1000000 Documents <span class="w-sr-only">créés dans U</span>'),
    ],
)
def test_the_site_summary_agrees_images_and_documents(singular, plural, count, expected):
    with translation.override("fr"):
        text = translation.ngettext(singular, plural, count)
    assert text % {"total": count, "site_name": "U"} == expected

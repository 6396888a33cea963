"""More corrections to Wagtail's French (locale/, LOCALE_PATHS): « Status » is English, the French
word is « Statut »; « La copie a échouée » is a grammar mistake."""

import pytest
from django.utils import translation


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Locking status", "Statut de verrouillage"),
        ("Current page status:", "Statut actuel de la page :"),
        ("Status: ", "Statut : "),
        (
            "Copying failed — please select and copy the token manually.",
            "La copie a échoué — veuillez sélectionner et copier le jeton manuellement.",
        ),
    ],
)
def test_wagtails_french_says_statut(english, french):
    with translation.override("fr"):
        assert translation.gettext(english) == french

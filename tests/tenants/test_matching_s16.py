"""The matcher and the union's former communes (session 16): Pierrefitte-sur-Seine joined
Saint-Denis (93066) in 2025; its name and its code 93059 lead there. « s/s » reads « sous »."""

import pytest

from tenants.matching import fold, match_commune, match_in_union

pytestmark = pytest.mark.django_db


def test_a_former_communes_name_start_in_the_unions_departement_is_matched():
    """Four Pierrefitte exist elsewhere (79, 88, 19, 23): in the 93 it is the former commune."""
    result = match_in_union("Pierrefitte")
    assert result.status == "matched", result.as_dict()
    assert result.commune.code == "93066"
    # Without the union's département nothing says which one: still ambiguous.
    result = match_commune("Pierrefitte")
    assert result.status == "ambiguous"
    assert {c.commune.code for c in result.candidates} == {"79209", "88347", "19166", "23152"}


def test_a_misspelt_former_commune_is_suggested_first_in_the_unions_departement():
    result = match_in_union("Pierrefite")
    assert result.status == "unknown"
    assert result.suggestions[0].code == "93066", result.as_dict()
    assert {"79209", "88347"} <= {c.code for c in result.suggestions}  # still offered
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    # Without a hint, the ranking is the spelling's alone, as before.
    assert match_commune("Pierrefite").suggestions[0].code == "79209"


def test_a_former_insee_code_leads_to_the_current_commune():
    result = match_in_union("93059")
    assert result.status == "matched"
    assert (result.commune.code, result.commune.nom) == ("93066", "Saint-Denis")
    assert match_commune("99999").status == "unknown"


@pytest.mark.parametrize("typed", ["AULNAY S/S BOIS", "Aulnay s/s Bois", "aulnay-s/s-bois"])
def test_s_s_reads_sous(typed):
    assert fold(typed) == "aulnay sous bois"
    result = match_in_union(typed)
    assert result.status == "matched" and result.commune.code == "93005"


def test_former_names_are_suggested_where_nothing_else_comes_close():
    """Chemillé (49) is a delegated commune of Chemillé-en-Anjou: a typo of it is suggested."""
    result = match_commune("Chemile", "49")
    assert result.status == "unknown"
    assert result.suggestions[0].nom == "Chemillé-en-Anjou", result.as_dict()

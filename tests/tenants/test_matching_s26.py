"""Names as people really type them (session 26): a département code beside the name
(« Bondy (93) »), « Cedex », « Neuilly/Marne », a leading article left out
(« Blanc-Mesnil »), and a name with words added after it (« Montreuil-sous-Bois », the long
name Montreuil is still called by)."""

import pytest

from seminars.models import Registration
from tenants.matching import fold, match_commune, match_in_union
from tests.seminars.conftest import make_seminar
from tests.seminars.test_api import post_json, registration_body

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("montreuil 93", "93048"),
        ("Bondy (93)", "93010"),
        ("Villemomble, 93", "93077"),
        ("Villemomble - 93", "93077"),
        ("93 - Bondy", "93010"),
        ("Aubervilliers Cedex", "93001"),
        ("Bobigny Cedex", "93008"),
        ("93000 Bobigny Cedex", "93008"),
        ("BOBIGNY CEDEX 9", "93008"),
        ("Bobigny, Cedex 12", "93008"),
        ("Pré-Saint-Gervais", "93061"),
        ("Blanc-Mesnil", "93007"),
        ("Ile St Denis", "93039"),
        ("Bourget", "93013"),
        ("Neuilly/Marne", "93050"),
        ("Neuillys/Marne", "93050"),  # « Neuilly s/Marne », its space forgotten
        ("NEUILLYS/ MARNE", "93050"),
        ("Champs/Marne", "77083"),  # its « s » is its own: Champs-sur-Marne, read first
    ],
)
def test_names_typed_with_more_or_less_than_the_official_name(typed, code):
    for result in (match_commune(typed, "93"), match_in_union(typed)):
        assert result.status == "matched", (typed, result.as_dict())
        assert result.commune.code == code
        assert result.typed == typed  # kept as typed, « Cedex » included


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("St-Denis", "93066"),
        ("ST DENIS 93200", "93066"),
        ("93200", "93066"),
        ("Paris 15e", "75056"),
        ("Pierrefitte", "93066"),
        ("Aulnay", "93005"),
        ("Tremblay", "93073"),
        ("Le Pré St Gervais", "93061"),
        ("Sevran / 93270", "93071"),
        ("Neuilly s/ Marne", "93050"),
    ],
)
def test_what_worked_before_still_works(typed, code):
    result = match_commune(typed, "93")
    assert result.status == "matched", result.as_dict()
    assert result.commune.code == code


def test_a_departement_code_beside_the_name_is_the_hint_and_wins_over_the_given_one():
    """It was written for that commune; the hint is often a form's or the union's default."""
    assert match_commune("Saint-Denis (974)", "93").commune.code == "97411"
    assert match_in_union("Saint-Denis 974").commune.code == "97411"
    assert match_commune("Saint-Denis (93)", "974").commune.code == "93066"
    # A département, never the région of the same code (11: Aude, and Île-de-France).
    assert match_commune("ST DENIS (11)").commune.code == "11339"
    assert match_commune("Ajaccio (2A)").commune.code == "2A004"
    # A name only one commune carries stays matched whatever the code says, as with a postal code.
    assert match_commune("Bondy (75)").commune.code == "93010"
    # Not a département's code: not read as one.
    assert match_commune("Bondy 999").status == "unknown"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Paris 15", "75056"),
        ("Marseille 13", "13055"),
        ("Lyon 7", "69123"),
        ("Paris (75)", "75056"),
    ],
)
def test_arrondissements_are_not_read_as_departements(typed, code):
    result = match_commune(typed, "93")
    assert result.status == "matched", result.as_dict()
    assert result.commune.code == code


def test_a_name_without_its_article_matches_only_the_one_commune_that_fits():
    # Without a hint: the only commune of France called so after its article.
    assert match_commune("Blanc-Mesnil").commune.code == "93007"
    assert match_commune("Courneuve").commune.code == "93027"
    # With a hint, the one of the hinted area only; elsewhere it is a guess, suggested first.
    outside = match_commune("Blanc-Mesnil", "75")
    assert outside.status == "unknown"
    assert outside.suggestions[0].code == "93007"
    assert match_commune("Blanc-Mesnil", "11").commune.code == "93007"  # région Île-de-France
    # Several communes carry it after their article: ambiguous, as homonyms are.
    several = match_commune("Boissière")
    assert several.status == "ambiguous"
    assert {c.nom for c in several.suggestions} == {"La Boissière"}
    # « Pin » (Haute-Saône) exists as typed; in the Seine-et-Marne it is Le Pin.
    assert match_commune("Pin").commune.code == "70410"
    assert match_commune("Pin", "77").commune.code == "77363"


def test_montreuil_sous_bois_is_montreuil_first_but_flagged():
    result = match_in_union("Montreuil-sous-Bois")
    assert result.status == "unknown", result.as_dict()
    assert result.suggestions[0].code == "93048"
    for hint in (None, "93", "62"):  # never Montreuil-sur-Mer
        result = match_commune("Montreuil-sous-Bois", hint)
        assert result.status != "matched"
        assert result.commune is None
    assert match_commune("Montreuil-sous-Bois (93)").suggestions[0].code == "93048"


def test_a_name_starting_the_typed_words_ranks_first_in_the_hinted_departement():
    """Flagged, not matched: « Saint-Denis-de-la-Réunion » starts with a name of the 93 too."""
    for typed, code in [
        ("Saint-Denis-de-la-Réunion", "93066"),
        ("Saint-Denis la Plaine", "93066"),
        ("Bondy Nord", "93010"),
        ("Pierrefitte-sur-Seine Centre", "93066"),  # a former name
    ]:
        result = match_in_union(typed)
        assert result.status == "unknown", (typed, result.as_dict())
        assert result.suggestions[0].code == code, typed
    # Not a name that starts others of the département: « Saint-Avee » in the Morbihan is
    # Saint-Avé misspelt, not Le Saint with words added.
    assert match_commune("Saint-Avee", "56").suggestions[0].nom == "Saint-Avé"


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Neuilly/Marne", "neuilly sur marne"),
        ("Champs/Marne", "champs sur marne"),
        ("Neuilly s/Marne", "neuilly sur marne"),
        ("Neuilly-s/-Marne", "neuilly sur marne"),
        ("AULNAY S/S BOIS", "aulnay sous bois"),
        ("Sevran / 93270", "sevran 93270"),
    ],
)
def test_a_slash_between_words_reads_sur(typed, folded):
    assert fold(typed) == folded


def test_cedex_alone_is_unknown():
    assert match_commune("Cedex").status == "unknown"
    assert match_commune("CEDEX 9").suggestions == []


def test_a_registration_with_a_cedex_is_matched_and_keeps_what_was_typed(portal):
    seminar = make_seminar()
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    created = post_json(portal, url, registration_body(commune="BOBIGNY CEDEX 9"))
    assert created.status_code == 201, created.json()
    registration = Registration.objects.get(pk=created.json()["id"])
    assert registration.commune_id == "93008"
    assert registration.commune_status == Registration.CommuneStatus.MATCHED
    assert registration.commune_typed == "BOBIGNY CEDEX 9"


@pytest.mark.parametrize("hint", [None, "93"])
def test_a_word_many_names_start_with_is_a_name_cut_short_not_the_commune_after_its_article(
    hint,
):
    """Session 27: « SAINT » alone was matched to Le Saint (Morbihan), its article left out;
    thousands of names start with « Saint ». Flagged, Le Saint not suggested first."""
    result = match_commune("SAINT", hint)
    assert result.status == "unknown"
    assert result.candidates[0].commune.code != "56201"  # Le Saint

"""The commune-name matcher against the real COG (loaded once per test session)."""

import pytest

from tenants.matching import Area, UnknownArea, match_commune, match_in_union, read_area

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "hint", "code"),
    [
        ("BONDY", None, "93010"),
        ("EPINAY SUR SEINE", None, "93031"),
        ("epinay-sur-seine", None, "93031"),
        ("ÉPINAY  SUR   SEINE", None, "93031"),
        ("PRE SAINT GERVAIS (LE)", None, "93061"),
        ("LE PRE ST GERVAIS", None, "93061"),
        ("ST OUEN SUR SEINE", None, "93070"),
        ("NOISY LE SEC", None, "93053"),
        ("93048", None, "93048"),
        ("SAINT DENIS", "93", "93066"),
        (
            "ST DENIS",
            "11",
            "11339",
        ),  # "11": the Aude (département) wins over Île-de-France (région)
        ("ST DENIS", "974", "97411"),
        ("Montreuil", "93", "93048"),
        ("Montreuil", "11", "93048"),  # région Île-de-France as the hint
        # A shortened name resolved by the hint even though the short name exists elsewhere.
        ("ST OUEN", "93", "93070"),
        ("Champigny", "94", "94017"),
    ],
)
def test_matches_typed_names(typed, hint, code):
    result = match_commune(typed, hint)
    assert result.status == "matched", result.as_dict()
    assert result.commune.code == code


def test_homonyms_without_hint_are_ambiguous_with_every_candidate():
    result = match_commune("ST DENIS")
    assert result.status == "ambiguous"
    codes = {candidate.commune.code for candidate in result.candidates}
    assert codes == {"93066", "97411", "11339", "30247"}
    populations = [candidate.commune.population for candidate in result.candidates]
    assert populations == sorted(populations, reverse=True)  # the most populated first


def test_ties_broken_by_hint_put_the_hinted_area_first_when_still_ambiguous():
    # Several "Sainte-Colombe" exist; the région 75 (Nouvelle-Aquitaine) holds more than one.
    result = match_commune("STE COLOMBE", "75")
    assert result.status == "ambiguous"
    first = result.candidates[0].commune
    assert first.region == "75"
    assert all(c.commune.region == "75" for c in result.candidates[:2])


def test_shortened_name_stays_ambiguous_without_hint_or_when_the_start_is_shared():
    assert match_commune("ST OUEN").status == "ambiguous"
    # "Saint" starts many communes of the 93: the hint does not pick one.
    assert match_commune("SAINT", "93").status != "matched"


def test_a_name_that_exists_elsewhere_is_not_shortened_into_the_hints_region():
    """ "93" is a département and a région (PACA): only the département's names are shortened.
    Fontaine exists in the Isère, the Aube and the Territoire de Belfort; the PACA's only
    "Fontaine-…" is Fontaine-de-Vaucluse, which it used to become."""
    result = match_commune("Fontaine", "93")
    assert result.status == "ambiguous", result.as_dict()
    codes = {candidate.commune.code for candidate in result.candidates}
    assert codes == {"38169", "10150", "90047"}  # Isère, Aube, Territoire de Belfort


def test_typo_is_unknown_with_the_right_suggestion_first():
    result = match_commune("AUBERVILLERS")
    assert result.status == "unknown"
    assert result.suggestions[0].code == "93001"


def test_missing_letter_suggests_the_commune():
    result = match_commune("Rosny sous Bois", "93")
    assert result.status == "matched"
    result = match_commune("Rosny sou Bois", "93")
    assert result.status == "unknown"
    assert result.suggestions[0].code == "93064"


def test_merged_commune_new_longer_name_is_suggested_or_matched_by_former_name():
    # Chemillé merged into Chemillé-en-Anjou (49): the old name is a delegated commune.
    result = match_commune("CHEMILLE", "49")
    assert result.status == "matched"
    assert result.commune.nom == "Chemillé-en-Anjou"
    # A name close to the new commune's start, with no such former commune, is suggested.
    result = match_commune("Chemille en Anj")
    assert result.status == "unknown"
    assert result.suggestions[0].nom == "Chemillé-en-Anjou"


def test_nonsense_and_empty_are_unknown():
    assert match_commune("").status == "unknown"
    result = match_commune("zzzzqqqxx")
    assert result.status == "unknown"
    assert result.candidates == []


def test_api_returns_status_and_results_best_first(portal):
    response = portal.get("/api/v1/communes/", {"q": "ST DENIS", "hint": "93"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "matched"
    assert body["results"][0] == {
        "code": "93066",
        "nom": "Saint-Denis",
        "departement": "93",
        "population": body["results"][0]["population"],
        "score": 1.0,
    }
    assert body["results"][0]["population"] > 100000


def test_api_and_member_onboarding_break_ties_in_the_unions_departement(portal, settings):
    from tenants.admin_forms import OnboardMemberForm

    assert portal.get("/api/v1/communes/", {"q": "ST DENIS"}).json()["results"][0]["code"] == (
        "93066"
    )
    form = OnboardMemberForm({"commune": "Montreuil", "kind": "CCAS"})
    assert form.is_valid() and form.cleaned_data["insee"] == "93048"
    settings.UNION_DEPARTEMENT = "85"  # the union of Vendée: its own Montreuil
    form = OnboardMemberForm({"commune": "Montreuil", "kind": "CCAS"})
    assert form.is_valid() and form.cleaned_data["insee"] == "85148"
    body = portal.get("/api/v1/communes/", {"q": "Montreuil", "hint": "93"}).json()
    assert body["results"][0]["code"] == "93048"  # an explicit hint wins


def test_api_unknown_and_missing_query(portal):
    body = portal.get("/api/v1/communes/", {"q": "Aubervillers"}).json()
    assert body["status"] == "unknown"
    assert body["results"][0]["code"] == "93001"
    scores = [result["score"] for result in body["results"]]
    assert scores == sorted(scores, reverse=True)
    response = portal.get("/api/v1/communes/", {"q": " "})
    assert response.status_code == 400
    assert "Indiquez un nom de commune" in response.json()["q"][0]


def test_the_unions_departement_is_never_taken_for_a_region(settings):
    """UNION_DEPARTEMENT breaks ties as a département: "93" is also PACA, whose Villeneuve (04)
    used to win a tie between the six Villeneuve of France."""
    settings.UNION_DEPARTEMENT = "93"
    result = match_in_union("Villeneuve")
    assert result.status == "ambiguous", result.as_dict()
    assert len(result.candidates) == 6 and "04242" in {c.commune.code for c in result.candidates}
    assert match_in_union("Montreuil").commune.code == "93048"
    assert match_in_union("ST OUEN").commune.code == "93070"
    # A hint given with the name may still be a région: Île-de-France's Montreuil for "11".
    assert match_in_union("Montreuil", "11").commune.code == "93048"
    assert match_commune("Villeneuve", "93").commune.code == "04242"  # either level, as asked


@pytest.mark.parametrize(
    ("typed", "level", "area"),
    [
        ("93", None, Area("93", None)),  # a bare code may be either; the département first
        ("93", "region", Area("93", "region")),
        ("2a", None, Area("2A", None)),
        ("1", "departement", Area("01", "departement")),  # the spreadsheet dropped the 0
        ("Seine St Denis", None, Area("93", "departement")),
        ("Île-de-France", None, Area("11", "region")),
        ("ile de france", "departement", Area("11", "region")),  # a name says its level
        ("93 - Seine-Saint-Denis", None, Area("93", "departement")),
        ("Aude (11)", "region", Area("11", "departement")),
        ("La Réunion", "region", Area("04", "region")),  # département 974 and région 04
        ("", None, None),
    ],
)
def test_a_hint_is_read_as_organisers_type_it(typed, level, area):
    assert read_area(typed, level) == area


@pytest.mark.parametrize(
    ("typed", "level", "message"),
    [
        ("Seine Saint Denise", None, "Département ou région inconnu : « Seine Saint Denise »."),
        ("13", "region", "Région inconnue : « 13 »."),
        ("999", "departement", "Département inconnu : « 999 »."),
        ("93 94", None, "Département ou région inconnu : « 93 94 »."),
    ],
)
def test_a_hint_that_names_nothing_is_refused_in_french(typed, level, message):
    with pytest.raises(UnknownArea) as refused:
        read_area(typed, level)
    assert str(refused.value).startswith(message)


def test_the_hints_level_decides_between_the_aude_and_ile_de_france():
    """Villepinte is a commune of the Aude (11) and of Île-de-France (région 11, in the 93)."""
    assert match_in_union("Villepinte", "11").commune.code == "11434"  # département first
    assert match_in_union("Villepinte", "11", level="region").commune.code == "93078"
    assert match_in_union("Villepinte", "Île-de-France").commune.code == "93078"
    assert match_in_union("Villepinte", "Aude").commune.code == "11434"
    with pytest.raises(UnknownArea):
        match_in_union("Villepinte", "Ile de Frince")


def test_the_api_reads_a_named_hint_and_refuses_an_unknown_one(portal):
    response = portal.get("/api/v1/communes/", {"q": "Villepinte", "hint": "Aude"})
    assert response.json()["results"][0]["code"] == "11434"
    response = portal.get("/api/v1/communes/", {"q": "Villepinte", "hint": "Audes"})
    assert response.status_code == 400
    assert response.json()["hint"][0].startswith("Département ou région inconnu : « Audes »")

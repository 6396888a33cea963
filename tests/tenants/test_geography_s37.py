"""Session 37 (audit A23 #3 to #6): the geography outside the Île-de-France norm, against the
real COG (loaded once per test session), through real HTTP and real files.

- #3: « 20 » (Corsica's number, its postal codes' start) reads 2A or 2B, « 97 » the overseas
  départements; a name without its article or with its code in brackets (« Réunion »,
  « Reunion », « Réunion (974) », « Ile de la Réunion ») reads as its official name; « Ajaccio
  (20) » typed in the commune field is Ajaccio; a list whose Département column holds « 20 » or
  « Réunion » imports.
- #4: départements listed in INSEE order: 19, 2A, 2B, 21.
- #5: lower-case codes and a municipal arrondissement's code where a commune code is read.
- #6: UNION_DEPARTEMENT read upper-case, and an unknown one refused by a system check.
"""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from seminars.models import Registration
from tenants.matching import match_in_union, read_area
from tenants.network_message import departements_of_members
from tests.conftest import host_client, make_member
from tests.seminars.conftest import make_seminar, organiser

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


# #3: how people write Corsica and the overseas départements --------------------------------------


@pytest.mark.parametrize(
    ("typed", "hint", "code"),
    [
        ("Ajaccio", "20", "2A004"),
        ("Bastia", "20", "2B033"),
        ("Saint-Denis", "97", "97411"),
        ("Saint-Denis", "Réunion", "97411"),
        ("Saint-Denis", "Reunion", "97411"),
        ("Saint-Denis", "réunion", "97411"),
        ("Saint-Denis", "Réunion (974)", "97411"),
        ("Saint-Denis", "Ile de la Réunion", "97411"),
        ("Saint-Denis", "Île de La Réunion", "97411"),
        ("Saint-Denis", "La Reunion", "97411"),  # as before
        ("Saint-Denis", "Aude (11)", "11339"),  # as before
    ],
)
def test_hints_as_people_write_them(typed, hint, code):
    result = match_in_union(typed, hint)
    assert result.status == "matched", result.as_dict()
    assert result.commune.code == code


@pytest.mark.parametrize(
    ("hint", "code", "level"),
    [
        ("Réunion", "974", "departement"),
        ("Corse", "94", "region"),
        ("Guadeloupe", "971", "departement"),
        ("20", "20", "departement"),
        ("97", "97", "departement"),
    ],
)
def test_read_area_names_what_people_mean(hint, code, level):
    area = read_area(hint, "departement")
    assert (area.code, area.level) == (code, level)


def test_twenty_is_corsica_only_among_departements():
    """« 20 » is no région: a Région column holding it names nothing, as before."""
    from tenants.matching import UnknownArea

    with pytest.raises(UnknownArea):
        read_area("20", "region")


@pytest.mark.parametrize("typed", ["Ajaccio (20)", "Ajaccio, 20", "AJACCIO 20", "20 - Ajaccio"])
def test_corsica_number_beside_the_commune(typed):
    result = match_in_union(typed)
    assert result.status == "matched", result.as_dict()
    assert result.commune.code == "2A004"


def test_ninety_seven_keeps_the_overseas_homonyms_only():
    """Saint-Paul is a commune of six départements and of La Réunion: « 97 » picks La Réunion's.
    Saint-Pierre is one of Martinique, La Réunion and Saint-Pierre-et-Miquelon too: ambiguous,
    those three first of the suggestions."""
    assert match_in_union("Saint-Paul", "97").commune.code == "97415"
    assert match_in_union("Olmeto", "20").commune.code == "2A189"
    result = match_in_union("Saint-Pierre", "97")
    assert result.status == "ambiguous"
    assert {c.code for c in result.suggestions[:3]} == {"97416", "97225", "97502"}


def test_the_api_reads_reunion_without_its_article(portal):
    response = portal.get("/api/v1/communes/", {"q": "Saint-Denis", "hint": "Réunion"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "matched"
    assert response.json()["results"][0]["code"] == "97411"


def test_an_import_with_twenty_and_reunion_in_its_departement_column(tmp_path):
    """A list whose Département column holds « 20 » and « Réunion » was refused whole
    (« Département inconnu : « 20 » »); it imports, each commune in its own place."""
    seminar = make_seminar("Journée des élus")
    path = tmp_path / "inscrits.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(
            [
                ["Nom", "Prénom", "Commune", "Département", "Fonction"],
                ["Santoni", "Marie", "Ajaccio", "20", "Maire"],
                ["Albertini", "Paul", "Bastia", "20", "Maire"],
                ["Payet", "Lise", "Saint-Denis", "Réunion", "Maire"],
                ["Hoarau", "Jean", "Saint-Paul", "97", "Maire"],
            ]
        )
    client = host_client("localhost", organiser())
    with open(path, "rb") as upload:
        response = client.post(f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload})
    assert response.status_code == 302, " ".join(
        BeautifulSoup(response.content, "html.parser").get_text(" ").split()
    )[-1500:]
    imported = {r.nom: r.commune_id for r in Registration.objects.filter(seminar=seminar)}
    assert imported == {
        "Santoni": "2A004",
        "Albertini": "2B033",
        "Payet": "97411",
        "Hoarau": "97415",
    }


# #4: départements in INSEE order ----------------------------------------------------------------


@pytest.fixture
def around_corsica(db):
    """Active members in the 30, 21, 2B, 2A and 19 (created in that order)."""
    return [make_member(code) for code in ("30189", "21231", "2B033", "2A004", "19272")]


INSEE_ORDER = ["19", "2A", "2B", "21", "30"]


def test_the_directory_lists_departements_in_insee_order(portal, around_corsica):
    page = BeautifulSoup(portal.get("/membres/").content, "html.parser")
    codes = [option["value"] for option in page.select("select#departement option")]
    assert codes == ["", *INSEE_ORDER]


def test_write_to_members_lists_departements_in_insee_order(around_corsica):
    assert [d.code for d in departements_of_members()] == INSEE_ORDER
    client = host_client("localhost", organiser())
    page = BeautifulSoup(client.get("/admin/membres/ecrire/").content, "html.parser")
    codes = [option["value"] for option in page.select("select[name=departement] option")]
    assert codes == ["", *INSEE_ORDER]


# #5: lower-case and arrondissement codes ---------------------------------------------------------


def test_the_directory_filter_reads_a_lower_case_code(portal, around_corsica):
    page = BeautifulSoup(portal.get("/membres/", {"departement": "2a"}).content, "html.parser")
    text = " ".join(page.get_text(" ").split())
    assert "Ajaccio" in text and "Bastia" not in text and "Nîmes" not in text
    assert page.select_one("select#departement option[selected]")["value"] == "2A"


def test_a_commune_portrait_reads_a_lower_case_code(portal):
    assert portal.get("/indicateurs/communes/2A004/").status_code == 200
    response = portal.get("/indicateurs/communes/2a004/")
    assert response.status_code == 200
    assert "Ajaccio" in response.content.decode()


def test_a_commune_set_beside_another_reads_a_lower_case_code(portal):
    """`?avec=2a004` on a commune's indicator page is Ajaccio, not a code ignored."""
    from tests.abs_shared.conftest import pool_member, pool_value

    pool_value(pool_member("2B033"), "TP60", 2021, 27)  # Bastia
    pool_value(pool_member("2A004"), "TP60", 2021, 21)  # Ajaccio
    page = portal.get(
        "/indicateurs/communes/2B033/TP60/", {"annee": 2021, "avec": "2a004"}
    ).content.decode()
    assert "Ajaccio (commune choisie)" in page
    assert "ignorée" not in page


@pytest.mark.parametrize(("typed", "code"), [("2a004", "2A004"), ("75111", "75056")])
def test_the_comparison_api_reads_lower_case_and_arrondissement_codes(portal, typed, code):
    query = {"indicator": "TP60", "year": 2021}
    expected = portal.get("/api/v1/comparison/", {**query, "commune": code})
    assert expected.status_code == 200, expected.content
    response = portal.get("/api/v1/comparison/", {**query, "commune": typed})
    assert response.status_code == 200, response.content
    assert response.json() == expected.json()


def test_add_member_points_an_arrondissement_to_its_city():
    with pytest.raises(CommandError) as refused:
        call_command("add_member", "--insee", "75111")
    message = str(refused.value)
    assert "arrondissement" in message and "75056" in message and "Paris" in message


# #6: UNION_DEPARTEMENT -------------------------------------------------------------------------


def settings_value(value: str) -> str:
    """UNION_DEPARTEMENT as the settings read `value` from the environment (a fresh process)."""
    env = {
        **os.environ,
        "UNION_DEPARTEMENT": value,
        "DJANGO_SETTINGS_MODULE": "union.settings.test",
    }
    code = "from django.conf import settings; print(settings.UNION_DEPARTEMENT)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_union_departement_is_read_upper_case():
    assert settings_value("2a") == "2A"
    assert settings_value(" 93 ") == "93"


@pytest.mark.parametrize("value", ["20", "2a", "999", "Seine-Saint-Denis"])
def test_an_unknown_union_departement_is_refused_at_startup(settings, value):
    settings.UNION_DEPARTEMENT = value
    with pytest.raises(SystemCheckError) as refused:
        call_command("check")
    assert "UNION_DEPARTEMENT" in str(refused.value) and value in str(refused.value)


@pytest.mark.parametrize("value", ["93", "2A", "974"])
def test_a_known_union_departement_passes_the_check(settings, value):
    settings.UNION_DEPARTEMENT = value
    call_command("check")

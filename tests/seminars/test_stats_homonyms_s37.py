"""Session 37 (audit A23 #2): « Chiffres » count a commune by its INSEE code, not by its name:
Saint-Denis (93) and Saint-Denis (974), or Montreuil (93) and Montreuil (85), are rows of their
own, labelled with their département since they share a name; a commune whose name is its own
keeps it alone, and one kept as typed stays « (à vérifier) » apart. Registrations imported
through the organiser's import page from a real CSV file; the page, the XLSX and the CSV read
back through real HTTP."""

import csv

import pytest

from seminars.models import Registration
from tests.seminars.conftest import make_seminar
from tests.seminars.test_stats_attendance_s23 import (
    csv_tables,
    download,
    page_of,
    tables,
    workbook_tables,
)

pytestmark = pytest.mark.django_db

BY_COMMUNE = "Par commune"
EXPECTED = [
    ["Commune", "Personnes"],
    ["Saint-Denis (93)", 2],
    ["Aubervillier (à vérifier)", 1],
    ["Bondy", 1],
    ["Montreuil (85)", 1],
    ["Montreuil (93)", 1],
    ["Saint-Denis (974)", 1],
]


@pytest.fixture
def homonyms(organiser_client, tmp_path):
    """An event whose list, imported from a CSV file, holds two Saint-Denis and two Montreuil
    told apart by their INSEE code, Bondy, and « Aubervillier » kept as typed."""
    seminar = make_seminar("Journée des élus")
    path = tmp_path / "inscrits.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(
            [
                ["Nom", "Prénom", "Commune", "Code INSEE", "Fonction"],
                ["Roux", "Anne", "Saint-Denis", "93066", "Maire"],
                ["Colin", "Paul", "Saint-Denis", "93066", "Maire"],
                ["Payet", "Lise", "Saint-Denis", "97411", "Maire"],
                ["Martin", "Jean", "Montreuil", "93048", "Maire"],
                ["Lefebvre", "Marc", "Montreuil", "85148", "Maire"],
                ["Zola", "Émile", "Bondy", "", "Maire"],
                ["Benali", "Sami", "Aubervillier", "", "Maire"],
            ]
        )
    with open(path, "rb") as upload:
        response = organiser_client.post(
            f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload}
        )
    assert response.status_code == 302, response.content.decode()[-2000:]
    by_name = {r.nom: r for r in Registration.objects.filter(seminar=seminar)}
    assert by_name["Payet"].commune_id == "97411"
    assert by_name["Lefebvre"].commune_id == "85148"
    assert by_name["Benali"].commune_status == Registration.CommuneStatus.FLAGGED
    return seminar


def as_text(rows):
    return [[str(cell) for cell in row] for row in rows]


def test_the_page_keeps_homonym_communes_apart(organiser_client, homonyms):
    assert tables(page_of(organiser_client, homonyms))[BY_COMMUNE] == as_text(EXPECTED)


def test_the_downloads_keep_homonym_communes_apart(organiser_client, homonyms):
    assert workbook_tables(download(organiser_client, homonyms, "xlsx"))[BY_COMMUNE] == EXPECTED
    blocks = csv_tables(download(organiser_client, homonyms, "csv"))
    assert blocks[BY_COMMUNE] == as_text(EXPECTED)


def test_a_name_of_its_own_keeps_no_departement(organiser_client):
    """One Saint-Denis only among the rows: no département beside it."""
    from seminars.services import register_person
    from tests.seminars.conftest import person

    seminar = make_seminar("Réunion de secteur")
    register_person(seminar, person(1, commune="Saint-Denis (974)"), notify=False)
    register_person(seminar, person(2, commune="Bondy"), notify=False)
    rows = tables(page_of(organiser_client, seminar))[BY_COMMUNE]
    assert rows == [["Commune", "Personnes"], ["Bondy", "1"], ["Saint-Denis", "1"]]

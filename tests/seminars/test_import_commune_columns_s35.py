"""Session 35, imports (noticed in session 33): a list may give the commune by its INSEE code
alone (an extract of an INSEE or a prefecture file), and its « Code postal » column was ignored
although it tells homonyms apart. Through the organiser's import page, with real files."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from seminars.models import Registration, Visibility
from tests.seminars.conftest import make_seminar

pytestmark = pytest.mark.django_db


def csv_file(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(client, seminar, content: bytes):
    return client.post(
        f"/admin/inscriptions/{seminar.pk}/importer/",
        {"file": SimpleUploadedFile("liste.csv", content)},
    )


def errors_of(response) -> list[tuple[str, ...]]:
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return [
        tuple(" ".join(cell.get_text(" ").split()) for cell in row.select("th, td"))
        for row in page.select("main table tbody tr")
    ]


def registered(seminar) -> dict[str, tuple[str | None, str, str]]:
    return {
        r.nom: (r.commune_id, r.commune_status, r.commune_typed)
        for r in Registration.objects.filter(seminar=seminar)
    }


def test_a_list_with_insee_codes_and_no_commune_column_is_imported(organiser_client):
    seminar = make_seminar("Journée des élus")
    response = upload(
        organiser_client,
        seminar,
        csv_file(
            [
                ["Nom", "Prénom", "Code INSEE", "Fonction"],
                ["Roux", "Anne", "93010", "Maire"],
                ["Colin", "Paul", "60145", "Adjoint au maire"],
            ]
        ),
    )
    assert response.status_code == 302, errors_of(response)
    assert registered(seminar) == {
        "Roux": ("93010", "matched", "Bondy"),
        "Colin": ("60145", "matched", "Chelles"),
    }


def test_a_line_with_a_code_and_an_empty_commune_is_not_missing_its_commune(organiser_client):
    """The line used to be refused « Commune manquante » although its code named the commune."""
    seminar = make_seminar("Journée des élus")
    response = upload(
        organiser_client,
        seminar,
        csv_file(
            [
                ["Nom", "Prénom", "Commune", "Code INSEE", "Fonction"],
                ["Roux", "Anne", "", "93010", "Maire"],
            ]
        ),
    )
    assert response.status_code == 302, errors_of(response)
    assert registered(seminar) == {"Roux": ("93010", "matched", "Bondy")}


def test_the_postal_code_tells_homonyms_apart_and_names_a_commune_alone(organiser_client):
    seminar = make_seminar("Journée des élus")
    response = upload(
        organiser_client,
        seminar,
        csv_file(
            [
                ["Nom", "Prénom", "Ville", "CP", "Fonction"],
                ["Colin", "Paul", "Chelles", "60350", "Maire"],
                ["Legrand", "Léa", "Chelles", "77500", "Maire"],
                ["Roux", "Anne", "", "93140", "Maire"],
                ["Benali", "Sami", "Montreuil", "", "Maire"],
                ["Lefebvre", "Marc", "Montreuil", "62170", "Maire"],
                ["Petit", "Léa", "Bondy", "77500", "Maire"],  # contradicts: flagged
            ]
        ),
    )
    assert response.status_code == 302, errors_of(response)
    assert registered(seminar) == {
        "Colin": ("60145", "matched", "Chelles"),
        "Legrand": ("77108", "matched", "Chelles"),
        "Roux": ("93010", "matched", "93140"),
        "Benali": ("93048", "matched", "Montreuil"),  # the union's département, as before
        "Lefebvre": ("62588", "matched", "Montreuil"),
        "Petit": (None, "flagged", "Bondy"),  # the postal code says Chelles (77)
    }
    petit = Registration.objects.get(seminar=seminar, nom="Petit")
    assert [s["code"] for s in petit.commune_suggestions] == ["77108"]


def test_a_bad_postal_code_or_no_commune_at_all_refuses_the_file_with_line_and_column(
    organiser_client,
):
    seminar = make_seminar("Journée des élus")
    response = upload(
        organiser_client,
        seminar,
        csv_file(
            [
                ["Nom", "Prénom", "Ville", "Code postal", "Fonction"],
                ["Colin", "Paul", "Chelles", "603", "Maire"],
                ["Roux", "Anne", "", "", "Maire"],
                ["Benali", "Sami", "Montreuil", "93100", "Maire"],
            ]
        ),
    )
    assert response.status_code == 400
    assert errors_of(response) == [
        (
            "2",
            "Code postal",
            "Code postal invalide : « 603 ». Indiquez ses cinq chiffres (93140 "
            "pour Bondy), ou videz la cellule pour que la commune soit lue par son nom.",
        ),
        ("3", "Ville", "Commune manquante."),
    ]
    assert not Registration.objects.filter(seminar=seminar).exists()  # nothing imported


def test_a_file_without_any_commune_column_is_still_refused(organiser_client):
    seminar = make_seminar("Journée des élus")
    response = upload(
        organiser_client,
        seminar,
        csv_file([["Nom", "Prénom", "Fonction"], ["Roux", "Anne", "Maire"]]),
    )
    assert response.status_code == 400
    assert any(
        column == "Commune" and "absente" in message
        for _line, column, message in errors_of(response)
    )


def test_a_non_member_commune_read_from_a_code_says_to_correct_the_code(organiser_client, bondy):
    """The members-only refusal advised a « Département » column even when the line's commune
    came from its INSEE or postal code, which a département cannot change: it now names the cell
    the commune was read from, and what to correct there."""
    seminar = make_seminar("Atelier début de mandat", visibility=Visibility.MEMBERS)
    response = upload(
        organiser_client,
        seminar,
        csv_file(
            [
                ["Nom", "Prénom", "Ville", "Code INSEE", "CP", "Fonction"],
                ["Durand", "Aïcha", "Bondy", "93010", "", "Maire"],
                ["Martin", "Léa", "Pantin", "93055", "", "Maire"],
                ["Roux", "Anne", "Pantin", "", "93500", "Maire"],
                ["Petit", "Paul", "Pantin", "", "", "Maire"],
            ]
        ),
    )
    assert response.status_code == 400
    refused = "Pantin (93) n'est pas une commune membre de l'union, et cet événement est réservé "
    refused += "aux communes membres : retirez cette ligne du fichier. Si ce n'est pas la commune "
    assert errors_of(response) == [
        ("3", "Code INSEE", refused + "voulue, corrigez son code INSEE."),
        ("4", "CP", refused + "voulue, corrigez son code postal ou le nom de la commune."),
        (
            "5",
            "Ville",
            refused + "voulue, donnez son département dans une colonne « Département ».",
        ),
    ]
    assert not Registration.objects.filter(seminar=seminar).exists()

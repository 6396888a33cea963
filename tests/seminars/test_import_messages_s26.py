"""Session 26 (H7): an import's refusals in the organiser's words. An organiser imports the list a
mairie sent into « Atelier début de mandat »: what the seats or the audience refuse must say
which cell to change and how (the registrant's « choisissez-en un autre » asked the organiser to
choose for someone else), in the column that cell is in (« Atelier de l'après-midi », not every
atelier column joined with « / »). Registrants keep their own wording on the form and the API.
Real files (CSV and XLSX built with openpyxl) through the import page."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from seminars.models import Registration, Visibility
from seminars.services import RegistrationError, register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_errors(client, seminar, content: bytes, name: str = "liste-mairie.xlsx"):
    upload = SimpleUploadedFile(name, content)
    response = client.post(f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload})
    page = BeautifulSoup(response.content.decode(), "html.parser")
    errors = [
        tuple(text_of(cell) for cell in row.select("th, td"))
        for row in page.select("main table tbody tr")
    ]
    return response.status_code, errors


def full(label: str, taken: str) -> str:
    return (
        f"Plus de place dans l'atelier « {label} » : {taken} (inscrits et lignes précédentes du "
        "fichier). Retirez cet atelier de la ligne, ou augmentez ses places dans la page de "
        "l'événement (section « Ateliers »), puis importez de nouveau le fichier."
    )


def test_a_full_atelier_tells_the_organiser_what_to_change(organiser_client):
    """« choisissez-en un autre » is the registrant's: the organiser cannot choose for someone
    else; they remove the atelier from the line or give it more seats."""
    seminar = make_seminar("Atelier début de mandat", ateliers=(("Budget", 1, 2, 1),))
    rows = (
        "Nom;Prénom;Ville;Qualité;Courriel;Atelier du matin\n"
        "Durand;Aïcha;Bondy;Maire;aicha@exemple.fr;Budget\n"
        "Martin;Léa;Pantin;Maire;lea@exemple.fr;Budget\n"
    )

    status, errors = import_errors(organiser_client, seminar, rows.encode(), "liste.csv")

    assert status == 400
    assert errors == [("3", "Atelier du matin", full("Budget", "sa place est prise"))]
    assert not Registration.objects.filter(seminar=seminar).exists()


def test_a_registrant_keeps_the_registrants_words_for_a_full_atelier():
    seminar = make_seminar("Atelier début de mandat", ateliers=(("Budget", 1, 2, 1),))
    budget = seminar.ateliers.get()
    register_person(seminar, person(1, ateliers=[budget.pk]), notify=False)

    with pytest.raises(RegistrationError) as refused:
        register_person(seminar, person(2, ateliers=[budget.pk]), notify=False)

    said = " ".join(refused.value.errors["ateliers"][0].split())
    assert said == "Plus de place dans l'atelier « Budget » : choisissez-en un autre."


def test_a_full_atelier_is_reported_in_the_column_it_was_read_from(organiser_client):
    """A Google Forms export with « Atelier du matin » and « Atelier de l'après-midi »: the
    afternoon's full atelier was reported under « Atelier du matin / Atelier de l'après-midi »,
    and the organiser looked for it in both cells."""
    seminar = make_seminar(
        "Atelier début de mandat", ateliers=(("Budget", 1, 2, 5), ("Urbanisme", 4, 2, 2))
    )
    header = ["Nom", "Prénom", "Commune", "Fonction", "Email"]
    rows = [header + ["Atelier du matin", "Atelier de l'après-midi"]]
    rows += [
        [f"Nom{n}", f"Prénom{n}", "Bondy", "Maire", f"p{n}@exemple.fr", "Budget", "Urbanisme"]
        for n in range(1, 4)
    ]

    status, errors = import_errors(organiser_client, seminar, xlsx(rows))

    assert status == 400
    taken = "ses 2 places sont prises"
    assert errors == [("4", "Atelier de l'après-midi", full("Urbanisme", taken))]


def test_two_ateliers_at_once_are_reported_in_their_two_columns_only(organiser_client):
    """Three atelier columns, the first and the third at the same time: the middle one's cell
    is right and is not named."""
    seminar = make_seminar(
        "Atelier début de mandat",
        ateliers=(("Budget", 1, 2, 5), ("Urbanisme", 4, 1, 5), ("Tarifs", 1, 2, 5)),
    )
    rows = [
        ["Nom", "Prénom", "Commune", "Fonction", "Atelier 1", "Atelier 2", "Atelier 3"],
        ["Durand", "Aïcha", "Bondy", "Maire", "Budget", "Urbanisme", "Tarifs"],
    ]

    status, errors = import_errors(organiser_client, seminar, xlsx(rows))

    assert status == 400
    [(line, column, message)] = errors
    assert (line, column) == ("2", "Atelier 1 / Atelier 3")
    assert "« Budget » et « Tarifs » ont lieu en même temps" in message


def test_a_non_member_commune_names_the_commune_and_what_to_do(organiser_client, bondy):
    """« Cet événement est réservé aux communes membres de l'union. » told the organiser what
    they knew, not which commune was read (a homonym in another département?) nor what to do."""
    seminar = make_seminar("Atelier début de mandat", visibility=Visibility.MEMBERS)
    rows = (
        "Nom;Prénom;Ville;Qualité;Courriel\n"
        "Durand;Aïcha;Bondy;Maire;aicha@exemple.fr\n"
        "Martin;Léa;Pantin;Maire;lea@exemple.fr\n"
    )

    status, errors = import_errors(organiser_client, seminar, rows.encode(), "liste.csv")

    assert status == 400
    assert errors == [
        (
            "3",
            "Ville",
            "Pantin (93) n'est pas une commune membre de l'union, et cet événement est réservé "
            "aux communes membres : retirez cette ligne du fichier. Si ce n'est pas la commune "
            "voulue, donnez son département dans une colonne « Département ».",
        )
    ]
    assert not Registration.objects.filter(seminar=seminar).exists()


def test_column_titles_below_a_title_line_are_found_and_said(organiser_client):
    """A mairie's list opens with « Liste des inscrits » and a blank line: the import said
    « Colonne « Nom » absente de la première ligne » four times, about columns the organiser
    sees in the file."""
    seminar = make_seminar("Atelier début de mandat")
    rows = [
        ["Liste des inscrits – mairie de Bondy"],
        [],
        ["Nom", "Prénom", "Commune", "Fonction"],
        ["Durand", "Aïcha", "Bondy", "Maire"],
    ]

    status, errors = import_errors(organiser_client, seminar, xlsx(rows))

    assert status == 400
    assert errors == [
        (
            "3",
            "–",
            "Les titres des colonnes (« Nom », « Prénom »…) sont ligne 3, et l'import les lit sur "
            "la première ligne : supprimez les lignes 1 à 2 (au-dessus des titres), puis importez "
            "de nouveau le fichier.",
        )
    ]


def test_a_workbook_whose_list_is_on_its_second_sheet_says_the_first_is_read(organiser_client):
    """A template with a « Consignes » sheet first: « absente de la première ligne » and « aucune
    ligne après l'en-tête », while the list was right, on the second sheet."""
    workbook = Workbook()
    workbook.active.title = "Consignes"
    workbook.active.append(["Remplissez l'onglet « Inscrits »."])
    sheet = workbook.create_sheet("Inscrits")
    sheet.append(["Nom", "Prénom", "Commune", "Fonction"])
    sheet.append(["Durand", "Aïcha", "Bondy", "Maire"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    status, errors = import_errors(organiser_client, seminar := make_seminar(), buffer.getvalue())

    assert status == 400
    where = (  # as the page reads (text_of: no-break spaces are spaces)
        "absente de la première ligne (feuille « Consignes » lue : seule la première feuille "
        "visible du classeur est importée)."
    )
    assert errors == [
        ("1", label, f"Colonne « {label} » {where}")
        for label in ("Nom", "Prénom", "Commune", "Fonction")
    ]
    assert not seminar.registrations.exists()


@pytest.mark.parametrize("title", ["Adresse mail", "Adresse électronique", "Mél.", "Adresse email"])
def test_an_address_column_under_another_usual_title_is_read(organiser_client, title):
    """« Adresse mail » was ignored (said after the import among « Colonnes ignorées »): the
    people were imported without their address, and the list imported again with the column
    renamed registered each of them a second time."""
    seminar = make_seminar("Atelier début de mandat")
    rows = f"Nom;Prénom;Commune;Fonction;{title}\nDurand;Aïcha;Bondy;Maire;aicha@exemple.fr\n"
    upload = SimpleUploadedFile("liste.csv", rows.encode())

    response = organiser_client.post(
        f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload}, follow=True
    )

    said = [" ".join(m.message.split()) for m in response.context["messages"]]
    assert said == [
        "1 inscription importée : 1 confirmée, 0 en liste d'attente, 0 commune à vérifier."
    ]
    assert list(seminar.registrations.values_list("email", flat=True)) == ["aicha@exemple.fr"]

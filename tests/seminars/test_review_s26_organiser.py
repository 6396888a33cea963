"""Review of session 26: an « Organisateurs d'événements » member runs the union's next « Atelier
début de mandat » in the Wagtail admin, from the list a mairie sent to the figures. Real HTTP
through the test client: an import refused one line at a time, under « Commune » or « Ateliers »
where the file titles its columns « Ville » and « Atelier du matin »; the list's commune filter
that found nobody from « Epinay »; a flagged commune corrected to a commune outside a
members-only event without a word."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from seminars.models import Registration, Visibility
from seminars.services import CommuneResolution, register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def flagged(number: int, nom: str, typed: str):
    """A registration's data with its commune kept as typed and flagged, whatever the matcher
    makes of the text."""
    data = person(number, nom=nom)
    data.commune = CommuneResolution(None, Registration.CommuneStatus.FLAGGED, typed)
    return data


def import_errors(client, seminar, rows: str) -> tuple[int, list[tuple[str, ...]]]:
    upload = SimpleUploadedFile("liste-mairie.csv", rows.encode(), "text/csv")
    response = client.post(f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload})
    errors = [
        tuple(text_of(cell) for cell in row.select("th, td"))
        for row in soup(response).select("main table tbody tr")
    ]
    return response.status_code, errors


def test_an_import_names_every_line_an_atelier_has_no_seat_for(organiser_client):
    """12 people of a mairie's list chose the 10 seats of « Budget »: the import stopped at the
    11th with « Ateliers », a column the file does not have (« Atelier du matin »), and said
    nothing of the 12th; the organiser corrected, imported again, and met the next one."""
    seminar = make_seminar("Atelier début de mandat", ateliers=(("Budget", 1, 2, 1),))
    rows = (
        "Nom;Prénom;Ville;Qualité;Courriel;Atelier du matin\n"
        "Durand;Aïcha;Bondy;Maire;aicha@exemple.fr;Budget\n"
        "Martin;Léa;Pantin;Maire;lea@exemple.fr;Budget\n"
        "Petit;Jo;Pantin;Adjoint;jo@exemple.fr;Budget\n"
    )

    status, errors = import_errors(organiser_client, seminar, rows)

    assert status == 400
    full = (
        "Plus de place dans l'atelier « Budget » : sa place est prise (inscrits et lignes "
        "précédentes du fichier). Retirez cet atelier de la ligne, ou augmentez ses places dans "
        "la page de l'événement (section « Ateliers »), puis importez de nouveau le fichier."
    )
    assert errors == [("3", "Atelier du matin", full), ("4", "Atelier du matin", full)]
    assert not Registration.objects.filter(seminar=seminar).exists()


def test_an_import_into_a_members_only_event_names_every_commune_refused(organiser_client, bondy):
    """A members-only event: each line of a non-member commune is reported at once, in the
    file's « Ville » column (it was the first only, under « Commune »)."""
    seminar = make_seminar("Atelier début de mandat", visibility=Visibility.MEMBERS)
    rows = (
        "Nom;Prénom;Ville;Qualité;Courriel\n"
        "Durand;Aïcha;Bondy;Maire;aicha@exemple.fr\n"
        "Martin;Léa;Pantin;Maire;lea@exemple.fr\n"
        "Petit;Jo;Pantin;Adjoint;jo@exemple.fr\n"
    )

    status, errors = import_errors(organiser_client, seminar, rows)

    assert status == 400
    refused = (
        "Pantin (93) n'est pas une commune membre de l'union, et cet événement est réservé aux "
        "communes membres : retirez cette ligne du fichier. Si ce n'est pas la commune voulue, "
        "donnez son département dans une colonne « Département »."
    )
    assert errors == [("3", "Ville", refused), ("4", "Ville", refused)]
    assert not Registration.objects.filter(seminar=seminar).exists()


def test_the_commune_filter_ignores_accents_case_and_hyphens(organiser_client):
    """« Epinay » (a keyboard without « É ») or « saint denis » found nobody: « Aucune
    inscription », as if no one from Épinay-sur-Seine or Saint-Denis had registered."""
    seminar = make_seminar("Atelier début de mandat")
    register_person(seminar, person(1, nom="Rivière", commune="Épinay-sur-Seine"), notify=False)
    register_person(seminar, person(2, nom="Morel", commune="Saint-Denis"), notify=False)
    register_person(seminar, flagged(3, "Typo", "Ile Saint Denis"), notify=False)
    url = f"/admin/inscriptions/{seminar.pk}/"

    def names(typed: str) -> list[str]:
        response = organiser_client.get(url, {"commune": typed})
        return sorted(r.nom for r in response.context["registrations"])

    assert names("Epinay") == ["Rivière"]
    assert names("EPINAY SUR SEINE") == ["Rivière"]
    assert names("saint denis") == ["Morel", "Typo"]
    assert names("Saint-Denis") == ["Morel", "Typo"]
    assert names("Pantin") == []


def test_a_flagged_commune_corrected_to_a_non_member_is_said_on_a_members_only_event(
    organiser_client, bondy
):
    """A members-only event lets a commune not recognised through, for the organisers to check;
    corrected to a commune that is not a member, « Commune … corrigée » said nothing, and the
    person stayed confirmed at an event the help says refuses non-member communes."""
    seminar = make_seminar("Atelier début de mandat", visibility=Visibility.MEMBERS)
    pantin, _ = register_person(seminar, flagged(1, "Martin", "Pantinn"), notify=False)
    bondy_typo, _ = register_person(seminar, flagged(2, "Durand", "Bondyy"), notify=False)
    url = f"/admin/inscriptions/{seminar.pk}/communes/"

    response = organiser_client.post(
        url, {"registration": pantin.pk, "code_typed": "93055"}, follow=True
    )
    said = [(m.level_tag, " ".join(m.message.split())) for m in response.context["messages"]]
    assert said == [
        ("success", "Commune de Prénom1 Martin corrigée : Pantin (93)."),
        (
            "warning",
            "Pantin n'est pas une commune membre de l'union, et cet événement est réservé aux "
            "communes membres : si Prénom1 Martin ne peut pas y participer, annulez son "
            "inscription.",
        ),
    ]

    response = organiser_client.post(
        url, {"registration": bondy_typo.pk, "code_typed": "93010"}, follow=True
    )
    said = [(m.level_tag, " ".join(m.message.split())) for m in response.context["messages"]]
    assert said == [("success", "Commune de Prénom2 Durand corrigée : Bondy (93).")]

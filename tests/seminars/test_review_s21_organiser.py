"""Review of session 21: an event organiser's work in the Wagtail admin, walked as a union
organiser does it (create and publish the event, import lists, check the figures). Real HTTP
through the test client: Wagtail's English left in its French (the explorer's « Any », the slug's
« e.g »), an import error naming the column as the file titles it, and a commune kept as typed
told apart from the official ones in the figures."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from seminars.models import Registration
from seminars.services import register_person
from tests.seminars.conftest import make_index, make_seminar, person

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_the_pages_explorer_and_the_event_editor_have_no_english_left(organiser_client):
    """Published, the event lands in the explorer of « Séminaires et ateliers », whose filter
    « A des pages enfants » offered « Any », « Oui », « Non »; every page editor's slug said « Le
    nom de la page comme elle apparaîtra dans l'URL e.g http://domain.com/blog/[my-slug]/ »."""
    index = make_index()
    make_seminar("Atelier début de mandat")

    explorer = soup(organiser_client.get(f"/admin/pages/{index.pk}/"))
    choices = [text_of(label) for label in explorer.select("#id_has_child_pages label")]
    assert choices == ["Indifférent", "Oui", "Non"]

    editor = organiser_client.get(f"/admin/pages/add/seminars/seminarpage/{index.pk}/")
    page = text_of(soup(editor))
    assert "e.g" not in page and "my-slug" not in page
    assert "par exemple https://exemple.fr/rubrique/[mon-slug]/" in page


def test_an_import_error_names_the_column_as_the_file_titles_it(organiser_client):
    """A Google Forms export titles its columns « Adresse e-mail », « Ville »…: the error said
    « Email » and « Commune », columns the organiser could not find in her file."""
    seminar = make_seminar("Atelier début de mandat")
    rows = (
        "Nom de famille;Prénom;Ville;Qualité;Adresse e-mail\n"
        "Durand;Aïcha;Bondy;Maire;aicha.durand@exemple.fr\n"
        "Martin;Léa;;Maire;pas-une-adresse\n"
        ";Paul;Pantin;Maire;aicha.durand@exemple.fr\n"
    )
    upload = SimpleUploadedFile("liste.csv", rows.encode(), "text/csv")
    response = organiser_client.post(
        f"/admin/inscriptions/{seminar.pk}/importer/", {"file": upload}
    )

    assert response.status_code == 400
    errors = [
        tuple(text_of(cell) for cell in row.select("th, td"))
        for row in soup(response).select("main table tbody tr")
    ]
    assert errors == [
        ("3", "Ville", "Commune manquante."),
        ("3", "Adresse e-mail", "Adresse e-mail invalide : « pas-une-adresse »."),
        ("4", "Nom de famille", "Nom manquant."),
        ("4", "Adresse e-mail", "Adresse déjà présente ligne 2."),
    ]
    assert not Registration.objects.filter(seminar=seminar).exists()


def test_the_figures_tell_a_commune_to_check_from_an_official_one(organiser_client):
    """« Par commune » listed « Aubervilier », typed at registration and not recognised, beside
    Bondy, as if it were a commune of the official list."""
    seminar = make_seminar("Atelier début de mandat")
    register_person(seminar, person(1, commune="Aubervilier"), notify=False)
    register_person(seminar, person(2, commune="Bondy"), notify=False)

    page = soup(organiser_client.get(f"/admin/inscriptions/{seminar.pk}/chiffres/"))
    by_commune = next(
        table for table in page.select("table") if text_of(table.caption) == "Par commune"
    )
    rows = [
        tuple(text_of(cell) for cell in row.select("th, td"))
        for row in by_commune.select("tbody tr")
    ]
    assert sorted(rows) == [("Aubervilier (à vérifier)", "1"), ("Bondy", "1")]


def test_the_messages_about_someone_elide_de_before_her_first_name(
    organiser_client, django_capture_on_commit_callbacks
):
    """Every manual add, edit, cancellation or corrected commune said « Inscription de Aïcha
    Durand ajoutée », « Modifier l'inscription de Éric Bernard », where the list's own buttons
    (« Modifier l'inscription d'Aïcha Durand ») elide it."""
    seminar = make_seminar("Atelier début de mandat")
    base = f"/admin/inscriptions/{seminar.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            base + "ajouter/",
            {
                "nom": "Durand",
                "prenom": "Aïcha",
                "email": "aicha.durand@exemple.fr",
                "commune": "Aubervilier",
                "fonction": "maire",
            },
            follow=True,
        )
    assert "Inscription d'Aïcha Durand ajoutée (confirmée)." in text_of(soup(response))
    aicha = seminar.registrations.get(nom="Durand")

    edit = organiser_client.get(base + f"{aicha.pk}/modifier/")
    assert text_of(soup(edit).title).startswith("Modifier l'inscription d'Aïcha Durand")

    corrected = organiser_client.post(
        base + "communes/", {"registration": aicha.pk, "code_typed": "93001"}, follow=True
    )
    assert "Commune d'Aïcha Durand corrigée : Aubervilliers" in text_of(soup(corrected))

    question = organiser_client.get(base + f"{aicha.pk}/annuler/")
    assert text_of(soup(question).title).startswith("Annuler l'inscription d'Aïcha Durand ?")
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = organiser_client.post(base + f"{aicha.pk}/annuler/", follow=True)
    assert "Inscription d'Aïcha Durand annulée." in text_of(soup(cancelled))
    assert " de Aïcha" not in text_of(soup(cancelled))


def test_writing_to_nobody_says_to_tick_a_group(seminar):
    """« Écrire aux inscrits » with no group ticked: « Destinataires : Champ requis. » did not
    say what to do."""
    from seminars.forms import EmailRegistrantsForm

    form = EmailRegistrantsForm({"subject": "Rappel", "body": "Bonjour"}, seminar=seminar)
    assert not form.is_valid()
    assert form.errors["statuses"] == [
        "Cochez au moins un groupe de destinataires, les inscriptions confirmées par exemple."
    ]


def test_the_manual_adds_area_hint_sits_beside_the_commune(organiser_client, seminar):
    """« Département ou région (facultatif) » helps read the commune: it came after the consent
    box, far from « Commune »."""
    from bs4 import BeautifulSoup

    page = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/ajouter/")
    names = [
        field["name"]
        for field in BeautifulSoup(page.content.decode(), "html.parser").select(
            "form [name]:not([type=hidden])"
        )
    ]
    assert names.index("hint") == names.index("commune") + 1, names

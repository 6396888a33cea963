"""The questionnaire de satisfaction: people checked in answer through their signed link once the
event is over (for three months, correcting if they wish); organisers read a summary and download
the answers, never with names."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from seminars.emails import send_registration_email
from seminars.evaluations import remind_to_answer, save_evaluation, summarise_evaluations
from seminars.links import make_token
from seminars.models import Evaluation, SeminarPage
from seminars.services import register_person, set_check_in
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person
from union import roles

pytestmark = pytest.mark.django_db

ANSWERS = {
    "overall": "4",
    "usefulness": "3",
    "organisation": "2",
    "best": "Les retours d'expérience des communes rurales.",
    "improve": "Plus de temps pour les questions.",
    "wishes": "La domiciliation",
}


@pytest.fixture
def event():
    """Over two days ago, two ateliers; Zola (atelier A) and Abel present, Roux absent."""
    seminar = make_seminar(
        "Journée des élus",
        seats=10,
        ateliers=(("Atelier A", 1, 2, 10), ("Atelier B", 4, 2, 10)),
        days_ahead=-2,
    )
    atelier_a = seminar.ateliers.get(title="Atelier A")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[atelier_a.pk]))
    abel, _ = register_person(seminar, person(2, nom="Abel", fonction="dgs"))
    roux, _ = register_person(seminar, person(3, nom="Roux"))
    for present in (zola, abel):
        set_check_in(present, True)
    return seminar, zola, abel, roux


def paths(registration) -> tuple[str, str]:
    """The personal page and the questionnaire, from one token (a token holds its time)."""
    manage = f"/evenements/inscription/{make_token(registration)}/"
    return manage, f"{manage}avis/"


def url(registration) -> str:
    return paths(registration)[1]


def test_a_present_person_answers_and_finds_the_link_on_their_page(portal, event):
    seminar, zola, _abel, _roux = event
    atelier_a = seminar.ateliers.get(title="Atelier A")
    manage, questionnaire = paths(zola)
    personal_page = portal.get(manage).content.decode()
    assert questionnaire in personal_page and "Donner mon avis" in personal_page

    page = portal.get(questionnaire)
    html = page.content.decode()
    assert page.status_code == 200
    # Radio groups are fieldsets named by their legend; only the atelier Zola chose is asked.
    assert "<legend>Votre appréciation générale de la rencontre" in html
    assert "atelier « Atelier A »" in html and "Atelier B" not in html

    response = portal.post(questionnaire, {**ANSWERS, f"atelier_{atelier_a.pk}": "4"}, follow=True)
    assert response.redirect_chain[-1][0] == manage
    assert "Merci, votre avis est enregistré" in response.content.decode()
    assert "Modifier mon avis" in response.content.decode()
    evaluation = Evaluation.objects.get(registration=zola)
    assert (evaluation.overall, evaluation.usefulness, evaluation.organisation) == (4, 3, 2)
    assert evaluation.improve == "Plus de temps pour les questions."
    assert [(r.atelier_id, r.rating) for r in evaluation.atelier_ratings.all()] == [
        (atelier_a.pk, 4)
    ]


def test_a_refused_answer_keeps_what_was_typed_and_saves_nothing(portal, event):
    _seminar, zola, _abel, _roux = event
    response = portal.post(url(zola), {**ANSWERS, "overall": "", "organisation": "9"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Erreur – Votre avis" in html
    assert "Choisissez une réponse." in html  # overall missing
    assert "Sélectionnez un choix valide" in html  # 9 is not on the scale
    assert "Plus de temps pour les questions." in html  # the comment typed is still there
    assert not Evaluation.objects.exists()


def test_answering_again_corrects_the_answer(portal, event):
    seminar, zola, _abel, _roux = event
    atelier_a = seminar.ateliers.get(title="Atelier A")
    portal.post(url(zola), {**ANSWERS, f"atelier_{atelier_a.pk}": "4"})
    form = portal.get(url(zola)).content.decode()
    assert "Vous avez déjà répondu" in form and "Plus de temps pour les questions." in form
    # « Sans avis » withdraws the atelier's rating.
    portal.post(url(zola), {**ANSWERS, "overall": "1", f"atelier_{atelier_a.pk}": ""})
    evaluation = Evaluation.objects.get(registration=zola)
    assert evaluation.overall == 1 and not evaluation.atelier_ratings.exists()


@pytest.mark.parametrize("case", ["absent", "waitlisted", "before_end", "closed"])
def test_the_questionnaire_is_for_present_people_after_the_end(portal, event, case):
    seminar, zola, _abel, roux, *_ = event
    registration = zola
    message = "Le questionnaire de satisfaction de cet événement est clos."
    if case == "absent":
        registration = roux
        message = "réservé aux personnes dont la présence a été émargée"
    elif case == "waitlisted":
        full = make_seminar("Complet", seats=1, days_ahead=-2)
        register_person(full, person(8))
        registration, _ = register_person(full, person(9))
        assert registration.status == "waitlisted"
        set_check_in(registration, True)  # checked in by mistake: no seat, no questionnaire
        message = "réservé aux personnes dont la présence a été émargée"
    elif case == "before_end":
        SeminarPage.objects.filter(pk=seminar.pk).update(end=timezone.now() + timedelta(hours=1))
        message = "Le questionnaire de satisfaction ouvre à la fin"
    else:
        SeminarPage.objects.filter(pk=seminar.pk).update(end=timezone.now() - timedelta(days=91))
    manage, questionnaire = paths(registration)
    assert "Donner mon avis" not in portal.get(manage).content.decode()
    response = portal.post(questionnaire, ANSWERS, follow=True)
    assert response.redirect_chain[-1][0] == manage
    assert message in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_tampered_link_saves_nothing(portal, event):
    _seminar, zola, _abel, _roux = event
    token = make_token(zola)
    response = portal.post(f"/evenements/inscription/{token[:-3]}abc/avis/", ANSWERS, follow=True)
    assert response.status_code == 404  # the personal page's « lien invalide »
    assert not Evaluation.objects.exists()


def test_ratings_of_ateliers_not_chosen_are_ignored(event):
    seminar, zola, _abel, _roux = event
    atelier_b = seminar.ateliers.get(title="Atelier B")
    evaluation = save_evaluation(
        zola, {"overall": 3, "usefulness": 3, "organisation": 3}, {atelier_b.pk: 1}
    )
    assert not evaluation.atelier_ratings.exists()


def answer(registration, overall, **answers):
    values = {"overall": overall, "usefulness": 3, "organisation": 3, **answers}
    return save_evaluation(registration, values, {})


def test_organisers_read_a_summary_without_names(organiser_client, event):
    seminar, zola, abel, _roux = event
    atelier_a = seminar.ateliers.get(title="Atelier A")
    save_evaluation(
        zola,
        {"overall": 4, "usefulness": 4, "organisation": 2, "improve": "Salle trop petite"},
        {atelier_a.pk: 3},
    )
    answer(abel, 2, best="Les chiffres de la CAF")
    summary = summarise_evaluations(seminar)
    assert (summary.present, summary.answers, summary.response_percent) == (2, 2, 100)
    overall = summary.questions[0]
    assert overall.counts == {4: 1, 3: 0, 2: 1, 1: 0}
    assert (overall.satisfied_percent, overall.average) == (50, 3.0)
    # One rating of atelier A: organisers know who chose it, so it is not detailed.
    assert [(a.label, a.withheld, a.answers) for a in summary.ateliers] == [
        ("Atelier A", True, 0),
        ("Atelier B", False, 0),
    ]

    page = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/avis/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 avis sur 2 personnes présentes (taux de réponse : 100 %)" in html
    assert "<caption>Satisfaction par question" in html
    assert "Salle trop petite" in html and "Les chiffres de la CAF" in html
    assert "Moins de 3 réponses : non détaillé" in html
    assert "Zola" not in html and "ZOLA" not in html and "Abel" not in html
    listing = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    assert "2 avis sur 2 personnes présentes" in listing

    export = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/avis.xlsx")
    workbook = load_workbook(io.BytesIO(export.content))
    rows = list(workbook["Avis"].iter_rows(values_only=True))
    assert rows[0][0] == "Avis des participants – Journée des élus"
    assert rows[1] == (
        "Appréciation générale",
        "Utilité pour votre mandat ou votre fonction",
        "Organisation et accueil",
        "Ce qui vous a été le plus utile",
        "Ce qui serait à améliorer",
        "Thèmes souhaités pour de prochaines rencontres",
    )
    # By answer, best first: nothing in a line (time, atelier) to match it with a person.
    assert rows[2] == (
        "Très satisfaisant",
        "Très satisfaisant",
        "Peu satisfaisant",
        None,
        "Salle trop petite",
        None,
    )
    assert rows[3][0] == "Peu satisfaisant" and len(rows) == 4
    ateliers = list(workbook["Ateliers"].iter_rows(values_only=True))
    assert ateliers[1] == ("Atelier A", "moins de 3 réponses : non détaillé", None, None)
    text = repr(rows) + repr(ateliers)
    assert "Zola" not in text and "Abel" not in text and "Bondy" not in text


def test_an_atelier_rated_by_three_people_is_detailed(event):
    seminar, zola, abel, _roux = event
    atelier_a = seminar.ateliers.get(title="Atelier A")
    extra, _ = register_person(seminar, person(5, nom="Ezra", ateliers=[atelier_a.pk]))
    for registration in (zola, abel, extra):
        registration.ateliers.set([atelier_a])
        set_check_in(registration, True)
        save_evaluation(
            registration, {"overall": 3, "usefulness": 3, "organisation": 3}, {atelier_a.pk: 4}
        )
    (a, _b) = summarise_evaluations(seminar).ateliers
    assert (a.withheld, a.answers, a.satisfied_percent) == (False, 3, 100)


def test_undoing_a_check_in_changes_no_figure(event):
    """Otherwise an organiser could undo one person's check-in and read their answer in the
    difference."""
    seminar, zola, abel, _roux = event
    answer(zola, 4)
    answer(abel, 1, improve="Le président était ennuyeux")
    before = summarise_evaluations(seminar)
    set_check_in(abel, False)
    after = summarise_evaluations(seminar)
    assert (after.present, after.answers, after.response_percent) == (2, 2, 100)
    assert after.questions == before.questions and after.comments == before.comments


def test_only_organisers_read_the_opinions(event):
    seminar, zola, *_ = event
    answer(zola, 4)
    editor = host_client("localhost", organiser(roles.EDITOR, "editrice@union.test"))
    for path in (
        f"/admin/inscriptions/{seminar.pk}/avis/",
        f"/admin/inscriptions/{seminar.pk}/avis.xlsx",
    ):
        response = host_client("localhost").get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert editor.get(path).status_code in (302, 403)
        assert "Très satisfaisant" not in editor.get(path, follow=True).content.decode()


def test_the_api_gives_organisers_the_summary(event):
    seminar, zola, abel, _roux = event
    answer(zola, 4, wishes="La domiciliation")
    answer(abel, 1)
    path = f"/api/v1/seminars/{seminar.pk}/evaluations/"
    assert host_client("localhost").get(path).status_code == 401
    body = host_client("localhost", organiser()).get(path).json()
    assert (body["present"], body["answers"], body["response_percent"]) == (2, 2, 100)
    overall = body["questions"][0]
    assert overall["key"] == "overall" and overall["counts"] == {"4": 1, "3": 0, "2": 0, "1": 1}
    assert (overall["satisfied_percent"], overall["average"]) == (50, 2.5)
    assert [a["label"] for a in body["ateliers"]] == ["Atelier A", "Atelier B"]
    wishes = next(group for group in body["comments"] if group["key"] == "wishes")
    assert wishes["texts"] == ["La domiciliation"]


def test_the_attestation_email_brings_the_questionnaire(
    portal, organiser_client, event, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, zola, _abel, _roux = event
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"/admin/inscriptions/{seminar.pk}/attestations/envoyer/")
    message = next(m for m in mailoutbox if m.to == [zola.email])
    assert "questionnaire de satisfaction" in message.body
    link = next(line for line in message.body.splitlines() if line.rstrip("/").endswith("/avis"))
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert portal.get(f"/{path}").status_code == 200  # the link opens Zola's questionnaire


def test_no_questionnaire_link_once_it_is_closed(event, mailoutbox):
    seminar, zola, _abel, _roux = event
    SeminarPage.objects.filter(pk=seminar.pk).update(end=timezone.now() - timedelta(days=91))
    zola.refresh_from_db()
    send_registration_email(zola, "certificate")
    assert "questionnaire" not in mailoutbox[-1].body


def test_organisers_remind_once_those_who_have_not_answered(
    organiser_client, event, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, zola, abel, _roux = event
    answer(abel, 3)
    base = f"/admin/inscriptions/{seminar.pk}/avis/"
    page = organiser_client.get(base).content.decode()
    assert "Relancer par e-mail la personne présente sans réponse" in page
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(f"{base}relancer/", follow=True)
    assert "Relance en cours d&#x27;envoi à 1 personne présente" in response.content.decode()
    # Zola only: Abel answered, Roux was absent.
    (message,) = mailoutbox
    assert message.to == [zola.email]
    assert message.subject == "Votre avis sur la rencontre : Journée des élus"
    assert "/avis/" in message.body and "télécharger" not in message.body
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"{base}relancer/")
    assert len(mailoutbox) == 1  # once each
    assert "Relancer par e-mail" not in organiser_client.get(base).content.decode()


def test_no_reminder_before_the_end_nor_to_someone_who_answered_meanwhile(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, zola, abel, _roux = event
    SeminarPage.objects.filter(pk=seminar.pk).update(end=timezone.now() + timedelta(hours=1))
    seminar.refresh_from_db()
    assert remind_to_answer(seminar) == 0
    SeminarPage.objects.filter(pk=seminar.pk).update(end=timezone.now() - timedelta(hours=1))
    seminar.refresh_from_db()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert remind_to_answer(seminar) == 2  # Zola and Abel, present with an address
    answer(zola, 4)  # answers before the worker sends
    for callback in queued:
        callback()
    assert [m.to for m in mailoutbox] == [[abel.email]]

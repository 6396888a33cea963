"""A review of the public pages of seminars: a commune not recognised is told to the person, the
« new link » form refuses what is not an address (and has a page of its own), « Autre » gives one
error and speaks to whoever fills the form in, the calendar says which parameter it did not
understand, the error summary leads to an atelier that can be checked, and the needs have a
limit."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from seminars.forms import ManualRegistrationForm, MemberRegistrationForm, RegistrationForm
from seminars.links import manage_path
from seminars.links import page_path as url
from seminars.models import MONTHS, Registration, Visibility
from seminars.services import fix_commune, register_person
from tests.seminars.conftest import form_data, make_seminar, person

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's text as a person reads it (entities decoded, spaces collapsed)."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(soup.get_text(" ").split())


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


# 2. A commune not recognised ------------------------------------------------------------------

NOT_RECOGNISED = "Nous n'avons pas reconnu la commune « {} » : l'équipe de l'union la vérifiera."


# « 93200 » was here: a postal code, it is Saint-Denis since session 17 (test_matching_s17.py).
@pytest.mark.parametrize("typed", ["xyzzy", "99999", "93"])
def test_a_commune_not_recognised_is_kept_and_the_person_is_told(portal, seminar, typed):
    response = portal.post(url(seminar), form_data(commune=typed), follow=True)
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert (registration.commune_status, registration.commune_typed) == ("flagged", typed)
    page = text_of(response)  # the personal page, with the messages
    assert "Votre inscription est confirmée" in page
    notice = NOT_RECOGNISED.format(typed)
    # Said once, beside the commune on the personal page (it used to be said twice there, the
    # message after registering repeating it), and never « register again » (the form takes an
    # address for its own registrant only; a typo close to a commune is asked about before
    # saving: test_review_s15_public.py).
    assert page.count(notice) == 1
    assert "inscrivez-vous à nouveau" not in page

    # The personal page keeps saying it until the commune is corrected.
    again = text_of(portal.get(manage_path(registration)))
    assert again.count(notice) == 1 and "à vérifier" in again
    fix_commune(registration, "93010")
    fixed = text_of(portal.get(manage_path(registration)))
    assert "Nous n'avons pas reconnu" not in fixed and "Bondy" in fixed


def test_registering_again_with_the_same_address_corrects_the_commune(portal, seminar):
    # « Bondyy » is close to Bondy: the form asks first (test_review_s15_public.py); kept as typed.
    kept = {"commune_checked": "Bondyy", "commune_choice": "saisie"}
    first = portal.post(url(seminar), form_data(commune="Bondyy", **kept), follow=True)
    assert NOT_RECOGNISED.format("Bondyy") in text_of(first)
    again = portal.post(url(seminar), form_data(commune="Bondy"), follow=True)
    registration = Registration.objects.get()
    assert (registration.commune_status, registration.commune_id) == ("matched", "93010")
    page = text_of(again)
    assert "Une inscription existait déjà avec cette adresse" in page
    assert "Nous n'avons pas reconnu" not in page


def test_the_update_message_also_tells_a_commune_not_recognised(portal, seminar):
    portal.post(url(seminar), form_data())
    again = portal.post(url(seminar), form_data(commune="xyzzy"), follow=True)
    page = text_of(again)  # the event page: the typed address's registration is never shown
    assert "Une inscription existait déjà avec cette adresse" in page
    assert NOT_RECOGNISED.format("xyzzy") in page


def test_after_the_cut_off_the_personal_page_says_whom_to_write_to(portal):
    seminar = make_seminar(organiser_email="evenements@union.test")
    registration, _ = register_person(seminar, person(1, commune="xyzzy"), notify=False)
    seminar.changes_until = timezone.now() - timedelta(hours=1)
    seminar.save()
    page = text_of(portal.get(manage_path(registration)))
    assert NOT_RECOGNISED.format("xyzzy") in page
    assert "Si c'est une erreur de frappe, écrivez à evenements@union.test." in page
    assert "inscrivez-vous à nouveau" not in page


# 5. « Nouveau lien » ---------------------------------------------------------------------------


def resend_url(seminar) -> str:
    return f"/evenements/{seminar.pk}/nouveau-lien/"


@pytest.mark.parametrize("typed", ["", "pas-un-mail"])
def test_a_new_link_needs_an_address(
    portal, seminar, typed, mailoutbox, django_capture_on_commit_callbacks
):
    register_person(seminar, person(1), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(resend_url(seminar), {"email": typed, "next": url(seminar)})
    assert response.status_code == 400
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Erreur – Recevoir un nouveau lien")
    summary = soup.find(class_="error-summary")
    assert summary["role"] == "alert"
    (link,) = summary.find_all("a")
    assert link["href"] == "#id_email"
    assert "Saisissez une adresse e-mail valide." in link.get_text()
    field = soup.find("input", id="id_email")
    assert field.get("value", "") == typed  # what was typed is kept
    assert soup.find("input", attrs={"name": "next"})["value"] == url(seminar)
    assert "un lien pour la gérer y est envoyé" not in text_of(response)
    assert mailoutbox == []


def test_the_new_link_address_shows_its_form_on_get(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    registration, _ = register_person(seminar, person(1), notify=False)
    page = portal.get(resend_url(seminar))
    assert page.status_code == 200
    soup = soup_of(page)
    assert seminar.title in soup.title.get_text()
    assert soup.find("input", id="id_email", attrs={"type": "email"})
    assert soup.find("a", href=url(seminar))  # back to the event
    with django_capture_on_commit_callbacks(execute=True):
        sent = portal.post(resend_url(seminar), {"email": "personne1@exemple.fr"})
    assert sent.status_code == 302 and sent["Location"] == url(seminar)
    (message,) = mailoutbox
    assert message.to == [registration.email]
    assert portal.put(resend_url(seminar)).status_code == 405


def test_the_new_link_page_does_not_name_an_invitation_only_event(portal):
    private = make_seminar("Réunion confidentielle", visibility=Visibility.INVITATION)
    page = portal.get(resend_url(private))
    assert page.status_code == 200
    assert "Réunion confidentielle" not in page.content.decode()
    assert not soup_of(page).find("a", href=url(private))


# 6. « Autre » --------------------------------------------------------------------------------


def test_a_fonction_too_long_is_one_error_not_two(portal, seminar):
    response = portal.post(url(seminar), form_data(fonction="autre", fonction_autre="x" * 201))
    assert response.status_code == 400
    page = text_of(response)
    assert "au plus 200 caractères (actuellement 201)" in page
    assert "Précisez" not in page.replace("Précisez votre fonction (si « Autre »)", "")
    assert not Registration.objects.exists()


def test_autre_speaks_to_whoever_fills_the_form_in(seminar):
    data = form_data(fonction="autre", fonction_autre="")
    public = RegistrationForm(data, seminar=seminar)
    assert not public.is_valid()
    assert public.errors["fonction_autre"] == ["À écrire, puisque vous avez choisi « Autre »."]
    assert public.fields["fonction_autre"].label == "Précisez votre fonction (si « Autre »)"
    for form_class in (ManualRegistrationForm, MemberRegistrationForm):
        form = form_class(data, seminar=seminar)
        assert not form.is_valid()
        assert form.errors["fonction_autre"] == [
            "À écrire, puisque la fonction choisie est « Autre »."
        ], form_class
        assert form.fields["fonction_autre"].label == "Précisez la fonction (si « Autre »)"
    # The public form's own label is unchanged by its subclasses.
    assert (
        RegistrationForm(seminar=seminar)
        .fields["fonction_autre"]
        .label.startswith("Précisez votre")
    )


def test_the_organisers_manual_add_says_precisez_la_fonction(organiser_client, seminar):
    response = organiser_client.post(
        f"/admin/inscriptions/{seminar.pk}/ajouter/",
        form_data(email="", fonction="autre", fonction_autre=""),
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "À écrire, puisque la fonction choisie est" in page
    assert "Précisez votre fonction" not in page and "vous avez choisi" not in page


# 7. The calendar's parameters -----------------------------------------------------------------


def this_month() -> str:
    today = timezone.localdate()
    return f"{MONTHS[today.month - 1]} {today.year}"


def error_messages(response) -> list[str]:
    return [p.get_text() for p in soup_of(response).find_all("p", class_="error-message")]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"mois": "13"}, "Mois inconnu : « 13 »."),
        ({"vue": "mois", "mois": "2026-13"}, "Mois inconnu : « 2026-13 »."),
        ({"mois": "9999-12"}, "Mois inconnu : « 9999-12 »."),
        ({"annee": "abc"}, "Année inconnue : « abc »."),
        ({"vue": "mois", "annee": "20266"}, "Année inconnue : « 20266 »."),
    ],
)
def test_a_month_the_calendar_cannot_show_is_said(portal, query, message):
    make_seminar()
    response = portal.get("/evenements/", query)
    assert response.status_code == 200
    assert error_messages(response) == [f"{message} Voici le calendrier de {this_month()}."]
    assert f"<caption>Événements de {this_month()}</caption>" in response.content.decode()


def test_a_month_may_be_asked_with_its_number_and_year(portal):
    make_seminar()
    response = portal.get("/evenements/", {"mois": "3", "annee": "2027"})
    assert "<caption>Événements de mars 2027</caption>" in response.content.decode()
    assert error_messages(response) == []
    year = portal.get("/evenements/", {"annee": "2027"})
    assert "<caption>Événements de janvier 2027</caption>" in year.content.decode()
    month = portal.get("/evenements/", {"mois": "2026-12"})
    assert error_messages(month) == [] and "décembre 2026</caption>" in month.content.decode()


def test_an_unknown_view_is_said(portal):
    make_seminar()
    response = portal.get("/evenements/", {"vue": "semaine"})
    assert error_messages(response) == [
        "Affichage inconnu : « semaine » (liste ou mois). Voici la liste des événements."
    ]


# 8. The error summary of full ateliers, the needs' limit --------------------------------------


def fill(seminar, atelier, count: int, start: int = 100) -> None:
    for number in range(start, start + count):
        register_person(seminar, person(number, ateliers=[atelier.pk]), notify=False)


def summary_links(response) -> list[str]:
    summary = soup_of(response).find(class_="error-summary")
    return [a["href"].lstrip("#") for a in summary.find_all("a")]


def test_the_summary_leads_to_the_first_atelier_that_can_be_checked(portal, seminar):
    a, b, _c = seminar.ateliers.order_by("sort_order")
    fill(seminar, a, a.seats)
    response = portal.post(url(seminar), form_data(ateliers=[a.pk]))  # full: refused
    assert response.status_code == 400
    (target,) = summary_links(response)
    box = soup_of(response).find(id=target)
    assert box.name == "input" and box["value"] == str(b.pk)
    assert not box.has_attr("disabled")


def test_with_every_atelier_full_the_summary_leads_to_the_group(portal, seminar):
    ateliers = list(seminar.ateliers.order_by("sort_order"))
    for number, atelier in enumerate(ateliers):
        fill(seminar, atelier, atelier.seats, start=100 * (number + 1))
    response = portal.post(url(seminar), form_data(ateliers=[ateliers[2].pk]))
    assert response.status_code == 400
    (target,) = summary_links(response)
    assert target == "id_ateliers_group"
    assert soup_of(response).find(id=target).name == "fieldset"


def test_the_personal_page_summary_leads_to_a_box_that_can_be_checked(portal, seminar):
    a, b, _c = seminar.ateliers.order_by("sort_order")
    registration, _ = register_person(seminar, person(1), notify=False)
    fill(seminar, a, a.seats)
    response = portal.post(manage_path(registration), {"action": "ateliers", "ateliers": [a.pk]})
    assert response.status_code == 400
    (target,) = summary_links(response)
    assert soup_of(response).find(id=target)["value"] == str(b.pk)


def test_the_needs_have_a_limit_on_the_page_and_in_the_api(portal, seminar):
    page = soup_of(portal.get(url(seminar)))
    assert page.find("textarea", attrs={"name": "needs"})["maxlength"] == "1000"

    response = portal.post(url(seminar), form_data(needs="x" * 1001))
    assert response.status_code == 400
    assert "Au plus 1 000 caractères (actuellement 1001)" in text_of(response)

    api = portal.post(
        f"/api/v1/seminars/{seminar.pk}/registrations/",
        {
            "nom": "Durand",
            "prenom": "Aïcha",
            "email": "aicha@exemple.fr",
            "commune": "93053",
            "fonction": "maire",
            "needs": "x" * 40000,
        },
        content_type="application/json",
    )
    assert api.status_code == 400
    (message,) = api.json()["needs"]
    assert re.match(r"Au plus 1 000 caractères \(actuellement 40000\)", message)
    assert not Registration.objects.exists()

    accepted = portal.post(url(seminar), form_data(needs="x" * 1000))
    assert accepted.status_code == 302
    assert len(Registration.objects.get().needs) == 1000


def test_the_confirmation_email_says_the_commune_was_not_recognised(
    portal, seminar, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        portal.post(url(seminar), form_data(commune="Xyzzy"))
        portal.post(url(seminar), form_data(commune="Bondy", email="autre@exemple.fr"))
    flagged, matched = mailoutbox
    assert (
        "Nous n'avons pas reconnu la commune « Xyzzy » : l'équipe de l'union la vérifiera. "
        "Votre page d'inscription (lien ci-dessous) dit comment corriger une faute de frappe."
    ) in flagged.body
    assert "Nous n'avons pas reconnu" not in matched.body

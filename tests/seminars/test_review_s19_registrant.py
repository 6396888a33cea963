"""Session 19, a review of the registrant's side of events, driven as an elected official:

1. the personal page's confirmations are said in the section the person acted in (its forms post
   to `#changer`, `#ma-commune`…, a fragment the browser keeps across the redirect: a message at
   the top of the page was out of view); the event page's « registered again » likewise, in its
   « Inscription » section;
2. registering again on the public form with no atelier ticked keeps the ateliers held, and the
   page and the « Inscription mise à jour » e-mail say the resulting ateliers and published list;
3. after registering, the page says to which address the e-mail went and what its link is for;
4. a cancelled registration's page (and e-mail) no longer lists its ateliers as if held."""

import pytest
from bs4 import BeautifulSoup

from seminars.links import manage_path, read_token
from seminars.links import page_path as url
from seminars.models import Registration
from seminars.services import cancel_registration, register_person
from tests.conftest import plain
from tests.seminars.conftest import form_data, make_seminar, person
from tests.seminars.test_api import post_json, registration_body

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def top_messages(response) -> str:
    """The messages block at the top of <main> (base.html), as read."""
    main = soup_of(response).find("main")
    return words(main.find("div", class_="messages", recursive=False))


def section_status(response, anchor: str) -> str:
    """The `role="status"` region inside the section headed by `#anchor`, right under its
    heading, as read."""
    section = soup_of(response).find("section", attrs={"aria-labelledby": anchor})
    assert section is not None, anchor
    status = section.find(attrs={"role": "status"})
    if status is None:
        return ""
    assert status.find_previous_sibling("h2")["id"] == anchor
    return words(status)


def html_text(message) -> str:
    (html,) = [a.content for a in message.alternatives if a.mimetype == "text/html"]
    return words(BeautifulSoup(html, "html.parser"))


# 1. Confirmations where the person acted --------------------------------------------------------


@pytest.mark.parametrize(
    ("posted", "anchor", "said"),
    [
        ({"action": "ateliers", "ateliers": ["C"]}, "changer", "Vos ateliers sont enregistrés."),
        (
            {"action": "give_consent"},
            "liste-publiee",
            "Vous figurerez dans la liste des participants publiée avec les actes.",
        ),
        (
            {"action": "phone", "phone": "06 12 34 56 78"},
            "mon-telephone",
            "Votre numéro de téléphone est enregistré.",
        ),
        (
            {"action": "commune", "commune": "Pantin"},
            "ma-commune",
            "Votre commune est enregistrée : Pantin.",
        ),
    ],
)
def test_a_saved_change_is_confirmed_in_its_own_section(portal, seminar, posted, anchor, said):
    registration, _ = register_person(seminar, person(1, consent=False), notify=False)
    page_url = manage_path(registration)
    form = soup_of(portal.get(page_url)).find("button", attrs={"value": posted["action"]})
    # The form posts to its section: the browser keeps that fragment across the redirect.
    assert form.find_parent("form")["action"] == f"#{anchor}"
    if posted.get("ateliers"):
        posted = {**posted, "ateliers": [seminar.ateliers.get(title="Atelier C").pk]}
    response = portal.post(page_url, posted)
    assert response.status_code == 302 and response["Location"] == page_url

    shown = portal.get(page_url)
    assert section_status(shown, anchor) == said
    assert said not in top_messages(shown)
    # Said once: the next visit no longer says it.
    assert section_status(portal.get(page_url), anchor) == ""


def test_a_refused_change_is_shown_as_before_with_what_was_typed(portal, seminar):
    a, b, _c = seminar.ateliers.order_by("sort_order")
    registration, _ = register_person(seminar, person(1, ateliers=[a.pk]), notify=False)
    response = portal.post(
        manage_path(registration), {"action": "ateliers", "ateliers": [a.pk, b.pk]}
    )
    assert response.status_code == 400
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Erreur – ")
    section = soup.find("section", attrs={"aria-labelledby": "changer"})
    assert "en même temps" in words(section.find(class_="error-summary"))
    ticked = {box["value"] for box in section.find_all("input", checked=True)}
    assert ticked == {str(a.pk), str(b.pk)}
    assert section_status(response, "changer") == ""


def test_a_confirmation_whose_section_is_gone_is_said_at_the_top(portal, seminar):
    registration, _ = register_person(seminar, person(1, consent=True), notify=False)
    cancel_registration(registration)
    # A cancelled registration has no « Liste des participants » section (a consent can still
    # be withdrawn, from a page left open; never given: test_registrant_changes_s45.py).
    assert portal.post(manage_path(registration), {"action": "withdraw_consent"}).status_code == 302
    shown = portal.get(manage_path(registration))
    assert soup_of(shown).find("section", attrs={"aria-labelledby": "liste-publiee"}) is None
    notice = soup_of(shown).find("main").find("div", class_="messages", recursive=False)
    assert notice["role"] == "status"
    (paragraph,) = notice.find_all("p")
    assert paragraph["class"] == ["message", "message-success"]  # no section name in the class
    assert "Vous ne figurez plus dans la liste" in words(paragraph)


# 2. Registering again -------------------------------------------------------------------------


def without_consent(**overrides) -> dict:
    data = form_data(**overrides)
    del data["consent"]
    return data


def test_registering_again_without_ateliers_keeps_them_and_says_what_happened(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    c = seminar.ateliers.get(title="Atelier C")
    portal.post(url(seminar), form_data(ateliers=[c.pk]))
    registration = Registration.objects.get()
    assert registration.consent and list(registration.ateliers.all()) == [c]

    # The reviewer's case: the same address, the name in other case, no atelier, no consent.
    with django_capture_on_commit_callbacks(execute=True):
        again = portal.post(url(seminar), without_consent(nom="DURAND", prenom="aïcha"))
    assert again.status_code == 302 and again["Location"] == url(seminar)
    registration.refresh_from_db()
    assert list(registration.ateliers.all()) == [c]  # kept: nothing ticked is not « give up »
    assert registration.consent is False  # the rule stays: registering again may withdraw it

    # Said in the « Inscription » section, where the browser comes back (#inscription).
    shown = portal.get(url(seminar))
    said = section_status(shown, "inscription")
    assert said.startswith("Une inscription existait déjà avec cette adresse")
    assert "Aucun atelier coché : vos ateliers ne changent pas" in said
    assert (
        "Case non cochée : vous ne figurez pas dans la liste des participants publiée avec les "
        "actes (un accord donné auparavant est retiré" in said
    )
    # What the person did not type is not named on the page (anyone may type a name and an
    # address): the e-mail, to that address only, gives it.
    assert "Atelier C" not in said
    assert "Une inscription existait" not in top_messages(shown)

    (message,) = mailoutbox
    assert message.subject == f"Inscription mise à jour : {seminar.title}"
    assert "Vos ateliers :\n- Atelier C (" in message.body
    published = "Liste des participants publiée avec les actes : vous n'y figurez pas"
    assert published in message.body
    html = html_text(message)
    assert "Vos ateliers Atelier C (" in html and plain(published) in html


def test_an_update_without_ateliers_says_none_in_the_page_and_the_email(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    portal.post(url(seminar), form_data())
    with django_capture_on_commit_callbacks(execute=True):
        portal.post(url(seminar), form_data(commune="Bondy"))
    assert "Vos ateliers : aucun." in section_status(portal.get(url(seminar)), "inscription")
    (message,) = mailoutbox
    assert "\nVos ateliers : aucun\n" in message.body
    assert "Vos ateliers : aucun" in html_text(message)
    # Consent ticked again: kept as it was (given the first time), which the e-mail says.
    assert "Liste des participants publiée avec les actes : vous y figurez" in message.body


def test_ticking_ateliers_again_still_changes_them_and_says_which(portal, seminar):
    a = seminar.ateliers.get(title="Atelier A")
    c = seminar.ateliers.get(title="Atelier C")
    portal.post(url(seminar), form_data(ateliers=[c.pk]))
    portal.post(url(seminar), form_data(ateliers=[a.pk]))
    assert list(Registration.objects.get().ateliers.all()) == [a]
    said = section_status(portal.get(url(seminar)), "inscription")
    assert "Vos ateliers : « Atelier A »." in said
    assert "atelier complet est aussi conservée" not in said


def test_a_seat_kept_in_a_full_atelier_is_said_without_naming_it(portal):
    seminar = make_seminar(ateliers=(("Budget", 1, 2, 1), ("Logement", 4, 2, 10)))
    budget, logement = seminar.ateliers.order_by("sort_order")
    portal.post(url(seminar), form_data(ateliers=[budget.pk]))
    register_person(seminar, person(2), notify=False)  # Budget is full: its box is disabled
    portal.post(url(seminar), form_data(ateliers=[logement.pk]))
    registration = Registration.objects.get(email="aicha.durand@exemple.fr")
    assert set(registration.ateliers.all()) == {budget, logement}
    said = section_status(portal.get(url(seminar)), "inscription")
    assert "Vos ateliers : « Logement »." in said
    assert "Une place déjà obtenue dans un atelier complet est aussi conservée." in said
    assert "Budget" not in said


def test_ticking_consent_again_does_not_give_it_and_says_so(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    portal.post(url(seminar), without_consent())
    with django_capture_on_commit_callbacks(execute=True):
        portal.post(url(seminar), form_data(commune="Bondy"))
    assert Registration.objects.get().consent is False
    said = section_status(portal.get(url(seminar)), "inscription")
    assert "une nouvelle inscription ne vous y ajoute pas" in said
    (message,) = mailoutbox
    assert "Liste des participants publiée avec les actes : vous n'y figurez pas" in message.body


def test_a_cancelled_registration_registered_again_starts_without_ateliers(portal, seminar):
    c = seminar.ateliers.get(title="Atelier C")
    portal.post(url(seminar), form_data(ateliers=[c.pk]))
    cancel_registration(Registration.objects.get())
    portal.post(url(seminar), form_data())
    registration = Registration.objects.get()
    assert registration.status == "confirmed" and not registration.ateliers.exists()
    said = section_status(portal.get(url(seminar)), "inscription")
    assert "Votre inscription est confirmée." in said  # session 44: said as for a new one
    assert "Vos ateliers : aucun." in said


def test_the_api_still_sends_its_list_of_ateliers_as_is(portal, seminar):
    c = seminar.ateliers.get(title="Atelier C")
    api = f"/api/v1/seminars/{seminar.pk}/registrations/"
    assert post_json(portal, api, registration_body(ateliers=[c.pk])).status_code == 201
    again = post_json(portal, api, registration_body(ateliers=[]))
    # Said as the event page says it (session 45: no more of a known address than the page).
    assert again.status_code == 200 and "Vos ateliers : aucun." in again.json()["detail"].replace(
        "\xa0", " "
    )
    assert not Registration.objects.get().ateliers.exists()


# 3. Where the e-mail went -------------------------------------------------------------------


@pytest.mark.parametrize("full", [False, True])
def test_the_confirmation_says_where_the_email_went_and_what_its_link_is_for(portal, full):
    seminar = make_seminar(seats=1)
    if full:
        register_person(seminar, person(1), notify=False)
    response = portal.post(url(seminar), form_data(email="S.Durand@Mairie-Noisy.example"))
    registration = Registration.objects.get(email="s.durand@mairie-noisy.example")
    # The personal page of this registration (its token is signed with the time: one made a
    # second later differs, so compare what it designates).
    location = response["Location"]
    assert location.startswith(manage_path(registration).split(":", 1)[0])
    assert read_token(location.rstrip("/").rsplit("/", 1)[1]) == registration
    said = top_messages(portal.get(response["Location"]))
    assert said.startswith(
        "L'événement est complet" if full else "Votre inscription est confirmée."
    )
    assert (
        "Un e-mail vous a été envoyé à s.durand@mairie-noisy.example : son lien vous ramène à "
        "cette page, pour annuler votre inscription." in said  # no ateliers to change: s21
    )


# 4. A cancelled registration's ateliers ------------------------------------------------------


def test_a_cancelled_registration_does_not_list_its_ateliers_as_held(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    c = seminar.ateliers.get(title="Atelier C")
    registration, _ = register_person(seminar, person(1, ateliers=[c.pk]), notify=False)
    held = soup_of(portal.get(manage_path(registration))).find("dl", class_="facts")
    assert "Atelier C" in words(held.find("dt", string="Ateliers").find_next_sibling("dd"))
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration)
    facts = soup_of(portal.get(manage_path(registration))).find("dl", class_="facts")
    label = facts.find("dt", string="Ateliers (aucune place gardée)")
    assert label is not None and "Atelier C" in words(label.find_next_sibling("dd"))
    (message,) = mailoutbox
    assert "Ateliers (aucune place gardée) :\n- Atelier C (" in message.body
    assert "Vos ateliers" not in message.body
    assert "Ateliers (aucune place gardée) Atelier C" in html_text(message)

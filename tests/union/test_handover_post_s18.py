"""Review of session 18: the portal → member-space hand-over signs in on a POST only.

A GET of /acces/<token>/ used to spend the link and sign in: any page could make a visitor's
browser load its author's own link (an <img>) and sign her into the author's account (login
CSRF), and link scanners spent the links. The GET now shows a page with one button."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tenants.models import HandoverLink, Membership
from tenants.services import create_handover_link
from tests.conftest import host_client, make_person, member_client

pytestmark = pytest.mark.django_db

SPENT = "Ce lien de connexion a expiré ou a déjà servi. Connectez-vous avec votre mot de passe."


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def signed_in_as(client) -> int | None:
    """The id of the account the client's session is signed in as, if any."""
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id is not None else None


def spent(member, user) -> bool:
    return HandoverLink.objects.get(member=member, user=user).used_at is not None


def messages_of(response) -> str:
    box = BeautifulSoup(response.content.decode(), "html.parser").find(class_="messages")
    return box.get_text(" ", strip=True) if box else ""


def test_entering_from_the_portal_shows_a_button_and_signs_in_only_on_its_post(bondy):
    director = make_person(bondy, "dir@bondy.test")
    response = host_client("localhost", director).post("/compte/espace/bondy/")
    assert response["Location"].startswith("http://bondy.localhost/acces/")
    path = path_of(response["Location"])

    browser = member_client(bondy)
    page = browser.get(path)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]  # neither the token's page nor its CSRF token cached
    soup = BeautifulSoup(page.content.decode(), "html.parser")
    assert soup.h1.get_text(strip=True) == "Ouvrir l'espace du CCAS de Bondy"
    assert "dir@bondy.test" in soup.find("p", class_="lead").get_text()
    form = soup.find("main").find("form", method="post")
    assert form.get("action") is None  # posts back to the same address
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None
    assert form.button.get_text(strip=True) == "Ouvrir l'espace du CCAS de Bondy"
    # The GET signed nobody in and left the link as it was, however many times it is loaded.
    assert browser.get(path).status_code == 200
    assert signed_in_as(browser) is None and not spent(bondy, director)
    assert browser.get("/").status_code == 302

    response = browser.post(path)
    assert response["Location"] == "/"
    assert signed_in_as(browser) == director.pk and spent(bondy, director)
    assert browser.get("/").status_code == 200


def test_a_link_serves_once_and_then_says_so_in_french(bondy):
    director = make_person(bondy, "dir@bondy.test")
    path = path_of(create_handover_link(director, bondy))
    first = member_client(bondy)
    assert first.get(path).status_code == 200
    assert first.post(path)["Location"] == "/"

    again = member_client(bondy)
    response = again.post(path, follow=True)
    assert response.redirect_chain == [("/connexion/", 302)]
    assert messages_of(response) == SPENT
    assert signed_in_as(again) is None
    # Its GET says the same, rather than offering a button that cannot work.
    response = again.get(path, follow=True)
    assert response.redirect_chain == [("/connexion/", 302)]
    assert messages_of(response) == SPENT


def test_a_link_to_one_space_does_not_open_another(two_members):
    """The person has access to both spaces (schemas cloned from one template), and the token
    names its member: Bondy's link opens nothing at Montreuil, and is not spent there."""
    bondy, montreuil = two_members
    person = make_person(bondy, "dir@ccas.test")
    Membership.objects.create(user=person, member=montreuil, role=Membership.Role.AGENT)
    path = path_of(create_handover_link(person, bondy))

    elsewhere = member_client(montreuil)
    assert elsewhere.get(path, follow=True).redirect_chain == [("/connexion/", 302)]
    response = elsewhere.post(path, follow=True)
    assert response.redirect_chain == [("/connexion/", 302)]
    assert messages_of(response) == SPENT
    assert signed_in_as(elsewhere) is None and not spent(bondy, person)
    # Refused there, it still works where it belongs.
    browser = member_client(bondy)
    assert browser.get(path).status_code == 200
    assert browser.post(path)["Location"] == "/"
    assert signed_in_as(browser) == person.pk


def test_the_post_needs_the_pages_csrf_token(bondy):
    director = make_person(bondy, "dir@bondy.test")
    path = path_of(create_handover_link(director, bondy))
    browser = Client(enforce_csrf_checks=True, HTTP_HOST=bondy.domain_name)

    # A form on another site posting to the link: no CSRF cookie nor token.
    assert browser.post(path).status_code == 403
    assert signed_in_as(browser) is None and not spent(bondy, director)

    # The page sets the cookie and carries the token; its button signs in.
    soup = BeautifulSoup(browser.get(path).content.decode(), "html.parser")
    token = soup.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    response = browser.post(path, {"csrfmiddlewaretoken": token})
    assert response["Location"] == "/"
    assert signed_in_as(browser) == director.pk and spent(bondy, director)

"""The login page on the portal and on a member host: errors tied to their input, the way to a
forgotten password, and the footer's portal links."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PASSWORD, host_client, make_person, member_client

pytestmark = pytest.mark.django_db


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def error_of(soup: BeautifulSoup, name: str) -> str | None:
    """The text of the error the input `name` points to (aria-describedby), if it is invalid."""
    field = soup.find("input", attrs={"name": name})
    if field.get("aria-invalid") != "true":
        return None
    described = soup.find(id=field["aria-describedby"])
    return described.get_text(" ", strip=True) if described else None


@pytest.mark.parametrize("on_member_host", [False, True])
def test_empty_fields_each_say_so_next_to_their_input(bondy, on_member_host):
    client = member_client(bondy) if on_member_host else host_client("localhost")
    response = client.post("/connexion/", {"username": "", "password": ""})
    assert response.status_code == 200
    soup = page(response)
    assert error_of(soup, "username") == "Saisissez votre identifiant (votre adresse e-mail)."
    assert error_of(soup, "password") == "Saisissez votre mot de passe."
    # Each label still names its input.
    assert soup.find("label", attrs={"for": "id_username"}) and soup.find(id="id_username")
    assert soup.find("label", attrs={"for": "id_password"}) and soup.find(id="id_password")


def test_what_was_typed_stays_and_only_the_empty_field_is_flagged(bondy):
    response = member_client(bondy).post(
        "/connexion/", {"username": "dir@bondy.test", "password": ""}
    )
    soup = page(response)
    assert soup.find("input", attrs={"name": "username"})["value"] == "dir@bondy.test"
    assert error_of(soup, "username") is None
    assert error_of(soup, "password") == "Saisissez votre mot de passe."
    assert not soup.find("input", attrs={"name": "password"}).get("value")


def test_wrong_password_is_still_a_form_level_alert(bondy):
    make_person(bondy, "dir@bondy.test")
    response = member_client(bondy).post(
        "/connexion/", {"username": "dir@bondy.test", "password": "pas-le-bon"}
    )
    alert = page(response).find(attrs={"role": "alert"})
    assert alert is not None and "mot de passe" in alert.get_text().lower()
    ok = member_client(bondy).post(
        "/connexion/", {"username": "dir@bondy.test", "password": PASSWORD}
    )
    assert ok.status_code == 302


def test_member_host_links_to_the_portal_password_reset(bondy):
    soup = page(member_client(bondy).get("/connexion/"))
    assert soup.find("p", class_="lead").get_text(strip=True) == "Espace membre — CCAS de Bondy"
    link = soup.find("a", href="http://localhost/compte/mot-de-passe/oublie/")
    assert link is not None and "nouveau" in link.get_text()
    # The link works: the portal serves the reset form.
    assert host_client("localhost").get("/compte/mot-de-passe/oublie/").status_code == 200


def test_member_host_link_keeps_the_port_of_the_request(bondy):
    client = host_client(f"{bondy.domain_name}:8000")
    soup = page(client.get("/connexion/"))
    assert soup.find("a", href="http://localhost:8000/compte/mot-de-passe/oublie/") is not None
    assert soup.find("a", href="http://localhost:8000/membres/").get_text() == (
        "Annuaire des membres"
    )


def test_portal_login_keeps_its_own_reset_link(portal):
    soup = page(portal.get("/connexion/"))
    assert soup.find("a", href="/compte/mot-de-passe/oublie/") is not None
    assert soup.find("p", class_="lead") is None


def test_footer_directory_link_reaches_the_directory_from_any_host(bondy, portal):
    director = make_person(bondy, "dir@bondy.test")
    member_page = page(member_client(bondy, director).get("/"))
    link = member_page.find("a", string="Annuaire des membres")
    assert link["href"] == "http://localhost/membres/"
    portal_link = page(portal.get("/connexion/")).find("a", string="Annuaire des membres")
    assert portal_link["href"] == "/membres/"
    assert portal.get(portal_link["href"]).status_code == 200
    # What the link used to be: nothing there on a member host.
    assert member_client(bondy, director).get("/membres/").status_code == 404

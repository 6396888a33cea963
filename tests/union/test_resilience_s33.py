"""« Nothing is lost » (audit A9, session 33): when a session or a browser gets in the way, the
page says what happened and what to do.

- A refused CSRF check (a form left open while the person signed in again in another tab) is a
  French page in the site's layout: nothing was saved, go Back (what was typed is still there),
  reload, send again; a link back and the union's contact. The API keeps DRF's JSON.
- A GET on a POST-only address (the sign-in sent the person back to a button's address) is a
  French 405 page that says the action was not done, with a link to the button's page.
- A POST that reaches a member host without a session tells, on the sign-in page, that what
  was sent was not saved.
- A document refused for another field names the file to choose again.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tenants.models import Membership
from tests.conftest import PASSWORD, host_client, make_person, member_client, plain

pytestmark = pytest.mark.django_db

CSRF_WHAT = (
    "Le formulaire a expiré ou votre session a changé (connexion dans un autre onglet) : "
    "rien n'a été enregistré."
)
CSRF_TODO = (
    "Revenez à la page précédente avec le bouton Retour du navigateur : ce que vous avez saisi "
    "y est encore. Rechargez la page pour obtenir un formulaire à jour, puis envoyez-le de nouveau."
)
SESSION_ENDED = (
    "Votre session a pris fin : ce que vous veniez d'envoyer n'a pas été enregistré. "
    "Connectez-vous, puis recommencez."
)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def strict_client(host: str, user=None) -> Client:
    """A client whose POSTs go through the CSRF check, as a browser's do."""
    client = Client(enforce_csrf_checks=True, HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


def page_text(response) -> str:
    return plain(BeautifulSoup(response.content, "html.parser").get_text(" "))


def links(response, within: str = "main") -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [a["href"] for a in soup.select(f"{within} a[href]")]


# --- 1. CSRF failure -------------------------------------------------------------------------


def assert_csrf_page(response):
    assert response.status_code == 403
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "fr"
    assert soup.select_one("header.site-header") is not None  # the site's layout
    text = page_text(response)
    assert plain(CSRF_WHAT) in text
    assert plain(CSRF_TODO) in text
    # The union's contact page, on the portal.
    assert any(href.endswith("/contact/") for href in links(response))


def test_csrf_failure_on_member_host_is_a_french_page_with_a_way_back(bondy):
    director = make_person(bondy, "direction@bondy.test")
    client = strict_client(bondy.domain_name, director)
    form_url = f"http://{bondy.domain_name}/abs/observations/ajouter/"
    response = client.post("/abs/observations/ajouter/", {"year": "2024"}, HTTP_REFERER=form_url)
    assert_csrf_page(response)
    assert form_url in links(response)


def test_csrf_failure_on_portal_links_home_for_another_sites_referer():
    client = strict_client("localhost")
    response = client.post(
        "/connexion/",
        {"username": "x@example.test", "password": "x"},
        HTTP_REFERER="https://ailleurs.example/connexion/",
    )
    assert_csrf_page(response)
    hrefs = links(response)
    assert "/" in hrefs
    assert not any("ailleurs.example" in href for href in hrefs)


def test_csrf_failure_in_wagtail_admin_gets_the_same_page():
    client = strict_client("localhost")
    response = client.post(
        "/admin/login/",
        {"username": "x@example.test", "password": "x"},
        HTTP_REFERER="http://localhost/admin/login/",
    )
    assert_csrf_page(response)
    assert "http://localhost/admin/login/" in links(response)


def test_api_keeps_drf_json_answer_to_a_session_post_without_token(bondy):
    director = make_person(bondy, "direction@bondy.test")
    response = strict_client(bondy.domain_name, director).post(
        "/api/v1/board/members/", {"full_name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "CSRF" in response.json()["detail"]


# --- 2. GET on a POST-only address -----------------------------------------------------------


def assert_405_page(response, back: str):
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "fr"
    text = page_text(response)
    assert "n'a pas été faite" in text
    assert "appuyez de nouveau sur le bouton" in text
    assert back in links(response)


def test_get_on_a_member_post_only_address_says_the_action_was_not_done(bondy):
    director = make_person(bondy, "direction@bondy.test")
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = member_client(bondy, director)
    assert_405_page(client.get("/abs/valider/"), "/abs/")
    membership = Membership.objects.get(user=agent, member=bondy)
    # /equipe/<pk>/ is no page: the nearest one above it.
    assert_405_page(client.get(f"/equipe/{membership.pk}/role/"), "/equipe/")
    assert_405_page(client.get(f"/equipe/{membership.pk}/renvoyer/"), "/equipe/")
    assert_405_page(client.get("/premiers-pas/masquer/"), "/")


def test_get_on_an_admin_post_only_address_links_the_buttons_page():
    admin = get_user_model().objects.create_superuser("admin@union.test", "admin@union.test", "x")
    client = host_client("localhost", admin)
    assert_405_page(client.get("/admin/inscriptions/21/39/lien/"), "/admin/inscriptions/21/")
    assert_405_page(
        client.get("/admin/inscriptions/21/avis/relancer/"), "/admin/inscriptions/21/avis/"
    )
    assert_405_page(
        client.get("/admin/inscriptions/21/attestations/envoyer/"),
        "/admin/inscriptions/21/attestations/",
    )
    assert_405_page(
        client.get("/admin/inscriptions/accueil/25/74/emargement/"),
        "/admin/inscriptions/accueil/25/",
    )


def test_portal_post_only_address_links_a_real_page_not_wagtails_catch_all():
    person = get_user_model().objects.create_user("p@union.test", "p@union.test", "x")
    response = host_client("localhost", person).get("/compte/espace/bondy/")
    assert_405_page(response, "/compte/")


def test_api_and_json_clients_keep_their_405(bondy):
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    api = client.get("/api/v1/auth/token/")
    assert api.status_code == 405
    assert api["Content-Type"].startswith("application/json")
    json_client = client.get("/abs/valider/", HTTP_ACCEPT="application/json")
    assert json_client.status_code == 405 and json_client.content == b""
    # A POST answered 405 by a view is not this page's business either.
    assert client.put("/abs/valider/").content == b""


# --- 3. A POST without a session -------------------------------------------------------------


def test_post_without_session_says_on_sign_in_page_that_nothing_was_saved(bondy):
    make_person(bondy, "direction@bondy.test")
    anonymous = host_client(bondy.domain_name)
    response = anonymous.post(
        "/abs/observations/ajouter/", {"year": "2024", "value": "412", "comment": "secret"}
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/connexion/?next=/abs/observations/ajouter/")
    login_page = anonymous.get(location)
    assert plain(SESSION_ENDED) in page_text(login_page)
    # What was typed is kept nowhere: neither in the address nor in the session.
    assert "412" not in location and "secret" not in location
    assert "secret" not in str(dict(anonymous.session))
    # The notice stays after a wrong password (the form posts to the same address)…
    wrong = anonymous.post(location, {"username": "direction@bondy.test", "password": "non"})
    assert plain(SESSION_ENDED) in page_text(wrong)
    # … and signing in still goes to `next`.
    signed_in = anonymous.post(location, {"username": "direction@bondy.test", "password": PASSWORD})
    assert signed_in["Location"] == "/abs/observations/ajouter/"


def test_get_without_session_gets_the_usual_sign_in_page(bondy):
    anonymous = host_client(bondy.domain_name)
    response = anonymous.get("/documents/")
    assert response["Location"] == "/connexion/?next=/documents/"
    assert "Votre session a pris fin" not in page_text(anonymous.get(response["Location"]))


def test_next_with_a_query_string_survives_the_redirect(bondy):
    make_person(bondy, "direction@bondy.test")
    anonymous = host_client(bondy.domain_name)
    response = anonymous.post("/documents/?categorie=budget&x=1", {"title": "T"})
    login_page = anonymous.get(response["Location"])
    assert login_page.context["next"] == "/documents/?categorie=budget&x=1"


# --- 4. A document refused for another field --------------------------------------------------


def test_document_refused_for_its_title_names_the_file_to_choose_again(bondy):
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = member_client(bondy, agent)
    response = client.post(
        "/documents/",
        {"title": "   ", "file": SimpleUploadedFile("rapport.pdf", PDF)},
    )
    assert response.status_code == 200  # the form again, not a redirect
    soup = BeautifulSoup(response.content, "html.parser")
    under_file = plain(soup.select_one("#id_file_error").get_text(" "))
    assert (
        plain(
            "Choisissez de nouveau le fichier (« rapport.pdf ») : un navigateur ne le garde pas "
            "quand le formulaire revient avec une erreur."
        )
        in under_file
    )
    # The input announces it (Django's aria-describedby names the error's id).
    assert "id_file_error" in soup.select_one("#id_file")["aria-describedby"]


def test_document_refused_for_its_file_keeps_its_own_error_only(bondy):
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = member_client(bondy, agent)
    response = client.post(
        "/documents/",
        {"title": "   ", "file": SimpleUploadedFile("rapport.exe", b"MZ\x90\x00")},
    )
    text = page_text(response)
    assert "Choisissez de nouveau le fichier" not in text

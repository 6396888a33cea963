"""Review s21: the union administrator's member work (Wagtail admin, /admin/membres/) and a
newly invited director's first steps (invitation, password, « Mes espaces », hand-over,
« mot de passe oublié », sign-in), walked with the test client.

1. Sign-in: the identifier is an e-mail address, stored in lower case by the invitation;
   « Dir@Bondy.test » was refused, and Django's error said the fields were case-sensitive
   without saying what to do.
2. The hand-over page opened again once used (Back, a reload) told a person already in the
   space « Connectez-vous avec votre mot de passe », over her own dashboard.
3. The set-password page (invitation or reset) did not say for which account, nor sum up its
   errors or flag its title; no identifier for password managers.
4. « Mot de passe oublié » said « Courriel » and « Champ requis. ».
5. The reset e-mail's subject said « Maillage », the invitation's the platform's name.
6. The status confirmation read « Suspendre CCAS de Bondy », « Enregistrer le départ de CCAS
   de Bondy », « CCAS de Bondy est aujourd'hui : … »; the list's caption « 2 membres (actif) »."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tenants.services import create_handover_link
from tests.conftest import PASSWORD, host_client, make_member, make_person, member_client
from union import roles

pytestmark = pytest.mark.django_db


def union_admin():
    user = get_user_model().objects.create_user(
        "admin@union.test", "admin@union.test", PASSWORD, first_name="Alice", last_name="Admin"
    )
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return host_client("localhost", user)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def messages_of(response) -> str:
    box = soup(response).find(class_="messages")
    return words(box) if box else ""


def signed_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id is not None else None


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


# --- 1. Sign-in -----------------------------------------------------------------------------


@pytest.mark.parametrize("on_member_host", [False, True])
def test_the_address_typed_with_capitals_signs_in(bondy, on_member_host):
    director = make_person(bondy, "denise.durand@ccas-bondy.test")
    client = host_client(bondy.domain_name) if on_member_host else host_client("localhost")
    response = client.post(
        "/connexion/", {"username": " Denise.Durand@CCAS-Bondy.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in_as(client) == director.pk


def test_a_wrong_password_says_what_to_do(bondy):
    make_person(bondy, "dir@bondy.test")
    response = host_client("localhost").post(
        "/connexion/", {"username": "dir@bondy.test", "password": "pas-le-bon"}
    )
    alert = words(soup(response).find(attrs={"role": "alert"}))
    assert alert.startswith("Adresse e-mail ou mot de passe incorrect.")
    assert "« Mot de passe oublié ? »" in alert
    assert "nom d’utilisateur" not in alert and "sensible à la casse" not in alert


def test_two_accounts_differing_by_case_stay_exact(bondy):
    """Accounts created by hand may differ by case only: no guess between them."""
    User = get_user_model()
    upper = User.objects.create_user("Pat@union.test", "Pat@union.test", PASSWORD)
    User.objects.create_user("pat@union.test", "pat@union.test", "Autre-phrase-longue-43")
    client = host_client("localhost")
    client.post("/connexion/", {"username": "Pat@union.test", "password": PASSWORD})
    assert signed_in_as(client) == upper.pk
    other = host_client("localhost")
    other.post("/connexion/", {"username": "PAT@union.test", "password": PASSWORD})
    assert signed_in_as(other) is None


# --- 2. A spent hand-over link, opened again -------------------------------------------------


def test_a_spent_link_opened_again_leads_a_signed_in_person_to_her_space(bondy):
    director = make_person(bondy, "dir@bondy.test")
    path = path_of(create_handover_link(director, bondy))
    browser = member_client(bondy)
    browser.post(path)
    assert signed_in_as(browser) == director.pk
    for method in (browser.get, browser.post):  # Back, or a reload of the POST
        response = method(path, follow=True)
        assert response.redirect_chain == [("/", 302)]
        assert "Connectez-vous" not in messages_of(response)
        assert signed_in_as(browser) == director.pk


def test_a_spent_link_still_refuses_a_person_of_another_member(two_members):
    """Montreuil's director, signed in on Bondy's host (keys collide across the two schemas),
    with Bondy's spent link: the usual refusal, no way in."""
    bondy, montreuil = two_members
    director = make_person(bondy, "dir@bondy.test")
    other = make_person(montreuil, "dir@montreuil.test")
    path = path_of(create_handover_link(director, bondy))
    member_client(bondy).post(path)
    intruder = host_client(bondy.domain_name, other)
    response = intruder.get(path, follow=True)
    assert response.redirect_chain[0] == ("/connexion/", 302)
    assert signed_in_as(intruder) != director.pk


# --- 3. Choosing the password ----------------------------------------------------------------


def invitation_link(client, member, mailoutbox, capture) -> str:
    with capture(execute=True):
        client.post(
            f"/admin/membres/{member.pk}/direction/",
            {"email": "dir@bondy.test", "first_name": "Denise", "last_name": "Durand"},
        )
    return re.search(r"http://localhost(/compte/mot-de-passe/\S+/)", mailoutbox[-1].body)[1]


def test_the_set_password_page_names_the_account_and_sums_up_its_errors(
    bondy, mailoutbox, django_capture_on_commit_callbacks
):
    link = invitation_link(union_admin(), bondy, mailoutbox, django_capture_on_commit_callbacks)
    visitor = host_client("localhost")
    page = visitor.get(link, follow=True)
    body = soup(page)
    assert "Pour le compte dir@bondy.test" in words(body.find("main"))
    username = body.find("input", attrs={"autocomplete": "username"})
    assert username["value"] == "dir@bondy.test" and username.has_attr("hidden")
    refused = visitor.post(
        page.wsgi_request.path, {"new_password1": "Une-phrase-42", "new_password2": "Autre"}
    )
    body = soup(refused)
    assert body.title.get_text().startswith("Erreur – Choisir un mot de passe")
    summary = body.find(class_="error-summary")
    assert "Le mot de passe n'est pas enregistré" in words(summary)
    assert summary.find("a", href="#id_new_password2")
    empty = soup(visitor.post(page.wsgi_request.path, {"new_password1": "", "new_password2": ""}))
    assert words(empty.find(id="id_new_password1_error")) == (
        "Saisissez le mot de passe que vous choisissez."
    )
    assert words(empty.find(id="id_new_password2_error")) == (
        "Saisissez une seconde fois le même mot de passe, pour vérification."
    )
    done = visitor.post(
        page.wsgi_request.path,
        {"new_password1": "Une-phrase-longue-42", "new_password2": "Une-phrase-longue-42"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/compte/"


# --- 4 and 5. « Mot de passe oublié » ------------------------------------------------------------


def test_forgotten_password_speaks_of_the_email_address(portal):
    page = soup(portal.get("/compte/mot-de-passe/oublie/"))
    assert words(page.find("label", attrs={"for": "id_email"})).startswith("Adresse e-mail")
    refused = soup(portal.post("/compte/mot-de-passe/oublie/", {"email": ""}))
    assert refused.title.get_text().startswith("Erreur – ")
    assert words(refused.find(id="id_email_error")) == "Indiquez l'adresse e-mail de votre compte."
    refused = soup(portal.post("/compte/mot-de-passe/oublie/", {"email": "dir@bondy"}))
    assert words(refused.find(id="id_email_error")).startswith("Adresse e-mail invalide")
    assert refused.find("input", attrs={"name": "email"})["value"] == "dir@bondy"


def test_the_reset_email_names_the_platform_as_the_invitation_does(
    bondy, portal, mailoutbox, django_capture_on_commit_callbacks, settings
):
    make_person(bondy, "dir@bondy.test")
    with django_capture_on_commit_callbacks(execute=True):
        portal.post("/compte/mot-de-passe/oublie/", {"email": "dir@bondy.test"})
    assert [mail.subject for mail in mailoutbox] == [
        f"{settings.PLATFORM_NAME} : nouveau mot de passe"
    ]


# --- 6. The administrator's wording ----------------------------------------------------------------


def test_status_confirmations_read_as_french(bondy):
    admin = union_admin()
    page = soup(admin.get(f"/admin/membres/{bondy.pk}/statut/?status=suspended"))
    main = " ".join(page.find("main").get_text().split())
    assert "Statut actuel du CCAS de Bondy : actif. Nouveau statut : suspendu." in main
    assert page.find("button", string="Suspendre le CCAS de Bondy")
    assert page.title.get_text().startswith("Suspendre le CCAS de Bondy")
    page = soup(admin.get(f"/admin/membres/{bondy.pk}/statut/?status=left"))
    assert page.find("button", string="Enregistrer le départ du CCAS de Bondy")
    admin.post(f"/admin/membres/{bondy.pk}/statut/", {"status": "left", "confirmed": "1"})
    page = soup(admin.get(f"/admin/membres/{bondy.pk}/statut/?status=active"))
    assert page.find("button", string="Réactiver le CCAS de Bondy")
    came_back = admin.post("/admin/membres/ajouter/", {"commune": "Bondy", "kind": "CCAS"})
    assert soup(came_back).find("a", string="Réactiver le CCAS de Bondy")
    already = admin.get(f"/admin/membres/{bondy.pk}/statut/?status=left", follow=True)
    assert "Le CCAS de Bondy a déjà quitté l'union." in messages_of(already)


def test_a_new_member_is_announced_with_its_article(db):
    admin = union_admin()
    response = admin.post(
        "/admin/membres/ajouter/", {"commune": "Pantin", "kind": "CCAS"}, follow=True
    )
    assert "Le CCAS de Pantin a rejoint l'union." in messages_of(response)


def list_caption(response) -> str:
    return words(soup(response).find("caption", string=lambda text: text and "membre" in text))


def test_the_list_caption_agrees_with_its_count(two_members):
    admin = union_admin()
    assert list_caption(admin.get("/admin/membres/?statut=active")) == "2 membres (actifs)"
    bondy, _ = two_members
    admin.post(f"/admin/membres/{bondy.pk}/statut/", {"status": "suspended", "confirmed": "1"})
    assert list_caption(admin.get("/admin/membres/?statut=suspended")) == "1 membre (suspendu)"


# --- 7. A member that left: « Mes espaces » still leads its direction to its data ----------------


def test_my_spaces_leads_the_direction_of_a_member_that_left_to_its_data(two_members):
    bondy, montreuil = two_members
    director = make_person(bondy, "dir@bondy.test")
    agent = make_person(bondy, "agent@bondy.test", role="agent")
    make_person(montreuil, "dir@montreuil.test")
    union_admin().post(f"/admin/membres/{bondy.pk}/statut/", {"status": "left", "confirmed": "1"})
    portal = host_client("localhost", director)
    page = soup(portal.get("/compte/"))
    row = page.find("th", string="CCAS de Bondy").find_parent("tr")
    assert "Jusqu'au" in words(row) and "inclus" in words(row)
    button = row.find("button")
    assert words(button) == "Télécharger nos données — CCAS de Bondy"
    assert button.find_parent("form")["action"] == f"/compte/espace/{bondy.slug}/"
    link = portal.post(f"/compte/espace/{bondy.slug}/")["Location"]
    space = host_client(bondy.domain_name)
    assert space.get(path_of(link)).status_code == 200
    entered = space.post(path_of(link))
    assert entered["Location"] == "/donnees/"
    assert space.get("/donnees/").status_code == 200
    # An agent has no archive to download: the status only.
    assert "Télécharger" not in words(soup(host_client("localhost", agent).get("/compte/")))
    # Montreuil, still a member, is untouched (same primary keys in both schemas).
    other = host_client("localhost", get_user_model().objects.get(email="dir@montreuil.test"))
    assert "Télécharger" not in words(soup(other.get("/compte/")))


def test_a_suspended_member_offers_no_way_in(bondy):
    director = make_person(bondy, "dir@bondy.test")
    union_admin().post(
        f"/admin/membres/{bondy.pk}/statut/", {"status": "suspended", "confirmed": "1"}
    )
    page = soup(host_client("localhost", director).get("/compte/"))
    row = page.find("th", string="CCAS de Bondy").find_parent("tr")
    assert row.find("button") is None and "Suspendu" in words(row)


# --- 8. The e-mail to the directions already there -------------------------------------------


def test_the_directions_are_told_of_a_newcomer_without_repeating_her_address(
    bondy, mailoutbox, django_capture_on_commit_callbacks
):
    make_person(bondy, "dir@bondy.test")
    admin = union_admin()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/membres/{bondy.pk}/direction/", {"email": "codir@bondy.test"})
        admin.post(
            f"/admin/membres/{bondy.pk}/direction/",
            {"email": "eve@bondy.test", "first_name": "Ève", "last_name": "Martin"},
        )
    told = [" ".join(m.body.split()) for m in mailoutbox if "dir@bondy.test" in m.to]
    assert "à codir@bondy.test, à la demande d'Alice Admin." in told[0]
    assert "(codir@bondy.test)" not in told[0]
    assert "à Ève Martin (eve@bondy.test), à la demande d'Alice Admin." in told[1]


# --- 9. The admin home's panel ------------------------------------------------------------------


def panel_line(admin) -> str:
    panel = soup(admin.get("/admin/")).find(id="federation-section")
    heading = panel.find(lambda tag: tag.name == "h3" and "Indicateurs ABS" in tag.get_text())
    return words(heading.find_next("p"))


def test_the_panels_abs_line_reads_as_french_with_one_or_two_members(bondy):
    admin = union_admin()
    assert panel_line(admin) == "Le seul membre actif n'a pas publié de valeurs cette année."
    make_member("93048")
    assert panel_line(admin) == (
        "Parmi les 2 membres actifs : 0 a publié des valeurs cette année, 2 non."
    )

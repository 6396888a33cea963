"""Session 31: the identifier of an account is its e-mail address, everywhere.

Paramètres › Utilisateurs has no free username (the address, lower-cased, is the username, and
an address already used is refused in French); signing in on /connexion/ (portal and member
host), /admin/login/ and the API's token accepts the address in any case, and an older account
whose username differs from its address signs in with either."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.conftest import PASSWORD, host_client, make_person, plain
from union import roles

pytestmark = pytest.mark.django_db
User = get_user_model()


def union_admin():
    user = User.objects.create_user("admin@union.test", "admin@union.test", PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return user


def legacy_account():
    """As Wagtail's form let the union create it before: a username that is not the address."""
    return User.objects.create_user("jdupont-audit", "j.dupont.audit@udccas93.demo", PASSWORD)


def new_account(client, **data):
    fields = {
        "email": "J.Dupont.Audit@udccas93.demo",
        "first_name": "Jean",
        "last_name": "Dupont",
        **data,
    }
    return client.post("/admin/users/new/", fields)


def text(response) -> str:
    return plain(BeautifulSoup(response.content, "html.parser").get_text())


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Paramètres › Utilisateurs -----------------------------------------------------------------


def test_a_new_account_has_its_address_as_username_whatever_is_posted(mailoutbox):
    client = host_client("localhost", union_admin())
    form = BeautifulSoup(client.get("/admin/users/new/").content, "html.parser")
    assert form.find("input", attrs={"name": "email"})
    assert not form.find("input", attrs={"name": "username"})

    response = new_account(client, username="jdupont-audit")
    assert response.status_code == 302, response.content.decode()[:3000]
    account = User.objects.get(first_name="Jean")
    assert (account.username, account.email) == (
        "j.dupont.audit@udccas93.demo",
        "j.dupont.audit@udccas93.demo",
    )
    assert not User.objects.filter(username="jdupont-audit").exists()


@pytest.mark.parametrize(
    "existing",
    [
        ("j.dupont.audit@udccas93.demo", "j.dupont.audit@udccas93.demo"),
        ("jdupont-audit", "J.DUPONT.AUDIT@udccas93.demo"),  # the address, as an e-mail
        ("J.Dupont.Audit@UDCCAS93.demo", "autre@udccas93.demo"),  # the address, as a username
    ],
)
def test_an_address_already_used_is_refused_in_french(existing):
    User.objects.create_user(existing[0], existing[1], PASSWORD)
    client = host_client("localhost", union_admin())
    response = new_account(client)
    assert response.status_code == 200
    assert (
        "Un compte utilise déjà l'adresse j.dupont.audit@udccas93.demo : ouvrez-le dans la "
        "liste des utilisateurs plutôt que d'en créer un second."
    ) in text(response)
    assert User.objects.count() == 2


def test_editing_an_older_account_makes_its_address_its_username():
    legacy = legacy_account()
    client = host_client("localhost", union_admin())
    page = BeautifulSoup(client.get(f"/admin/users/edit/{legacy.pk}/").content, "html.parser")
    assert not page.find("input", attrs={"name": "username"})
    response = client.post(
        f"/admin/users/edit/{legacy.pk}/",
        {
            "username": "autre-chose",
            "email": "Jean.Dupont@udccas93.demo",
            "first_name": "Jean",
            "last_name": "Dupont",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    legacy.refresh_from_db()
    assert (legacy.username, legacy.email) == (
        "jean.dupont@udccas93.demo",
        "jean.dupont@udccas93.demo",
    )


def test_an_edit_cannot_take_another_account_s_address():
    legacy = legacy_account()
    User.objects.create_user("pris@udccas93.demo", "pris@udccas93.demo", PASSWORD)
    client = host_client("localhost", union_admin())
    response = client.post(
        f"/admin/users/edit/{legacy.pk}/",
        {"email": "Pris@udccas93.demo", "first_name": "J", "last_name": "D", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "Un compte utilise déjà l'adresse pris@udccas93.demo" in text(response)
    legacy.refresh_from_db()
    assert legacy.username == "jdupont-audit"


# --- Signing in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["j.dupont.audit@udccas93.demo", "J.Dupont.Audit@UDCCAS93.demo", "jdupont-audit"]
)
@pytest.mark.parametrize("path", ["/connexion/", "/admin/login/"])
def test_an_older_account_signs_in_with_its_address_or_its_username(typed, path):
    legacy_account()
    client = host_client("localhost")
    response = client.post(path, {"username": typed, "password": PASSWORD})
    assert response.status_code == 302, plain(response.content.decode())[:2000]
    assert signed_in(client)


def test_on_a_member_host_too(bondy):
    make_person(bondy, "direction@bondy.test")
    client = host_client(bondy.domain_name)
    response = client.post(
        "/connexion/", {"username": "Direction@Bondy.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in(client)


def test_a_wrong_password_still_fails():
    legacy_account()
    client = host_client("localhost")
    client.post("/connexion/", {"username": "J.Dupont.Audit@udccas93.demo", "password": "x"})
    assert not signed_in(client)


# --- The API's token ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Organisatrice@udccas93.demo", "organisatrice@udccas93.demo"])
def test_the_api_token_accepts_the_address_in_any_case(typed):
    user = User.objects.create_user(
        "organisatrice@udccas93.demo", "organisatrice@udccas93.demo", PASSWORD
    )
    response = host_client("localhost").post(
        "/api/v1/auth/token/",
        {"username": typed, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["token"] == user.auth_token.key


def test_the_api_token_of_an_older_account_by_its_address():
    legacy = legacy_account()
    response = host_client("localhost").post(
        "/api/v1/auth/token/",
        {"username": "J.Dupont.Audit@udccas93.demo", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["token"] == legacy.auth_token.key

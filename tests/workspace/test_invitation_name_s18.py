"""Session 18: the name a direction types when she invites someone (TeamInvitation.first_name,
last_name) is what her team sees of the person until she signs in to the space.

The typed name used to become the name of a new account (and show), while an account of the
platform kept its own name and the team page showed only its address: comparing the two told a
director which addresses already had an account elsewhere. Now both show the typed name (or the
address when none was typed), and the account's own name once the person has signed in here."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace.models import TeamInvitation
from tests.conftest import PASSWORD, make_person, member_client
from tests.workspace.test_last_sign_in_s18 import soup_of, team_row

pytestmark = pytest.mark.django_db
User = get_user_model()

REAL_NAME = "Nadia Montreuil-Name"
MONTH = timedelta(days=30)


@pytest.fixture
def nadia(montreuil):
    """An agent of Montreuil for a month, signed in there: an account of the platform with its
    own name."""
    person = make_person(montreuil, "nadia@ccas.test", Membership.Role.AGENT)
    User.objects.filter(pk=person.pk).update(
        first_name="Nadia", last_name="Montreuil-Name", date_joined=timezone.now() - MONTH
    )
    Membership.objects.filter(user=person).update(created_at=timezone.now() - MONTH)
    member_client(montreuil, person)
    return person


@pytest.fixture
def director(bondy):
    return member_client(bondy, make_person(bondy, "dir@bondy.test"))


def invite(client, email: str, first_name: str = "", last_name: str = "", role: str = "agent"):
    """Invite through the team page's form, as a director does; the message she reads."""
    response = client.post(
        "/equipe/",
        {"email": email, "first_name": first_name, "last_name": last_name, "role": role},
        follow=True,
    )
    assert response.status_code == 200
    return message(response)


def message(response) -> str:
    return soup_of(response).find(class_="messages").get_text(" ", strip=True)


def text_of(response) -> str:
    return " ".join(soup_of(response).get_text(" ").split())


def test_a_new_and_an_existing_account_read_the_same(
    bondy, nadia, director, django_capture_on_commit_callbacks, mailoutbox
):
    said, rows = {}, {}
    typed = {"nadia@ccas.test": ("Nadia", "Tapée"), "zoe@ccas.test": ("Zoé", "Tapée")}
    for email, (first, last) in typed.items():
        with django_capture_on_commit_callbacks(execute=True):
            said[email] = invite(director, email, first, last).replace(first, "<prénom>")
        rows[email] = {
            column: text.replace(email, "<adresse>").replace(first, "<prénom>")
            for column, text in team_row(director, email).items()
        }
    assert said["nadia@ccas.test"] == said["zoe@ccas.test"]
    assert said["zoe@ccas.test"] == "<prénom> Tapée a été invité(e) (Agent)."
    assert rows["nadia@ccas.test"] == rows["zoe@ccas.test"]
    assert rows["zoe@ccas.test"]["Personne"].startswith("<prénom> Tapée Invitation envoyée le")

    # What a director does next with a pending person names her the same way.
    pages = {}
    for email in typed:
        membership = Membership.objects.get(member=bondy, user__email=email)
        role = director.post(f"/equipe/{membership.pk}/role/", {"role": "viewer"}, follow=True)
        remove = director.get(f"/equipe/{membership.pk}/retirer/")
        first = typed[email][0]
        pages[email] = [
            message(role).replace(first, "<prénom>"),
            text_of(remove).replace(email, "<adresse>").replace(first, "<prénom>"),
        ]
    assert pages["nadia@ccas.test"] == pages["zoe@ccas.test"]
    assert "Le rôle de <prénom> Tapée passe de" in pages["zoe@ccas.test"][0]
    assert "Retirer l'accès de <prénom> Tapée à l'espace ?" in pages["zoe@ccas.test"][1]

    # Nothing of the account's own name on Bondy's pages; and it is not renamed.
    for path in ("/equipe/", "/journal/"):
        assert "Montreuil-Name" not in director.get(path).content.decode()
    nadia.refresh_from_db()
    assert nadia.get_full_name() == REAL_NAME
    assert User.objects.get(email="zoe@ccas.test").get_full_name() == "Zoé Tapée"


def test_without_a_typed_name_both_show_the_address(bondy, nadia, director):
    for email in ("nadia@ccas.test", "zoe@ccas.test"):
        assert invite(director, email) == f"{email} a été invité(e) (Agent)."
        assert team_row(director, email)["Personne"].startswith(f"{email} Invitation envoyée")
    with schema_context(bondy.schema_name):
        names = {(i.first_name, i.last_name) for i in TeamInvitation.objects.all()}
    assert names == {("", "")}  # typed nothing: not « not recorded » (None)


def test_once_signed_in_here_the_account_name_shows(bondy, montreuil, nadia, director):
    invite(director, "nadia@ccas.test", "Nadia", "Tapée")
    assert team_row(director, "nadia@ccas.test")["Personne"].startswith("Nadia Tapée Invitation")

    # She signs in to Bondy's space, with her usual password.
    response = member_client(bondy).post(
        "/connexion/", {"username": "nadia@ccas.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert team_row(director, "nadia@ccas.test")["Personne"] == REAL_NAME
    membership = Membership.objects.get(member=bondy, user=nadia)
    role = director.post(f"/equipe/{membership.pk}/role/", {"role": "viewer"}, follow=True)
    assert message(role).startswith(f"Le rôle de {REAL_NAME} passe de")

    # Montreuil's team, where she signed in before, never saw Bondy's typed name.
    montreuil_director = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    assert team_row(montreuil_director, "nadia@ccas.test")["Personne"] == REAL_NAME
    assert "Tapée" not in montreuil_director.get("/equipe/").content.decode()


def test_each_space_shows_the_name_it_typed(bondy, montreuil, director):
    """Two spaces invite the same address with different names: their invitations' primary
    keys collide (schemas cloned from one template), each team sees its own typed name."""
    montreuil_director = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    invite(director, "camille@ccas.test", "Camille", "Bondy-Tapée")  # opens the account
    invite(montreuil_director, "camille@ccas.test", "Kamel", "Montreuil-Tapé")
    with schema_context(bondy.schema_name):
        at_bondy = TeamInvitation.objects.get(user__email="camille@ccas.test")
    with schema_context(montreuil.schema_name):
        at_montreuil = TeamInvitation.objects.get(user__email="camille@ccas.test")
    assert at_bondy.pk == at_montreuil.pk  # the collision the test is about

    assert team_row(director, "camille@ccas.test")["Personne"].startswith("Camille Bondy-Tapée ")
    assert team_row(montreuil_director, "camille@ccas.test")["Personne"].startswith(
        "Kamel Montreuil-Tapé "
    )
    assert "Kamel" not in director.get("/equipe/").content.decode()
    assert "Bondy-Tapée" not in montreuil_director.get("/equipe/").content.decode()
    assert User.objects.get(email="camille@ccas.test").get_full_name() == "Camille Bondy-Tapée"


def test_resending_carries_the_typed_name_over(
    bondy, nadia, director, django_capture_on_commit_callbacks, mailoutbox
):
    invite(director, "nadia@ccas.test", "Nadia", "Tapée")
    membership = Membership.objects.get(member=bondy, user=nadia)
    with django_capture_on_commit_callbacks(execute=True):
        response = director.post(f"/equipe/{membership.pk}/renvoyer/", follow=True)
    assert message(response).startswith("Invitation renvoyée à Nadia Tapée (nadia@ccas.test) :")
    with schema_context(bondy.schema_name):
        rows = list(TeamInvitation.objects.values_list("first_name", "last_name"))
    assert rows == [("Nadia", "Tapée"), ("Nadia", "Tapée")]
    row = team_row(director, "nadia@ccas.test")
    assert row["Personne"].startswith("Nadia Tapée Invitation envoyée")
    assert "Renvoyer l'invitation à Nadia Tapée" in row["Actions"]


def test_the_team_is_sorted_by_the_names_it_sees(nadia, director):
    """By the account's last name, the rows of a pending account of the platform fell out of the
    typed names' order: another way to tell it had an account already."""
    invite(director, "zoe@ccas.test", "Zoé", "Bertin")
    invite(director, "nadia@ccas.test", "Nadia", "Aaron")  # her account: « Montreuil-Name »
    people = [
        " ".join(row.th.get_text(" ").split())
        for row in soup_of(director.get("/equipe/")).select("tbody tr")
    ]
    agents = [name for name in people if name.startswith(("Nadia", "Zoé"))]
    assert [name.split(" Invitation")[0] for name in agents] == ["Nadia Aaron", "Zoé Bertin"]


def test_the_archive_names_the_team_as_the_team_page_does(bondy, nadia, director):
    from tests.workspace.test_archive_s17 import download, rows

    invite(director, "nadia@ccas.test", "Nadia", "Tapée")
    _response, archive = download(director)
    team = rows(archive, "equipe/equipe.csv")
    assert ["Nadia", "Tapée", "nadia@ccas.test"] in [row[:3] for row in team]
    assert "Montreuil-Name" not in archive.read("equipe/equipe.csv").decode("utf-8-sig")

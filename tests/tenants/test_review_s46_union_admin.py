"""Session 46's review of the union staff's administration of members and accounts (helper
session, read-only): an address longer than a username gave a 500, an access kept by an account
of the union's team (or a deactivated one) counted as the member's direction on its page, at its
departure and on the admin home, and an administrator could erase a superuser. Each fixed finding
with its test."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from tenants.models import MemberCCAS
from tests.conftest import PASSWORD, host_client, make_person, member_client, plain
from union import roles

pytestmark = pytest.mark.django_db
User = get_user_model()
LONG = "a" * 64 + "@" + "b" * 60 + "." + "c" * 60 + ".fr"  # 189 characters: a valid address


@pytest.fixture
def admin_client(db):
    admin = User.objects.create_user("admin@union.test", "admin@union.test", PASSWORD)
    admin.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return host_client("localhost", admin)


# --- F1: an address longer than 150 characters gave a 500 ---------------------------------------


def test_a_direction_address_too_long_for_a_username_is_refused_in_french(bondy, admin_client):
    invited = admin_client.post(f"/admin/membres/{bondy.pk}/direction/", {"email": LONG})
    assert invited.status_code == 200
    said = plain(invited.content.decode())
    assert "Adresse trop longue : 150 caractères au plus" in said
    assert LONG in invited.content.decode()  # what was typed is kept
    added = admin_client.post(
        "/admin/membres/ajouter/", {"commune": "93048", "kind": "CCAS", "director_email": LONG}
    )
    assert added.status_code == 200
    assert "Adresse trop longue" in plain(added.content.decode())
    assert not MemberCCAS.objects.filter(commune_id="93048").exists()
    assert not User.objects.filter(email=LONG).exists()


def test_a_director_cannot_invite_an_address_too_long_either(bondy):
    director = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    response = director.post("/equipe/", {"email": LONG, "role": "agent"})
    assert response.status_code == 200
    assert "Adresse trop longue" in plain(response.content.decode())
    assert not User.objects.filter(email=LONG).exists()


def test_the_union_user_form_refuses_it_too(admin_client):
    response = admin_client.post(
        "/admin/users/new/",
        {"email": LONG, "first_name": "A", "last_name": "B", "password1": "", "password2": ""},
    )
    assert response.status_code == 200
    assert "Adresse trop longue" in plain(response.content.decode())
    assert not User.objects.filter(email=LONG).exists()


# --- F2: an access that opens nothing counted as the member's direction -------------------------


def test_an_access_that_opens_nothing_is_no_direction(
    two_members, admin_client, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    former = make_person(bondy, "ancienne@bondy.test")  # now in the union's team
    former.groups.add(Group.objects.get(name=roles.EVENT_ORGANISER))
    gone = make_person(montreuil, "partie@montreuil.test")
    gone.is_active = False
    gone.save()
    listing = plain(admin_client.get("/admin/membres/?direction=aucune").content.decode())
    assert "Bondy" in listing and "Montreuil" in listing
    for member in (bondy, montreuil):
        page = plain(admin_client.get(f"/admin/membres/{member.pk}/").content.decode())
        assert "Ce membre n'a pas de direction" in page
    page = plain(admin_client.get(f"/admin/membres/{bondy.pk}/").content.decode())
    assert "accès sans effet : compte de l'équipe de l'union" in page
    assert "Renvoyer l'invitation" not in page
    home = plain(admin_client.get("/admin/").content.decode())
    assert "ancienne@bondy.test" not in home

    asked = plain(
        admin_client.get(f"/admin/membres/{bondy.pk}/statut/?status=left").content.decode()
    )
    assert "Sa direction en sera informée" not in asked
    assert "personne ne pourra les télécharger" in asked
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/admin/membres/{bondy.pk}/statut/", {"status": "left", "confirmed": "1"}
        )
    assert [message.to for message in mail.outbox] == []


def test_a_real_direction_is_still_told(bondy, admin_client, django_capture_on_commit_callbacks):
    make_person(bondy, "direction@bondy.test")
    asked = plain(
        admin_client.get(f"/admin/membres/{bondy.pk}/statut/?status=left").content.decode()
    )
    assert "Sa direction en sera informée" in asked
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/admin/membres/{bondy.pk}/statut/", {"status": "left", "confirmed": "1"}
        )
    assert [message.to for message in mail.outbox] == [["direction@bondy.test"]]


# --- F3: an administrator who is not a superuser erased a superuser -----------------------------


def test_only_a_superuser_erases_a_superuser(admin_client):
    chief = User.objects.create_superuser("su@union.test", "su@union.test", PASSWORD)
    User.objects.create_superuser("su2@union.test", "su2@union.test", PASSWORD)
    refused = admin_client.post(f"/admin/users/effacer/{chief.pk}/", follow=True)
    chief.refresh_from_db()
    assert chief.is_superuser and chief.is_active and chief.email == "su@union.test"
    assert "seul un superutilisateur peut effacer" in plain(refused.content.decode())
    listing = admin_client.get("/admin/users/").content.decode()
    assert f"/admin/users/effacer/{chief.pk}/" not in listing

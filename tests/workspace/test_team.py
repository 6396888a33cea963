"""Team: invitations, role changes, removal; audited; agents and viewers can't manage it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tenants.models import Membership
from tests.conftest import host_client, make_person
from union.models import AuditEntry

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_director_invites_a_new_person_who_sets_a_password(
    bondy, clients, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["director"].post(
            "/equipe/",
            {
                "email": "Nouvelle@Bondy.test",
                "first_name": "Nina",
                "last_name": "Nouvelle",
                "role": "agent",
            },
        )
    assert response.status_code == 302
    membership = Membership.objects.get(member=bondy, user__email="nouvelle@bondy.test")
    assert membership.role == "agent"
    assert not membership.user.has_usable_password()
    assert len(mail.outbox) == 1
    # The set-password link (the e-mail also gives the space's address).
    link = re.search(r"https?://\S+/compte/mot-de-passe/\S+", mail.outbox[0].body).group(0)
    path = link.split("localhost", 1)[1].lstrip(":0123456789")
    portal = host_client("localhost")
    form_page = portal.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    done = portal.post(
        set_url,
        {"new_password1": "Un-mot-de-passe-solide-9", "new_password2": "Un-mot-de-passe-solide-9"},
    )
    assert done.status_code == 302
    membership.user.refresh_from_db()
    assert membership.user.check_password("Un-mot-de-passe-solide-9")
    # Single use: the same link no longer works.
    again = portal.get(path, follow=True)
    assert "new_password1" not in again.content.decode()
    entry = AuditEntry.objects.filter(
        action="membership.granted", target="nouvelle@bondy.test"
    ).get()
    assert entry.member_id == bondy.pk and entry.actor.email == "director@bondy.test"


def test_inviting_an_existing_account_tells_them_and_keeps_their_password(
    bondy, montreuil, clients, django_capture_on_commit_callbacks
):
    person = make_person(montreuil, "deux@espaces.test")
    with django_capture_on_commit_callbacks(execute=True):
        clients["director"].post("/equipe/", {"email": "deux@espaces.test", "role": "viewer"})
    assert Membership.objects.get(member=bondy, user=person).role == "viewer"
    person.refresh_from_db()
    assert person.has_usable_password()
    assert len(mail.outbox) == 1 and "bondy.localhost" in mail.outbox[0].body


def test_inviting_twice_keeps_the_form_and_explains(bondy, clients):
    response = clients["director"].post("/equipe/", {"email": "agent@bondy.test", "role": "viewer"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "a déjà accès à cet espace" in page and 'value="agent@bondy.test"' in page
    assert Membership.objects.get(member=bondy, user__email="agent@bondy.test").role == "agent"


def test_role_change_and_removal_are_audited(bondy, clients, people):
    agent = Membership.objects.get(member=bondy, user=people["agent"])
    clients["director"].post(f"/equipe/{agent.pk}/role/", {"role": "director"})
    agent.refresh_from_db()
    assert agent.role == "director"
    entry = AuditEntry.objects.get(action="membership.role_changed")
    assert entry.details == {"before": "agent", "after": "director"}
    viewer = Membership.objects.get(member=bondy, user=people["viewer"])
    clients["director"].post(f"/equipe/{viewer.pk}/retirer/")
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    assert User.objects.filter(pk=people["viewer"].pk).exists()  # the account stays
    assert AuditEntry.objects.filter(
        action="membership.revoked", target="viewer@bondy.test"
    ).exists()
    # The removed person can no longer enter.
    assert clients["viewer"].get("/").status_code == 403


def test_the_last_director_stays(bondy, clients, people):
    me = Membership.objects.get(member=bondy, user=people["director"])
    response = clients["director"].post(f"/equipe/{me.pk}/role/", {"role": "viewer"}, follow=True)
    assert "au moins une direction" in response.content.decode()
    clients["director"].post(f"/equipe/{me.pk}/retirer/")
    me.refresh_from_db()
    assert me.role == "director"


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_agents_and_viewers_cannot_manage_the_team(bondy, clients, people, role):
    director = Membership.objects.get(member=bondy, user=people["director"])
    client = clients[role]
    assert client.post("/equipe/", {"email": "x@bondy.test", "role": "director"}).status_code == 403
    assert client.post(f"/equipe/{director.pk}/role/", {"role": "viewer"}).status_code == 403
    assert client.post(f"/equipe/{director.pk}/retirer/").status_code == 403
    director.refresh_from_db()
    assert director.role == "director"
    assert not User.objects.filter(email="x@bondy.test").exists()


def test_a_director_cannot_touch_another_members_team(two_members, clients):
    bondy, montreuil = two_members
    other = Membership.objects.get(user=make_person(montreuil, "dir@montreuil.test"))
    assert clients["director"].post(f"/equipe/{other.pk}/retirer/").status_code == 404
    assert (
        clients["director"].post(f"/equipe/{other.pk}/role/", {"role": "viewer"}).status_code == 404
    )
    assert Membership.objects.filter(pk=other.pk, role="director").exists()

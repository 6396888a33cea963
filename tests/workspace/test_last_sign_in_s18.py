"""Review of session 18: the last sign-in per member space (Membership.last_signed_in_at), and an
invitation's status that tells a direction nothing of an account the address already had.

User.last_login is one date per account: a person of two spaces who signed in to one showed as
signed in to the other (and, on the union's page of the member, with that date), and a login on
the portal counted for every space."""

import importlib
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import HandoverLink, Membership
from tenants.services import create_handover_link
from tenants.workspace.models import TeamInvitation
from tests.conftest import PASSWORD, host_client, make_person, member_client
from union.formats import long_date

pytestmark = pytest.mark.django_db
User = get_user_model()


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def team_row(client, email: str) -> dict[str, str]:
    """A person's row of the team page (/equipe/), as its director sees it, by column."""
    soup = soup_of(client.get("/equipe/"))
    headers = [th.get_text(strip=True) for th in soup.select("thead th")]
    for row in soup.select("tbody tr"):
        cells = [row.th, *row.find_all("td", recursive=False)]
        if cells[1].get_text(strip=True) == email:
            return dict(
                zip(headers, (" ".join(c.get_text(" ").split()) for c in cells), strict=True)
            )
    raise AssertionError(f"{email} not in the team")


def union_row(member, email: str) -> dict[str, str]:
    """A person's row of the union's page of the member (/admin/membres/<id>/), by column."""
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "admin", "admin@union.test", PASSWORD
    )
    soup = soup_of(host_client("localhost", admin).get(f"/admin/membres/{member.pk}/"))
    table = soup.find("caption", string="Personnes ayant accès à l'espace").parent
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    for row in table.select("tbody tr"):
        cells = [row.th, *row.find_all("td")]
        if cells[1].get_text(strip=True) == email:
            return dict(
                zip(headers, (" ".join(c.get_text(" ").split()) for c in cells), strict=True)
            )
    raise AssertionError(f"{email} not on the member's page")


@pytest.fixture
def nadia(two_members):
    """Director at Bondy, agent at Montreuil (schemas cloned from one template: their rows'
    primary keys collide), who has never signed in."""
    bondy, montreuil = two_members
    person = make_person(bondy, "nadia@ccas.test")
    Membership.objects.create(user=person, member=montreuil, role=Membership.Role.AGENT)
    return person


@pytest.fixture
def directors(two_members):
    """A client for a second director of each space, to look at its team page."""
    bondy, montreuil = two_members
    return {
        "bondy": member_client(bondy, make_person(bondy, "codir@bondy.test")),
        "montreuil": member_client(montreuil, make_person(montreuil, "dir@montreuil.test")),
    }


def test_signing_in_to_one_space_shows_in_that_space_only(two_members, nadia, directors):
    bondy, montreuil = two_members
    response = member_client(bondy).post(
        "/connexion/", {"username": "nadia@ccas.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    signed_in = Membership.objects.get(user=nadia, member=bondy).last_signed_in_at
    assert signed_in is not None
    assert Membership.objects.get(user=nadia, member=montreuil).last_signed_in_at is None
    when = long_date(timezone.localtime(signed_in), weekday=False, time=True)
    when = " ".join(when.split())  # « à 9 h 05 »: team_row reads its no-break spaces as spaces

    at_bondy = team_row(directors["bondy"], "nadia@ccas.test")
    assert at_bondy["Dernière connexion"] == when
    assert "jamais connecté" not in at_bondy["Personne"]
    at_montreuil = team_row(directors["montreuil"], "nadia@ccas.test")
    assert at_montreuil["Dernière connexion"] == "jamais"
    assert "jamais connecté(e)" in at_montreuil["Personne"]
    assert "Renvoyer l'invitation" in at_montreuil["Actions"]

    # The union's page of each member says the same.
    assert union_row(bondy, "nadia@ccas.test")["Dernière connexion"] == when
    montreuil_row = union_row(montreuil, "nadia@ccas.test")
    assert montreuil_row["Dernière connexion"] == "jamais connecté(e)"
    assert montreuil_row["Invitation"].startswith("envoyée le")


def test_entering_through_the_portal_counts_for_that_space_only(two_members, nadia, directors):
    bondy, montreuil = two_members
    portal = host_client("localhost")
    portal.post("/connexion/", {"username": "nadia@ccas.test", "password": PASSWORD})
    nadia.refresh_from_db()
    assert nadia.last_login is not None  # the account's (the unused accounts' clock)
    # The portal is no member space.
    assert not Membership.objects.filter(user=nadia, last_signed_in_at__isnull=False).exists()
    for space in ("bondy", "montreuil"):
        assert team_row(directors[space], "nadia@ccas.test")["Dernière connexion"] == "jamais"

    # « Mes espaces » → Montreuil: its page's button signs her in there.
    url = portal.post("/compte/espace/montreuil/")["Location"]
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert member_client(montreuil).post(path)["Location"] == "/"
    assert Membership.objects.get(user=nadia, member=montreuil).last_signed_in_at is not None
    assert Membership.objects.get(user=nadia, member=bondy).last_signed_in_at is None
    assert team_row(directors["montreuil"], "nadia@ccas.test")["Dernière connexion"] != "jamais"
    assert team_row(directors["bondy"], "nadia@ccas.test")["Dernière connexion"] == "jamais"


def test_a_handover_link_opened_but_not_confirmed_is_no_sign_in(two_members, nadia):
    bondy, _montreuil = two_members
    url = create_handover_link(nadia, bondy)
    member_client(bondy).get("/" + url.split("://", 1)[1].split("/", 1)[1])
    assert Membership.objects.get(user=nadia, member=bondy).last_signed_in_at is None


def test_an_invitation_reads_the_same_for_an_address_that_had_an_account(
    two_members, directors, django_capture_on_commit_callbacks, mailoutbox
):
    """The team page, the message of « Renvoyer l'invitation » and the space's journal said
    « lien valable jusqu'au … » or « lien pour choisir un mot de passe : oui » only for an
    address new to the platform: the direction learned which addresses had an account."""
    bondy, montreuil = two_members
    # An account that signs in at Montreuil, and an address unknown to the platform.
    old = member_client(montreuil, make_person(montreuil, "connue@ccas.test", "agent"))
    assert old is not None
    client = directors["bondy"]
    for email in ("connue@ccas.test", "nouvelle@ccas.test"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/equipe/", {"email": email, "role": "agent"})
    assert User.objects.get(email="connue@ccas.test").has_usable_password()
    assert not User.objects.get(email="nouvelle@ccas.test").has_usable_password()

    def seen(email: str) -> dict[str, str]:
        return {
            column: text.replace(email, "<adresse>")
            for column, text in team_row(client, email).items()
        }

    today = long_date(timezone.localdate(), weekday=False)
    assert seen("connue@ccas.test") == seen("nouvelle@ccas.test")
    status = seen("nouvelle@ccas.test")["Personne"]
    assert status.startswith(f"<adresse> Invitation envoyée le {today}, jamais connecté(e) ;")
    assert "lien valable jusqu'au" in status

    # « Renvoyer l'invitation »: the same message.
    said = {}
    for email in ("connue@ccas.test", "nouvelle@ccas.test"):
        membership = Membership.objects.get(member=bondy, user__email=email)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/equipe/{membership.pk}/renvoyer/", follow=True)
        box = soup_of(response).find(class_="messages").get_text(" ", strip=True)
        said[email] = box.replace(email, "<adresse>")
    assert said["connue@ccas.test"] == said["nouvelle@ccas.test"]
    assert said["nouvelle@ccas.test"].startswith("Invitation renvoyée à <adresse> (<adresse>) :")

    # The space's journal: the same line for both.
    lines = [
        " ".join(row.get_text(" ").split())
        for row in soup_of(client.get("/journal/")).select("tbody tr")
        if "Invitation renvoyée" in row.get_text()
    ]
    assert len(lines) == 2
    assert lines[0].replace("nouvelle@", "X@") == lines[1].replace("connue@", "X@")

    # Days later, both links are « à renouveler », alike.
    with schema_context(bondy.schema_name):
        TeamInvitation.objects.update(sent_at=timezone.now() - timedelta(days=5))
    assert seen("connue@ccas.test") == seen("nouvelle@ccas.test")
    assert "lien à renouveler depuis le" in seen("nouvelle@ccas.test")["Personne"]


def test_the_migration_copies_only_sign_ins_known_to_be_to_that_space(two_members, nadia):
    """tenants/migrations/0005: User.last_login for people of one space (after their access);
    for people of two, the last hand-over link used to each space, else nothing."""
    from django.apps import apps

    migration = importlib.import_module("tenants.migrations.0005_membership_last_signed_in_at")
    bondy, montreuil = two_members
    solo = make_person(bondy, "solo@bondy.test")
    before = make_person(montreuil, "avant@montreuil.test")  # signed in before her access only
    now = timezone.now()
    User.objects.filter(pk__in=[solo.pk, nadia.pk]).update(last_login=now)
    User.objects.filter(pk=before.pk).update(last_login=now - timedelta(days=400))
    Membership.objects.filter(user=before).update(created_at=now - timedelta(days=30))
    Membership.objects.filter(user=nadia).update(created_at=now - timedelta(days=10))
    used = now - timedelta(days=2)
    HandoverLink.objects.create(nonce="a", user=nadia, member=montreuil, used_at=used)
    HandoverLink.objects.create(nonce="b", user=nadia, member=bondy)  # never used
    Membership.objects.update(last_signed_in_at=None)

    migration.copy_sign_ins_known_per_space(apps, None)

    def last(user, member):
        return Membership.objects.get(user=user, member=member).last_signed_in_at

    assert last(solo, bondy) == now
    assert last(before, montreuil) is None
    assert last(nadia, montreuil) == used  # not her account's last login: maybe elsewhere
    assert last(nadia, bondy) is None

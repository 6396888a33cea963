"""Audit A27 (one person, several hats), session 38: a CCAS director who joined the union's team
keeps her old « direction » access, which opens nothing (union.middleware refuses the union's
accounts). It must not count as the member's direction either: not for the last-director guard
of the team page, not in « Membres sans direction », not among those « Écrire aux membres »
writes to, not as a sign-in, and « Mes espaces » must not offer a way in that ends on a refusal.
Bondy's and Montreuil's memberships live in the public schema, their spaces' ids collide: the
union's account is Bondy's only, and Montreuil's team is untouched."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from tenants.admin_views import without_direction
from tenants.models import MemberCCAS, Membership
from tenants.services import record_member_sign_in
from tests.conftest import host_client, make_person, member_client, plain
from tests.tenants.test_network_message_s37 import send
from union import roles

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return plain(BeautifulSoup(response.content.decode(), "html.parser").get_text(" "))


@pytest.fixture
def hats(two_members):
    """Bondy: Claire, its director, and Sophie, a former director now an event organiser of the
    union, who kept her access. Montreuil: its own director."""
    bondy, montreuil = two_members
    claire = make_person(bondy, "claire@bondy.test")
    sophie = make_person(bondy, "sophie@bondy.test")
    sophie.groups.add(Group.objects.get(name=roles.EVENT_ORGANISER))
    paul = make_person(montreuil, "paul@montreuil.test")
    return bondy, montreuil, claire, sophie, paul


def test_the_team_page_keeps_the_real_last_director_and_marks_the_unions_account(hats):
    bondy, montreuil, claire, sophie, _paul = hats
    director = member_client(bondy, claire)
    page = text_of(director.get("/equipe/"))
    assert "compte de l'équipe de l'union : accès sans effet" in page
    assert "Seule personne à la direction : pour changer votre rôle" in page

    # Claire cannot step down: the space would have no direction who can enter.
    mine = Membership.objects.get(member=bondy, user=claire)
    director.post(f"/equipe/{mine.pk}/role/", {"role": "agent"})
    mine.refresh_from_db()
    assert mine.role == Membership.Role.DIRECTOR

    # Montreuil's page says nothing of Bondy's union account.
    theirs = member_client(montreuil, Membership.objects.get(member=montreuil).user)
    assert "accès sans effet" not in text_of(theirs.get("/equipe/"))


def test_a_member_whose_only_director_is_the_unions_account_has_no_direction(hats):
    bondy, montreuil, claire, _sophie, _paul = hats
    assert not without_direction(MemberCCAS.objects.filter(pk__in=[bondy.pk, montreuil.pk]))
    Membership.objects.filter(member=bondy, user=claire).delete()
    missing = without_direction(MemberCCAS.objects.filter(pk__in=[bondy.pk, montreuil.pk]))
    assert list(missing) == [bondy]


def test_writing_to_the_members_leaves_the_unions_account_out(
    hats, admin, django_capture_on_commit_callbacks
):
    preview = send(admin, django_capture_on_commit_callbacks)
    assert "2 personnes dans 2 membres" in text_of(preview)
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "claire@bondy.test",
        "paul@montreuil.test",
    ]


def test_a_refused_sign_in_is_not_recorded_as_the_spaces(hats):
    bondy, _montreuil, claire, sophie, _paul = hats
    record_member_sign_in(sophie, bondy, timezone.now())
    record_member_sign_in(claire, bondy, timezone.now())
    seen = dict(
        Membership.objects.filter(member=bondy).values_list("user__email", "last_signed_in_at")
    )
    assert seen["sophie@bondy.test"] is None
    assert seen["claire@bondy.test"] is not None


def test_my_spaces_shows_the_access_without_a_way_in(hats):
    _bondy, _montreuil, claire, sophie, _paul = hats
    response = host_client("localhost", sophie).get("/compte/")
    page = text_of(response)
    assert "accès sans effet" in page
    assert "Entrer dans l'espace" not in page
    # Claire's own list still lets her in.
    assert "Entrer dans l'espace" in text_of(host_client("localhost", claire).get("/compte/"))


def test_a_person_without_access_to_a_cias_is_told_of_the_cias(hats):
    """The refusal names the member's kind (« la direction du CIAS »), as the API does."""
    from tests.conftest import make_member
    from tests.workspace.test_cias_board_s19 import GRAND_PARIS_GRAND_EST

    _bondy, _montreuil, claire, _sophie, _paul = hats
    cias = make_member("93051", kind=MemberCCAS.Kind.CIAS, epci_siren=GRAND_PARIS_GRAND_EST)
    response = member_client(cias, claire).get("/")
    assert response.status_code == 403
    page = plain(response.content.decode())
    assert "habilitées par la direction du CIAS peuvent y entrer" in page
    assert "direction du CCAS" not in page

"""Union admins manage members from the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tenants.models import MemberCCAS, Membership
from tests.conftest import PASSWORD, host_client
from union import roles

pytestmark = pytest.mark.django_db


def staff(group: str):
    user = get_user_model().objects.create_user(
        f"{group[:5]}@union.test", f"{group[:5]}@union.test", PASSWORD
    )
    user.groups.add(Group.objects.get(name=group))
    return host_client("localhost", user)


def test_union_admin_onboards_a_member_from_a_typed_name():
    client = staff(roles.UNION_ADMIN)
    response = client.post(
        "/admin/membres/ajouter/",
        {"commune": "NOISY LE SEC", "hint": "", "kind": "CCAS", "director_email": "dir@noisy.test"},
    )
    assert response.status_code == 302
    member = MemberCCAS.objects.get(slug="noisy-le-sec")
    assert member.commune_id == "93053"
    assert Membership.objects.get(member=member).user.email == "dir@noisy.test"
    listing = client.get("/admin/membres/").content.decode()
    assert "CCAS de Noisy-le-Sec" in listing


def test_ambiguous_or_unknown_commune_keeps_the_form_and_explains():
    client = staff(roles.UNION_ADMIN)
    # Many Saint-Martin, none in the union's département (93) to break the tie.
    response = client.post("/admin/membres/ajouter/", {"commune": "Saint-Martin", "kind": "CCAS"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Plusieurs communes portent ce nom" in page
    assert 'value="Saint-Martin"' in page
    response = client.post("/admin/membres/ajouter/", {"commune": "Aubervillers", "kind": "CCAS"})
    assert "Vouliez-vous dire : Aubervilliers (93, 93001)" in response.content.decode()
    response = client.post(
        "/admin/membres/ajouter/", {"commune": "Villepinte", "hint": "Seine St Denise"}
    )
    page = response.content.decode()
    assert "Département ou région inconnu : « Seine St Denise »" in page
    assert 'value="Seine St Denise"' in page
    assert MemberCCAS.objects.count() == 0


def test_union_admin_suspends_then_reopens(bondy):
    client = staff(roles.UNION_ADMIN)
    # A change is confirmed (tests/tenants/test_federation_s16.py: the step before it).
    client.post(f"/admin/membres/{bondy.pk}/statut/", {"status": "suspended", "confirmed": "1"})
    bondy.refresh_from_db()
    assert bondy.status == "suspended"
    client.post(f"/admin/membres/{bondy.pk}/statut/", {"status": "active", "confirmed": "1"})
    bondy.refresh_from_db()
    assert bondy.status == "active"


def test_editors_cannot_manage_members(bondy):
    client = staff(roles.EDITOR)
    refused = client.get("/admin/membres/")  # Wagtail turns the refusal into a redirect home
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    client.post(f"/admin/membres/{bondy.pk}/statut/", {"status": "suspended", "confirmed": "1"})
    bondy.refresh_from_db()
    assert bondy.status == "active"

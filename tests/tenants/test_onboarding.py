"""Onboarding members: schema cloned from the template, refusals that leave nothing behind."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from tenants.models import Domain, MemberCCAS, Membership
from tenants.services import OnboardingError, onboard_member, suspend_member
from tenants.workspace.models import Document
from tests.conftest import make_member
from union.migration_executor import schemas_with_pending_migrations
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_onboarding_clones_the_template_schema_and_creates_the_domain():
    member = make_member("93010")
    assert member.name == "CCAS de Bondy"
    assert member.slug == "bondy"
    assert member.status == MemberCCAS.Status.ACTIVE
    assert schema_exists(member.schema_name)
    assert Domain.objects.get(tenant=member).domain == "bondy.localhost"
    with schema_context(member.schema_name):
        assert Document.objects.count() == 0  # the workspace tables exist in the new schema
    # Every migration is recorded (copied with the template), so no upgrade will replay one.
    assert schemas_with_pending_migrations([member.schema_name]) == []
    assert AuditEntry.objects.filter(action="member.onboarded", member=member).exists()


def test_any_commune_of_france_can_be_a_member():
    member = make_member("2A004")  # Ajaccio
    assert member.commune.departement_id == "2A"


def test_a_cias_covers_an_intercommunality():
    member = make_member("93010", kind=MemberCCAS.Kind.CIAS)
    assert member.kind == "CIAS"
    assert member.intercommunality.nom == "Est Ensemble"
    assert member.slug.startswith("cias-")


@pytest.mark.parametrize("insee", ["99999", "", "abc"])
def test_unknown_insee_is_refused_and_nothing_is_created(insee):
    with pytest.raises(OnboardingError, match="Code INSEE inconnu"):
        onboard_member(insee)
    assert MemberCCAS.objects.count() == 0


def test_already_member_is_refused_and_nothing_is_created():
    make_member("93010")
    schemas_before = _schema_count()
    with pytest.raises(OnboardingError, match="déjà membre"):
        onboard_member("93010")
    assert MemberCCAS.objects.count() == 1
    assert _schema_count() == schemas_before


def test_add_member_command_with_password_and_with_emailed_link(django_capture_on_commit_callbacks):
    call_command(
        "add_member", insee="93048", director="dir@montreuil.test", password="Secret-1234!"
    )
    membership = Membership.objects.get(user__email="dir@montreuil.test")
    assert membership.role == "director"
    assert membership.user.check_password("Secret-1234!")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("add_member", insee="93066", director="dir@saint-denis.test")
    user = Membership.objects.get(member__slug="saint-denis").user
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/compte/mot-de-passe/" in mail.outbox[0].body
    assert "dir@saint-denis.test" in mail.outbox[0].to


def test_set_password_link_is_single_use(portal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("add_member", insee="93066", director="dir@saint-denis.test")
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/compte/mot-de-passe/" in line
    )
    path = link.split("localhost", 1)[1].lstrip(":0123456789")
    response = portal.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = portal.post(
        form_url, {"new_password1": "Tres-Long-Secret-93", "new_password2": "Tres-Long-Secret-93"}
    )
    assert response.status_code == 302
    again = portal.get(path, follow=True)
    assert "n'est plus valable" in again.content.decode()


def test_add_member_command_refusals_are_clear():
    with pytest.raises(CommandError, match="Code INSEE inconnu"):
        call_command("add_member", insee="00000")
    make_member("93010")
    with pytest.raises(CommandError, match="déjà membre"):
        call_command("add_member", insee="93010")


def test_suspending_closes_the_space_without_deleting_anything():
    member = make_member("93010")
    suspend_member(member)
    member.refresh_from_db()
    assert member.status == "suspended"
    assert schema_exists(member.schema_name)
    assert Domain.objects.filter(tenant=member).exists()


def _schema_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.schemata")
        return cursor.fetchone()[0]

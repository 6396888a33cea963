"""Session 27, items the last closing note left in the member space: a category respelled in
every year gets its own line in the journal (the figure's line named one year; the others
changed without a word). Real requests on a real PostgreSQL, two members whose primary keys
collide."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from tenants.models import HandoverLink, Membership
from tenants.services import grant_membership, suspend_member
from tenants.workspace.models import ActivityFigure
from tests.conftest import host_client, make_person
from tests.tenants.test_member_space_followups_s26 import (
    agent_of,
    director_of,
    own_category_in_two_years,
)
from tests.tenants.test_review_s26_member_space import journal_details
from tests.workspace.conftest import add_figures
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def test_a_category_respelled_in_every_year_has_its_own_journal_line(two_members):
    bondy, montreuil = two_members
    last, before = THIS_YEAR - 1, THIS_YEAR - 2
    figure = own_category_in_two_years(bondy, montreuil)
    response = agent_of(bondy).post(
        f"/activite/{figure.pk}/",
        {"year": last, "pole": "Animations", "category": "Jardins partagés", "count": "12"},
    )
    assert response.status_code == 302
    details = journal_details(director_of(bondy).get("/journal/"))
    line = details["Catégorie d'activité réécrite dans toutes les années"]
    assert "avant : Jardins partages" in line and "après : Jardins partagés" in line
    assert f"années : {before}, {last}" in line
    # Montreuil's figure, same primary key, is neither renamed nor journaled.
    montreuil_journal = director_of(montreuil).get("/journal/")
    assert montreuil_journal.status_code == 200
    assert "réécrite" not in montreuil_journal.content.decode()
    with schema_context(montreuil.schema_name):
        assert ActivityFigure.objects.get().category == "Jardins partages"


def test_a_figure_corrected_without_respelling_writes_no_such_line(bondy):
    add_figures(bondy, (THIS_YEAR - 1, "Animations", "Jardins partagés", 12, None))
    with schema_context(bondy.schema_name):
        figure = ActivityFigure.objects.get()
    agent_of(bondy).post(
        f"/activite/{figure.pk}/",
        {
            "year": THIS_YEAR - 1,
            "pole": "Animations",
            "category": "Jardins partagés",
            "count": "13",
        },
    )
    details = journal_details(director_of(bondy).get("/journal/"))
    assert "Chiffre d'activité enregistré" in details
    assert "Catégorie d'activité réécrite dans toutes les années" not in details


def test_member_status_may_keep_quiet_for_a_restore_and_keeps_its_reason(
    bondy, mailoutbox, django_capture_on_commit_callbacks
):
    """The restore of one member (docs/operations.md) suspends then reopens its space for a few
    minutes: the command e-mailed the directions both times, with no way not to."""
    make_person(bondy, "direction@bondy.test")
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "member_status", bondy.slug, "suspended", "--no-email", "--reason", "Restauration"
        )
        call_command("member_status", bondy.slug, "active", "--no-email")
    assert mailoutbox == []
    entry = AuditEntry.objects.filter(action="member.status", member=bondy).earliest("pk")
    assert entry.details["reason"] == "Restauration"
    # Without the option, the direction is told, as before.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("member_status", bondy.slug, "suspended")
    assert [message.to for message in mailoutbox] == [["direction@bondy.test"]]


def test_the_api_of_a_closed_space_answers_json_in_french(two_members):
    """An API client of a suspended member's host got the closed page's HTML (403 text/html),
    which no client reads; the other member's API, same primary keys, is untouched."""
    bondy, montreuil = two_members
    token = Token.objects.create(user=make_person(bondy, "direction@bondy.test"))
    suspend_member(bondy)
    response = host_client(bondy.domain_name).get(
        "/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert " ".join(response.json()["detail"].split()) == (
        "Cet espace est fermé : il est suspendu par l'union. Ses données sont conservées ; pour "
        "le rouvrir, contactez l'équipe de l'union."
    )
    # The pages still show the closed page.
    page = director_of(bondy).get("/")
    assert page.status_code == 403 and "Cet espace est fermé" in page.content.decode()
    assert director_of(montreuil).get("/api/v1/profile/").status_code == 200


def test_the_daily_pruning_deletes_sign_in_tickets_of_more_than_a_day(two_members):
    """A portal → member space ticket serves two minutes; its row said who went into which
    space and when, kept for ever (H5's finding)."""
    bondy, montreuil = two_members
    person = make_person(bondy, "direction@bondy.test")
    make_person(montreuil, "direction@bondy.test", "agent")  # the same person in both spaces
    old = HandoverLink.objects.create(nonce="ancien", user=person, member=bondy)
    HandoverLink.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    recent = HandoverLink.objects.create(nonce="récent", user=person, member=montreuil)
    call_command("prune_audit_trail")
    assert list(HandoverLink.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_admin_homes_expired_invitations_are_the_directions_only(two_members, admin):
    """An agent's invitation is her direction's to send again: listed on the union's panel, it
    asked the union for something only the member can do."""
    bondy, montreuil = two_members
    grant_membership(bondy, "direction@bondy.test", Membership.Role.DIRECTOR)
    grant_membership(montreuil, "agent@montreuil.test", "agent")
    ten_days_ago = timezone.now() - timedelta(days=10)  # both links expired
    Membership.objects.update(created_at=ten_days_ago)
    AuditEntry.objects.update(at=ten_days_ago)
    page = admin.get("/admin/")
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "Invitations expirées (1)" in text
    assert "direction@bondy.test (directeur ou directrice), lien expiré le" in text
    assert "agent@montreuil.test" not in text

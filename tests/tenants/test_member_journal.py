"""The member's journal (tenants.journal): a write in a member's space is told whole in that
member's schema, readable by its direction at /journal/; the union's trail (public schema) keeps
who, which kind of action, when and which member, without what it names."""

import importlib
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.journal.models import JournalEntry
from tenants.models import Membership
from tenants.workspace.models import BoardMandate, BoardMember
from tests.conftest import make_person, member_client
from union.audit import record_audit
from union.models import AuditEntry
from union.retention import prune_audit_trail

pytestmark = pytest.mark.django_db


def seat(member, last_name: str) -> BoardMember:
    """One board member in `member`'s schema: the first row of each, so their ids collide."""
    with schema_context(member.schema_name):
        mandate = BoardMandate.objects.create(label="2020-2026", start=date(2020, 7, 1))
        return BoardMember.objects.create(
            mandate=mandate,
            first_name="Anne",
            last_name=last_name,
            seat=BoardMember.Seat.APPOINTED,
            start=date(2020, 7, 1),
        )


def journal_rows(response) -> list[list[str]]:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in soup.select("tbody tr")
    ]


def test_a_write_is_told_whole_in_the_members_journal_and_not_in_the_unions(bondy, montreuil):
    bondy_seat, montreuil_seat = seat(bondy, "Secret-Bondy"), seat(montreuil, "Secret-Montreuil")
    assert bondy_seat.pk == montreuil_seat.pk  # the same id in both schemas
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    response = client.post(f"/conseil/membres/{bondy_seat.pk}/supprimer/")
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        (entry,) = JournalEntry.objects.filter(action="board.member_deleted")
        assert (entry.target, entry.actor_id) == ("Anne Secret-Bondy", director.pk)
        assert entry.actor_label == "direction@bondy.test"
    with schema_context(montreuil.schema_name):
        assert not JournalEntry.objects.exists()
        assert BoardMember.objects.filter(pk=montreuil_seat.pk).exists()
    public = AuditEntry.objects.get(action="board.member_deleted")
    assert (public.member, public.actor, public.target, public.details) == (bondy, director, "", {})
    assert not AuditEntry.objects.filter(target__contains="Secret").exists()


def test_the_direction_reads_its_own_journal_only(bondy, montreuil):
    for member, name in ((bondy, "Bondy"), (montreuil, "Montreuil")):
        with schema_context(member.schema_name):
            record_audit("document.added", member=member, target=f"PV du CA {name}")
    bondy_director = make_person(bondy, "direction@bondy.test")
    response = member_client(bondy, bondy_director).get("/journal/")
    assert response.status_code == 200
    (row,) = journal_rows(response)
    assert row[2:4] == ["Document déposé", "PV du CA Bondy"]
    assert "Montreuil" not in response.content.decode()
    # A director of Montreuil on Bondy's host is not a member there.
    montreuil_director = make_person(montreuil, "direction@montreuil.test")
    assert member_client(bondy, montreuil_director).get("/journal/").status_code == 403


@pytest.mark.parametrize("role", [Membership.Role.AGENT, Membership.Role.VIEWER])
def test_only_the_direction_opens_the_journal(bondy, role):
    person = make_person(bondy, f"{role}@bondy.test", role)
    client = member_client(bondy, person)
    assert client.get("/journal/").status_code == 403
    # The direction reaches it from « Équipe ».
    assert 'href="/journal/"' not in client.get("/equipe/").content.decode()
    director = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    assert 'href="/journal/"' in director.get("/equipe/").content.decode()


def test_the_journal_filters_by_kind(bondy):
    with schema_context(bondy.schema_name):
        record_audit("document.added", member=bondy, target="Budget")
        record_audit("activity.figure_saved", member=bondy, target="Aides", year=2025)
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    (row,) = journal_rows(client.get("/journal/?type=activite"))
    assert row[2:] == ["Chiffre d'activité enregistré", "Aides", "année : 2025"]
    assert len(journal_rows(client.get("/journal/?type=inconnu"))) == 2


def test_what_leaves_the_space_stays_whole_in_the_unions_trail(bondy):
    with schema_context(bondy.schema_name):
        record_audit("abs.publish", member=bondy, target="93010", shared=True, values=3)
        assert JournalEntry.objects.get().details == {"values": 3}
    assert AuditEntry.objects.get(action="abs.publish").details == {"values": 3}
    # Outside the member's schema (the union's admin), nothing goes to a journal.
    record_audit("member.status", member=bondy, target="Bondy", status="suspended")
    assert AuditEntry.objects.get(action="member.status").target == "Bondy"
    with schema_context(bondy.schema_name):
        assert JournalEntry.objects.count() == 1


def test_the_migration_moves_what_the_unions_trail_held(bondy, montreuil):
    AuditEntry.objects.create(action="document.added", member=bondy, target="PV Bondy")
    AuditEntry.objects.create(action="abs.publish", member=bondy, target="93010", details={"v": 1})
    AuditEntry.objects.create(action="member.onboarded", member=bondy, target="CCAS de Bondy")
    AuditEntry.objects.create(action="document.added", member=montreuil, target="PV Montreuil")
    migration = importlib.import_module("tenants.journal.migrations.0002_move_member_audit_entries")
    with schema_context(bondy.schema_name):
        migration.move_entries(apps, None)
        moved = sorted(JournalEntry.objects.values_list("action", "target"))
    assert moved == [("abs.publish", "93010"), ("document.added", "PV Bondy")]
    assert connection.schema_name == "public"
    kept = sorted(AuditEntry.objects.filter(member=bondy).values_list("action", "target"))
    assert kept == [
        ("abs.publish", "93010"),
        ("document.added", ""),
        ("member.onboarded", "CCAS de Bondy"),
        ("member.onboarded", bondy.name),  # written by onboarding
    ]
    # Montreuil's line waits for the migration in Montreuil's schema.
    assert AuditEntry.objects.get(member=montreuil, action="document.added").target == (
        "PV Montreuil"
    )


def test_the_retention_prunes_every_members_journal(bondy, montreuil):
    for member in (bondy, montreuil):
        with schema_context(member.schema_name):
            record_audit("document.added", member=member, target="Ancien")
            JournalEntry.objects.update(at=timezone.now() - timedelta(days=4000))
            record_audit("document.added", member=member, target="Récent")
    prune_audit_trail()
    for member in (bondy, montreuil):
        with schema_context(member.schema_name):
            assert list(JournalEntry.objects.values_list("target", flat=True)) == ["Récent"]

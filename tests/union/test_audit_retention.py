"""The audit trail's lines are deleted after AUDIT_KEPT_DAYS (RGPD: storage limitation)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from union.audit import record_audit
from union.models import AuditEntry
from union.retention import prune_audit_trail

pytestmark = pytest.mark.django_db


def audit_line(action: str, days_ago: int) -> AuditEntry:
    entry = record_audit(action, target=f"il y a {days_ago} jours")
    AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(days=days_ago))
    return entry


def test_lines_older_than_the_period_are_deleted_and_the_run_says_so():
    old, older = audit_line("abs.published", 1100), audit_line("board.changed", 2000)
    recent = audit_line("abs.published", 1090)

    assert prune_audit_trail() == 2
    left = AuditEntry.objects.all()
    assert not left.filter(pk__in=[old.pk, older.pk]).exists()
    assert left.filter(pk=recent.pk).exists()
    note = left.get(action="audit.pruned")
    assert note.details["deleted"] == 2

    # Nothing more is due: a second run deletes nothing and writes nothing.
    assert prune_audit_trail() == 0
    assert AuditEntry.objects.count() == 2


@override_settings(AUDIT_KEPT_DAYS=365)
def test_the_period_is_a_setting():
    kept, deleted = audit_line("abs.published", 300), audit_line("abs.published", 400)
    assert prune_audit_trail() == 1
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    assert not AuditEntry.objects.filter(pk=deleted.pk).exists()


def test_the_command_reports_in_french():
    audit_line("abs.published", 1500)
    output = io.StringIO()
    call_command("prune_audit_trail", stdout=output)
    assert output.getvalue().strip() == "Journal d'audit : 1 ligne effacée."
    output = io.StringIO()
    call_command("prune_audit_trail", stdout=output)
    assert output.getvalue().strip() == "Journal d'audit : 0 ligne effacée."


@pytest.mark.parametrize(("days", "said"), [(3 * 365, "3 ans"), (365, "1 an"), (180, "180 jours")])
def test_the_privacy_page_states_the_period(client, days, said):
    with override_settings(AUDIT_KEPT_DAYS=days):
        page = client.get("/donnees-personnelles/").content.decode()
    assert '<h2 id="comptes">Comptes et journal des actions</h2>' in page
    assert f"chaque ligne est effacée au bout de {said}." in page

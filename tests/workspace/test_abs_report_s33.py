"""The ABS report is due in the calendar year after the municipal elections (CASF R123-1) for
every CCAS and CIAS, whatever the state of its board: a member that renewed its board on time
was told nothing (domain audit A11), only those whose renewal was pending were."""

from datetime import date
from html import unescape

import pytest
from django.utils import timezone

from tenants.workspace.compliance import abs_report_due
from tests.conftest import make_person, member_client, plain
from tests.workspace.test_review_s15_board import renewed_board

pytestmark = pytest.mark.django_db


def test_the_report_is_due_from_the_elections_to_the_end_of_the_next_calendar_year():
    assert abs_report_due(date(2021, 12, 31)).election.year == 2020
    assert abs_report_due(date(2022, 1, 1)) is None
    assert abs_report_due(date(2026, 3, 14)) is None
    due = abs_report_due(date(2026, 3, 15))
    assert due.year == 2027
    assert abs_report_due(date(2027, 12, 31)) == due
    assert abs_report_due(date(2028, 1, 1)) is None
    assert plain(due.text).startswith(
        "Le rapport d'analyse des besoins sociaux est présenté au conseil d'administration au "
        "cours de 2027, l'année civile qui suit les élections municipales des 15 et 22 mars 2026 "
        "(CASF R123-1) ;"
    )


@pytest.fixture
def in_2027(monkeypatch):
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, *args: date(2027, 2, 1) if value is None else real_localdate(value),
    )


def test_a_member_whose_board_was_renewed_on_time_is_reminded_too(two_members, in_2027):
    bondy, montreuil = two_members
    renewed_board(montreuil)  # April 2026: no renewal pending, same primary keys as Bondy's
    for member in (bondy, montreuil):
        client = member_client(member, make_person(member, f"dir@{member.slug}.test"))
        for path in ("/", "/conseil/", "/abs/"):
            page = plain(unescape(client.get(path).content.decode()))
            assert "au cours de 2027, l'année civile qui suit les élections municipales" in page, (
                member.slug,
                path,
            )
            assert page.count("rapport d'analyse des besoins sociaux") == 1, (member.slug, path)


def test_nothing_is_said_once_the_year_after_the_elections_is_over(bondy, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *args: date(2028, 1, 2))
    client = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    for path in ("/", "/abs/"):
        assert "abs-report-due" not in client.get(path).content.decode(), path

"""Times as French typography writes them (union.formats.french_time): « 9 h », « 9 h 30 »,
« 17 h », no leading zero, minutes only when not zero, no-break spaces around the « h »; and the
phrases built on it (long_date, date_span, time_span, the `french_time` template filter, the
task queue's messages). No database: the pages, e-mails and PDFs are in
tests/seminars/test_french_times_s20.py."""

import datetime
from datetime import UTC, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.management.base import CommandError
from django.template import Context, Template

from union.formats import TIME_SPACE, date_span, french_time, long_date, time_span
from union.mail import FailedEmail
from union.management.commands.check_task_queue import fail_undelivered_since

PARIS = ZoneInfo("Europe/Paris")
NB = "\u00a0"


@pytest.mark.parametrize(
    ("hour", "minute", "written"),
    [
        (0, 0, f"0{NB}h"),  # midnight: « 0 h », not « 00 h » nor « 24 h »
        (0, 30, f"0{NB}h{NB}30"),
        (9, 0, f"9{NB}h"),
        (9, 5, f"9{NB}h{NB}05"),  # the minutes keep their two digits
        (17, 30, f"17{NB}h{NB}30"),
        (23, 59, f"23{NB}h{NB}59"),
    ],
)
def test_french_time_has_no_leading_zero_and_minutes_only_when_not_zero(hour, minute, written):
    assert french_time(datetime.time(hour, minute)) == written
    assert french_time(datetime.datetime(2026, 12, 22, hour, minute)) == written


def test_the_spaces_do_not_break_and_are_the_ones_of_a_unit():
    # U+00A0, as before a unit (file_size's « Ko »): reportlab breaks a line at U+202F.
    assert TIME_SPACE == "\u00a0"
    written = french_time(datetime.time(9, 30))
    assert " " not in written and "\u202f" not in written
    assert written.replace(NB, " ") == "9 h 30"


def test_an_aware_moment_is_read_in_paris_time():
    # 23:30 UTC on 30 November is half past midnight on 1 December in Paris.
    assert french_time(datetime.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == f"0{NB}h{NB}30"
    # Summer time: 07:00 UTC is 9 h in Paris.
    assert french_time(datetime.datetime(2026, 7, 1, 7, 0, tzinfo=UTC)) == f"9{NB}h"


def test_time_span_sets_an_en_dash_that_never_starts_a_line():
    start = datetime.datetime(2026, 12, 22, 10, 30, tzinfo=PARIS)
    assert time_span(start, start + timedelta(hours=2)) == f"10{NB}h{NB}30{NB}– 12{NB}h{NB}30"


def test_long_date_with_its_time():
    moment = datetime.datetime(2026, 12, 1, 14, 5, tzinfo=PARIS)
    assert long_date(moment, time=True) == f"mardi 1er décembre 2026 à 14{NB}h{NB}05"
    assert long_date(moment, weekday=False, time=True) == f"1er décembre 2026 à 14{NB}h{NB}05"
    assert long_date(moment) == "mardi 1er décembre 2026"


def test_date_span_within_one_day_and_over_two():
    start = datetime.datetime(2026, 12, 22, 9, 0, tzinfo=PARIS)
    assert date_span(start, start.replace(hour=17)) == (
        f"mardi 22 décembre 2026, de 9{NB}h à 17{NB}h"
    )
    assert date_span(start, start.replace(hour=17, minute=30)) == (
        f"mardi 22 décembre 2026, de 9{NB}h à 17{NB}h{NB}30"
    )
    two_days = date_span(start.replace(minute=30), start + timedelta(days=1, hours=8))
    assert two_days == (
        f"du mardi 22 décembre 2026 à 9{NB}h{NB}30 au mercredi 23 décembre 2026 à 17{NB}h"
    )
    # Midnight to midnight past: « 0 h ».
    night = datetime.datetime(2026, 12, 22, 0, 0, tzinfo=PARIS)
    assert date_span(night, night.replace(hour=6)) == (
        f"mardi 22 décembre 2026, de 0{NB}h à 6{NB}h"
    )


def test_the_template_filter_reads_local_time_and_leaves_nothing_for_none():
    template = Template("{% load french %}[{{ moment|french_time }}]")
    moment = datetime.datetime(2026, 12, 22, 8, 12, tzinfo=UTC)  # 9 h 12 in Paris
    assert template.render(Context({"moment": moment})) == f"[9{NB}h{NB}12]"
    assert template.render(Context({"moment": None})) == "[]"


def test_the_task_queue_says_its_times_the_french_way():
    failed_at = datetime.datetime(2026, 12, 2, 13, 5, tzinfo=UTC)  # 14 h 05 in Paris
    failed = FailedEmail(failed_at, "Rappel", ["a@exemple.fr"], "refusé")
    assert str(failed) == (f"02/12/2026 à 14{NB}h{NB}05 « Rappel » pour a@exemple.fr : refusé")
    since = failed_at - timedelta(minutes=5)  # 14 h in Paris
    with pytest.raises(CommandError) as raised:
        fail_undelivered_since(since, SimpleNamespace(failed_emails=[failed]))
    assert f"non remis depuis le 02/12/2026 à 14{NB}h (cinq essais" in str(raised.value)

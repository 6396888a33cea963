"""French writes the first of the month as an ordinal, « 1er décembre », which Django's "j" does not:
the seminars' e-mails, pages and PDFs go through union.formats.long_date."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from seminars.exports import export_attendance
from seminars.links import event_path, make_token
from seminars.models import SeminarPage
from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def first_of_a_coming_month(months_ahead: int, hour: int, minute: int = 0) -> datetime:
    """The 1st of a month ahead, at a time in Paris."""
    today = timezone.localdate()
    years, month = divmod(today.month - 1 + months_ahead, 12)
    return timezone.make_aware(datetime(today.year + years, month + 1, 1, hour, minute))


@pytest.fixture
def on_the_first() -> SeminarPage:
    seminar = make_seminar("Journée des élus")
    start = first_of_a_coming_month(2, 9, 30)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        start=start, end=start + timedelta(hours=7), changes_until=first_of_a_coming_month(1, 18)
    )
    seminar.refresh_from_db()
    return seminar


def first_of(moment: datetime) -> str:
    """ "1er décembre 2026 à 18 h" or « … à 9 h 30 » for `moment`, written by hand for the
    test (no-break spaces around the « h », minutes only when not zero)."""
    local = timezone.localtime(moment)
    minutes = f"\u00a0{local.minute:02d}" if local.minute else ""
    return f"1er {date_format(local, 'F Y')} à {local.hour}\u00a0h{minutes}"


def test_the_confirmation_email_writes_1er(
    on_the_first, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register_person(on_the_first, person(1))
    (message,) = [m for m in mailoutbox if m.subject.startswith("Inscription confirmée")]
    start = timezone.localtime(on_the_first.start)
    day = f"{date_format(start, 'l')} 1er {date_format(start, 'F Y')}"
    # One day: the date once, then the hours.
    assert f"Date : {day}, de 9\u00a0h\u00a030 à 16\u00a0h\u00a030\n" in message.body
    assert f"(jusqu'au {first_of(on_the_first.changes_until)})" in message.body
    assert " 1 " not in message.body


def test_the_personal_page_and_the_event_page_write_1er(on_the_first, portal):
    registration, _ = register_person(on_the_first, person(1))
    page = portal.get(f"/evenements/inscription/{make_token(registration)}/").content.decode()
    month = date_format(timezone.localtime(on_the_first.start), "F Y")
    # The personal page gives the event's span, end time included (test_review_s15_public.py).
    assert f"1er {month}, de 9\u00a0h\u00a030 à 16\u00a0h\u00a030</time>" in page
    page = portal.get(event_path(on_the_first)).content.decode()
    assert f"1er {month}, de 9\u00a0h\u00a030 à 16\u00a0h\u00a030</time>" in page


def test_an_event_over_several_days_gives_both_dates_and_one_day_its_date_once():
    template = Template("{% load french %}{{ start|date_span:end }}")
    start = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 09:00 in Paris
    one_day = template.render(Context({"start": start, "end": start + timedelta(hours=8)}))
    assert one_day == "mardi 1er décembre 2026, de 9\u00a0h à 17\u00a0h"
    # 23:30 in Paris on the 1st ends at 00:30 on the 2nd: two dates, read in Paris time.
    late = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    two_days = template.render(Context({"start": late, "end": late + timedelta(days=1)}))
    assert two_days == (
        "du mardi 1er décembre 2026 à 23\u00a0h\u00a030 au mercredi 2 décembre 2026 à 23\u00a0h\u00a030"
    )


def test_the_attendance_sheet_writes_1er(on_the_first):
    register_person(on_the_first, person(1))
    content = export_attendance(on_the_first, "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert (
        f"Journée des élus – 1er {date_format(timezone.localtime(on_the_first.start), 'F Y')}"
        in (text)
    )


def test_the_filter_reads_a_moment_in_local_time_with_its_weekday_and_time():
    template = Template(
        '{% load french %}{{ moment|long_date }} | {{ moment|long_date:"time" }} | '
        '{{ moment|long_date:"weekday time" }}'
    )
    # 23:30 UTC on 30 November is half past midnight on 1 December in Paris.
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert template.render(Context({"moment": moment})) == (
        "1er décembre 2026 | 1er décembre 2026 à 0\u00a0h\u00a030 | "
        "mardi 1er décembre 2026 à 0\u00a0h\u00a030"
    )


def test_an_atelier_of_a_multi_day_event_starting_on_the_first(on_the_first):
    from seminars.models import Atelier, atelier_slot

    starts = on_the_first.start + timedelta(hours=1)
    atelier = Atelier(
        page=on_the_first, title="A", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    assert " 1er " in atelier_slot(atelier, with_date=True)


def test_the_home_page_dates_the_next_event_with_the_ordinal(portal, on_the_first):
    on_the_first.save_revision().publish()
    html = portal.get("/").content.decode()
    assert "Journée des élus" in html
    assert first_of(on_the_first.start).split(" à ")[0] in html

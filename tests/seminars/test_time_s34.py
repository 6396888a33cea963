"""Time audit (A13): an event across a daylight-saving change lasts its elapsed time. Aware
datetimes sharing Europe/Paris, as the admin form and the API give them, subtract as wall
clocks: the October night lasted an hour less, the March one an hour more."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from seminars.models import SeminarPage, slots_need_date

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def event(start: datetime, end: datetime, attested: timedelta) -> SeminarPage:
    return SeminarPage(title="Nuit", start=start, end=end, attested_duration=attested)


def test_a_night_across_the_october_change_lasts_thirteen_hours():
    night = event(
        datetime(2026, 10, 24, 20, tzinfo=PARIS),
        datetime(2026, 10, 25, 8, tzinfo=PARIS),
        timedelta(hours=12, minutes=30),
    )
    assert night.attested_duration_error() == ""


def test_a_night_across_the_march_change_lasts_eleven_hours():
    night = event(
        datetime(2027, 3, 27, 20, tzinfo=PARIS),
        datetime(2027, 3, 28, 8, tzinfo=PARIS),
        timedelta(hours=11, minutes=30),
    )
    error = " ".join(night.attested_duration_error().split())
    assert error == (
        "La durée de formation attestée ne peut pas dépasser celle de l'événement (11 h entre "
        "le début et la fin)."
    )


def test_twenty_three_hours_of_wall_clock_across_october_are_a_whole_day():
    long_day = event(
        datetime(2026, 10, 24, 9, tzinfo=PARIS),
        datetime(2026, 10, 25, 8, tzinfo=PARIS),  # 23 h on the clock, 24 h elapsed
        timedelta(hours=6),
    )
    assert slots_need_date(long_day, ateliers=[])

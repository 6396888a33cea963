"""long_date reads an aware datetime in the current time zone for its date as for its time: an
event starting at 23 h 30 UTC on 1 December starts on 2 December at 0 h 30 in Paris."""

import datetime
from datetime import UTC

from django.utils import timezone

from union.formats import long_date

NB = "\u00a0"


def test_an_aware_moment_in_another_zone_gives_the_local_date_and_time():
    moment = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    with timezone.override("Europe/Paris"):
        assert long_date(moment, time=True) == f"mercredi 2 décembre 2026 à 0{NB}h{NB}30"
        assert long_date(moment) == "mercredi 2 décembre 2026"


def test_a_plain_date_is_written_as_it_is():
    assert long_date(datetime.date(2026, 12, 1), weekday=False) == "1er décembre 2026"

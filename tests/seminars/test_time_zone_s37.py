"""A union overseas (audit A23 #1): TIME_ZONE comes from the environment. An event typed at
9:00 in La Réunion is 9:00 on its page, in the API and, as 05:00 UTC, in every calendar; it
was 9:00 Paris time (12:00 on a Réunion phone). Real PostgreSQL, real HTTP, the .ics parsed
back with icalendar."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from tests.seminars.conftest import make_index

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("zone", "utc_hour", "offset"),
    [
        ("Indian/Reunion", 5, "+04:00"),
        ("America/Guadeloupe", 13, "-04:00"),
        ("Europe/Paris", 8, "+01:00"),
    ],
)
def test_an_event_is_read_on_the_unions_own_clock(
    settings, portal, staff_api, zone, utc_hour, offset
):
    settings.TIME_ZONE = zone
    make_index()
    api = staff_api
    body = {
        "title": "Journée de l'action sociale",
        "kind": "journee_etude",
        "start": "2027-01-14T09:00:00",  # typed without an offset: the union's time
        "end": "2027-01-14T12:00:00",
        "venue": "2 rue de Paris, 97400 Saint-Denis",
        "seats": 40,
    }
    created = api.post("/api/v1/seminars/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    event = portal.get(f"/api/v1/seminars/{created.json()['id']}/").json()
    assert event["start"] == f"2027-01-14T09:00:00{offset}"

    page = portal.get(event["url"].removeprefix("http://localhost")).content.decode()
    assert "9\u00a0h" in page or "9 h" in page
    calendar = Calendar.from_ical(
        portal.get(event["ics_url"].removeprefix("http://localhost")).content
    )
    (vevent,) = [c for c in calendar.walk("VEVENT")]
    assert vevent.decoded("dtstart").astimezone(UTC) == datetime(2027, 1, 14, utc_hour, tzinfo=UTC)


def test_the_time_zone_is_read_from_the_environment():
    def zone_with(environment: dict) -> str:
        inherited = {key: value for key, value in os.environ.items() if key != "TIME_ZONE"}
        env = {**inherited, "DJANGO_SETTINGS_MODULE": "union.settings.test", **environment}
        code = "from django.conf import settings; print(settings.TIME_ZONE)"
        return subprocess.check_output([sys.executable, "-c", code], env=env, text=True).strip()

    assert zone_with({"TIME_ZONE": "Indian/Reunion"}) == "Indian/Reunion"
    assert zone_with({}) == "Europe/Paris"

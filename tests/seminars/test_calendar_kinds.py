"""Elected officials look for one kind of event (« ateliers début de mandat »): the calendar, its
month view and the iCalendar feed filter by kind."""

import pytest
from django.utils import timezone
from icalendar import Calendar

from seminars.models import Kind
from tests.seminars.conftest import make_seminar

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    workshop = make_seminar("Prendre ses marques", kind=Kind.ATELIER_DEBUT_MANDAT, days_ahead=10)
    commission = make_seminar("Commission logement", kind=Kind.COMMISSION, days_ahead=11)
    return workshop, commission


def test_the_list_and_the_month_show_one_kind(portal, events):
    workshop, commission = events
    page = portal.get("/evenements/", {"type": "atelier_debut_mandat"}).content.decode()
    assert workshop.title in page and commission.title not in page
    assert '<option value="atelier_debut_mandat" selected>' in page
    assert "?vue=mois&amp;type=atelier_debut_mandat" in page  # the view switch keeps the kind
    assert "/evenements/calendrier.ics?type=atelier_debut_mandat" in page

    month = timezone.localtime(workshop.start).strftime("%Y-%m")
    page = portal.get("/evenements/", {"mois": month, "type": "commission"}).content.decode()
    assert commission.title in page and workshop.title not in page
    assert f'name="mois" value="{month}"' in page  # changing the kind stays on this month
    assert "&amp;type=commission" in page  # previous and next month keep it too

    everything = portal.get("/evenements/").content.decode()
    assert workshop.title in everything and commission.title in everything


def test_an_unknown_kind_says_so_and_shows_everything(portal, events):
    workshop, commission = events
    response = portal.get("/evenements/", {"type": "apero"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Type d&#x27;événement inconnu" in page or "Type d'événement inconnu" in page
    assert 'aria-invalid="true"' in page
    assert workshop.title in page and commission.title in page


def test_the_ics_feed_of_one_kind(portal, events):
    response = portal.get("/evenements/calendrier.ics", {"type": "commission"})
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == ["Commission logement"]
    assert portal.get("/evenements/calendrier.ics", {"type": "apero"}).status_code == 404

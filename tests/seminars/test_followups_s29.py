"""Session 29's events follow-ups: the desk opening a cancelled event, the year report's French
plurals, a bad `hint` in the registrations import API, night events in the calendar's month."""

import html

import pytest
from django.utils import timezone

from seminars.check_in import check_in_code
from seminars.door_access import DOOR_STAFF
from seminars.models import SeminarPage
from seminars.services import register_person
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person
from union.formats import date_span

pytestmark = pytest.mark.django_db


def flat(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


# 1. The desk opening a cancelled event --------------------------------------------------------


def test_the_desk_opening_a_cancelled_event_of_the_day_is_told_it_is_cancelled():
    seminar = make_seminar("Journée des élus", days_ahead=-1 / 24, hours=8)
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    SeminarPage.objects.filter(pk=seminar.pk).update(cancelled_at=timezone.now())
    desk = host_client("localhost", organiser(DOOR_STAFF, "benevole@commune.test"))
    door = f"/admin/inscriptions/accueil/{seminar.pk}/"
    for url in (door, f"{door}arrivee/", f"/admin/inscriptions/emargement/{check_in_code(zola)}/"):
        response = desk.get(url)
        assert response.status_code == 403, url
        page = flat(response)
        assert "n'ouvre que les événements" not in page
        when = " ".join(date_span(seminar.start, seminar.end).split())
        when = when if when.startswith("du ") else f"le {when}"  # over midnight, or not
        assert f"Cet événement est annulé : « Journée des élus » était prévu {when}." in page
        assert 'href="/admin/inscriptions/accueil/"' in page  # the way back
    # Still closed to a POST (no check-in on a cancelled event).
    response = desk.post(f"{door}{zola.pk}/emargement/", {"present": "1"})
    assert response.status_code == 403
    zola.refresh_from_db()
    assert zola.checked_in_at is None


# 2. French plurals: 0 and 1 take the singular -------------------------------------------------


def test_the_year_report_writes_0_and_1_in_the_singular(two_members):
    from datetime import datetime, timedelta

    year = timezone.localdate().year + 1  # next year: nothing held yet
    coming = make_seminar("À venir", days_ahead=400)
    start = timezone.make_aware(datetime(year, 6, 15, 9))
    SeminarPage.objects.filter(pk=coming.pk).update(start=start, end=start + timedelta(hours=7))
    register_person(coming, person(1))
    client = host_client("localhost", organiser())
    page = flat(client.get(f"/admin/inscriptions/bilan/?annee={year}"))
    assert (
        "0 rencontre tenue (et 1 à venir), 0 participation, 0 commune représentée, "
        "dont 0 des 2 communes membres de l'union"
    ) in page


# 3. A bad `hint` in the registrations import API ----------------------------------------------


def test_a_bad_hint_in_the_import_api_names_the_field_as_sent(staff_api, seminar, tmp_path):
    from seminars.models import Registration

    path = tmp_path / "liste.csv"
    path.write_text("Nom;Prénom;Commune;Fonction\nZola;Émile;Bondy;Maire\n", "utf-8")
    url = f"/api/v1/seminars/{seminar.pk}/registrations/import"
    with path.open("rb") as upload:
        response = staff_api.post(url, {"file": upload, "hint": "9999"})
    assert response.status_code == 400
    # The admin import form's words for the same mistake, and the field as the request names it.
    assert response.json() == {
        "errors": [
            {
                "line": 0,
                "column": "",
                "message": "Département ou région inconnu (champ hint) : « 9999 ». "
                "Indiquez un code (93, 2A, 11) ou un nom (Seine-Saint-Denis, Île-de-France).",
            }
        ]
    }
    assert not Registration.objects.exists()


# 4. Night events in the calendar's month view -------------------------------------------------


def month_cells(portal, month: str) -> dict:
    """{"2027-03-10": ["Soirée", …]} for the days of the month grid."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(portal.get(f"/evenements/?vue=mois&mois={month}").content, "html.parser")
    return {
        cell.find("time")["datetime"]: [a.get_text(strip=True) for a in cell.find_all("a")]
        for cell in page.find("table").find_all("td")
    }


def at(event, start, end) -> None:
    SeminarPage.objects.filter(pk=event.pk).update(start=start, end=end)


def test_a_night_event_shows_on_its_first_day_only(portal):
    from datetime import datetime, timedelta

    year = timezone.localdate().year + 1

    def local(month, day, hour):
        return timezone.make_aware(datetime(year, month, day, hour))

    at(make_seminar("Soirée des élus"), local(3, 10, 23), local(3, 11, 1))
    at(
        make_seminar("Nuit de la solidarité"),
        local(3, 17, 20),
        local(3, 18, 5) + timedelta(minutes=59),
    )
    at(make_seminar("Veille hivernale"), local(3, 24, 18), local(3, 25, 6))  # till the morning
    at(make_seminar("Réveillon de janvier"), local(1, 31, 23), local(2, 1, 2))
    cells = month_cells(portal, f"{year}-03")
    assert "Soirée des élus" in cells[f"{year}-03-10"]
    assert "Soirée des élus" not in cells[f"{year}-03-11"]
    assert "Nuit de la solidarité" in cells[f"{year}-03-17"]
    assert "Nuit de la solidarité" not in cells[f"{year}-03-18"]
    assert (
        "Veille hivernale" in cells[f"{year}-03-24"]
        and "Veille hivernale" in cells[f"{year}-03-25"]
    )
    # A night across the end of January is January's: not in February's month, grid or list.
    assert "Réveillon de janvier" in month_cells(portal, f"{year}-01")[f"{year}-01-31"]
    february = portal.get(f"/evenements/?vue=mois&mois={year}-02").content.decode()
    assert "Réveillon de janvier" not in february

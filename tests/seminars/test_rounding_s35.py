"""Satisfaction figures round halves up, as the rest of the project (union.formats.round_half_up,
the attendance rate) and as people do by hand: 5 satisfied out of 8 answers is 63 %, not the
62 % of Python's round() (half to even); an atelier rated 4, 3, 3, 3 averages 3,3 on the page and
3.3 in avis.xlsx (audit A16 #1, session 35)."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from seminars.annual_report import build_year_report
from seminars.evaluations import save_evaluation, summarise_evaluations
from seminars.services import register_person, set_check_in
from tests.conftest import host_client, plain
from tests.seminars.conftest import make_seminar, organiser, person

pytestmark = pytest.mark.django_db

# Eight people present; their « Appréciation générale », in the order they answer: five in the
# two upper levels, three below. Levels 4 and 1 are one eighth each: 12.5 %.
OVERALL = (4, 3, 3, 3, 3, 2, 2, 1)
# The four who chose the atelier rate it 4, 3, 3, 3: 13 / 4 = 3.25.
ATELIER = (4, 3, 3, 3)


@pytest.fixture
def event():
    seminar = make_seminar(
        "Journée des élus", seats=10, ateliers=(("Accès aux droits", 1, 2, 10),), days_ahead=-2
    )
    atelier = seminar.ateliers.get()
    people = []
    for number in range(1, 9):
        chosen = [atelier.pk] if number <= len(ATELIER) else []
        registration, _ = register_person(seminar, person(number, ateliers=chosen))
        set_check_in(registration, True)
        people.append(registration)
    return seminar, atelier, people


def answer(registration, overall: int, atelier=None, rating=None) -> None:
    ratings = {atelier.pk: rating} if atelier is not None else {}
    save_evaluation(registration, {"overall": overall, "usefulness": 3, "organisation": 3}, ratings)


def test_the_response_rate_rounds_half_up(event):
    seminar, _atelier, people = event
    for registration in people[:5]:  # 5 answers out of 8 present: 62.5 %
        answer(registration, 4)
    summary = summarise_evaluations(seminar)
    assert (summary.present, summary.answers, summary.response_percent) == (8, 5, 63)
    client = host_client("localhost", organiser())
    page = plain(client.get(f"/admin/inscriptions/{seminar.pk}/avis/").content.decode())
    assert "5 avis sur 8 personnes présentes (taux de réponse : 63 %)" in page
    body = client.get(f"/api/v1/seminars/{seminar.pk}/evaluations/").json()
    assert body["response_percent"] == 63


def test_satisfaction_rounds_half_up_on_the_page_and_in_the_api(event):
    seminar, _atelier, people = event
    for registration, overall in zip(people, OVERALL, strict=True):
        answer(registration, overall)
    summary = summarise_evaluations(seminar)
    overall = summary.questions[0]
    assert overall.satisfied_percent == 63  # 5 / 8
    # Each level's share (1, 4, 2 and 1 of 8): 12.5 % reads 13 % too.
    assert [percent for _label, _count, percent in overall.rows()] == [13, 50, 25, 13]
    client = host_client("localhost", organiser())
    page = plain(client.get(f"/admin/inscriptions/{seminar.pk}/avis/").content.decode())
    assert "<td>8</td><td>63 %</td>" in page
    body = client.get(f"/api/v1/seminars/{seminar.pk}/evaluations/").json()
    assert body["questions"][0]["satisfied_percent"] == 63


def test_an_ateliers_average_reads_the_same_on_the_page_and_in_the_workbook(event):
    seminar, atelier, people = event
    for registration, rating in zip(people, ATELIER, strict=False):
        answer(registration, 4, atelier, rating)
    (rated,) = summarise_evaluations(seminar).ateliers
    assert (rated.answers, rated.satisfied_percent, rated.average) == (4, 100, 3.25)
    client = host_client("localhost", organiser())
    page = plain(client.get(f"/admin/inscriptions/{seminar.pk}/avis/").content.decode())
    assert "<td>4</td><td>100 %</td><td>3,3</td>" in page
    export = client.get(f"/admin/inscriptions/{seminar.pk}/avis.xlsx")
    sheet = load_workbook(io.BytesIO(export.content))["Ateliers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("Accès aux droits", 4, 100, 3.3)  # as the page's 3,3


def test_the_year_report_rounds_half_up(event):
    seminar, _atelier, people = event
    for registration, overall in zip(people, OVERALL, strict=True):
        answer(registration, overall)
    year = timezone.localtime(seminar.start).year
    report = build_year_report(year)
    (line,) = [line for line in report.lines if line.event.pk == seminar.pk]
    assert (line.answers, line.satisfied_percent) == (8, 63)
    assert (report.answers, report.satisfied_percent) == (8, 63)

    client = host_client("localhost", organiser())
    html = plain(client.get(f"/admin/inscriptions/bilan/?annee={year}").content.decode())
    assert "Satisfaction générale : 63 % sur 8 avis." in html
    export = client.get(f"/admin/inscriptions/bilan/?annee={year}&format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    (row,) = [row for row in rows if row[1] == "Journée des élus"]
    assert row[8:10] == (8, 63)
    body = client.get("/api/v1/seminars/report/", {"year": year}).json()
    assert body["satisfied_percent"] == 63
    (event_line,) = [e for e in body["events"] if e["id"] == seminar.pk]
    assert event_line["satisfied_percent"] == 63

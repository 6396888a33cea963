"""The year's events in figures (« bilan des rencontres ») for the union's activity report: people
checked in (or confirmed where nobody was), communes and member communes reached, fonctions,
opinions; on screen and as a workbook."""

import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from seminars.annual_report import build_year_report
from seminars.evaluations import save_evaluation
from seminars.models import SeminarPage
from seminars.services import register_person, set_check_in
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person
from union import roles

pytestmark = pytest.mark.django_db
# Last year: every event of the fixture is over whatever the day the test runs.
YEAR = timezone.localdate().year - 1


def move_to(event, year: int, month: int) -> None:
    """Fixed dates, so that the test means the same on the 1st of January."""
    start = timezone.make_aware(datetime(year, month, 15, 9))
    SeminarPage.objects.filter(pk=event.pk).update(start=start, end=start + timedelta(hours=7))


def opinion(registration, overall: int) -> None:
    save_evaluation(registration, {"overall": overall, "usefulness": 3, "organisation": 3}, {})


@pytest.fixture
def year(two_members):
    """Last year: a seminar with check-in (Zola of Bondy and Abel of Montreuil present, Roux
    absent, Lebrun waiting) and an earlier commission without check-in (two confirmed: a maire of
    Pantin and someone whose commune was not recognised). The year before: one more event, left
    out. And an event to come, with three confirmed people: no participation yet."""
    seminar = make_seminar("Séminaire", seats=3, days_ahead=-2)
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    abel, _ = register_person(seminar, person(2, nom="Abel", commune="Montreuil", fonction="dgs"))
    register_person(seminar, person(3, nom="Roux"))
    lebrun, _ = register_person(seminar, person(4, nom="Lebrun"))
    assert lebrun.status == "waitlisted"
    for present in (zola, abel, lebrun):  # Lebrun checked in by mistake: no seat, not counted
        set_check_in(present, True)
    opinion(zola, 4)
    opinion(abel, 2)
    commission = make_seminar("Commission", days_ahead=-3)
    register_person(commission, person(5, commune="Pantin"))
    register_person(
        commission, person(6, commune="Ville inconnue", fonction="conseiller_municipal")
    )
    last_year = make_seminar("L'an dernier", days_ahead=-400)
    someone, _ = register_person(last_year, person(7))
    set_check_in(someone, True)
    move_to(seminar, YEAR, 6)
    move_to(commission, YEAR, 3)
    move_to(last_year, YEAR - 1, 6)
    coming = make_seminar("À venir", days_ahead=40)
    for number in (8, 9, 10):
        register_person(coming, person(number))
    return seminar, commission


def test_the_report_counts_people_communes_and_opinions(year):
    seminar, commission = year
    report = build_year_report(YEAR)
    assert [line.event.title for line in report.lines] == ["Commission", "Séminaire"]
    commission_line, seminar_line = report.lines
    assert (seminar_line.confirmed, seminar_line.present, seminar_line.checked_in) == (3, 2, True)
    assert (seminar_line.communes, seminar_line.answers, seminar_line.satisfied_percent) == (
        2,
        2,
        50,
    )
    # Nobody checked in at the commission: its confirmed people stand in, and it is said.
    assert (commission_line.present, commission_line.checked_in) == (2, False)
    assert commission_line.communes == 1 and report.estimated
    assert (report.participants, report.communes) == (4, 3)  # Bondy, Montreuil, Pantin
    assert (report.member_communes_reached, report.member_communes) == (2, 2)
    assert [(row.code, row.label, row.participations) for row in report.by_fonction] == [
        ("maire", "Maire", 2),
        ("conseiller_municipal", "Conseiller(ère) municipal(e)", 1),
        ("dgs", "Directeur(trice) général(e) des services", 1),
    ]
    assert (report.answers, report.satisfied_percent) == (2, 50)


def test_organisers_read_it_and_download_it(year):
    client = host_client("localhost", organiser())
    html = client.get(f"/admin/inscriptions/bilan/?annee={YEAR}").content.decode()
    assert (
        "2 rencontres tenues, 4 participations, 3 communes représentées, dont 2 des 2 communes membres"
        in html
    )
    assert "Satisfaction générale : 50 % sur 2 avis." in html
    assert f"<caption>Rencontres de {YEAR}</caption>" in html
    assert "les inscrits confirmés sont comptés comme participants" in html
    assert f'<option value="{YEAR - 1}"' in html  # last year can be chosen

    export = client.get(f"/admin/inscriptions/bilan/?annee={YEAR}&format=xlsx")
    assert f"bilan-rencontres-{YEAR}.xlsx" in export["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == f"Bilan des rencontres de l'union – {YEAR}"
    assert [row[1] for row in rows[2:4]] == ["Commission", "Séminaire"]
    assert rows[3][4:10] == (3, 2, "oui", 2, 2, 50)
    assert ("Maire", 2) in [row[:2] for row in rows]
    assert ("Total", "2 rencontres tenues") in [row[:2] for row in rows]
    assert ("Fonction", "Participations") in [row[:2] for row in rows]


@pytest.mark.parametrize(
    "asked, message",
    [
        ("1999", "Aucun événement en « 1999 »"),
        ("abc", "Année invalide : « abc »."),  # not a year at all
        ("²", "Année invalide : « ² »."),
    ],
)
def test_an_unknown_year_shows_the_latest_with_a_message(year, asked, message):
    client = host_client("localhost", organiser())
    response = client.get(f"/admin/inscriptions/bilan/?annee={asked}", follow=True)
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert message in html
    assert f"<caption>Rencontres de {YEAR}</caption>" in html


def test_only_organisers(year):
    editor = host_client("localhost", organiser(roles.EDITOR, "editrice@union.test"))
    assert editor.get("/admin/inscriptions/bilan/").status_code in (302, 403)


def test_an_event_to_come_is_listed_without_participants_and_the_page_opens_on_a_past_year(year):
    coming = SeminarPage.objects.get(title="À venir")
    report = build_year_report(timezone.localtime(coming.start).year)
    (line,) = [line for line in report.lines if line.event.pk == coming.pk]
    assert (line.held, line.confirmed, line.present, line.communes) == (False, 3, 0, 0)
    assert report.participants == 0 and report.by_fonction == []
    html = host_client("localhost", organiser()).get("/admin/inscriptions/bilan/").content.decode()
    assert f"<caption>Rencontres de {YEAR}</caption>" in html  # the latest year with events held

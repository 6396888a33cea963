"""A mandate's own dates keep its seats within it (« Modifier la mandature »: refused with the
seats named, or the seats adjusted when the director asks), and the activity exports say why
evolutions are withheld for a partial or unfinished year, as the report page does."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from django_tenants.utils import schema_context
from pypdf import PdfReader

from tenants.journal.models import JournalEntry
from tenants.workspace.models import BoardMandate, BoardMember
from tests.conftest import make_person, member_client, plain
from tests.workspace.conftest import MANDATE_START, add_figures, make_board
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

ADJUST = "Ajuster les dates des membres du conseil"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def field_error(response, name: str) -> str:
    error = soup_of(response).find(id=f"id_{name}_error")
    return error.get_text(" ", strip=True) if error else ""


def typed(response, name: str) -> str:
    return soup_of(response).find("input", attrs={"name": name})["value"]


@pytest.fixture
def boards(two_members):
    """Bondy's and Montreuil's boards 2020-2026 opened on 1 July 2020, with the same primary keys
    (mandate and seats); in each, « Conseil1 » leaves on 30 June 2026. A director in each."""
    bondy, montreuil = two_members
    bondy_mandate, montreuil_mandate = make_board(bondy), make_board(montreuil)
    assert bondy_mandate.pk == montreuil_mandate.pk  # the collision this test is about
    for member in two_members:
        with schema_context(member.schema_name):
            BoardMember.objects.filter(last_name="Conseil1").update(end=date(2026, 6, 30))
    return (
        bondy_mandate.pk,
        member_client(bondy, make_person(bondy, "dir@bondy.test")),
        member_client(montreuil, make_person(montreuil, "dir@montreuil.test")),
    )


def mandate_of(member, pk: int) -> BoardMandate:
    with schema_context(member.schema_name):
        return BoardMandate.objects.get(pk=pk)


def seat_dates(member, last_name: str) -> tuple:
    with schema_context(member.schema_name):
        seat = BoardMember.objects.get(last_name=last_name)
        return seat.start, seat.end


def edit(client, pk: int, start: str, end: str = "", **extra):
    return client.post(
        f"/conseil/mandats/{pk}/modifier/",
        {"label": "2020-2026 corrigée", "start": start, "end": end, **extra},
    )


def test_a_later_start_that_leaves_seats_before_the_mandate_is_refused_naming_them(
    two_members, boards
):
    bondy, montreuil = two_members
    pk, bondy_client, montreuil_client = boards
    response = edit(bondy_client, pk, "2020-09-15")
    assert response.status_code == 200
    error = field_error(response, "start")
    assert "Mandats qui commencent avant le 15 septembre 2020" in error
    assert "Stéphane Maire (depuis le 1er juillet 2020)" in error
    assert "Élu0 Conseil0" in error and "Nommé3 Asso3" in error
    assert ADJUST in error
    # What was typed is kept, the page says it refused, nothing moved.
    assert typed(response, "start") == "2020-09-15"
    assert typed(response, "label") == "2020-2026 corrigée"
    assert soup_of(response).title.get_text().startswith("Erreur – ")
    assert mandate_of(bondy, pk).start == MANDATE_START
    assert mandate_of(bondy, pk).label == "2020-2026"
    assert seat_dates(bondy, "Maire")[0] == MANDATE_START
    # Montreuil's mandate and seats of the same ids are not Bondy's: untouched, and its own page
    # offers the choice too (it has seats).
    assert mandate_of(montreuil, pk).start == MANDATE_START
    page = montreuil_client.get(f"/conseil/mandats/{pk}/modifier/").content.decode()
    assert ADJUST in page
    # A new mandate has no seats yet: nothing to adjust, nothing offered (it follows the
    # current one, which ends first: mandates do not overlap).
    assert ADJUST not in bondy_client.get("/conseil/mandats/ajouter/").content.decode()
    with schema_context(bondy.schema_name):
        BoardMandate.objects.filter(pk=pk).update(end=date(2026, 6, 30))
    response = bondy_client.post(
        "/conseil/mandats/ajouter/", {"label": "2026-2032", "start": "2026-07-01", "end": ""}
    )
    assert response.status_code == 302


def test_an_earlier_end_that_leaves_a_seat_after_the_mandate_is_refused_naming_it(
    two_members, boards
):
    bondy, _ = two_members
    pk, bondy_client, _ = boards
    response = edit(bondy_client, pk, "2020-07-01", "2026-03-15")
    assert response.status_code == 200
    error = field_error(response, "end")
    assert "Mandat qui finit après le 15 mars 2026" in error
    assert "Élu1 Conseil1 (jusqu'au 30 juin 2026)" in error
    assert field_error(response, "start") == ""
    assert typed(response, "end") == "2026-03-15"
    assert mandate_of(bondy, pk).end is None
    # Seats without an end sit until the end of the mandate: setting it leaves them inside.
    response = edit(bondy_client, pk, "2020-07-01", "2026-06-30")
    assert response.status_code == 302
    assert mandate_of(bondy, pk).end == date(2026, 6, 30)


def test_the_director_may_adjust_the_seats_to_the_new_dates(two_members, boards):
    bondy, montreuil = two_members
    pk, bondy_client, _ = boards
    response = edit(bondy_client, pk, "2020-09-15", "2026-03-15", adjust_seats="on")
    assert response.status_code == 302
    mandate = mandate_of(bondy, pk)
    assert (mandate.label, mandate.start, mandate.end) == (
        "2020-2026 corrigée",
        date(2020, 9, 15),
        date(2026, 3, 15),
    )
    assert seat_dates(bondy, "Maire") == (date(2020, 9, 15), None)
    assert seat_dates(bondy, "Conseil1") == (date(2020, 9, 15), date(2026, 3, 15))
    # Said on the next page, and each seat's change audited.
    page = bondy_client.get(response["Location"]).content.decode()
    assert "dates de mandat ajustées pour 9 membres du conseil" in page
    # Told whole in Bondy's journal (the union's trail keeps no names: tenants.journal).
    assert AuditEntry.objects.filter(member=bondy, action="board.member_changed").exists()
    with schema_context(bondy.schema_name):
        assert JournalEntry.objects.filter(
            action="board.member_changed", target="Élu1 Conseil1"
        ).exists()
        changed = JournalEntry.objects.get(action="board.mandate_changed")
    assert len(changed.details["seats_adjusted"]) == 9
    # Montreuil's seats with the same ids keep their dates.
    assert seat_dates(montreuil, "Maire") == (MANDATE_START, None)
    assert seat_dates(montreuil, "Conseil1") == (MANDATE_START, date(2026, 6, 30))


def test_a_seat_that_would_no_longer_overlap_the_mandate_is_refused_even_when_adjusting(
    two_members, boards
):
    bondy, _ = two_members
    pk, bondy_client, _ = boards
    with schema_context(bondy.schema_name):
        BoardMember.objects.filter(last_name="Conseil2").update(end=date(2020, 12, 31))
    response = edit(bondy_client, pk, "2021-03-01", adjust_seats="on")
    assert response.status_code == 200
    error = field_error(response, "start")
    assert "Mandat terminé avant le 1er mars 2021" in error
    assert "Élu2 Conseil2 (jusqu'au 31 décembre 2020)" in error
    assert "Stéphane Maire" not in error  # adjustable, and adjusting was asked
    assert soup_of(response).find("input", attrs={"name": "adjust_seats"}).has_attr("checked")
    assert mandate_of(bondy, pk).start == MANDATE_START
    assert seat_dates(bondy, "Maire")[0] == MANDATE_START


# --- Exports of a partial or unfinished year -------------------------------------------------


@pytest.fixture
def partial_2025(two_members):
    """Bondy: 2025 lacks 2024's « Obsèques ». Montreuil: 2024 and 2025 complete. Both have the
    same primary keys for their figures."""
    bondy, montreuil = two_members
    add_figures(
        bondy,
        (2024, "Secours", "Transports", 10, Decimal("500.00")),
        (2024, "Secours", "Obsèques", 4, Decimal("6000.00")),
        (2025, "Secours", "Transports", 15, Decimal("600.00")),
    )
    add_figures(
        montreuil,
        (2024, "Secours", "Transports", 10, None),
        (2024, "Secours", "Obsèques", 4, None),
        (2025, "Secours", "Transports", 15, None),
        (2025, "Secours", "Obsèques", 4, None),
    )
    return (
        member_client(bondy, make_person(bondy, "lecture@bondy.test", "viewer")),
        member_client(montreuil, make_person(montreuil, "lecture@montreuil.test", "viewer")),
    )


# Since review 15 a pole shows a key figure (a total only where its categories count the same
# thing), and only a key figure made of a missing category is withheld: the note says so.
INCOMPLETE = (
    "Saisie incomplète : 1 chiffre de 2024 n'a pas encore d'équivalent en 2025 ; le chiffre clé "
    "d'un pôle qui en dépend n'est pas comparé à 2024. Manque : Secours : Obsèques."
)
STOPPED = "Une activité qui a cessé se saisit avec un nombre 0"


def csv_rows(client, year: int) -> list[list[str]]:
    response = client.get(f"/activite/export.csv?annee={year}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(client, year: int) -> list[tuple]:
    response = client.get(f"/activite/export.xlsx?annee={year}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def pdf_text(client, year: int) -> str:
    response = client.get(f"/activite/export.pdf?annee={year}")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


def test_the_exports_say_which_figures_are_missing(partial_2025):
    bondy_client, montreuil_client = partial_2025

    rows = csv_rows(bondy_client, 2025)
    total = next(
        row for row in rows if row[:1] == ["Secours"] and row[1].startswith("Secours accordés")
    )
    assert total[1] == "Secours accordés (total) (saisie incomplète)" and total[4] == ""
    assert rows[-3] == []  # the notes come after a blank line, below the figures
    assert rows[-2] == [INCOMPLETE]
    assert rows[-1][0].startswith(STOPPED)

    cells = [row[0] for row in xlsx_rows(bondy_client, 2025)]
    assert INCOMPLETE in cells and any(str(c).startswith(STOPPED) for c in cells)
    assert ("Secours accordés (total) (saisie incomplète)") in [
        row[1] for row in xlsx_rows(bondy_client, 2025)
    ]

    text = pdf_text(bondy_client, 2025)
    assert plain(INCOMPLETE) in text and STOPPED in text

    # Montreuil's 2025 is complete: compared, no note.
    rows = csv_rows(montreuil_client, 2025)
    assert all("Saisie incomplète" not in cell for row in rows for cell in row)
    assert rows[-1][:2] == ["Secours", "Secours accordés (total)"]
    assert rows[-1][4] == "35,7"  # 19 against 14
    assert not any("Saisie incomplète" in str(row[0]) for row in xlsx_rows(montreuil_client, 2025))
    assert "Saisie incomplète" not in pdf_text(montreuil_client, 2025)


def test_the_exports_of_the_current_year_say_it_is_not_over(two_members):
    bondy, montreuil = two_members
    year = timezone.localdate().year
    for member in two_members:
        add_figures(
            member,
            (year - 1, "Accueil", "Appels téléphoniques", 100, None),
            (year, "Accueil", "Appels téléphoniques", 90, None),
        )
    client = member_client(bondy, make_person(bondy, "agent@bondy.test", "agent"))
    note = (
        f"{year} n'est pas terminée : ses chiffres ne couvrent qu'une partie de l'année, ils ne "
        f"sont donc pas comparés à ceux de {year - 1}."
    )
    rows = csv_rows(client, year)
    assert rows[-1] == [note]
    assert rows[1][4] == ""  # 90 against 100 would read -10,0
    assert note in [row[0] for row in xlsx_rows(client, year)]
    assert plain(note) in pdf_text(client, year)
    # Last year, over and complete: no note.
    assert not any("Année en cours" in " ".join(row) for row in csv_rows(client, year - 1))

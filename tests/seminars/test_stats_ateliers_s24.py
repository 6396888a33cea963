"""Two ateliers of the same title (the same atelier given on two days, or morning and afternoon)
are told apart by their time slot in « Chiffres », its download (XLSX and CSV), the registrations'
list export and the name of an atelier's attendance sheet; an atelier whose title is its own keeps
its title alone. Through real HTTP in the admin, the downloads read back."""

import io
from datetime import datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from seminars.models import Atelier, SeminarPage
from tests.seminars.conftest import make_seminar
from tests.seminars.test_stats_attendance_s23 import (
    ATELIERS,
    base,
    csv_tables,
    download,
    page_of,
    tables,
    workbook_tables,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
# atelier_slot's text: no-break spaces inside each time and before the dash.
THURSDAY = f"jeu. 4 décembre, 14{NBSP}h{NBSP}– 16{NBSP}h"
FRIDAY = f"ven. 5 décembre, 14{NBSP}h{NBSP}– 16{NBSP}h"


def at(day: int, hour: int) -> datetime:
    return timezone.make_aware(datetime(2025, 12, day, hour), timezone.get_current_timezone())


def set_times(seminar: SeminarPage, start, end, slots: dict[str, tuple]) -> None:
    """Put the event (registered while it was to come) and its ateliers at fixed past times:
    `slots` sort_order -> (starts, ends)."""
    SeminarPage.objects.filter(pk=seminar.pk).update(start=start, end=end)
    for sort_order, (starts, ends) in slots.items():
        Atelier.objects.filter(page=seminar, sort_order=sort_order).update(
            starts_at=starts, ends_at=ends
        )
    seminar.refresh_from_db()


ATELIER_ROWS = [
    ["Atelier", "Inscrits confirmés", "Présents", "Places"],
    ["Budget", 1, 1, 10],
    [f"Accès aux droits – {THURSDAY}", 1, 1, 12],
    [f"Accès aux droits – {FRIDAY}", 2, 1, 8],
]


def as_text(rows):
    return [[str(cell) for cell in row] for row in rows]


def test_the_page_tells_the_same_atelier_on_two_days_apart(organiser_client, two_days):
    page = page_of(organiser_client, two_days)
    found = tables(page)
    assert found[ATELIERS] == as_text(ATELIER_ROWS)  # the no-break spaces kept
    assert "2 présents sur 3 inscrits confirmés" in page.get_text(" ")


def test_the_download_tells_them_apart_too(organiser_client, two_days):
    sheets = workbook_tables(download(organiser_client, two_days, "xlsx"))
    assert sheets[ATELIERS] == ATELIER_ROWS
    blocks = csv_tables(download(organiser_client, two_days, "csv"))
    assert blocks[ATELIERS] == as_text(ATELIER_ROWS)


def test_the_list_export_and_the_attendance_sheets_tell_them_apart(organiser_client, two_days):
    response = organiser_client.get(f"{base(two_days)}liste.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    column = rows[1].index("Ateliers")
    chosen = {row[0]: row[column] for row in rows[2:]}
    assert chosen["ZOLA"] == f"Accès aux droits – {THURSDAY}"
    # The slot holds a comma: one atelier from the next is « ; ».
    assert chosen["MARTIN"] in (
        f"Accès aux droits – {FRIDAY}{NBSP}; Budget",
        f"Budget{NBSP}; Accès aux droits – {FRIDAY}",
    )

    names = set()
    for atelier in two_days.ateliers.all():
        response = organiser_client.get(
            f"{base(two_days)}export/", {"format": "csv", "atelier": atelier.pk}
        )
        assert response.status_code == 200
        names.add(response["Content-Disposition"])
    assert len(names) == 3, names
    assert any('filename="emargement-rencontres-de-decembre-budget.csv"' in n for n in names)
    assert any("acces-aux-droits-jeu-4-decembre-14-h-16-h.csv" in n for n in names), names


def test_morning_and_afternoon_of_one_day_read_by_their_hours(organiser_client):
    """One day: the slot without its date. Two groups at the same time: their rooms."""
    seminar = make_seminar(
        "Journée domiciliation",
        ateliers=(
            ("Domiciliation", 0, 2, 10),
            ("Domiciliation", 5, 2, 10),
            ("Questions ouvertes", 5, 2, 10),
            ("Questions ouvertes", 5, 2, 10),
        ),
    )
    Atelier.objects.filter(page=seminar, sort_order=2).update(room="Salle 1")
    Atelier.objects.filter(page=seminar, sort_order=3).update(room="Salle 2")
    set_times(
        seminar,
        at(4, 9),
        at(4, 17),
        {
            0: (at(4, 9), at(4, 11)),
            1: (at(4, 14), at(4, 16)),
            2: (at(4, 14), at(4, 16)),
            3: (at(4, 14), at(4, 16)),
        },
    )
    found = tables(page_of(organiser_client, seminar))
    slot = f"14{NBSP}h{NBSP}– 16{NBSP}h"
    assert [row[0] for row in found[ATELIERS][1:]] == [
        f"Domiciliation – 9{NBSP}h{NBSP}– 11{NBSP}h",
        f"Domiciliation – {slot}",
        f"Questions ouvertes – {slot}, Salle 1",
        f"Questions ouvertes – {slot}, Salle 2",
    ]

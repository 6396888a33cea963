"""The organiser's list as a workbook: the filters of the screen kept, every working column."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from seminars.services import register_person, set_check_in
from tests.conftest import host_client
from tests.seminars.conftest import organiser, person
from union import roles

pytestmark = pytest.mark.django_db


def read(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_list_export_keeps_the_filters_and_the_columns_organisers_work_with(
    organiser_client, seminar
):
    a = seminar.ateliers.get(title="Atelier A")
    data = person(1, nom="=cmd|' /C calc'!A0", ateliers=[a.pk])
    data.needs = "Repas sans gluten"
    first, _ = register_person(seminar, data)
    set_check_in(first, True)
    register_person(seminar, person(2, nom="Abel", commune="Aubervillier"))
    base = f"/admin/inscriptions/{seminar.pk}/"
    assert (
        f"{base}liste.xlsx?atelier={a.pk}"
        in organiser_client.get(base, {"atelier": a.pk}).content.decode()
    )

    rows = read(organiser_client.get(f"{base}liste.xlsx"))
    assert rows[0][0].startswith(seminar.title)
    assert rows[1][:4] == ("Nom", "Prénom", "E-mail", "Commune")
    by_name = {row[0]: row for row in rows[2:]}
    assert set(by_name) == {"=CMD|' /C CALC'!A0", "ABEL"}  # text, never a formula
    flagged = by_name["ABEL"]
    assert flagged[3] == "Aubervillier" and flagged[4] is None and flagged[5] == "oui"
    chosen = by_name["=CMD|' /C CALC'!A0"]
    assert chosen[3:5] == ("Bondy", "93010")
    assert (
        chosen[7] == "Atelier A" and chosen[8] == "Confirmée" and chosen[9] == "Repas sans gluten"
    )
    first.refresh_from_db()
    # Local time, as on screen (the server's clock is UTC, Paris is one or two hours ahead).
    local = timezone.localtime(first.checked_in_at).replace(tzinfo=None, microsecond=0)
    assert chosen[13].replace(microsecond=0) == local

    rows = read(organiser_client.get(f"{base}liste.xlsx", {"atelier": a.pk}))
    assert [row[0] for row in rows[2:]] == ["=CMD|' /C CALC'!A0"]


def test_the_list_export_is_for_organisers_only(seminar):
    editor = host_client("localhost", organiser(roles.EDITOR, "editrice@union.test"))
    assert editor.get(f"/admin/inscriptions/{seminar.pk}/liste.xlsx").status_code in (302, 403)

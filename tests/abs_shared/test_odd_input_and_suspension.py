"""Odd input on the ABS pages never fails them; a suspended member's values leave the portal."""

import io

import pytest
from openpyxl import load_workbook

from abs_shared.models import PublishedValue
from tenants.services import reactivate_member, suspend_member
from tests.abs_shared.conftest import observe, pool_member, pool_value
from tests.conftest import make_person, member_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(bondy):
    return make_person(bondy, "direction@bondy.test")


@pytest.mark.parametrize("year", ["²", "9" * 5000, "٢٠٢١", "-1"])
def test_member_pages_ignore_a_year_that_is_not_one(bondy, director, year):
    observe(bondy, "TP60", 2021, 26.5)
    client = member_client(bondy, director)
    for path in ("/abs/", "/abs/comparaison/TP60/"):
        response = client.get(path, {"annee": year})
        assert response.status_code == 200, path
        assert "26,5" in response.content.decode()


def test_a_control_character_in_a_source_does_not_break_the_xlsx_export(portal):
    pool_value(pool_member("93010"), "TP60", 2021, 26.5)
    PublishedValue.objects.update(source="INSEE\x0bFilosofi 2021")  # pasted from a slide
    for path in ("/indicateurs/TP60/", "/indicateurs/communes/93010/TP60/"):
        response = portal.get(path, {"annee": 2021, "export": "xlsx"})
        assert response.status_code == 200, path
        sheet = load_workbook(io.BytesIO(response.content)).active
        texts = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
        assert "INSEEFilosofi 2021" in texts, path


def test_a_suspended_member_values_leave_the_portal_and_come_back(portal, bondy, montreuil):
    pool_value(bondy, "TP60", 2021, 26.5)
    pool_value(montreuil, "TP60", 2021, 31.5)
    suspend_member(bondy)
    page = portal.get("/indicateurs/TP60/", {"annee": 2021}).content.decode()
    assert "31,5" in page and "26,5" not in page and "Bondy" not in page
    query = {"commune": "93010", "indicator": "TP60", "year": 2021}
    response = portal.get("/api/v1/comparison/", query)
    assert response.status_code == 200 and "26.5" not in response.content.decode()
    assert "26,5" not in portal.get("/indicateurs/communes/93010/").content.decode()
    reactivate_member(bondy)
    assert "26,5" in portal.get("/indicateurs/TP60/", {"annee": 2021}).content.decode()

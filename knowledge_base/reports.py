"""Admin report: guides whose last review is older than KB_REVIEW_MAX_AGE_DAYS (12 months).

Its downloads follow the project's other exports rather than Wagtail's defaults: a CSV that Excel
in French opens (semicolons, UTF-8 with a BOM, dates as 31/12/2025 in Paris time), an XLSX with
real dates in French format, both named after the report and the day (guides-a-relire-2026-01-31).
"""

import datetime
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.views.reports import PageReportView

from knowledge_base.models import GuidePage
from union.spreadsheets import CONTENT_TYPES, append_row, csv_bytes, new_sheet, set_widths

NEVER = "jamais"


def review_cutoff():
    return timezone.localdate() - timedelta(days=settings.KB_REVIEW_MAX_AGE_DAYS)


def guides_to_review():
    """Guides never reviewed (first), or last reviewed before the cut-off; oldest first."""
    return GuidePage.objects.filter(
        Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=review_cutoff())
    ).order_by(F("last_reviewed").asc(nulls_first=True), "title")


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    """A stored (UTC) date and time as read in Paris, without its zone (spreadsheets have none)."""
    if value is None:
        return None
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(value, "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    return str(value)


class GuidesToReviewView(PageReportView):
    page_title = "Guides à relire"
    header_icon = "time"
    results_template_name = "knowledge_base/admin/guides_to_review_results.html"
    index_url_name = "kb_guides_to_review"
    index_results_url_name = "kb_guides_to_review_results"
    any_permission_required = ["add", "change", "publish"]
    list_export = ["title", "last_reviewed", "last_published_at", "status_string"]
    export_headings = {
        "title": "Titre",
        "last_reviewed": "Dernière relecture",
        "last_published_at": "Dernière publication",
        "status_string": "Statut",
    }

    def get_queryset(self):
        return guides_to_review()

    def get_filename(self):
        return f"guides-a-relire-{timezone.localdate():%Y-%m-%d}"

    def export_rows(self, queryset) -> list[list]:
        """Each guide as its cells: dates as dates (Paris time), « jamais » if never reviewed."""
        return [
            [
                page.title,
                page.last_reviewed or NEVER,
                _local(page.last_published_at),
                str(page.status_string),
            ]
            for page in queryset
        ]

    def headings(self, queryset) -> list[str]:
        return [self.get_heading(queryset, field) for field in self.list_export]

    def write_csv_response(self, queryset):
        rows = [[_csv_cell(cell) for cell in row] for row in self.export_rows(queryset)]
        response = StreamingHttpResponse(
            [csv_bytes([self.headings(queryset), *rows])], content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def write_xlsx(self, queryset, output):
        workbook, sheet = new_sheet("Guides à relire", self.headings(queryset))
        for row in self.export_rows(queryset):
            # A title starting with "=" is text, never a formula.
            _title, reviewed, published, _status = append_row(sheet, row)
            if isinstance(reviewed.value, datetime.date):
                reviewed.number_format = "dd/mm/yyyy"
            if published.value is not None:
                published.number_format = "dd/mm/yyyy hh:mm"
        set_widths(sheet, (60, 20, 20, 20))
        workbook.save(output)

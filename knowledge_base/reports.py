"""Admin reports: guides whose last review is older than KB_REVIEW_MAX_AGE_DAYS (12 months), and
live guides whose tables lack a caption or header cells (published before TableBlock required
them: the rule only catches a table at its next edit).

Their downloads follow the project's other exports rather than Wagtail's defaults: a CSV that Excel
in French opens (semicolons, UTF-8 with a BOM, dates as 31/12/2025 in the union's time), an XLSX with
real dates in French format, both named after the report and the day (guides-a-relire-2026-01-31).
"""

import datetime
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.reports import PageReportView

from knowledge_base.blocks.reference import TableBlock
from knowledge_base.models import GuidePage
from union import roles
from union.spreadsheets import (
    CONTENT_TYPES,
    append_row,
    attachment_header,
    csv_bytes,
    csv_cell,
    new_sheet,
    set_widths,
)

NEVER = "jamais"


def review_cutoff():
    return timezone.localdate() - timedelta(days=settings.KB_REVIEW_MAX_AGE_DAYS)


def guides_to_review():
    """Guides last reviewed before the cut-off, or never reviewed and first published before it
    (first); oldest first. A guide is checked when it is written: the yearly review of its legal
    content starts from its first publication, not from the day it went online (a guide
    published a minute ago is not « à relire »), and a draft never published waits for it."""
    cutoff = review_cutoff()
    return GuidePage.objects.filter(
        Q(last_reviewed__isnull=True, first_published_at__date__lt=cutoff)
        | Q(last_reviewed__lt=cutoff)
    ).order_by(F("last_reviewed").asc(nulls_first=True), "title")


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    """A stored (UTC) date and time as read in Paris, without its zone (spreadsheets have none)."""
    if value is None:
        return None
    return timezone.make_naive(value) if timezone.is_aware(value) else value


# The guides' editorial reports: drafts and review dates are the editors' and moderators' work.
# Wagtail's check (any page permission anywhere) let organisers in, who hold page permissions on
# the events' index page.
GUIDE_REPORT_ROLES = (roles.EDITOR, roles.MODERATOR, roles.UNION_ADMIN)


def can_read_guide_reports(user) -> bool:
    return roles.has_union_role(user, *GUIDE_REPORT_ROLES)


class GuideEditorsOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_read_guide_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FrenchSpreadsheetMixin:
    """The report's CSV and XLSX as the project's other exports (see the module's docstring):
    `export_rows` gives each row's cells, dates as dates; `sheet_name`, `filename_prefix` and
    `column_widths` name and shape the files."""

    sheet_name = ""
    filename_prefix = ""
    column_widths: tuple[int, ...] = ()

    def get_filename(self):
        return f"{self.filename_prefix}-{timezone.localdate():%Y-%m-%d}"

    def export_rows(self, queryset) -> list[list]:
        raise NotImplementedError

    def headings(self, queryset) -> list[str]:
        return [self.get_heading(queryset, field) for field in self.list_export]

    def write_csv_response(self, queryset):
        rows = [[csv_cell(cell) for cell in row] for row in self.export_rows(queryset)]
        response = StreamingHttpResponse(
            [csv_bytes([self.headings(queryset), *rows])], content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = attachment_header(f"{self.get_filename()}.csv")
        return response

    def write_xlsx(self, queryset, output):
        workbook, sheet = new_sheet(self.sheet_name, self.headings(queryset))
        for row in self.export_rows(queryset):
            # A title starting with "=" is text, never a formula.
            for cell in append_row(sheet, row):
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "dd/mm/yyyy"
        set_widths(sheet, self.column_widths)
        workbook.save(output)


class GuidesToReviewView(GuideEditorsOnlyMixin, FrenchSpreadsheetMixin, PageReportView):
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
    sheet_name = "Guides à relire"
    filename_prefix = "guides-a-relire"
    column_widths = (60, 20, 20, 20)

    def get_queryset(self):
        # The status column (page_status_tag) reads each page's schedule and workflow: annotated
        # and prefetched here, as Wagtail's own listings do, not two queries per row.
        return guides_to_review().annotate_approved_schedule().prefetch_workflow_states()

    def export_rows(self, queryset) -> list[list]:
        """Each guide as its cells: dates as dates (the union's time), « jamais » if never reviewed."""
        return [
            [
                page.title,
                page.last_reviewed or NEVER,
                _local(page.last_published_at),
                str(page.status_string),
            ]
            for page in queryset
        ]


# --- Tables to complete ----------------------------------------------------------------------


def table_gaps(value) -> list[str]:
    """What a table lacks to be published today (TableBlock.clean), in French."""
    gaps = []
    if not str(value.get("table_caption") or "").strip():
        gaps.append("sans titre")
    if not TableBlock.has_header_cells(value):
        gaps.append("sans en-tête")
    return gaps


def incomplete_tables(page: GuidePage) -> list[str]:
    """Each table of the guide's published body that lacks a caption or header cells, as
    « Tableau 2 (« Composition du conseil ») : sans en-tête », numbered among the guide's tables
    so that the editor finds it in the body."""
    described = []
    tables = (block.value for block in page.body if block.block_type == "table")
    for rank, value in enumerate(tables, start=1):
        gaps = table_gaps(value or {})
        if gaps:
            caption = str((value or {}).get("table_caption") or "").strip()
            name = f"Tableau {rank}" + (f" (« {caption} »)" if caption else "")
            described.append(f"{name} : {', '.join(gaps)}")
    return described


def guides_with_incomplete_tables():
    """Live guides with at least one incomplete table, by title. The body is read in Python (the
    rule lives in TableBlock); the database only narrows to guides holding a table."""
    with_tables = GuidePage.objects.live().filter(body__contains=[{"type": "table"}])
    ids = [page.pk for page in with_tables if incomplete_tables(page)]
    return GuidePage.objects.filter(pk__in=ids).order_by("title")


class IncompleteTablesView(GuideEditorsOnlyMixin, FrenchSpreadsheetMixin, PageReportView):
    page_title = "Tableaux à compléter"
    header_icon = "table"
    results_template_name = "knowledge_base/admin/incomplete_tables_results.html"
    index_url_name = "kb_incomplete_tables"
    index_results_url_name = "kb_incomplete_tables_results"
    any_permission_required = ["add", "change", "publish"]
    list_export = ["title", "incomplete_tables", "last_published_at", "status_string", "edit_url"]
    export_headings = {
        "title": "Titre",
        "incomplete_tables": "Tableaux à compléter",
        "last_published_at": "Dernière publication",
        "status_string": "Statut",
        "edit_url": "Lien pour modifier",
    }
    sheet_name = "Tableaux à compléter"
    filename_prefix = "tableaux-a-completer"
    column_widths = (50, 70, 20, 20, 50)

    def get_queryset(self):
        return guides_with_incomplete_tables()

    def decorate_paginated_queryset(self, object_list):
        pages = list(object_list)
        for page in pages:
            page.incomplete_tables = incomplete_tables(page)
        return pages

    def edit_url(self, page) -> str:
        return self.request.build_absolute_uri(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    def export_rows(self, queryset) -> list[list]:
        return [
            [
                page.title,
                " ; ".join(incomplete_tables(page)),
                _local(page.last_published_at),
                str(page.status_string),
                self.edit_url(page),
            ]
            for page in queryset
        ]

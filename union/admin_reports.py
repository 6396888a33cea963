"""Wagtail's own admin reports (Rapports: site history, aging pages, locked pages, workflows,
page types usage) with their CSV and XLSX downloads made inert, as every export of the project
(union.spreadsheets.inert): a member director's name typed as « =HYPERLINK(…) » reached the site
history's CSV as a live formula.

Wagtail writes these files in SpreadsheetExportMixin, which has no setting for it. Rather than
patching Wagtail's class for the whole process, the portal's URLconf mounts, before Wagtail's
admin (union/urls_public.py: the first matching path wins), the same report URLs served by
subclasses of Wagtail's views with InertSpreadsheetMixin. The subclasses are built from Wagtail's
own list of report URLs (wagtail.admin.urls.reports), so a report Wagtail adds there is covered
too, with its own view's arguments; the reversed names stay Wagtail's (same paths).
The same subclasses write the files as the project's own reports (knowledge_base.reports) do:
semicolons and a BOM, the union's time in French, French file names (FrenchSpreadsheetMixin)."""

import csv
import datetime

from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import reports as wagtail_reports
from wagtail.utils.urlpatterns import decorate_urlpatterns

from union.spreadsheets import CONTENT_TYPES, attachment_header, csv_cell, inert, keep_as_text


class InertSpreadsheetMixin:
    """Cells starting like a formula: behind an apostrophe in the CSV (shown as text by Excel
    and LibreOffice), flagged as text in the XLSX (Wagtail already stores them as strings)."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return inert(value) if export_format == self.FORMAT_CSV else value

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            keep_as_text(cell)
            yield cell


class FrenchSpreadsheetMixin:
    """The exports as the project's own (knowledge_base.reports, « Guides à relire »): a CSV that
    Excel in French opens (semicolons, UTF-8 with a BOM, the union's time as 12/03/2026 14:58), an
    XLSX whose dates are the union's time (Wagtail writes UTC) shown as 12/03/2026 14:58, both named in
    French after the report and the day. Wagtail's own values otherwise: its columns, headings
    (translated) and labels."""

    # Wagtail's view class -> the files' French name (Wagtail's « audit-log-… » otherwise).
    FILENAMES = {
        "LogEntriesView": "historique-du-site",
        "AgingPagesView": "pages-vieillissantes",
        "LockedPagesView": "pages-verrouillees",
        "WorkflowView": "workflows",
        "WorkflowTasksView": "taches-de-workflow",
        "PageTypesUsageReportView": "utilisation-des-types-de-page",
    }

    def get_filename(self):
        for klass in type(self).__mro__:
            if klass.__name__ in self.FILENAMES:
                return f"{self.FILENAMES[klass.__name__]}-{timezone.localdate():%Y-%m-%d}"
        return super().get_filename()

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.make_naive(value).replace(microsecond=0)  # the union's time, no zone
        value = super().preprocess_field_value(field, value, export_format)
        return csv_cell(value) if export_format == self.FORMAT_CSV else value

    def stream_csv(self, queryset):
        writer = csv.writer(_Echo(), delimiter=";")
        headings = [self.get_heading(queryset, field) for field in self.list_export]
        yield "\ufeff" + writer.writerow([inert(str(heading)) for heading in headings])
        for item in queryset:
            row = self.to_row_dict(item)
            yield writer.writerow(
                [self.preprocess_field_value(field, row[field], self.FORMAT_CSV) for field in row]
            )

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = attachment_header(f"{self.get_filename()}.csv")
        return response

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
            yield cell


class _Echo:
    """A file whose write gives back what it is given: csv.writer's rows one by one."""

    def write(self, value):
        return value


def with_inert_exports(view):
    """Wagtail's view function `view` (as_view()) rebuilt from a subclass with inert exports,
    written as the project's (FrenchSpreadsheetMixin)."""
    view_class = view.view_class
    inert_class = type(
        f"Inert{view_class.__name__}",
        (FrenchSpreadsheetMixin, InertSpreadsheetMixin, view_class),
        {"__module__": __name__, "__doc__": view_class.__doc__},
    )
    return inert_class.as_view(**view.view_initkwargs)


# As Wagtail's admin URLconf decorates them (wagtail.admin.urls): admin access, never cached.
urlpatterns = decorate_urlpatterns(
    decorate_urlpatterns(
        [
            path(str(pattern.pattern), with_inert_exports(pattern.callback))
            for pattern in wagtail_reports.urlpatterns
        ],
        require_admin_access,
    ),
    never_cache,
)

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
The project's reports (knowledge_base.reports) write their files with union.spreadsheets."""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import reports as wagtail_reports
from wagtail.utils.urlpatterns import decorate_urlpatterns

from union.spreadsheets import inert, keep_as_text


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


def with_inert_exports(view):
    """Wagtail's view function `view` (as_view()) rebuilt from a subclass with inert exports."""
    view_class = view.view_class
    inert_class = type(
        f"Inert{view_class.__name__}",
        (InertSpreadsheetMixin, view_class),
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

"""Admin report: guides whose last review is older than KB_REVIEW_MAX_AGE_DAYS (12 months)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from wagtail.admin.views.reports import PageReportView

from knowledge_base.models import GuidePage


def review_cutoff():
    return timezone.localdate() - timedelta(days=settings.KB_REVIEW_MAX_AGE_DAYS)


def guides_to_review():
    """Guides never reviewed (first), or last reviewed before the cut-off; oldest first."""
    return GuidePage.objects.filter(
        Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=review_cutoff())
    ).order_by(F("last_reviewed").asc(nulls_first=True), "title")


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

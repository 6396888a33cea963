"""Wagtail admin: theme and glossary snippets, and the "Guides à relire" report."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from knowledge_base.models import GlossaryTerm, Theme
from knowledge_base.reports import GuidesToReviewView


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Thèmes"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class GlossaryViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = "Glossaire"
    list_display = ["acronym", "expansion"]
    search_fields = ["acronym", "expansion"]


class KnowledgeBaseGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, GlossaryViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Base de connaissances"
    menu_name = "knowledge-base"


register_snippet(KnowledgeBaseGroup)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/guides-a-relire/", GuidesToReviewView.as_view(), name="kb_guides_to_review"),
        path(
            "reports/guides-a-relire/results/",
            GuidesToReviewView.as_view(results_only=True),
            name="kb_guides_to_review_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return MenuItem(
        "Guides à relire",
        reverse("kb_guides_to_review"),
        name="guides-a-relire",
        icon_name="time",
        order=1150,
    )

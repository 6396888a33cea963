"""Wagtail admin: theme and glossary snippets, the "Guides à relire" and "Tableaux à compléter"
reports; the editors' panel on the admin home; documents of private pages kept private."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from laces.components import Component
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail.wagtail_hooks import require_wagtail_login

from knowledge_base.admin_panel import editorial_overview, sees_editorial_panel
from knowledge_base.listing import visible_to
from knowledge_base.models import GlossaryTerm, Theme
from knowledge_base.reports import GuidesToReviewView, IncompleteTablesView, can_read_guide_reports
from knowledge_base.search import without_unlisted_pages
from seminars.models import invitation_opened


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
    # The kind shown and filtered: a sigle is marked up in guides, a term is not.
    list_display = ["acronym", "kind", "expansion"]
    list_filter = ["kind"]
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
        path(
            "reports/tableaux-a-completer/",
            IncompleteTablesView.as_view(),
            name="kb_incomplete_tables",
        ),
        path(
            "reports/tableaux-a-completer/results/",
            IncompleteTablesView.as_view(results_only=True),
            name="kb_incomplete_tables_results",
        ),
    ]


class GuideReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_guide_reports(request.user)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return GuideReportMenuItem(
        "Guides à relire",
        reverse("kb_guides_to_review"),
        name="guides-a-relire",
        icon_name="time",
        order=1150,
    )


@hooks.register("register_reports_menu_item")
def register_incomplete_tables_menu_item():
    return GuideReportMenuItem(
        "Tableaux à compléter",
        reverse("kb_incomplete_tables"),
        name="tableaux-a-completer",
        icon_name="table",
        order=1160,
    )


class EditorialPanel(Component):
    """The editors' admin home: guides to review, pages waiting for their approval, members'
    experiences waiting for a decision (knowledge_base.admin_panel)."""

    name = "editorial"
    template_name = "knowledge_base/admin/editorial_panel.html"
    order = 70  # after the federation's panel, before Wagtail's own

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return editorial_overview(self.user)


@hooks.register("construct_homepage_panels")
def add_editorial_panel(request, panels):
    if sees_editorial_panel(request.user):
        panels.append(EditorialPanel(request.user))


def pages_using(document) -> list[int]:
    """Ids of the pages whose content uses `document`, from Wagtail's reference index: up to
    date as soon as a page is saved (`document_privacy.index_page_references`), not only once
    the background worker has run Wagtail's queued update."""
    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.get_references_to(document).filter(base_content_type=page_type)
    return [int(object_id) for object_id in references.values_list("object_id", flat=True)]


def used_in_a_draft(document) -> bool:
    """Whether unpublished changes of a page use `document`. Wagtail's reference index holds
    what pages show, not their drafts: a document added to a published guide's new draft is
    used on « no page » until the draft is published. Only drafts saved since the document was
    uploaded can hold it, which keeps this to a few recent pages; each draft is read with the
    extraction Wagtail's index itself runs (a private method: the tests of this hook say if an
    upgrade changes it)."""
    wanted = (ReferenceIndex._get_base_content_type(document).id, str(document.pk))
    drafts = Page.objects.filter(
        has_unpublished_changes=True, latest_revision__created_at__gte=document.created_at
    )
    for page in drafts.specific():
        draft = page.get_latest_revision_as_object()
        references = ReferenceIndex._extract_references_from_object(draft)
        if any((content_type, object_id) == wanted for content_type, object_id, *_ in references):
            return True
    return False


@hooks.register("before_serve_document")
def keep_documents_of_private_pages_private(document, request):
    """A document used only on pages the requester may not read (login or group restriction,
    or not published, or only in a draft) is refused as the page itself would be: the login
    page for an anonymous visitor, 403 for someone signed in. Wagtail checks the document's own
    collection privacy in its hook; a document used on no page at all (a file linked from a
    newsletter), or on one public page, stays public. Runs only when documents go through
    Wagtail's serve view: a system check refuses `WAGTAILDOCS_SERVE_METHOD = "direct"`
    (`document_privacy.documents_served_through_wagtail`)."""
    document_permissions = policy_registry.get_by_type(get_document_model())
    if document_permissions.user_has_any_permission(request.user, ["add", "change", "choose"]):
        return None  # the union's staff, who pick documents in the admin
    page_ids = pages_using(document)
    if page_ids:
        # Pages only a link opens (an invitation-only event, its proceedings) or under an
        # unpublished event serve their files only to whom the event's key opened them.
        readable = visible_to(Page.objects.filter(pk__in=page_ids), request)
        if without_unlisted_pages(readable).exists() or invitation_opened(request, readable):
            return None
        refusal = "Ce document est réservé aux lecteurs de la page qui le publie."
    elif used_in_a_draft(document):
        refusal = "Ce document n'est pas encore publié."
    else:
        return None
    if request.user.is_authenticated:  # the platform's 403 page, in French
        raise PermissionDenied(refusal)
    return require_wagtail_login(next=request.get_full_path())


def unpublishable_pages(pages) -> list[str]:
    """Titles of the pages whose latest revision would not pass the editor's full validation of
    their StreamFields (a table without a title or headers…): the editor defers it for drafts."""
    from django.core.exceptions import ValidationError
    from wagtail.fields import StreamField

    refused = []
    for page in pages:
        latest = page.specific.get_latest_revision_as_object()
        for field in latest._meta.get_fields():
            if not isinstance(field, StreamField):
                continue
            try:
                field.stream_block.clean(getattr(latest, field.name))
            except ValidationError:
                refused.append(latest.title)
                break
    return refused


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_incomplete_pages(request, action_type, objects, action_class_instance):
    """Bulk « Publier » publishes the latest revisions without the editor's checks: a draft saved
    with an incomplete table would go live. Refuse, naming the pages to open and fix."""
    if action_type != "publish":
        return None
    refused = unpublishable_pages(objects)
    if not refused:
        return None
    from django.contrib import messages
    from django.shortcuts import redirect

    names = ", ".join(f"« {title} »" for title in refused)
    messages.error(
        request,
        f"Rien n'a été publié : {names} contien{'nent' if len(refused) > 1 else 't'} des "
        "éléments incomplets (un tableau sans titre ou sans en-tête, par exemple). Ouvrez "
        f"{'ces pages' if len(refused) > 1 else 'la page'} pour les corriger, puis publiez.",
    )
    # Only a `next` on this site: the query string is anyone's to write.
    from wagtail.admin.utils import get_valid_next_url_from_request

    return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_explore_root")

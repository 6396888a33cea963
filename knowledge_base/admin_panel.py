"""The editors' panel on the Wagtail admin home: guides due for their yearly review, pages
waiting in a workflow for the person looking, and members' experiences waiting for the union's
decision. Counts and at most PANEL_ROWS rows each, with links to the full lists."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from wagtail.models import Page, TaskState, WorkflowState

from knowledge_base.models import ExperiencePage
from knowledge_base.reports import GUIDE_REPORT_ROLES, guides_to_review
from union import roles

PANEL_ROWS = 5


def sees_editorial_panel(user) -> bool:
    """Editors, moderators and administrators: the people of the guides' reports."""
    return roles.has_union_role(user, *GUIDE_REPORT_ROLES)


def experiences_awaiting_decision():
    """Members' proposals in the « Modération de l'union » workflow, not yet approved nor sent
    back, oldest first (they have waited longest), with `submitted_at`."""
    states = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), CharField()),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    return (
        ExperiencePage.objects.annotate(submitted_at=Subquery(states.values("created_at")[:1]))
        .filter(submitted_at__isnull=False)
        .select_related("member")
        .order_by("submitted_at", "pk")
    )


def pages_awaiting_review(user):
    """Task states of pages that `user` may approve now, oldest first, as Wagtail's « En attente
    de votre vérification » finds them (TaskState.objects.reviewable_by): members' experiences
    included, so that a moderator is not told « Aucune page n'attend votre validation » above
    Wagtail's list of the experience waiting for them. The experiences' own list is the union's
    (every proposal waiting, whoever may decide)."""
    page_type = ContentType.objects.get_for_model(Page)
    return (
        TaskState.objects.reviewable_by(user)
        .filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type=page_type,
        )
        .select_related("task", "workflow_state")
        .order_by("started_at", "pk")
    )


def editorial_overview(user) -> dict:
    guides = guides_to_review()
    experiences = experiences_awaiting_decision()
    states = pages_awaiting_review(user)
    shown_states = list(states[:PANEL_ROWS])
    pages = Page.objects.in_bulk([int(state.workflow_state.object_id) for state in shown_states])
    waiting_pages = [
        {"page": pages[int(state.workflow_state.object_id)], "state": state}
        for state in shown_states
        if int(state.workflow_state.object_id) in pages
    ]
    counts = {
        "guide": guides.count(),
        "waiting": states.count(),
        "experience": experiences.count(),
    }
    shown_guides = list(guides[:PANEL_ROWS])
    for guide in shown_guides:
        # A moderator reads the guides' reports but may not edit them: the guide's page then.
        guide.editable = guide.permissions_for_user(user).can_edit()
    return {
        "guides": shown_guides,
        "waiting_pages": waiting_pages,
        "experiences": list(experiences[:PANEL_ROWS]),
        **{f"{key}_count": count for key, count in counts.items()},
        # « Et N autres » under a list cut at PANEL_ROWS.
        **{f"{key}_more": max(0, count - PANEL_ROWS) for key, count in counts.items()},
    }

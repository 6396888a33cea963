"""Session 25: a workflow on the guides approved by « Modérateurs », whose page permissions
cover the experiences only (union.services PAGE_PERMISSION_SCOPES).

The union sets it up in Paramètres › Workflows (a group-approval task for the moderators, the
workflow assigned to the guides index), an editor submits a guide, a moderator approves it.
Before, Wagtail offered the moderator « Approuver » and then refused to publish
(PublishPagePermissionError): the admin home with « Désolé, vous n'avez pas les autorisations
pour accéder à cette zone. » (a 403 from the modal), the guide stuck in moderation, nobody told.
Now the approval publishes (union.workflows.publish_approved) and the editor hears of it;
the moderators still cannot publish a guide on their own."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.models import GroupApprovalTask, PageLogEntry, Workflow, WorkflowState

from knowledge_base.models import GuidePage
from tenants.services import portal_urlconf
from tests.conftest import host_client
from tests.knowledge_base.conftest import kb_tree, make_guide, make_staff  # noqa: F401 (fixture)
from tests.union.test_html_emails_s23 import sent_to
from tests.union.test_wagtail_emails_html_s24 import guide_form, submit_guide
from union import roles
from union.workflows import publish_approved

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
REVIEW = "Relecture des guides"
TITLE = "Le budget du CCAS"


def set_up_in_the_admin(union_admin, guides) -> Workflow:
    """Paramètres › Workflows, as the union's administrator: a group-approval task for the
    moderators, then a workflow with that task, assigned to the guides index."""
    client = host_client("localhost", union_admin)
    response = client.post(
        "/admin/workflows/tasks/add/wagtailcore/groupapprovaltask/",
        {"name": REVIEW, "groups": [Group.objects.get(name=roles.MODERATOR).pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = GroupApprovalTask.objects.get(name=REVIEW)
    response = client.post(
        "/admin/workflows/add/",
        {
            "name": REVIEW,
            "workflow_tasks-TOTAL_FORMS": "1",
            "workflow_tasks-INITIAL_FORMS": "0",
            "workflow_tasks-MIN_NUM_FORMS": "0",
            "workflow_tasks-MAX_NUM_FORMS": "1000",
            "workflow_tasks-0-task": str(task.pk),
            "workflow_tasks-0-ORDER": "1",
            "workflow_tasks-0-DELETE": "",
            "workflow_tasks-0-id": "",
            "pages-TOTAL_FORMS": "1",
            "pages-INITIAL_FORMS": "0",
            "pages-MIN_NUM_FORMS": "0",
            "pages-MAX_NUM_FORMS": "1000",
            "pages-0-page": str(guides.pk),
            "pages-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    workflow = Workflow.objects.get(name=REVIEW)
    assert guides.get_workflow() == workflow
    return workflow


@pytest.fixture
def submitted(kb_tree, django_capture_on_commit_callbacks):  # noqa: F811
    """A new guide (never published) an editor submits to the moderators' workflow."""
    guides, _experiences = kb_tree
    set_up_in_the_admin(make_staff("admin@union.test", roles.UNION_ADMIN), guides)
    guide = make_guide(guides, TITLE, themes=["gouvernance-du-ccas"], live=False)
    editor = make_staff("editrice@union.test", roles.EDITOR)
    moderator = make_staff("moderateur@union.test", roles.MODERATOR)
    submit_guide(guide, editor, django_capture_on_commit_callbacks)
    # The moderators are told, and the guide awaits their review on the admin home.
    (notice,) = sent_to("moderateur@union.test")
    assert f"«{NBSP}{REVIEW}{NBSP}»" in notice.subject
    assert TITLE in host_client("localhost", moderator).get("/admin/").content.decode()
    mail.outbox.clear()
    return GuidePage.objects.get(pk=guide.pk), editor, moderator


def action_url(guide, action: str) -> str:
    state = WorkflowState.objects.for_instance(guide).get(status="in_progress")
    with portal_urlconf():
        return reverse(
            "wagtailadmin_pages:workflow_action",
            args=[guide.pk, action, state.current_task_state.pk],
        )


def no_error_on(client, path: str) -> bool:
    """The page the moderator lands on opens (the explorer of the guides sends them on to the
    pages they may explore), with no error message."""
    response = client.get(path, follow=True)
    assert response.status_code == 200
    return not [m for m in response.context["messages"] if m.level_tag == "error"]


def assert_approved_and_published(guide, moderator, portal) -> None:
    guide.refresh_from_db()
    assert guide.live and guide.title == TITLE
    assert WorkflowState.objects.for_instance(guide).get().status == "approved"
    published = PageLogEntry.objects.get(page=guide, action="wagtail.publish")
    assert published.user == moderator
    assert portal.get(f"/guides/{guide.slug}/").status_code == 200


def test_a_moderator_approves_a_guide_with_a_comment_and_it_is_published(
    submitted, portal, django_capture_on_commit_callbacks
):
    """« Approuver avec commentaire » on the admin home (« En attente de votre relecture »): the
    modal, posted the way the admin's script does (`next`: the page it was opened from)."""
    guide, _editor, moderator = submitted
    reviewer = host_client("localhost", moderator)
    url = action_url(guide, "approve")
    assert reviewer.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(
            url, {"comment": "Clair.", "next": "/admin/"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
        )
    # Before: 403 (PublishPagePermissionError), nothing approved.
    assert response.status_code == 200
    assert response.json() == {"step": "success", "redirect": "/admin/"}
    assert_approved_and_published(guide, moderator, portal)
    assert no_error_on(reviewer, "/admin/")
    # The editor who submitted it gets Wagtail's « approuvée » e-mail.
    (message,) = sent_to("editrice@union.test")
    assert message.subject == (
        f"La page «{NBSP}{TITLE}{NBSP}» a été approuvée dans «{NBSP}{REVIEW}{NBSP}»."
    )
    assert f"http://localhost/guides/{guide.slug}/" in message.body


def test_a_moderator_approves_a_guide_without_a_modal(
    submitted, portal, django_capture_on_commit_callbacks
):
    """« Approuver » on the admin home: a plain form the admin's script posts."""
    guide, _editor, moderator = submitted
    reviewer = host_client("localhost", moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(action_url(guide, "approve"), {"next": "/admin/?ok"})
    # Before: a redirect to the admin home, « Désolé, vous n'avez pas les autorisations… ».
    assert response.status_code == 302 and response["Location"] == "/admin/?ok"
    assert_approved_and_published(guide, moderator, portal)
    assert no_error_on(reviewer, "/admin/?ok")
    assert len(sent_to("editrice@union.test")) == 1


def test_a_moderator_corrects_and_approves_a_guide_in_the_editor(
    submitted, portal, django_capture_on_commit_callbacks
):
    """« Approuver » at the foot of the editor, after a correction: the corrected version goes
    online. Before, the correction was saved but the approval refused, the guide in moderation."""
    guide, _editor, moderator = submitted
    data = guide_form(guide, **{"action-workflow-action": "1", "workflow-action-name": "approve"})
    data["summary"] = "Le budget, voté avant le 15 avril."
    reviewer = host_client("localhost", moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(f"/admin/pages/{guide.pk}/edit/", data)
    # Back to the guides in the explorer (before: the admin home and « Désolé… »).
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{guide.get_parent().pk}/"
    assert_approved_and_published(guide, moderator, portal)
    assert no_error_on(reviewer, response["Location"])
    assert guide.summary == "Le budget, voté avant le 15 avril."
    assert len(sent_to("editrice@union.test")) == 1


def test_the_moderators_still_cannot_publish_a_guide_on_their_own(submitted):
    """Approving is what the union asked of them; « Publier » in the editor is not theirs."""
    guide, _editor, moderator = submitted
    response = host_client("localhost", moderator).post(
        f"/admin/pages/{guide.pk}/edit/", guide_form(guide, **{"action-publish": "1"})
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert not guide.live
    assert WorkflowState.objects.for_instance(guide).get().status == "in_progress"


def test_only_the_person_who_approved_skips_the_publish_permission(submitted):
    """Finishing a workflow otherwise (a custom call, a task disabled) keeps Wagtail's check."""
    guide, _editor, moderator = submitted
    other = make_staff("autre.moderatrice@union.test", roles.MODERATOR)
    state = WorkflowState.objects.for_instance(guide).get()
    task_state = state.current_task_state
    task_state.approve(user=moderator, update=False)
    state.refresh_from_db()
    with pytest.raises(PublishPagePermissionError):
        publish_approved(state, user=other)
    guide.refresh_from_db()
    assert not guide.live

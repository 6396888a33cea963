"""Wagtail's own « Moderators approval » workflow (eighteenth session): made by Wagtail's first
migrations on the root page for its English « Moderators » group, which setup deletes, it left
every guide, event and the home page under a task nobody but a superuser could approve. Setup
retires it; a workflow with approvers, and the union's experience moderation, stay."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Workflow, WorkflowState

from knowledge_base.models import ExperienceIndexPage
from knowledge_base.services import WORKFLOW_NAME, ensure_index_pages
from tests.conftest import host_client
from tests.knowledge_base.conftest import make_guide
from tests.union.test_admin_lockdown_s16 import staff
from union import roles
from union.services import ensure_union_groups, retire_workflows_nobody_can_approve

pytestmark = pytest.mark.django_db


def stuck_workflow() -> Workflow:
    """Wagtail's default workflow as a fresh installation has it once its group is gone."""
    workflow = Workflow.objects.get(name="Moderators approval")
    workflow.active = True
    workflow.save()
    workflow.workflow_pages.get_or_create(page_id=1)
    return workflow


def test_setup_retires_the_workflow_nobody_can_approve_and_editors_just_publish():
    guides, _experiences = ensure_index_pages()
    workflow = stuck_workflow()
    guide = make_guide(guides, "Accueillir les publics")
    assert guide.get_workflow() == workflow  # before: the dead task applies to the guide

    ensure_union_groups()

    workflow.refresh_from_db()
    assert not workflow.active and not workflow.workflow_pages.exists()
    guide.refresh_from_db()
    assert guide.get_workflow() is None
    editor = staff(roles.EDITOR, "redaction@union.test")
    edit = host_client("localhost", editor).get(f"/admin/pages/{guide.pk}/edit/").content.decode()
    assert "Soumettre à la modération" not in edit and "Publier" in edit
    # Experiences keep the union's moderation.
    experiences = ExperienceIndexPage.objects.first()
    assert experiences.get_workflow().name == WORKFLOW_NAME


def test_a_submission_stuck_in_it_is_cancelled():
    guides, _experiences = ensure_index_pages()
    stuck_workflow()
    editor = staff(roles.EDITOR, "redaction@union.test")
    guide = make_guide(guides, "Domiciliation", live=False)
    guide.save_revision(user=editor)
    state = guide.get_workflow().start(guide, editor)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    assert retire_workflows_nobody_can_approve() == ["Moderators approval"]

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_CANCELLED
    assert retire_workflows_nobody_can_approve() == []  # idempotent


def test_a_workflow_with_approvers_stays():
    ensure_index_pages()
    workflow = stuck_workflow()
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow)
    task.groups.add(Group.objects.get(name=roles.EDITOR))  # the union gave it approvers
    assert retire_workflows_nobody_can_approve() == []
    workflow.refresh_from_db()
    assert workflow.active

"""Audit A17 #3: an experience the union unpublished reads « Dépubliée par l'union » in the
member's « Nos expériences partagées », however it had been published (an approval, « Publier »
in the editor, or without any workflow); « Validée, publication programmée » only while a
publication is scheduled. Real HTTP: the moderator in the Wagtail admin, the member on its
host."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import WorkflowState

from knowledge_base.services import experience_status
from tests.conftest import host_client, make_person, member_client, plain
from tests.knowledge_base.conftest import make_experience, make_staff
from tests.knowledge_base.test_review_session14 import _experience_form
from tests.knowledge_base.test_workflow import (
    _act,
    proposal,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = "Dépubliée par l'union"


def unpublish_in_admin(moderator, page):
    """The moderator unpublishes the page in the Wagtail admin (« Dépublier »)."""
    response = host_client("localhost", moderator).post(f"/admin/pages/{page.pk}/unpublish/")
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert not page.live
    return page


def listing(member, user) -> str:
    return plain(member_client(member, user).get("/experiences/").content.decode())


def test_an_approved_experience_later_unpublished_is_not_said_scheduled(
    two_members,
    proposal,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    page, agent, moderator = proposal
    bondy, montreuil = two_members
    page = _act(moderator, page, "approve", "Très claire.", django_capture_on_commit_callbacks)
    assert page.live
    unpublish_in_admin(moderator, page)
    assert WorkflowState.objects.for_instance(page).get().status == "approved"

    status = experience_status(page)
    assert (status.code, status.label, status.comment) == ("unpublished", UNPUBLISHED, "")
    assert not status.can_revise
    html = listing(bondy, agent)
    assert UNPUBLISHED.replace("'", "&#x27;") in html
    assert "publication programmée" not in html
    assert "Très claire." not in html  # the old approval is not today's message
    assert "contactez l&#x27;union" in html  # what the member can do
    assert f"/experiences/{page.pk}/modifier/" not in html
    # Another member's list knows nothing of it.
    other = listing(montreuil, make_person(montreuil, "direction@montreuil.test"))
    assert "Des permanences" not in other and "Dépubliée" not in other
    assert member_client(bondy, agent).get(f"/experiences/{page.pk}/modifier/").status_code == 302


def test_an_experience_published_with_the_publish_button_then_unpublished(
    proposal,  # noqa: F811
    bondy,
    django_capture_on_commit_callbacks,
):
    """« Publier » cancels the workflow: once unpublished, it was not « retirée de la relecture »
    (which offers « Modifier et renvoyer »)."""
    page, agent, moderator = proposal
    with django_capture_on_commit_callbacks(execute=True):
        response = host_client("localhost", moderator).post(
            f"/admin/pages/{page.pk}/edit/", _experience_form(page, **{"action-publish": "1"})
        )
    assert response.status_code == 302
    unpublish_in_admin(moderator, page)
    assert WorkflowState.objects.for_instance(page).get().status == "cancelled"

    assert experience_status(page).code == "unpublished"
    html = listing(bondy, agent)
    assert UNPUBLISHED.replace("'", "&#x27;") in html
    assert "Retirée de la relecture" not in html and "Modifier et renvoyer" not in html


def test_an_experience_published_without_workflow_then_unpublished_is_no_draft(
    kb_tree, bondy, django_capture_on_commit_callbacks
):
    _, experiences = kb_tree
    page = make_experience(experiences, bondy, "Un jardin partagé au foyer-logement")
    moderator = make_staff("moderateur@union.test")
    unpublish_in_admin(moderator, page)

    assert experience_status(page).code == "unpublished"
    html = listing(bondy, make_person(bondy, "direction@bondy.test"))
    assert UNPUBLISHED.replace("'", "&#x27;") in html and "Brouillon" not in html


def test_a_scheduled_approval_still_reads_publication_programmee(
    proposal,  # noqa: F811
    bondy,
    django_capture_on_commit_callbacks,
):
    page, agent, moderator = proposal
    draft = page.get_latest_revision_as_object()
    draft.go_live_at = timezone.now() + datetime.timedelta(days=3)
    draft.save_revision(user=moderator)
    page = _act(moderator, page, "approve", "Parfait.", django_capture_on_commit_callbacks)
    assert not page.live and page.scheduled_revision is not None

    status = experience_status(page)
    assert (status.code, status.label, status.comment) == (
        "scheduled",
        "Validée, publication programmée",
        "Parfait.",
    )
    assert "Validée, publication programmée" in listing(bondy, agent)

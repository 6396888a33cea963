"""A document follows the privacy of the pages using it as soon as the editor publishes, without
waiting for the background worker (`manage.py db_worker`) that updates Wagtail's reference index
in production.

Tasks are queued in PostgreSQL as in production and no worker runs: Wagtail's reference-index
tasks stay in the queue for the whole test. Editors publish and set privacy in the Wagtail admin;
documents are downloaded over HTTP."""

import pytest
from django.core.checks import Error, run_checks
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction
from wagtail.tasks import update_reference_index_task

from tests.conftest import host_client, make_person
from tests.knowledge_base.conftest import edit_guide_in_admin, make_document, make_guide, make_staff
from union import roles
from union.settings.base import TASK_BACKENDS

pytestmark = pytest.mark.django_db

REFERENCE_TASK = "wagtail.tasks.update_reference_index_task"


@pytest.fixture(autouse=True)
def database_queue(settings):
    """Production's queue (autouse: set before the pages of the other fixtures are created)."""
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}


@pytest.fixture
def editor():
    return host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))


@pytest.fixture
def member(bondy):
    return host_client("localhost", make_person(bondy, "direction@bondy.test"))


def publish_with_document(editor, guide, document) -> None:
    """The editor adds a « Document à télécharger » block to the guide and presses Publish."""
    response = edit_guide_in_admin(
        editor,
        guide,
        [("document", {"document": document.pk, "title": "", "description": ""})],
    )
    assert response.status_code == 302, response.context["form"].errors
    guide.refresh_from_db()
    assert guide.live and not guide.has_unpublished_changes


def reserve_to_signed_in_people(editor, guide) -> None:
    """« Confidentialité » → « Personnes connectées » in the admin."""
    response = editor.post(f"/admin/pages/{guide.pk}/privacy/", {"restriction_type": "login"})
    assert response.status_code == 200  # the modal's JSON answer
    assert PageViewRestriction.objects.filter(page=guide, restriction_type="login").exists()


def assert_no_worker_ran() -> None:
    """Wagtail queued its reference-index updates; nothing has run them."""
    statuses = set(
        DBTaskResult.objects.filter(task_path=REFERENCE_TASK).values_list("status", flat=True)
    )
    assert statuses == {"READY"}


def assert_refused_to_anonymous(portal, document) -> None:
    refused = portal.get(document.download_url)
    assert refused.status_code == 302
    assert refused["Location"].startswith("/connexion/?next=")


def test_a_document_added_to_a_members_only_guide_is_private_at_once(
    kb_tree, editor, member, portal
):
    guide = make_guide(kb_tree[0], "Les cent premiers jours d'un mandat")
    reserve_to_signed_in_people(editor, guide)
    document = make_document("feuille-de-route")

    publish_with_document(editor, guide, document)

    assert_no_worker_ran()
    assert_refused_to_anonymous(portal, document)
    served = member.get(document.download_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF-1.4 contenu"


def test_a_guide_made_private_protects_its_documents_at_once(kb_tree, editor, member, portal):
    guide = make_guide(kb_tree[0], "Préparer le budget du CCAS")
    document = make_document("trame-budgetaire")
    publish_with_document(editor, guide, document)
    assert portal.get(document.download_url).status_code == 200  # a public guide's document

    reserve_to_signed_in_people(editor, guide)

    assert_no_worker_ran()
    assert_refused_to_anonymous(portal, document)
    assert member.get(document.download_url).status_code == 200


def test_a_document_published_with_a_public_guide_is_served_at_once(kb_tree, editor, portal):
    """The document was so far used only on a members-only guide, and the worker had indexed
    that: published on a public guide too, anyone may download it at once."""
    members_only = make_guide(kb_tree[0], "Note aux administrateurs")
    reserve_to_signed_in_people(editor, members_only)
    document = make_document("modele-de-reglement")
    publish_with_document(editor, members_only, document)
    # What the worker does with the task queued by that publication:
    update_reference_index_task.call("knowledge_base", "guidepage", str(members_only.pk))
    DBTaskResult.objects.filter(task_path=REFERENCE_TASK).delete()
    assert_refused_to_anonymous(portal, document)

    public_guide = make_guide(kb_tree[0], "Rédiger le règlement intérieur")
    publish_with_document(editor, public_guide, document)

    assert_no_worker_ran()
    served = portal.get(document.download_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF-1.4 contenu"


def test_serving_documents_directly_from_storage_is_refused(settings):
    """`WAGTAILDOCS_SERVE_METHOD = "direct"` links to the files themselves: no check would run."""
    settings.WAGTAILDOCS_SERVE_METHOD = "direct"
    errors = [message for message in run_checks() if message.id == "knowledge_base.E001"]
    assert len(errors) == 1 and isinstance(errors[0], Error)
    assert "WAGTAILDOCS_SERVE_METHOD" in errors[0].msg

    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"
    assert not [message for message in run_checks() if message.id == "knowledge_base.E001"]


def test_a_document_added_only_in_a_draft_is_served_once_the_draft_is_published(
    kb_tree, editor, member, portal
):
    """Wagtail's reference index holds what pages show: a document added in a published guide's
    new draft was used on « no page », hence public, before the editor published it."""
    guide = make_guide(kb_tree[0], "Accueillir les personnes sans domicile")
    document = make_document("projet-de-convention")
    unrelated = make_document("lettre-d-information")  # linked from a newsletter, on no page

    response = edit_guide_in_admin(
        editor,
        guide,
        [("document", {"document": document.pk, "title": "", "description": ""})],
        publish=False,
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.live and guide.has_unpublished_changes

    assert_refused_to_anonymous(portal, document)
    refused = member.get(document.download_url)
    assert refused.status_code == 403
    assert "Ce document n&#x27;est pas encore publié." in refused.content.decode()
    assert editor.get(document.download_url).status_code == 200  # staff preview their drafts
    assert portal.get(unrelated.download_url).status_code == 200

    publish_with_document(editor, guide, document)
    assert portal.get(document.download_url).status_code == 200

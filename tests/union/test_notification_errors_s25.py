"""Session 25: a moderation notification whose template fails is logged, not lost.

Wagtail renders each recipient's e-mail inside OpenedConnection, whose __exit__ returns a truthy
value: the exception vanished, no e-mail, no log, and the recipients after the failing one got
nothing either. union.notifications puts its notifiers in place of Wagtail's: the failure is
logged with its traceback on "wagtail.admin" (console and ADMINS), the other reviewers still get
theirs. Triggered the real way: an editor's « Soumettre à la validation » in the admin."""

import copy
import logging

import pytest
from django.urls import NoReverseMatch

from tests.knowledge_base.conftest import kb_tree, make_guide, make_staff  # noqa: F401 (fixture)
from tests.union.test_html_emails_s23 import sent_to
from tests.union.test_wagtail_emails_html_s24 import review_pages_by, submit_guide
from union import roles

pytestmark = pytest.mark.django_db
REVIEW = "Relecture des guides"
BROKEN = "casse@union.test"
# The moderators' e-mail as a site might override it, broken for one recipient only.
FAILING_TEXT = (
    '{% if user.email == "' + BROKEN + '" %}{% url "pas-de-vue" %}{% endif %}'
    "Bonjour, la page {{ page.title }} attend une validation."
)


@pytest.fixture
def reviewers(kb_tree):  # noqa: F811
    """The union reviews its guides: two administrators in the task's group."""
    guides, _experiences = kb_tree
    review_pages_by(guides, roles.UNION_ADMIN, REVIEW)
    make_staff(BROKEN, roles.UNION_ADMIN)
    make_staff("relectrice@union.test", roles.UNION_ADMIN)
    return guides


def submit(guides, capture):
    guide = make_guide(guides, "Le budget du CCAS", themes=["gouvernance-du-ccas"])
    submit_guide(guide, make_staff("editrice@union.test", roles.EDITOR), capture)
    return guide


@pytest.fixture
def failing_template(settings):
    """The task's text template fails for BROKEN (a {% url %} to no view)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["APP_DIRS"] = False
    templates[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.locmem.Loader",
            {"wagtailadmin/notifications/task_state_submitted.txt": FAILING_TEXT},
        ),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = templates


def errors(caplog) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "wagtail.admin" and record.levelno >= logging.ERROR
    ]


def test_a_failing_notification_template_is_logged_and_the_others_still_go(
    reviewers, failing_template, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.ERROR, logger="wagtail.admin"):
        submit(reviewers, django_capture_on_commit_callbacks)
    # Before: no record at all, and no e-mail for whoever came after BROKEN.
    (record,) = errors(caplog)
    assert record.getMessage() == f"Moderation notification 'submitted' not sent to {BROKEN}"
    assert record.exc_info and record.exc_info[0] is NoReverseMatch
    assert not sent_to(BROKEN)
    (message,) = sent_to("relectrice@union.test")
    assert message.body == "Bonjour, la page Le budget du CCAS attend une validation."


def test_the_normal_path_still_sends_once_in_text_and_html(
    reviewers, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.ERROR, logger="wagtail.admin"):
        guide = submit(reviewers, django_capture_on_commit_callbacks)
    assert errors(caplog) == []
    for address in (BROKEN, "relectrice@union.test"):
        (message,) = sent_to(address)  # once: Wagtail's notifier is no longer connected
        assert "Le budget du CCAS" in message.subject
        assert message.body.startswith("Bonjour ")
        ((html, mimetype),) = message.alternatives
        assert mimetype == "text/html" and f"/admin/pages/{guide.pk}/edit/" in html

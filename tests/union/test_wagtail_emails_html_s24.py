"""Session 24: the e-mails Wagtail sends itself go in text AND HTML, in the platform's frame.

Wagtail's moderation notifications (WAGTAILADMIN_NOTIFICATION_USE_HTML, our
templates/wagtailadmin/notifications/) and the admin's « Mot de passe oublié »
(union.password_reset.AdminPasswordResetForm) each get one text/html alternative in the frame of
templates/union/email/layout.html (lang="fr", the subject as title and heading, the platform at
the foot), in French, with their main link as a button on WAGTAILADMIN_BASE_URL whose address is
also written out, that link opening the right screen, the text part still there and saying the
same, and what people typed (titles, names, comments) escaped in the HTML and left alone in the
text. Every e-mail is triggered the real way: a member's proposal on its host, an editor's
« Soumettre à la validation » and a reviewer's decisions and comments in the admin, the admin's
reset form."""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from knowledge_base.models import ExperiencePage, GuidePage, Theme
from knowledge_base.services import TASK_NAME, WORKFLOW_NAME
from tenants.models import Membership
from tenants.services import portal_urlconf
from tests.conftest import PASSWORD, host_client, make_person, member_client
from tests.knowledge_base.conftest import kb_tree, make_guide, make_staff  # noqa: F401 (fixture)
from tests.knowledge_base.test_workflow import FORM
from tests.union.test_html_emails_s23 import (
    ESCAPED,
    TYPED,
    button,
    framed,
    html_of,
    sent_to,
    words,
)
from union import roles
from union.formats import of_union

pytestmark = pytest.mark.django_db
User = get_user_model()
NBSP = "\u00a0"
TITLE = "Le <b>budget</b> du CCAS"  # a title as an editor or a member typed it
TITLE_ESCAPED = "Le &lt;b&gt;budget&lt;/b&gt; du CCAS"
COMMENT = "<b>Revoir</b> le budget.\nMerci."
REVIEW = "Relecture des guides"


def edit_path(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def admin_link(page) -> str:
    return f"http://localhost{edit_path(page)}"  # WAGTAILADMIN_BASE_URL of the test settings


def common_parts(message) -> None:
    """What every notification carries besides its content, in both parts: the greeting in
    French (Wagtail's says « Salut »), the link to the notification preferences; and the frame."""
    soup = framed(message)
    html = words(soup)
    assert soup.h1.find_next("p").get_text().startswith("Bonjour ")
    assert message.body.startswith("Bonjour ")
    for part in (words(message.body), html):
        assert "Salut" not in part
        assert (
            "Choisir les notifications que vous recevez : "
            "http://localhost/admin/account/#tab-notifications" in part
        )
    assert message.extra_headers.get("Auto-Submitted") == "auto-generated"


def text_as_typed(message) -> None:
    """The text part is text: nothing escaped for HTML in it."""
    assert "&lt;" not in message.body and "&#x27;" not in message.body and "<p" not in message.body


def opens(client, link: str) -> None:
    """The link's page opens, for the person the e-mail went to."""
    assert link.startswith("http://localhost/")
    assert client.get(link.removeprefix("http://localhost")).status_code == 200


# --- A member's proposal, to the moderators -------------------------------------------------


def test_a_members_proposal_reaches_the_moderators_and_superusers_in_html(
    kb_tree,  # noqa: F811
    bondy,
    django_capture_on_commit_callbacks,
):
    moderator = make_staff("moderateur@union.test")
    chief = User.objects.create_superuser("chef@union.test", "chef@union.test", PASSWORD)
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    agent.first_name, agent.last_name = TYPED, "Agent"
    agent.save(update_fields=["first_name", "last_name"])
    data = {**FORM, "title": TITLE, "themes": [Theme.objects.get(slug="acces-aux-droits").pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client(bondy, agent).post("/experiences/proposer/", data)
    assert response.status_code == 302
    page = ExperiencePage.objects.get(title=TITLE)

    # The moderators' group: a version to validate, the button to the admin's editor.
    (to_moderator,) = sent_to("moderateur@union.test")
    assert to_moderator.subject == (
        f"La page «{NBSP}{TITLE}{NBSP}» a été soumise pour validation dans la tâche "
        f"«{NBSP}{TASK_NAME}{NBSP}»."
    )
    common_parts(to_moderator)
    soup = framed(to_moderator)
    html = html_of(to_moderator)
    assert TITLE_ESCAPED in html and TITLE not in html
    assert button(soup, "Relire dans l'administration") == admin_link(page)
    sentence = f"Une nouvelle version de la page « {TITLE} » attend une validation à l'étape « {TASK_NAME} »."
    assert sentence in words(soup) and sentence in words(to_moderator.body)
    preview = soup.find("a", string=re.compile("/admin/pages/workflow/preview/"))["href"]
    assert preview.startswith(f"http://localhost/admin/pages/workflow/preview/{page.pk}/")
    # The text says the same, typed title as typed.
    body = to_moderator.body
    assert f"Bonjour {moderator.email}," in body
    assert admin_link(page) in body and preview in body
    text_as_typed(to_moderator)
    reviewer = host_client("localhost", moderator)
    opens(reviewer, admin_link(page))
    opens(reviewer, preview)

    # Superusers hear of the moderation task, and of the workflow started, by whom.
    to_chief = {message.subject: message for message in sent_to("chef@union.test")}
    assert to_moderator.subject in to_chief
    started = to_chief[
        f"La page «{NBSP}{TITLE}{NBSP}» a été soumise dans le workflow «{NBSP}{WORKFLOW_NAME}{NBSP}»."
    ]
    common_parts(started)
    soup = framed(started)
    html = html_of(started)
    assert ESCAPED in html and TYPED not in html and TITLE not in html
    sentence = (
        f"{TYPED} Agent a demandé la validation de la page « {TITLE} », "
        f"dans le workflow « {WORKFLOW_NAME} »."
    )
    assert sentence in words(soup) and sentence in words(started.body)
    assert button(soup, "Ouvrir dans l'administration") == admin_link(page)
    opens(host_client("localhost", chief), admin_link(page))
    # The member's own acknowledgement is untouched (union.mail.send_templated).
    (acknowledged,) = sent_to("agent@bondy.test")
    assert "bien été reçue" in acknowledged.subject


# --- A guide in the admin: submitted, commented, sent back, approved -----------------------


def guide_form(guide, **extra) -> dict:
    """The Wagtail editor's form of a guide, as it stands, with `extra` (actions, a comment)."""
    data = nested_form_data(
        {
            "title": guide.title,
            "slug": guide.slug,
            "summary": guide.summary,
            "last_reviewed": f"{guide.last_reviewed:%Y-%m-%d}",
            "authors": inline_formset([]),
            "comments": extra.pop("comments", inline_formset([])),
            "body": streamfield([("rich_text", rich_text("<p>Le budget se vote en mars.</p>"))]),
        }
    )
    data["themes"] = [theme.pk for theme in guide.themes.all()]
    return {**data, **extra}


def review_pages_by(parent, group_name: str, name: str) -> Workflow:
    """A workflow as the union sets one up in Paramètres › Workflows: one group-approval task
    for `group_name`, on `parent` and its children."""
    task = GroupApprovalTask.objects.create(name=name)
    task.groups.add(Group.objects.get(name=group_name))
    workflow = Workflow.objects.create(name=name)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=parent, workflow=workflow)
    return workflow


def submit_guide(guide, editor, capture, **extra) -> None:
    """The editor's « Soumettre à … » in the page editor, over HTTP; the workflow starts."""
    with capture(execute=True):
        response = host_client("localhost", editor).post(
            edit_path(guide), guide_form(guide, **{"action-submit": "1", **extra})
        )
    assert response.status_code == 302
    assert WorkflowState.objects.for_instance(guide).get().status == "in_progress"


@pytest.fixture
def submitted(kb_tree, django_capture_on_commit_callbacks):  # noqa: F811
    """The union reviews its guides (a workflow set up as in Paramètres › Workflows: one
    group-approval task for its administrators); an editor submits one, following its comments."""
    guides, _experiences = kb_tree
    review_pages_by(guides, roles.UNION_ADMIN, REVIEW)
    guide = make_guide(guides, TITLE, themes=["gouvernance-du-ccas"])
    editor = make_staff("editrice@union.test", roles.EDITOR)
    editor.first_name, editor.last_name = TYPED, "Éditrice"
    editor.save(update_fields=["first_name", "last_name"])
    reviewer = make_staff("relectrice@union.test", roles.UNION_ADMIN)
    submit_guide(guide, editor, django_capture_on_commit_callbacks, comment_notifications="on")
    return GuidePage.objects.get(pk=guide.pk), editor, reviewer


def decide(reviewer, guide, action: str, comment: str, capture) -> None:
    state = WorkflowState.objects.for_instance(guide).get(status="in_progress")
    with portal_urlconf():
        url = reverse(
            "wagtailadmin_pages:workflow_action",
            args=[guide.pk, action, state.current_task_state.pk],
        )
    with capture(execute=True):
        response = host_client("localhost", reviewer).post(url, {"comment": comment})
    assert response.status_code == 302 and response["Location"] == edit_path(guide)


def test_an_editors_submission_reaches_the_reviewers_in_html(submitted):
    guide, _editor, reviewer = submitted
    (message,) = sent_to("relectrice@union.test")
    common_parts(message)
    soup = framed(message)
    assert TITLE_ESCAPED in html_of(message) and TITLE not in html_of(message)
    assert f"à l'étape « {REVIEW} »" in words(soup)
    assert button(soup, "Relire dans l'administration") == admin_link(guide)
    opens(host_client("localhost", reviewer), admin_link(guide))
    assert not sent_to("editrice@union.test")  # Wagtail does not tell the submitter


def test_a_reviewers_comment_reaches_the_editor_in_html(
    submitted, django_capture_on_commit_callbacks
):
    guide, editor, reviewer = submitted
    mail.outbox.clear()
    new = {"contentpath": "title", "text": COMMENT, "position": "", "resolved": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = host_client("localhost", reviewer).post(
            edit_path(guide),
            guide_form(guide, comments=inline_formset([{**new, "replies": inline_formset([])}])),
        )
    assert response.status_code == 302
    (message,) = sent_to("editrice@union.test")
    assert message.subject == (
        f"relectrice@union.test a mis à jour des commentaires sur la page «{NBSP}{TITLE}{NBSP}»"
    )
    common_parts(message)
    soup = framed(message)
    html = html_of(message)
    assert "&lt;b&gt;Revoir&lt;/b&gt; le budget.<br>Merci." in html and "<b>Revoir" not in html
    assert ESCAPED in html and TYPED not in html  # « Bonjour <b>Nina</b> Éditrice, »
    text = words(soup)
    assert f"relectrice@union.test a mis à jour des commentaires sur la page « {TITLE} »." in text
    assert f"Nouveaux commentaires : {words(COMMENT)}" in text  # shown as typed
    assert button(soup, "Voir les commentaires") == admin_link(guide)
    body = message.body
    assert body.startswith(f"Bonjour {TYPED} Éditrice,")
    assert f"Nouveaux commentaires{NBSP}:\n- «{NBSP}{COMMENT}{NBSP}»" in body
    assert admin_link(guide) in body
    opens(host_client("localhost", editor), admin_link(guide))


def test_changes_requested_reach_the_editor_in_html(submitted, django_capture_on_commit_callbacks):
    guide, editor, reviewer = submitted
    reviewer.first_name, reviewer.last_name = "<i>Rose</i>", "Relectrice"
    reviewer.save(update_fields=["first_name", "last_name"])
    mail.outbox.clear()
    decide(reviewer, guide, "reject", COMMENT, django_capture_on_commit_callbacks)
    assert WorkflowState.objects.for_instance(guide).get().status == "needs_changes"

    (message,) = sent_to("editrice@union.test")
    soup = framed(message)
    # Wagtail's French said « La page … a été rejeté » (sic); the admin says « Demander des
    # modifications ».
    assert message.subject == f"Modifications demandées sur la page «{NBSP}{TITLE}{NBSP}»"
    common_parts(message)
    html = html_of(message)
    assert "&lt;b&gt;Revoir&lt;/b&gt; le budget.<br>Merci." in html and "<b>Revoir" not in html
    assert "&lt;i&gt;Rose&lt;/i&gt; Relectrice" in html and "<i>Rose" not in html
    assert ESCAPED in html and TYPED not in html and TITLE not in html
    sentence = (
        f"<i>Rose</i> Relectrice demande des modifications sur la page « {TITLE} », "
        f"à l'étape « {REVIEW} » du workflow « {REVIEW} »."
    )
    assert sentence in words(soup) and sentence in words(message.body)
    assert f"Commentaire : {words(COMMENT)}" in words(soup)  # shown as typed
    assert button(soup, "Modifier dans l'administration") == admin_link(guide)
    body = message.body
    assert body.startswith(f"Bonjour {TYPED} Éditrice,")
    assert f"Commentaire{NBSP}:\n{COMMENT}\n" in body and admin_link(guide) in body
    text_as_typed(message)
    opens(host_client("localhost", editor), admin_link(guide))


def test_an_approval_reaches_the_editor_in_html(
    submitted, portal, django_capture_on_commit_callbacks
):
    guide, editor, reviewer = submitted
    mail.outbox.clear()
    decide(reviewer, guide, "approve", "Parfait.", django_capture_on_commit_callbacks)
    guide.refresh_from_db()
    assert guide.live

    (message,) = sent_to("editrice@union.test")
    assert message.subject == (
        f"La page «{NBSP}{TITLE}{NBSP}» a été approuvée dans «{NBSP}{REVIEW}{NBSP}»."
    )
    common_parts(message)
    soup = framed(message)
    assert TITLE_ESCAPED in html_of(message) and TITLE not in html_of(message)
    sentence = (
        f"Votre demande de validation de la page « {TITLE} » a été approuvée "
        f"dans le workflow « {REVIEW} »."
    )
    assert sentence in words(soup) and sentence in words(message.body)
    public = button(soup, "Voir la page")
    assert public == f"http://localhost/guides/{guide.slug}/"
    assert portal.get(f"/guides/{guide.slug}/").status_code == 200
    assert soup.find("a", href=admin_link(guide), string=admin_link(guide)) is not None
    assert public in message.body and admin_link(guide) in message.body
    text_as_typed(message)
    opens(host_client("localhost", editor), admin_link(guide))


# --- The admin's « Mot de passe oublié » ------------------------------------------------------


def test_the_admin_password_reset_e_mail_is_html(django_capture_on_commit_callbacks):
    User.objects.create_user(TYPED, "nina@udccas.test", PASSWORD)  # a username typed by someone
    forged = Client(HTTP_HOST="localhost:31337")  # the link comes from the settings
    with django_capture_on_commit_callbacks(execute=True):
        response = forged.post("/admin/password_reset/", {"email": "nina@udccas.test"})
    assert response.status_code == 302

    (message,) = sent_to("nina@udccas.test")
    assert message.subject == "Réinitialisation du mot de passe"
    # The text says what the HTML says, and the username as typed (Wagtail's escaped it).
    body = " ".join(message.body.split())
    assert f"pour l'administration {of_union(settings.PLATFORM_NAME)}." in body
    link = re.search(r"https?://\S+/password_reset/confirm/\S+/\S+/", message.body).group(0)
    assert link.startswith("http://localhost/admin/password_reset/confirm/")
    assert f"Votre nom d'utilisateur (au cas où vous l'auriez perdu) : {TYPED}" in body
    assert ESCAPED not in message.body
    assert "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message." in body
    # Its HTML, in the frame, the same link as a button.
    soup = framed(message)
    html = html_of(message)
    assert button(soup, "Choisir un nouveau mot de passe") == link
    assert "31337" not in html and "31337" not in message.body
    text = words(soup)
    assert f"pour l'administration {of_union(settings.PLATFORM_NAME)}." in text
    assert f"Votre nom d'utilisateur (au cas où vous l'auriez perdu) : {TYPED}" in text
    assert ESCAPED in html and TYPED not in html
    assert "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message." in text
    # The button's link is the real one: it leads to the form choosing the new password.
    reset_form = host_client("localhost").get(link.removeprefix("http://localhost"), follow=True)
    assert "new_password1" in reset_form.content.decode()


def test_a_notification_we_did_not_rewrite_still_renders_in_the_frame(submitted):
    """Wagtail's task_state_approved (sent by no handler of Wagtail's, but a custom notifier
    could): our base gives it the frame, the French greeting and a generic heading."""
    guide, editor, _reviewer = submitted
    task = GroupApprovalTask.objects.get(name=REVIEW)
    context = {"settings": settings, "page": guide, "object": guide, "task": task, "user": editor}
    with portal_urlconf():  # as in the admin's requests, where Wagtail sends them
        html = render_to_string("wagtailadmin/notifications/task_state_approved.html", context)
        text = render_to_string("wagtailadmin/notifications/task_state_approved.txt", context)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "fr" and soup.h1.get_text() == "Notification de l'administration"
    assert soup.find_all("p")[-1].get_text() == settings.PLATFORM_NAME
    assert ESCAPED in html and TITLE_ESCAPED in html and TITLE not in html
    assert soup.find("a", href=admin_link(guide)) is not None
    assert text.strip().startswith(f"Bonjour {TYPED} Éditrice,") and admin_link(guide) in text

"""Audit A9, finding 5: the same POST arriving twice (a slow answer clicked again, a browser
sending it again) does its action once (union.submit_once): « Écrire aux inscrits » sends one
set of messages, « Proposer une expérience » makes one page in moderation."""

import html
import re

import pytest
from django.core import mail

from knowledge_base.models import ExperiencePage, Theme
from seminars.services import register_person
from tenants.models import Membership
from tests.conftest import host_client, make_person, member_client, plain
from tests.knowledge_base.conftest import kb_tree, make_staff  # noqa: F401 (fixture)
from tests.knowledge_base.test_workflow import FORM
from tests.seminars.conftest import make_seminar, organiser, person
from union.models import AuditEntry
from union.submit_once import FORM_ID_FIELD

pytestmark = pytest.mark.django_db


def form_id(response) -> str:
    """The one-time id the page's form carries."""
    match = re.search(rf'name="{FORM_ID_FIELD}" value="([^"]+)"', response.content.decode())
    assert match, "the form carries no one-time id"
    return match.group(1)


def shown(client, response) -> str:
    """The page a redirect leads to, as read."""
    assert response.status_code == 302
    return plain(html.unescape(client.get(response["Location"]).content.decode()))


def test_writing_to_the_registrants_twice_with_the_same_form_sends_once(
    django_capture_on_commit_callbacks,
):
    seminar = make_seminar()
    for number in (1, 2):
        register_person(seminar, person(number), notify=False)
    staff = host_client("localhost", organiser())
    url = f"/admin/inscriptions/{seminar.pk}/ecrire/"
    opened = staff.get(url)
    data = {
        "subject": "Plan d'accès",
        "body": "Le parking est fermé.",
        "statuses": ["confirmed"],
        FORM_ID_FIELD: form_id(opened),
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = staff.post(url, data)
    assert "Message en cours d'envoi à 2 personnes." in shown(staff, first)
    with django_capture_on_commit_callbacks(execute=True):
        second = staff.post(url, data)
    page = shown(staff, second)
    assert "Ce message a déjà été envoyé à 2 personnes le " in page
    assert sorted(m.to[0] for m in mail.outbox) == [
        "personne1@exemple.fr",
        "personne2@exemple.fr",
    ]
    assert AuditEntry.objects.filter(action="seminar.emailed").count() == 1

    # The form opened again is a new one: the same words may be sent on purpose.
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url, {**data, FORM_ID_FIELD: form_id(staff.get(url))})
    assert len(mail.outbox) == 4


@pytest.mark.usefixtures("kb_tree")
def test_proposing_an_experience_twice_with_the_same_form_makes_one_page(
    bondy, django_capture_on_commit_callbacks
):
    make_staff("moderateur@union.test")
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = member_client(bondy, agent)
    opened = client.get("/experiences/proposer/")
    data = {
        **FORM,
        "themes": [Theme.objects.get(slug="acces-aux-droits").pk],
        FORM_ID_FIELD: form_id(opened),
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/experiences/proposer/", data)
    assert "Votre expérience a été transmise à l'union." in shown(client, first)
    sent = len(mail.outbox)  # the acknowledgement and the moderators' notification
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post("/experiences/proposer/", data)
    page = shown(client, second)
    assert "Cette expérience a déjà été proposée le " in page
    assert ExperiencePage.objects.filter(title=FORM["title"]).count() == 1
    assert len(mail.outbox) == sent
    assert AuditEntry.objects.filter(action="experience.proposed").count() == 1

"""The experience workflow end to end: a member proposes on its host, a moderator approves or
rejects in the Wagtail admin on the portal, the proposer is emailed and sees the status."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState

from knowledge_base.models import ExperiencePage
from knowledge_base.services import WORKFLOW_NAME
from tenants.models import Membership
from tenants.services import portal_urlconf
from tests.conftest import host_client, make_person, member_client
from tests.knowledge_base.conftest import make_staff

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Des permanences d'accès aux droits au marché",
    "summary": "Chaque samedi, un agent du CCAS tient un stand au marché.",
    "themes": [],  # filled with a theme id in the test
    "audiences": ["agents", "elus"],
    "start_date": "2025-09-06",
    "context": "Beaucoup d'habitants ne viennent jamais au CCAS.",
    "description": "Un stand, une tablette, des rendez-vous pris sur place.",
    "objectives": "Aller vers les personnes qui renoncent à leurs droits.",
    "publics": "Habitants du quartier, seniors.",
    "partners": "CAF, CPAM, associations du marché.",
    "budget": "3 000 € par an (stand, tablette).",
    "results": "240 personnes reçues la première année.",
    "contact_name": "Nadia Benali",
    "contact_role": "Responsable de l'accueil",
    "contact_email": "accueil@bondy.test",
    "contact_phone": "01 48 00 00 00",
}


@pytest.fixture
def proposal(kb_tree, bondy, django_capture_on_commit_callbacks):
    """Bondy's agent proposes an experience through the member-host form."""
    from knowledge_base.models import Theme

    moderator = make_staff("moderateur@union.test")
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    data = {**FORM, "themes": [Theme.objects.get(slug="acces-aux-droits").pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client(bondy, agent).post("/experiences/proposer/", data)
    assert response.status_code == 302 and response["Location"] == "/experiences/"
    page = ExperiencePage.objects.get(title=FORM["title"])
    return page, agent, moderator


def _act(moderator, page, action, comment, capture):
    state = WorkflowState.objects.for_instance(page).get(status="in_progress")
    with portal_urlconf():
        url = reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, action, state.current_task_state.pk],
        )
    with capture(execute=True):
        response = host_client("localhost", moderator).post(url, {"comment": comment})
    assert response.status_code == 302
    page.refresh_from_db()
    return page


def test_proposal_arrives_as_draft_in_moderation(proposal, bondy, portal):
    page, agent, moderator = proposal
    assert not page.live and page.member == bondy and page.proposed_by == agent
    assert page.audiences == ["agents", "elus"] and page.budget == FORM["budget"]
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == "in_progress" and state.workflow.name == WORKFLOW_NAME
    # The proposer is acknowledged; Wagtail tells the moderators, with portal admin links.
    to_agent = [m for m in mail.outbox if m.to == ["agent@bondy.test"]]
    assert to_agent and "bien été reçue" in to_agent[0].subject
    assert "http://bondy.localhost/experiences/" in to_agent[0].body
    to_moderator = [m for m in mail.outbox if m.to == ["moderateur@union.test"]]
    assert to_moderator and f"/admin/pages/{page.pk}/" in to_moderator[0].body
    # Not public yet; the member space shows the status.
    assert portal.get(page.url_path.replace("/accueil", "")).status_code == 404
    listing = member_client(bondy, agent).get("/experiences/").content.decode()
    assert FORM["title"].replace("'", "&#x27;") in listing and "En cours de modération" in listing
    # The moderator sees it in the admin.
    admin_page = host_client("localhost", moderator).get(f"/admin/pages/{page.pk}/edit/")
    assert admin_page.status_code == 200


def test_moderator_approves_then_published_visible_and_emailed(
    proposal, bondy, portal, django_capture_on_commit_callbacks
):
    page, agent, moderator = proposal
    mail.outbox.clear()
    page = _act(
        moderator, page, "approve", "Bravo, fiche très claire.", django_capture_on_commit_callbacks
    )
    assert page.live
    public = portal.get("/experiences/des-permanences-dacces-aux-droits-au-marche/")
    assert public.status_code == 200 and "240 personnes reçues" in public.content.decode()
    assert "Des permanences" in portal.get("/experiences/").content.decode()
    [email] = [m for m in mail.outbox if m.to == ["agent@bondy.test"]]
    assert "publiée" in email.subject and "Bravo, fiche très claire." in email.body
    assert "://localhost/experiences/des-permanences-dacces-aux-droits-au-marche/" in email.body
    listing = member_client(bondy, agent).get("/experiences/").content.decode()
    assert "Publiée" in listing


def test_moderator_rejects_with_comment(
    proposal, bondy, portal, django_capture_on_commit_callbacks
):
    page, agent, moderator = proposal
    mail.outbox.clear()
    comment = "Merci de retirer les noms des bénéficiaires."
    page = _act(moderator, page, "reject", comment, django_capture_on_commit_callbacks)
    assert not page.live
    [email] = [m for m in mail.outbox if m.to == ["agent@bondy.test"]]
    assert "pas été retenue" in email.subject and comment in email.body
    listing = member_client(bondy, agent).get("/experiences/").content.decode()
    assert "À modifier" in listing and "retirer les noms" in listing
    assert f'href="/experiences/{page.pk}/modifier/"' in listing
    assert "Modifier et renvoyer" in email.body
    assert "Des permanences" not in portal.get("/experiences/").content.decode()


def _theme_id() -> int:
    from knowledge_base.models import Theme

    return Theme.objects.get(slug="acces-aux-droits").pk


def _sent_back(proposal, capture):
    page, agent, moderator = proposal
    _act(moderator, page, "reject", "Merci de retirer les noms des bénéficiaires.", capture)
    mail.outbox.clear()
    return page, agent, moderator


def test_a_sent_back_experience_is_corrected_and_goes_back_to_moderation(
    proposal, bondy, portal, django_capture_on_commit_callbacks
):
    page, agent, moderator = _sent_back(proposal, django_capture_on_commit_callbacks)
    client = member_client(bondy, agent)
    form = client.get(f"/experiences/{page.pk}/modifier/").content.decode()
    assert "Merci de retirer les noms des bénéficiaires." in form  # the moderator's message
    assert "240 personnes reçues la première année." in form  # what was written, to correct
    revised = {**FORM, "themes": [_theme_id()], "results": "Près de 240 habitants."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/experiences/{page.pk}/modifier/", revised)
    assert response.status_code == 302 and response["Location"] == "/experiences/"
    state = WorkflowState.objects.for_instance(page).get()  # the same workflow, resumed
    assert state.status == "in_progress"
    page.refresh_from_db()
    assert not page.live and page.get_latest_revision_as_object().results == revised["results"]
    assert [m for m in mail.outbox if m.to == ["moderateur@union.test"]]  # asked to review again
    assert [m for m in mail.outbox if m.to == ["agent@bondy.test"]]  # acknowledged
    listing = client.get("/experiences/").content.decode()
    assert "En cours de modération" in listing and "/modifier/" not in listing
    # Under review again: nothing to edit until the moderators answer; an old link or a second
    # tab leads back to the list, which says where it stands (another member's id stays 404).
    again = client.get(f"/experiences/{page.pk}/modifier/", follow=True)
    assert again.redirect_chain == [("/experiences/", 302)]
    assert "Rien à modifier pour" in " ".join(again.content.decode().split())
    page = _act(moderator, page, "approve", "", django_capture_on_commit_callbacks)
    public = portal.get("/experiences/des-permanences-dacces-aux-droits-au-marche/")
    assert "Près de 240 habitants." in public.content.decode()


def test_a_revision_with_errors_keeps_what_was_typed(
    proposal, bondy, django_capture_on_commit_callbacks
):
    page, agent, _moderator = _sent_back(proposal, django_capture_on_commit_callbacks)
    typed = {**FORM, "title": "", "themes": [_theme_id()], "budget": "Budget revu : 0 €"}
    response = member_client(bondy, agent).post(f"/experiences/{page.pk}/modifier/", typed)
    html = response.content.decode()
    assert response.status_code == 200 and "Champ requis." in html
    assert "Budget revu : 0 €" in html
    assert WorkflowState.objects.for_instance(page).get().status == "needs_changes"


def test_only_the_members_writers_revise_its_experience(
    two_members, proposal, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    page, _agent, _moderator = _sent_back(proposal, django_capture_on_commit_callbacks)
    url = f"/experiences/{page.pk}/modifier/"
    other = make_person(montreuil, "directrice@montreuil.test", Membership.Role.DIRECTOR)
    assert member_client(montreuil, other).get(url).status_code == 404
    stolen = {**FORM, "themes": [_theme_id()], "title": "Pris par Montreuil"}
    assert member_client(montreuil, other).post(url, stolen).status_code == 404
    reader = make_person(bondy, "lecteur@bondy.test", Membership.Role.VIEWER)
    assert member_client(bondy, reader).get(url).status_code == 403
    assert page.get_latest_revision_as_object().title == FORM["title"]
    assert WorkflowState.objects.for_instance(page).get().status == "needs_changes"


def test_invalid_proposal_keeps_what_was_typed(kb_tree, bondy):
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    data = {**FORM, "title": "", "themes": [], "contact_email": "pas-un-courriel"}
    response = member_client(bondy, agent).post("/experiences/proposer/", data)
    html = response.content.decode()
    assert response.status_code == 200
    # Title and themes, each in the error summary and next to its field.
    assert html.count("Champ requis.") == 4
    assert "Saisissez une adresse e-mail valide." in html
    assert "240 personnes reçues la première année." in html  # kept
    assert not ExperiencePage.objects.exists()


def test_viewer_cannot_propose_and_other_members_see_nothing(
    kb_tree, two_members, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    viewer = make_person(bondy, "lecture@bondy.test", Membership.Role.VIEWER)
    assert member_client(bondy, viewer).get("/experiences/proposer/").status_code == 403
    assert member_client(bondy, viewer).get("/experiences/").status_code == 200
    # Bondy proposes; Montreuil's director sees none of it, and cannot enter Bondy's space.
    from knowledge_base.models import Theme

    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    data = {**FORM, "themes": [Theme.objects.first().pk]}
    with django_capture_on_commit_callbacks(execute=True):
        member_client(bondy, agent).post("/experiences/proposer/", data)
    montreuil_director = make_person(montreuil, "dir@montreuil.test")
    own = member_client(montreuil, montreuil_director).get("/experiences/").content.decode()
    assert "Des permanences" not in own and "encore proposé" in own
    assert member_client(bondy, montreuil_director).get("/experiences/").status_code == 403

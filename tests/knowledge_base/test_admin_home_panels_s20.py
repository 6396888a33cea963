"""The admin home's panels for the union's editors (guides to review, pages waiting for their
approval, members' experiences waiting for a decision) and organisers (coming events with seats
and waiting list, communes to check, registrations closing within 7 days): each shown only to
its people (and to administrators), counts and at most 5 rows, in French, accessible. Real
HTTP through the test client."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from seminars.models import Registration
from seminars.services import register_person
from tenants.models import Membership
from tests.conftest import host_client, make_person
from tests.knowledge_base.conftest import make_guide, make_staff
from tests.seminars.conftest import make_seminar, person
from union import roles

pytestmark = pytest.mark.django_db


def soup_of(client) -> BeautifulSoup:
    response = client.get("/admin/")
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def section(panel, heading_start: str) -> list[str]:
    """The texts of the list items under the panel's h3 that starts with `heading_start`."""
    heading = panel.find(lambda tag: tag.name == "h3" and words(tag).startswith(heading_start))
    assert heading is not None, heading_start
    following = heading.find_next_sibling(["ul", "p", "h3", "div", "table"])
    if following is None or following.name != "ul":
        return []
    return [words(item) for item in following.find_all("li")]


def heading_text(panel, heading_start: str) -> str:
    heading = panel.find(lambda tag: tag.name == "h3" and words(tag).startswith(heading_start))
    return words(heading)


def client_of(group: str, email: str):
    return host_client("localhost", make_staff(email, group))


# --- Editors ---------------------------------------------------------------------------------


@pytest.fixture
def editorial(kb_tree, bondy, montreuil, django_capture_on_commit_callbacks):
    """Seven guides due for review, one fresh; a guide waiting for the editors' approval; two
    experiences proposed by two members (their schemas' keys collide) waiting for a decision."""
    guides, experiences = kb_tree
    long_ago = timezone.localdate() - timedelta(days=800)
    for number in range(7):
        make_guide(
            guides, f"Guide ancien {number}", last_reviewed=long_ago + timedelta(days=number)
        )
    make_guide(guides, "Guide relu hier", last_reviewed=timezone.localdate() - timedelta(days=1))

    # A workflow whose step is the editors': a draft guide submitted to it.
    workflow = Workflow.objects.create(name="Relecture des guides")
    task = GroupApprovalTask.objects.create(name="Relecture éditoriale")
    task.groups.set([Group.objects.get(name=roles.EDITOR)])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    draft = make_guide(guides, "Guide soumis à relecture", live=False)
    submitter = make_staff("auteur@union.test", roles.EDITOR)
    draft.save_revision(user=submitter)
    workflow.start(draft, submitter)

    from knowledge_base.services import propose_experience

    for member, title in ((bondy, "Un marché des droits"), (montreuil, "Des visites à domicile")):
        agent = make_person(
            member, f"agent{member.pk}@{member.commune_id}.test", Membership.Role.AGENT
        )
        with django_capture_on_commit_callbacks(execute=True):
            propose_experience(
                member, agent, title=title, summary="Résumé.", context="C.", description="D."
            )
    return draft


def test_editors_see_guides_to_review_pages_to_approve_and_experiences(editorial, bondy, montreuil):
    panel = soup_of(client_of(roles.EDITOR, "editrice@union.test")).find(id="editorial-section")
    assert panel is not None
    assert "Travail éditorial" in words(panel.find(["h2"]))

    assert heading_text(panel, "Guides à relire") == "Guides à relire (7)"
    rows = section(panel, "Guides à relire")
    assert len(rows) == 5
    assert rows[0].startswith("Guide ancien 0 : relu le ")  # oldest review first
    assert "Et 2 autres." in words(panel)
    assert panel.find("a", href="/admin/reports/guides-a-relire/") is not None
    assert "Guide relu hier" not in words(panel)

    assert heading_text(panel, "Pages en attente") == "Pages en attente de votre validation (1)"
    (row,) = section(panel, "Pages en attente")
    assert row.startswith("Guide soumis à relecture : étape « Relecture éditoriale » depuis le")
    link = panel.find("a", string="Guide soumis à relecture")
    assert link["href"] == f"/admin/pages/{editorial.pk}/edit/"

    assert heading_text(panel, "Expériences des membres") == (
        "Expériences des membres en attente de décision (2)"
    )
    rows = section(panel, "Expériences des membres")
    assert rows[0].startswith(f"Un marché des droits ({bondy.name}) : proposée le ")
    assert rows[1].startswith(f"Des visites à domicile ({montreuil.name}) : proposée le ")
    # Experiences are not listed again among the pages to approve.
    assert "Un marché des droits" not in " ".join(section(panel, "Pages en attente"))


def test_the_editorial_panel_says_when_nothing_waits(kb_tree):
    panel = soup_of(client_of(roles.EDITOR, "editrice@union.test")).find(id="editorial-section")
    text = words(panel)
    assert "Guides à relire (0)" in text
    assert "Aucun guide n'attend sa relecture annuelle." in text
    assert "Aucune page n'attend votre validation." in text
    assert "Aucune expérience proposée n'attend de décision." in text


def test_the_editorial_panel_is_not_for_organisers(kb_tree):
    organiser = soup_of(client_of(roles.EVENT_ORGANISER, "orga@union.test"))
    assert organiser.find(id="editorial-section") is None
    admin = soup_of(client_of(roles.UNION_ADMIN, "admin@union.test"))
    assert admin.find(id="editorial-section") is not None


# --- Organisers -------------------------------------------------------------------------------


@pytest.fixture
def events(db):
    """A full event with a waiting list closing in 3 days; a later one; a past one with a
    commune to check; an event opening its registrations next month."""
    now = timezone.now()
    soon = make_seminar(
        "Journée des élus",
        seats=2,
        days_ahead=20,
        registration_closes=now + timedelta(days=3),
    )
    for number in (1, 2, 3):
        register_person(soon, person(number))
    later = make_seminar("Congrès de l'union", seats=60, days_ahead=60)
    register_person(later, person(4))
    past = make_seminar("Atelier passé", days_ahead=-10)
    registration, _ = register_person(past, person(5))
    Registration.objects.filter(pk=registration.pk).update(
        commune=None,
        commune_typed="Aulnay sous bios",
        commune_status=Registration.CommuneStatus.FLAGGED,
    )
    return soon, later, past


def test_organisers_see_their_events_at_a_glance(events):
    soon, later, past = events
    panel = soup_of(client_of(roles.EVENT_ORGANISER, "orga@union.test")).find(
        id="organiser-section"
    )
    assert panel is not None
    assert heading_text(panel, "Événements à venir") == "Événements à venir (2)"
    table = panel.find("table")
    assert words(table.caption) == "Événements à venir"
    assert [th.get("scope") for th in table.thead.find_all("th")] == ["col"] * 4
    rows = [[words(cell) for cell in row.find_all(["th", "td"])] for row in table.tbody("tr")]
    assert [row[0] for row in rows] == ["Journée des élus", "Congrès de l'union"]
    assert rows[0][2:] == ["2 inscrits / 2 places", "1 en attente"]
    assert rows[1][2:] == ["1 inscrit / 60 places", "personne"]
    assert all(row.th.get("scope") == "row" for row in table.tbody("tr"))
    assert table.find("a", href=f"/admin/inscriptions/{soon.pk}/") is not None

    assert heading_text(panel, "Communes à vérifier") == "Communes à vérifier (1)"
    (row,) = section(panel, "Communes à vérifier")
    assert row.startswith("Atelier passé : 1 inscription à vérifier")
    assert panel.find("a", href=f"/admin/inscriptions/{past.pk}/communes/") is not None

    assert heading_text(panel, "Inscriptions closes") == (
        "Inscriptions closes dans les 7 jours (1)"
    )
    (row,) = section(panel, "Inscriptions closes")
    assert row.startswith("Journée des élus : clôture le ")
    assert row.endswith("2 inscrits / 2 places")


def test_the_organiser_panel_is_for_organisers_and_administrators(events):
    editor = soup_of(client_of(roles.EDITOR, "editrice@union.test"))
    assert editor.find(id="organiser-section") is None
    admin = soup_of(client_of(roles.UNION_ADMIN, "admin@union.test"))
    assert admin.find(id="organiser-section") is not None


def test_the_organiser_panel_says_when_nothing_is_due(db):
    make_seminar("Plus tard", days_ahead=60, registration_opens=timezone.now() + timedelta(days=30))
    panel = soup_of(client_of(roles.EVENT_ORGANISER, "orga@union.test")).find(
        id="organiser-section"
    )
    text = words(panel)
    assert "Aucune commune saisie n'attend de vérification." in text
    assert "Aucune clôture d'inscriptions dans les 7 jours." in text

"""Editorial habits: the "Guides à relire" report, revisions, scheduled publishing, preview,
snippets for editors, and the member dashboard panel."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from knowledge_base.dashboard import panel
from knowledge_base.models import GlossaryTerm, GuidePage
from knowledge_base.services import ensure_knowledge_base_setup
from tenants.models import Membership
from tenants.services import portal_urlconf
from tests.conftest import host_client, make_person
from tests.knowledge_base.conftest import make_experience, make_guide, make_staff
from tests.seminars.conftest import make_index
from union import roles
from union.services import ensure_union_groups

pytestmark = pytest.mark.django_db


def test_report_lists_guides_not_reviewed_for_12_months(kb_tree):
    guides, _ = kb_tree
    today = datetime.date.today()
    make_guide(guides, "Relu hier", last_reviewed=today - datetime.timedelta(days=1))
    make_guide(guides, "Relu il y a deux ans", last_reviewed=today - datetime.timedelta(days=730))
    make_guide(
        guides, "Relu il y a un an et un jour", last_reviewed=today - datetime.timedelta(days=366)
    )
    never = make_guide(guides, "Jamais relu")
    # Never reviewed, first published two years ago: due since its first year online.
    type(never).objects.filter(pk=never.pk).update(
        last_reviewed=None, first_published_at=timezone.now() - datetime.timedelta(days=730)
    )
    editor = make_staff("editrice@union.test", roles.EDITOR)
    client = host_client("localhost", editor)
    html = client.get("/admin/reports/guides-a-relire/").content.decode()
    assert "Relu il y a deux ans" in html and "Relu il y a un an et un jour" in html
    assert "Relu hier" not in html
    # Never reviewed first, then the oldest review.
    assert (
        html.index("Jamais relu")
        < html.index("Relu il y a deux ans")
        < html.index("Relu il y a un an et un jour")
    )
    export = client.get("/admin/reports/guides-a-relire/?export=csv")
    assert export.status_code == 200
    assert "Relu il y a deux ans" in b"".join(export.streaming_content).decode()
    # Organisers hold page permissions on the events' index page (ensure_union_groups gives
    # them as soon as it exists), not on the guides: neither the reports nor their menu items.
    make_index()
    ensure_union_groups()
    organiser = host_client("localhost", make_staff("x@y.test", roles.EVENT_ORGANISER))
    for url in ("/admin/reports/guides-a-relire/", "/admin/reports/tableaux-a-completer/"):
        response = organiser.get(url)
        assert (response.status_code, response.url) == (302, "/admin/"), url
    home = organiser.get("/admin/").content.decode()
    assert "Guides à relire" not in home and "Tableaux à compléter" not in home


def test_revisions_and_scheduled_publishing(kb_tree, portal):
    guides, _ = kb_tree
    page = make_guide(guides, "Guide programmé", summary="Première version.")
    page.summary = "Version de demain."
    revision = page.save_revision()
    revision.publish()  # immediate, then schedule another one
    page.refresh_from_db()
    page.summary = "Version programmée."
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    scheduled = page.save_revision(approved_go_live_at=page.go_live_at)
    assert page.revisions.count() == 3
    assert "Version programmée" not in portal.get("/guides/guide-programme/").content.decode()
    # An hour passes (moved back rather than waited for).
    past = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save()
    call_command("publish_scheduled")
    assert "Version programmée" in portal.get("/guides/guide-programme/").content.decode()


def test_preview_of_a_draft_guide_in_the_admin(kb_tree):
    guides, _ = kb_tree
    page = make_guide(guides, "Brouillon", summary="Pas encore publié.", live=False)
    editor = make_staff("editrice@union.test", roles.EDITOR)
    client = host_client("localhost", editor)
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    with portal_urlconf():
        preview = page.make_preview_request()
    assert preview.status_code == 200
    assert "Pas encore publié." in preview.content.decode()


def test_editors_may_edit_glossary_and_themes_snippets(kb_tree):
    ensure_knowledge_base_setup()
    editor = make_staff("editrice@union.test", roles.EDITOR)
    client = host_client("localhost", editor)
    response = client.post(
        "/admin/snippets/knowledge_base/glossaryterm/add/",
        {
            "acronym": "UDAF",
            "kind": "sigle",
            "expansion": "union départementale des associations familiales",
        },
    )
    assert response.status_code == 302
    assert GlossaryTerm.objects.filter(acronym="UDAF").exists()
    assert client.get("/admin/snippets/knowledge_base/theme/").status_code == 200


def test_glossary_page_lists_every_term(portal, db):
    GlossaryTerm.objects.create(acronym="RSA", expansion="revenu de solidarité active")
    GlossaryTerm.objects.create(acronym="ABS", expansion="analyse des besoins sociaux")
    html = portal.get("/glossaire/").content.decode()
    assert html.index(">ABS<") < html.index(">RSA<")
    assert 'id="lettre-A"' in html and "revenu de solidarité active" in html


def test_dashboard_panel_shows_the_members_experiences(kb_tree, two_members, rf):
    bondy, montreuil = two_members
    _, experiences = kb_tree
    make_experience(experiences, bondy, "Publiée à Bondy")
    director = make_person(bondy, "dir@bondy.test")
    request = rf.get("/", HTTP_HOST=bondy.domain_name)
    request.user, request.tenant = director, bondy
    data = panel(request)
    assert data["template"] == "knowledge_base/member/panel.html"
    [(page, status)] = data["context"]["rows"]
    assert page.title == "Publiée à Bondy" and status.label == "Publiée"
    viewer = make_person(montreuil, "lecture@montreuil.test", Membership.Role.VIEWER)
    request.user, request.tenant = viewer, montreuil
    assert panel(request) is None  # nothing proposed and cannot propose
    assert GuidePage.objects.count() == 0


def test_admin_forms_of_every_page_type_open_for_editors(kb_tree):
    guides, experiences = kb_tree
    client = host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))
    for model, parent in (("guidepage", guides), ("experiencepage", experiences)):
        response = client.get(f"/admin/pages/add/knowledge_base/{model}/{parent.pk}/")
        assert response.status_code == 200, model
        html = response.content.decode()
        assert 'name="audiences"' in html and 'type="checkbox"' in html


def test_the_report_s_queries_do_not_grow_with_its_rows(kb_tree):
    """Session 36 (audit A18 #3): the status column read each guide's schedule and workflow, two
    queries a row (117 queries for a page of 50); they are annotated and prefetched."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    guides, _ = kb_tree
    long_ago = datetime.date.today() - datetime.timedelta(days=730)
    client = host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/admin/reports/guides-a-relire/").content.decode()
        return len(captured), html

    make_guide(guides, "Guide 0", last_reviewed=long_ago)
    queries()  # the first request fills the caches
    few, _html = queries()
    for number in range(1, 8):
        make_guide(guides, f"Guide {number}", last_reviewed=long_ago)
    many, html = queries()
    assert "Guide 7" in html
    assert many == few

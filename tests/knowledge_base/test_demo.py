"""The demo content loads, is idempotent, renders, and covers what the issue asks for."""

import io

import pytest

from knowledge_base import demo
from knowledge_base.models import ExperiencePage, GlossaryTerm, GuidePage, Theme
from knowledge_base.services import experience_status
from tests.conftest import make_person, member_client

pytestmark = pytest.mark.django_db


def test_demo_loads_idempotently_and_renders(
    two_members, portal, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    make_person(montreuil, "direction@ccas-montreuil.demo")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(out)
        demo.load(out)  # twice: nothing duplicated
    assert GlossaryTerm.objects.count() >= 25
    assert GuidePage.objects.live().count() == 6
    used_themes = Theme.objects.filter(guidepage_pages__isnull=False).distinct().count()
    assert used_themes >= 6
    # Only the members that exist here get their experience; Montreuil's proposal waits.
    published = ExperiencePage.objects.live()
    assert {p.member for p in published} == {bondy, montreuil}
    pending = ExperiencePage.objects.get(live=False)
    assert experience_status(pending).code == "pending"

    for page in GuidePage.objects.all():
        response = portal.get(f"/guides/{page.slug}/", follow=False)
        if page.slug == demo.MEMBERS_ONLY_GUIDE:
            assert response.status_code == 302  # login required
            continue
        html = response.content.decode()
        assert response.status_code == 200, page.slug
        assert "<abbr title=" in html, page.slug
    for page in published:
        assert portal.get(f"/experiences/{page.slug}/").status_code == 200
    assert portal.get("/glossaire/").content.decode().count("<dt ") >= 25
    # Montreuil's space lists its published experience (entered by the union) and its proposal.
    director = make_person(montreuil, "direction@ccas-montreuil.demo")
    response = member_client(montreuil, director).get("/experiences/")
    own = response.content.decode()
    assert "Publiée" in own and "En cours de modération" in own and "<td>l'union</td>" in own

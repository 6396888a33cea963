"""Session 31 audit, the knowledge base: a legal reference's link names the site it leads to
(« sur Légifrance » only for Légifrance), and the moderator's « Travail éditorial » panel counts
the pages they may approve as Wagtail's own « En attente de votre vérification » does, members'
experiences included. Real HTTP through the test client."""

import pytest
from bs4 import BeautifulSoup

from tenants.models import Membership
from tests.conftest import host_client, make_person
from tests.knowledge_base.conftest import make_guide, make_staff

pytestmark = pytest.mark.django_db


def words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def legal_reference(url: str, article: str = "L123-6") -> dict:
    return {
        "type": "legal_reference",
        "value": {"code": "CASF", "article": article, "summary": "Le texte.", "url": url},
    }


# --- A legal reference's link -----------------------------------------------------------------


def test_a_legal_reference_names_the_site_its_link_leads_to(kb_tree, portal):
    guides, _experiences = kb_tree
    make_guide(
        guides,
        "Les textes",
        body=[
            legal_reference("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031728734"),
            legal_reference("https://eur-lex.europa.eu/eli/reg/2016/679/oj", article="R1"),
            legal_reference("https://circulaires.legifrance.gouv.fr/pdf/2012/01/cir_1.pdf", "R2"),
        ],
    )
    page = BeautifulSoup(portal.get("/guides/les-textes/").content.decode(), "html.parser")
    links = [words(a) for a in page.select(".kb-legal a")]
    assert links == [
        "Lire le texte officiel : article L123-6 du Code de l'action sociale et des familles "
        "sur Légifrance",
        "Lire le texte officiel : article R1 du Code de l'action sociale et des familles "
        "sur eur-lex.europa.eu",
        "Lire le texte officiel : article R2 du Code de l'action sociale et des familles "
        "sur Légifrance",
    ]


def test_a_legal_reference_without_a_link_has_no_link(kb_tree, portal):
    guides, _experiences = kb_tree
    make_guide(guides, "Sans lien", body=[legal_reference("")])
    page = BeautifulSoup(portal.get("/guides/sans-lien/").content.decode(), "html.parser")
    assert page.select(".kb-legal") and not page.select(".kb-legal a")


# --- The moderator's panel ----------------------------------------------------------------------


def test_the_moderators_panel_counts_the_experience_wagtail_lists_for_them(
    kb_tree, bondy, django_capture_on_commit_callbacks
):
    from knowledge_base.services import propose_experience

    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    with django_capture_on_commit_callbacks(execute=True):
        experience = propose_experience(
            bondy, agent, title="Un marché des droits", summary="R.", context="C.", description="D."
        )
    moderator = make_staff("moderatrice@union.test")  # the union's moderators' group
    response = host_client("localhost", moderator).get("/admin/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")

    # Wagtail's own panel lists the experience for this moderator…
    assert "Un marché des droits" in words(page.find(id="awaiting-review-section"))
    # … and ours says so too, instead of « Aucune page n'attend votre validation ».
    panel = page.find(id="editorial-section")
    text = words(panel)
    assert "Pages en attente de votre validation (1)" in text
    assert "Aucune page n'attend votre validation." not in text
    link = panel.find("a", href=f"/admin/pages/{experience.pk}/edit/")
    assert link is not None and words(link) == "Un marché des droits"
    assert "Expériences des membres en attente de décision (1)" in text


def test_a_page_someone_cannot_approve_is_not_counted_for_them(
    kb_tree, bondy, django_capture_on_commit_callbacks
):
    from knowledge_base.services import propose_experience
    from union import roles

    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    with django_capture_on_commit_callbacks(execute=True):
        propose_experience(
            bondy, agent, title="Un marché des droits", summary="R.", context="C.", description="D."
        )
    editor = make_staff("editrice@union.test", roles.EDITOR)  # not in the moderation task
    page = BeautifulSoup(
        host_client("localhost", editor).get("/admin/").content.decode(), "html.parser"
    )
    text = words(page.find(id="editorial-section"))
    assert "Pages en attente de votre validation (0)" in text
    assert "Expériences des membres en attente de décision (1)" in text


def test_a_guide_to_review_links_to_what_the_person_may_open(kb_tree):
    """Session 36 (audit A20 #9): a moderator reads the guides to review but cannot edit them; his
    panel's link opened « Désolé, vous n'avez pas les autorisations ». It leads to the guide's
    page for him, to the editor for an editor."""
    from datetime import date

    from union import roles

    guides, _experiences = kb_tree
    guide = make_guide(guides, "Le guide ancien", last_reviewed=date(2020, 1, 1))
    moderator = make_staff("moderatrice@union.test")
    editor = make_staff("editrice@union.test", roles.EDITOR)
    for user, href in (
        (moderator, "/guides/le-guide-ancien/"),
        (editor, f"/admin/pages/{guide.pk}/edit/"),
    ):
        client = host_client("localhost", user)
        panel = BeautifulSoup(client.get("/admin/").content.decode(), "html.parser").find(
            id="editorial-section"
        )
        link = panel.find("a", string="Le guide ancien")
        assert link is not None and link["href"] == href, user
        assert client.get(href).status_code == 200, user

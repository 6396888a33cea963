"""Themes are part of their pages' search entries: renaming one re-indexes its pages."""

import pytest

from knowledge_base.services import ensure_knowledge_base_setup
from tests.conftest import host_client
from tests.knowledge_base.conftest import make_experience, make_guide, make_staff, theme
from union import roles

pytestmark = pytest.mark.django_db


def test_renamed_theme_finds_its_pages_under_the_new_name(kb_tree, bondy, portal):
    ensure_knowledge_base_setup()
    guides, experiences = kb_tree
    make_guide(guides, "Un guide", summary="Rien de particulier.", themes=["numerique"])
    make_experience(experiences, bondy, "Une expérience", summary="Rien.", themes=["numerique"])
    make_guide(guides, "Un guide sans ce thème", summary="Rien non plus.", themes=["sante"])
    numerique = theme("numerique")

    editor = host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))
    response = editor.post(
        f"/admin/snippets/knowledge_base/theme/edit/{numerique.pk}/",
        {
            "name": "Médiation zouglou",
            "slug": numerique.slug,
            "description": numerique.description,
            "sort_order": numerique.sort_order,
        },
    )
    assert response.status_code == 302

    html = portal.get("/recherche/?q=zouglou").content.decode()
    assert "2 résultats" in html
    assert "Un guide<" in html and "Une expérience<" in html
    listing = portal.get("/guides/?q=zouglou").content.decode()
    assert "1 résultat" in listing and "Un guide sans ce thème" not in listing

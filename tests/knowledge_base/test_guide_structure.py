"""A guide's structure read by assistive technologies: tables published with a caption and
header cells (checked by the editor when publishing), and headings with unique, non-empty
anchors for the table of contents."""

import json
import re
from html import unescape

import pytest

from knowledge_base.models import GuidePage
from tests.conftest import host_client
from tests.knowledge_base.conftest import edit_guide_in_admin, make_guide, make_staff
from union import roles

pytestmark = pytest.mark.django_db

ROWS = [["Collège", "Minimum", "Maximum"], ["Élus", "4", "8"], ["Nommés", "4", "8"]]
CAPTION_ERROR = "Donnez un titre au tableau (« Titre du tableau »)"
HEADER_ERROR = "Choisissez une ligne ou une colonne d'en-tête"


def table(caption: str = "Composition du conseil", header: str = "row", data=None) -> dict:
    """A table as Wagtail's editor posts it (the header booleans follow the choice)."""
    return {
        "table_caption": caption,
        "table_header_choice": header,
        "first_row_is_table_header": header in ("row", "both"),
        "first_col_is_header": header in ("column", "both"),
        "data": data or ROWS,
    }


def publish_in_admin(client, page: GuidePage, table_value: dict, *, publish: bool = True):
    """Edit the guide in the Wagtail admin with `table_value` as its body, and press Publish
    (or « Enregistrer le brouillon »)."""
    return edit_guide_in_admin(client, page, [("table", json.dumps(table_value))], publish=publish)


def body_errors(response) -> list[str]:
    """The messages Wagtail's editor shows on the body's blocks."""
    error = response.context["form"].errors.as_data()["body"][0]
    return [message for block_error in error.block_errors.values() for message in block_error]


@pytest.fixture
def draft(kb_tree):
    guides, _ = kb_tree
    return make_guide(guides, "Le conseil d'administration", live=False)


@pytest.fixture
def editor_client():
    return host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (table(caption=""), CAPTION_ERROR),
        (table(caption="   "), CAPTION_ERROR),
        (table(header="neither"), HEADER_ERROR),
        # A header row chosen but left empty gives header cells with nothing to announce.
        (table(data=[["", "", ""], ["Élus", "4", "8"]]), HEADER_ERROR),
    ],
)
def test_a_table_without_caption_or_headers_cannot_be_published(
    draft, editor_client, value, message
):
    response = publish_in_admin(editor_client, draft, value)
    assert response.status_code == 200  # the form again, with its errors
    assert any(message in error for error in body_errors(response)), body_errors(response)
    # What the editor shows: the block's errors travel as JSON in the StreamField's attribute.
    assert json.dumps(message)[1:-1] in unescape(response.content.decode())
    draft.refresh_from_db()
    assert not draft.live


def test_a_table_with_caption_and_headers_is_published_with_caption_and_th_scope(
    draft, editor_client, portal
):
    response = publish_in_admin(editor_client, draft, table(header="column"))
    assert response.status_code == 302, body_errors(response)
    draft.refresh_from_db()
    assert draft.live and draft.body[0].value["first_col_is_header"] is True
    html = portal.get(f"/guides/{draft.slug}/").content.decode()
    assert "<caption>Composition du conseil</caption>" in html
    assert re.search(r'<th scope="row"\s*>\s*Élus\s*</th>', html)


def test_a_draft_may_keep_an_incomplete_table(draft, editor_client):
    """Wagtail defers required checks on drafts: an editor can save work in progress."""
    incomplete = table(caption="", header="neither")
    assert publish_in_admin(editor_client, draft, incomplete).status_code == 200
    response = publish_in_admin(editor_client, draft, incomplete, publish=False)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    assert draft.get_latest_revision().as_object().body[0].value["table_caption"] == ""


def test_the_editor_names_the_caption_titre_du_tableau(draft, editor_client):
    html = editor_client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert "Titre du tableau (obligatoire)" in html


def test_existing_tables_without_caption_still_render(kb_tree, portal):
    """Content published before the rule keeps rendering; the rule applies at the next edit."""
    guides, _ = kb_tree
    old = make_guide(
        guides, "Un ancien guide", body=[{"type": "table", "value": table(caption="", header="")}]
    )
    response = portal.get(f"/guides/{old.slug}/")
    assert response.status_code == 200 and "<td" in response.content.decode()


# Anchors of headings ------------------------------------------------------------------------


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def test_headings_get_unique_and_never_empty_anchors(kb_tree, portal):
    guides, _ = kb_tree
    body = [
        heading("Contenu"),  # base.html's skip link already targets id="contenu"
        heading("Les démarches"),
        {"type": "rich_text", "value": "<p>Première partie.</p>"},
        heading("Les démarches"),
        heading("?!…"),
        heading("Les démarches", "h3"),
    ]
    page = make_guide(guides, "Guide aux titres répétés", body=body)
    html = portal.get(f"/guides/{page.slug}/").content.decode()

    ids = re.findall(r'\bid="([^"]*)"', html)
    assert "" not in ids and len(ids) == len(set(ids)), ids
    headings = re.findall(r'<h([23]) id="([^"]+)" class="kb-heading">([^<]*)</h\1>', html)
    assert [anchor for _, anchor, _ in headings] == [
        "contenu-2",
        "les-demarches",
        "les-demarches-2",
        "section-4",
        "les-demarches-3",
    ]
    # The table of contents (level 2) links to each heading, in order.
    toc = re.search(r'<nav aria-labelledby="kb-toc-title".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="#([^"]+)"', toc) == [
        "contenu-2",
        "les-demarches",
        "les-demarches-2",
        "section-4",
    ]


def test_bulk_publishing_refuses_a_draft_with_an_incomplete_table(draft, kb_tree, editor_client):
    complete = make_guide(kb_tree[0], "Un guide complet", live=False)
    publish_in_admin(editor_client, draft, table(caption="", header="neither"), publish=False)
    publish_in_admin(editor_client, complete, table(), publish=False)
    url = f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}&id={complete.pk}"
    response = editor_client.post(url, {}, follow=True)
    assert "Rien n&#x27;a été publié" in response.content.decode() or (
        "Rien n'a été publié" in response.content.decode()
    )
    draft.refresh_from_db()
    complete.refresh_from_db()
    assert not draft.live and not complete.live

    response = editor_client.post(f"/admin/bulk/wagtailcore/page/publish/?id={complete.pk}", {})
    complete.refresh_from_db()
    assert complete.live  # a complete draft is published as before

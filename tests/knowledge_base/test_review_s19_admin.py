"""Review 19 of the union staff's Wagtail admin, guides part: the table editor's menu in French,
search extracts cut from what a guide shows, « Guides à relire » counted from the first
publication, « – » for a publication without a user, the authors' add button."""

import datetime
import json
import re

import pytest
from django.utils import timezone
from wagtail.contrib.table_block.blocks import DEFAULT_TABLE_OPTIONS

from knowledge_base.blocks.reference import CaptionedTableInputAdapter, TableBlock
from knowledge_base.models import GuidePage
from knowledge_base.search import page_text
from tests.conftest import host_client
from tests.knowledge_base.conftest import make_guide, make_staff
from union import roles

pytestmark = pytest.mark.django_db

FRENCH_MENU = {
    "row_above": "Insérer une ligne au-dessus",
    "row_below": "Insérer une ligne en dessous",
    "col_left": "Insérer une colonne à gauche",
    "col_right": "Insérer une colonne à droite",
    "remove_row": "Supprimer la ligne",
    "remove_col": "Supprimer la colonne",
    "undo": "Annuler",
    "redo": "Rétablir",
}


@pytest.fixture
def editor_client(kb_tree):
    return host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))


# --- B3. The table editor's right-click menu ---------------------------------------------------


def test_the_table_menu_names_wagtails_items_in_french():
    options = TableBlock().table_options
    items = options["contextMenu"]["items"]
    names = {key: item["name"] for key, item in items.items() if isinstance(item, dict)}
    assert names == FRENCH_MENU
    # The same items as Wagtail's menu, in the same order, separators included.
    wagtail_menu = DEFAULT_TABLE_OPTIONS["contextMenu"]
    assert [key if isinstance(item, dict) else item for key, item in items.items()] == (
        wagtail_menu
    )
    # Handsontable has no French pack: asking for "fr" only logged an error in the console.
    assert options["language"] == "en-US"
    # What the editor's script receives (telepath), as Handsontable reads it.
    js_options, _strings = CaptionedTableInputAdapter().js_args(TableBlock().field.widget)
    assert js_options["contextMenu"]["items"]["undo"] == {"name": "Annuler"}


def test_two_table_blocks_do_not_share_their_menu():
    first, second = TableBlock(), TableBlock()
    first.table_options["contextMenu"]["items"]["undo"]["name"] = "changé"
    assert second.table_options["contextMenu"]["items"]["undo"]["name"] == "Annuler"


def test_the_guide_editor_page_carries_the_french_menu(kb_tree, editor_client):
    guides, _ = kb_tree
    guide = make_guide(guides, "Le conseil d'administration")
    html = editor_client.get(f"/admin/pages/{guide.pk}/edit/").content.decode()
    # The block definitions are JSON, non-ASCII letters as \u escapes, in an HTML attribute.
    for name in FRENCH_MENU.values():
        assert json.dumps(name)[1:-1] in html, name
    assert "Insert row above" not in html


# --- B6. Search extracts -----------------------------------------------------------------------


def _legal(article: str, summary: str) -> dict:
    return {
        "type": "legal_reference",
        "value": {"code": "CASF", "article": article, "summary": summary, "url": ""},
    }


@pytest.fixture
def interpreting_guide(kb_tree):
    guides, _ = kb_tree
    return make_guide(
        guides,
        "Accueillir une personne non francophone",
        summary="Accueillir sans barrière de langue.",
        body=[
            _legal(
                "L. 111-2",
                "Toute personne résidant en France peut bénéficier de l'aide sociale ; le CCAS "
                "l'informe et l'aide à constituer et à instruire sa demande.",
            ),
            {"type": "heading", "value": {"text": "Interprétariat", "level": "h2"}},
        ],
    )


def test_the_extract_shows_the_legal_reference_as_the_guide_does(interpreting_guide, portal):
    text = page_text(GuidePage.objects.get(pk=interpreting_guide.pk))
    assert "Code de l'action sociale et des familles, article L. 111-2 : Toute personne" in text
    # « article L111-2 » is the index's own writing, never the guide's.
    assert "L111-2" not in text and "demande. article" not in text

    response = portal.get("/recherche/", {"q": "L111-2"})
    hits = response.context["page_obj"].object_list
    assert [hit.page.title for hit in hits] == [interpreting_guide.title]
    html = response.content.decode()
    snippet = re.search(r'<p class="kb-snippet">(.*?)</p>', html, re.S).group(1)
    assert "L111-2" not in snippet and "demande. article" not in snippet
    # The article number, as the guide writes it, is what the extract marks.
    assert "article L. <mark>111</mark><mark>-2</mark>" in snippet, snippet


def test_a_law_reference_reads_as_written(kb_tree):
    guides, _ = kb_tree
    body = [_legal("Loi n° 2005-102", "Égalité des droits.")]
    body[0]["value"]["code"] = "LOI"
    guide = make_guide(guides, "Handicap", summary="Le handicap.", body=body)
    assert page_text(GuidePage.objects.get(pk=guide.pk)) == (
        "Le handicap. Loi n° 2005-102 : Égalité des droits."
    )


# --- I3. « Guides à relire » -------------------------------------------------------------------

REPORT = "/admin/reports/guides-a-relire/"


def test_a_guide_never_reviewed_is_due_a_year_after_its_first_publication(kb_tree, editor_client):
    guides, _ = kb_tree
    just_published = make_guide(guides, "Publié il y a une minute")
    old = make_guide(guides, "Publié il y a treize mois")
    draft = make_guide(guides, "Brouillon jamais publié", live=False)
    thirteen_months_ago = timezone.now() - datetime.timedelta(days=396)
    GuidePage.objects.filter(pk__in=[just_published.pk, old.pk, draft.pk]).update(
        last_reviewed=None
    )
    GuidePage.objects.filter(pk=old.pk).update(first_published_at=thirteen_months_ago)

    html = editor_client.get(REPORT).content.decode()
    assert "Publié il y a treize mois" in html
    assert "Publié il y a une minute" not in html
    assert "Brouillon jamais publié" not in html


# --- B5. « Pages anciennes »: a publication without a user -------------------------------------


def test_a_page_published_without_a_user_shows_a_dash(kb_tree):
    from django.contrib.auth import get_user_model

    guides, _ = kb_tree
    make_guide(guides, "Publié par la démo")  # published with user=None, as `manage.py demo`
    admin = get_user_model().objects.create_superuser("admin@union.test", "admin@union.test", "x")
    html = host_client("localhost", admin).get("/admin/reports/aging-pages/").content.decode()
    row = re.search(r"<tr>\s*<td class=\"title\".*?Publié par la démo.*?</tr>", html, re.S)
    assert row, html
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    publisher = cells[3]
    assert "None" not in publisher
    assert publisher.strip() == "–"


# --- B7. The authors' add button ---------------------------------------------------------------


def test_the_authors_add_button_reads_as_french(kb_tree, editor_client):
    guides, _ = kb_tree
    guide = make_guide(guides, "Le conseil d'administration")
    html = editor_client.get(f"/admin/pages/{guide.pk}/edit/").content.decode()
    button = re.search(r'<button[^>]*id="id_authors-ADD"[^>]*>(.*?)</button>', html, re.S)
    assert button, "the add button keeps the id Wagtail's script finds it by"
    assert button.group(1).strip().endswith("Ajouter un auteur ou une autrice")
    assert "un(e)" not in html

"""Page tree rules, guide rendering (every block, glossary abbr), experiences, privacy, and that
member hosts never serve the tree."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from knowledge_base.models import (
    ExperienceIndexPage,
    ExperiencePage,
    GlossaryTerm,
    GuideIndexPage,
    GuidePage,
)
from tenants.services import portal_urlconf
from tests.conftest import host_client, make_person
from tests.knowledge_base.conftest import make_experience, make_guide, make_staff
from union import roles
from union.models import HomePage

pytestmark = pytest.mark.django_db


def test_page_tree_rules(kb_tree):
    guides, experiences = kb_tree
    with portal_urlconf():
        assert guides.url == "/guides/" and experiences.url == "/experiences/"
    # One index of each kind; guides only under the guide index, and nothing under a guide.
    assert not GuideIndexPage.can_create_at(guides)
    assert GuidePage.can_create_at(guides)
    assert not GuidePage.can_create_at(experiences)
    assert not GuidePage.can_create_at(HomePage.objects.get())
    assert ExperiencePage.can_create_at(experiences)
    assert not ExperiencePage.can_create_at(guides)
    assert GuidePage.allowed_subpage_models() == []
    assert ExperiencePage.allowed_subpage_models() == []
    assert set(GuideIndexPage.allowed_parent_page_models()) == {HomePage}
    assert set(ExperienceIndexPage.allowed_parent_page_models()) == {HomePage}


def test_index_pages_are_unique(kb_tree):
    home = HomePage.objects.get()
    assert not GuideIndexPage.can_create_at(home)
    assert not ExperienceIndexPage.can_create_at(home)


ALL_BLOCKS = [
    {"type": "heading", "value": {"text": "Le cadre légal", "level": "h2"}},
    {
        "type": "rich_text",
        "value": "<p>Le CCAS réalise son ABS. Le CCAS présente ensuite l'ABS au conseil.</p>",
    },
    {
        "type": "key_figure",
        "value": {
            "value": "1 500",
            "unit": "habitants",
            "label": "Seuil du CCAS obligatoire",
            "source": "CASF",
        },
    },
    {
        "type": "steps",
        "value": {
            "style": "checklist",
            "title": "À vérifier",
            "items": [{"title": "Registre ouvert", "text": ""}],
        },
    },
    {
        "type": "legal_reference",
        "value": {
            "code": "CASF",
            "article": "L123-6",
            "summary": "Composition du CA.",
            "url": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031728734",
        },
    },
    {
        "type": "callout",
        "value": {"kind": "warning", "title": "Délai", "text": "<p>Avant le 31 janvier.</p>"},
    },
    {
        "type": "faq",
        "value": {
            "title": "Questions fréquentes",
            "items": [{"question": "Qui préside ?", "answer": "<p>Le maire.</p>"}],
        },
    },
    {
        "type": "contact",
        "value": {
            "name": "Pôle ressources",
            "role": "",
            "organisation": "Union",
            "email": "ressources@union.test",
            "phone": "01 02 03 04 05",
        },
    },
    {
        "type": "table",
        "value": {
            "table_caption": "Composition",
            "first_row_is_table_header": True,
            "first_col_is_header": True,
            "table_header_choice": "both",
            "data": [["Collège", "Minimum"], ["Élus", "4"]],
        },
    },
    {"type": "heading", "value": {"text": "Pour aller plus loin", "level": "h2"}},
]


def test_guide_renders_every_block_and_marks_first_acronym(kb_tree, portal):
    guides, _ = kb_tree
    GlossaryTerm.objects.create(acronym="CCAS", expansion="centre communal d'action sociale")
    GlossaryTerm.objects.create(acronym="ABS", expansion="analyse des besoins sociaux")
    GlossaryTerm.objects.create(acronym="CA", expansion="conseil d'administration")
    make_guide(
        guides, "Le cadre", body=ALL_BLOCKS, themes=["gouvernance-du-ccas"], audiences=["elus"]
    )
    html = portal.get("/guides/le-cadre/").content.decode()
    assert html.count('<abbr title="centre communal d&#x27;action sociale">CCAS</abbr>') == 1
    assert html.count('<abbr title="analyse des besoins sociaux">ABS</abbr>') == 1
    assert 'title="conseil d&#x27;administration">CA</abbr>' in html  # "Composition du CA."
    assert html.count(">CCAS<") >= 1 and "Le CCAS présente" in html  # second use left plain
    assert '<h2 id="le-cadre-legal"' in html and 'href="#pour-aller-plus-loin"' in html
    assert "<strong>1 500</strong>" in html
    assert '<ul class="kb-checklist">' in html
    assert "Code de l&#x27;action sociale et des familles, article L123-6" in html
    assert "legifrance.gouv.fr" in html
    assert "<details>" in html and "<summary>Qui préside ?</summary>" in html
    assert "mailto:ressources@union.test" in html
    assert "<caption>Composition</caption>" in html and '<th scope="col"' in html
    assert '<th scope="row"' in html
    assert "Gouvernance du CCAS" in html and "Élus" in html


def test_every_block_declares_icon_template_preview_and_description():
    from knowledge_base.blocks import GUIDE_BODY_BLOCKS

    assert {name for name, _ in GUIDE_BODY_BLOCKS} >= {
        "rich_text",
        "heading",
        "key_figure",
        "steps",
        "legal_reference",
        "callout",
        "faq",
        "document",
        "contact",
        "table",
    }
    for name, block in GUIDE_BODY_BLOCKS:
        assert block.meta.icon and block.meta.icon != "placeholder", name
        assert block.meta.template.startswith("knowledge_base/blocks/"), name
        assert block.meta.description, name
        assert block.meta.preview_value, name


def test_experience_names_its_commune_and_links_to_directory(kb_tree, bondy, portal):
    _, experiences = kb_tree
    make_experience(
        experiences,
        bondy,
        "Une épicerie mobile",
        themes=["aide-alimentaire-et-epicerie-solidaire"],
        budget="12 000 € (CAF, commune)",
        contact_email="epicerie@bondy.test",
    )
    html = portal.get("/experiences/une-epicerie-mobile/").content.decode()
    assert "CCAS de Bondy" in html and "Bondy" in html
    assert 'href="/membres/?q=Bondy"' in html
    assert "12 000 € (CAF, commune)" in html
    assert "Budget et financements" in html


def test_member_host_never_serves_the_page_tree(kb_tree, bondy):
    guides, _ = kb_tree
    make_guide(guides, "Guide public")
    director = make_person(bondy, "dir@bondy.test")
    client = host_client(bondy.domain_name, director)
    for path in (
        "/guides/",
        "/guides/guide-public/",
        "/recherche/?q=guide",
        "/glossaire/",
        "/flux/rss/",
        "/admin/",
        "/api/v1/guides/",
    ):
        assert client.get(path).status_code == 404, path
    # /experiences/ on a member host is the member's own proposals, not the public index.
    page = client.get("/experiences/").content.decode()
    assert "Nos expériences partagées" in page


def test_privacy_members_only_and_staff_only(kb_tree, bondy, portal):
    guides, _ = kb_tree
    members_only = make_guide(guides, "Réservé aux membres")
    staff_only = make_guide(guides, "Réservé à l'union")
    PageViewRestriction.objects.create(page=members_only, restriction_type="login")
    restriction = PageViewRestriction.objects.create(page=staff_only, restriction_type="groups")
    restriction.groups.set(Group.objects.filter(name__in=roles.UNION_GROUPS))

    anonymous = portal.get("/guides/reserve-aux-membres/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/connexion/")
    director = make_person(bondy, "dir@bondy.test")
    as_member = host_client("localhost", director)
    assert as_member.get("/guides/reserve-aux-membres/").status_code == 200
    assert as_member.get("/guides/reserve-a-lunion/").status_code == 302
    editor = make_staff("editrice@union.test", roles.EDITOR)
    assert host_client("localhost", editor).get("/guides/reserve-a-lunion/").status_code == 200

    # Listings and search follow the same rules.
    assert "Réservé aux membres" not in portal.get("/guides/").content.decode()
    assert "Réservé aux membres" in as_member.get("/guides/").content.decode()
    assert "Réservé à l&#x27;union" not in as_member.get("/guides/").content.decode()
    assert "Réservé" not in portal.get("/recherche/?q=réservé").content.decode().split("<main")[1]
    found = as_member.get("/recherche/?q=réservé").content.decode().split("<main")[1]
    assert "Réservé aux membres" in found and "Réservé à l&#x27;union" not in found


def test_home_page_lists_the_two_sections(kb_tree, portal):
    html = portal.get("/").content.decode()
    assert 'href="/guides/">Guides pratiques</a>' in html
    assert 'href="/experiences/">Expériences des CCAS</a>' in html
    assert "Ce qui marche dans nos communes" in html

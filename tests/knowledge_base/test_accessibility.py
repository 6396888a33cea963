"""Accessibility of the knowledge base pages and the shared form and navigation templates, through
real requests: groups of checkboxes in a fieldset, the current section in the navigation, the
contact of an experience, and counts of results written in French."""

import re

import pytest

from knowledge_base.models import Theme
from tenants.models import Membership
from tests.conftest import make_person, member_client
from tests.knowledge_base.conftest import make_experience, make_guide
from tests.knowledge_base.test_workflow import FORM
from tests.seminars.test_accessibility import Elements

pytestmark = pytest.mark.django_db


def fieldset_of(html: str, legend: str) -> str:
    """The HTML of the fieldset whose legend starts with `legend`."""
    for fieldset in re.findall(r"<fieldset.*?</fieldset>", html, re.S):
        if re.search(rf"<legend>{re.escape(legend)}", fieldset):
            return fieldset
    raise AssertionError(f"no fieldset named {legend!r}")


def opening_tag(html: str, tag: str) -> dict:
    return Elements(html).tags[0][1] if html.startswith(f"<{tag}") else {}


# Groups of checkboxes (includes/form_fields.html) ---------------------------------------------


def test_groups_of_checkboxes_are_fieldsets_named_by_their_legend(kb_tree, bondy):
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = member_client(bondy, agent)
    html = client.get("/experiences/proposer/").content.decode()
    assert 'for=""' not in html
    themes = fieldset_of(html, "Thèmes")
    assert opening_tag(themes, "fieldset")["aria-describedby"] == "id_themes_helptext"
    assert (
        '<legend>Thèmes <span aria-hidden="true">*</span>'
        '<span class="visually-hidden"> (obligatoire)</span></legend>'
    ) in themes
    assert 'id="id_themes_helptext"' in themes
    assert themes.count('type="checkbox"') == Theme.objects.count()
    audiences = fieldset_of(html, "Utile surtout aux")
    assert "aria-describedby" not in opening_tag(audiences, "fieldset")  # no help, no error
    assert '<label for="id_audiences_0">' in audiences

    # Refused: the group names its error; a single input keeps its label, is described by its
    # help text and its error, and is marked invalid.
    data = {**FORM, "title": "", "themes": []}
    html = client.post("/experiences/proposer/", data).content.decode()
    themes = fieldset_of(html, "Thèmes")
    assert (
        opening_tag(themes, "fieldset")["aria-describedby"] == "id_themes_helptext id_themes_error"
    )
    assert 'class="errorlist" id="id_themes_error"' in themes
    title = Elements(html).one("input", id="id_title")
    assert title["aria-describedby"] == "id_title_helptext id_title_error"
    assert title["aria-invalid"] == "true"
    assert '<label for="id_title">' in html and 'id="id_title_error"' in html
    assert "240 personnes reçues la première année." in html  # what was typed is kept


def test_refused_proposal_has_an_error_summary_and_says_so_in_its_title(kb_tree, bondy):
    client = member_client(bondy, make_person(bondy, "agent@bondy.test", Membership.Role.AGENT))
    html = client.get("/experiences/proposer/").content.decode()
    assert 'class="error-summary"' not in html
    assert not Elements(html).title.startswith("Erreur")
    # Screen readers hear that the group is required: its legend says so (the asterisk is
    # hidden from them, and no attribute can mark a group of checkboxes required).
    assert "(obligatoire)</span></legend>" in fieldset_of(html, "Thèmes")
    assert "(obligatoire)" not in fieldset_of(html, "Utile surtout aux")
    assert "required" in Elements(html).one("input", id="id_title")

    html = client.post(
        "/experiences/proposer/", {**FORM, "title": "", "themes": []}
    ).content.decode()
    page = Elements(html)
    assert page.title.startswith("Erreur – Proposer une expérience")
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert page.one("div", **{"class": "error-summary"})["role"] == "alert"
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [target for target, _text in links] == ["id_title", "id_themes_0"]
    assert all(target in page.ids() for target, _text in links)  # each link reaches its field
    assert links[1][1].startswith("Thèmes : ")


# The current section in the navigation --------------------------------------------------------


def current_links(html: str) -> list[str]:
    nav = html[html.index('class="main-nav"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)


def test_the_portal_navigation_marks_the_current_section(kb_tree, portal):
    guides, _experiences = kb_tree
    make_guide(guides, "Ouvrir une épicerie solidaire")
    assert current_links(portal.get("/").content.decode()) == ["/"]
    assert current_links(portal.get("/guides/").content.decode()) == ["/guides/"]
    page = portal.get("/guides/ouvrir-une-epicerie-solidaire/").content.decode()
    assert current_links(page) == ["/guides/"]
    assert current_links(portal.get("/recherche/?q=budget").content.decode()) == ["/recherche/"]
    assert current_links(portal.get("/glossaire/").content.decode()) == []


def test_the_member_navigation_marks_the_current_section(kb_tree, bondy):
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    assert current_links(client.get("/").content.decode()) == ["/"]
    assert current_links(client.get("/experiences/").content.decode()) == ["/experiences/"]
    proposing = client.get("/experiences/proposer/").content.decode()
    assert current_links(proposing) == ["/experiences/"]


# The contact of an experience -----------------------------------------------------------------


def contact(html: str) -> str:
    return re.search(r'<section class="kb-contact".*?</section>', html, re.S).group(0)


def test_a_contact_with_a_role_and_no_name_reads_well(kb_tree, bondy, portal):
    _, experiences = kb_tree
    make_experience(
        experiences,
        bondy,
        "Une domiciliation simplifiée",
        contact_role="Service domiciliation",
        contact_email="domiciliation@bondy.test",
    )
    make_experience(
        experiences,
        bondy,
        "Une épicerie mobile",
        contact_name="Nadia Benali",
        contact_role="Responsable de l'accueil",
    )
    make_experience(experiences, bondy, "Un frigo solidaire", contact_email="frigo@bondy.test")
    role_only = contact(portal.get("/experiences/une-domiciliation-simplifiee/").content.decode())
    assert "<p>Service domiciliation<br>CCAS de Bondy</p>" in role_only
    both = contact(portal.get("/experiences/une-epicerie-mobile/").content.decode())
    assert "<p><strong>Nadia Benali</strong>, Responsable de l&#x27;accueil<br>" in both
    email_only = contact(portal.get("/experiences/un-frigo-solidaire/").content.decode())
    assert "<p>CCAS de Bondy</p>" in email_only


# Counts of results ----------------------------------------------------------------------------


def results_heading(html: str) -> str:
    return re.search(r'<h2 id="kb-results"[^>]*>([^<]*)</h2>', html).group(1)


def test_counts_of_results_read_as_french(kb_tree, portal):
    guides, _experiences = kb_tree
    make_guide(
        guides, "Ouvrir une épicerie solidaire", themes=["aide-alimentaire-et-epicerie-solidaire"]
    )
    make_guide(guides, "Trouver un logement d'urgence", themes=["logement-et-hebergement"])
    make_guide(guides, "Loger les saisonniers", themes=["logement-et-hebergement"])

    def listing(theme: str) -> str:
        return results_heading(portal.get(f"/guides/?theme={theme}").content.decode())

    assert listing("gouvernance-du-ccas") == "Aucun résultat"
    assert listing("aide-alimentaire-et-epicerie-solidaire") == "1 résultat"
    assert listing("logement-et-hebergement") == "2 résultats"

    def search(query: str) -> str:
        return results_heading(portal.get("/recherche/", {"q": query}).content.decode())

    assert search("xylophone") == "Aucun résultat pour « xylophone »"
    assert search("épicerie") == "1 résultat pour « épicerie »"
    assert search("logement").startswith("2 résultats pour")

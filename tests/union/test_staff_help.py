"""Session 20: « Aide de l'équipe de l'union », the staff's French guide in the Wagtail admin
(`/admin/aide/`, menu « Aide »), for everyone who signs into the admin and nobody else; every
admin link on it leads somewhere."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory
from wagtail.admin.menu import help_menu

from knowledge_base.services import ensure_index_pages
from seminars.door_access import DOOR_STAFF
from tests.conftest import host_client, make_member, make_person
from tests.seminars.conftest import make_index
from union import roles
from union.help_views import HELP_TITLE, SECTIONS
from union.services import ensure_union_groups

pytestmark = pytest.mark.django_db

URL = "/admin/aide/"
STAFF_GROUPS = (
    roles.UNION_ADMIN,
    roles.EDITOR,
    roles.MODERATOR,
    roles.EVENT_ORGANISER,
    DOOR_STAFF,
)


def staff(group: str, **extra):
    email = f"{group.split()[0].lower()}@union.test"
    user = get_user_model().objects.create_user(email, email, "motdepasse-de-test-42", **extra)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def site():
    """The groups with their permissions and the page tree's sections the page links to."""
    ensure_union_groups()
    ensure_index_pages()
    make_index()


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.mark.parametrize("group", STAFF_GROUPS)
def test_every_staff_group_reads_the_guide_in_french(site, group):
    response = host_client("localhost", staff(group)).get(URL)
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "fr"
    assert page.title.get_text().startswith(HELP_TITLE)
    assert page.h1.get_text(strip=True) == HELP_TITLE
    main = page.find(class_="staff-help")
    # A table of contents of anchors, each to its h2, in the same order.
    toc = main.find("nav", attrs={"aria-labelledby": "help-toc-title"})
    anchors = [a["href"] for a in toc.find_all("a")]
    assert anchors == [f"#{section.anchor}" for section in SECTIONS]
    headings = main.find_all("h2")
    assert [h.get("id") for h in headings] == ["help-toc-title"] + [s.anchor for s in SECTIONS]
    assert [h.get_text() for h in headings[1:]] == [s.title for s in SECTIONS]
    for href in {a["href"] for a in main.find_all("a") if a["href"].startswith("#")}:
        assert main.find(id=href[1:]), href
    # The reader's own sections are marked; a table of roles with its caption and headers.
    assert f"Votre rôle : {group}." in main.get_text()
    marked = [li.a["href"] for li in toc.find_all("li") if "pour vous" in li.get_text()]
    expected = [f"#{s.anchor}" for s in SECTIONS if group == roles.UNION_ADMIN or group in s.groups]
    assert marked == expected
    table = main.find("table")
    assert table.caption and table.find_all("th", scope="col") and table.find_all("th", scope="row")
    text = " ".join(main.get_text().split())
    for words in (
        "Enregistrer le brouillon",
        "Dernière relecture",
        "Demander des modifications",
        "Nouvel événement",
        "Ajouter un atelier",
        "Département ou région par défaut (facultatif)",
        "Communes à vérifier",
        "Émarger",
        "PDF (A4 paysage",
        "M'envoyer un test",
        "Publier la liste des participants",
        "Inviter à la direction",
        "Tout renvoyer",
    ):
        assert words in text, words


def test_anonymous_people_and_member_directors_do_not_get_it(site):
    anonymous = host_client("localhost").get(URL)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    member = make_member("93010")  # Bondy
    director = make_person(member, "direction@ccas-bondy.test")
    refused = host_client("localhost", director).get(URL)
    assert refused.status_code in (302, 403)
    assert HELP_TITLE not in refused.content.decode()
    # Nor on a member's host: the Wagtail admin is served by the portal only.
    assert host_client(member.domain_name, director).get(URL).status_code == 404


@pytest.mark.parametrize("superuser", [False, True])
def test_the_aide_menu_has_the_guide_and_still_no_english_wagtail_guide(site, superuser):
    organiser = staff(roles.EVENT_ORGANISER, is_superuser=superuser)
    request = RequestFactory().get("/admin/")
    request.user = organiser
    names = [item.name for item in help_menu.menu_items_for_request(request)]
    assert names == ["aide-equipe", "keyboard-shortcuts-trigger"]
    (item,) = [i for i in help_menu.menu_items_for_request(request) if i.name == "aide-equipe"]
    assert (item.label, item.url) == (HELP_TITLE, URL)
    home = host_client("localhost", organiser).get("/admin/").content.decode()
    assert URL in home and "editor-guide" not in home


@pytest.mark.parametrize("group", STAFF_GROUPS)
def test_every_admin_link_of_the_guide_leads_somewhere(site, group):
    client = host_client("localhost", staff(group))
    main = soup(client.get(URL)).find(class_="staff-help")
    links = {a["href"] for a in main.find_all("a") if a["href"].startswith("/admin/")}
    if group == roles.UNION_ADMIN:
        # The page tree's sections, found in this installation, and the admins' screens.
        for expected in (
            "/admin/inscriptions/",
            "/admin/membres/",
            "/admin/reports/guides-a-relire/",
            "/admin/users/",
        ):
            assert expected in links
        assert len([link for link in links if link.startswith("/admin/pages/")]) == 4
    for link in sorted(links):
        # Followed: « Ajouter une sous-page » of a section that takes one page type goes
        # straight to that type's form. Another role's screen may refuse (403, or Wagtail's
        # redirect to the admin home): none is missing.
        status = client.get(link, follow=True).status_code
        assert status != 404, link
        if group == roles.UNION_ADMIN:
            assert status == 200, link

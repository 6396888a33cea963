"""A page under the home page cannot take an address one of the portal's own views answers
(/sante/, /contact/, /indicateurs/…): it would be published and never shown (union.page_paths)."""

from html import unescape

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text

from knowledge_base.services import ensure_index_pages
from tests.conftest import host_client
from tests.knowledge_base.conftest import make_staff
from tests.seminars.conftest import make_index
from union import roles
from union.page_paths import shadowed_slug_error


def edit_index_slug(client, index, slug: str):
    data = nested_form_data({"title": index.title, "slug": slug, "intro": rich_text("")})
    data["action-publish"] = "action-publish"
    return client.post(f"/admin/pages/{index.pk}/edit/", data)


@pytest.mark.parametrize("slug", ["sante", "contact", "indicateurs", "recherche", "compte"])
def test_the_calendar_cannot_take_the_address_of_a_view(db, portal, slug):
    index = make_index()
    client = host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))

    response = edit_index_slug(client, index, slug)

    assert response.status_code == 200  # the form again, with its error
    assert f"L'adresse « /{slug}/ » est déjà celle d'une page du site lui-même" in unescape(
        response.content.decode()
    )
    index.refresh_from_db()
    assert index.slug == "evenements"
    assert portal.get("/evenements/").status_code == 200  # the calendar is still where it was


def test_a_free_address_is_accepted_and_the_calendar_moves_there(db, portal):
    index = make_index()
    client = host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))

    response = edit_index_slug(client, index, "agenda")

    assert response.status_code == 302
    index.refresh_from_db()
    assert index.slug == "agenda"
    assert index.title.encode() in portal.get("/agenda/").content


def test_only_the_portals_own_views_count(db):
    home = make_index().get_parent()

    assert shadowed_slug_error(home, "sante")
    assert shadowed_slug_error(home, "guides") is None  # a page's address: the page tree's
    assert shadowed_slug_error(home, "evenements") is None  # only deeper paths are views
    assert shadowed_slug_error(None, "sante") is None  # no parent: no address yet


def test_the_guides_cannot_take_the_address_of_the_search(db):
    guides, _experiences = ensure_index_pages()
    client = host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))

    response = edit_index_slug(client, guides, "recherche")

    assert "L'adresse « /recherche/ » est déjà celle" in unescape(response.content.decode())
    guides.refresh_from_db()
    assert guides.slug != "recherche"

"""Review 19 of the union staff's Wagtail admin, union part: no English Wagtail help on the admin
home and in « Aide », and the site and root page named for the union."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from tests.conftest import host_client
from tests.seminars.conftest import make_index
from union import roles
from union.services import ensure_union_groups, name_site_and_root

pytestmark = pytest.mark.django_db


def staff(email: str, group: str, **extra):
    user = get_user_model().objects.create_user(email, email, "motdepasse-de-test-42", **extra)
    user.groups.add(Group.objects.get(name=group))
    return user


# --- B4. « Aide » and the admin home -----------------------------------------------------------


@pytest.mark.parametrize("superuser", [False, True])
def test_the_admin_home_sends_nobody_to_english_wagtail_pages(superuser):
    ensure_union_groups()
    editor = staff("editrice@union.test", roles.EDITOR, is_superuser=superuser)
    html = host_client("localhost", editor).get("/admin/").content.decode()
    assert "guide.wagtail.org" not in html
    assert "whats-new-in-wagtail" not in html and "editor-guide" not in html
    assert "Guide de l" not in html  # « Guide de l'éditeur pour Wagtail 8.0.1 »
    # Nor the English « Wagtail upgrade available » notice superusers were shown.
    assert "w-panel-upgrade" not in html
    # « Aide » keeps what is about this admin, in French: the keyboard shortcuts.
    assert "keyboard-shortcuts-trigger" in html


# --- B9. The site's and the root page's names --------------------------------------------------


def test_the_site_and_the_root_are_named_for_the_union():
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == "Maillage"  # as the first migration created it
    assert Page.objects.get(depth=1).title == "Root"

    name_site_and_root()
    name_site_and_root()  # run at each deployment: idempotent

    assert Site.objects.get(pk=site.pk).site_name == settings.PLATFORM_NAME
    root = Page.objects.get(depth=1)
    assert (root.title, root.draft_title) == ("Racine", "Racine")


def test_names_an_administrator_chose_are_kept():
    Site.objects.update(site_name="Portail de l'union")
    Page.objects.filter(depth=1).update(title="Tout le site", draft_title="Tout le site")
    name_site_and_root()
    assert Site.objects.get(is_default_site=True).site_name == "Portail de l'union"
    assert Page.objects.get(depth=1).title == "Tout le site"


def test_the_admin_names_the_union_and_the_root():
    make_index()
    ensure_union_groups()
    name_site_and_root()
    # An organiser's pages are the events' section: the home counts them « dans » the site.
    organiser = host_client("localhost", staff("orga@union.test", roles.EVENT_ORGANISER))
    home = organiser.get("/admin/").content.decode()
    assert f"{settings.PLATFORM_NAME}</span>" in home  # « 6 Pages créées dans … »
    assert "Maillage</span>" not in home
    # The explorer's breadcrumb starts with the root page.
    editor = host_client("localhost", staff("editrice@union.test", roles.EDITOR))
    home_page = Page.objects.get(depth=2)
    explorer = editor.get(f"/admin/pages/{home_page.pk}/").content.decode()
    assert "Racine" in explorer and ">Root<" not in explorer

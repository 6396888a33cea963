"""The project's corrections to Wagtail's French (locale/, LOCALE_PATHS): the admin home's site
summary says « N Pages créées dans <site> » (Wagtail 8 says « crées dans », and
« créées dans<site> » without a space for the counts its third plural form takes)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation

from knowledge_base.services import ensure_index_pages
from tests.conftest import PASSWORD, host_client
from union import roles

pytestmark = pytest.mark.django_db

SINGULAR = '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>'
PLURAL = '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>'


def test_the_site_summary_says_pages_created_in_the_site():
    ensure_index_pages()  # the guides' and experiences' indexes: several pages to count
    user = get_user_model().objects.create_user("admin@union.test", "admin@union.test", PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    response = host_client("localhost", user).get("/admin/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    hidden = soup.find("span", class_="w-sr-only", string=re.compile(r"dans"))
    assert hidden is not None
    assert hidden.get_text() == f"créées dans {settings.WAGTAIL_SITE_NAME}"
    assert re.search(r"\d+ Pages", hidden.find_parent("a").get_text())
    assert "crées dans" not in response.content.decode()


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (40, '40 Pages <span class="w-sr-only">créées dans UDCCAS</span>'),
        (1000000, '1000000 Pages <span class="w-sr-only">créées dans UDCCAS</span>'),
    ],
)
def test_every_plural_form_is_corrected(count, expected):
    with translation.override("fr"):
        text = translation.ngettext(SINGULAR, PLURAL, count)
    assert text % {"total": count, "site_name": "UDCCAS"} == expected

"""Every page names its icon: without one, browsers asked /favicon.ico on each page (a 404 in
the logs) and showed a blank tab icon."""

from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders

from tests.conftest import member_client

pytestmark = pytest.mark.django_db


def test_portal_and_member_pages_name_the_platform_icon(bondy, portal):
    for client in (portal, member_client(bondy)):
        page = client.get("/connexion/").content.decode()
        assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page


def test_the_icon_is_a_square_svg_in_the_platform_colour():
    path = finders.find("img/favicon.svg")
    assert path is not None
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"
    assert 'fill="#0b5d52"' in open(path).read()  # --accent of maillage.css

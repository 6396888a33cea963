"""Session 29: the acknowledgement of a proposed experience is e-mailed, so its link comes from
the configured address (WAGTAILADMIN_BASE_URL), never from the request's Host header, whose
port whoever sends the request chooses (tenants.services.portal_url)."""

import re

import pytest

from knowledge_base.models import Theme
from tenants.models import Membership
from tests.conftest import host_client, make_person
from tests.knowledge_base.test_workflow import FORM

pytestmark = pytest.mark.django_db


def test_the_acknowledgement_of_a_proposal_links_to_the_configured_address(
    kb_tree, bondy, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8123"
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = host_client(f"{bondy.domain_name}:4444", agent)
    data = {**FORM, "themes": [Theme.objects.get(slug="acces-aux-droits").pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/experiences/proposer/", data)
    assert response.status_code == 302
    [acknowledgement] = [m for m in mailoutbox if m.to == [agent.email]]
    links = re.findall(r"https?://[^\s\"<>]+", acknowledgement.body)
    assert f"http://{bondy.domain_name}:8123/experiences/" in links, links
    assert not [link for link in links if ":4444" in link], links

"""The member dashboard panel: the union's events, and only this member's people."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from seminars.dashboard import panel
from seminars.models import Visibility
from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def panel_for(member):
    request = RequestFactory().get("/", HTTP_HOST=member.domain_name)
    request.tenant = member
    request.user = AnonymousUser()
    return panel(request)


def test_each_member_sees_only_its_own_people(two_members):
    bondy, montreuil = two_members
    seminar = make_seminar("Atelier début de mandat")
    make_seminar("Commission privée", visibility=Visibility.INVITATION)
    make_seminar("Séminaire passé", days_ahead=-30)
    register_person(seminar, person(1, nom="Bondynois", commune="Bondy"))
    register_person(seminar, person(2, nom="Montreuillois", commune="93048"))
    for member, mine, other in (
        (bondy, "Bondynois", "Montreuillois"),
        (montreuil, "Montreuillois", "Bondynois"),
    ):
        result = panel_for(member)
        assert [row["event"].title for row in result["context"]["rows"]] == [seminar.title]
        html = render_to_string(result["template"], result["context"])
        assert mine in html and other not in html
        assert "<caption>" in html


def test_no_upcoming_event_means_no_panel(bondy):
    make_seminar("Séminaire passé", days_ahead=-30)
    assert panel_for(bondy) is None

"""`manage.py demo`, the whole of it, as `make demo` runs it: twice, changing nothing the second time."""

import io

import pytest
from django.core.management import call_command

from knowledge_base.models import ExperiencePage, GuidePage
from seminars.models import Registration, SeminarPage
from tenants.models import MemberCCAS, Membership
from tests.conftest import host_client

pytestmark = pytest.mark.django_db


def counts() -> dict:
    return {
        "members": MemberCCAS.objects.count(),
        "memberships": Membership.objects.count(),
        "guides": GuidePage.objects.count(),
        "experiences": ExperiencePage.objects.count(),
        "seminars": SeminarPage.objects.count(),
        "registrations": Registration.objects.count(),
    }


def test_demo_loads_everything_and_is_idempotent():
    output = io.StringIO()
    call_command("demo", stdout=output)
    first = counts()
    call_command("demo", stdout=io.StringIO())

    assert counts() == first
    assert first["members"] == 40  # every commune of the Seine-Saint-Denis (COG 2026) and a CIAS
    assert first["guides"] >= 6 and first["experiences"] >= 6 and first["registrations"] >= 40
    assert "direction@ccas-bondy.demo" in output.getvalue()
    home = host_client("localhost").get("/").content.decode()
    assert "Prochains séminaires et ateliers" in home
    assert "Aucun événement public" not in home

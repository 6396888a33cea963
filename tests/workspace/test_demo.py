"""The workspace demo loads, is idempotent, and shows what it promises."""

import io

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from tenants.models import Membership, PublicMemberProfile
from tenants.workspace import demo
from tenants.workspace.activity import available_years
from tenants.workspace.compliance import current_mandate, mandate_compliance
from tenants.workspace.models import ActivityFigure, BoardMandate
from tests.conftest import make_member, member_client
from union.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_complete(bondy, montreuil):
    saint_denis = make_member("93066")
    demo.load(io.StringIO())
    with schema_context(bondy.schema_name):
        figures = ActivityFigure.objects.count()
    demo.load(io.StringIO())
    with schema_context(bondy.schema_name):
        assert ActivityFigure.objects.count() == figures
        assert len(available_years()) == 10
        assert mandate_compliance(current_mandate()).compliant
        assert BoardMandate.objects.count() == 2
    for member, years, broken in (
        (montreuil, 3, "associations"),
        (saint_denis, 2, "vice_president"),
    ):
        with schema_context(member.schema_name):
            assert len(available_years()) == years
            failures = mandate_compliance(current_mandate()).failures
            assert [rule.code for rule in failures] == [broken]
    assert PublicMemberProfile.objects.filter(member=bondy).exists()
    User = get_user_model()
    for email, role in demo.EXTRA_ACCOUNTS.items():
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert Membership.objects.get(user=user, member=bondy).role == role
    agent = User.objects.get(email="agent@ccas-bondy.demo")
    assert member_client(bondy, agent).get("/").status_code == 200

"""The workspace demo loads, is idempotent, and shows what it promises."""

import io

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from pypdf import PdfReader

from tenants.models import Membership, PublicMemberProfile
from tenants.workspace import demo
from tenants.workspace.activity import available_years
from tenants.workspace.compliance import current_mandate, mandate_compliance
from tenants.workspace.models import ActivityFigure, BoardMandate, Document
from tests.conftest import make_member, make_person, member_client
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


def test_demo_gives_bondy_two_readable_documents_only_its_people_see(bondy, montreuil):
    make_member("93066")
    director = make_person(bondy, "direction@ccas-bondy.demo")
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    with schema_context(bondy.schema_name):
        documents = list(Document.objects.order_by("title"))
    assert [document.title for document in documents] == [
        "Procès-verbal du conseil d'administration du 12 mars 2026",
        "Règlement des aides facultatives 2026",
    ]
    assert documents[0].uploaded_by == director
    response = member_client(bondy, director).get(f"/documents/{documents[1].pk}/")
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "Article 3 – Barème" in text
    with schema_context(montreuil.schema_name):
        assert not Document.objects.exists()

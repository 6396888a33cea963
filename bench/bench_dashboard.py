"""Member dashboard with ten years of activity (target < 60 ms median), plus the report pages."""

from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from bench.harness import report, timings
from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member
from tenants.workspace import demo
from tenants.workspace.models import ActivityFigure


def _member() -> MemberCCAS:
    member = MemberCCAS.objects.filter(slug="bondy").first() or onboard_member("93010")
    connection.set_schema_to_public()
    return member


def run() -> None:
    member = _member()
    user = grant_membership(
        member, "bench@ccas-bondy.demo", Membership.Role.DIRECTOR, password="bench-pass-1"
    ).user
    with schema_context(member.schema_name):
        demo._profile(member, publish=True)
        demo._board(member, breaks=None)
        demo._activity(member, years=10)
        figures = ActivityFigure.objects.count()
        last_year = ActivityFigure.objects.order_by("-year").values_list("year", flat=True)[0]
    connection.set_schema_to_public()
    print(f"{figures} activity figures over 10 years", flush=True)
    client = Client(HTTP_HOST=member.domain_name)
    client.force_login(user)

    def get(path):
        def fetch():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            connection.set_schema_to_public()

        return fetch

    report("member dashboard /, 10 years of activity", timings(get("/"), repeat=50), 60)
    report(f"activity report /activite/?annee={last_year}", timings(get("/activite/"), repeat=30))
    report("board with compliance /conseil/", timings(get("/conseil/"), repeat=30))
    report(
        f"activity API /api/v1/activity/?year={last_year}",
        timings(get(f"/api/v1/activity/?year={last_year}"), repeat=30),
    )
    report(
        "activity export PDF",
        timings(get(f"/activite/export.pdf?annee={last_year}"), repeat=10),
    )

"""Two members whose primary keys collide never see each other's workspace data."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from tenants.workspace.models import ActivityFigure, BoardMember
from tests.conftest import make_person, member_client
from tests.workspace.conftest import add_figures, make_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def colliding(two_members):
    bondy, montreuil = two_members
    make_board(bondy)
    make_board(montreuil, elected=5, appointed=5)
    add_figures(bondy, (2025, "Secours", "Transports", 111, Decimal("1111.00")))
    add_figures(montreuil, (2025, "Secours", "Obsèques", 999, Decimal("9999.00")))
    with schema_context(bondy.schema_name):
        b_fig = ActivityFigure.objects.get().pk
        b_seat = BoardMember.objects.order_by("pk").first().pk
    with schema_context(montreuil.schema_name):
        m_fig = ActivityFigure.objects.get().pk
        m_seat = BoardMember.objects.order_by("pk").first().pk
    assert (b_fig, b_seat) == (m_fig, m_seat)  # the collision this test is about
    directors = (make_person(bondy, "dir@bondy.test"), make_person(montreuil, "dir@montreuil.test"))
    return bondy, montreuil, directors, b_fig, b_seat


def test_pages_and_api_show_only_the_host_member(colliding):
    bondy, montreuil, (bondy_dir, montreuil_dir), fig, seat = colliding
    b, m = member_client(bondy, bondy_dir), member_client(montreuil, montreuil_dir)
    assert "111" in b.get("/activite/?annee=2025").content.decode()
    # Names, not figures, for what must be absent: a random CSRF token may hold "999".
    assert "Obsèques" not in b.get("/activite/?annee=2025").content.decode()
    assert "Obsèques" in m.get("/activite/?annee=2025").content.decode()
    assert [f["category"] for f in b.get("/api/v1/activity/?year=2025").json()["figures"]] == [
        "Transports"
    ]
    assert len(b.get("/api/v1/board/members/").json()) == 9
    assert len(m.get("/api/v1/board/members/").json()) == 11
    assert "Transports" in b.get(f"/activite/{fig}/").content.decode()
    assert "Obsèques" in m.get(f"/activite/{fig}/").content.decode()
    # The other member's account on this host: refused, nothing leaks.
    for path in (
        "/",
        "/activite/?annee=2025",
        f"/activite/{fig}/",
        "/conseil/",
        "/profil/",
        "/equipe/",
        "/activite/export.csv?annee=2025",
    ):
        response = member_client(montreuil, bondy_dir).get(path)
        assert response.status_code == 403, path
        assert "Transports" not in response.content.decode()
    api = member_client(montreuil, bondy_dir).get("/api/v1/activity/?year=2025")
    assert api.status_code == 403


def test_writes_stay_in_the_host_member(colliding, tmp_path):
    bondy, montreuil, (bondy_dir, _), fig, seat = colliding
    b = member_client(bondy, bondy_dir)
    b.post(f"/activite/{fig}/supprimer/")
    b.post(f"/conseil/membres/{seat}/supprimer/")
    path = tmp_path / "a.csv"
    path.write_text("year;pole;category;count;amount\n2024;Accueil;Appels téléphoniques;5;\n")
    with open(path, "rb") as handle:
        assert b.post("/api/v1/activity/import", {"file": handle}).status_code == 201
    with schema_context(montreuil.schema_name):
        assert ActivityFigure.objects.filter(pk=fig, count=999).exists()
        assert ActivityFigure.objects.count() == 1
        assert BoardMember.objects.filter(pk=seat).exists()
    with schema_context(bondy.schema_name):
        assert list(ActivityFigure.objects.values_list("year", flat=True)) == [2024]
        assert not BoardMember.objects.filter(pk=seat).exists()


def test_team_and_dashboard_show_only_the_host_member(colliding):
    bondy, montreuil, (bondy_dir, montreuil_dir), *_ = colliding
    team = member_client(bondy, bondy_dir).get("/equipe/").content.decode()
    assert "dir@bondy.test" in team and "dir@montreuil.test" not in team
    home = member_client(montreuil, montreuil_dir).get("/").content.decode()
    assert "Montreuil" in home and "Bondy" not in home


def test_delete_confirmations_stay_in_the_host_member(colliding):
    bondy, montreuil, (bondy_dir, montreuil_dir), fig, seat = colliding
    # Bondy gets a figure whose id Montreuil does not have.
    add_figures(bondy, (2024, "Accueil", "Appels téléphoniques", 5, None))
    with schema_context(bondy.schema_name):
        only_bondy = ActivityFigure.objects.get(year=2024).pk
    b, m = member_client(bondy, bondy_dir), member_client(montreuil, montreuil_dir)

    # The same ids on each host: each confirmation shows its own member's row.
    assert "Transports" in b.get(f"/activite/{fig}/supprimer/").content.decode()
    montreuil_page = m.get(f"/activite/{fig}/supprimer/").content.decode()
    assert "Obsèques" in montreuil_page and "Transports" not in montreuil_page
    with schema_context(bondy.schema_name):
        bondy_seat = BoardMember.objects.get(pk=seat).full_name
    with schema_context(montreuil.schema_name):
        montreuil_seat = BoardMember.objects.get(pk=seat).full_name
    assert bondy_seat in b.get(f"/conseil/membres/{seat}/supprimer/").content.decode()
    assert montreuil_seat in m.get(f"/conseil/membres/{seat}/supprimer/").content.decode()

    # An id only the other member has: 404 on this host, to look or to delete.
    assert m.get(f"/activite/{only_bondy}/supprimer/").status_code == 404
    assert m.post(f"/activite/{only_bondy}/supprimer/").status_code == 404
    # The other member's account on this host: refused.
    assert member_client(montreuil, bondy_dir).get(f"/activite/{fig}/supprimer/").status_code == 403
    assert (
        member_client(montreuil, bondy_dir).post(f"/conseil/membres/{seat}/supprimer/").status_code
        == 403
    )

    # Confirming on Montreuil deletes Montreuil's rows only.
    assert m.post(f"/activite/{fig}/supprimer/").status_code == 302
    assert m.post(f"/conseil/membres/{seat}/supprimer/").status_code == 302
    with schema_context(bondy.schema_name):
        assert ActivityFigure.objects.filter(pk=fig, count=111).exists()
        assert BoardMember.objects.filter(pk=seat).exists()
    with schema_context(montreuil.schema_name):
        assert not ActivityFigure.objects.filter(pk=fig).exists()
        assert not BoardMember.objects.filter(pk=seat).exists()

"""Roles on every workspace page and endpoint: viewers read, agents write, directors manage."""

import pytest
from django_tenants.utils import schema_context

from tenants.workspace.models import ActivityFigure, BoardMember
from tests.conftest import host_client, member_client
from tests.workspace.conftest import add_figures, make_board

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "/",
    "/profil/",
    "/conseil/",
    "/activite/",
    "/activite/domiciliation/",
    "/equipe/",
    "/activite/modele.csv",
]
WRITE_PAGES = [
    "/profil/modifier/",
    "/activite/saisir/",
    "/activite/importer/",
    "/conseil/mandats/ajouter/",
]


@pytest.mark.parametrize("path", READ_PAGES)
def test_every_role_reads(bondy, clients, path):
    for role, client in clients.items():
        assert client.get(path).status_code == 200, (role, path)


@pytest.mark.parametrize("path", READ_PAGES + WRITE_PAGES)
def test_anonymous_is_sent_to_login_and_outsiders_are_refused(bondy, montreuil, path):
    response = member_client(bondy).get(path)
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    from tests.conftest import make_person

    outsider = make_person(montreuil, "dir@montreuil.test")
    assert member_client(bondy, outsider).get(path).status_code == 403


@pytest.mark.parametrize("path", WRITE_PAGES)
def test_viewer_cannot_open_write_pages(bondy, clients, path):
    assert clients["viewer"].get(path).status_code == 403
    # Opening a mandature is the direction's, as renewing the board (session 31).
    direction_only = path == "/conseil/mandats/ajouter/"
    assert clients["agent"].get(path).status_code == (403 if direction_only else 200)
    assert clients["director"].get(path).status_code == 200


def test_viewer_sees_no_write_links(bondy, clients):
    make_board(bondy)
    add_figures(bondy, (2025, "Secours", "Transports", 3, None))
    for path in ("/conseil/", "/activite/?annee=2025", "/profil/", "/equipe/"):
        page = clients["viewer"].get(path).content.decode()
        assert "Supprimer" not in page and "Modifier le profil" not in page
        assert "Inviter" not in page and "Retirer" not in page
    assert "Supprimer" in clients["agent"].get("/activite/?annee=2025").content.decode()


def test_viewer_posts_are_refused_and_change_nothing(bondy, clients):
    make_board(bondy)
    add_figures(bondy, (2025, "Secours", "Transports", 3, None))
    with schema_context(bondy.schema_name):
        figure_pk = ActivityFigure.objects.get().pk
        board_member_pk = BoardMember.objects.first().pk
    viewer = clients["viewer"]
    assert viewer.post(f"/activite/{figure_pk}/supprimer/").status_code == 403
    assert viewer.post(f"/conseil/membres/{board_member_pk}/supprimer/").status_code == 403
    assert viewer.post("/profil/", {"name": "on"}).status_code == 403
    response = viewer.post(
        "/activite/saisir/",
        {"year": 2025, "pole": "Secours", "category": "Obsèques", "count": 1},
    )
    assert response.status_code == 403
    with schema_context(bondy.schema_name):
        assert ActivityFigure.objects.count() == 1 and BoardMember.objects.count() == 9


def test_api_roles(bondy, clients, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("year;pole;category;count;amount\n2025;Secours;Transports;1;\n")
    for role, expected in (("viewer", 403), ("agent", 201)):
        with open(path, "rb") as handle:
            response = clients[role].post("/api/v1/activity/import", {"file": handle})
        assert response.status_code == expected, role
    put = {"legal_name": "CCAS de Bondy", "kind": "CCAS"}
    assert (
        clients["viewer"].put("/api/v1/profile/", put, content_type="application/json").status_code
        == 403
    )
    assert (
        clients["agent"].put("/api/v1/profile/", put, content_type="application/json").status_code
        == 200
    )
    seat = {"first_name": "A", "last_name": "B", "seat": "elected", "start": "2020-07-01"}
    assert clients["viewer"].post("/api/v1/board/members/", seat).status_code == 403
    # No mandature yet: opening one is the direction's (session 31), then agents seat people.
    refused = clients["agent"].post("/api/v1/board/members/", seat)
    assert refused.status_code == 403 and "seule la direction" in refused.json()["detail"]
    assert clients["director"].post("/api/v1/board/members/", seat).status_code == 201
    other_seat = {**seat, "first_name": "C", "last_name": "D"}
    assert clients["agent"].post("/api/v1/board/members/", other_seat).status_code == 201
    anonymous = host_client(bondy.domain_name)
    for url in ("/api/v1/profile/", "/api/v1/board/compliance/", "/api/v1/activity/"):
        assert anonymous.get(url).status_code in (401, 403)

"""A member's drafts appear nowhere else: not on the other member's host, not on the portal, not in
the API, not in anyone's statistics, even though both members' observation ids collide."""

import pytest

from tests.abs_shared.conftest import observations_of, observe, observe_and_publish
from tests.conftest import host_client, make_person, member_client

pytestmark = pytest.mark.django_db

DRAFT = 31.4159
DRAFT_SHOWN = ("31,4", "31.41", "31,41")


def _no_draft(response) -> None:
    body = response.content.decode("utf-8-sig")
    assert not any(text in body for text in DRAFT_SHOWN), response.request["PATH_INFO"]


def test_a_members_drafts_stay_in_its_space(two_members):
    bondy, montreuil = two_members
    observe(bondy, "TP60", 2021, DRAFT)
    observe_and_publish(montreuil, "TP60", 2021, 22)
    assert observations_of(bondy)[0].pk == observations_of(montreuil)[0].pk  # the collision
    bondy_director = make_person(bondy, "dir@bondy.test")
    montreuil_director = make_person(montreuil, "dir@montreuil.test")

    # Bondy's own space shows it (the control that makes the checks below meaningful).
    own = member_client(bondy, bondy_director).get("/abs/comparaison/TP60/?annee=2021")
    assert "31,4" in own.content.decode()

    montreuil_host = member_client(montreuil, montreuil_director)
    for path in (
        "/abs/",
        "/abs/portrait/",
        "/abs/portrait/?export=csv",
        "/abs/comparaison/TP60/?annee=2021",
        "/abs/comparaison/TP60/?annee=2021&export=csv",
        "/api/v1/observations/",
        "/api/v1/comparison/?commune=93048&indicator=TP60&year=2021",
        "/api/v1/comparison/?commune=93010&indicator=TP60&year=2021",
        "/api/v1/series/?commune=93010&indicator=TP60",
    ):
        response = montreuil_host.get(path)
        assert response.status_code == 200, path
        _no_draft(response)

    # Montreuil's comparison counts only the published values: its own.
    stats = montreuil_host.get("/api/v1/comparison/?commune=93048&indicator=TP60&year=2021").json()
    assert stats["members"]["count"] == 1

    portal = host_client("localhost")
    for path in (
        "/indicateurs/",
        "/indicateurs/TP60/",
        "/indicateurs/communes/93010/",
        "/indicateurs/communes/93010/TP60/?annee=2021",
        "/api/v1/comparison/?commune=93010&indicator=TP60&year=2021",
        "/api/v1/series/?commune=93010&indicator=TP60",
    ):
        _no_draft(portal.get(path))
    assert (
        portal.get("/api/v1/comparison/?commune=93010&indicator=TP60&year=2021").json()["status"]
        == "missing"
    )

    # Bondy's host itself, to anyone who is not one of its people, or to another member's director.
    for client in (member_client(bondy), member_client(bondy, montreuil_director)):
        _no_draft(client.get("/api/v1/comparison/?commune=93010&indicator=TP60&year=2021"))
        _no_draft(client.get("/api/v1/series/?commune=93010&indicator=TP60"))
        assert client.get("/abs/").status_code in (302, 403)
        assert client.get("/api/v1/observations/").status_code in (401, 403)

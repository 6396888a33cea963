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


CIAS_DRAFT = 31.4159  # DRAFT_SHOWN above
CCAS_DRAFT = 26.7  # Bondy's CCAS's
CCAS_SHOWN = ("26,7", "26.7")
EST_ENSEMBLE = "200057875"


def _never(response, shown) -> None:
    body = response.content.decode("utf-8-sig")
    assert not any(text in body for text in shown), response.request["PATH_INFO"]


def test_a_cias_and_the_ccas_of_its_seat_never_take_each_others_values(bondy):
    """Bondy's CCAS and the CIAS of Est Ensemble seated in Bondy: their observation ids collide;
    the CIAS's space shows its own values at the intercommunality level, never the CCAS's (not even
    where it has none), and the CCAS's space never shows the CIAS's."""
    from tenants.models import MemberCCAS
    from tests.abs_shared.conftest import pool_member, pool_value
    from tests.conftest import make_member

    cias = make_member("93010", kind=MemberCCAS.Kind.CIAS)
    assert cias.intercommunality_id == EST_ENSEMBLE and cias.commune_id == bondy.commune_id
    observe(bondy, "TP60", 2021, CCAS_DRAFT)
    observe_and_publish(bondy, "CHOM", 2021, "18.25")  # the CIAS has no CHOM of its own
    observe(cias, "TP60", 2021, CIAS_DRAFT)
    pks = {o.indicator_id: o.pk for o in observations_of(bondy)}
    assert pks["TP60"] == observations_of(cias)[0].pk  # the collision
    pool_value(pool_member("93066", MemberCCAS.Kind.CIAS, "200057867"), "TP60", 2021, 30)
    pool_value(pool_member("93048"), "TP60", 2021, 10)  # a commune: never among the CIAS
    cias_host = member_client(cias, make_person(cias, "dir@cias.test"))
    ccas_host = member_client(bondy, make_person(bondy, "dir@bondy.test"))

    # The CIAS's space: its draft, at the level of Est Ensemble, beside the other CIAS only.
    portrait = cias_host.get("/abs/portrait/").content.decode()
    assert "Portrait d&#x27;Est Ensemble" in portrait and "31,4 (brouillon)" in portrait
    assert "Indicateurs ABS du CIAS" in portrait and "Portrait de Bondy" not in portrait
    page = cias_host.get("/abs/comparaison/TP60/?annee=2021").content.decode()
    # The CIAS's own draft among the figures, said so: one other CIAS published.
    assert "Est Ensemble – valeurs du CIAS" in page
    # Its draft and Plaine Commune's 30: too few CIAS to place it (Montreuil's 10 is no CIAS).
    assert "Trop peu de CIAS ont publié cette valeur pour situer la vôtre (2 valeurs," in page
    assert "Métropole du Grand Paris" not in page and "communes comparables" not in page
    api = cias_host.get(
        f"/api/v1/comparison/?intercommunality={EST_ENSEMBLE}&indicator=TP60&year=2021"
    ).json()
    assert api["value"] == CIAS_DRAFT and api["draft"] is True
    # Its draft and Plaine Commune's 30, not Montreuil's 10 (3 values); too few to situate.
    assert api["members"]["count"] == 2 and api["members"]["too_few"] is True
    assert [r["level"] for r in api["references"]] == ["epci", "departement", "region", "france"]
    series = cias_host.get(f"/api/v1/series/?intercommunality={EST_ENSEMBLE}&indicator=TP60")
    assert series.json()["points"][-1] == {
        "year": 2021,
        "value": CIAS_DRAFT,
        "status": "value",
        "draft": True,
    }
    # Where the CIAS has no value, nothing: never its seat commune's CCAS values.
    chom = cias_host.get("/abs/comparaison/CHOM/").content.decode()
    assert "Aucune valeur saisie ou publiée" in chom and "18,3" not in chom
    assert "Chômage" not in portrait
    for path in (
        "/abs/portrait/",
        "/abs/portrait/?export=csv",
        "/abs/comparaison/TP60/?annee=2021",
        "/abs/comparaison/TP60/?annee=2021&export=csv",
        "/abs/comparaison/TP60/?annee=2021&tableau=serie&export=csv",
        "/api/v1/observations/",
        f"/api/v1/comparison/?intercommunality={EST_ENSEMBLE}&indicator=TP60&year=2021",
        f"/api/v1/series/?intercommunality={EST_ENSEMBLE}&indicator=TP60",
        # The seat commune read from the CIAS's host: published CCAS values, no CIAS draft.
        "/api/v1/comparison/?commune=93010&indicator=TP60&year=2021",
        "/api/v1/series/?commune=93010&indicator=TP60",
    ):
        response = cias_host.get(path)
        assert response.status_code == 200, path
        _never(response, CCAS_SHOWN)
    seat = cias_host.get("/api/v1/comparison/?commune=93010&indicator=TP60&year=2021").json()
    assert seat["status"] == "missing" and seat["draft"] is False
    _never(cias_host.get("/api/v1/series/?commune=93010&indicator=TP60"), DRAFT_SHOWN)

    # The CCAS's space never shows the CIAS's value, and its own draft stays its commune's.
    assert "26,7 (brouillon)" in ccas_host.get("/abs/portrait/").content.decode()
    for path in (
        "/abs/portrait/",
        "/abs/portrait/?export=csv",
        "/abs/comparaison/TP60/?annee=2021",
        "/abs/comparaison/TP60/?annee=2021&export=csv",
        "/api/v1/comparison/?commune=93010&indicator=TP60&year=2021",
        f"/api/v1/comparison/?intercommunality={EST_ENSEMBLE}&indicator=TP60&year=2021",
        f"/api/v1/series/?intercommunality={EST_ENSEMBLE}&indicator=TP60",
    ):
        _no_draft(ccas_host.get(path))
    own = ccas_host.get("/api/v1/comparison/?commune=93010&indicator=TP60&year=2021").json()
    assert own["value"] == CCAS_DRAFT and own["members"]["count"] == 2  # Montreuil and itself

    # Published, the CIAS's value reaches the intercommunality's portal page only.
    from abs_shared.local.services import publish_observations, validate_observations

    validate_observations(cias)
    publish_observations(cias)
    portal = host_client("localhost")
    assert "31,4" in portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/").content.decode()
    _no_draft(portal.get("/indicateurs/communes/93010/"))
    _no_draft(portal.get("/indicateurs/communes/93010/TP60/?annee=2021"))
    _no_draft(portal.get("/api/v1/comparison/?commune=93010&indicator=TP60&year=2021"))


def test_a_cias_imports_its_intercommunalitys_row_of_an_insee_file(bondy, tmp_path):
    """An INSEE file holding the seat commune's row (CODGEO 93010) and the intercommunality's
    (its SIREN): the CIAS gets the intercommunality's, the CCAS the commune's."""
    from abs_shared.local.services import import_observations
    from tenants.models import MemberCCAS
    from tests.abs_shared.conftest import upload, write_file
    from tests.conftest import make_member

    cias = make_member("93010", kind=MemberCCAS.Kind.CIAS)
    path = write_file(
        tmp_path, "insee.csv", f"CODGEO;LIBGEO;TP6021\n93010;Bondy;26,7\n{EST_ENSEMBLE};EE;24,1\n"
    )
    import_observations(cias, upload(path))
    import_observations(bondy, upload(path))
    assert [str(o.value) for o in observations_of(cias)] == ["24.1000"]
    assert [str(o.value) for o in observations_of(bondy)] == ["26.7000"]

"""Seventh session: a deleted theme leaves the search index of its pages; a CIAS's experience
names its intercommunality and the communes it covers (page and API)."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from knowledge_base.models import Theme
from knowledge_base.services import ensure_knowledge_base_setup
from tenants.models import Intercommunality, MemberCCAS
from tests.conftest import host_client, make_member
from tests.knowledge_base.conftest import make_experience, make_guide, make_staff
from union import roles

pytestmark = pytest.mark.django_db

EST_ENSEMBLE = [
    "Bagnolet",
    "Bobigny",
    "Bondy",
    "Le Pré-Saint-Gervais",
    "Les Lilas",
    "Montreuil",
    "Noisy-le-Sec",
    "Pantin",
    "Romainville",
]


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def path_of(experience) -> str:
    return f"/experiences/{experience.slug}/"


def facts(response) -> dict[str, str]:
    """The « Commune », « Intercommunalité »… lines of an experience page."""
    dl = soup_of(response).find("dl", class_="kb-facts")
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in dl.find_all("dt")
    }


# --- 8. A deleted theme ----------------------------------------------------------------------


def test_a_deleted_theme_no_longer_finds_its_pages(kb_tree, bondy, portal):
    ensure_knowledge_base_setup()
    guides, experiences = kb_tree
    zouglou = Theme.objects.create(name="Médiation zouglou", slug="mediation-zouglou")
    make_guide(
        guides, "Un guide", summary="Rien de particulier.", themes=["mediation-zouglou", "sante"]
    )
    make_experience(
        experiences, bondy, "Une expérience", summary="Rien de particulier.",
        themes=["mediation-zouglou"],
    )  # fmt: skip
    assert "2 résultats" in portal.get("/recherche/?q=zouglou").content.decode()

    editor = host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))
    response = editor.post(f"/admin/snippets/knowledge_base/theme/delete/{zouglou.pk}/")
    assert response.status_code == 302
    assert not Theme.objects.filter(pk=zouglou.pk).exists()

    html = portal.get("/recherche/?q=zouglou").content.decode()
    assert "Aucun résultat" in html and "Un guide<" not in html
    listing = portal.get("/guides/?q=zouglou").content.decode()
    assert "Un guide<" not in listing
    # The pages themselves stay found by their own words and their other themes.
    found = portal.get("/recherche/?q=particulier").content.decode()
    assert "Un guide<" in found and "Une expérience<" in found


# --- 9. A CIAS's intercommunality ------------------------------------------------------------


@pytest.fixture
def cias_and_ccas(kb_tree, two_members):
    """An experience of the CIAS of Est Ensemble (seated in Bondy), one of Bondy's CCAS and one
    of Montreuil's CCAS."""
    bondy, montreuil = two_members
    _, index = kb_tree
    cias = make_member("93010", kind=MemberCCAS.Kind.CIAS)
    assert cias.intercommunality.nom == "Est Ensemble"
    pages = {
        "cias": make_experience(index, cias, "Un bus France services intercommunal"),
        "bondy": make_experience(index, bondy, "Une épicerie solidaire à Bondy"),
        "montreuil": make_experience(index, montreuil, "Des logements passerelles"),
    }
    return cias, pages


def test_a_cias_experience_page_names_its_intercommunality_and_communes(cias_and_ccas, portal):
    _, pages = cias_and_ccas
    lines = facts(portal.get(path_of(pages["cias"])))
    assert lines["Intercommunalité"] == (
        "Est Ensemble (établissement public territorial), 9 communes : " + ", ".join(EST_ENSEMBLE)
    )
    assert lines["Siège"].startswith("Bondy (Seine-Saint-Denis)")
    assert "Commune" not in lines
    # A CCAS's page keeps its commune line, without an intercommunality.
    lines = facts(portal.get(path_of(pages["bondy"])))
    assert lines["Commune"].startswith("Bondy (Seine-Saint-Denis)")
    assert "Intercommunalité" not in lines


def test_a_large_intercommunality_shows_its_count_and_folds_its_list(kb_tree, portal):
    _, index = kb_tree
    large = (
        Intercommunality.objects.exclude(kind=Intercommunality.Kind.EPT)
        .annotate(size=Count("communes"))
        .filter(size__gt=40)
        .order_by("siren")
        .first()
    )
    seat = large.communes.order_by("code").first()
    cias = make_member(seat.code, kind=MemberCCAS.Kind.CIAS, epci_siren=large.siren)
    page = make_experience(index, cias, "Une expérience rurale")
    soup = soup_of(portal.get(path_of(page)))
    line = facts(portal.get(path_of(page)))["Intercommunalité"]
    assert line.startswith(f"{large.nom} (") and f"{large.size} communes" in line
    folded = soup.find("details", class_="kb-communes")
    assert folded.find("summary").get_text() == f"Voir les {large.size} communes"
    assert folded.find("p").get_text().count(", ") == large.size - 1


def test_the_api_gives_a_cias_intercommunality_and_keeps_the_seat(cias_and_ccas, portal):
    cias, _ = cias_and_ccas
    results = {r["title"]: r for r in portal.get("/api/v1/experiences/").json()["results"]}
    cias_result = results["Un bus France services intercommunal"]
    assert cias_result["commune"] == {"code": "93010", "nom": "Bondy", "departement": "93"}
    grouping = cias_result["intercommunality"]
    assert (grouping["siren"], grouping["nom"], grouping["kind"]) == (
        cias.intercommunality.siren,
        "Est Ensemble",
        "EPT",
    )
    assert grouping["commune_count"] == 9
    assert [c["nom"] for c in grouping["communes"]] == EST_ENSEMBLE
    assert {"code": "93055", "nom": "Pantin", "departement": "93"} in grouping["communes"]
    # CCAS: their commune as before, no intercommunality.
    assert results["Une épicerie solidaire à Bondy"]["intercommunality"] is None
    montreuil = results["Des logements passerelles"]
    assert montreuil["intercommunality"] is None and montreuil["commune"]["nom"] == "Montreuil"


def api_queries(portal) -> tuple[int, list[dict]]:
    with CaptureQueriesContext(connection) as captured:
        response = portal.get("/api/v1/experiences/")
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()["results"]


def test_the_communes_covered_cost_no_query_per_experience(cias_and_ccas, kb_tree, portal):
    cias, _ = cias_and_ccas
    _, index = kb_tree
    before, _ = api_queries(portal)
    other = make_member("93066", kind=MemberCCAS.Kind.CIAS)  # Plaine Commune
    for number in range(3):
        make_experience(index, cias, f"Encore une action intercommunale {number}")
        make_experience(index, other, f"Une action de Plaine Commune {number}")
    after, results = api_queries(portal)
    assert after == before
    counts = {r["intercommunality"]["nom"]: r["intercommunality"]["commune_count"] for r in results
              if r["intercommunality"]}  # fmt: skip
    plaine_commune = other.intercommunality
    assert counts == {"Est Ensemble": 9, plaine_commune.nom: plaine_commune.ept_communes.count()}

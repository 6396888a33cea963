"""Session 19's review of the ABS pages: a CIAS's values and its intercommunality's reference
line read apart; no quartiles, median or rank over fewer than three values (member space and
portal, CIAS and communes); a value is deleted after a confirmation page that leads back to the
filtered list; /abs/'s counts are phrases, and its legend says nothing of a rank it does not
show. Members whose observation ids collide."""

import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context

from abs_shared.local.models import Observation
from abs_shared.models import Indicator, ReferenceValue
from tenants.models import MemberCCAS, Membership
from tests.abs_shared.conftest import (
    observations_of,
    observe,
    observe_and_publish,
    pool_member,
    pool_value,
    reference,
)
from tests.conftest import host_client, make_member, make_person, member_client

pytestmark = pytest.mark.django_db

GRAND_PARIS_GRAND_EST = "200058790"
PLAINE_COMMUNE = "200057867"
EST_ENSEMBLE = "200057875"
RANK_LEGEND = "Rang : 1 = la situation la plus fragile"


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def table_captioned(page: BeautifulSoup, ending: str):
    (table,) = [t for t in page.find_all("table") if text_of(t.caption).endswith(ending)]
    return table


def row_headers(table) -> list[str]:
    return [text_of(th) for th in table.tbody.find_all("th", scope="row")]


def column_headers(table) -> list[str]:
    return [text_of(th) for th in table.thead.find_all("th")]


@pytest.fixture
def cias(db) -> MemberCCAS:
    return make_member("93051", kind=MemberCCAS.Kind.CIAS, epci_siren=GRAND_PARIS_GRAND_EST)


# --- 2. A CIAS's comparison ----------------------------------------------------------------------


def test_a_cias_comparison_names_its_values_apart_from_its_territory_and_needs_three_cias(
    bondy, cias
):
    observe(cias, "TP60", 2021, "27.6")
    observe(bondy, "TP60", 2021, "19.5")  # Bondy's CCAS: never among the CIAS
    assert observations_of(cias)[0].pk == observations_of(bondy)[0].pk  # the collision
    reference(ReferenceValue.Level.EPCI, GRAND_PARIS_GRAND_EST, "TP60", 2021, "28.6")
    reference(ReferenceValue.Level.EPCI, GRAND_PARIS_GRAND_EST, "TP60", 2020, "28.1")
    client = member_client(cias, make_person(cias, "d@cias.test"))

    page = soup_of(client.get("/abs/comparaison/TP60/?annee=2021"))
    comparison = table_captioned(page, ": comparaison")
    rows = row_headers(comparison)
    assert rows[:2] == [
        "Grand Paris Grand Est – valeurs du CIAS",
        "Grand Paris Grand Est – territoire de référence",
    ]
    assert len(rows) == len(set(rows))
    assert [text_of(td) for td in comparison.tbody.find_all("tr")[1].find_all("td")][:2] == [
        "28,6",
        "−1,0 point",
    ]
    evolution = table_captioned(page, ": évolution")
    headers = column_headers(evolution)
    assert headers[:3] == [
        "Année",
        "Grand Paris Grand Est – valeurs du CIAS",
        "Grand Paris Grand Est – territoire de référence",
    ]
    assert len(headers) == len(set(headers))
    assert "19,5" not in text_of(page)

    # Only its own value among the CIAS: no distribution, no rank, no box; said why.
    text = text_of(page.find("main"))
    assert (
        "Trop peu de CIAS ont publié cette valeur pour situer la vôtre (1 valeur, celle-ci "
        "comprise ; il en faut au moins 3) : ni quartiles, ni médiane, ni rang." in text
    )
    assert not any("quartile" in row or "rang" in row for row in rows)
    assert " sur 1" not in text and RANK_LEGEND not in text
    assert page.find("figure", class_="abs-figure-position") is None
    # Its export says the same.
    exported = client.get("/abs/comparaison/TP60/?annee=2021&export=csv").content.decode(
        "utf-8-sig"
    )
    assert "Grand Paris Grand Est – territoire de référence;28,6" in exported
    assert "Trop peu de CIAS" in exported and "1er quartile" not in exported

    # Two other CIAS published: now three values, placed and ranked.
    pool_value(pool_member("93066", MemberCCAS.Kind.CIAS, PLAINE_COMMUNE), "TP60", 2021, 30)
    pool_value(pool_member("93048", MemberCCAS.Kind.CIAS, EST_ENSEMBLE), "TP60", 2021, 25)
    page = soup_of(client.get("/abs/comparaison/TP60/?annee=2021"))
    rows = row_headers(table_captioned(page, ": comparaison"))
    label = "CIAS ayant publié (2) + Grand Paris Grand Est (brouillon)"
    assert f"{label} : 1er quartile" in rows and f"{label} : rang (1 = le plus fragile)" in rows
    text = text_of(page.find("main"))
    assert "2 sur 3" in text and RANK_LEGEND in text and "Trop peu" not in text
    assert page.find("figure", class_="abs-figure-position") is not None

    # Bondy's CCAS compares its own draft, among communes, and never the CIAS's.
    bondy_page = text_of(
        soup_of(
            member_client(bondy, make_person(bondy, "d@bondy.test")).get(
                "/abs/comparaison/TP60/?annee=2021"
            )
        ).find("main")
    )
    assert "Bondy (commune)" in bondy_page and "19,5" in bondy_page
    assert "27,6" not in bondy_page and "valeurs du CIAS" not in bondy_page


def test_communes_need_three_values_on_the_portal_too(two_members):
    bondy, montreuil = two_members
    observe_and_publish(bondy, "TP60", 2021, 20)
    observe_and_publish(montreuil, "TP60", 2021, 25)
    assert observations_of(bondy)[0].pk == observations_of(montreuil)[0].pk
    portal = host_client("localhost")

    page = soup_of(portal.get("/indicateurs/communes/93010/TP60/?annee=2021"))
    text = text_of(page.find("main"))
    assert (
        "Trop peu de membres ont publié cette valeur pour situer celle de Bondy (2 valeurs, "
        "celle-ci comprise ; il en faut au moins 3) : ni quartiles, ni médiane, ni rang." in text
    )
    assert "Trop peu de communes comparables (" in text  # Montreuil is not of Bondy's size
    assert "1er quartile" not in text and " sur 2" not in text and RANK_LEGEND not in text
    assert page.find("figure", class_="abs-figure-position") is None

    # The indicator's page ranks nobody among two.
    page = soup_of(portal.get("/indicateurs/TP60/?annee=2021"))
    table = table_captioned(page, "communes ayant publié (2)")
    assert [text_of(tr.find_all("td")[3]) for tr in table.tbody.find_all("tr")] == ["–", "–"]
    assert (
        "Pas de rang : trop peu de valeurs publiées (2 ; il en faut au moins 3 pour les classer)."
        in text_of(page.find("main"))
    )

    # The portrait: no median, no rank, no box; the card says why.
    page = soup_of(portal.get("/indicateurs/communes/93010/"))
    text = text_of(page.find("main"))
    assert "trop peu de valeurs" in text_of(table_captioned(page, "indicateurs publiés"))
    assert "« trop peu de valeurs » : moins de 3 membres ont publié l'indicateur" in text
    assert (
        "Trop peu de membres ont publié cet indicateur pour situer celle-ci (moins de 3)." in text
    )
    assert RANK_LEGEND not in text

    # A third commune: the distribution and the ranks are back.
    pool_value(pool_member("93066"), "TP60", 2021, 30)
    text = text_of(soup_of(portal.get("/indicateurs/communes/93010/TP60/?annee=2021")))
    assert "Membres ayant publié (3) : 1er quartile" in text and "3 sur 3" in text
    assert RANK_LEGEND in text and "Trop peu de membres" not in text
    page = soup_of(portal.get("/indicateurs/TP60/?annee=2021"))
    assert "Pas de rang" not in text_of(page)


# --- 3. Deleting a value: a confirmation, then back to the filtered list ------------------------


def test_deleting_a_value_asks_first_and_comes_back_to_the_filtered_list(two_members):
    bondy, montreuil = two_members
    observe(bondy, "TP60", 2021, 20)
    observe(bondy, "CHOM", 2021, 12)
    observe(montreuil, "TP60", 2021, 25)
    target = next(o for o in observations_of(bondy) if o.indicator_id == "TP60")
    assert target.pk in {o.pk for o in observations_of(montreuil)}  # the collision
    client = member_client(bondy, make_person(bondy, "d@bondy.test"))

    listing = soup_of(client.get("/abs/?annee=2021&etat=brouillon"))
    link = listing.find(
        "a", href=f"/abs/observations/{target.pk}/supprimer/?annee=2021&etat=brouillon"
    )
    assert link is not None and text_of(link).startswith("Supprimer")
    assert listing.find("form", action=f"/abs/observations/{target.pk}/supprimer/") is None

    # The page asks, and deletes nothing; a stray parameter is not carried back.
    label = Indicator.objects.get(code="TP60").label
    path = (
        f"/abs/observations/{target.pk}/supprimer/?annee=2021&etat=brouillon&next=//ailleurs.test"
    )
    confirm = soup_of(client.get(path))
    assert text_of(confirm.h1) == f"Supprimer la valeur « {label}, 2021 » ?"
    facts = text_of(confirm.find("dl"))
    assert "Année 2021" in facts and "Valeur 20,0" in facts and "État Brouillon" in facts
    assert (
        confirm.find("a", string="Annuler et revenir")["href"] == "/abs/?annee=2021&etat=brouillon"
    )
    assert len(observations_of(bondy)) == 2

    response = client.post(path)
    assert response.status_code == 302 and response.url == "/abs/?annee=2021&etat=brouillon"
    assert [o.indicator_id for o in observations_of(bondy)] == ["CHOM"]
    assert [o.pk for o in observations_of(montreuil)] == [target.pk]  # Montreuil's stays
    # Without filters, back to /abs/.
    chom = observations_of(bondy)[0]
    response = client.post(f"/abs/observations/{chom.pk}/supprimer/")
    assert response.url == "/abs/" and observations_of(bondy) == []


def test_a_published_value_is_not_offered_for_deletion_nor_deleted(bondy):
    observe_and_publish(bondy, "TP60", 2021, 20)
    (published,) = observations_of(bondy)
    client = member_client(bondy, make_person(bondy, "d@bondy.test"))
    response = client.get(f"/abs/observations/{published.pk}/supprimer/?etat=publiee")
    assert response.status_code == 302 and response.url == "/abs/?etat=publiee"
    messages = text_of(soup_of(client.get(response.url)).find(class_="messages"))
    assert "Retirez d'abord cette valeur de la publication." in messages
    assert observations_of(bondy) == [published]
    viewer = member_client(bondy, make_person(bondy, "v@bondy.test", Membership.Role.VIEWER))
    assert viewer.get(f"/abs/observations/{published.pk}/supprimer/").status_code == 403


# --- 5 and 6. /abs/'s counts and legend ------------------------------------------------------------


def test_the_abs_list_counts_in_phrases_and_its_legend_has_no_rank(two_members):
    bondy, montreuil = two_members
    observe(bondy, "TP60", 2021, 20)
    observe(bondy, "CHOM", 2021, 12)
    observe_and_publish(bondy, "FAMMONO", 2021, 18)
    for code in ("TP60", "CHOM", "FAMMONO", "SUROCC"):
        observe(montreuil, code, 2020, 5)
    with schema_context(montreuil.schema_name):
        assert Observation.objects.count() == 4
    page = soup_of(member_client(bondy, make_person(bondy, "d@bondy.test")).get("/abs/"))
    cards = page.find("ul", class_="cards")
    assert [text_of(li) for li in cards.find_all("li")] == [
        "2 brouillons à valider",
        "0 valeur validée, non publiée",
        "1 valeur publiée",
    ]
    assert cards.find(["h2", "h3"]) is None
    assert not any(text_of(h).isdigit() for h in page.find_all(["h1", "h2", "h3"]))
    text = text_of(page.find("main"))
    assert "« s » : secret statistique" in text and "Rang" not in text
    other = soup_of(
        member_client(montreuil, make_person(montreuil, "d@montreuil.test")).get("/abs/")
    )
    assert text_of(other.find("ul", class_="cards").li) == "4 brouillons à valider"

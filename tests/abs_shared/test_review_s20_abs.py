"""Session 20: the surfaces session 19 left behind tell the same story as the pages.

- the portrait's PDF draws no « Médiane des … » bar over fewer than three values, and prints the
  page card's sentence under the chart;
- the comparison API gives `count` and `too_few` only (quartiles, median, rank null) below three;
- editing a value from a filtered /abs/ list comes back to that list, never elsewhere;
- the activity report's « Domiciliations actives au 31 décembre » beside the DOMIC value: on its
  form (and « Reprendre ce chiffre »), and a notice where a validated value differs.

Real requests on a real PostgreSQL; two members whose primary keys collide."""

import io
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.utils.http import url_has_allowed_host_and_scheme
from django_tenants.utils import schema_context
from pypdf import PdfReader

from abs_shared.local.models import Observation
from abs_shared.local.services import validate_observations
from abs_shared.models import ReferenceValue
from tenants.models import MemberCCAS, Membership
from tests.abs_shared.conftest import (
    observations_of,
    observe,
    pool_member,
    pool_value,
    reference,
)
from tests.conftest import make_member, make_person, member_client
from tests.workspace.conftest import add_figures

pytestmark = pytest.mark.django_db

GRAND_PARIS_GRAND_EST = "200058790"
PLAINE_COMMUNE = "200057867"
EST_ENSEMBLE = "200057875"
POSITION = "face à ses territoires de référence"
DISTRIBUTION = "indicateur par indicateur"
FOOTER = re.compile(r"Portrait [^·\n]+ · page \d+ / \d+")
PORTAL_CARD = "Trop peu de membres ont publié cet indicateur pour situer celle-ci (moins de 3)."
CIAS_CARD = "Trop peu de CIAS ont publié cet indicateur pour situer votre valeur (moins de 3)."
DOMICILIATION = "Élection de domicile"
ACTIVE = "Domiciliations actives au 31 décembre"
BONDY_HINT = "Rapport d'activité 2025 : 412 domiciliations actives au 31 décembre"


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = FOOTER.sub(" ", re.sub(r"[\u202f\u00a0]", " ", text))
    return " ".join(text.split())


def position_section(text: str) -> str:
    start = text.index(POSITION)
    return text[start : text.index(DISTRIBUTION, start)]


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


@pytest.fixture
def cias(db) -> MemberCCAS:
    return make_member("93051", kind=MemberCCAS.Kind.CIAS, epci_siren=GRAND_PARIS_GRAND_EST)


# --- 1. The portrait's PDF --------------------------------------------------------------------


def test_the_pdf_draws_no_median_of_two_values_and_says_why_as_the_page_does(portal):
    bondy, montreuil = pool_member("93010"), pool_member("93048")
    pool_value(bondy, "TP60", 2021, "27.1")
    pool_value(montreuil, "TP60", 2021, 20)
    reference("departement", "93", "TP60", 2021, "28.4")

    page = text_of(soup_of(portal.get("/indicateurs/communes/93010/")).find("main"))
    assert PORTAL_CARD in page  # the page's card
    position = position_section(pdf_text(portal.get("/indicateurs/communes/93010/?export=pdf")))
    # Bondy beside its département, as before; no median bar of two values, and why.
    assert "Bondy" in position and "Seine-Saint-Denis" in position and "28,4" in position
    assert "Médiane des membres" not in position
    assert PORTAL_CARD in position

    # A third value: the median is drawn again, and the note is gone.
    pool_value(pool_member("93066"), "TP60", 2021, 30)
    position = position_section(pdf_text(portal.get("/indicateurs/communes/93010/?export=pdf")))
    assert "Médiane des membres" in position and "27,1" in position
    assert "Trop peu" not in position


def test_a_cias_pdf_in_its_space_says_it_in_the_cias_words(cias):
    observe(cias, "TP60", 2021, "27.6")  # a draft, alone among the CIAS
    reference(ReferenceValue.Level.EPCI, GRAND_PARIS_GRAND_EST, "TP60", 2021, "28.6")
    client = member_client(cias, make_person(cias, "d@cias.test"))
    page = text_of(soup_of(client.get("/abs/portrait/")).find("main"))
    assert CIAS_CARD in page
    position = position_section(pdf_text(client.get("/abs/portrait/?export=pdf")))
    assert "Médiane des CIAS" not in position
    assert CIAS_CARD in position


# --- 2. The comparison API --------------------------------------------------------------------

WITHHELD = ("min", "q1", "median", "q3", "max", "rank")


def test_the_api_gives_no_quartile_median_or_rank_over_fewer_than_three_values(portal):
    bondy, montreuil = pool_member("93010"), pool_member("93048")
    pool_value(bondy, "TP60", 2021, 25)
    pool_value(montreuil, "TP60", 2021, 20)
    url = "/api/v1/comparison/?commune=93010&indicator=TP60&year=2021"

    data = portal.get(url).json()
    members = data["members"]
    assert members["count"] == 2 and members["too_few"] is True
    assert all(members[key] is None for key in WITHHELD), members
    # Montreuil is not in Bondy's population band: one value among its peers.
    assert data["peers"]["count"] == 1 and data["peers"]["too_few"] is True
    assert data["peers"]["rank"] is None and data["peers"]["median"] is None

    pool_value(pool_member("93066"), "TP60", 2021, 30)
    members = portal.get(url).json()["members"]
    assert members == {
        "count": 3,
        "too_few": False,
        "min": 20.0,
        "q1": 22.5,
        "median": 25.0,
        "q3": 27.5,
        "max": 30.0,
        "rank": 2,
    }


def test_the_member_api_withholds_them_too_with_the_members_draft(cias, bondy):
    observe(cias, "TP60", 2021, "27.6")
    pool_value(pool_member("93066", MemberCCAS.Kind.CIAS, PLAINE_COMMUNE), "TP60", 2021, 30)
    client = member_client(cias, make_person(cias, "d@cias.test"))
    url = f"/api/v1/comparison/?intercommunality={GRAND_PARIS_GRAND_EST}&indicator=TP60&year=2021"
    data = client.get(url).json()
    assert data["draft"] is True and data["value"] == 27.6
    assert data["members"]["count"] == 2 and data["members"]["too_few"] is True
    assert data["members"]["rank"] is None and data["members"]["median"] is None
    assert data["peers"] is None
    # A count is not set among the others at all: members stays null.
    observe(cias, "RSA", 2021, 1200)
    url = url.replace("TP60", "RSA")
    assert client.get(url).json()["members"] is None


def test_the_schemas_document_too_few(tmp_path):
    from tests.union.test_api_schema import component, generate

    for urlconf in ("union.urls_public", "union.urls_member"):
        schema = generate(urlconf, tmp_path)
        for name in ("ComparisonMembers", "ComparisonPeers"):
            properties = component(schema, name)["properties"]
            assert properties["too_few"]["type"] == "boolean"
            assert "moins de 3" in properties["too_few"]["description"]
            assert "too_few" in properties["median"]["description"]
        members = component(schema, "Comparison")["properties"]["members"]
        assert members.get("nullable") or "oneOf" in members or "allOf" in members


# --- 3. Editing a value from a filtered list ------------------------------------------------


def test_saving_a_change_comes_back_to_the_filtered_list(two_members):
    bondy, montreuil = two_members
    observe(bondy, "TP60", 2021, 20)
    observe(bondy, "CHOM", 2021, 12)
    observe(montreuil, "TP60", 2021, 25)
    target = next(o for o in observations_of(bondy) if o.indicator_id == "TP60")
    assert target.pk in {o.pk for o in observations_of(montreuil)}  # the collision
    client = member_client(bondy, make_person(bondy, "d@bondy.test"))
    filters = "annee=2021&etat=brouillon&indicateur=TP60"

    listing = soup_of(client.get(f"/abs/?{filters}"))
    rows = listing.find("table").tbody.find_all("tr")
    assert [text_of(row.th) for row in rows] == ["Taux de pauvreté au seuil de 60 %"]
    edit = f"/abs/observations/{target.pk}/modifier/?{filters}"
    assert listing.find("a", href=edit) is not None
    assert listing.find("a", href=f"/abs/observations/ajouter/?{filters}") is not None
    assert listing.find("option", value="TP60", selected=True) is not None

    form = soup_of(client.get(edit))
    assert form.find("a", string="Annuler et revenir à la liste")["href"] == f"/abs/?{filters}"
    response = client.post(edit, {"value": "21,5", "source": "INSEE"})
    assert response.status_code == 302 and response.url == f"/abs/?{filters}"
    assert str(observations_of(bondy)[1].value) == "21.5000"
    assert str(observations_of(montreuil)[0].value) == "25.0000"  # Montreuil's untouched
    # Without filters, back to /abs/ as before.
    response = client.post(f"/abs/observations/{target.pk}/modifier/", {"value": "22"})
    assert response.url == "/abs/"
    # A new value from a filtered list: back to it too.
    response = client.post(
        "/abs/observations/ajouter/?annee=2021&etat=brouillon",
        {"indicator": "FAMMONO", "year": 2021, "value": "18"},
    )
    assert response.status_code == 302 and response.url == "/abs/?annee=2021&etat=brouillon"


@pytest.mark.parametrize(
    ("query", "back"),
    [
        ("next=https://ailleurs.test/&annee=2021", "/abs/?annee=2021"),
        ("next=//ailleurs.test&etat=brouillon", "/abs/?etat=brouillon"),
        (
            "annee=//ailleurs.test&etat=https://ailleurs.test",
            "/abs/?annee=%2F%2Failleurs.test&etat=https%3A%2F%2Failleurs.tes",
        ),
        (
            "indicateur=%0d%0aLocation:%20https://ailleurs.test",
            "/abs/?indicateur=%0D%0ALocation%3A+https%3A%2F%2F",
        ),
    ],
)
def test_the_way_back_is_never_another_site(bondy, query, back):
    """The filters come back as the list's own query string (a `next` is never read): always
    a path of this site, whatever they hold."""
    observation = observe(bondy, "TP60", 2021, 20)
    client = member_client(bondy, make_person(bondy, "d@bondy.test"))
    response = client.post(f"/abs/observations/{observation.pk}/modifier/?{query}", {"value": "21"})
    assert response.status_code == 302
    target = response.url
    assert target == back
    assert target.startswith("/abs/") and not target.startswith("//")
    assert url_has_allowed_host_and_scheme(target, allowed_hosts={"bondy.localhost"})
    assert urlsplit(target).netloc == "" and "next" not in target
    assert "\n" not in target and "\r" not in target


# --- 5. DOMIC beside the activity report --------------------------------------------------------


def domic(member, value, year=2025) -> Observation:
    return observe(member, "DOMIC", year, value)


def value_input(page: BeautifulSoup) -> str:
    return page.find("input", attrs={"name": "value"}).get("value", "")


def test_the_domic_form_shows_the_report_figure_and_takes_it(two_members):
    bondy, montreuil = two_members
    add_figures(bondy, (2025, DOMICILIATION, ACTIVE, 412, None))
    add_figures(montreuil, (2024, DOMICILIATION, ACTIVE, 57, None))  # another year
    mine, theirs = domic(bondy, 398), domic(montreuil, 61)
    assert mine.pk == theirs.pk  # the collision
    observe(bondy, "TP60", 2025, 20)
    client = member_client(bondy, make_person(bondy, "d@bondy.test"))
    edit = f"/abs/observations/{mine.pk}/modifier/"

    page = soup_of(client.get(f"{edit}?annee=2025"))
    value = page.find("input", attrs={"name": "value"})
    assert value_input(page) == "398"
    # Beside the field, in its description, with the link that types it in (no script).
    (help_text,) = [p for p in page.find_all("p", class_="helptext") if BONDY_HINT in text_of(p)]
    assert help_text["id"] in value["aria-describedby"].split()
    link = help_text.find("a", string="Reprendre ce chiffre")
    assert link["href"] == "?annee=2025&reprendre=activite"

    taken = soup_of(client.get(f"{edit}{link['href']}"))
    assert value_input(taken) == "412"
    assert "Chiffre repris du rapport d'activité 2025 (412)" in text_of(taken.find("main"))
    assert observations_of(bondy)[0].value == 398  # a GET changes nothing
    response = client.post(f"{edit}{link['href']}", {"value": "412"})
    assert response.status_code == 302 and response.url == "/abs/?annee=2025"
    assert observations_of(bondy)[0].value == 412

    # Another indicator: nothing offered.
    tp60 = next(o for o in observations_of(bondy) if o.indicator_id == "TP60")
    page = soup_of(client.get(f"/abs/observations/{tp60.pk}/modifier/?reprendre=activite"))
    assert "Rapport d'activité" not in text_of(page.find("main")) and value_input(page) == "20"

    # A new DOMIC value for 2025, chosen in the address: the same offer.
    page = soup_of(client.get("/abs/observations/ajouter/?indicateur=DOMIC&annee=2025"))
    assert BONDY_HINT in text_of(page.find("main"))
    page = soup_of(
        client.get("/abs/observations/ajouter/?indicateur=DOMIC&annee=2025&reprendre=activite")
    )
    assert value_input(page) == "412"


def test_bondys_report_never_reaches_montreuils_form(two_members):
    bondy, montreuil = two_members
    add_figures(bondy, (2025, DOMICILIATION, ACTIVE, 412, None))
    mine, theirs = domic(bondy, 398), domic(montreuil, 61)
    assert mine.pk == theirs.pk
    # Bondy's own form, at the same address, shows it.
    own = member_client(bondy, make_person(bondy, "d@bondy.test"))
    assert BONDY_HINT in text_of(soup_of(own.get(f"/abs/observations/{mine.pk}/modifier/")))
    client = member_client(montreuil, make_person(montreuil, "d@montreuil.test"))
    for path in (
        f"/abs/observations/{theirs.pk}/modifier/",
        f"/abs/observations/{theirs.pk}/modifier/?reprendre=activite",
        "/abs/observations/ajouter/?indicateur=DOMIC&annee=2025&reprendre=activite",
    ):
        page = soup_of(client.get(path))
        text = text_of(page.find("main"))
        assert "412" not in text and "Rapport d'activité" not in text
        assert "412" not in value_input(page)
    assert value_input(soup_of(client.get(f"/abs/observations/{theirs.pk}/modifier/"))) == "61"
    # Nor its list, nor its dashboard.
    for path in ("/abs/", "/"):
        assert "412" not in text_of(soup_of(client.get(path)).find("main"))


def test_a_validated_domic_unlike_the_report_is_noticed_discreetly(two_members):
    bondy, montreuil = two_members
    add_figures(bondy, (2025, DOMICILIATION, ACTIVE, 412, None))
    add_figures(montreuil, (2025, DOMICILIATION, ACTIVE, 61, None))
    mine = domic(bondy, 398)
    domic(montreuil, 61)
    director = member_client(bondy, make_person(bondy, "d@bondy.test"))
    notice = (
        "Élections de domicile actives 2025 : 398 dans les indicateurs ABS (valeur validée), "
        "412 domiciliations actives au 31 décembre dans le rapport d'activité 2025."
    )
    # A draft is still being typed: no notice yet.
    assert "dans le rapport d'activité 2025" not in text_of(soup_of(director.get("/abs/")))

    validate_observations(bondy, year=2025, indicators=["DOMIC"])
    validate_observations(montreuil, year=2025, indicators=["DOMIC"])
    for path in ("/abs/", "/"):
        page = soup_of(director.get(path))
        (box,) = page.find_all(class_="abs-domiciliation-mismatch")
        assert box["role"] == "note" and notice in text_of(box)
        assert box.find("a", href=f"/abs/observations/{mine.pk}/modifier/?reprendre=activite")
        assert box.find("a", href="/activite/?annee=2025")
    # A viewer reads it, without the link to change the value.
    viewer = member_client(bondy, make_person(bondy, "v@bondy.test", Membership.Role.VIEWER))
    box = soup_of(viewer.get("/abs/")).find(class_="abs-domiciliation-mismatch")
    assert notice in text_of(box) and box.find("a", href=re.compile("modifier")) is None
    # Montreuil's figures agree: nothing on its pages.
    other = member_client(montreuil, make_person(montreuil, "d@montreuil.test"))
    for path in ("/abs/", "/"):
        assert soup_of(other.get(path)).find(class_="abs-domiciliation-mismatch") is None

    # Taken from the report and validated again: the notice goes.
    director.post(f"/abs/observations/{mine.pk}/modifier/", {"value": "412"})
    validate_observations(bondy, year=2025, indicators=["DOMIC"])
    with schema_context(bondy.schema_name):
        assert Observation.objects.get(pk=mine.pk).state == Observation.State.VALIDATED
    assert soup_of(director.get("/abs/")).find(class_="abs-domiciliation-mismatch") is None

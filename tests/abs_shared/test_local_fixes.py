"""Member space fixes: changes after publication, editing by pk, numerator secrecy, INSEE blanks."""

from decimal import Decimal

import pytest

from abs_shared.local.services import (
    import_observations,
    retract_observations,
    state_counts,
    validate_observations,
)
from abs_shared.models import Indicator, PublishedValue, ValueStatus
from abs_shared.services import PublishItem, pooled_status
from tests.abs_shared.conftest import (
    observations_of,
    observe,
    observe_and_publish,
    upload,
    write_file,
)
from tests.conftest import make_person, member_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(bondy):
    return make_person(bondy, "direction@bondy.test")


def pooled_value(member, code: str, year: int) -> PublishedValue:
    return PublishedValue.objects.get(member=member, indicator_id=code, year=year)


def list_row(page: str, code: str, year: int) -> str:
    """The row of the observation list for this indicator and year."""
    row = page[page.index(f'href="/abs/comparaison/{code}/?annee={year}"') :]
    return row[: row.index("</tr>")]


# 1. A value changed after its publication stays "modifiée depuis la publication".


def test_a_value_edited_and_validated_again_is_not_shown_as_published(bondy, director):
    observe_and_publish(bondy, "TP60", 2021, 26.5)
    (observation,) = observations_of(bondy)
    client = member_client(bondy, director)
    assert "Publiée le" in list_row(client.get("/abs/").content.decode(), "TP60", 2021)

    response = client.post(
        f"/abs/observations/{observation.pk}/modifier/",
        # Indicator and year as the form sent them before they became read-only (now ignored).
        {"indicator": "TP60", "year": "2021", "value": "25", "denominator": "20000"},
    )
    assert response.status_code == 302
    client.post("/abs/valider/", {"selection-year": "2021"})

    (observation,) = observations_of(bondy)
    assert observation.state == "validated"
    assert not observation.is_published and observation.changed_since_publication
    assert pooled_value(bondy, "TP60", 2021).value == Decimal("26.5")  # the pool is unchanged
    page = client.get("/abs/").content.decode()
    row = list_row(page, "TP60", 2021)
    assert "Publiée le" not in row
    assert "Validée" in row and "modifiée depuis la publication" in row
    assert "/abs/comparaison/TP60/" in client.get("/abs/?etat=validee").content.decode()
    assert "/abs/comparaison/TP60/" not in client.get("/abs/?etat=publiee").content.decode()
    assert state_counts(bondy) == {"drafts": 0, "validated": 1, "published": 0}
    # The own value is still marked as not being the pooled one, on the pages and in the API.
    comparison = client.get("/abs/comparaison/TP60/?annee=2021").content.decode()
    assert "25,0 (brouillon)" in comparison
    api = client.get("/api/v1/comparison/?commune=93010&indicator=TP60&year=2021").json()
    assert api["value"] == 25 and api["draft"] is True
    (listed,) = client.get("/api/v1/observations/").json()["results"]
    assert (listed["published"], listed["changed_since_publication"]) == (False, True)
    assert listed["pooled_at"] is not None
    # The older version is in the pool: the observation cannot be deleted before a retraction.
    assert "Supprimer" not in row
    client.post(f"/abs/observations/{observation.pk}/supprimer/")
    assert len(observations_of(bondy)) == 1

    client.post("/abs/publier/", {"selection-year": "2021"})
    assert pooled_value(bondy, "TP60", 2021).value == Decimal("25")
    row = list_row(client.get("/abs/").content.decode(), "TP60", 2021)
    assert "Publiée le" in row and "modifiée" not in row
    api = client.get("/api/v1/comparison/?commune=93010&indicator=TP60&year=2021").json()
    assert api["value"] == 25 and api["draft"] is False
    (listed,) = client.get("/api/v1/observations/").json()["results"]
    assert (listed["published"], listed["changed_since_publication"]) == (True, False)


def test_a_value_reimported_after_publication_needs_a_new_publication(bondy, tmp_path):
    observe_and_publish(bondy, "CHOM", 2021, 17)
    path = write_file(tmp_path, "a.csv", "indicator,year,value\nCHOM,2021,18\n")
    import_observations(bondy, upload(path))
    validate_observations(bondy, year=2021)
    (observation,) = observations_of(bondy)
    assert observation.state == "validated" and not observation.is_published
    assert observation.changed_since_publication
    assert state_counts(bondy) == {"drafts": 0, "validated": 1, "published": 0}
    assert pooled_value(bondy, "CHOM", 2021).value == Decimal("17")

    # Retracting it removes the older version: nothing in the pool any more, nothing "changed".
    retract_observations(bondy, year=2021)
    (observation,) = observations_of(bondy)
    assert not observation.in_pool and not observation.changed_since_publication


# 2. "Modifier" changes that observation only; "Saisir" does not overwrite silently.


def test_editing_keeps_indicator_and_year_and_updates_that_observation(bondy, director):
    observe(bondy, "TP60", 2021, 26.5)
    observe(bondy, "CHOM", 2020, 18)
    tp60 = next(o for o in observations_of(bondy) if o.indicator_id == "TP60")
    client = member_client(bondy, director)
    page = client.get(f"/abs/observations/{tp60.pk}/modifier/").content.decode()
    assert 'name="indicator"' not in page and 'name="year"' not in page
    assert "<dd>Taux de pauvreté au seuil de 60 % (TP60)</dd>" in page and "<dd>2021</dd>" in page

    # An indicator and year sent anyway (an old form, a crafted request) are ignored.
    response = client.post(
        f"/abs/observations/{tp60.pk}/modifier/",
        {"indicator": "CHOM", "year": "2020", "value": "25"},
    )
    assert response.status_code == 302
    found = {(o.indicator_id, o.year): o for o in observations_of(bondy)}
    assert set(found) == {("TP60", 2021), ("CHOM", 2020)}
    assert found[("TP60", 2021)].value == Decimal("25")
    assert found[("TP60", 2021)].pk == tp60.pk
    assert found[("CHOM", 2020)].value == Decimal("18")


def test_editing_checks_the_value_against_the_observations_indicator(bondy, director):
    observe(bondy, "TP60", 2021, 26.5)
    (observation,) = observations_of(bondy)
    response = member_client(bondy, director).post(
        f"/abs/observations/{observation.pk}/modifier/", {"value": "120"}
    )
    assert response.status_code == 200
    assert "Un pourcentage ne peut pas dépasser 100." in response.content.decode()
    assert observations_of(bondy)[0].value == Decimal("26.5")


def test_entering_an_existing_indicator_and_year_is_refused_and_keeps_the_input(bondy, director):
    observe(bondy, "TP60", 2021, 26.5)
    response = member_client(bondy, director).post(
        "/abs/observations/ajouter/",
        {"indicator": "TP60", "year": "2021", "value": "30,2", "comment": "relevé de mars"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "existe déjà pour 2021" in page and 'role="alert"' in page
    assert 'value="30,2"' in page and "relevé de mars" in page
    (observation,) = observations_of(bondy)
    assert observation.value == Decimal("26.5") and observation.comment == ""


# 3. Secrecy on the numerator of a rate.


def test_a_rate_over_a_small_numerator_is_pooled_as_secret(bondy, director):
    observe(bondy, "TP60", 2021, 1.5, numerator=3, denominator=200)
    observe(bondy, "FAMMONO", 2021, 5.5, numerator=11, denominator=200)
    client = member_client(bondy, director)
    client.post("/abs/valider/", {"selection-year": "2021"})
    client.post("/abs/publier/", {"selection-year": "2021"})
    secret = pooled_value(bondy, "TP60", 2021)
    assert secret.status == ValueStatus.SECRET and secret.value is None
    assert pooled_value(bondy, "FAMMONO", 2021).value == Decimal("5.5")  # 11 is enough


def test_pooled_status_checks_the_numerator():
    indicator = Indicator.objects.get(code="TP60")

    def item(numerator, denominator=Decimal(200), rate="1.5"):
        return PublishItem(
            indicator, 2021, Decimal(rate), ValueStatus.VALUE, denominator, "test", numerator
        )

    assert pooled_status(item(Decimal(3))) == ValueStatus.SECRET
    assert pooled_status(item(Decimal(0))) == ValueStatus.SECRET
    assert pooled_status(item(Decimal(11))) == ValueStatus.VALUE
    # Without the numerator, the one the percentage implies: 1,5 % of 200 is 3; 30 % of 200, 60.
    assert pooled_status(item(None)) == ValueStatus.SECRET
    assert pooled_status(item(None, rate="30")) == ValueStatus.VALUE
    assert pooled_status(item(None, denominator=None)) == ValueStatus.VALUE


# 4. A blank cell of an INSEE file is secret; a blank cell of the template is still missing.


def test_a_blank_insee_cell_is_imported_as_secret_and_the_page_says_so(bondy, director, tmp_path):
    observe(bondy, "MED", 2021, 19000)
    path = write_file(
        tmp_path,
        "filosofi.csv",
        "CODGEO;LIBGEO;MED21;TP6021;D9D121\n93008;Bobigny;16740;33,0;3,6\n93010;Bondy;;26,5;n.d.\n",
    )
    with path.open("rb") as handle:
        response = member_client(bondy, director).post(
            "/abs/importer/", {"file": handle}, follow=True
        )
    page = response.content.decode()
    assert "3 valeurs importées" in page
    assert "1 cellule vide pour votre commune (MED21) importée comme secrète" in page
    found = {(o.indicator_id, o.year): o for o in observations_of(bondy)}
    assert found[("MED", 2021)].status == ValueStatus.SECRET and found[("MED", 2021)].value is None
    assert found[("D9D1", 2021)].status == ValueStatus.MISSING  # "n.d." written out stays missing
    assert found[("TP60", 2021)].value == Decimal("26.5")


def test_the_api_import_names_the_blank_insee_cells_it_read_as_secret(bondy, director, tmp_path):
    path = write_file(
        tmp_path, "filosofi.csv", "CODGEO;MED21;TP6021;D9D121\n93010;;26,5;\n93008;1;2;3\n"
    )
    with path.open("rb") as handle:
        response = member_client(bondy, director).post(
            "/api/v1/observations/import", {"file": handle}
        )
    assert response.status_code == 201
    assert response.json() == {"imported": 3, "blank_insee_columns": ["MED21", "D9D121"]}


def test_a_blank_template_cell_is_still_missing(bondy, director, tmp_path):
    path = write_file(tmp_path, "abs.csv", "indicator;year;value;comment\nSUROCC;2020;;non connu\n")
    with path.open("rb") as handle:
        page = (
            member_client(bondy, director)
            .post("/abs/importer/", {"file": handle}, follow=True)
            .content.decode()
        )
    assert "1 valeur importée" in page and "secrètes" not in page
    (observation,) = observations_of(bondy)
    assert observation.status == ValueStatus.MISSING

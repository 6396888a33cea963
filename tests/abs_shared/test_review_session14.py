"""Review of session 14: a value published as secret marked where its member sees it, the
complement of a rate, counts as whole numbers, drafts among a member's statistics, exports
rounded as shown, the portrait's sources, hollow draft points on the web charts, French elision
in titles, and the edit form's numbers.

Members' data is checked two members at a time (Bondy and Montreuil, whose observation ids
collide): one never sees the other's drafts or secret-marked values."""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from abs_shared.local.services import import_observations
from abs_shared.models import Indicator, PublishedValue, ValueStatus
from abs_shared.services import PublishItem, parse_references, pooled_status
from abs_shared.tabular import ImportRejected
from tenants import naming
from tests.abs_shared.conftest import (
    observations_of,
    observe,
    observe_and_publish,
    pool_member,
    pool_value,
    reference,
    upload,
    write_file,
)
from tests.conftest import host_client, make_person, member_client, plain

pytestmark = pytest.mark.django_db

SECRET_MARK = "1,5 (secret sur le portail)"


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def row_of(rows: list[list], label: str) -> list:
    return next(row for row in rows if row and str(row[0]).startswith(label))


def sheet_of(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(re.sub(r"[\u202f\u00a0]", " ", text).split())


def director_of(member, name: str):
    return member_client(member, make_person(member, f"direction@{name}.test"))


# --- 1. a value published as secret, in its member's own pages ----------------------------


@pytest.fixture
def montreuil_secret(two_members):
    """Montreuil enters TP60 2019 1,5 % of 200 (3 people) through its pages and publishes it:
    the pool holds « s » (2018, 2 % of 2000, is a number). Bondy publishes TP60 2019 20 (its
    observation's id is Montreuil's 2018)."""
    bondy, montreuil = two_members
    observe_and_publish(bondy, "TP60", 2019, "20")
    observe_and_publish(montreuil, "TP60", 2018, "2", denominator=Decimal(2000))
    reference("departement", "93", "TP60", 2019, "20")
    client = director_of(montreuil, "montreuil")
    response = client.post(
        "/abs/observations/ajouter/",
        {"indicator": "TP60", "year": "2019", "value": "1,5", "denominator": "200"},
    )
    assert response.status_code == 302
    client.post("/abs/valider/", {"selection-year": "2019"})
    published = client.post("/abs/publier/", {"selection-year": "2019"}, follow=True)
    return bondy, montreuil, client, page_text(published)


def test_the_publish_message_and_the_list_say_a_value_went_out_as_secret(montreuil_secret):
    bondy, montreuil, client, published = montreuil_secret
    pooled = PublishedValue.objects.get(member=montreuil, indicator="TP60", year=2019)
    assert pooled.status == ValueStatus.SECRET and pooled.value is None
    assert (
        "1 valeur publiée dans l'espace commun (2019), dont 1 publiée comme "
        "secrète (moins de 11 personnes ou ménages)" in published
    )
    listing = page_text(client.get("/abs/?annee=2019"))
    assert "1,5 (publiée comme secrète : « s » sur le portail)" in listing
    assert "comme secrète (« s »)" in listing
    # Bondy's list, whose TP60 2019 has the same id: a published number, nothing secret.
    bondy_list = page_text(director_of(bondy, "bondy").get("/abs/?annee=2019"))
    assert "20,0" in bondy_list and "« s » sur le portail)" not in bondy_list
    assert "comme secrète (« s »)" not in bondy_list


def test_the_members_portrait_marks_it_and_keeps_it_out_of_medians_and_ranks(
    montreuil_secret,
):
    bondy, montreuil, client, _published = montreuil_secret
    rows = csv_rows(client.get("/abs/portrait/?annee=2019&export=csv"))
    headers, tp60 = rows[1], row_of(rows, "Taux de pauvreté")
    cell = dict(zip(headers, tp60, strict=True))
    assert cell["Valeur"] == SECRET_MARK
    # Bondy's 20 alone, as on the portal (with 1,5 the median was 10,8 and the rank « 2 sur 2 »):
    # too few for a median (presenters.MIN_PUBLISHERS).
    assert cell["Médiane des membres"] == "trop peu de valeurs"
    assert cell["Rang parmi les membres"] == "–"
    # Nothing computed from it, as on the portal: no change since 2018.
    assert cell["Évolution depuis l'année publiée précédente"] == "–"
    assert any("secret sur le portail" in row[0] for row in rows[len(rows) - 4 :])
    page = page_text(client.get("/abs/portrait/?annee=2019"))
    assert SECRET_MARK in page and "publiée comme secrète : « s » sur le portail" in page
    assert 'class="abs-own"' not in page  # never charted
    sheet = sheet_of(client.get("/abs/portrait/?annee=2019&export=xlsx"))
    assert SECRET_MARK in [cell.value for row in sheet.iter_rows() for cell in row]
    text = pdf_text(client.get("/abs/portrait/?annee=2019&export=pdf"))
    assert SECRET_MARK in text and "publiée(s) comme secrète(s)" in text
    # The comparison page and the API of the member host: its number, marked; stats without it.
    comparison = page_text(client.get("/abs/comparaison/TP60/?annee=2019"))
    assert SECRET_MARK in comparison
    assert "pour situer la vôtre (1 valeur ; il en faut au moins 3)" in comparison
    assert 'class="abs-own"' not in comparison
    exported = csv_rows(client.get("/abs/comparaison/TP60/?annee=2019&export=csv"))
    assert row_of(exported, "Montreuil (commune)")[1] == SECRET_MARK
    assert row_of(exported, "Seine-Saint-Denis")[1:4] == ["20,0", "–", "–"]  # no gap from it
    api = client.get("/api/v1/comparison/?commune=93048&indicator=TP60&year=2019").json()
    assert api["value"] == 1.5 and api["secret_in_pool"] is True and api["draft"] is False
    assert api["members"]["count"] == 1 and api["members"]["rank"] is None
    # Everyone else: « s », no number, no mark.
    portal = csv_rows(host_client("localhost").get("/indicateurs/communes/93048/?export=csv"))
    assert row_of(portal, "Taux de pauvreté")[2:4] == ["s", "–"]
    public = host_client("localhost").get(
        "/api/v1/comparison/?commune=93048&indicator=TP60&year=2019"
    )
    assert public.json()["status"] == "secret" and "secret_in_pool" not in public.json()
    # Bondy's space: Montreuil's number nowhere, Bondy's own value unmarked.
    bondy_client = director_of(bondy, "bondy")
    for path in ("/abs/comparaison/TP60/?annee=2019", "/abs/portrait/?annee=2019"):
        shown = page_text(bondy_client.get(path))
        assert "1,5" not in shown and "secret sur le portail" not in shown


# --- 2. the complement of a rate ----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "numerator", "denominator", "status"),
    [
        ("P75SEUL", "97", None, "150", ValueStatus.SECRET),  # 4 or 5 do not live alone
        ("P75SEUL", "92", None, "150", ValueStatus.VALUE),  # 12 do not
        ("P75SEUL", "96.7", "145", "150", ValueStatus.SECRET),  # the given numerator: 5
        ("P75SEUL", "100", None, "5000", ValueStatus.SECRET),  # nobody apart
        ("P75SEUL", "97", None, None, ValueStatus.VALUE),  # no denominator: nothing to subtract
        ("MED", "19000", None, "150", ValueStatus.VALUE),  # not a rate
    ],
)
def test_a_rate_is_secret_when_the_rest_of_its_denominator_is_below_11(
    db, code, value, numerator, denominator, status
):
    item = PublishItem(
        indicator=Indicator.objects.get(code=code),
        year=2019,
        value=Decimal(value),
        status=ValueStatus.VALUE,
        denominator=Decimal(denominator) if denominator else None,
        numerator=Decimal(numerator) if numerator else None,
        source="test",
    )
    assert pooled_status(item) == status


def test_a_rate_given_by_difference_is_published_as_secret(bondy):
    observe_and_publish(bondy, "P75SEUL", 2019, "97", denominator=Decimal(150))
    pooled = PublishedValue.objects.get(member=bondy, indicator="P75SEUL", year=2019)
    assert pooled.status == ValueStatus.SECRET and pooled.value is None


# --- 3. a count is a whole number ----------------------------------------------------------

COUNT_MESSAGE = "Un effectif est un nombre entier : « 1.727 » ; écrivez 1727 ou 1 727."


def test_the_entry_form_refuses_a_count_with_decimals(bondy):
    client = director_of(bondy, "bondy")
    page = page_text(
        client.post(
            "/abs/observations/ajouter/", {"indicator": "RSA", "year": "2021", "value": "1.727"}
        )
    )
    assert COUNT_MESSAGE in page and observations_of(bondy) == []
    response = client.post(
        "/abs/observations/ajouter/", {"indicator": "RSA", "year": "2021", "value": "1 727"}
    )
    assert response.status_code == 302
    assert observations_of(bondy)[0].value == Decimal(1727)


def test_the_imports_refuse_a_count_with_decimals_by_line_and_column(bondy, tmp_path):
    path = write_file(
        tmp_path,
        "abs.csv",
        "indicateur;année;valeur\nRSA;2021;1.727\nDOMIC;2021;12,5\nRSA;2020;1727\nTP60;2021;27,1\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_observations(bondy, upload(path))
    found = [(issue.line, issue.column, issue.message) for issue in rejected.value.errors]
    assert found == [
        (2, "valeur", COUNT_MESSAGE),
        (3, "valeur", "Un effectif est un nombre entier : « 12,5 » ; écrivez-le sans décimale."),
    ]
    assert observations_of(bondy) == []
    # An INSEE layout: its column named.
    insee = write_file(tmp_path, "insee.csv", "CODGEO;RSA21\n93010;1727.5\n")
    with pytest.raises(ImportRejected) as rejected:
        import_observations(bondy, upload(insee))
    assert [(i.column, i.message) for i in rejected.value.errors] == [
        ("RSA21", "Un effectif est un nombre entier : « 1727.5 » ; écrivez-le sans décimale.")
    ]
    # The API of the member host, as the page.
    client = director_of(bondy, "bondy")
    with path.open("rb") as handle:
        response = client.post("/api/v1/observations/import", {"file": handle})
    assert response.status_code == 400
    assert response.json()["errors"][0] == {"line": 2, "column": "valeur", "message": COUNT_MESSAGE}
    # Whole counts, written either way, still import; so does the reference import's.
    good = write_file(
        tmp_path, "good.csv", "indicateur;année;valeur\nRSA;2021;1 727\nRSA;2020;1727,0\n"
    )
    assert import_observations(bondy, upload(good)) == 2
    references = write_file(
        tmp_path, "ref.csv", "level;code;indicator;year;value\nfrance;FRM;RSA;2021;1.727\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        parse_references(upload(references))
    assert [(i.line, i.column, i.message) for i in rejected.value.errors] == [
        (2, "value", COUNT_MESSAGE)
    ]


# --- 4. drafts among a member's statistics -----------------------------------------------


@pytest.fixture
def bondy_draft(two_members):
    """Bondy: CHOM 2021 18 published, 2022 17,7 a draft; Montreuil: CHOM 2022 18 published;
    two other communes 17,8 and 17,9 (three values at least make a median and a rank)."""
    bondy, montreuil = two_members
    observe_and_publish(montreuil, "CHOM", 2022, "18")
    pool_value(pool_member("93066"), "CHOM", 2022, "17.8")
    pool_value(pool_member("93045"), "CHOM", 2022, "17.9")
    observe_and_publish(bondy, "CHOM", 2021, "18")
    observe(bondy, "CHOM", 2022, "17.7")
    return bondy, montreuil


def test_member_documents_say_their_drafts_are_among_the_figures(bondy_draft):
    bondy, montreuil = bondy_draft
    client = director_of(bondy, "bondy")
    caption = "Portrait de Bondy : indicateurs, dont brouillons"
    rows = csv_rows(client.get("/abs/portrait/?export=csv"))
    assert rows[0][0] == caption
    cell = dict(zip(rows[1], row_of(rows, "Taux de chômage"), strict=True))
    assert cell["Valeur"] == "17,7 (brouillon)"
    # Three published values and Bondy's draft: said, not « 4 sur 4 » as if all were published.
    assert cell["Médiane des membres"] == "17,9 (brouillon compris)"
    assert cell["Rang parmi les membres"] == "4 sur 4 (brouillon compris)"
    assert sheet_of(client.get("/abs/portrait/?export=xlsx"))["A1"].value == caption
    page = page_text(client.get("/abs/portrait/"))
    assert f"<caption>{caption}</caption>" in page
    assert "3 + Bondy (brouillon)" in page  # the distribution table's count
    assert plain(caption) in pdf_text(client.get("/abs/portrait/?export=pdf"))
    comparison = page_text(client.get("/abs/comparaison/CHOM/"))
    assert "Membres ayant publié (3) + Bondy (brouillon) : médiane" in comparison
    assert "Membres ayant publié (4)" not in comparison
    assert "parmi les 3 membres ayant publié et Bondy (brouillon)" in comparison
    # Montreuil's space: its own published value, Bondy's draft nowhere.
    other = director_of(montreuil, "montreuil")
    assert csv_rows(other.get("/abs/portrait/?export=csv"))[0][0] == (
        "Portrait de Montreuil : indicateurs publiés"
    )
    theirs = page_text(other.get("/abs/comparaison/CHOM/"))
    assert "Membres ayant publié (3) : médiane" in theirs and "brouillon)" not in theirs
    assert "17,7" not in theirs
    # The portal: published values only.
    portal = csv_rows(host_client("localhost").get("/indicateurs/communes/93010/?export=csv"))
    assert portal[0][0] == "Portrait de Bondy : indicateurs publiés"


# --- 5. exports rounded as shown, ranks with their denominator -----------------------------


@pytest.fixture
def rounded_pool(db):
    """Bondy TP60 2021 27,1 and Montreuil 27,2 (median 27,15); MED 19214,8 and 21000; the
    département's TP60 27,6 (ratio 0,9819); a third commune at those medians (three values
    make a median and a rank: presenters.MIN_PUBLISHERS)."""
    bondy, montreuil = pool_member("93010"), pool_member("93048")
    third = pool_member("93066")
    pool_value(third, "TP60", 2021, "27.15")
    pool_value(third, "MED", 2021, "20107.4")
    pool_value(bondy, "TP60", 2021, "27.1")
    pool_value(montreuil, "TP60", 2021, "27.2")
    pool_value(bondy, "MED", 2021, "19214.8")
    pool_value(montreuil, "MED", 2021, 21000)
    reference("departement", "93", "TP60", 2021, "27.6")


def test_exports_hold_the_figures_as_shown(portal, rounded_pool):
    rows = csv_rows(portal.get("/indicateurs/communes/93010/?export=csv"))
    headers = rows[1]
    tp60 = dict(zip(headers, row_of(rows, "Taux de pauvreté"), strict=True))
    med = dict(zip(headers, row_of(rows, "Médiane du niveau"), strict=True))
    assert tp60["Valeur"] == "27,1" and tp60["Médiane des membres"] == "27,2"
    assert tp60["Rang parmi les membres"] == "3 sur 3"
    assert tp60["Seine-Saint-Denis"] == "27,6"
    assert med["Valeur"] == "19215" and med["Médiane des membres"] == "20107"
    assert med["Rang parmi les membres"] == "1 sur 3"
    comparison = csv_rows(portal.get("/indicateurs/communes/93010/TP60/?annee=2021&export=csv"))
    departement = row_of(comparison, "Seine-Saint-Denis")
    assert departement[1:4] == ["27,6", "-0,5", "0,98"]
    assert row_of(comparison, "Membres ayant publié (3) : médiane")[1] == "27,2"
    assert row_of(comparison, "Membres ayant publié (3) : 1er quartile")[1] == "27,1"
    assert row_of(comparison, "Membres ayant publié (3) : rang")[1] == "3 sur 3"
    # XLSX: numbers rounded as shown, with a format showing those decimals.
    sheet = sheet_of(portal.get("/indicateurs/communes/93010/?export=xlsx"))
    header = [cell.value for cell in sheet[2]]
    cells = {row[0].value: dict(zip(header, row, strict=False)) for row in sheet.iter_rows(3)}
    tp60_cells = cells["Taux de pauvreté au seuil de 60 % (%)"]
    assert tp60_cells["Médiane des membres"].value == 27.2
    assert tp60_cells["Médiane des membres"].number_format == "#,##0.0"
    assert tp60_cells["Rang parmi les membres"].value == "3 sur 3"
    med_cells = cells["Médiane du niveau de vie (euros par an)"]
    assert med_cells["Valeur"].value == 19215 and med_cells["Valeur"].number_format == "#,##0"
    sheet = sheet_of(portal.get("/indicateurs/communes/93010/TP60/?annee=2021&export=xlsx"))
    ratio = next(row for row in sheet.iter_rows(3) if row[0].value == "Seine-Saint-Denis")[3]
    assert ratio.value == 0.98 and ratio.number_format == "#,##0.00"


# --- 6. the portrait gives its values' sources ---------------------------------------------


def test_the_portrait_gives_each_values_source(portal, rounded_pool):
    # On the page, under the indicator (a thirteenth column would not fit a laptop's screen).
    page = page_text(portal.get("/indicateurs/communes/93010/"))
    assert (
        '<th scope="row">Taux de pauvreté au seuil de 60 % (%)<br><small>Source : test</small></th>'
        in page
    )
    rows = csv_rows(portal.get("/indicateurs/communes/93010/?export=csv"))
    assert rows[1][-1] == "Source" and row_of(rows, "Taux de pauvreté")[-1] == "test"
    sheet = sheet_of(portal.get("/indicateurs/communes/93010/?export=xlsx"))
    assert [cell.value for cell in sheet[2]][-1] == "Source"


# --- 7. drafts on the member space's web charts -------------------------------------------


def test_the_web_charts_draw_a_draft_as_a_hollow_point(bondy_draft):
    bondy, _montreuil = bondy_draft
    page = page_text(director_of(bondy, "bondy").get("/abs/comparaison/CHOM/"))
    # The evolution's 2022 point and the position's diamond, each with its white inside.
    assert page.count('class="abs-marker abs-marker-circle abs-draft-hole"') == 1
    assert page.count('<path class="abs-draft-hole"') == 1
    assert "Bondy (point vide : brouillon)" in page
    assert "Point vide : valeur de Bondy non publiée (brouillon), en 2022." in page
    assert "Position de Bondy (17,7, brouillon : losange vide)" in page
    portal = page_text(host_client("localhost").get("/indicateurs/communes/93010/CHOM/"))
    assert "abs-draft-hole" not in portal and "brouillon" not in portal


# --- 8. French elision in titles ----------------------------------------------------------


def test_place_names_after_de_and_a():
    assert [
        naming.of_place(n) for n in ("Les Lilas", "Le Raincy", "Aubervilliers", "Épinay-sur-Seine")
    ] == [
        "des Lilas",
        "du Raincy",
        "d'Aubervilliers",
        "d'Épinay-sur-Seine",
    ]
    assert [
        naming.at_place(n)
        for n in ("Les Lilas", "Le Blanc-Mesnil", "Aubervilliers", "La Courneuve")
    ] == [
        "aux Lilas",
        "au Blanc-Mesnil",
        "à Aubervilliers",
        "à La Courneuve",
    ]


@pytest.mark.parametrize(
    ("insee", "of", "at"),
    [
        ("93045", "des Lilas", "aux Lilas"),
        ("93001", "d'Aubervilliers", "à Aubervilliers"),
        ("93007", "du Blanc-Mesnil", "au Blanc-Mesnil"),
        ("93031", "d'Épinay-sur-Seine", "à Épinay-sur-Seine"),
    ],
)
def test_titles_elide_and_contract_the_place_name(portal, insee, of, at):
    pool_value(pool_member(insee), "TP60", 2021, 20)
    for other in ("93066", "93048"):  # three values draw a position chart (MIN_PUBLISHERS)
        pool_value(pool_member(other), "TP60", 2021, 25)
    page = page_text(portal.get(f"/indicateurs/communes/{insee}/"))
    assert f"<title>Portrait {of}" in page and f"<h1>Portrait {of}</h1>" in page
    assert f"<caption>Portrait {of} : indicateurs publiés</caption>" in page
    assert f"Position {of} parmi les membres" in page and f"Valeur {of}" in page
    assert f"Position {of} (20,0)" in page
    assert csv_rows(portal.get(f"/indicateurs/communes/{insee}/?export=csv"))[0][0] == (
        f"Portrait {of} : indicateurs publiés"
    )
    pdf = portal.get(f"/indicateurs/communes/{insee}/?export=pdf")
    assert PdfReader(io.BytesIO(pdf.content)).metadata.title == f"Portrait {of}"
    assert f"Portrait {of}" in pdf_text(pdf)
    comparison = page_text(portal.get(f"/indicateurs/communes/{insee}/TP60/"))
    assert f"Taux de pauvreté au seuil de 60 % {at}, 2021</h1>" in comparison
    assert f"Portrait {of}</a>" in comparison and f"évolution {at}" in comparison
    for wrong in ("de Les ", "à Les ", "de Le ", "à Le ", "de Aubervilliers", "de Épinay"):
        assert wrong not in page and wrong not in comparison


# --- 9. the edit form's numbers -----------------------------------------------------------


def test_the_edit_form_shows_numbers_as_typed_and_keeps_a_numerator_of_0(two_members):
    bondy, montreuil = two_members
    observe(bondy, "TP60", 2021, "0", numerator=Decimal(0), denominator=Decimal(200))
    observe(bondy, "MED", 2021, "19214.8")
    observe(montreuil, "TP60", 2021, "27.1", numerator=Decimal(50), denominator=Decimal(185))
    pks = {obs.indicator_id: obs.pk for obs in observations_of(bondy)}
    client = director_of(bondy, "bondy")
    form = page_text(client.get(f"/abs/observations/{pks['TP60']}/modifier/"))
    assert 'name="value" value="0"' in form and 'name="numerator" value="0"' in form
    assert 'name="denominator" value="200"' in form
    assert 'name="value" value="19214,8"' in page_text(
        client.get(f"/abs/observations/{pks['MED']}/modifier/")
    )
    # Saved as shown: the numerator 0 stays.
    response = client.post(
        f"/abs/observations/{pks['TP60']}/modifier/",
        {"value": "0", "numerator": "0", "denominator": "200", "source": "", "comment": ""},
    )
    assert response.status_code == 302
    saved = next(o for o in observations_of(bondy) if o.indicator_id == "TP60")
    assert saved.numerator == 0 and saved.denominator == 200
    # Montreuil's observation with the same id: its own numbers, as typed.
    other = page_text(
        director_of(montreuil, "montreuil").get(f"/abs/observations/{pks['TP60']}/modifier/")
    )
    assert 'name="value" value="27,1"' in other and 'name="numerator" value="50"' in other

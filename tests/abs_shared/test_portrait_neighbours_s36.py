"""Session 36 (audit A20 #4): a commune's portrait takes the comparison page's choice of communes
(`?avec=<insee>`, five at most, same checks and French messages) and sets each chosen commune's
published value of the row's year beside every indicator, on the page and in its CSV, XLSX and
PDF; its links to each indicator's comparison keep the choice, and a comparison page leads to the
subject's other indicators and back to the portrait with it. Both hosts: the portal and Bondy's
member space, where a Montreuil draft never shows beside Bondy's values."""

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from tenants.models import MemberCCAS
from tests.abs_shared.conftest import observe, observe_and_publish, pool_member, pool_value
from tests.conftest import make_person, member_client, plain

pytestmark = pytest.mark.django_db

PORTAL = "/indicateurs/communes/93010/"
MEMBER = "/abs/portrait/"
CHOSEN = "avec=93048&avec=93066&avec=93055"  # Montreuil, Saint-Denis, Pantin
HEADERS = ["Montreuil (93048)", "Saint-Denis (93066)", "Pantin (93055)"]
# Montreuil's drafts: never on Bondy's portrait, on either host.
MONTREUIL_DRAFTS = ("55,5", "66,6", "44,4")


@pytest.fixture
def neighbours(two_members):
    """Bondy and Montreuil (real schemas) publish TP60, CHOM and POP 2021; Montreuil then changes
    its TP60 2021 (draft 55,5: the pool keeps 20) and drafts CHOM 2022 (66,6) and FAMMONO 2021
    (44,4); Bondy drafts CHOM 2022 (16,0). Saint-Denis's TP60 2021 is secret, Pantin published
    TP60 2020 only."""
    bondy, montreuil = two_members
    for code, value in (("TP60", 27), ("CHOM", "15.2"), ("FAMMONO", "30.1"), ("POP", 53000)):
        observe_and_publish(bondy, code, 2021, value)
    for code, value in (("TP60", 20), ("CHOM", "12.4"), ("POP", 110000)):
        observe_and_publish(montreuil, code, 2021, value)
    observe(montreuil, "TP60", 2021, "55.5")
    observe(montreuil, "CHOM", 2022, "66.6")
    observe(montreuil, "FAMMONO", 2021, "44.4")
    observe(bondy, "CHOM", 2022, "16.0")
    pool_value(pool_member("93066"), "TP60", 2021, "s")
    pool_value(pool_member("93055"), "TP60", 2020, 21)
    for code, value in (("93001", 30), ("93008", 22), ("93029", 24)):
        pool_value(pool_member(code), "TP60", 2021, value)
    return bondy, montreuil


@pytest.fixture
def claire(neighbours):
    bondy, _montreuil = neighbours
    return member_client(bondy, make_person(bondy, "direction@ccas-bondy.test"))


def portrait_table(response) -> tuple[list[str], dict[str, list[str]]]:
    """The portrait's table as read on the page: its column headers and, by indicator code
    (the label's first word is enough here), each row's cells."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    table = next(
        t for t in soup.find_all("table") if t.caption.get_text().startswith("Portrait de Bondy")
    )
    headers = [plain(th.get_text()) for th in table.thead.find_all("th", scope="col")]
    rows = {}
    for tr in table.tbody.find_all("tr"):
        label = plain(str(tr.th.contents[0]) if tr.th.contents else "")
        rows[label] = [plain(td.get_text()) for td in tr.find_all("td")]
    return headers, rows


def row(rows: dict[str, list[str]], start: str) -> list[str]:
    return next(cells for label, cells in rows.items() if label.startswith(start))


def chosen_cells(headers: list[str], cells: list[str]) -> list[str]:
    """The chosen communes' cells of a row (cells start after the row header « Indicateur »)."""
    return [cells[headers.index(name) - 1] for name in HEADERS]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return plain(re.sub(r"[\u202f\u00a0]", " ", "\n".join(p.extract_text() for p in pages)))


def csv_row(rows: list[list[str]], start: str) -> dict[str, str]:
    headers = rows[1]
    found = next(r for r in rows if r[0].startswith(start))
    return dict(zip(headers, found, strict=False))


# --- 1. the portrait shows the chosen communes ----------------------------------------------


@pytest.mark.parametrize("host", ["portal", "member"])
def test_the_portrait_sets_the_chosen_communes_beside_every_indicator(
    host, portal, claire, neighbours
):
    client, path = (portal, PORTAL) if host == "portal" else (claire, MEMBER)
    response = client.get(f"{path}?annee=2021&{CHOSEN}")
    page = response.content.decode()
    headers, rows = portrait_table(response)
    assert headers[:4] == [
        "Indicateur",
        "Année",
        "Valeur",
        "Évolution depuis l'année publiée précédente",
    ]
    assert headers[4:7] == HEADERS  # after Bondy's value, before its territories
    assert '<th scope="colgroup" colspan="3" class="group">Communes choisies</th>' in page
    # Published values of the row's year; « s » for a secret; « n.d. » without a value.
    assert chosen_cells(headers, row(rows, "Taux de pauvreté")) == ["20,0", "s", "n.d."]
    assert chosen_cells(headers, row(rows, "Taux de chômage")) == ["12,4", "n.d.", "n.d."]
    assert chosen_cells(headers, row(rows, "Part des familles")) == ["n.d.", "n.d.", "n.d."]
    # A count is compared with no other commune, here as on the comparison page.
    assert chosen_cells(headers, row(rows, "Population")) == ["–", "–", "–"]
    for draft in MONTREUIL_DRAFTS:
        assert draft not in page
    # The comparison page's control, ticked as asked, in the year's form.
    form = page[page.index('<form method="get" class="filters"') :]
    form = form[: form.index("</form>")]
    assert 'name="annee"' in form
    assert "<legend>Comparer avec d'autres communes ayant publié" in form
    for code in ("93048", "93066", "93055"):
        assert f'id="avec-{code}" name="avec" value="{code}" checked' in form
    assert 'id="avec-93001" name="avec" value="93001">' in form  # offered, not ticked
    assert 'value="93010"' not in form  # not Bondy itself


def test_in_the_member_space_bondys_draft_year_shows_montreuils_published_values_only(
    claire, neighbours
):
    """Each indicator's latest year: CHOM 2022 is Bondy's draft; Montreuil's 2022 is a draft
    too, so it reads « n.d. », never 66,6; TP60 2021 is the pool's 20, never its draft 55,5."""
    response = claire.get(f"{MEMBER}?{CHOSEN}")
    headers, rows = portrait_table(response)
    chomage = row(rows, "Taux de chômage")
    assert chomage[0] == "2022" and chomage[1] == "16,0 (brouillon)"
    assert chosen_cells(headers, chomage) == ["n.d.", "n.d.", "n.d."]
    assert chosen_cells(headers, row(rows, "Taux de pauvreté")) == ["20,0", "s", "n.d."]
    for draft in MONTREUIL_DRAFTS:
        assert draft not in response.content.decode()


def test_without_a_choice_the_portrait_has_no_chosen_columns(portal, neighbours):
    headers, _rows = portrait_table(portal.get(PORTAL))
    assert not set(HEADERS) & set(headers)
    assert "Communes choisies" not in portal.get(PORTAL).content.decode()


# --- 2. one file carries the whole table ----------------------------------------------------


@pytest.mark.parametrize("host", ["portal", "member"])
def test_the_portraits_csv_and_xlsx_carry_the_chosen_communes_columns(
    host, portal, claire, neighbours
):
    client, path = (portal, PORTAL) if host == "portal" else (claire, MEMBER)
    rows = csv_rows(client.get(f"{path}?annee=2021&{CHOSEN}&export=csv"))
    assert rows[1][4:7] == HEADERS
    poverty = csv_row(rows, "Taux de pauvreté")
    assert [poverty[name] for name in HEADERS] == ["20,0", "s", "n.d."]
    assert [csv_row(rows, "Population")[name] for name in HEADERS] == ["–", "–", "–"]
    assert not any(draft in cell for r in rows for cell in r for draft in MONTREUIL_DRAFTS)

    response = client.get(f"{path}?annee=2021&{CHOSEN}&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[2]]
    assert headers[4:7] == HEADERS
    poverty = next(
        r for r in sheet.iter_rows(values_only=True) if str(r[0]).startswith("Taux de p")
    )
    assert [poverty[headers.index(name)] for name in HEADERS] == [20, "s", "n.d."]
    assert sheet.cell(row=2 + 1, column=1).value  # rows follow the headers
    assert not any(
        draft in str(cell)
        for r in sheet.iter_rows(values_only=True)
        for cell in r
        for draft in MONTREUIL_DRAFTS
    )


@pytest.mark.parametrize("host", ["portal", "member"])
def test_the_portraits_pdf_carries_the_chosen_communes_columns(host, portal, claire, neighbours):
    client, path = (portal, PORTAL) if host == "portal" else (claire, MEMBER)
    text = pdf_text(client.get(f"{path}?annee=2021&{CHOSEN}&export=pdf"))
    # A narrow header cell goes to the next line after a hyphen (« Saint- Denis »).
    headers = text.replace("- ", "-")
    for name in HEADERS:
        assert name in headers
    # The poverty row: Bondy's 27,0, no change, then Montreuil, Saint-Denis and Pantin.
    assert "2021 27,0 – 20,0 s n.d." in text
    for draft in MONTREUIL_DRAFTS:
        assert draft not in text


# --- 3. the choice is kept from page to page ------------------------------------------------


@pytest.mark.parametrize("host", ["portal", "member"])
def test_the_portraits_links_keep_the_choice(host, portal, claire, neighbours):
    client, path = (portal, PORTAL) if host == "portal" else (claire, MEMBER)
    base = "/indicateurs/communes/93010/" if host == "portal" else "/abs/comparaison/"
    page = client.get(f"{path}?annee=2021&{CHOSEN}").content.decode()
    kept = CHOSEN.replace("&", "&amp;")
    assert f'href="{base}TP60/?annee=2021&amp;{kept}"' in page
    assert f'href="{base}CHOM/?annee=2021&amp;{kept}"' in page
    for fmt in ("csv", "xlsx", "pdf"):
        assert f'href="?annee=2021&amp;{kept}&amp;export={fmt}"' in page


@pytest.mark.parametrize("host", ["portal", "member"])
def test_a_comparison_page_leads_to_the_other_indicators_and_back_with_the_choice(
    host, portal, claire, neighbours
):
    """From the unemployment comparison, where Saint-Denis (TP60 only) is ignored with a message,
    the other indicators and the portrait keep the whole choice, and so does the form."""
    client = portal if host == "portal" else claire
    base = "/indicateurs/communes/93010/" if host == "portal" else "/abs/comparaison/"
    back = PORTAL if host == "portal" else MEMBER
    response = client.get(f"{base}CHOM/?annee=2021&avec=93048&avec=93066")
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert (
        "Commune(s) ignorée(s) : 93066 (code inconnu ou commune n'ayant pas publié cet indicateur)"
        in plain(soup.get_text())
    )
    nav = soup.find("nav", attrs={"aria-label": "Autres indicateurs de Bondy"})
    links = {plain(a.get_text()): a["href"] for a in nav.find_all("a")}
    assert links["Taux de pauvreté au seuil de 60 %"] == f"{base}TP60/?avec=93048&avec=93066"
    assert links["Population municipale"] == f"{base}POP/?avec=93048&avec=93066"
    assert "Taux de chômage des 15-64 ans (au sens du recensement)" not in links  # this page
    assert soup.find("a", href=f"{back}?avec=93048&avec=93066") is not None
    # A year changed in the form keeps the commune this indicator does not offer.
    assert soup.find("input", attrs={"type": "hidden", "name": "avec", "value": "93066"})
    assert soup.find("input", attrs={"type": "checkbox", "value": "93048", "checked": True})


# --- 4. the same checks and messages as the comparison page ---------------------------------


@pytest.mark.parametrize("host", ["portal", "member"])
def test_invalid_codes_are_refused_in_french(host, portal, claire, neighbours):
    client, path = (portal, PORTAL) if host == "portal" else (claire, MEMBER)
    asked = ["99999", "75056", "<b>x</b>", "93010", "93048", "93066", "93055", "93001"]
    asked += ["93008", "93029"]
    response = client.get(path, {"avec": asked})
    assert response.status_code == 200
    assert "&lt;b&gt;x&lt;/b&gt;" in response.content.decode()  # repeated back, escaped
    page = plain(BeautifulSoup(response.content.decode(), "html.parser").get_text())
    assert (
        "Commune(s) ignorée(s) : 99999, 75056, <b>x</b> (code inconnu ou commune "
        "n'ayant rien publié)" in page
    )
    assert "Commune ignorée : 93010 est la commune de cette page (Bondy)" in page
    assert "5 communes au plus : seules les 5 premières sont comparées." in page
    headers, _rows = portrait_table(response)
    assert headers[4:9] == HEADERS + ["Aubervilliers (93001)", "Bobigny (93008)"]
    assert "Drancy (93029)" not in headers
    # A file carries no message, and the same five columns.
    rows = csv_rows(client.get(path, {"avec": asked, "export": "csv"}))
    assert rows[1][4:9] == headers[4:9]


def test_an_intercommunality_portrait_takes_no_commune(portal, neighbours):
    """A CIAS's values are compared with the other CIAS only, as on its comparison page."""
    cias = pool_member("93053", MemberCCAS.Kind.CIAS, "200057875")
    pool_value(cias, "TP60", 2021, 40)
    response = portal.get("/indicateurs/intercommunalites/200057875/?avec=93048")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Communes choisies" not in page and "abs-checkboxes" not in page

"""« Chiffres » of an event after the day: who came beside who registered, on the page and in its
download (XLSX, one sheet per table, and CSV), through real HTTP in the admin."""

import csv
import io
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from openpyxl import load_workbook

from seminars.door_access import DOOR_STAFF
from seminars.models import Registration, SeminarPage
from seminars.services import register_person
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person

pytestmark = pytest.mark.django_db

NO_CHECK_IN = "Aucune présence émargée : les chiffres ci-dessous sont ceux des inscriptions"


def base(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/"


def move(seminar: SeminarPage, *, started_hours_ago: float, hours: float = 7) -> None:
    """Move the event in time (people registered while it was to come)."""
    start = timezone.now() - timedelta(hours=started_hours_ago)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        start=start, end=start + timedelta(hours=hours)
    )


def check_in(client, seminar, registration, atelier=None) -> None:
    """The organiser's « Émarger » (or « Présent(e) à l'atelier ») button."""
    data = {"present": "1", "confirm": "1"}
    if atelier is not None:
        data["atelier"] = atelier.pk
    response = client.post(f"{base(seminar)}{registration.pk}/emargement/", data)
    assert response.status_code == 302


def page_of(client, seminar) -> BeautifulSoup:
    response = client.get(f"{base(seminar)}chiffres/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def tables(page: BeautifulSoup) -> dict[str, list[list[str]]]:
    """Caption -> rows of cell texts, the header row first."""
    found = {}
    for table in page.select("table"):
        rows = [
            [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in table.find_all("tr")
        ]
        found[table.caption.get_text(" ", strip=True)] = rows
    return found


def text_of(page: BeautifulSoup) -> str:
    """The page's text, ASCII whitespace collapsed (str.split would take U+00A0 for a space)."""
    return re.sub(r"[ \t\r\n]+", " ", page.select_one("main, body").get_text(" "))


def download(client, seminar, fmt: str):
    response = client.get(f"{base(seminar)}chiffres/telecharger/", {"format": fmt})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment")
    assert f'filename="chiffres-{seminar.slug}.{fmt}"' in response["Content-Disposition"]
    return response.content


def workbook_tables(content: bytes) -> dict[str, list[list]]:
    """Sheet title line (A1) -> its rows, the header row first."""
    workbook = load_workbook(io.BytesIO(content))
    found = {}
    for sheet in workbook.worksheets:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        found[rows[0][0]] = [[cell for cell in row if cell is not None] for row in rows[1:]]
    return found


def csv_tables(content: bytes) -> dict[str, list[list[str]]]:
    """The CSV's blocks, separated by an empty line: caption -> its rows, the header row first."""
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel in French
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    found, block = {}, []
    for row in [*rows, []]:
        if any(row):
            block.append(row)
        elif block:
            found[block[0][0]] = block[1:]
            block = []
    return found


MEMBERS = "Membres et non-membres (inscrits confirmés et présents)"
ATELIERS = "Par atelier"


@pytest.fixture
def day(organiser_client, two_members):
    """An event held yesterday: Bondy and Montreuil members, Pantin not, « Aubervillier » typed;
    Zola, Martin and Benali came (Martin to atelier A, not his B), Abel and Roux did not, and
    Dupont, checked in and marked at atelier A, was cancelled afterwards."""
    seminar = make_seminar(
        "Journée des élus",
        ateliers=(("Atelier A", 1, 2, 10), ("Atelier B", 1, 2, 10), ("Atelier C", 4, 2, 10)),
    )
    a, b, _c = seminar.ateliers.order_by("sort_order")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[a.pk]), notify=False)
    abel, _ = register_person(seminar, person(2, nom="Abel", ateliers=[a.pk]), notify=False)
    martin, _ = register_person(
        seminar,
        person(3, nom="Martin", commune="Montreuil", fonction="dgs", ateliers=[b.pk]),
        notify=False,
    )
    benali, _ = register_person(
        seminar,
        person(4, nom="Benali", commune="Aubervillier", fonction="conseiller_municipal"),
        notify=False,
    )
    register_person(seminar, person(5, nom="Roux", commune="Pantin"), notify=False)
    dupont, _ = register_person(seminar, person(6, nom="Dupont", ateliers=[a.pk]), notify=False)
    assert benali.commune_status == Registration.CommuneStatus.FLAGGED
    move(seminar, started_hours_ago=30)
    check_in(organiser_client, seminar, zola, atelier=a)
    check_in(organiser_client, seminar, martin, atelier=a)
    check_in(organiser_client, seminar, benali)
    check_in(organiser_client, seminar, dupont, atelier=a)
    response = organiser_client.post(f"{base(seminar)}{dupont.pk}/annuler/")
    assert response.status_code == 302
    dupont.refresh_from_db()
    assert dupont.status == "cancelled" and dupont.checked_in_at is not None
    return seminar


EXPECTED = {
    MEMBERS: [
        ["Catégorie", "Inscrits confirmés", "Présents"],
        ["Communes membres de l'union", 3, 2],
        ["Communes non membres", 1, 0],
        ["Commune à vérifier", 1, 1],
    ],
    "Par fonction": [
        ["Fonction", "Inscrits confirmés", "Présents"],
        ["Maire", 3, 1],
        ["Conseiller(ère) municipal(e)", 1, 1],
        ["Directeur(trice) général(e) des services", 1, 1],
    ],
    "Par commune": [
        ["Commune", "Inscrits confirmés", "Présents"],
        ["Bondy", 2, 1],
        ["Aubervillier (à vérifier)", 1, 1],
        ["Montreuil", 1, 1],
        ["Pantin", 1, 0],
    ],
    ATELIERS: [
        ["Atelier", "Inscrits confirmés", "Présents", "Places"],
        # Martin chose B but was seen in A; Dupont, cancelled, is in neither count.
        ["Atelier A", 2, 2, 10],
        ["Atelier B", 1, 0, 10],
        ["Atelier C", 0, 0, 10],
    ],
}


def as_text(rows):
    return [[str(cell) for cell in row] for row in rows]


def test_the_page_counts_the_present_beside_the_confirmed(organiser_client, day):
    page = page_of(organiser_client, day)
    text = text_of(page)
    assert "3 présents sur 5 inscrits confirmés (60\u00a0%) ; 2 absents." in text
    assert NO_CHECK_IN not in text
    found = tables(page)
    for caption, rows in EXPECTED.items():
        assert found[caption] == as_text(rows), caption
    # Every header cell is a <th scope>: columns on top, the label of each row.
    for table in page.select("table"):
        assert all(th.get("scope") in ("col", "row") for th in table.select("th"))
        assert table.select("thead th[scope=col]")


def test_the_download_holds_the_same_figures(organiser_client, day):
    sheets = workbook_tables(download(organiser_client, day, "xlsx"))
    for caption, rows in EXPECTED.items():
        assert sheets[caption] == rows, caption
    summary = {row[0]: row[1] for row in sheets[next(iter(sheets))][1:] if len(row) == 2}
    assert summary["Inscrits confirmés"] == 5 and summary["Présents"] == 3
    assert summary["Absents"] == 2 and summary["Taux de présence (%)"] == 60
    workbook = load_workbook(io.BytesIO(download(organiser_client, day, "xlsx")))
    assert workbook.sheetnames == ["Synthèse", "Membres", "Fonctions", "Communes", "Ateliers"]

    blocks = csv_tables(download(organiser_client, day, "csv"))
    for caption, rows in EXPECTED.items():
        assert blocks[caption] == as_text(rows), caption


def test_a_past_event_without_check_in_says_so_instead_of_zeros(organiser_client):
    seminar = make_seminar("Commission sans accueil", ateliers=(("Budget", 1, 2, 10),))
    budget = seminar.ateliers.get()
    register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]), notify=False)
    register_person(seminar, person(2, nom="Abel", commune="Aubervillier"), notify=False)
    move(seminar, started_hours_ago=30)
    page = page_of(organiser_client, seminar)
    text = text_of(page)
    assert NO_CHECK_IN in text
    assert "présents sur" not in text and "Présents" not in text and "absent" not in text
    found = tables(page)
    assert found["Membres et non-membres (inscriptions confirmées)"][0] == [
        "Catégorie",
        "Personnes",
    ]
    assert found["Par commune"][1:] == [["Aubervillier (à vérifier)", "1"], ["Bondy", "1"]]
    assert found["Par atelier"] == [["Atelier", "Confirmées", "Places"], ["Budget", "1", "10"]]

    sheets = workbook_tables(download(organiser_client, seminar, "xlsx"))
    assert sheets["Par commune"] == [
        ["Commune", "Personnes"],
        ["Aubervillier (à vérifier)", 1],
        ["Bondy", 1],
    ]
    summary = sheets[next(iter(sheets))]
    assert [NO_CHECK_IN + "."] in summary
    assert not any(row and row[0] == "Présents" for row in summary)
    assert NO_CHECK_IN + "." in download(organiser_client, seminar, "csv").decode("utf-8-sig")


def test_an_ended_event_with_nobody_registered_has_nothing_to_divide(organiser_client):
    seminar = make_seminar("Réunion annulée")
    move(seminar, started_hours_ago=30)
    text = text_of(page_of(organiser_client, seminar))
    assert "Aucune inscription confirmée sur 50 places" in text and NO_CHECK_IN not in text
    assert workbook_tables(download(organiser_client, seminar, "xlsx"))
    assert download(organiser_client, seminar, "csv")


def test_during_the_event_the_others_are_not_yet_there(organiser_client, seminar):
    """The conftest's event: three ateliers, no presence recorded at any of them."""
    zola, _ = register_person(seminar, person(1, nom="Zola"), notify=False)
    register_person(seminar, person(2, nom="Abel"), notify=False)
    move(seminar, started_hours_ago=1)
    check_in(organiser_client, seminar, zola)
    page = page_of(organiser_client, seminar)
    text = text_of(page)
    assert "1 présent sur 2 inscrits confirmés (50\u00a0%) ; 1 pas encore arrivé." in text
    found = tables(page)
    assert found["Par fonction"] == [
        ["Fonction", "Inscrits confirmés", "Présents"],
        ["Maire", "2", "1"],
    ]
    # No presence per atelier recorded: the atelier table says so rather than showing zeros.
    caption = "Par atelier (présences aux ateliers non émargées)"
    assert found[caption][0] == ["Atelier", "Inscrits confirmés", "Places"]
    assert caption in workbook_tables(download(organiser_client, seminar, "xlsx"))


def test_before_the_event_the_figures_are_the_registrations_and_download(organiser_client, seminar):
    register_person(seminar, person(1, nom="Zola"), notify=False)
    page = page_of(organiser_client, seminar)
    text = text_of(page)
    assert "Présents" not in text and NO_CHECK_IN not in text
    links = [a["href"] for a in page.select("a") if "Télécharger les chiffres" in a.get_text()]
    assert links == [
        f"{base(seminar)}chiffres/telecharger/?format=xlsx",
        f"{base(seminar)}chiffres/telecharger/?format=csv",
    ]
    sheets = workbook_tables(download(organiser_client, seminar, "xlsx"))
    assert sheets["Par fonction"] == [["Fonction", "Personnes"], ["Maire", 1]]
    bad = organiser_client.get(f"{base(seminar)}chiffres/telecharger/", {"format": "pdf"})
    assert bad.status_code == 400 and "Format inconnu" in bad.content.decode()


def test_only_organisers_download_the_figures(seminar):
    door = host_client("localhost", organiser(DOOR_STAFF, "accueil@union.test"))
    response = door.get(f"{base(seminar)}chiffres/telecharger/", {"format": "xlsx"})
    assert response.status_code in (302, 403)

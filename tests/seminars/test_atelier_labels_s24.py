"""Two ateliers of the same title (« Accès aux droits » on Thursday and on Friday) are told apart
by their time slot wherever an organiser or the desk reads them: the list's « Atelier » filter,
the desk's « Par atelier » links and headings, the attendance-sheet links, the « Présent(e) à
l'atelier » rows and their messages, the opinions per atelier (page and avis.xlsx) and the year
report. An import line names either by its label as the export writes it; a bare title that two
ateliers share is refused with its line and column, and nothing is imported (admin and API).
Through real HTTP, with real CSV and XLSX files."""

import html
import io

import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook, load_workbook

from seminars.evaluations import save_evaluation
from seminars.models import AtelierPresence, Registration
from tests.seminars.conftest import TWO_DAYS_ATELIERS, make_seminar
from tests.seminars.test_stats_ateliers_s24 import FRIDAY, NBSP, THURSDAY, at, set_times
from tests.seminars.test_stats_attendance_s23 import base

pytestmark = pytest.mark.django_db

ON_THURSDAY = f"Accès aux droits – {THURSDAY}"
ON_FRIDAY = f"Accès aux droits – {FRIDAY}"


def ateliers_of(seminar):
    return seminar.ateliers.order_by("sort_order")


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def listed_names(page: BeautifulSoup) -> list[str]:
    return sorted(row.th.get_text(" ", strip=True).split()[0] for row in page.select("tr[id^=r-]"))


# 1. The list's filter ---------------------------------------------------------------------------


def test_the_filter_names_each_atelier_by_its_slot_and_filters_by_it(organiser_client, two_days):
    thursday, friday, budget = ateliers_of(two_days)
    page = soup(organiser_client.get(base(two_days)))
    options = {
        option.get_text(): option["value"] for option in page.select("select#id_atelier option")
    }
    assert options == {
        "Tous": "",
        "Budget": str(budget.pk),
        ON_THURSDAY: str(thursday.pk),
        ON_FRIDAY: str(friday.pk),
    }
    thursday_list = soup(organiser_client.get(base(two_days), {"atelier": thursday.pk}))
    assert listed_names(thursday_list) == ["ZOLA"]
    friday_list = soup(organiser_client.get(base(two_days), {"atelier": friday.pk}))
    assert listed_names(friday_list) == ["ABEL", "MARTIN"]


# 2. The desk: « Par atelier », the heading, the attendance-sheet links -------------------------


def test_the_desk_names_the_atelier_by_its_slot(organiser_client, two_days):
    thursday, friday, _budget = ateliers_of(two_days)
    page = soup(organiser_client.get(base(two_days), {"accueil": "1", "atelier": friday.pk}))
    links = [a.get_text() for a in page.select('nav[aria-label="Accueil par atelier"] a')]
    assert links == ["Budget", ON_THURSDAY, ON_FRIDAY]
    counts = [p.get_text(" ") for p in page.select("p.door-counts")]
    assert any(f"Atelier «{NBSP}{ON_FRIDAY}{NBSP}»{NBSP}:" in c for c in counts), counts
    assert listed_names(page) == ["ABEL", "MARTIN"]

    door = soup(
        organiser_client.get(
            f"/admin/inscriptions/accueil/{two_days.pk}/", {"atelier": thursday.pk}
        )
    )
    links = [a.get_text() for a in door.select('nav[aria-label="Accueil par atelier"] a')]
    assert links == ["tout l'événement", "Budget", ON_THURSDAY, ON_FRIDAY]
    heading = door.select_one("h2#liste").get_text()
    assert heading == f"Accueil des participants – atelier «{NBSP}{ON_THURSDAY}{NBSP}»"
    counts = " ".join(p.get_text() for p in door.select("p.door-counts"))
    assert f"Atelier «{NBSP}{ON_THURSDAY}{NBSP}»" in counts


def test_the_attendance_sheet_links_name_the_slot(organiser_client, two_days):
    thursday, friday, budget = ateliers_of(two_days)
    page = soup(organiser_client.get(base(two_days)))
    sheets = {}
    for item in page.select("li"):
        link = item.find("a", href=lambda href: href and "format=pdf&atelier=" in href)
        if link:
            sheets[item.get_text().split(":")[0].rstrip(NBSP + " ")] = link["href"].rsplit("=", 1)[
                1
            ]
    assert sheets == {
        "Budget": str(budget.pk),
        ON_THURSDAY: str(thursday.pk),
        ON_FRIDAY: str(friday.pk),
    }


# 3. « Présent(e) à l'atelier » -------------------------------------------------------------------


def test_the_presence_buttons_and_their_messages_name_the_slot(organiser_client, two_days):
    thursday, friday, budget = ateliers_of(two_days)
    abel = two_days.registrations.get(nom="Abel")
    martin = two_days.registrations.get(nom="Martin")
    page = soup(organiser_client.get(base(two_days), {"accueil": "1"}))
    row = page.select_one(f"tr#r-{abel.pk}")
    marks = [form.select_one("span").get_text() for form in row.select("ul.atelier-marks form")]
    assert marks == [ON_FRIDAY]
    button = row.select_one("ul.atelier-marks button").get_text()
    assert button == f"Présent(e) à l'atelier «{NBSP}{ON_FRIDAY}{NBSP}»{NBSP}: Prénom2 Abel"
    martin_row = page.select_one(f"tr#r-{martin.pk}")
    marked = [span.get_text() for span in martin_row.select("ul.atelier-marks form > span")]
    assert marked[0].startswith("Budget") and marked[1].startswith(f"{ON_FRIDAY}{NBSP}: présent")

    # Abel came to Friday's: marked there, not at Thursday's.
    response = organiser_client.post(
        f"/admin/inscriptions/accueil/{two_days.pk}/{abel.pk}/emargement/",
        {"present": "1", "confirm": "1", "atelier": friday.pk},
        follow=True,
    )
    said = html.unescape(response.content.decode())
    assert f"Prénom2 Abel : présent(e) à l'atelier «{NBSP}{ON_FRIDAY}{NBSP}»" in said.replace(
        f"Abel{NBSP}:", "Abel :"
    )
    assert set(
        AtelierPresence.objects.filter(registration=abel).values_list("atelier", flat=True)
    ) == {friday.pk}
    response = organiser_client.post(
        f"{base(two_days)}{abel.pk}/emargement/",
        {"present": "0", "atelier": friday.pk},
        follow=True,
    )
    said = html.unescape(response.content.decode())
    assert f"présence à l'atelier «{NBSP}{ON_FRIDAY}{NBSP}» annulée" in said

    # Martin's check-in undone: both his presences go, each named.
    response = organiser_client.post(
        f"{base(two_days)}{martin.pk}/emargement/", {"present": "0"}, follow=True
    )
    said = html.unescape(response.content.decode())
    assert (
        f"(et présences aux ateliers «{NBSP}Budget{NBSP}», «{NBSP}{ON_FRIDAY}{NBSP}» annulées)"
        in said
    )
    assert not AtelierPresence.objects.filter(registration=martin).exists()


# 4. Opinions and the year report ----------------------------------------------------------------


def test_the_opinions_per_atelier_name_the_slot(organiser_client, two_days):
    thursday = ateliers_of(two_days)[0]
    zola = two_days.registrations.get(nom="Zola")
    save_evaluation(zola, {"overall": 4, "usefulness": 4, "organisation": 3}, {thursday.pk: 4})
    page = soup(organiser_client.get(f"{base(two_days)}avis/"))
    rows = [
        row.th.get_text()
        for table in page.select("table")
        if "Atelier" in table.get_text()
        for row in table.select("tbody tr")
    ]
    assert [ON_THURSDAY, ON_FRIDAY] == [row for row in rows if row.startswith("Accès")]
    response = organiser_client.get(f"{base(two_days)}avis.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Ateliers"]
    labels = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert labels == ["Budget", ON_THURSDAY, ON_FRIDAY]


def test_the_year_report_names_the_slot(organiser_client, two_days):
    page = soup(organiser_client.get("/admin/inscriptions/bilan/", {"annee": "2025"}))
    followed = page.find(string=lambda s: s and "Ateliers suivis" in s).parent.get_text()
    assert followed == (
        f"Ateliers suivis{NBSP}: Budget (1 présent){NBSP}; {ON_THURSDAY} (1 présent){NBSP}; "
        f"{ON_FRIDAY} (1 présent)"
    )


# 5. Import --------------------------------------------------------------------------------------

HEADER = ["Nom", "Prénom", "Commune", "Fonction", "Email", "Ateliers"]


def xlsx_file(tmp_path, rows, name="liste.xlsx"):
    workbook = Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def csv_file(tmp_path, rows, name="liste.csv"):
    path = tmp_path / name
    path.write_text("".join(";".join(row) + "\r\n" for row in [HEADER, *rows]), "utf-8-sig")
    return path


def admin_import(client, seminar, path):
    with path.open("rb") as handle:
        return client.post(f"{base(seminar)}importer/", {"file": handle})


def api_import(staff_api, seminar, path):
    with path.open("rb") as handle:
        return staff_api.post(
            f"/api/v1/seminars/{seminar.pk}/registrations/import", {"file": handle}
        )


def test_an_import_line_names_either_atelier_by_its_slot(organiser_client, two_days, tmp_path):
    thursday, friday, budget = ateliers_of(two_days)
    # As the list export writes a person's ateliers (« ; » between two, the slot holds a
    # comma), and as someone retyped one with plain spaces and another case.
    path = xlsx_file(
        tmp_path,
        [
            ["Colin", "Agnès", "Bondy", "Maire", "colin@exemple.fr", f"{ON_FRIDAY}{NBSP}; Budget"],
            ["Durand", "Aïcha", "Montreuil", "DGS", "durand@exemple.fr", ON_THURSDAY],
            [
                "Petit",
                "Jean",
                "Drancy",
                "Maire",
                "petit@exemple.fr",
                "accès aux droits – jeu. 4 décembre, 14 h – 16 h",
            ],
        ],
    )
    response = admin_import(organiser_client, two_days, path)
    assert response.status_code == 302, html.unescape(response.content.decode())
    chosen = {
        r.nom: {a.pk for a in r.ateliers.all()}
        for r in two_days.registrations.filter(nom__in=["Colin", "Durand", "Petit"])
    }
    assert chosen == {
        "Colin": {friday.pk, budget.pk},
        "Durand": {thursday.pk},
        "Petit": {thursday.pk},
    }


def test_a_list_exported_from_the_event_imports_back(organiser_client, two_days, tmp_path):
    """The list export's « Ateliers » column, read into an event of the same ateliers: each
    person has the ateliers they had."""
    response = organiser_client.get(f"{base(two_days)}liste.xlsx")
    assert response.status_code == 200
    rows = [
        [cell.value or "" for cell in row]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()
    ]
    at_ = [rows[1].index(title) for title in ("Nom", "Prénom", "Commune", "E-mail", "Ateliers")]
    path = xlsx_file(
        tmp_path,
        [
            [row[at_[0]], row[at_[1]], row[at_[2]], "Maire", row[at_[3]], row[at_[4]]]
            for row in rows[2:]
        ],
    )
    same = make_seminar(
        "Rencontres de décembre, encore",
        hours=32,
        ateliers=TWO_DAYS_ATELIERS,
    )
    set_times(
        same,
        at(4, 9),
        at(5, 17),
        {0: (at(4, 14), at(4, 16)), 1: (at(5, 14), at(5, 16)), 2: (at(4, 10), at(4, 12))},
    )
    response = admin_import(organiser_client, same, path)
    assert response.status_code == 302, html.unescape(response.content.decode())

    def chosen(seminar):
        return {
            r.email: sorted(a.sort_order for a in r.ateliers.all())
            for r in seminar.registrations.prefetch_related("ateliers")
        }

    assert (
        chosen(same)
        == chosen(two_days)
        == {
            "personne1@exemple.fr": [0],
            "personne2@exemple.fr": [1],
            "personne3@exemple.fr": [1, 2],
        }
    )


def test_a_bare_title_two_ateliers_share_is_refused_with_its_line_and_column(
    organiser_client, two_days, tmp_path, staff_api
):
    rows = [
        ["Colin", "Agnès", "Bondy", "Maire", "colin@exemple.fr", "Budget"],
        ["Durand", "Aïcha", "Montreuil", "DGS", "durand@exemple.fr", "Accès aux droits"],
    ]
    before = Registration.objects.count()
    response = admin_import(organiser_client, two_days, xlsx_file(tmp_path, rows))
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    errors = [
        [cell.get_text() for cell in row.find_all(["th", "td"])]
        for row in page.select("table tbody tr")
    ]
    assert len(errors) == 1, errors
    line, column, message = errors[0]
    assert (line, column) == ("3", "Ateliers")
    assert message.startswith(f"«{NBSP}Accès aux droits{NBSP}» désigne plusieurs ateliers")
    assert f"«{NBSP}{ON_THURSDAY}{NBSP}»" in message and f"«{NBSP}{ON_FRIDAY}{NBSP}»" in message
    assert "Rien n'a été importé" in html.unescape(response.content.decode())
    assert Registration.objects.count() == before

    response = api_import(staff_api, two_days, csv_file(tmp_path, rows))
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [{"line": 3, "column": "Ateliers", "message": message}]
    assert Registration.objects.count() == before


def test_titles_that_differ_by_an_accent_are_named_apart_as_the_import_reads_them(
    organiser_client, tmp_path
):
    """The import reads titles with accents, case, spaces and punctuation ignored; the names
    must tell apart the titles it cannot, or its error would offer two names that each read
    back as both ateliers (session 25)."""
    seminar = make_seminar(
        "Journée des élus",
        ateliers=(("Accès aux droits", 1, 2, 10), ("Acces aux droits", 4, 2, 10)),
    )
    morning, afternoon = seminar.ateliers.order_by("sort_order")
    labels = seminar.atelier_labels
    assert labels[morning.pk].startswith("Accès aux droits – ")
    assert labels[afternoon.pk].startswith("Acces aux droits – ")

    rows = [["Colin", "Agnès", "Bondy", "Maire", "colin@exemple.fr", labels[afternoon.pk]]]
    response = admin_import(organiser_client, seminar, xlsx_file(tmp_path, rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    (registration,) = Registration.objects.filter(seminar=seminar)
    assert list(registration.ateliers.all()) == [afternoon]

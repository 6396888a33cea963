"""Defects found in review of the member workspace: odd input, refused forms, roles, documents,
and the board's coming ends of term. Every test goes through real HTTP requests."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.workspace.models import ActivityFigure, BoardMandate, BoardMember, Document
from tests.conftest import make_person, member_client
from tests.workspace.conftest import add_figures, make_board

MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
)

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


# --- Digits that are digits to str.isdigit() but not to int() -------------------------------


@pytest.mark.parametrize(
    "path, status",
    [
        ("/activite/?annee=²", 404),
        ("/activite/export.csv?annee=²", 404),
        ("/activite/export.pdf?annee=2⁰25", 404),
        ("/activite/domiciliation/?annee=²", 404),
        ("/api/v1/activity/?year=²", 400),
        ("/api/v1/board/members/?mandate=²", 404),
        ("/api/v1/board/compliance/?mandate=¹", 404),
        # Thousands of ASCII digits: int() refuses more than 4300 of them.
        ("/activite/?annee=" + "9" * 5000, 404),
        ("/api/v1/activity/?year=" + "9" * 5000, 400),
        ("/api/v1/board/members/?mandate=" + "9" * 5000, 404),
    ],
)
def test_superscript_digits_in_a_year_or_an_id_are_refused_not_a_500(bondy, clients, path, status):
    client = clients["viewer"]
    client.raise_request_exception = False
    assert client.get(path).status_code == status


# --- A figure typed twice with the very same spelling ----------------------------------------


def test_an_identical_figure_is_refused_with_the_french_sentence_and_kept(bondy, clients):
    add_figures(bondy, (2025, "Secours", "Transports", 7, None))
    response = clients["agent"].post(
        "/activite/saisir/",
        {"year": "2025", "pole": "Secours", "category": "Transports", "count": "9", "amount": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Un chiffre existe déjà pour 2025, « Secours », « Transports » : <a " in page
    assert ">modifiez le chiffre existant</a>." in page  # its link: test_session7_fixes.py
    assert "Un objet" not in page and "avec ces champs" not in page
    assert 'value="9"' in page  # what was typed stays
    with schema_context(bondy.schema_name):
        assert ActivityFigure.objects.get().count == 7


def test_a_figure_without_count_nor_amount_is_still_refused(bondy, clients):
    response = clients["agent"].post(
        "/activite/saisir/", {"year": "2025", "pole": "Secours", "category": "Transports"}
    )
    assert response.content.decode().count("Indiquez un nombre, un montant ou les deux.") == 1
    with schema_context(bondy.schema_name):
        assert not ActivityFigure.objects.exists()


# --- Refused forms: « Erreur – » in the title, a summary that links to the fields ------------


def _assert_refused(response, field_id: str):
    soup = soup_of(response)
    assert response.status_code == 200
    assert soup.title.get_text().startswith("Erreur – "), soup.title.get_text()
    summary = soup.find(class_="error-summary")
    assert summary is not None and summary["role"] == "alert"
    assert summary.find("a", href=f"#{field_id}") is not None
    assert soup.find(id=field_id) is not None
    return soup


def test_refused_workspace_forms_say_so_in_the_title_and_sum_up_their_errors(bondy, clients):
    mandate = make_board(bondy)
    director = clients["director"]
    soup = _assert_refused(
        director.post(
            "/activite/saisir/", {"year": "1800", "pole": "Secours", "category": "Obsèques"}
        ),
        "id_year",
    )
    assert soup.find(id="id_category")["value"] == "Obsèques"
    _assert_refused(
        director.post("/conseil/mandats/ajouter/", {"label": "2026-2032", "start": "demain"}),
        "id_start",
    )
    soup = _assert_refused(
        director.post(
            f"/conseil/mandats/{mandate.pk}/ajouter/",
            {
                "first_name": "Léa",
                "last_name": "Nguyen",
                "seat": "appointed",
                "start": "2020-07-01",
            },
        ),
        "id_category",
    )
    assert soup.find(id="id_last_name")["value"] == "Nguyen"
    _assert_refused(
        director.post("/equipe/", {"email": "pas-une-adresse", "role": "agent"}), "id_email"
    )
    _assert_refused(director.post("/documents/", {"title": "Budget"}), "id_file")
    _assert_refused(
        director.post("/activite/importer/", {"file": SimpleUploadedFile("chiffres.ods", b"rien")}),
        "id_file",
    )
    # A file read but refused: the title says it too (the table of errors is the summary).
    refused = director.post(
        "/activite/importer/",
        {"file": SimpleUploadedFile("a.csv", "année;pôle;catégorie;nombre\n".encode())},
    )
    assert soup_of(refused).title.get_text().startswith("Erreur – ")
    # A page that was not refused keeps its plain title.
    assert not soup_of(director.get("/activite/saisir/")).title.get_text().startswith("Erreur")


def test_refused_profile_sums_up_the_profile_and_its_services(bondy, clients):
    data = {
        "legal_name": "CCAS de Bondy",
        "kind": "CCAS",
        "postal_code": "9314",
        "city": "Bondy",
        "services-TOTAL_FORMS": "1",
        "services-INITIAL_FORMS": "0",
        "services-MIN_NUM_FORMS": "0",
        "services-MAX_NUM_FORMS": "30",
        "services-0-kind": "other",
        "services-0-label": "",
        "services-0-description": "Jardin partagé",
    }
    soup = _assert_refused(clients["agent"].post("/profil/modifier/", data), "id_postal_code")
    summary = soup.find(class_="error-summary")
    assert summary.find("a", href="#id_services-0-label") is not None
    assert soup.find(id="id_services-0-description").get_text().strip() == "Jardin partagé"


# --- Documents -------------------------------------------------------------------------------


def test_a_viewer_upload_is_refused_not_silently_ignored(bondy, clients):
    response = clients["viewer"].post(
        "/documents/", {"title": "Note", "file": SimpleUploadedFile("note.txt", b"x")}
    )
    assert response.status_code == 403
    with schema_context(bondy.schema_name):
        assert not Document.objects.exists()


def test_a_document_whose_file_is_gone_is_a_404_not_a_500(two_members):
    bondy, montreuil = two_members
    with schema_context(bondy.schema_name):
        lost = Document.objects.create(title="Perdu", file=SimpleUploadedFile("p.txt", b"p"))
        lost.file.storage.delete(lost.file.name)
    with schema_context(montreuil.schema_name):
        kept = Document.objects.create(title="Gardé", file=SimpleUploadedFile("g.txt", b"gg"))
    assert lost.pk == kept.pk  # the collision: the same id is fine on the other host
    b = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    b.raise_request_exception = False
    assert b.get(f"/documents/{lost.pk}/").status_code == 404
    m = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    response = m.get(f"/documents/{kept.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"gg"


# --- Board: ends of term coming --------------------------------------------------------------


def _board_with_ends(member, **days):
    """A compliant board whose seats named in `days` (last name -> days from today) end then."""
    mandate = make_board(member)
    today = timezone.localdate()
    with schema_context(member.schema_name):
        for last_name, delta in days.items():
            BoardMember.objects.filter(last_name=last_name).update(end=today + timedelta(delta))
    return mandate


def test_board_and_dashboard_warn_of_seats_ending_soon(bondy, clients):
    # Asso3 represents the "personnes handicapées" associations: without them, not compliant.
    _board_with_ends(bondy, Conseil1=30, Asso3=1, Conseil2=200)
    page = soup_of(clients["viewer"].get("/conseil/"))
    section = page.find("section", attrs={"aria-labelledby": "echeances"})
    assert section is not None and section.h2.get_text() == "Échéances à venir"
    items = [li.get_text(" ", strip=True) for li in section.find_all("li")]
    end_1 = timezone.localdate() + timedelta(1)
    assert len(items) == 2  # Conseil2 ends in 200 days: not yet
    assert items[0].startswith("Nommé3 Asso3 (nommé(e) par le maire) : mandat jusqu'au ")
    assert items[0].endswith("(demain).")
    day = "1er" if end_1.day == 1 else str(end_1.day)
    assert f"jusqu'au {day} {MONTHS[end_1.month - 1]} {end_1.year} (demain)" in items[0]
    assert "Élu1 Conseil1 (élu(e) du conseil municipal)" in items[1]
    assert "(dans 30 jours)" in items[1]
    assert "Sans remplacement, le conseil ne sera plus conforme après ces départs." in (
        section.get_text(" ", strip=True)
    )
    home = soup_of(clients["viewer"].get("/"))
    card = home.find("section", attrs={"aria-labelledby": "conseil"})
    assert "Échéances à venir" in card.get_text()
    assert "Nommé3 Asso3" in card.get_text()


def test_a_successor_already_entered_means_no_compliance_warning(bondy, clients):
    _board_with_ends(bondy, Asso3=10)
    with schema_context(bondy.schema_name):
        leaving = BoardMember.objects.get(last_name="Asso3")
        successor = BoardMember.objects.get(pk=leaving.pk)
        successor.pk, successor.last_name = None, "Relève"
        successor.start, successor.end = leaving.end + timedelta(1), None
        successor.save()
    text = (
        soup_of(clients["viewer"].get("/conseil/"))
        .find("section", attrs={"aria-labelledby": "echeances"})
        .get_text(" ", strip=True)
    )
    assert "Nommé3 Asso3" in text  # the end is still announced
    assert "ne sera plus conforme" not in text  # but the successor keeps the board compliant


def test_board_warns_of_the_mandate_end_and_stays_quiet_otherwise(two_members):
    bondy, montreuil = two_members
    today = timezone.localdate()
    mandate = _board_with_ends(bondy, Conseil3=400)
    with schema_context(bondy.schema_name):
        BoardMandate.objects.filter(pk=mandate.pk).update(end=today + timedelta(100))
    # Montreuil: same ids, a seat ending tomorrow; none of it shows in Bondy.
    _board_with_ends(montreuil, Conseil1=1)
    b = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    section = soup_of(b.get("/conseil/")).find("section", attrs={"aria-labelledby": "echeances"})
    text = section.get_text(" ", strip=True)
    assert "La mandature 2020-2026 prend fin le" in text and "(dans 100 jours)" in text
    assert "Conseil1" not in text and "ne sera plus conforme" not in text
    m = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    assert "Élu1 Conseil1" in m.get("/conseil/").content.decode()
    # Quiet otherwise: a board installed after the last municipal elections (the builders' 2020
    # board now predates those of March 2026 and must be renewed: test_review_s15_board.py).
    with schema_context(bondy.schema_name):
        BoardMandate.objects.filter(pk=mandate.pk).update(end=None, start=date(2026, 4, 20))
        BoardMember.objects.update(start=date(2026, 4, 20))
    assert soup_of(b.get("/conseil/")).find(attrs={"aria-labelledby": "echeances"}) is None
    assert "Échéances à venir" not in b.get("/").content.decode()


# --- Domiciliation ---------------------------------------------------------------------------


def test_domiciliation_counts_are_written_the_french_way(bondy, clients):
    add_figures(bondy, (2025, "Élection de domicile", "Courriers reçus", 12345, None))
    page = soup_of(clients["viewer"].get("/activite/domiciliation/?annee=2025"))
    row = page.find("th", string="Courriers reçus").parent
    assert row.find("td").get_text() == "12\u202f345"


def test_amounts_still_round_trip(bondy, clients):
    """Guard: the entry form's amount still parses the French way after the form changes."""
    response = clients["agent"].post(
        "/activite/saisir/",
        {"year": "2025", "pole": "Secours", "category": "Obsèques", "amount": "1 234,50"},
    )
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        assert ActivityFigure.objects.get().amount == Decimal("1234.50")


# --- A mandate can be corrected and closed ---------------------------------------------------


def test_a_mandate_gets_its_end_date_from_the_board_page(two_members):
    bondy, montreuil = two_members
    mandate = make_board(bondy)
    other = make_board(montreuil)
    assert mandate.pk == other.pk  # the collision: Montreuil's mandate must not move
    director = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    board = soup_of(director.get("/conseil/"))
    assert board.find("a", href=f"/conseil/mandats/{mandate.pk}/modifier/") is not None
    end = timezone.localdate() + timedelta(100)
    refused = director.post(
        f"/conseil/mandats/{mandate.pk}/modifier/",
        {"label": "2020-2026", "start": "2020-07-01", "end": "2019-01-01"},
    )
    assert (
        _assert_refused(refused, "id_end")
        .title.get_text()
        .startswith("Erreur – Modifier la mandature 2020-2026")
    )
    response = director.post(
        f"/conseil/mandats/{mandate.pk}/modifier/",
        {"label": "2020-2026", "start": "2020-07-01", "end": end.isoformat()},
        follow=True,
    )
    assert "Mandature 2020-2026 mise à jour." in response.content.decode()
    assert "La mandature 2020-2026 prend fin le" in response.content.decode()
    with schema_context(bondy.schema_name):
        assert BoardMandate.objects.get().end == end
    with schema_context(montreuil.schema_name):
        assert BoardMandate.objects.get().end is None


def test_only_writers_edit_a_mandate(bondy, clients):
    mandate = make_board(bondy)
    path = f"/conseil/mandats/{mandate.pk}/modifier/"
    assert clients["viewer"].get(path).status_code == 403
    assert clients["viewer"].post(path, {"label": "x", "start": "2020-07-01"}).status_code == 403
    assert "Modifier la mandature" not in clients["viewer"].get("/conseil/").content.decode()
    # Its dates are the direction's, as the renewal (session 31).
    assert clients["agent"].get(path).status_code == 403
    assert clients["director"].get(path).status_code == 200
    with schema_context(bondy.schema_name):
        assert BoardMandate.objects.get().label == "2020-2026"

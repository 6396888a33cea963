"""Seventh session: seats within their mandate, the board read once, the team's refusals said,
the figure form's way back and its link to a figure entered twice, a partial year not compared
as a whole, a document's long name."""

from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace.models import ActivityFigure, BoardMandate, BoardMember, Document
from tests.conftest import make_person, member_client
from tests.workspace.conftest import add_figures, make_board

pytestmark = pytest.mark.django_db

SEAT = {"first_name": "Zoé", "last_name": "Hors-Mandat", "seat": "elected"}


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def field_error(response, name: str) -> str:
    error = soup_of(response).find(id=f"id_{name}_error")
    return error.get_text(" ", strip=True) if error else ""


@pytest.fixture
def boards(two_members):
    """Bondy's board 2020-07-01 – 2026-06-30 and Montreuil's, open since 2019, with the same
    primary keys; a director in each."""
    bondy, montreuil = two_members
    bondy_mandate = make_board(bondy)
    with schema_context(bondy.schema_name):
        BoardMandate.objects.filter(pk=bondy_mandate.pk).update(end=date(2026, 6, 30))
    montreuil_mandate = make_board(montreuil)
    with schema_context(montreuil.schema_name):
        BoardMandate.objects.filter(pk=montreuil_mandate.pk).update(start=date(2019, 1, 1))
    assert bondy_mandate.pk == montreuil_mandate.pk  # the collision this test is about
    return (
        bondy_mandate.pk,
        member_client(bondy, make_person(bondy, "dir@bondy.test")),
        member_client(montreuil, make_person(montreuil, "dir@montreuil.test")),
    )


def seat_count(member, last_name: str) -> int:
    with schema_context(member.schema_name):
        return BoardMember.objects.filter(last_name=last_name).count()


# --- 1. A seat lies within its mandate -------------------------------------------------------


def test_a_seat_starting_before_its_mandate_is_refused_next_to_the_field(two_members, boards):
    bondy, montreuil = two_members
    pk, bondy_client, montreuil_client = boards
    response = bondy_client.post(f"/conseil/mandats/{pk}/ajouter/", {**SEAT, "start": "2019-06-01"})
    assert response.status_code == 200
    assert "avant la mandature 2020-2026, ouverte le 1er juillet 2020" in field_error(
        response, "start"
    )
    soup = soup_of(response)
    assert soup.find("input", attrs={"name": "start"})["value"] == "2019-06-01"
    assert soup.find("input", attrs={"name": "first_name"})["value"] == "Zoé"
    assert soup.title.get_text().startswith("Erreur – ")
    assert seat_count(bondy, "Hors-Mandat") == 0
    # Montreuil's mandate of the same id started in 2019: the same seat fits there.
    response = montreuil_client.post(
        f"/conseil/mandats/{pk}/ajouter/", {**SEAT, "start": "2019-06-01"}
    )
    assert response.status_code == 302
    assert seat_count(montreuil, "Hors-Mandat") == 1


def test_a_seat_ending_after_its_mandate_is_refused_on_add_and_edit(two_members, boards):
    bondy, _ = two_members
    pk, bondy_client, _ = boards
    response = bondy_client.post(
        f"/conseil/mandats/{pk}/ajouter/", {**SEAT, "start": "2021-01-01", "end": "2026-07-01"}
    )
    assert "après la mandature 2020-2026, close le 30 juin 2026" in field_error(response, "end")
    assert seat_count(bondy, "Hors-Mandat") == 0
    with schema_context(bondy.schema_name):
        seat = BoardMember.objects.get(last_name="Conseil1")
    response = bondy_client.post(
        f"/conseil/membres/{seat.pk}/",
        {"first_name": seat.first_name, "last_name": seat.last_name, "seat": "elected",
         "start": "2020-07-01", "end": "2027-03-31"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "close le 30 juin 2026" in field_error(response, "end")
    with schema_context(bondy.schema_name):
        seat.refresh_from_db()
        assert seat.end is None
    # Within the mandate: accepted.
    response = bondy_client.post(
        f"/conseil/membres/{seat.pk}/",
        {"first_name": seat.first_name, "last_name": seat.last_name, "seat": "elected",
         "start": "2020-07-01", "end": "2026-06-30"},
    )  # fmt: skip
    assert response.status_code == 302


def test_the_api_refuses_a_seat_outside_the_current_mandate_by_field(two_members, boards):
    bondy, montreuil = two_members
    _, bondy_client, montreuil_client = boards
    early = bondy_client.post(
        "/api/v1/board/members/", {**SEAT, "start": "2019-06-01"}, content_type="application/json"
    )
    assert early.status_code == 400
    assert "avant la mandature 2020-2026" in early.json()["start"][0]
    late = bondy_client.post(
        "/api/v1/board/members/",
        {**SEAT, "start": "2021-01-01", "end": "2026-12-31"},
        content_type="application/json",
    )
    assert late.status_code == 400
    assert "close le 30 juin 2026" in late.json()["end"][0]
    assert seat_count(bondy, "Hors-Mandat") == 0
    fits = montreuil_client.post(
        "/api/v1/board/members/", {**SEAT, "start": "2019-06-01"}, content_type="application/json"
    )
    assert fits.status_code == 201
    assert seat_count(montreuil, "Hors-Mandat") == 1


# --- 2. The board page reads its seats once --------------------------------------------------


def board_member_reads(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    table = BoardMember._meta.db_table
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith("SELECT") and f'FROM "{table}"' in query["sql"]
    )


def test_the_board_page_and_the_dashboard_read_the_seats_once(boards):
    pk, bondy_client, _ = boards
    for path in ("/conseil/", f"/conseil/mandats/{pk}/", "/"):
        assert board_member_reads(bondy_client, path) == 1, path


# --- 3. Team: refusals are said --------------------------------------------------------------


@pytest.fixture
def two_directors(bondy):
    me = make_person(bondy, "moi@bondy.test")
    make_person(bondy, "autre@bondy.test")
    return Membership.objects.get(member=bondy, user=me), member_client(bondy, me)


def test_an_unknown_role_is_said_and_changes_nothing(bondy, two_directors):
    me, client = two_directors
    other = Membership.objects.get(member=bondy, user__email="autre@bondy.test")
    response = client.post(f"/equipe/{other.pk}/role/", {"role": "chef"}, follow=True)
    messages = soup_of(response).find(class_="messages").get_text(" ", strip=True)
    assert "Rôle inconnu" in messages and "autre@bondy.test" in messages
    assert "« Lecture seule »" in messages
    other.refresh_from_db()
    assert other.role == Membership.Role.DIRECTOR


def test_a_director_cannot_remove_their_own_access(bondy, two_directors):
    me, client = two_directors
    page = client.get("/equipe/").content.decode()
    assert f'action="/equipe/{me.pk}/retirer/"' not in page
    assert "demandez à une autre personne de la direction" in page
    response = client.post(f"/equipe/{me.pk}/retirer/", follow=True)
    assert response.status_code == 200  # not a 403 page: still in the space
    messages = soup_of(response).find(class_="messages").get_text(" ", strip=True)
    assert "Vous ne pouvez pas retirer votre propre accès" in messages
    assert Membership.objects.filter(pk=me.pk, role=Membership.Role.DIRECTOR).exists()


# --- 4 and 5. The figure form: its way back, and a figure entered twice ----------------------


@pytest.fixture
def figures(two_members):
    """Bondy: Accueil then Secours 2023; Montreuil: Secours 2023 first, so that Bondy's Secours
    figure and Montreuil's share no id while both members have an id 1 and 2."""
    bondy, montreuil = two_members
    add_figures(
        bondy,
        (2023, "Accueil", "Personnes reçues à l'accueil", 500, None),
        (2023, "Secours", "Transports", 12, Decimal("300.00")),
    )
    add_figures(
        montreuil,
        (2023, "Secours", "Transports", 99, None),
        (2022, "Accueil", "Personnes reçues à l'accueil", 7, None),
    )
    with schema_context(bondy.schema_name):
        transports = ActivityFigure.objects.get(category="Transports").pk
    with schema_context(montreuil.schema_name):
        assert ActivityFigure.objects.get(pk=transports).year == 2022  # same id, another figure
    return transports, member_client(bondy, make_person(bondy, "dir@bondy.test"))


def cancel_link(response) -> str:
    return soup_of(response).find("a", string="Annuler")["href"]


def test_cancel_goes_back_to_the_figures_year(figures):
    transports, client = figures
    assert cancel_link(client.get(f"/activite/{transports}/")) == "/activite/?annee=2023"
    assert cancel_link(client.get("/activite/saisir/?annee=2021")) == "/activite/?annee=2021"
    assert cancel_link(client.get("/activite/saisir/")) == "/activite/"
    # A refused correction goes back to the year stored, not the one just typed.
    refused = client.post(
        f"/activite/{transports}/",
        {"year": "2024", "pole": "Secours", "category": "Transports"},
    )
    assert refused.status_code == 200
    assert cancel_link(refused) == "/activite/?annee=2023"


def test_a_figure_entered_twice_links_to_the_one_already_there(figures):
    transports, client = figures
    response = client.post(
        "/activite/saisir/",
        {"year": "2023", "pole": "secours", "category": "TRANSPORTS", "count": "14"},
    )
    assert response.status_code == 200
    summary = soup_of(response).find(class_="error-summary")
    assert "Un chiffre existe déjà pour 2023, « Secours », « Transports »" in summary.get_text()
    link = summary.find("a", href=f"/activite/{transports}/")
    assert link is not None and link.get_text() == "modifiez le chiffre existant"
    # The link opens Bondy's figure (Montreuil has another one under the same id).
    existing = soup_of(client.get(link["href"]))
    assert existing.find("input", attrs={"name": "category"})["value"] == "Transports"
    assert existing.find("input", attrs={"name": "count"})["value"] == "12"
    # What was typed is kept.
    assert soup_of(response).find("input", attrs={"name": "count"})["value"] == "14"


# --- 6. A partial year is not compared as a whole --------------------------------------------


@pytest.fixture
def partial_2025(two_members):
    """Bondy: 2024 complete, 2025 without « Obsèques » yet. Montreuil: 2024 and 2025 complete."""
    bondy, montreuil = two_members
    add_figures(
        bondy,
        (2024, "Accueil", "Appels téléphoniques", 100, None),
        (2024, "Secours", "Transports", 10, Decimal("500.00")),
        (2024, "Secours", "Obsèques", 4, Decimal("6000.00")),
        (2025, "Accueil", "Appels téléphoniques", 110, None),
        (2025, "Secours", "Transports", 15, Decimal("600.00")),
    )
    add_figures(
        montreuil,
        (2024, "Secours", "Transports", 10, None),
        (2024, "Secours", "Obsèques", 4, None),
        (2025, "Secours", "Transports", 15, None),
        (2025, "Secours", "Obsèques", 4, None),
    )
    return (
        member_client(bondy, make_person(bondy, "dir@bondy.test")),
        member_client(montreuil, make_person(montreuil, "dir@montreuil.test")),
    )


def total_row(soup, pole: str):
    return next(
        th.parent for th in soup.find_all("th") if th.get_text().startswith(f"Total {pole}")
    )


def test_the_report_says_what_is_missing_and_compares_only_complete_poles(partial_2025):
    bondy_client, montreuil_client = partial_2025
    soup = soup_of(bondy_client.get("/activite/?annee=2025"))
    notice = soup.find(class_="notice-warn").get_text(" ", strip=True)
    assert "Saisie incomplète : 1 chiffre de 2024 n'a pas encore d'équivalent en 2025" in notice
    assert "Secours : Obsèques" in notice
    secours = total_row(soup, "Secours")
    assert "saisie incomplète" in secours.get_text()
    # 15 against 14 would read +7,1 %: half a pole against a whole one. Withheld.
    assert "%" not in secours.get_text()
    # Accueil's key figure is its one category (calls, not a total of unlike counts): compared
    # on its own row, and no « Total Accueil » row since review 15.
    assert "+10,0\u00a0%" in soup.find("th", string="Appels téléphoniques").parent.get_text()
    # The figure itself is like with like: Transports 15 against 10.
    assert "+50,0\u00a0%" in soup.find("th", string="Transports").parent.get_text()
    # Montreuil, complete, has no notice and its total compared.
    montreuil = soup_of(montreuil_client.get("/activite/?annee=2025"))
    assert montreuil.find(class_="notice-warn") is None
    assert "+35,7\u00a0%" in total_row(montreuil, "Secours").get_text()  # 19 against 14


def test_the_dashboard_and_the_api_say_the_year_is_partial(partial_2025):
    bondy_client, montreuil_client = partial_2025
    # Since review 15 the dashboard shows the last complete year (2024), not the partial 2025,
    # and says how far 2025 is, with a link to it.
    dashboard = soup_of(bondy_client.get("/"))
    assert dashboard.find(id="activite").get_text() == "Activité 2024"
    notice = dashboard.find(class_="notice-warn")
    assert "Saisie de 2025 en cours" in notice.get_text()
    assert "1 chiffre de 2024 n'a pas encore d'équivalent" in notice.get_text()
    assert notice.find("a", href="/activite/?annee=2025") is not None
    data = bondy_client.get("/api/v1/activity/?year=2025").json()
    assert (data["partial"], data["in_progress"]) == (True, False)
    assert data["missing"] == [{"pole": "Secours", "category": "Obsèques"}]
    totals = {total["pole"]: total for total in data["totals"]}
    assert totals["Secours"]["comparable"] is False
    assert totals["Secours"]["count_evolution_pct"] is None
    assert totals["Secours"]["previous_count"] == 14  # last year's total, as its report said
    assert (totals["Accueil"]["comparable"], totals["Accueil"]["count_evolution_pct"]) == (
        True,
        10.0,
    )
    other = montreuil_client.get("/api/v1/activity/?year=2025").json()
    assert (other["partial"], other["missing"]) == (False, [])
    assert soup_of(montreuil_client.get("/")).find(class_="notice-warn") is None


def test_a_year_not_over_is_not_compared_with_a_whole_one(bondy, clients):
    this_year = timezone.localdate().year
    add_figures(
        bondy,
        (this_year - 1, "Accueil", "Appels téléphoniques", 1200, None),
        (this_year, "Accueil", "Appels téléphoniques", 900, None),
    )
    soup = soup_of(clients["viewer"].get(f"/activite/?annee={this_year}"))
    assert f"{this_year} n'est pas terminée" in soup.find(class_="notice-warn").get_text()
    assert "%" not in soup.find("th", string="Appels téléphoniques").parent.get_text()
    data = clients["viewer"].get(f"/api/v1/activity/?year={this_year}").json()
    assert (data["partial"], data["in_progress"]) == (True, True)
    assert data["figures"][0]["count_evolution_pct"] is None
    assert data["figures"][0]["previous_count"] == 1200
    # Since review 15 the dashboard keeps last year, complete, and says this one is under way.
    dashboard = soup_of(clients["viewer"].get("/"))
    assert dashboard.find(id="activite").get_text() == f"Activité {this_year - 1}"
    notice = dashboard.find(class_="notice-warn").get_text(" ", strip=True)
    assert f"Saisie de {this_year} en cours : 1 chiffre saisi jusqu'ici" in notice
    assert "l'année n'est pas terminée" in notice


# --- 7. A document's long name ---------------------------------------------------------------


def test_a_very_long_extension_is_a_field_error(bondy, clients):
    response = clients["agent"].post(
        "/documents/",
        {"title": "Notes", "file": SimpleUploadedFile("notes." + "x" * 120, b"ok")},
    )
    assert response.status_code == 200
    error = field_error(response, "file")
    assert "L'extension du nom du fichier" in error and "120 caractères, 20 au plus" in error
    assert soup_of(response).find("input", attrs={"name": "title"})["value"] == "Notes"
    with schema_context(bondy.schema_name):
        assert not Document.objects.exists()


def test_a_long_name_with_dots_is_shortened_and_keeps_its_extension(two_members):
    name = "compte.rendu.du.conseil." + "tres-long-" * 12 + "version.finale.pdf"
    ids = []
    for member in two_members:
        client = member_client(member, make_person(member, f"dir@{member.slug}.test"))
        for _ in range(2):  # the second one gets a name of its own
            response = client.post(
                "/documents/", {"title": "CR", "file": SimpleUploadedFile(name, b"%PDF")}
            )
            assert response.status_code == 302
        with schema_context(member.schema_name):
            stored = dict(Document.objects.values_list("pk", "file"))
        ids.append(sorted(stored))
        names = list(stored.values())
        assert len(set(names)) == 2 and all(len(n) <= 100 for n in names)
        # Django puts its random suffix after the part before the first dot: "compte_a1B2c3D".
        assert all(n.startswith("documents/compte") and n.endswith(".pdf") for n in names)
        assert any(n.startswith("documents/compte.rendu.du.conseil.tres-long") for n in names)
        download = client.get(f"/documents/{max(stored)}/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == b"%PDF"
    assert ids[0] == ids[1]  # the same ids in both members

"""A CIAS's board names its seats after the EPCI (CASF R123-27): the président of the EPCI
presides, its council elects the élus, its président appoints the nommés. Page, forms, warnings,
exports, archive, renewal page and API of a CIAS say so; a CCAS's keep the maire and the conseil
municipal. Two members whose board rows share their primary keys; and the demo's CIAS."""

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from abs_shared.models import PublishedValue
from tenants.models import Intercommunality, MemberCCAS
from tenants.workspace.compliance import board_authorities, current_mandate, mandate_compliance
from tenants.workspace.models import BoardMandate, BoardMember
from tests.conftest import make_member, make_person, member_client
from tests.workspace.conftest import MANDATE_START, compliant_board

pytestmark = pytest.mark.django_db

GRAND_PARIS_GRAND_EST = "200058790"  # EPT: its council is a conseil de territoire
CIAS_SEATS = {
    "president": "Président(e) de droit (président(e) de l'EPCI)",
    "elected": "Élu(e) du conseil de territoire",
    "appointed": "Nommé(e) par le président de l'EPCI",
}
CCAS_SEATS = {
    "president": "Président(e) de droit (maire)",
    "elected": "Élu(e) du conseil municipal",
    "appointed": "Nommé(e) par le maire",
}
CIAS_QUALITIES = {
    "Président(e) de l'EPCI, président(e) de droit",
    "Élu(e) par le conseil de territoire",
    "Nommé(e) par le président de l'EPCI",
}
CCAS_QUALITIES = {
    "Maire, président(e) de droit",
    "Élu(e) par le conseil municipal",
    "Nommé(e) par le maire",
}
# What a CIAS must never read about its own board (« sommaire » is no maire).
COMMUNE_WORDS = re.compile(r"\bmaire\b|conseil municipal", re.IGNORECASE)


def board_of(member: MemberCCAS, tag: str) -> BoardMandate:
    """A compliant board of 2020 (nine seats, ids 1 to 9 in every schema), every name marked
    with `tag` and none holding « Maire »; the first élu and the président leave within two
    months (warnings)."""
    with schema_context(member.schema_name):
        mandate = BoardMandate.objects.create(label="2020-2026", start=MANDATE_START)
        seats = compliant_board(mandate)
        seats[0].last_name = "Présidence"
        for seat in seats:
            seat.last_name = f"{tag}{seat.last_name}"
        seats[0].end = timezone.localdate() + timedelta(days=60)
        seats[1].end = timezone.localdate() + timedelta(days=30)
        BoardMember.objects.bulk_create(seats)
    return mandate


@pytest.fixture
def cias(db) -> MemberCCAS:
    return make_member(
        "93051", kind=MemberCCAS.Kind.CIAS, epci_siren=GRAND_PARIS_GRAND_EST
    )  # seated in Noisy-le-Grand


@pytest.fixture
def boards(bondy, cias) -> dict:
    """Each member's board and its director's client."""
    ccas_board, cias_board = board_of(bondy, "Comm"), board_of(cias, "Terr")
    assert ccas_board.pk == cias_board.pk
    with schema_context(bondy.schema_name):
        ccas_ids = sorted(BoardMember.objects.values_list("pk", flat=True))
    with schema_context(cias.schema_name):
        assert sorted(BoardMember.objects.values_list("pk", flat=True)) == ccas_ids
    return {
        "ccas": (ccas_board, member_client(bondy, make_person(bondy, "dir@bondy.test"))),
        "cias": (cias_board, member_client(cias, make_person(cias, "dir@cias.test"))),
    }


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())


def seats_shown(page: BeautifulSoup) -> dict[str, str]:
    """Name -> seat, from the board's table."""
    table = page.find("table", class_="board-members")
    rows = {}
    for row in table.tbody.find_all("tr"):
        name = row.th.get_text(" ", strip=True).replace(" vice-président(e)", "")
        rows[name] = row.find("td").get_text(strip=True)
    return rows


def test_the_board_page_names_a_cias_seats_after_the_epci_and_a_ccas_after_the_commune(
    boards,
):
    _board, client = boards["cias"]
    page = soup(client.get("/conseil/"))
    shown = seats_shown(page)
    assert len(shown) == 9 and all(name.startswith(tuple("ÉNS")) for name in shown)
    assert all("Terr" in name for name in shown)  # its own board only
    assert shown["Stéphane TerrPrésidence"] == CIAS_SEATS["president"]
    assert shown["Élu1 TerrConseil1"] == CIAS_SEATS["elected"]
    assert shown["Nommé0 TerrAsso0"] == CIAS_SEATS["appointed"]
    warnings = text(page.find("ul", class_="term-warnings"))
    assert "Élu0 TerrConseil0 (élu(e) du conseil de territoire) : mandat jusqu'au" in warnings
    assert (
        "Stéphane TerrPrésidence (président(e) de droit (président(e) de l'EPCI)) : mandat "
        "jusqu'au" in warnings
    )
    assert not COMMUNE_WORDS.search(text(page)), COMMUNE_WORDS.search(text(page))

    _board, client = boards["ccas"]
    page = soup(client.get("/conseil/"))
    shown = seats_shown(page)
    assert all("Comm" in name for name in shown)
    assert shown["Stéphane CommPrésidence"] == CCAS_SEATS["president"]
    assert shown["Élu1 CommConseil1"] == CCAS_SEATS["elected"]
    assert shown["Nommé0 CommAsso0"] == CCAS_SEATS["appointed"]
    warnings = text(page.find("ul", class_="term-warnings"))
    assert "Élu0 CommConseil0 (élu(e) du conseil municipal) : mandat jusqu'au" in warnings
    assert "Stéphane CommPrésidence (président(e) de droit (maire)) : mandat" in warnings


def board_member_schema(client) -> str:
    """The schema of the member whose host `client` calls."""
    host = client.defaults["HTTP_HOST"]
    return MemberCCAS.objects.get(slug=host.split(".")[0]).schema_name


def seat_options(page: BeautifulSoup) -> dict[str, str]:
    select = page.find("select", attrs={"name": "seat"})
    # Without the empty choice (« - Sélectionner une option - »).
    options = select.find_all("option")
    return {option["value"]: option.get_text(strip=True) for option in options if option["value"]}


def test_the_forms_offer_each_member_its_own_seats_and_keep_the_codes(boards):
    for kind, labels in (("cias", CIAS_SEATS), ("ccas", CCAS_SEATS)):
        board, client = boards[kind]
        add = soup(client.get(f"/conseil/mandats/{board.pk}/ajouter/"))
        assert seat_options(add) == labels
        with schema_context(board_member_schema(client)):
            president = BoardMember.objects.get(seat="president").pk
            appointed = BoardMember.objects.filter(seat="appointed").first().pk
        edit = soup(client.get(f"/conseil/membres/{president}/"))
        assert seat_options(edit) == labels
        assert edit.find("option", selected=True)["value"] == "president"
        # Before erasing a seat, the director reads which one it is.
        confirm = text(soup(client.get(f"/conseil/membres/{appointed}/supprimer/")))
        assert labels["appointed"] in confirm

    board, client = boards["cias"]
    response = client.post(
        f"/conseil/mandats/{board.pk}/ajouter/",
        {"first_name": "Nina", "last_name": "Nouvelle", "seat": "elected", "start": "2022-01-10"},
    )
    assert response.status_code == 302
    page = soup(client.get("/conseil/"))
    assert seats_shown(page)["Nina Nouvelle"] == CIAS_SEATS["elected"]
    assert not COMMUNE_WORDS.search(text(page))
    _board, ccas_client = boards["ccas"]
    assert "Nouvelle" not in text(soup(ccas_client.get("/conseil/")))


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    content = b"".join(getattr(response, "streaming_content", [response.content]))
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    content = b"".join(getattr(response, "streaming_content", [response.content]))
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_the_exports_and_the_archive_give_a_cias_seats_the_epci_qualities(boards):
    for kind, qualities, tag in (
        ("cias", CIAS_QUALITIES, "Terr"),
        ("ccas", CCAS_QUALITIES, "Comm"),
    ):
        board, client = boards[kind]
        for url in ("/conseil/export.csv", f"/conseil/mandats/{board.pk}/export.csv"):
            rows = csv_rows(client.get(url))
            assert rows[0][2] == "Qualité"
            assert {row[2] for row in rows[1:]} == qualities
            assert all(row[0].startswith(tag) for row in rows[1:])
        rows = xlsx_rows(client.get("/conseil/export.xlsx"))
        header = next(i for i, row in enumerate(rows) if row and row[0] == "Nom")
        assert {row[2] for row in rows[header + 1 :]} == qualities
        assert all(row[0].startswith(tag) for row in rows[header + 1 :])
        if kind == "cias":
            everything = "\n".join(" ".join(str(v) for v in row if v) for row in rows)
            assert not COMMUNE_WORDS.search(everything)

        # The archive of all the space's data holds the same lists.
        response = client.get("/donnees/archive.zip")
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        (path,) = [
            name
            for name in archive.namelist()
            if name.startswith("conseil/conseil-administration-") and name.endswith(".csv")
        ]
        rows = list(csv.reader(io.StringIO(archive.read(path).decode("utf-8-sig")), delimiter=";"))
        assert {row[2] for row in rows[1:]} == qualities
        (path,) = [
            name
            for name in archive.namelist()
            if name.startswith("conseil/conseil-administration-") and name.endswith(".xlsx")
        ]
        sheet = load_workbook(io.BytesIO(archive.read(path))).active
        assert qualities <= {row[2] for row in sheet.iter_rows(values_only=True)}


def test_the_renewal_page_says_who_renews_a_cias_board(boards):
    _board, client = boards["cias"]
    page = soup(client.get("/conseil/renouveler/"))
    intro = text(page.find("h1").find_next("p"))
    assert intro.startswith(
        "Après les élections municipales, le conseil de territoire, renouvelé avec les conseils "
        "municipaux, élit ses représentants et le président de l'EPCI nomme les autres membres "
        "(CASF R123-10, R123-11 et R123-27)."
    )
    boxes = {
        box.find_parent("label").get_text(" ", strip=True)
        for box in page.select("input[name=reappointed]")
    }
    assert "Élu0 TerrConseil0 – élu(e) du conseil de territoire, vice-président(e)" in boxes
    assert "Nommé0 TerrAsso0 – nommé(e) par le président de l'EPCI, " in " ".join(boxes)
    assert not any("Comm" in box for box in boxes)
    assert not COMMUNE_WORDS.search(text(page)), COMMUNE_WORDS.search(text(page))

    _board, client = boards["ccas"]
    page = soup(client.get("/conseil/renouveler/"))
    assert text(page.find("h1").find_next("p")).startswith(
        "Après les élections municipales, le conseil municipal élit ses représentants et le "
        "maire nomme les autres membres (CASF R123-10 et R123-11)."
    )
    assert "Élu0 CommConseil0 – élu(e) du conseil municipal, vice-président(e)" in text(page)


def test_the_api_keeps_the_seat_codes_and_gives_each_member_its_labels(boards):
    for kind, labels, tag in (("cias", CIAS_SEATS, "Terr"), ("ccas", CCAS_SEATS, "Comm")):
        _board, client = boards[kind]
        members = client.get("/api/v1/board/members/").json()
        assert len(members) == 9
        assert all(member["last_name"].startswith(tag) for member in members)
        assert {member["seat"] for member in members} == set(labels)
        assert {(m["seat"], m["seat_label"]) for m in members} == set(labels.items())
        options = client.options("/api/v1/board/members/").json()
        choices = options["actions"]["POST"]["seat"]["choices"]
        assert {c["value"]: c["display_name"] for c in choices} == labels


def test_the_council_named_follows_the_kind_of_intercommunality():
    def cias_of(kind):
        return MemberCCAS(kind=MemberCCAS.Kind.CIAS, intercommunality=Intercommunality(kind=kind))

    assert board_authorities(cias_of(Intercommunality.Kind.CA)).seat_labels["elected"] == (
        "Élu(e) du conseil communautaire"
    )
    assert board_authorities(cias_of(Intercommunality.Kind.METRO)).seat_labels["elected"] == (
        "Élu(e) du conseil de la métropole"
    )
    # The labels of a CCAS are the model's own.
    assert board_authorities(MemberCCAS(kind=MemberCCAS.Kind.CCAS)).seat_labels == dict(
        BoardMember.Seat.choices
    )


def test_the_demo_has_a_cias_with_its_board_its_activity_and_its_abs_values(bondy, montreuil):
    """The workspace and ABS demos over the demo's CIAS, twice (the whole `manage.py demo`, 39
    communes onboarded, is tests/union/test_demo.py's)."""
    from abs_shared import demo as abs_demo
    from tenants.workspace import demo
    from union.demo import DEMO_CIAS_SLUG, load_cias

    make_member("93066")  # Saint-Denis, which the workspace demo fills too
    cias = load_cias()
    assert load_cias() == cias
    assert (cias.slug, cias.kind, cias.intercommunality_id) == (
        DEMO_CIAS_SLUG,
        MemberCCAS.Kind.CIAS,
        GRAND_PARIS_GRAND_EST,
    )
    assert cias.covered_communes().count() == 14
    for _ in range(2):
        demo.load(io.StringIO())
        abs_demo.load(io.StringIO())
    with schema_context(cias.schema_name):
        assert [m.label for m in BoardMandate.objects.order_by("start")] == [
            "2020-2026",
            "2026-2032",
        ]
        assert BoardMember.objects.count() == 11 + 13
        assert mandate_compliance(current_mandate(), member=cias).compliant
        from tenants.workspace.activity import available_years

        assert len(available_years()) == 2
    assert PublishedValue.objects.filter(member=cias).exists()
    published = PublishedValue.objects.filter(member=cias).count()
    abs_demo.load(io.StringIO())
    assert PublishedValue.objects.filter(member=cias).count() == published

    client = member_client(cias, make_person(cias, f"direction@{DEMO_CIAS_SLUG}.demo"))
    page = soup(client.get("/conseil/"))
    assert set(seats_shown(page).values()) == set(CIAS_SEATS.values())
    assert not COMMUNE_WORDS.search(text(page))
    with schema_context(bondy.schema_name):
        assert BoardMandate.objects.count() == 2  # Bondy's own board, untouched by the CIAS's

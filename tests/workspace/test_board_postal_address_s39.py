"""A board member's postal address (session 39): optional, typed by the team on the member's
form, shown and exported wherever the member's e-mail address is (board page, CSV and XLSX,
the space's archive, the member API), never published; the convocations to print carry it
where a DL window envelope shows it (window of 45 × 100 mm, 110 mm from the page's left edge,
its top 45 to 50 mm from the page's top), so that a letter is printed, folded and posted.
Bondy's and Montreuil's schemas number their board members alike: each space reads its own."""

import csv
import html
import io
import zipfile

import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context
from openpyxl import load_workbook
from pypdf import PdfReader

from tenants.models import Membership
from tenants.workspace.models import BoardMandate, BoardMember
from tests.conftest import make_member, make_person, member_client, plain
from tests.workspace.conftest import make_board
from tests.workspace.test_board_convocation_s37 import (
    board_with_addresses,
    send,
    text_of,
    upcoming_meeting,
)
from tests.workspace.test_convocation_record_s38 import IN_OFFICE

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points in a millimetre
A4_HEIGHT = 297
# Where the address must lie on the page, in mm from its left and top edges: the window of a
# DL envelope (its top between 45 and 50 mm, so only 50 to 90 mm is shown whichever it is).
WINDOW_LEFT, WINDOW_RIGHT, WINDOW_TOP, WINDOW_BOTTOM = 110, 210, 50, 90
POSTAL_HEADERS = ["Adresse postale", "Code postal", "Commune"]
ADDRESSES = {
    "bondy": ("12 allée des Tilleuls\nBâtiment B", "93140", "Bondy"),
    "montreuil": ("3 rue des Montreuillais", "93100", "Montreuil"),
}


def give_address(member, last_name: str) -> BoardMember:
    """Nommé3 Asso3 (no e-mail in board_with_addresses) gets the member's address."""
    street, code, city = ADDRESSES[member.slug]
    with schema_context(member.schema_name):
        seat = BoardMember.objects.get(last_name=last_name)
        seat.postal_address, seat.postal_code, seat.city = street, code, city
        seat.save()
    return seat


@pytest.fixture
def director(bondy):
    return member_client(bondy, make_person(bondy, "dir@bondy.test"))


def form_data(seat: BoardMember, **changes) -> dict:
    data = {
        "first_name": seat.first_name,
        "last_name": seat.last_name,
        "seat": seat.seat,
        "category": seat.category,
        "association": seat.association,
        "start": f"{seat.start:%Y-%m-%d}",
        "email": seat.email,
    }
    return {**data, **changes}


def test_the_form_takes_a_postal_address_and_keeps_what_was_typed_on_an_error(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        seat = BoardMember.objects.get(last_name="Asso1")
    url = f"/conseil/membres/{seat.pk}/"
    soup = BeautifulSoup(director.get(url).content.decode(), "html.parser")
    fieldset = next(
        f for f in soup.find_all("fieldset") if "Adresse postale" in f.legend.get_text()
    )
    assert plain(fieldset.legend.get_text()) == "Adresse postale (facultative)"
    for name, label in (
        ("postal_address", "Adresse postale"),
        ("postal_code", "Code postal"),
        ("city", "Commune"),
    ):
        field = fieldset.find(attrs={"name": name})
        assert field is not None, name
        assert plain(fieldset.find("label", attrs={"for": field["id"]}).get_text()) == label

    typed = form_data(
        seat,
        postal_address="12 allée des Tilleuls\r\nBâtiment B",
        postal_code="9314",
        city="Bondy",
    )
    response = director.post(url, typed)
    assert response.status_code == 200
    page = text_of(response)
    assert "Code postal : Le code postal compte cinq chiffres." in page
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    kept = soup.find("textarea", attrs={"name": "postal_address"}).get_text()
    assert kept.replace("\r\n", "\n").strip() == "12 allée des Tilleuls\nBâtiment B"
    assert soup.find("input", attrs={"name": "postal_code"})["value"] == "9314"
    assert soup.find("input", attrs={"name": "city"})["value"] == "Bondy"
    with schema_context(bondy.schema_name):
        seat.refresh_from_db()
    assert (seat.postal_address, seat.postal_code, seat.city) == ("", "", "")

    # Typed as people write it, with a space in the code: kept as La Poste reads it.
    response = director.post(url, {**typed, "postal_code": "93 140"})
    assert response.status_code == 302, text_of(response)
    with schema_context(bondy.schema_name):
        seat.refresh_from_db()
    assert seat.postal_address == "12 allée des Tilleuls\nBâtiment B"
    assert (seat.postal_code, seat.city) == ("93140", "Bondy")

    # Those who convene read it on the board page, where the e-mail address is (« lecture
    # seule » does not: tests/workspace/test_board_contacts_s39.py).
    board = text_of(director.get(f"/conseil/mandats/{seat.mandate_id}/"))
    assert "Nommé1 Asso1 12 allée des Tilleuls Bâtiment B 93140 Bondy" in board


def test_an_address_longer_than_an_envelope_takes_is_refused_in_french(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        seat = BoardMember.objects.get(last_name="Asso1")
    lines = "\n".join(f"Ligne {n}" for n in range(1, 6))
    response = director.post(
        f"/conseil/membres/{seat.pk}/", form_data(seat, postal_address=lines, city="Bondy")
    )
    assert response.status_code == 200
    assert "quatre lignes au plus" in text_of(response)


def board_export(client, mandate_pk: int, fmt: str) -> list[list]:
    response = client.get(f"/conseil/mandats/{mandate_pk}/export.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)][1:]  # after the title


def test_the_exports_and_the_archive_carry_each_members_own_addresses(two_members):
    bondy, montreuil = two_members
    board_with_addresses(bondy, "bondy.fr")
    board_with_addresses(montreuil, "montreuil.fr")
    seat = give_address(bondy, "Asso3")
    twin = give_address(montreuil, "Asso3")
    assert twin.pk == seat.pk  # the same pk in the other schema
    clients = {
        member.slug: member_client(member, make_person(member, f"dir@{member.slug}.test"))
        for member in two_members
    }
    for member in two_members:
        client = clients[member.slug]
        street, code, city = ADDRESSES[member.slug]
        other = ADDRESSES["montreuil" if member.slug == "bondy" else "bondy"]
        for fmt in ("csv", "xlsx"):
            table = board_export(client, seat.mandate_id, fmt)
            assert table[0][-4:] == ["Adresse électronique", *POSTAL_HEADERS]
            rows = {row[1] + " " + row[0]: row for row in table[1:]}
            assert rows["Nommé3 Asso3"][-3:] == [street, code, city]
            assert all(not any(row[-3:]) for name, row in rows.items() if name != "Nommé3 Asso3")
            assert other[0] not in str(table)

        response = client.get("/donnees/archive.zip")
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        path = f"conseil/conseil-administration-{member.slug}-2020-2026.csv"
        raw = archive.read(path).decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(raw), delimiter=";"))
        assert table[0][-3:] == POSTAL_HEADERS
        assert [street, code, city] in [row[-3:] for row in table]
        assert other[0] not in raw
        readme = plain(archive.read("LISEZ-MOI.txt").decode("utf-8-sig"))
        assert "adresse électronique, adresse postale, code postal et commune" in readme


def test_the_member_api_gives_and_takes_the_address(two_members):
    bondy, montreuil = two_members
    board_with_addresses(bondy, "bondy.fr")
    board_with_addresses(montreuil, "montreuil.fr")
    seat = give_address(bondy, "Asso3")
    give_address(montreuil, "Asso3")
    agent = member_client(bondy, make_person(bondy, "agent@bondy.test", Membership.Role.AGENT))
    members = {m["id"]: m for m in agent.get("/api/v1/board/members/").json()}
    assert {k: members[seat.pk][k] for k in ("postal_address", "postal_code", "city")} == {
        "postal_address": "12 allée des Tilleuls\nBâtiment B",
        "postal_code": "93140",
        "city": "Bondy",
    }
    assert all(m["postal_address"] == "" for pk, m in members.items() if pk != seat.pk)
    other = member_client(
        montreuil, make_person(montreuil, "agent@montreuil.test", Membership.Role.AGENT)
    )
    (twin,) = [m for m in other.get("/api/v1/board/members/").json() if m["id"] == seat.pk]
    assert (twin["postal_address"], twin["city"]) == ("3 rue des Montreuillais", "Montreuil")

    agent = member_client(bondy, make_person(bondy, "agent@bondy.test", Membership.Role.AGENT))
    new = {
        "first_name": "Paula",
        "last_name": "Postale",
        "seat": "elected",
        "start": "2021-01-04",
        "postal_address": "5 square des Tisserands",
        "city": "Bondy",
    }
    refused = agent.post(
        "/api/v1/board/members/", {**new, "postal_code": "93A40"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["postal_code"] == ["Le code postal compte cinq chiffres."]
    created = agent.post(
        "/api/v1/board/members/", {**new, "postal_code": "93140"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["postal_address"] == "5 square des Tisserands"
    with schema_context(bondy.schema_name):
        saved = BoardMember.objects.get(last_name="Postale")
    assert (saved.postal_address, saved.postal_code, saved.city) == (
        "5 square des Tisserands",
        "93140",
        "Bondy",
    )
    with schema_context(montreuil.schema_name):
        assert not BoardMember.objects.filter(last_name="Postale").exists()


def placed_text(content: bytes) -> list[list[tuple[str, float, float]]]:
    """Each page's pieces of text with where they start, in mm from the page's left and top
    edges (pypdf's visitor: the text matrix in the current transformation)."""
    pages = []
    for page in PdfReader(io.BytesIO(content)).pages:
        found: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, _font, _size, found=found):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append((plain(text), x / MM, A4_HEIGHT - y / MM))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def where(page: list[tuple[str, float, float]], text: str) -> tuple[float, float]:
    (found,) = [(x, y) for piece, x, y in page if piece == text]
    return found


def letters(client, meeting, query: str = "") -> bytes:
    response = client.get(f"/conseil/seances/{meeting.pk}/convocations.pdf{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_letter_shows_the_address_in_a_window_envelopes_window(two_members, director):
    bondy, montreuil = two_members
    board_with_addresses(bondy, "bondy.fr")
    board_with_addresses(montreuil, "montreuil.fr")
    give_address(bondy, "Asso3")
    give_address(montreuil, "Asso3")
    with schema_context(montreuil.schema_name):
        BoardMember.objects.filter(last_name="Asso3").update(last_name="Montreuillais")
    meeting = upcoming_meeting(bondy)
    twin = upcoming_meeting(montreuil)
    assert twin.pk == meeting.pk

    content = letters(director, meeting, "?sans_adresse=1")
    (page,) = placed_text(content)
    block = ["Nommé3 Asso3", "12 allée des Tilleuls", "Bâtiment B", "93140 BONDY"]
    for line in block:
        x, y = where(page, line)
        assert WINDOW_LEFT + 3 <= x <= WINDOW_RIGHT - 50, (line, x)
        assert WINDOW_TOP + 3 <= y <= WINDOW_BOTTOM - 1, (line, y)
    # Aligned left, one under the other (La Poste's readers look for a left-aligned block).
    positions = [where(page, line) for line in block]
    assert len({round(x, 1) for x, _y in positions}) == 1
    assert [y for _x, y in positions] == sorted(y for _x, y in positions)
    # The CCAS's letterhead stays on the left, above; the letter's text starts under the window.
    head_x, head_y = where(page, bondy.name)
    assert head_x < WINDOW_LEFT and head_y < WINDOW_TOP
    _x, title_y = where(page, "Convocation au conseil d'administration")
    assert title_y > WINDOW_BOTTOM + 5
    text = plain(PdfReader(io.BytesIO(content)).pages[0].extract_text())
    assert text.count("Nommé3 Asso3") == 1  # the name is the block's first line, once
    assert "Montreuil" not in text

    # Every member's letters: one page each; only Nommé3 Asso3's has a block.
    pages = placed_text(letters(director, meeting))
    addressees = [name for name in IN_OFFICE if name != "Stéphane Maire"]
    assert len(pages) == len(addressees)
    for name, page in zip(addressees, pages, strict=True):
        pieces = [piece for piece, _x, _y in page]
        if name == "Nommé3 Asso3":
            assert "93140 BONDY" in pieces
            continue
        assert "93140 BONDY" not in pieces and "12 allée des Tilleuls" not in pieces
        x, y = where(page, name)
        assert x > WINDOW_LEFT and y < WINDOW_TOP  # the name alone, where it was before

    # Montreuil's twin séance: its own member's address, none of Bondy's.
    other = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    (page,) = placed_text(letters(other, twin, "?sans_adresse=1"))
    pieces = [piece for piece, _x, _y in page]
    assert "3 rue des Montreuillais" in pieces and "93100 MONTREUIL" in pieces
    assert "12 allée des Tilleuls" not in pieces and "93140 BONDY" not in pieces


def test_the_city_line_is_written_as_la_poste_reads_it(bondy, director):
    board_with_addresses(bondy, "bondy.fr")
    with schema_context(bondy.schema_name):
        BoardMember.objects.filter(last_name="Asso3").update(
            postal_address="1 rue Haute", postal_code="93450", city="L'Île-Saint-Denis"
        )
    meeting = upcoming_meeting(bondy)
    (page,) = placed_text(letters(director, meeting, "?sans_adresse=1"))
    x, y = where(page, "93450 L ILE SAINT DENIS")
    assert x >= WINDOW_LEFT and WINDOW_TOP <= y <= WINDOW_BOTTOM


def test_the_convene_page_says_how_many_letters_carry_an_address(bondy, director):
    board_with_addresses(bondy, "bondy.fr")
    with schema_context(bondy.schema_name):
        BoardMember.objects.filter(last_name="Asso1").update(email="")
    meeting = upcoming_meeting(bondy)
    url = f"/conseil/seances/{meeting.pk}/convoquer/"
    page = text_of(director.get(url))
    assert "Aucune des 2 lettres ne porte d'adresse postale" in page
    give_address(bondy, "Asso3")
    page = text_of(director.get(url))
    assert "1 lettre sur 2 porte l'adresse postale du destinataire" in page
    assert "Enveloppe à écrire à la main : Nommé1 Asso1." in page
    with schema_context(bondy.schema_name):
        BoardMember.objects.filter(last_name="Asso1").update(
            postal_address="4 rue des Hirondelles", postal_code="93140", city="Bondy"
        )
    page = text_of(director.get(url))
    assert "Les 2 lettres portent l'adresse postale du destinataire" in page


def test_the_seance_page_and_the_message_after_sending_say_it_too(
    bondy, director, django_capture_on_commit_callbacks
):
    """Noticed in session 39: only « Envoyer la convocation » said which envelopes to write by
    hand; the séance's page, where the letters are printed again, and the message after
    sending did not. « Lecture seule » prints names alone: not told of addresses."""
    board_with_addresses(bondy, "bondy.fr")
    give_address(bondy, "Asso3")
    meeting = upcoming_meeting(bondy)
    note = "La lettre porte l'adresse postale du destinataire (enveloppe à fenêtre)."
    assert note in text_of(director.get(f"/conseil/seances/{meeting.pk}/"))
    viewer = member_client(bondy, make_person(bondy, "vue@bondy.test", Membership.Role.VIEWER))
    seance = text_of(viewer.get(f"/conseil/seances/{meeting.pk}/"))
    assert "sans adresse électronique (PDF, 1)" in seance and "enveloppe" not in seance
    response = send(director, meeting, django_capture_on_commit_callbacks)
    message = html.unescape(response.content.decode())
    assert f"Convocations à imprimer pour les membres sans adresse (PDF)</a>. {note}" in message


def test_no_letter_is_offered_when_only_the_president_has_no_email(
    bondy, director, django_capture_on_commit_callbacks
):
    """The président(e) convenes and gets no letter: the links to the letters « sans adresse »
    led to a PDF that did not exist (404) when she was the only one without an e-mail, and she
    was listed « à convoquer par un autre moyen » (on the sending page, after sending, in the
    record of the sending, checked beforehand on « Noter la convocation papier »)."""
    board_with_addresses(bondy, "bondy.fr")
    with schema_context(bondy.schema_name):
        BoardMember.objects.filter(last_name="Asso3").update(email="nomme3@bondy.fr")
        BoardMember.objects.filter(seat=BoardMember.Seat.PRESIDENT).update(email="")
    meeting = upcoming_meeting(bondy)
    assert (
        director.get(f"/conseil/seances/{meeting.pk}/convocations.pdf?sans_adresse=1").status_code
        == 404
    )
    for url in (f"/conseil/seances/{meeting.pk}/", f"/conseil/seances/{meeting.pk}/convoquer/"):
        page = director.get(url).content.decode()
        assert "sans_adresse=1" not in page and "autre moyen" not in page, url
    response = send(director, meeting, django_capture_on_commit_callbacks)
    page = text_of(response)
    assert "Convocation envoyée par courriel à 6 membres du conseil." in page, page
    assert "Sans adresse électronique" not in page
    assert "À convoquer par un autre moyen (0) personne" in page  # the sending's record
    assert "Convocations à imprimer pour les membres sans adresse" not in page
    with schema_context(bondy.schema_name):
        assert meeting.convocation_sendings.get().to_convene_otherwise == []
    paper = BeautifulSoup(
        director.get(f"/conseil/seances/{meeting.pk}/convocation-papier/").content, "html.parser"
    )
    assert not paper.select("input[name=convened][checked]")


def test_the_demo_gives_some_members_without_email_an_address_in_their_commune(bondy, montreuil):
    from tenants.workspace import demo

    make_member("93066")  # Saint-Denis, which the demo loads too
    demo.load(io.StringIO())
    with schema_context(bondy.schema_name):
        mandate = BoardMandate.objects.order_by("-start").first()
        seats = list(mandate.members.filter(email=""))
    with_address = [seat for seat in seats if seat.postal_address]
    assert with_address and len(with_address) < len(seats)
    for seat in with_address:
        assert seat.city == bondy.commune.nom
        assert seat.postal_code in bondy.commune.codes_postaux


def test_a_reappointed_member_keeps_her_addresses_on_the_new_board(bondy, director):
    """« Renouveler le conseil » copies a reconducted seat: the same person keeps her e-mail and
    postal address (they were left behind, and the next convocation found none)."""
    make_board(bondy)
    seat = give_address(bondy, "Asso0")
    with schema_context(bondy.schema_name):
        BoardMember.objects.filter(pk=seat.pk).update(email="asso0@exemple.fr")
    response = director.post(
        "/conseil/renouveler/",
        {"label": "2026-2032", "start": "2026-04-20", "end": "", "reappointed": [str(seat.pk)]},
    )
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        (copy,) = BoardMandate.objects.get(label="2026-2032").members.all()
        assert (copy.email, copy.postal_address, copy.postal_code, copy.city) == (
            "asso0@exemple.fr",
            *ADDRESSES["bondy"],
        )

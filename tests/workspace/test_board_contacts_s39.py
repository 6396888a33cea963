"""Session 39: the board members' e-mail and postal addresses (often their home's) are for those
who convene the board, the direction and agents. A « lecture seule » account reads the board,
its exports, the séances' record, the printed letters and the API without them. Bondy's and
Montreuil's board members share their ids: each reads its own."""

import csv
import io

import pytest
from django_tenants.utils import schema_context
from openpyxl import load_workbook
from pypdf import PdfReader

from tenants.models import Membership
from tenants.workspace.models import BoardMember, ConvocationSending
from tests.conftest import make_person, member_client, plain
from tests.workspace.test_board_convocation_s37 import board_with_addresses, upcoming_meeting
from tests.workspace.test_board_postal_address_s39 import ADDRESSES, give_address

pytestmark = pytest.mark.django_db

CONTACT_HEADERS = ["Adresse électronique", "Adresse postale", "Code postal", "Commune"]
CONTACT_FIELDS = {"email", "postal_address", "postal_code", "city"}


@pytest.fixture
def boards(two_members):
    """Both boards with e-mail addresses (Nommé3 Asso3 has none, but a postal address), a
    séance to come in each, and one « Envoyer la convocation » recorded on Bondy's."""
    bondy, montreuil = two_members
    for member, domain in ((bondy, "bondy.fr"), (montreuil, "montreuil.fr")):
        board_with_addresses(member, domain)
        give_address(member, "Asso3")
        meeting = upcoming_meeting(member)
    with schema_context(bondy.schema_name):
        ConvocationSending.objects.create(
            meeting_id=meeting.pk,
            convened=[{"name": "Élu0 Conseil0", "email": "conseil0@bondy.fr"}],
        )
    return bondy, montreuil, meeting


def clients(member) -> dict:
    slug = member.slug
    return {
        role: member_client(member, make_person(member, f"{role}@{slug}.test", role))
        for role in (Membership.Role.VIEWER, Membership.Role.AGENT)
    }


def text(response) -> str:
    assert response.status_code == 200
    return plain(response.content.decode())


def test_lecture_seule_reads_the_board_without_its_members_addresses(boards, tmp_path):
    bondy, montreuil, meeting = boards
    bondy_clients, montreuil_clients = clients(bondy), clients(montreuil)
    viewer, agent = bondy_clients["viewer"], bondy_clients["agent"]
    street = ADDRESSES["bondy"][0].splitlines()[0]

    board = text(viewer.get("/conseil/"))
    assert "Conseil0" in board
    assert "conseil0@bondy.fr" not in board and street not in board
    board = text(agent.get("/conseil/"))
    assert "conseil0@bondy.fr" in board and street in board

    rows = list(
        csv.reader(
            io.StringIO(viewer.get("/conseil/export.csv").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert not set(CONTACT_HEADERS) & set(rows[0]) and len(rows[0]) == 8
    assert "conseil0@bondy.fr" not in str(rows)
    rows = list(
        csv.reader(
            io.StringIO(agent.get("/conseil/export.csv").content.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][-4:] == CONTACT_HEADERS and "conseil0@bondy.fr" in str(rows)
    path = tmp_path / "conseil.xlsx"
    path.write_bytes(viewer.get("/conseil/export.xlsx").content)
    values = [cell.value for row in load_workbook(path).active.iter_rows() for cell in row]
    assert not set(CONTACT_HEADERS) & set(values) and "conseil0@bondy.fr" not in values

    seance = text(viewer.get(f"/conseil/seances/{meeting.pk}/"))
    assert "Élu0 Conseil0" in seance and "conseil0@bondy.fr" not in seance
    assert "conseil0@bondy.fr" in text(agent.get(f"/conseil/seances/{meeting.pk}/"))

    def letter(client) -> str:
        response = client.get(f"/conseil/seances/{meeting.pk}/convocations.pdf?sans_adresse=1")
        assert response.status_code == 200
        return plain(PdfReader(io.BytesIO(response.content)).pages[0].extract_text())

    assert "Nommé3 Asso3" in letter(viewer) and street not in letter(viewer)
    assert street in letter(agent)

    members = viewer.get("/api/v1/board/members/").json()
    assert members and not CONTACT_FIELDS & set().union(*members)
    members = agent.get("/api/v1/board/members/").json()
    assert {m["email"] for m in members} >= {"conseil0@bondy.fr"}

    # Montreuil's agent, same ids, reads Montreuil's addresses only.
    board = text(montreuil_clients["agent"].get("/conseil/"))
    assert "conseil0@montreuil.fr" in board and "bondy.fr" not in board
    with schema_context(bondy.schema_name):
        assert BoardMember.objects.filter(email="conseil0@bondy.fr").exists()

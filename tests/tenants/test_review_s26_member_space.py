"""Session 26: the member space of a CCAS walked as its director, her agent and the read-only
adjoint would use it. What was wrong, each with its test:

- the journal (/journal/, and journal/journal.csv of « Toutes nos données ») wrote the details of
  a change with the code's names and values: « avant : director ; après : viewer » for a role
  changed, « category : budget », « fields : title, description », « previous_file : … »,
  « siège : elected », « close le : 2026-03-31 ».

Real requests on a real PostgreSQL; two members whose primary keys collide where it matters."""

import io
import re
import zipfile
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace.models import BoardMandate, BoardMember, Document
from tests.conftest import make_person, member_client, plain
from tests.workspace.conftest import make_board

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def journal_details(response) -> dict[str, str]:
    """Each journal row's « Modification » -> its « Détails », as read on the page."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    rows = {}
    for row in soup.select("tbody tr"):
        cells = [" ".join(c.get_text(" ", strip=True).split()) for c in row.find_all(["th", "td"])]
        rows.setdefault(cells[2], cells[4])
    return rows


# --- The journal says what changed in French ----------------------------------------------


def test_the_journal_details_are_french_words_not_the_codes_of_the_program(bondy):
    director = make_person(bondy, "direction@bondy.test")
    agent = make_person(bondy, "agent@bondy.test", "agent")
    client = member_client(bondy, director)
    pdf = SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf")
    response = client.post(
        "/documents/", {"title": "Budget primitif", "category": "budget", "file": pdf}
    )
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        document = Document.objects.get()
    response = client.post(
        f"/documents/{document.pk}/modifier/",
        {"title": "Budget primitif 2026", "category": "budget", "description": "Voté en mars"},
    )
    assert response.status_code == 302
    new_file = SimpleUploadedFile("budget-v2.pdf", PDF, content_type="application/pdf")
    assert (
        client.post(f"/documents/{document.pk}/remplacer/", {"file": new_file}).status_code == 302
    )
    membership = Membership.objects.get(member=bondy, user=agent)
    assert client.post(f"/equipe/{membership.pk}/role/", {"role": "viewer"}).status_code == 302
    mandate = make_board(bondy)
    response = client.post(
        f"/conseil/mandats/{mandate.pk}/ajouter/",
        {
            "first_name": "Jeanne",
            "last_name": "Nouvelle",
            "seat": "elected",
            "start": "2024-01-15",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        "/conseil/renouveler/", {"label": "2026-2032", "start": "2026-04-01", "reappointed": []}
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    details = journal_details(client.get("/journal/"))
    assert details["Document déposé"] == "catégorie : Budget et finances"
    assert details["Document modifié"] == "champs modifiés : titre, description"
    # The stored names: the storage adds a suffix to a name another test's file already has.
    assert re.fullmatch(
        r"ancien fichier : budget(_\w+)?\.pdf ; nouveau fichier : budget-v2(_\w+)?\.pdf",
        details["Fichier d'un document remplacé"],
    )
    assert details["Rôle modifié"] == "avant : Agent ; après : Lecture seule"
    assert details["Membre du conseil ajouté"] == (
        "siège : Élu(e) du conseil municipal ; mandature : 2020-2026"
    )
    assert "close le : 31/03/2026" in details["Conseil renouvelé"]
    # The archive's journal says the same.
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get("/donnees/archive.zip"))))
    journal = plain(archive.read("journal/journal.csv").decode("utf-8-sig"))
    assert "avant : Agent ; après : Lecture seule" in journal
    assert "director" not in journal and "viewer" not in journal
    assert date(2026, 3, 31).isoformat() not in journal


# --- The API keeps the board page's rules ---------------------------------------------------


def ended_board(member):
    """A 2014-2020 board that ended, with nothing after it (the renewal not entered yet)."""
    with schema_context(member.schema_name):
        return BoardMandate.objects.create(
            label="2014-2020", start=date(2014, 4, 1), end=date(2020, 6, 30)
        )


SEAT = {"first_name": "Paul", "last_name": "Ajouté", "seat": "elected", "start": "2015-01-05"}


def test_an_agent_cannot_add_a_seat_to_an_ended_board_through_the_api(two_members):
    bondy, montreuil = two_members
    mine, theirs = ended_board(bondy), ended_board(montreuil)
    assert mine.pk == theirs.pk
    agent = member_client(bondy, make_person(bondy, "agent@bondy.test", "agent"))
    # The page refuses her: an ended mandate is the board's history, the director's to change.
    assert agent.get(f"/conseil/mandats/{mine.pk}/ajouter/").status_code == 403
    response = agent.post("/api/v1/board/members/", SEAT, content_type="application/json")
    assert response.status_code == 403
    assert "direction" in response.json()["detail"]
    with schema_context(bondy.schema_name):
        assert not BoardMember.objects.exists()
    # The director may, as on the page; Montreuil's board is untouched.
    director = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    response = director.post("/api/v1/board/members/", SEAT, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["mandate"] == "2014-2020"
    with schema_context(montreuil.schema_name):
        assert not BoardMember.objects.exists()


def test_a_seat_refused_by_the_api_opens_no_mandate(bondy):
    director = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    # A nommé without the category of association he represents: refused…
    response = director.post(
        "/api/v1/board/members/", {**SEAT, "seat": "appointed"}, content_type="application/json"
    )
    assert response.status_code == 400
    # … and the mandate that would have held him is not left behind, empty, as the board.
    with schema_context(bondy.schema_name):
        assert not BoardMandate.objects.exists()

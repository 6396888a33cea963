"""A séance's procès-verbal (session 38, carried since session 34): the director files it under
Documents (category « Conseil d'administration ») and chooses it on the séance, whose page, API and
archive then name it. Bondy's and Montreuil's schemas number their documents and séances alike:
Bondy's form offers Bondy's documents only, and Montreuil's séance with the same pk has none."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context

from tenants.workspace.models import BoardMeeting, Document
from tests.conftest import make_person, member_client
from tests.workspace.conftest import make_board
from tests.workspace.test_meetings_s34 import board_pks, meeting_post, text_of

pytestmark = pytest.mark.django_db


def file_document(member, title: str, category: str = Document.Category.BOARD) -> Document:
    with schema_context(member.schema_name):
        document = Document(title=title, category=category, document_date=date(2026, 10, 20))
        document.file.save("pv.pdf", ContentFile(b"%PDF-1.4 pv"), save=False)
        document.save()
    return document


@pytest.fixture
def spaces(two_members):
    """Each member: a board, a director, a séance, a board document and a budget document."""
    out = {}
    for member in two_members:
        make_board(member)
        client = member_client(member, make_person(member, f"d@{member.slug}.test"))
        client.post("/conseil/seances/ajouter/", meeting_post(board_pks(member), {}))
        with schema_context(member.schema_name):
            meeting = BoardMeeting.objects.get()
        name = member.slug.capitalize()
        pv = file_document(member, f"PV du conseil de {name}")
        budget = file_document(member, f"Budget de {name}", Document.Category.BUDGET)
        out[member.slug] = (member, client, meeting, pv, budget)
    bondy, montreuil = out["bondy"], out["montreuil"]
    assert (bondy[2].pk, bondy[3].pk) == (montreuil[2].pk, montreuil[3].pk)  # the keys collide
    return out


def test_the_minutes_are_chosen_among_the_boards_documents_and_shown_on_the_seance(spaces):
    member, client, meeting, pv, budget = spaces["bondy"]
    form = client.get(f"/conseil/seances/{meeting.pk}/modifier/").content.decode()
    assert "PV du conseil de Bondy (20/10/2026)" in form
    assert "Budget de Bondy" not in form and "Montreuil" not in form

    # A document of another category is refused, and nothing is changed.
    edit = f"/conseil/seances/{meeting.pk}/modifier/"
    refused = client.post(edit, meeting_post(board_pks(member), {}, minutes=str(budget.pk)))
    assert refused.status_code in (200, 400)
    with schema_context(member.schema_name):
        assert BoardMeeting.objects.get().minutes_id is None

    saved = client.post(edit, meeting_post(board_pks(member), {}, minutes=str(pv.pk)))
    assert saved.status_code == 302
    page = client.get(f"/conseil/seances/{meeting.pk}/")
    assert "Procès-verbal PV du conseil de Bondy (20 octobre 2026)" in text_of(page)
    assert f'href="/documents/{pv.pk}/"' in page.content.decode()

    # Montreuil's séance with the same pk has none, and its document is not Bondy's.
    _m, other, twin, _pv, _b = spaces["montreuil"]
    seen = text_of(other.get(f"/conseil/seances/{twin.pk}/"))
    assert "Procès-verbal pas encore joint" in seen and "Bondy" not in seen


def test_the_api_and_the_archive_name_it_and_a_deleted_document_leaves_none(spaces):
    member, client, meeting, pv, _budget = spaces["bondy"]
    client.post(
        f"/conseil/seances/{meeting.pk}/modifier/",
        meeting_post(board_pks(member), {}, minutes=str(pv.pk)),
    )
    assert [m["minutes"] for m in client.get("/api/v1/board/meetings/").json()] == [pv.pk]
    other = spaces["montreuil"][1]
    assert [m["minutes"] for m in other.get("/api/v1/board/meetings/").json()] == [None]

    response = client.get("/donnees/archive.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(
        csv.reader(
            io.StringIO(archive.read("conseil/seances.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][-1] == "Procès-verbal" and rows[1][-1] == "PV du conseil de Bondy"

    with schema_context(member.schema_name):
        Document.objects.filter(pk=pv.pk).delete()
        assert BoardMeeting.objects.get().minutes_id is None


def test_deleting_a_seances_minutes_says_so_first(spaces):
    """Audit A28: the confirmation names the séance that loses its procès-verbal."""
    member, client, meeting, pv, budget = spaces["bondy"]
    client.post(
        f"/conseil/seances/{meeting.pk}/modifier/",
        meeting_post(board_pks(member), {}, minutes=str(pv.pk)),
    )
    asked = text_of(client.get(f"/documents/{pv.pk}/supprimer/"))
    assert "Il est le procès-verbal d'une séance du conseil, qui n'en aura plus." in asked
    assert "Procès-verbal de Séance du mardi 6 octobre 2026 à 18 h 30" in asked
    assert "procès-verbal" not in text_of(client.get(f"/documents/{budget.pk}/supprimer/"))

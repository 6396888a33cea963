"""Board pages and API: add members, compliance as it changes, history by mandate."""

import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context

from tenants.workspace.models import BoardMandate, BoardMember
from tests.workspace.conftest import make_board

pytestmark = pytest.mark.django_db


def test_board_page_shows_checklist_with_articles(bondy, clients):
    make_board(bondy)
    page = clients["viewer"].get("/conseil/").content.decode()
    # A 2020 board reads « Composition conforme – conseil à renouveler » once the 2026 municipal
    # elections are past (compliance.board_status).
    assert "Conforme" in page or "Composition conforme" in page
    assert "CASF R123-7" in page and "CASF L123-6" in page
    assert "Stéphane Maire" in page


def test_adding_a_member_breaks_parity_and_says_so(bondy, clients):
    mandate = make_board(bondy)
    response = clients["agent"].post(
        f"/conseil/mandats/{mandate.pk}/ajouter/",
        {"first_name": "Noé", "last_name": "Nouveau", "seat": "elected", "start": "2022-01-10"},
    )
    assert response.status_code == 302
    page = clients["agent"].get("/conseil/").content.decode()
    assert "Non conforme" in page and "5 élus et 4 nommés" in page


def test_appointed_member_needs_a_category_and_form_keeps_input(bondy, clients):
    mandate = make_board(bondy)
    response = clients["agent"].post(
        f"/conseil/mandats/{mandate.pk}/ajouter/",
        {"first_name": "Zoé", "last_name": "Sans", "seat": "appointed", "start": "2021-01-01"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "représente une catégorie" in page and 'value="Zoé"' in page


def test_history_by_mandate(bondy, clients):
    with schema_context(bondy.schema_name):
        old = BoardMandate.objects.create(
            label="2014-2020", start=date(2014, 4, 1), end=date(2020, 6, 30)
        )
        BoardMember.objects.create(
            mandate=old,
            first_name="Ancien",
            last_name="Maire",
            seat="president",
            start=date(2014, 4, 1),
        )
    make_board(bondy)
    current = clients["viewer"].get("/conseil/").content.decode()
    assert "2020-2026" in current and "Ancien" not in current
    assert f'href="/conseil/mandats/{old.pk}/"' in current
    history = clients["viewer"].get(f"/conseil/mandats/{old.pk}/").content.decode()
    assert "Ancien Maire" in history and "Non conforme" in history


def test_new_mandate_becomes_current(bondy, clients):
    mandate = make_board(bondy)
    # The renewal: the previous mandate ends first (mandates do not overlap).
    with schema_context(bondy.schema_name):
        BoardMandate.objects.filter(pk=mandate.pk).update(end=date(2026, 3, 31))
    response = clients["director"].post(
        "/conseil/mandats/ajouter/", {"label": "2026-2032", "start": "2026-04-01"}
    )
    assert response.status_code == 302
    page = clients["viewer"].get("/conseil/").content.decode()
    assert "mandature 2026-2032" in page and "Aucun membre saisi" in page


def test_board_api(bondy, clients):
    empty = clients["viewer"].get("/api/v1/board/compliance/").json()
    assert empty["compliant"] is False
    make_board(bondy)
    data = clients["viewer"].get("/api/v1/board/compliance/").json()
    assert data["compliant"] is True
    assert set(data["rules"][0]) == {"code", "label", "article", "ok", "detail"}
    members = clients["viewer"].get("/api/v1/board/members/").json()
    assert len(members) == 9 and members[0]["mandate"] == "2020-2026"
    created = clients["agent"].post(
        "/api/v1/board/members/",
        {"first_name": "Paul", "last_name": "Nommé", "seat": "appointed", "start": "2023-01-01"},
    )
    assert created.status_code == 400 and "catégorie" in created.json()["detail"]
    created = clients["agent"].post(
        "/api/v1/board/members/",
        {
            "first_name": "Paul",
            "last_name": "Nommé",
            "seat": "appointed",
            "category": "family",
            "association": "UDAF 93",
            "start": "2023-01-01",
        },
    )
    assert created.status_code == 201
    data = clients["viewer"].get("/api/v1/board/compliance/").json()
    assert data["compliant"] is False
    assert [r["code"] for r in data["rules"] if not r["ok"]] == ["parity"]


def test_board_api_history_by_mandate(bondy, clients):
    with schema_context(bondy.schema_name):
        old = BoardMandate.objects.create(
            label="2014-2020", start=date(2014, 4, 1), end=date(2020, 6, 30)
        )
        BoardMember.objects.create(
            mandate=old,
            first_name="Ancien",
            last_name="Maire",
            seat="president",
            start=date(2014, 4, 1),
        )
    make_board(bondy)
    old_members = clients["viewer"].get(f"/api/v1/board/members/?mandate={old.pk}").json()
    assert [m["last_name"] for m in old_members] == ["Maire"]
    assert old_members[0]["mandate"] == "2014-2020"
    old_compliance = clients["viewer"].get(f"/api/v1/board/compliance/?mandate={old.pk}").json()
    assert old_compliance["compliant"] is False
    assert clients["viewer"].get("/api/v1/board/compliance/").json()["compliant"] is True
    assert clients["viewer"].get("/api/v1/board/members/?mandate=999").status_code == 404
    assert clients["viewer"].get("/api/v1/board/compliance/?mandate=x").status_code == 404


def _row_names(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    table = soup.find("caption", string=re.compile("Membres du conseil")).find_parent("table")
    return [th.contents[0].strip() for th in table.select("tbody th[scope=row]")]


def test_board_lists_the_president_first_then_elected_then_appointed(bondy, clients):
    mandate = make_board(bondy, elected=2, appointed=2)
    with schema_context(bondy.schema_name):
        # Alphabetically these would come first: the order is the seat's, not the name's.
        BoardMember.objects.create(
            mandate=mandate,
            first_name="Anne",
            last_name="Aaron",
            seat="appointed",
            category="other",
            start=date(2021, 1, 1),
        )
        BoardMember.objects.create(
            mandate=mandate,
            first_name="Bruno",
            last_name="Abel",
            seat="elected",
            start=date(2021, 1, 1),
        )
    names = _row_names(clients["viewer"].get("/conseil/").content.decode())
    assert names == [
        "Stéphane Maire",
        "Bruno Abel",
        "Élu0 Conseil0",
        "Élu1 Conseil1",
        "Anne Aaron",
        "Nommé0 Asso0",
        "Nommé1 Asso1",
    ]
    api = clients["viewer"].get("/api/v1/board/members/").json()
    assert [m["seat"] for m in api] == ["president"] + ["elected"] * 3 + ["appointed"] * 3


def test_deleting_a_board_member_asks_for_confirmation_first(bondy, clients):
    # The director's: deleting a seat erases it from the board's history (an agent gets 403,
    # tests/workspace/test_review_s15_board.py), so this walk-through is the director's.
    mandate = make_board(bondy)
    with schema_context(bondy.schema_name):
        seat = BoardMember.objects.get(last_name="Asso0")
    board = clients["director"].get("/conseil/").content.decode()
    assert f'<a href="/conseil/membres/{seat.pk}/supprimer/">Supprimer' in board
    assert f'action="/conseil/membres/{seat.pk}/supprimer/"' not in board  # no one-click delete

    confirm = clients["director"].get(f"/conseil/membres/{seat.pk}/supprimer/")
    assert confirm.status_code == 200
    soup = BeautifulSoup(confirm.content.decode(), "html.parser")
    assert soup.h1.get_text() == "Supprimer Nommé0 Asso0 du conseil d'administration ?"
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in soup.select("dl dt")}
    assert facts["Siège"] == "Nommé(e) par le maire" and facts["Mandature"] == "2020-2026"
    assert "Associations familiales" in facts["Association"]
    form = soup.find("main").find("form", method="post")
    assert form.button.get_text() == "Confirmer la suppression"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None
    assert form.find("a", href=f"/conseil/mandats/{mandate.pk}/").get_text() == "Annuler et revenir"
    with schema_context(bondy.schema_name):
        assert BoardMember.objects.filter(pk=seat.pk).exists()  # looking deletes nothing

    assert clients["viewer"].get(f"/conseil/membres/{seat.pk}/supprimer/").status_code == 403
    assert clients["agent"].post(f"/conseil/membres/{seat.pk}/supprimer/").status_code == 403
    response = clients["director"].post(f"/conseil/membres/{seat.pk}/supprimer/")
    assert response.status_code == 302 and response["Location"] == f"/conseil/mandats/{mandate.pk}/"
    with schema_context(bondy.schema_name):
        assert not BoardMember.objects.filter(pk=seat.pk).exists()
    assert clients["director"].get(f"/conseil/membres/{seat.pk}/supprimer/").status_code == 404

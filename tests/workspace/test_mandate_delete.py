"""A board term entered by mistake can be deleted, once nobody sits in it; never another
member's (their schemas' primary keys collide)."""

import html
from datetime import date

import pytest
from django_tenants.utils import schema_context

from tenants.journal.models import JournalEntry
from tenants.workspace.models import BoardMandate
from tests.conftest import make_person, member_client
from tests.workspace.conftest import make_board
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def empty_mandate(member, label: str) -> BoardMandate:
    with schema_context(member.schema_name):
        return BoardMandate.objects.create(
            label=label, start=date(2001, 3, 18), end=date(2008, 3, 15)
        )


def mandate_labels(member) -> set[str]:
    with schema_context(member.schema_name):
        return set(BoardMandate.objects.values_list("label", flat=True))


def test_an_empty_term_is_deleted_after_confirmation_and_only_in_its_own_space(two_members):
    bondy, montreuil = two_members
    bondys_mistake = empty_mandate(bondy, "2001-2008")
    montreuils = empty_mandate(montreuil, "2001-2008 bis")
    assert bondys_mistake.pk == montreuils.pk  # the same key in both schemas
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    url = f"/conseil/mandats/{bondys_mistake.pk}/supprimer/"

    page = client.get(f"/conseil/mandats/{bondys_mistake.pk}/").content.decode()
    assert f'href="{url}">Supprimer cette mandature sans membre' in page
    confirm = html.unescape(client.get(url).content.decode())
    assert "Supprimer la mandature 2001-2008 ?" in confirm
    assert "du 18 mars 2001 au 15 mars 2008" in confirm
    assert mandate_labels(bondy) == {"2001-2008"}  # looking deletes nothing

    viewer = member_client(bondy, make_person(bondy, "lecture@bondy.test", "viewer"))
    assert viewer.post(url).status_code == 403
    response = client.post(url, follow=True)
    assert "Mandature 2001-2008 supprimée." in html.unescape(response.content.decode())
    assert mandate_labels(bondy) == set()
    assert mandate_labels(montreuil) == {"2001-2008 bis"}  # same key, other space: untouched
    # The union's trail says who and where; the label stays in Bondy's journal (tenants.journal).
    entry = AuditEntry.objects.get(action="board.mandate_deleted")
    assert (entry.actor, entry.member, entry.target) == (director, bondy, "")
    with schema_context(bondy.schema_name):
        assert JournalEntry.objects.get(action="board.mandate_deleted").target == "2001-2008"


def test_a_term_with_members_is_not_deleted(bondy):
    mandate = make_board(bondy)
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    url = f"/conseil/mandats/{mandate.pk}/supprimer/"
    assert url not in client.get("/conseil/").content.decode()
    for response in (client.get(url, follow=True), client.post(url, follow=True)):
        assert "La mandature 2020-2026 a des membres : retirez-les d'abord" in html.unescape(
            response.content.decode()
        )
    assert mandate_labels(bondy) == {"2020-2026"}
    assert not AuditEntry.objects.filter(action="board.mandate_deleted").exists()

"""Session 36 (audit A20 #12): « Inscrire quelqu'un » offers the board in office, already in the
space, so that registering the vice-president is one click, not her names typed again; two
members whose board members' primary keys collide each see and fill in their own."""

import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context

from seminars.models import Registration
from tenants.workspace.models import BoardMember
from tests.conftest import make_person, member_client
from tests.seminars.conftest import make_seminar
from tests.workspace.conftest import make_board

pytestmark = pytest.mark.django_db


def form_values(html: str) -> dict:
    page = BeautifulSoup(html, "html.parser")
    values = {field["name"]: field.get("value", "") for field in page.select("form input[name]")}
    for select in page.select("form select[name]"):
        chosen = select.find("option", selected=True)
        values[select["name"]] = chosen["value"] if chosen else ""
    return values


def test_the_board_in_office_fills_in_the_form_on_each_members_own_host(two_members):
    bondy, montreuil = two_members
    make_board(bondy)
    make_board(montreuil)
    with schema_context(montreuil.schema_name):
        # Same primary keys as Bondy's board: other names.
        BoardMember.objects.filter(seat=BoardMember.Seat.PRESIDENT).update(
            last_name="Montreuillois"
        )
        BoardMember.objects.filter(is_vice_president=True).update(last_name="Vice-Montreuil")
    with schema_context(bondy.schema_name):
        vice = BoardMember.objects.get(is_vice_president=True)
        president = BoardMember.objects.get(seat=BoardMember.Seat.PRESIDENT)
    seminar = make_seminar("Atelier début de mandat")
    url = f"/evenements/{seminar.pk}/inscrire/"
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))

    page = BeautifulSoup(client.get(url).content, "html.parser")
    offered = [a.get_text(strip=True) for a in page.select(".board-pick a")]
    assert "Élu0 Conseil0" in offered and "Stéphane Maire" in offered
    assert not any("Montreuil" in name for name in offered)

    filled = form_values(client.get(f"{url}?membre={vice.pk}").content.decode())
    assert (filled["nom"], filled["prenom"], filled["fonction"]) == (
        "Conseil0",
        "Élu0",
        "vice_president_ccas",
    )
    assert filled["commune"] == "Bondy"
    filled = form_values(client.get(f"{url}?membre={president.pk}").content.decode())
    assert (filled["nom"], filled["fonction"]) == ("Maire", "maire")
    # An id that is not a board member in office: nothing filled, no error.
    response = client.get(f"{url}?membre=99999")
    assert response.status_code == 200 and form_values(response.content.decode())["nom"] == ""

    # Montreuil's host, same id: Montreuil's vice-president.
    other = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))
    filled = form_values(other.get(f"{url}?membre={vice.pk}").content.decode())
    assert filled["nom"] == "Vice-Montreuil"

    # Submitted as filled in (an address added): registered under her fonction.
    posted = {**form_values(client.get(f"{url}?membre={vice.pk}").content.decode())}
    posted["email"] = "vice@bondy.test"
    assert client.post(url, posted).status_code == 302
    registration = Registration.objects.get(seminar=seminar)
    assert (registration.nom, registration.fonction) == ("Conseil0", "vice_president_ccas")

"""Session 21: the member space walked as a CCAS director would, on a laptop, on a phone and with
the keyboard. What was wrong, each with its test:

- the ABS list (/abs/) wrote numerators and denominators as stored, « 23618,00 »: a count the
  director typed « 23 618 » came back with two decimals and no thousands separator, unlike the
  value column beside it (« 50 797 »).

Real requests on a real PostgreSQL; two members whose primary keys collide."""

import pytest
from bs4 import BeautifulSoup

from tests.abs_shared.conftest import observe
from tests.conftest import make_person, member_client

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"  # the thousands separator of union.formats.french_number


def cells_of(response, label: str) -> list[str]:
    """The cells of the /abs/ table's row whose header starts with `label`, as read."""
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    table = page.find("table")
    for row in table.find_all("tr"):
        header = row.find("th", scope="row")
        if header and header.get_text(" ", strip=True).startswith(label):
            return [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
    raise AssertionError(f"pas de ligne « {label} »")


def test_the_abs_list_writes_numerators_and_denominators_the_french_way(two_members):
    bondy, montreuil = two_members
    mine = observe(bondy, "TP60", 2021, 27.1, numerator=6400, denominator=23618)
    theirs = observe(montreuil, "TP60", 2021, 12.5, numerator="12.5", denominator=100)
    assert mine.pk == theirs.pk  # the collision
    director = member_client(bondy, make_person(bondy, "d@bondy.test"))
    year, value, numerator, denominator, *_ = cells_of(director.get("/abs/"), "Taux de pauvreté")
    assert (year, value) == ("2021", "27,1")
    assert numerator == f"6{NNBSP}400"
    assert denominator == f"23{NNBSP}618"
    # A numerator with decimals keeps them, and no more; Montreuil's row is Montreuil's own.
    other = member_client(montreuil, make_person(montreuil, "d@montreuil.test"))
    _, value, numerator, denominator, *_ = cells_of(other.get("/abs/"), "Taux de pauvreté")
    assert (value, numerator, denominator) == ("12,5", "12,5", "100")
    assert f"23{NNBSP}618" not in other.get("/abs/").content.decode()

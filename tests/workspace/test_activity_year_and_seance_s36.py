"""Entering this year's activity, and the séance of a board overdue for renewal (audit A20 #5,
#10).

- The activity report's tabs listed only the years that have figures: the current year had no
  tab, « Saisir un chiffre » opened on last year, and the figures of last year still missing for
  this one were plain text. The current year now has a tab (nothing entered yet, said so, with a
  way to start), « Saisir un chiffre » opens on the year being entered, and each missing figure
  is one link to the entry form, its year, pôle and catégorie filled in.
- A séance held after the deadline to renew the board (CASF R123-10) listed the members of the
  board that should have been replaced, and counted the quorum on them, without a word: the
  séance's page and its attendance sheet now say so, and what to do.
"""

import io
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from django_tenants.utils import schema_context
from pypdf import PdfReader

from tenants.models import Membership
from tenants.workspace.models import BoardMeeting
from tests.conftest import make_person, member_client, plain
from tests.workspace.conftest import add_figures, make_board
from tests.workspace.test_review_s15_board import renewed_board

pytestmark = pytest.mark.django_db

NOW = timezone.localdate().year
LAST = NOW - 1

# Bondy's figures of last year; Montreuil's are other categories, with the same primary keys.
BONDY_LAST_YEAR = [
    (LAST, "Accueil", "Personnes reçues à l'accueil", 4200, None),
    (LAST, "Aides facultatives", "Aides accordées", 310, "45000.00"),
    (LAST, "Secours", "Obsèques", 12, "9600.00"),
]
MONTREUIL_LAST_YEAR = [
    (LAST, "RSA", "Accompagnements RSA", 900, None),
    (LAST, "Seniors", "Visites à domicile", 75, None),
    (LAST, "Accueil", "Appels téléphoniques", 8000, None),
]


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response) -> str:
    return plain(unescape(soup(response).get_text(" ")))


def query_of(href: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def director_of(member):
    return member_client(member, make_person(member, f"dir@{member.slug}.test"))


@pytest.fixture
def members_with_last_year(two_members):
    bondy, montreuil = two_members
    add_figures(bondy, *BONDY_LAST_YEAR)
    add_figures(montreuil, *MONTREUIL_LAST_YEAR)
    return bondy, montreuil


def test_the_current_year_has_a_tab_even_before_anything_is_entered(members_with_last_year):
    bondy, _ = members_with_last_year
    client = director_of(bondy)
    page = soup(client.get("/activite/"))
    tabs = [a["href"] for a in page.select("nav.year-nav a")]
    assert tabs == [f"?annee={NOW}", f"?annee={LAST}"]

    response = client.get(f"/activite/?annee={NOW}")
    text = text_of(response)
    assert f"Rien n'est encore saisi pour {NOW}" in text
    assert f"Aucun chiffre pour {NOW}." not in text
    start = soup(response).find("a", string=f"Commencer la saisie de {NOW}")
    assert start is not None and query_of(start["href"]) == {"annee": str(NOW)}
    assert urlsplit(start["href"]).path == "/activite/saisir/"


def test_each_missing_figure_is_one_link_to_the_form_filled_in(members_with_last_year):
    bondy, montreuil = members_with_last_year
    client = director_of(bondy)
    page = soup(client.get(f"/activite/?annee={NOW}"))
    note = page.select_one(".notice-warn")
    assert "3 chiffres de" in plain(note.get_text(" "))
    links = [a for a in note.find_all("a") if urlsplit(a["href"]).path == "/activite/saisir/"]
    asked = [query_of(a["href"]) for a in links]
    # Bondy's three figures of last year, one link each; none of Montreuil's, whose keys collide.
    assert asked == [
        {"annee": str(NOW), "pole": pole, "categorie": category}
        for _, pole, category, _, _ in BONDY_LAST_YEAR
    ]
    assert "Accompagnements RSA" not in note.get_text() and "Visites" not in note.get_text()
    # The link's text names the figure, for a screen reader reading links alone.
    assert plain(links[0].get_text(" ")) == "Saisir Accueil : Personnes reçues à l'accueil"

    # One click: the form opens on the year, the pôle and the catégorie.
    form = soup(client.get(links[2]["href"]))
    assert form.find("input", {"name": "year"})["value"] == str(NOW)
    assert form.find("input", {"name": "pole"})["value"] == "Secours"
    assert form.find("input", {"name": "category"})["value"] == "Obsèques"

    # Montreuil's page lists its own, with its own links.
    other = soup(director_of(montreuil).get(f"/activite/?annee={NOW}"))
    hrefs = [a["href"] for a in other.select(".notice-warn a")]
    assert any("Accompagnements" in query_of(h).get("categorie", "") for h in hrefs)
    assert not any("Obs" in query_of(h).get("categorie", "") for h in hrefs)


def test_a_reader_sees_what_is_missing_without_links_to_a_form_she_cannot_open(bondy):
    add_figures(bondy, *BONDY_LAST_YEAR)
    viewer = member_client(bondy, make_person(bondy, "lecture@bondy.test", Membership.Role.VIEWER))
    response = viewer.get(f"/activite/?annee={NOW}")
    text = text_of(response)
    assert "Secours : Obsèques" in text
    assert f"Rien n'est encore saisi pour {NOW}" in text
    assert not soup(response).select('a[href^="/activite/saisir/"]')


def test_saisir_un_chiffre_opens_on_the_year_being_entered(members_with_last_year):
    bondy, _ = members_with_last_year
    client = director_of(bondy)
    # Nothing entered for this year yet: the page and the form open on last year, as before.
    button = soup(client.get("/activite/")).find("a", string="Saisir un chiffre")
    assert query_of(button["href"]) == {"annee": str(LAST)}
    form = soup(client.get("/activite/saisir/"))
    assert form.find("input", {"name": "year"})["value"] == str(LAST)

    # One figure of this year: the page still shows last year (the last complete one), but
    # « Saisir un chiffre » goes on with this year, and so does the form opened without a year.
    add_figures(bondy, (NOW, "Accueil", "Personnes reçues à l'accueil", 350, None))
    page = soup(client.get("/activite/"))
    assert page.find("h1").get_text() == f"Rapport d'activité {LAST}"
    button = page.find("a", string=f"Saisir un chiffre de {NOW}")
    assert button is not None and query_of(button["href"]) == {"annee": str(NOW)}
    form = soup(client.get("/activite/saisir/"))
    assert form.find("input", {"name": "year"})["value"] == str(NOW)
    # The year shown, when asked, stays the one entered.
    button = soup(client.get(f"/activite/?annee={LAST}")).find("a", string="Saisir un chiffre")
    assert query_of(button["href"]) == {"annee": str(LAST)}


# --- Séances of a board overdue for renewal ---------------------------------------------------

OVERDUE_WARNING = (
    "Conseil d'administration à renouveler, délai dépassé : il devait l'être au plus tard le "
    "29 mai 2026"
)


def add_meeting(member, day: date) -> int:
    with schema_context(member.schema_name):
        return BoardMeeting.objects.create(date=day, place="Salle du conseil").pk


def sheet_text(client, pk: int) -> str:
    response = client.get(f"/conseil/seances/{pk}/feuille-de-presence.pdf")
    assert response["Content-Type"] == "application/pdf"
    return plain(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages))


def test_a_seance_after_the_renewal_deadline_says_so_on_its_page_and_its_sheet(two_members):
    bondy, montreuil = two_members
    make_board(bondy)  # 2020-2026, never renewed after the March 2026 elections
    renewed_board(montreuil)  # renewed in April 2026: same primary keys, nothing due
    late = add_meeting(bondy, date(2026, 12, 16))
    assert add_meeting(montreuil, date(2026, 12, 16)) == late  # the keys collide

    client = director_of(bondy)
    page = text_of(client.get(f"/conseil/seances/{late}/"))
    assert OVERDUE_WARNING in page
    assert "mandature 2020-2026" in page
    assert "le quorum est compté sur eux" in page
    assert "Renouveler le conseil" in page
    sheet = sheet_text(client, late)
    assert OVERDUE_WARNING in sheet
    # One line above the table: before its header.
    assert sheet.index(OVERDUE_WARNING) < sheet.index("Nom Qualité Signature")

    other = director_of(montreuil)
    assert "délai dépassé" not in text_of(other.get(f"/conseil/seances/{late}/"))
    assert "délai dépassé" not in sheet_text(other, late)


def test_a_seance_held_before_the_deadline_by_the_board_still_in_office_says_nothing(bondy):
    make_board(bondy)
    # 10 April 2026: after the elections, within the two months; the board sits lawfully.
    early = add_meeting(bondy, date(2026, 4, 10))
    client = director_of(bondy)
    assert "à renouveler" not in text_of(client.get(f"/conseil/seances/{early}/"))
    assert "délai dépassé" not in sheet_text(client, early)


def test_the_seance_form_warns_before_saving(two_members):
    """Session 37 (left in session 36's notes): the form says it too, for the day typed, before
    the séance is saved; a refused form keeps the warning and what was typed."""
    bondy, montreuil = two_members
    make_board(bondy)
    renewed_board(montreuil)
    client = director_of(bondy)
    early = {"date": "2026-04-10", "place": "Salle du conseil", "time": "99:99"}
    assert "délai dépassé" not in text_of(client.post("/conseil/seances/ajouter/", early))
    typed = {"date": "2026-12-16", "place": "Salle du conseil", "time": "99:99"}
    refused = client.post("/conseil/seances/ajouter/", typed)
    assert refused.status_code in (200, 400)
    page = text_of(refused)
    assert OVERDUE_WARNING in page
    assert "Renouveler le conseil" in page
    assert 'value="Salle du conseil"' in refused.content.decode()
    late = add_meeting(bondy, date(2026, 12, 16))
    assert add_meeting(montreuil, date(2026, 12, 16)) == late  # the keys collide
    assert OVERDUE_WARNING in text_of(client.get(f"/conseil/seances/{late}/modifier/"))
    assert "délai dépassé" not in text_of(
        director_of(montreuil).get(f"/conseil/seances/{late}/modifier/")
    )

"""Session 19's review of a member's space, as a CCAS director (Bondy) and a CIAS director
(Grand Paris Grand Est): the documents page names the member's kind, the board's status says
when its renewal is overdue, the domiciliation page opens on the report due next, the
dashboard says plainly what a complete year is, and the team page offers no role change the
service would refuse. Two members whose primary keys collide wherever they hold rows."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import MemberCCAS, Membership
from tenants.workspace.models import BoardMandate, BoardMember, Document
from tests.conftest import make_member, make_person, member_client
from tests.workspace.conftest import add_figures, compliant_board, make_board

pytestmark = pytest.mark.django_db

GRAND_PARIS_GRAND_EST = "200058790"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def on(monkeypatch, day: date) -> None:
    """Today is `day` for the views and the rules they call (timezone.localdate())."""
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, *args: day if value is None else real(value)
    )


@pytest.fixture
def cias(db) -> MemberCCAS:
    return make_member("93051", kind=MemberCCAS.Kind.CIAS, epci_siren=GRAND_PARIS_GRAND_EST)


# --- 1. The documents page names the member's kind ---------------------------------------------


def test_the_documents_page_of_a_cias_speaks_of_the_cias(bondy, cias):
    clients = {
        member: member_client(member, make_person(member, f"d@{member.slug}.test"))
        for member in (bondy, cias)
    }
    for member, client in clients.items():
        file = SimpleUploadedFile("budget.pdf", PDF)
        response = client.post("/documents/", {"title": f"Budget {member.kind}", "file": file})
        assert response.status_code == 302
    with schema_context(bondy.schema_name):
        (ccas_document,) = Document.objects.all()
    with schema_context(cias.schema_name):
        assert Document.objects.get().pk == ccas_document.pk  # the collision
    cias_page = text_of(soup_of(clients[cias].get("/documents/")).find("main"))
    assert "Les documents de fonctionnement du CIAS (délibérations" in cias_page
    assert "Cet espace sert aux documents de fonctionnement du CIAS." in cias_page
    assert "CCAS" not in cias_page  # the page's own words (the union's name is UDCCAS)
    assert "Budget CIAS" in cias_page and "Budget CCAS" not in cias_page
    ccas_page = text_of(soup_of(clients[bondy].get("/documents/")))
    assert "Les documents de fonctionnement du CCAS (délibérations" in ccas_page
    assert "Cet espace sert aux documents de fonctionnement du CCAS." in ccas_page
    assert "Budget CCAS" in ccas_page and "Budget CIAS" not in ccas_page


# --- 4. The board's status when its renewal is due ----------------------------------------------


def board_after_the_elections(member) -> BoardMandate:
    """A compliant board installed after the municipal elections of 2026: nothing to renew."""
    with schema_context(member.schema_name):
        mandate = BoardMandate.objects.create(label="2026-2032", start=date(2026, 5, 4))
        seats = compliant_board(mandate)
        for seat in seats:
            seat.start = mandate.start
        BoardMember.objects.bulk_create(seats)
    return mandate


def badges(element) -> list[str]:
    return [text_of(badge) for badge in element.find_all(class_="badge")]


def test_a_board_whose_renewal_is_overdue_is_not_just_conforme(monkeypatch, two_members):
    bondy, montreuil = two_members
    make_board(bondy)  # 2020-2026, compliant, never renewed after March 2026
    board_after_the_elections(montreuil)
    with schema_context(bondy.schema_name):
        bondy_ids = sorted(BoardMember.objects.values_list("pk", flat=True))
    with schema_context(montreuil.schema_name):
        assert sorted(BoardMember.objects.values_list("pk", flat=True)) == bondy_ids
    on(monkeypatch, date(2026, 12, 2))
    bondy_client = member_client(bondy, make_person(bondy, "d@bondy.test"))

    home = soup_of(bondy_client.get("/"))
    status = home.find(id="conseil").parent.find("p")
    assert text_of(status) == (
        "Mandature 2020-2026 : Composition conforme – conseil à renouveler, délai dépassé"
    )
    assert status.find(class_="badge")["class"] == ["badge", "badge-warn"]
    assert "Conforme" not in badges(home.find(id="conseil").parent)

    board = soup_of(bondy_client.get("/conseil/"))
    heading = text_of(board.find(id="conformite"))
    assert heading == "Conformité : Composition conforme – conseil à renouveler, délai dépassé"
    assert board.find(id="conformite").find(class_="badge-ok") is None
    # The mandate's own badges, apart: « en cours, à renouveler ».
    assert ": en cours , à renouveler ." in text_of(board.h1.find_next("p"))

    # Montreuil's board, renewed after the elections: « Conforme », nothing to renew.
    montreuil_client = member_client(montreuil, make_person(montreuil, "d@montreuil.test"))
    home = soup_of(montreuil_client.get("/"))
    assert text_of(home.find(id="conseil").parent.find("p")) == "Mandature 2026-2032 : Conforme"
    board = soup_of(montreuil_client.get("/conseil/"))
    assert text_of(board.find(id="conformite")) == "Conformité : Conforme"


def test_a_renewal_due_but_not_overdue_and_a_board_that_also_fails(monkeypatch, bondy):
    mandate = make_board(bondy)
    on(monkeypatch, date(2026, 4, 10))  # after the elections, before the deadline
    client = member_client(bondy, make_person(bondy, "d@bondy.test"))
    home = soup_of(client.get("/"))
    assert text_of(home.find(id="conseil").parent.find("p")) == (
        "Mandature 2020-2026 : Composition conforme – conseil à renouveler"
    )
    # Without its vice-président the board fails too: both said, apart.
    with schema_context(bondy.schema_name):
        BoardMember.objects.filter(mandate=mandate).update(is_vice_president=False)
    home = soup_of(client.get("/"))
    status = home.find(id="conseil").parent.find("p")
    assert text_of(status) == "Mandature 2020-2026 : 1 point à corriger ; Conseil à renouveler"
    assert badges(status) == ["1 point à corriger", "Conseil à renouveler"]
    board = soup_of(client.get("/conseil/"))
    assert (
        text_of(board.find(id="conformite")) == "Conformité : Non conforme ; Conseil à renouveler"
    )


# --- 7. The domiciliation page opens on the report due next ----------------------------------


@pytest.mark.parametrize(
    "today,year",
    [(date(2026, 12, 2), 2026), (date(2027, 1, 15), 2026), (date(2026, 3, 2), 2025)],
)
def test_the_domiciliation_page_opens_on_the_year_the_dashboard_links_to(
    monkeypatch, two_members, today, year
):
    bondy, montreuil = two_members
    add_figures(bondy, (year, "Domiciliation", "Élections de domicile actives", 12, None))
    add_figures(montreuil, (year, "Domiciliation", "Élections de domicile actives", 99, None))
    on(monkeypatch, today)
    client = member_client(bondy, make_person(bondy, "d@bondy.test"))
    home = soup_of(client.get("/"))
    link = home.find("a", href=lambda href: href and href.startswith("/activite/domiciliation/"))
    if today.month in (12, 1):  # the dashboard's reminder, and its link
        assert link["href"] == f"/activite/domiciliation/?annee={year}"
    page = soup_of(client.get("/activite/domiciliation/"))
    assert text_of(page.h1) == f"Élection de domicile : rapport {year} au préfet"
    assert "échéance passée" not in text_of(page) or today.month not in (12, 1)
    assert "99" not in text_of(page.find("table"))  # Montreuil's figure, same pk


# --- 8. The dashboard says plainly what a complete year is --------------------------------------


def test_the_dashboard_says_the_complete_year_compares_with_the_year_before(
    monkeypatch, two_members
):
    bondy, montreuil = two_members
    add_figures(
        bondy,
        (2024, "RSA", "Accompagnements RSA", 40, None),
        (2025, "RSA", "Accompagnements RSA", 44, None),
    )
    add_figures(montreuil, (2025, "RSA", "Accompagnements RSA", 7, None))  # its first year
    on(monkeypatch, date(2026, 3, 2))
    card = soup_of(member_client(bondy, make_person(bondy, "d@bondy.test")).get("/"))
    text = text_of(card.find(id="activite").parent)
    assert (
        "2025 est complète : l'année est terminée et chaque chiffre de 2024 y a son équivalent, "
        "comparé ci-dessous." in text
    )
    assert "Dernière année complète" not in text
    card = soup_of(member_client(montreuil, make_person(montreuil, "d@montreuil.test")).get("/"))
    text = text_of(card.find(id="activite").parent)
    assert (
        "2025 est complète : l'année est terminée ; aucun chiffre de 2024 auquel la comparer."
        in text
    )


# --- 9. The team page offers no role change the service would refuse ---------------------------


def role_forms(page: BeautifulSoup) -> dict[str, bool]:
    """E-mail -> whether the row offers « Changer le rôle »."""
    rows = {}
    for row in page.find("table").tbody.find_all("tr"):
        email = row.find_all("td")[0].get_text(strip=True)
        rows[email] = row.find("select", attrs={"name": "role"}) is not None
    return rows


def test_the_last_director_is_not_offered_a_role_change(two_members):
    bondy, montreuil = two_members
    director = make_person(bondy, "d@bondy.test")
    make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = member_client(bondy, director)
    page = soup_of(client.get("/equipe/"))
    assert role_forms(page) == {"d@bondy.test": False, "agent@bondy.test": True}
    own = page.find("td", string="d@bondy.test").parent
    assert (
        "Seule personne à la direction : pour changer votre rôle, nommez d'abord quelqu'un "
        "d'autre à la direction (l'espace en garde toujours une)." in text_of(own)
    )
    # Montreuil's team, two directors: each may step down (memberships are public rows; the
    # pages are the host's own team only).
    make_person(montreuil, "d1@montreuil.test")
    make_person(montreuil, "d2@montreuil.test")
    other = soup_of(
        member_client(montreuil, Membership.objects.get(user__email="d1@montreuil.test").user).get(
            "/equipe/"
        )
    )
    assert role_forms(other) == {"d1@montreuil.test": True, "d2@montreuil.test": True}
    # Bondy names a second director: the form is back on the first one's row.
    make_person(bondy, "d2@bondy.test")
    page = soup_of(client.get("/equipe/"))
    assert role_forms(page) == {
        "d@bondy.test": True,
        "d2@bondy.test": True,
        "agent@bondy.test": True,
    }

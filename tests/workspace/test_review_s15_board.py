"""Review of the board (conseil d'administration) by a CCAS director, after the March 2026
municipal elections: the renewal flagged (CASF R123-10) and done in one form, past boards read
with their ends, the board exported and printed, and its history kept from agents.

New names are imported inside the tests, so that each test fails on its own assertion against
the code before these fixes rather than all at once on an import."""

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.journal.models import JournalEntry
from tenants.workspace.models import BoardMandate, BoardMember
from tests.conftest import make_person, member_client
from tests.workspace.conftest import Category, Seat, make_board, seat
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

RENEWED_ON = date(2026, 4, 20)  # the new board's installation, after the March 2026 elections


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response) -> str:
    return soup_of(response).get_text(" ", strip=True)


def renewed_board(member) -> BoardMandate:
    """A board installed after the March 2026 elections: 2026-2032, from RENEWED_ON."""
    mandate = make_board(member)
    with schema_context(member.schema_name):
        mandate.label, mandate.start = "2026-2032", RENEWED_ON
        mandate.save()
        mandate.members.update(start=RENEWED_ON)
    return mandate


def past_and_current(member) -> tuple[BoardMandate, BoardMandate]:
    """Bondy's demo history: 2014-2020 (ended 30 June 2020; one member left in January 2018),
    then 2020-2026 running, started before the March 2026 elections."""
    with schema_context(member.schema_name):
        old = BoardMandate.objects.create(
            label="2014-2020", start=date(2014, 4, 5), end=date(2020, 6, 30)
        )
        BoardMember.objects.bulk_create(
            [
                seat(old, "Ancien", "Maire", Seat.PRESIDENT, start=date(2014, 4, 5)),
                seat(
                    old,
                    "Paule",
                    "Partie",
                    Seat.ELECTED,
                    start=date(2014, 4, 5),
                    end=date(2018, 1, 31),
                ),
                seat(
                    old, "Ana", "Ancienne", Seat.APPOINTED, Category.FAMILY, start=date(2014, 4, 5)
                ),
            ]
        )
    current = make_board(member)
    return old, current


# --- 1. The board is flagged for renewal after the municipal elections ----------------------


def test_the_municipal_election_calendar_gives_the_renewal_deadline():
    from tenants.workspace import compliance

    elections = compliance.MUNICIPAL_ELECTIONS
    assert [e.first_round for e in elections] == [
        date(2008, 3, 9),
        date(2014, 3, 23),
        date(2020, 3, 15),
        date(2026, 3, 15),
    ]
    assert compliance.NEXT_MUNICIPAL_ELECTION_YEAR == 2032
    last = compliance.last_municipal_election(date(2026, 12, 2))
    assert last.rounds == "des 15 et 22 mars 2026"
    assert (
        compliance.last_municipal_election(date(2020, 5, 1)).rounds == "des 15 mars et 28 juin 2020"
    )
    # Installed by the Sunday after the last round (CGCT L2121-7), the board two months later.
    assert last.installed_by == date(2026, 3, 29) and last.board_due == date(2026, 5, 29)
    assert compliance.last_municipal_election(date(2026, 3, 14)).year == 2020
    assert compliance.last_municipal_election(date(2008, 3, 8)) is None
    assert compliance.next_mandate_label(date(2026, 12, 2)) == "2026-2032"
    assert compliance.next_mandate_label(date(2021, 1, 1)) == "2020-2026"
    assert compliance.add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)


def test_a_board_installed_before_the_elections_must_be_renewed_on_every_page(two_members):
    bondy, montreuil = two_members
    old_board = make_board(bondy)  # 2020-2026, from 1 July 2020: before March 2026
    new_board = renewed_board(montreuil)  # renewed in April 2026
    assert old_board.pk == new_board.pk  # the collision: each host judges its own board
    b = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    today = timezone.localdate()

    board = soup_of(b.get("/conseil/"))
    assert "à renouveler" in board.find("h1").find_next("p").get_text()
    notice = board.find(class_="renewal-due")
    assert notice is not None
    text = notice.get_text(" ", strip=True)
    assert (
        "La mandature 2020-2026 a commencé le 1er juillet 2020, avant les élections "
        "municipales des 15 et 22 mars 2026." in text
    )
    assert "dans les deux mois suivant l'installation du conseil municipal (CASF R123-10)" in text
    assert "au plus tard le 29 mai 2026" in text
    assert ("Délai dépassé" in text) == (today > date(2026, 5, 29))
    assert "Le maire, président de droit, a pu changer" in text
    assert notice.find("a", href="/conseil/renouveler/").get_text() == "Renouveler le conseil"

    home = soup_of(b.get("/"))
    card = home.find("section", attrs={"aria-labelledby": "conseil"})
    assert "à renouveler" in card.get_text()
    assert "au plus tard le 29 mai 2026" in card.find(class_="renewal-due").get_text(
        " ", strip=True
    )

    # Montreuil renewed its board in April: nothing to say, on either page.
    m = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    for path in ("/conseil/", "/"):
        page = m.get(path).content.decode()
        assert "renewal-due" not in page and "à renouveler" not in page, path


def test_the_renewal_is_due_only_on_the_latest_board(bondy):
    from tenants.workspace.compliance import renewal_due, term_warnings

    december = date(2026, 12, 2)
    old, current = past_and_current(bondy)
    with schema_context(bondy.schema_name):
        assert not term_warnings(old, december)  # history followed by another board
        assert term_warnings(current, december).renewal.election.year == 2026
        # Closed before the new board was entered: still to be renewed.
        current.end = date(2026, 4, 19)
        current.save()
        assert term_warnings(current, december).renewal is not None
        assert renewal_due(current, december).overdue
        # In April, before the deadline: how long is left.
        assert renewal_due(current, date(2026, 4, 1)).when == "dans 58 jours"
        # Before the first round of 2026, the 2020 board was the right one.
        assert renewal_due(current, date(2026, 3, 14)) is None
        # A new board entered, even one that starts later: the renewal is planned.
        BoardMandate.objects.create(label="2026-2032", start=date(2027, 1, 10))
        assert renewal_due(current, december) is None


# --- 2. « Renouveler le conseil » ----------------------------------------------------------


def test_renewing_the_board_closes_the_old_mandate_and_carries_the_reappointed(two_members):
    bondy, montreuil = two_members
    mandate = make_board(bondy)
    other = make_board(montreuil)
    assert mandate.pk == other.pk
    director = make_person(bondy, "dir@bondy.test")
    client = member_client(bondy, director)
    with schema_context(bondy.schema_name):
        seats = {s.last_name: s for s in mandate.members.all()}
    kept = [seats["Maire"], seats["Conseil0"], seats["Asso0"]]

    form = soup_of(client.get("/conseil/renouveler/"))
    assert form.find("input", attrs={"name": "label"})["value"] == "2026-2032"
    boxes = form.find_all("input", attrs={"name": "reappointed"})
    assert len(boxes) == 9 and not any(box.has_attr("checked") for box in boxes)
    labels = {label.get_text(" ", strip=True) for label in form.select("fieldset label")}
    assert "Nommé0 Asso0 – nommé(e) par le maire, Associations familiales (UDAF)" in labels
    assert "Élu0 Conseil0 – élu(e) du conseil municipal, vice-président(e)" in labels

    response = client.post(
        "/conseil/renouveler/",
        {
            "label": "2026-2032",
            "start": "2026-04-20",
            "end": "",
            "reappointed": [str(s.pk) for s in kept],
        },
        follow=True,
    )
    with schema_context(bondy.schema_name):
        old = BoardMandate.objects.get(label="2020-2026")
        new = BoardMandate.objects.get(label="2026-2032")
        copies = list(new.members.all())
        assert old.end == date(2026, 4, 19) and (new.start, new.end) == (RENEWED_ON, None)
        assert old.members.count() == 9  # nobody erased: the old board stays as history
        assert [
            (c.full_name, c.seat, c.is_vice_president, c.category, c.association) for c in copies
        ] == [
            ("Stéphane Maire", Seat.PRESIDENT, False, "", ""),
            ("Élu0 Conseil0", Seat.ELECTED, True, "", ""),
            ("Nommé0 Asso0", Seat.APPOINTED, False, Category.FAMILY, "Association Asso0"),
        ]
        assert all((c.start, c.end) == (RENEWED_ON, None) for c in copies)
    assert response.redirect_chain[-1][0] == f"/conseil/mandats/{new.pk}/"
    message = text_of(response)
    assert (
        "Conseil renouvelé : mandature 2026-2032 ouverte le 20 avril 2026, mandature "
        "2020-2026 close le 19 avril 2026 ; 3 membres reconduits." in message
    )
    # The board page now shows the new board, and no longer asks for a renewal.
    board = client.get("/conseil/").content.decode()
    assert "mandature 2026-2032" in board and "renewal-due" not in board
    # The old board's members read as having left with it.
    assert (
        "du 01/07/2020 au 19/04/2026" in client.get(f"/conseil/mandats/{old.pk}/").content.decode()
    )
    # Audited: who and when in the union's trail, what it names in the member's own journal.
    public = AuditEntry.objects.get(action="board.renewed")
    assert (public.actor, public.member) == (director, bondy)
    with schema_context(bondy.schema_name):
        renewed = JournalEntry.objects.get(action="board.renewed")
        assert (renewed.actor_id, renewed.target) == (director.pk, "2026-2032")
        assert renewed.details["previous"] == "2020-2026"
        assert renewed.details["closed_on"] == "2026-04-19"
        assert renewed.details["reappointed"] == ["Stéphane Maire", "Élu0 Conseil0", "Nommé0 Asso0"]
        assert JournalEntry.objects.filter(action="board.member_added").count() == 3
        assert JournalEntry.objects.filter(action="board.mandate_changed").count() == 1
    # Montreuil, same ids: untouched.
    with schema_context(montreuil.schema_name):
        assert list(BoardMandate.objects.values_list("label", "end")) == [("2020-2026", None)]
        assert BoardMember.objects.count() == 9


def test_a_refused_renewal_writes_nothing(bondy, clients):
    mandate = make_board(bondy)
    with schema_context(bondy.schema_name):
        # Entered on the old board after the new one was installed: it would not fit in the old
        # mandate once closed, so the renewal is refused as a whole.
        late = seat(mandate, "Tardive", "Arrivée", Seat.ELECTED, start=date(2026, 6, 1))
        late.save()
        maire = mandate.members.get(last_name="Maire")
    client = clients["director"]

    def renew(**data):
        values = {"label": "2026-2032", "start": "2026-04-20", "end": "", "reappointed": [maire.pk]}
        return client.post("/conseil/renouveler/", {**values, **data})

    refused = renew()
    assert refused.status_code == 200
    page = soup_of(refused)
    assert page.title.get_text().startswith("Erreur – Renouveler le conseil")
    error = page.find(id="id_start_error").get_text(" ", strip=True)
    assert "La mandature 2020-2026 serait close le 19 avril 2026" in error
    assert "Tardive Arrivée" in error
    assert page.find("input", attrs={"name": "label"})["value"] == "2026-2032"  # kept
    too_early = soup_of(renew(start="2019-01-01")).find(id="id_start_error").get_text()
    assert "après le début de la mandature 2020-2026" in too_early
    same_label = soup_of(renew(label="2020 – 2026", start="2026-07-01"))
    assert "porte déjà ce nom" in same_label.find(id="id_label_error").get_text()
    with schema_context(bondy.schema_name):
        assert list(BoardMandate.objects.values_list("label", "end")) == [("2020-2026", None)]
        assert BoardMember.objects.count() == 10
    assert not AuditEntry.objects.filter(action__startswith="board.").exists()
    with schema_context(bondy.schema_name):
        assert not JournalEntry.objects.exists()


def test_only_the_director_renews_the_board(bondy, clients):
    make_board(bondy)
    data = {"label": "2026-2032", "start": "2026-04-20"}
    for role in ("agent", "viewer"):
        client = clients[role]
        assert client.get("/conseil/renouveler/").status_code == 403, role
        assert client.post("/conseil/renouveler/", data).status_code == 403, role
        for path in ("/conseil/", "/"):
            assert "/conseil/renouveler/" not in client.get(path).content.decode(), (role, path)
    assert "/conseil/renouveler/" in clients["director"].get("/conseil/").content.decode()
    with schema_context(bondy.schema_name):
        assert BoardMandate.objects.count() == 1


# --- 3. Past boards read with their ends -----------------------------------------------------


def test_a_past_board_shows_when_each_member_left_and_names_its_mandate(bondy, clients):
    old, current = past_and_current(bondy)
    page = soup_of(clients["viewer"].get(f"/conseil/mandats/{old.pk}/"))
    assert page.title.get_text().startswith("Conseil d'administration – mandature 2014-2020")
    assert page.h1.get_text() == "Conseil d'administration – mandature 2014-2020"
    rows = {
        row.th.get_text(" ", strip=True): row.find_all("td")[2].get_text(" ", strip=True)
        for row in page.select("table tbody tr")
    }
    assert rows["Ancien Maire"] == "du 05/04/2014 au 30/06/2020"
    assert rows["Ana Ancienne"] == "du 05/04/2014 au 30/06/2020"
    assert rows["Paule Partie"] == "du 05/04/2014 au 31/01/2018 parti(e) avant la fin"
    current_page = soup_of(clients["viewer"].get("/conseil/"))
    assert current_page.title.get_text().startswith(
        "Conseil d'administration – mandature 2020-2026"
    )
    maire = current_page.find("th", string=re.compile("Stéphane Maire")).parent
    assert maire.find_all("td")[2].get_text(strip=True) == "depuis le 01/07/2020"


# --- 4. The board exported and printed ------------------------------------------------------


def test_the_board_is_exported_as_xlsx_and_csv_and_read_back(two_members):
    bondy, montreuil = two_members
    old, current = past_and_current(bondy)
    make_board(montreuil)
    with schema_context(montreuil.schema_name):
        BoardMember.objects.filter(last_name="Maire").update(first_name="Montreuillois")
    # An agent: « lecture seule » exports it without the addresses (test_board_contacts_s39).
    agent = member_client(bondy, make_person(bondy, "agent@bondy.test", "agent"))

    board = soup_of(agent.get("/conseil/"))
    assert board.find("a", href=f"/conseil/mandats/{current.pk}/export.xlsx") is not None
    assert board.find("a", href=f"/conseil/mandats/{current.pk}/export.csv") is not None

    response = agent.get(f"/conseil/mandats/{old.pk}/export.xlsx")
    assert response.status_code == 200
    assert "conseil-administration-bondy-2014-2020.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == (
        "CCAS de Bondy – Conseil d'administration, mandature 2014-2020 (du 05/04/2014 au 30/06/2020)"
    )
    assert values[1] == [
        "Nom",
        "Prénom",
        "Qualité",
        "Fonction",
        "Association",
        "Catégorie d'association",
        "Début du mandat",
        "Fin du mandat",
        "Adresse électronique",
        "Adresse postale",
        "Code postal",
        "Commune",
    ]
    assert values[2] == [
        "Maire",
        "Ancien",
        "Maire, président(e) de droit",
        "Président(e)",
        None,
        None,
        datetime(2014, 4, 5),
        datetime(2020, 6, 30),
        None,
        None,
        None,
        None,
    ]
    assert values[3][:4] == ["Partie", "Paule", "Élu(e) par le conseil municipal", "Membre"]
    assert values[3][7] == datetime(2018, 1, 31)  # her own end, not the mandate's
    assert values[4][:6] == [
        "Ancienne",
        "Ana",
        "Nommé(e) par le maire",
        "Membre",
        "Association Ancienne",
        "Associations familiales (UDAF)",
    ]
    assert sheet["G3"].number_format == "DD/MM/YYYY"

    # The current board, from /conseil/ (no id needed), as CSV for French Excel.
    response = agent.get("/conseil/export.csv")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Nom", "Prénom", "Qualité", "Fonction"]
    assert rows[1] == [
        "Maire",
        "Stéphane",
        "Maire, président(e) de droit",
        "Président(e)",
        "",
        "",
        "01/07/2020",
        "",
        "",
        "",
        "",
        "",
    ]
    assert rows[2][:4] == [
        "Conseil0",
        "Élu0",
        "Élu(e) par le conseil municipal",
        "Vice-président(e)",
    ]
    assert len(rows) == 10
    assert "Montreuillois" not in response.content.decode("utf-8-sig")
    # Montreuil's own export: its first mandate has the id of Bondy's 2014-2020 one.
    m = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    other = m.get(f"/conseil/mandats/{old.pk}/export.csv").content.decode("utf-8-sig")
    assert "Montreuillois" in other and "Ancien" not in other and "2014" not in other
    assert m.get(f"/conseil/mandats/{current.pk}/export.csv").status_code == 404


def test_printing_the_board_leaves_out_navigation_and_actions(bondy, clients):
    css = Path(settings.BASE_DIR, "union/static/css/maillage.css").read_text()
    match = re.search(r"@media print \{(.*)\n\}", css, re.DOTALL)
    assert match is not None
    rules = match.group(1)
    hidden = re.search(r"\n\s*([^{}]*)\{ display: none !important; \}", rules).group(1)
    for selector in (
        ".site-header nav",
        ".site-footer",
        ".skip-link",
        ".no-print",
        ".actions",
        "button",
        ".button",
    ):
        assert selector in hidden, selector
    assert "table.with-actions tr > :last-child" in rules
    make_board(bondy)
    page = soup_of(clients["director"].get("/conseil/"))
    assert "with-actions" in page.find("table")["class"]
    for href in ("/conseil/renouveler/", "/conseil/mandats/ajouter/"):
        assert page.find("a", href=href).find_parent(class_="no-print") is not None, href
    export = page.find("a", href=re.compile(r"export\.xlsx$"))
    assert export.find_parent(class_="no-print") is not None


# --- 5. An agent cannot erase or rewrite the board's history --------------------------------


def test_deleting_seats_and_changing_past_boards_are_the_directors(bondy, clients):
    old, current = past_and_current(bondy)
    with schema_context(bondy.schema_name):
        past_seat = old.members.get(last_name="Partie")
        current_seat = current.members.get(last_name="Asso0")
        empty_past = BoardMandate.objects.create(
            label="2008-2014", start=date(2008, 4, 1), end=date(2014, 3, 31)
        )
    agent, director = clients["agent"], clients["director"]
    refused = [
        f"/conseil/membres/{past_seat.pk}/supprimer/",
        f"/conseil/membres/{current_seat.pk}/supprimer/",
        f"/conseil/mandats/{old.pk}/modifier/",
        f"/conseil/mandats/{old.pk}/ajouter/",
        f"/conseil/membres/{past_seat.pk}/",
        f"/conseil/mandats/{empty_past.pk}/supprimer/",
    ]
    for path in refused:
        assert agent.get(path).status_code == 403, path
        assert agent.post(path, {"label": "x", "start": "2014-04-05"}).status_code == 403, path
    with schema_context(bondy.schema_name):
        assert BoardMember.objects.filter(pk__in=[past_seat.pk, current_seat.pk]).count() == 2
        old.refresh_from_db()
        assert (old.label, old.end) == ("2014-2020", date(2020, 6, 30))
        assert BoardMandate.objects.filter(pk=empty_past.pk).exists()
    # The running board stays the agent's to keep up to date.
    assert agent.get(f"/conseil/membres/{current_seat.pk}/").status_code == 200
    # The mandature's dates are the direction's, as the renewal (session 31).
    assert agent.get(f"/conseil/mandats/{current.pk}/modifier/").status_code == 403
    # And the links say so: no « Supprimer » for an agent, nothing to change on a past board.
    page = agent.get("/conseil/").content.decode()
    assert f'/conseil/membres/{current_seat.pk}/"' in page
    assert "/supprimer/" not in page
    past_page = agent.get(f"/conseil/mandats/{old.pk}/").content.decode()
    assert "/modifier/" not in past_page and "/supprimer/" not in past_page
    assert f"/conseil/membres/{past_seat.pk}/" not in past_page
    assert "Ajouter un membre" not in past_page
    # The director may still correct history, and delete an entry made by mistake.
    for path in refused:
        assert director.get(path).status_code == 200, path
    assert (
        f"/conseil/membres/{past_seat.pk}/supprimer/"
        in director.get(f"/conseil/mandats/{old.pk}/").content.decode()
    )
    assert director.post(f"/conseil/membres/{past_seat.pk}/supprimer/").status_code == 302
    with schema_context(bondy.schema_name):
        assert not BoardMember.objects.filter(pk=past_seat.pk).exists()

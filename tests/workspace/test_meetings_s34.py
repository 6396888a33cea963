"""The board's séances (CASF R123-16 to R123-18): a director enters a séance, its agenda and who
attended; the page says whether the quorum was reached (a proxy votes but does not count), the
convocation's delay, the quarters without a séance, and prints the sheet to sign. The ABS
report presented at a séance ends the reminder of R123-1."""

import io
from datetime import date
from html import unescape

import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context
from pypdf import PdfReader

from tenants.journal.models import JournalEntry
from tenants.models import Membership
from tenants.workspace.meetings import quarters_without_meeting
from tenants.workspace.models import BoardMeeting, BoardMember, MeetingAttendance
from tests.conftest import make_person, member_client, plain
from tests.workspace.conftest import make_board
from tests.workspace.test_abs_report_s33 import in_2027  # noqa: F401 – a fixture

pytestmark = pytest.mark.django_db

P = MeetingAttendance.Presence


def text_of(response) -> str:
    return plain(unescape(BeautifulSoup(response.content.decode(), "html.parser").get_text(" ")))


def board_pks(member) -> list[int]:
    """The pks of `member`'s board (make_board: a maire, 4 élus, 4 nommés), board order."""
    with schema_context(member.schema_name):
        return list(BoardMember.objects.values_list("pk", flat=True))


def meeting_post(pks, presences: dict[int, str], proxies: dict[int, int] | None = None, **extra):
    data = {
        "date": "2026-10-06",
        "time": "18:30",
        "place": "Salle du conseil",
        "convened_on": "2026-09-29",
        "agenda": "Budget supplémentaire\nAides facultatives : règlement",
        "notes": "",
        **extra,
    }
    for index, pk in enumerate(pks):
        data[f"presence_{pk}"] = presences.get(index, "")
        holder = (proxies or {}).get(index)
        data[f"proxy_{pk}"] = str(pks[holder]) if holder is not None else ""
    return data


@pytest.fixture
def director(bondy):
    make_board(bondy)
    return member_client(bondy, make_person(bondy, "dir@bondy.test"))


def test_the_quorum_counts_the_members_present_and_a_proxy_only_votes(bondy, director):
    pks = board_pks(bondy)
    # 4 present of 9 in office, a fifth represented: 5 may vote, but the quorum (5) is missed.
    presences = {0: P.PRESENT, 1: P.PRESENT, 2: P.PRESENT, 3: P.PRESENT, 4: P.PROXY}
    presences |= {5: P.EXCUSED, 6: P.ABSENT, 7: P.ABSENT, 8: P.EXCUSED}
    response = director.post(
        "/conseil/seances/ajouter/", meeting_post(pks, presences, {4: 0}), follow=True
    )
    page = text_of(response)
    assert (
        "Quorum non atteint : 4 membres présents sur 9 en exercice, 1 représenté par un "
        "pouvoir, il en fallait 5." in page
    )
    with schema_context(bondy.schema_name):
        meeting = BoardMeeting.objects.get()
        assert meeting.agenda_items == ["Budget supplémentaire", "Aides facultatives : règlement"]
        assert MeetingAttendance.objects.get(presence=P.PROXY).proxy_holder_id == pks[0]
    # One more present: reached.
    presences[5] = P.PRESENT
    director.post(f"/conseil/seances/{meeting.pk}/modifier/", meeting_post(pks, presences, {4: 0}))
    page = text_of(director.get(f"/conseil/seances/{meeting.pk}/"))
    assert (
        "Quorum atteint : 5 membres présents sur 9 en exercice, 1 représenté par un pouvoir "
        "(il en faut 5)." in page
    )
    assert "Séance du mardi 6 octobre 2026 à 18 h 30" in page
    listing = text_of(director.get("/conseil/seances/"))
    assert "quorum atteint" in listing and "Budget supplémentaire et 1 autre point" in listing
    actions = set(JournalEntry.objects.values_list("action", flat=True))
    assert {"board.meeting_recorded", "board.meeting_changed"} <= actions


def test_unentered_presences_that_could_still_reach_the_quorum_are_said_so(bondy, director):
    pks = board_pks(bondy)
    director.post("/conseil/seances/ajouter/", meeting_post(pks, {0: P.PRESENT, 1: P.PRESENT}))
    with schema_context(bondy.schema_name):
        pk = BoardMeeting.objects.get().pk
    page = text_of(director.get(f"/conseil/seances/{pk}/"))
    assert (
        "Présences à compléter : 2 membres présents sur 9 en exercice ; le quorum est de 5 "
        "présents, 7 présences restent à saisir." in page
    )


def test_a_proxy_goes_to_a_member_present_who_holds_one_only_and_nothing_is_saved_otherwise(
    bondy, director
):
    pks = board_pks(bondy)
    presences = {0: P.PRESENT, 1: P.PROXY, 2: P.PROXY, 3: P.EXCUSED, 4: P.PROXY}
    # Élu 1 and élu 2 both give their proxy to the maire; nommé 0 gives his to someone excused.
    response = director.post(
        "/conseil/seances/ajouter/", meeting_post(pks, presences, {1: 0, 2: 0, 4: 3})
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Rien n'est enregistré" in page
    assert (
        "Stéphane Maire porte déjà le pouvoir de Élu0 Conseil0 : un administrateur ne porte "
        "qu'un seul pouvoir (CASF R123-16 à R123-18)." in page
    )
    assert "Élu2 Conseil2 n'est pas indiqué(e) présent(e)" in page
    with schema_context(bondy.schema_name):
        assert not BoardMeeting.objects.exists()
    # What was typed is kept: the agenda and each choice.
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert "Budget supplémentaire" in soup.find("textarea", {"name": "agenda"}).text
    chosen = soup.find("select", {"name": f"proxy_{pks[2]}"}).find("option", selected=True)
    assert chosen["value"] == str(pks[0])


def test_a_board_convened_again_deliberates_whatever_the_number_and_a_late_convocation_is_flagged(
    bondy, director
):
    pks = board_pks(bondy)
    # The séance without quorum it follows (every presence entered; session 46: required).
    lacking = {index: P.PRESENT if index < 2 else P.ABSENT for index in range(len(pks))}
    director.post(
        "/conseil/seances/ajouter/",
        meeting_post(pks, lacking, date="2026-09-29", convened_on="2026-09-22"),
    )
    director.post(
        "/conseil/seances/ajouter/",
        meeting_post(pks, {0: P.PRESENT, 1: P.PRESENT}, reconvened="on", convened_on="2026-10-04"),
    )
    with schema_context(bondy.schema_name):
        pk = BoardMeeting.objects.get(reconvened=True).pk
    page = text_of(director.get(f"/conseil/seances/{pk}/"))
    assert (
        "Nouvelle convocation faute de quorum : le conseil délibère quel que soit le nombre "
        "de présents (2 membres présents sur 9 en exercice)." in page
    )
    assert (
        "Convocation adressée 2 jours avant : elle doit l'être 3 jours au moins avant la "
        "séance, avec l'ordre du jour" in page
    )


def test_a_seance_on_a_day_without_a_board_is_refused_in_french(bondy, director):
    pks = board_pks(bondy)
    response = director.post(
        "/conseil/seances/ajouter/", meeting_post(pks, {}, date="2019-01-10", convened_on="")
    )
    assert "Aucun membre du conseil ne siège le 10/01/2019 : saisissez d'abord la mandature" in (
        text_of(response)
    )
    with schema_context(bondy.schema_name):
        assert not BoardMeeting.objects.exists()


def test_quarters_over_without_a_seance_are_named_from_the_first_seance_recorded(bondy):
    with schema_context(bondy.schema_name):
        meetings = [BoardMeeting(date=date(2026, 2, 10)), BoardMeeting(date=date(2026, 9, 30))]
    missing = quarters_without_meeting(meetings, today=date(2026, 12, 4))
    # Nothing of 2025 (before the first séance recorded), nor of the quarter still running.
    assert [q.label for q in missing] == ["2e trimestre 2026"]
    assert quarters_without_meeting([], today=date(2026, 12, 4)) == []


def test_the_sheet_to_sign_lists_the_members_in_office(bondy, director):
    pks = board_pks(bondy)
    director.post("/conseil/seances/ajouter/", meeting_post(pks, {}))
    with schema_context(bondy.schema_name):
        pk = BoardMeeting.objects.get().pk
    response = director.get(f"/conseil/seances/{pk}/feuille-de-presence.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "feuille-de-presence-" in response["Content-Disposition"]
    text = plain(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages))
    assert "Feuille de présence du conseil d'administration" in text
    assert "Séance du mardi 6 octobre 2026 à 18 h 30 – Salle du conseil" in text
    assert "Stéphane Maire" in text and "Nommé3 Asso3" in text
    assert "9 membres en exercice ; le conseil délibère valablement si 5 au moins" in text


@pytest.mark.usefixtures("in_2027")
def test_the_abs_report_presented_at_a_seance_ends_the_reminder_of_that_member_only(two_members):
    bondy, montreuil = two_members
    for member in two_members:
        make_board(member)  # same primary keys in both schemas
    director = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    pks = board_pks(bondy)
    director.post(
        "/conseil/seances/ajouter/",
        meeting_post(pks, {}, date="2027-01-20", convened_on="2027-01-12", abs_report="on"),
    )
    for path in ("/", "/conseil/", "/abs/", "/conseil/seances/"):
        page = text_of(director.get(path))
        assert (
            "Le rapport d'analyse des besoins sociaux qui suit les élections municipales des "
            "15 et 22 mars 2026 a été présenté au conseil d'administration le 20 janvier 2027 "
            "(CASF R123-1)." in page
        ), path
        assert "au cours de 2027" not in page, path
    other = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    assert "au cours de 2027, l'année civile qui suit" in text_of(other.get("/"))


def test_one_member_never_sees_anothers_seances_whose_keys_collide(two_members):
    bondy, montreuil = two_members
    for member in two_members:
        make_board(member)
    clients = {}
    for member, agenda in ((bondy, "Secret de Bondy"), (montreuil, "Ordre de Montreuil")):
        clients[member.slug] = member_client(member, make_person(member, f"d@{member.slug}.test"))
        clients[member.slug].post(
            "/conseil/seances/ajouter/", meeting_post(board_pks(member), {}, agenda=agenda)
        )
    with schema_context(bondy.schema_name):
        bondy_pk = BoardMeeting.objects.get().pk
    with schema_context(montreuil.schema_name):
        assert BoardMeeting.objects.get().pk == bondy_pk  # the keys collide
    seen = text_of(clients[montreuil.slug].get(f"/conseil/seances/{bondy_pk}/"))
    assert "Ordre de Montreuil" in seen and "Secret de Bondy" not in seen
    assert "Secret de Bondy" not in text_of(clients[montreuil.slug].get("/conseil/seances/"))
    # A board member of Bondy cannot be given to Montreuil's séance either: Montreuil's own
    # members are the form's, and its quorum counts its own board.
    sheet = clients[montreuil.slug].get(f"/conseil/seances/{bondy_pk}/feuille-de-presence.pdf")
    assert sheet.status_code == 200


def test_readers_read_agents_enter_and_only_the_direction_deletes(bondy):
    make_board(bondy)
    pks = board_pks(bondy)
    viewer = member_client(bondy, make_person(bondy, "v@bondy.test", Membership.Role.VIEWER))
    agent = member_client(bondy, make_person(bondy, "a@bondy.test", Membership.Role.AGENT))
    assert viewer.post("/conseil/seances/ajouter/", meeting_post(pks, {})).status_code == 403
    assert agent.post("/conseil/seances/ajouter/", meeting_post(pks, {})).status_code == 302
    with schema_context(bondy.schema_name):
        pk = BoardMeeting.objects.get().pk
    assert "Séance du mardi 6 octobre 2026" in text_of(viewer.get(f"/conseil/seances/{pk}/"))
    assert agent.post(f"/conseil/seances/{pk}/supprimer/").status_code == 403
    director = member_client(bondy, make_person(bondy, "d@bondy.test"))
    assert "Cette suppression est définitive" in text_of(
        director.get(f"/conseil/seances/{pk}/supprimer/")
    )
    assert director.post(f"/conseil/seances/{pk}/supprimer/").status_code == 302
    with schema_context(bondy.schema_name):
        assert not BoardMeeting.objects.exists() and not MeetingAttendance.objects.exists()


def test_a_seance_changed_since_the_form_was_opened_is_not_overwritten(bondy, director):
    pks = board_pks(bondy)
    director.post("/conseil/seances/ajouter/", meeting_post(pks, {0: P.PRESENT}))
    with schema_context(bondy.schema_name):
        pk = BoardMeeting.objects.get().pk
    form = BeautifulSoup(
        director.get(f"/conseil/seances/{pk}/modifier/").content.decode(), "html.parser"
    )
    version = form.find("input", {"name": "saved_version"})["value"]
    # A colleague marks the maire excused meanwhile.
    director.post(f"/conseil/seances/{pk}/modifier/", meeting_post(pks, {0: P.EXCUSED}))
    stale = director.post(
        f"/conseil/seances/{pk}/modifier/",
        meeting_post(pks, {0: P.PRESENT, 1: P.PRESENT}, saved_version=version),
    )
    assert "Cette fiche a été modifiée par quelqu'un d'autre" in text_of(stale)
    with schema_context(bondy.schema_name):
        assert MeetingAttendance.objects.get().presence == P.EXCUSED


def test_the_archive_of_a_member_holds_its_seances_and_presences_only(two_members):
    import csv
    import zipfile

    bondy, montreuil = two_members
    clients = {}
    for member, agenda in ((bondy, "Secret de Bondy"), (montreuil, "Ordre de Montreuil")):
        make_board(member)
        clients[member.slug] = member_client(member, make_person(member, f"d@{member.slug}.test"))
        pks = board_pks(member)
        clients[member.slug].post(
            "/conseil/seances/ajouter/",
            meeting_post(pks, {0: P.PRESENT, 1: P.PROXY}, {1: 0}, agenda=agenda),
        )
    response = clients[montreuil.slug].get("/donnees/archive.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    seances = archive.read("conseil/seances.csv").decode("utf-8-sig")
    assert "Ordre de Montreuil" in seances and "Secret de Bondy" not in seances
    rows = list(csv.reader(io.StringIO(seances), delimiter=";"))
    assert rows[1][:4] == ["06/10/2026", "18:30", "", "Salle du conseil"]  # no end time typed
    assert rows[1][8].startswith("Présences à compléter")
    presences = list(
        csv.reader(
            io.StringIO(archive.read("conseil/presences.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert presences[1:] == [
        ["06/10/2026", "Stéphane Maire", "Présent(e)", ""],
        ["06/10/2026", "Élu0 Conseil0", "Représenté(e) (pouvoir donné)", "Stéphane Maire"],
    ]


def test_the_api_lists_a_members_own_seances_with_their_quorum(two_members):
    bondy, montreuil = two_members
    clients = {}
    for member, agenda in ((bondy, "Secret de Bondy"), (montreuil, "Ordre de Montreuil")):
        make_board(member)
        clients[member.slug] = member_client(member, make_person(member, f"d@{member.slug}.test"))
        presences = {i: P.PRESENT for i in range(5)} | {5: P.PROXY}
        clients[member.slug].post(
            "/conseil/seances/ajouter/",
            meeting_post(board_pks(member), presences, {5: 0}, agenda=agenda),
        )
    listed = clients[montreuil.slug].get("/api/v1/board/meetings/").json()
    assert [m["agenda"] for m in listed] == [["Ordre de Montreuil"]]
    quorum = listed[0]["quorum"]
    assert (quorum["present"], quorum["represented"], quorum["needed"]) == (5, 1, 5)
    assert quorum["reached"] is True and listed[0]["time"] == "18:30"
    assert {"presence": "proxy", "proxy_holder": board_pks(montreuil)[0]}.items() <= (
        listed[0]["attendance"][5].items()
    )

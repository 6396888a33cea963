"""« Télécharger toutes nos données » (session 17): the archive of a member's space, read back
with zipfile, csv and openpyxl; the direction only; two members whose ids collide never share a
row or a file; a suspended space gives nothing, a departed one gives its direction
DEPARTURE_ARCHIVE_DAYS days; the departure's e-mail and the union's pages say so."""

import csv
import io
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from abs_shared.local.importer import read_observations
from abs_shared.local.services import save_observation, validate_observations
from abs_shared.models import Indicator, ValueStatus
from seminars.models import Registration
from seminars.services import register_person
from tenants.journal.models import JournalEntry
from tenants.models import MemberCCAS, Membership
from tenants.services import set_member_status
from tenants.workspace import activity
from tenants.workspace.archive import DEPARTURE_ARCHIVE_DAYS
from tenants.workspace.models import (
    ActivityFigure,
    BoardMandate,
    BoardMember,
    Document,
    Service,
)
from tenants.workspace.services import get_profile, set_profile_publication, update_profile
from tests.conftest import PASSWORD, host_client, make_person, member_client
from tests.seminars.conftest import make_seminar, person
from tests.workspace.conftest import add_figures, make_board
from union import roles
from union.formats import long_date
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
Role = Membership.Role


def upload(client, title: str, content: bytes, category: str = "autres", name: str = "p.pdf"):
    response = client.post(
        "/documents/",
        {"title": title, "file": SimpleUploadedFile(name, content), "category": category},
    )
    assert response.status_code == 302, response.content.decode()[:500]


def download(client) -> tuple:
    response = client.get("/donnees/archive.zip")
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def rows(archive: zipfile.ZipFile, path: str) -> list[list[str]]:
    raw = archive.read(path)
    assert raw.startswith("\ufeff".encode()), f"{path}: UTF-8 with a BOM, as the exports"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content.decode(), "html.parser").get_text(" ").split())


def fill_space(member, director) -> None:
    """Something of every kind in `member`'s space, entered through the pages where it is quick
    (documents, publication), through the services otherwise."""
    client = member_client(member, director)
    with schema_context(member.schema_name):
        update_profile(
            member,
            {"address": "1 place de la Mairie", "phone": "01 48 50 00 00", "email": "ccas@test.fr"},
            [{"kind": Service.Kind.EPICERIE, "description": "Ouverte le mardi"}],
            actor=director,
        )
        set_profile_publication(member, name=True, services=False, contact=True, actor=director)
        past = BoardMandate.objects.create(
            label="2014-2020", start=date(2014, 4, 5), end=date(2020, 6, 30)
        )
        BoardMember.objects.create(
            mandate=past,
            first_name="Ancien",
            last_name="Élu",
            seat=BoardMember.Seat.ELECTED,
            start=date(2014, 4, 5),
        )
    make_board(member)
    add_figures(
        member,
        (2024, "Accueil", "Personnes reçues à l'accueil", 1200, None),
        (2025, "Accueil", "Personnes reçues à l'accueil", 1350, Decimal("1234.50")),
    )
    save_observation(
        member,
        indicator=Indicator.objects.get(code="TP60"),
        year=2021,
        status=ValueStatus.VALUE,
        value=Decimal("26.5"),
        source="INSEE, RP 2021",
        actor=director,
    )
    save_observation(
        member,
        indicator=Indicator.objects.get(code="CHOM"),
        year=2021,
        status=ValueStatus.SECRET,
        value=None,
        source="INSEE",
    )
    validate_observations(member, year=2021, indicators=["CHOM"], actor=director)
    upload(client, "PV du conseil", PDF + b"1", "conseil")
    upload(client, "PV du conseil", PDF + b"2", "conseil")  # same title: two files all the same
    upload(client, "Budget 2026", PDF + b"budget", "budget", "budget.pdf")


def test_a_director_downloads_everything_the_space_holds_and_reads_it_back(
    bondy, django_capture_on_commit_callbacks
):
    director = make_person(bondy, "direction@bondy.test")
    make_person(bondy, "agent@bondy.test", Role.AGENT)
    fill_space(bondy, director)
    seminar = make_seminar("Rencontre seniors")
    with django_capture_on_commit_callbacks(execute=True):
        register_person(
            seminar, person(1, nom="Inscrite"), source=Registration.Source.MEMBER, member=bondy
        )
        register_person(seminar, person(2, nom="Seule"))  # of Bondy, registered by herself
    client = member_client(bondy, director)

    page = client.get("/donnees/")
    assert page.status_code == 200
    soup = BeautifulSoup(page.content.decode(), "html.parser")
    assert soup.h1.get_text() == "Toutes nos données"
    assert soup.find("a", href="/donnees/archive.zip").get_text() == (
        "Télécharger toutes nos données (ZIP)"
    )

    response, archive = download(client)
    today = timezone.localdate()
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="maillage-bondy-{today.isoformat()}.zip"'
    )
    assert response["Cache-Control"] == "private, no-store"
    names = set(archive.namelist())
    assert {
        "LISEZ-MOI.txt",
        "profil/fiche-identite.csv",
        "profil/services.csv",
        "conseil/mandatures.csv",
        "conseil/conseil-administration-bondy-2014-2020.csv",
        "conseil/conseil-administration-bondy-2014-2020.xlsx",
        "conseil/conseil-administration-bondy-2020-2026.csv",
        "conseil/conseil-administration-bondy-2020-2026.xlsx",
        "conseil/seances.csv",
        "conseil/presences.csv",
        "conseil/convocations.csv",
        "activite/chiffres-toutes-annees.csv",
        "activite/rapport-activite-bondy-2024.csv",
        "activite/rapport-activite-bondy-2024.xlsx",
        "activite/rapport-activite-bondy-2025.csv",
        "activite/rapport-activite-bondy-2025.xlsx",
        "abs/indicateurs-abs.csv",
        "documents/index.csv",
        "documents/conseil/PV du conseil.pdf",
        "documents/conseil/PV du conseil (2).pdf",
        "documents/budget/Budget 2026.pdf",
        "equipe/equipe.csv",
        "journal/journal.csv",
        "evenements/inscriptions.csv",
    } == names

    # The documents' files, byte for byte, and their index.
    with schema_context(bondy.schema_name):
        first, second = Document.objects.filter(title="PV du conseil").order_by("pk")
        first_bytes, second_bytes = first.file.read(), second.file.read()
    index = rows(archive, "documents/index.csv")
    assert index[0][:5] == [
        "Titre",
        "Catégorie",
        "Date du document",
        "Description",
        "Fichier dans l'archive",
    ]
    by_path = {row[4]: row for row in index[1:]}
    for path, content in (
        ("documents/conseil/PV du conseil.pdf", first_bytes),
        ("documents/conseil/PV du conseil (2).pdf", second_bytes),
    ):
        assert archive.read(path) == content
        assert by_path[path][1] == "Conseil d'administration (délibérations, procès-verbaux)"
        assert by_path[path][7] == "direction@bondy.test"  # who uploaded it
        assert by_path[path][6] == str(len(content))
    assert archive.read("documents/budget/Budget 2026.pdf") == PDF + b"budget"

    identity = dict(row for row in rows(archive, "profil/fiche-identite.csv")[1:])
    assert identity["Nom dans l'union"] == "CCAS de Bondy"
    assert identity["Commune"] == "Bondy (93010)"
    assert identity["Téléphone"] == "01 48 50 00 00"
    assert identity["Annuaire des membres : nom publié"] == "oui"
    assert identity["Annuaire des membres : services publiés"] == "non"
    assert rows(archive, "profil/services.csv")[1] == ["Épicerie sociale", "", "Ouverte le mardi"]

    mandates = rows(archive, "conseil/mandatures.csv")
    assert [row[:4] for row in mandates[1:]] == [
        ["2014-2020", "05/04/2014", "30/06/2020", "1"],
        ["2020-2026", "01/07/2020", "", "9"],
    ]
    past = rows(archive, "conseil/conseil-administration-bondy-2014-2020.csv")
    assert past[1][:2] == ["Élu", "Ancien"] and past[1][6:8] == ["05/04/2014", "30/06/2020"]
    workbook = load_workbook(
        io.BytesIO(archive.read("conseil/conseil-administration-bondy-2020-2026.xlsx"))
    )
    names_in_sheet = [row[0] for row in workbook.active.iter_rows(min_row=3, values_only=True)]
    assert "Maire" in names_in_sheet and len(names_in_sheet) == 9

    figures = rows(archive, "activite/chiffres-toutes-annees.csv")
    assert figures == [
        ["année", "pôle", "catégorie", "nombre", "montant"],
        ["2024", "Accueil", "Personnes reçues à l'accueil", "1200", ""],
        ["2025", "Accueil", "Personnes reçues à l'accueil", "1350", "1234,50"],
    ]
    report = rows(archive, "activite/rapport-activite-bondy-2025.csv")
    assert report[0][2:4] == ["Nombre 2025", "Nombre 2024"]
    assert ["Accueil", "Personnes reçues à l'accueil", "1350", "1200"] == report[1][:4]
    report_book = load_workbook(
        io.BytesIO(archive.read("activite/rapport-activite-bondy-2024.xlsx"))
    )
    assert report_book.active.title == "Activité 2024"

    observations = {row[0]: row for row in rows(archive, "abs/indicateurs-abs.csv")[1:]}
    assert observations["TP60"][1:7] == ["2021", "26,5", "", "", "INSEE, RP 2021", ""]
    assert observations["TP60"][9:11] == ["Brouillon", "non publiée"]
    assert observations["TP60"][11] == "direction@bondy.test"
    assert observations["CHOM"][2] == "s"
    assert observations["CHOM"][9] == "Validée" and observations["CHOM"][13] == (
        "direction@bondy.test"
    )

    team = rows(archive, "equipe/equipe.csv")
    assert team[0] == [
        "Prénom",
        "Nom",
        "Adresse électronique",
        "Rôle",
        "Accès depuis le",
        "Dernière connexion",
        "Compte",
    ]
    assert {(row[2], row[3]) for row in team[1:]} == {
        ("direction@bondy.test", "Directeur ou directrice"),
        ("agent@bondy.test", "Agent"),
    }

    journal = rows(archive, "journal/journal.csv")
    assert journal[0] == ["Date", "Personne", "Modification", "Code", "Objet", "Détails"]
    assert ["Document déposé", "document.added", "Budget 2026"] in [row[2:5] for row in journal]
    assert "Profil modifié" in [row[2] for row in journal]

    registrations = rows(archive, "evenements/inscriptions.csv")
    assert [(row[0], row[2], row[8]) for row in registrations[1:]] == [
        ("Rencontre seniors", "Inscrite", "Confirmée")
    ]

    # No password, nor its hash, anywhere.
    user_hash = get_user_model().objects.get(email="direction@bondy.test").password
    for name in archive.namelist():
        content = archive.read(name)
        assert PASSWORD.encode() not in content and user_hash.encode() not in content

    readme = archive.read("LISEZ-MOI.txt").decode("utf-8-sig")
    assert readme.startswith("Archive des données de l'espace « CCAS de Bondy »")
    assert "bondy.localhost" in readme
    assert f"Préparée le {long_date(today, weekday=False)} à " in readme
    assert "à la demande de direction@bondy.test" in readme
    for path in names - {"LISEZ-MOI.txt"}:
        if not path.startswith("documents/") or path == "documents/index.csv":
            assert f"- {path} : " in readme, path
    assert "documents/<catégorie>/" in readme and "Documents : 3 fichiers copiés." in readme
    assert "UTF-8 (avec BOM), séparateur point-virgule" in readme
    assert "aucun mot de passe" in readme

    # The download is told in the member's journal, whole, and in the union's trail, bare.
    with schema_context(bondy.schema_name):
        entry = JournalEntry.objects.get(action="archive.downloaded")
        assert entry.target == f"maillage-bondy-{today.isoformat()}.zip"
        assert entry.actor_id == director.pk and entry.details["documents"] == 3
    union_line = AuditEntry.objects.get(action="archive.downloaded", member=bondy)
    assert (union_line.target, union_line.details) == ("", {})
    journal_page = text_of(client.get("/journal/?type=donnees"))
    assert "Archive de toutes les données téléchargée" in journal_page
    assert "Document déposé" not in journal_page


def test_the_archive_files_import_back_as_they_are(bondy, montreuil):
    """Réversibilité: the activity figures and the ABS values go back in with the importers."""
    director = make_person(bondy, "direction@bondy.test")
    fill_space(bondy, director)
    _response, archive = download(member_client(bondy, director))
    content = archive.read("activite/chiffres-toutes-annees.csv")
    parsed, errors = activity.parse_activity_file("chiffres-toutes-annees.csv", content)
    assert errors == []
    assert [(row.year, row.count, row.amount) for row in parsed] == [
        (2024, 1200, None),
        (2025, 1350, Decimal("1234.50")),
    ]
    abs_file = SimpleUploadedFile("indicateurs-abs.csv", archive.read("abs/indicateurs-abs.csv"))
    observations = read_observations(abs_file, montreuil.commune_id)
    assert {(o.indicator.code, o.year, o.status, o.value, o.source) for o in observations} == {
        ("TP60", 2021, ValueStatus.VALUE, Decimal("26.5"), "INSEE, RP 2021"),
        ("CHOM", 2021, ValueStatus.SECRET, None, "INSEE"),
    }


def test_only_the_direction_downloads_the_archive(bondy):
    people = {
        role: make_person(bondy, f"{role}@bondy.test", role)
        for role in (Role.DIRECTOR, Role.AGENT, Role.VIEWER)
    }
    for role in (Role.AGENT, Role.VIEWER):
        client = member_client(bondy, people[role])
        assert client.get("/donnees/").status_code == 403
        assert client.get("/donnees/archive.zip").status_code == 403
        assert 'href="/donnees/"' not in client.get("/equipe/").content.decode()
    team = member_client(bondy, people[Role.DIRECTOR]).get("/equipe/")
    link = BeautifulSoup(team.content.decode(), "html.parser").find("a", href="/donnees/")
    assert link.get_text() == "Toutes nos données"
    assert "archive ZIP" in link.parent.get_text()
    assert member_client(bondy).get("/donnees/archive.zip").status_code == 302  # to sign in
    with schema_context(bondy.schema_name):
        assert not JournalEntry.objects.filter(action="archive.downloaded").exists()


def test_two_members_whose_ids_collide_never_share_their_archives(two_members):
    bondy, montreuil = two_members
    directors = {}
    for member in two_members:
        directors[member.slug] = director = make_person(member, f"direction@{member.slug}.test")
        make_board(member)
        add_figures(member, (2025, "Accueil", f"Accueil de {member.slug}", 10, None))
        upload(
            member_client(member, director), f"Note de {member.slug}", PDF + member.slug.encode()
        )
    with schema_context(bondy.schema_name):
        ids = (
            Document.objects.get().pk,
            ActivityFigure.objects.get().pk,
            BoardMember.objects.order_by("pk").first().pk,
        )
    with schema_context(montreuil.schema_name):
        BoardMember.objects.filter(last_name="Maire").update(last_name="Maire-Montreuil")
        assert ids == (
            Document.objects.get().pk,
            ActivityFigure.objects.get().pk,
            BoardMember.objects.order_by("pk").first().pk,
        )
    for own, other in (("bondy", "montreuil"), ("montreuil", "bondy")):
        member = bondy if own == "bondy" else montreuil
        _response, archive = download(member_client(member, directors[own]))
        everything = b"".join(archive.read(name) for name in archive.namelist())
        assert f"Note de {own}".encode() in everything
        assert f"Note de {other}".encode() not in everything
        assert f"Accueil de {other}".encode() not in everything
        assert f"direction@{other}.test".encode() not in everything
        assert archive.read(f"documents/autres/Note de {own}.pdf") == PDF + own.encode()
        assert not [name for name in archive.namelist() if other in name]
        board = rows(archive, f"conseil/conseil-administration-{own}-2020-2026.csv")
        last_names = {row[0] for row in board[1:]}
        assert ("Maire-Montreuil" in last_names) == (own == "montreuil")
    # Someone of one member never downloads the other's.
    assert (
        member_client(bondy, directors["montreuil"]).get("/donnees/archive.zip").status_code == 403
    )


def test_a_document_whose_file_is_lost_is_listed_not_fatal(bondy):
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    upload(client, "Perdu", PDF)
    upload(client, "Gardé", PDF + b"ok")
    with schema_context(bondy.schema_name):
        lost = Document.objects.get(title="Perdu")
        lost.file.storage.delete(lost.file.name)
    _response, archive = download(client)
    index = {row[0]: row for row in rows(archive, "documents/index.csv")[1:]}
    assert index["Perdu"][4] == "(fichier introuvable dans le stockage de l'espace)"
    assert index["Gardé"][4] == "documents/autres/Gardé.pdf"
    readme = archive.read("LISEZ-MOI.txt").decode("utf-8-sig")
    assert "1 document dont le fichier est introuvable" in readme and "Perdu" in readme


# --- A member that is suspended or leaves ------------------------------------------------------


@pytest.fixture
def admin():
    user = get_user_model().objects.create_user("admin@union.test", "admin@union.test", PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return host_client("localhost", user)


def set_status(member: MemberCCAS, status: str) -> None:
    """The union changes a member's status from the portal, on the public schema (a request to
    the member's host leaves the test's connection on the member's)."""
    connection.set_schema_to_public()
    set_member_status(member, status)


def move_departure(member: MemberCCAS, days_ago: int) -> None:
    AuditEntry.objects.filter(member=member, action="member.status", details__after="left").update(
        at=timezone.now() - timedelta(days=days_ago)
    )


def test_a_suspended_space_gives_nothing_and_a_departed_one_gives_its_archive_for_a_while(bondy):
    director = make_person(bondy, "direction@bondy.test")
    agent = make_person(bondy, "agent@bondy.test", Role.AGENT)
    client, agent_client = member_client(bondy, director), member_client(bondy, agent)

    set_status(bondy, MemberCCAS.Status.SUSPENDED)
    for path in ("/donnees/", "/donnees/archive.zip", "/connexion/"):
        refused = client.get(path)
        assert refused.status_code == 403 and "Cet espace est suspendu" in text_of(refused)
    assert "/donnees/" not in client.get("/").content.decode()

    set_status(bondy, MemberCCAS.Status.ACTIVE)
    set_status(bondy, MemberCCAS.Status.LEFT)
    until = timezone.localdate() + timedelta(days=DEPARTURE_ARCHIVE_DAYS)
    closed = client.get("/")
    assert closed.status_code == 403
    assert f"Jusqu'au {long_date(until, weekday=False)} inclus, sa direction peut encore" in (
        text_of(closed)
    )
    assert BeautifulSoup(closed.content.decode(), "html.parser").find("a", href="/donnees/")
    for path in ("/conseil/", "/equipe/", "/documents/", "/journal/", "/api/v1/profile/"):
        assert client.get(path).status_code == 403, path  # everything else stays closed
    page = client.get("/donnees/")
    assert page.status_code == 200
    assert "CCAS de Bondy a quitté l'union : l'espace est fermé." in text_of(page)
    download(client)
    assert agent_client.get("/donnees/").status_code == 403
    assert agent_client.get("/donnees/archive.zip").status_code == 403
    anonymous = member_client(bondy)
    assert anonymous.get("/donnees/")["Location"] == "/connexion/?next=/donnees/"
    signed_in = anonymous.post(
        "/connexion/?next=/donnees/", {"username": "direction@bondy.test", "password": PASSWORD}
    )
    assert signed_in["Location"] == "/donnees/"

    move_departure(bondy, DEPARTURE_ARCHIVE_DAYS)  # its last day: still open
    download(client)
    move_departure(bondy, DEPARTURE_ARCHIVE_DAYS + 1)
    assert client.get("/donnees/archive.zip").status_code == 403
    assert client.get("/connexion/").status_code == 403
    assert "/donnees/" not in client.get("/").content.decode()

    # A departure the union's trail does not date (set outside the admin): no way in.
    set_status(bondy, MemberCCAS.Status.ACTIVE)
    MemberCCAS.objects.filter(pk=bondy.pk).update(status=MemberCCAS.Status.LEFT)
    AuditEntry.objects.filter(member=bondy, action="member.status").delete()
    assert client.get("/donnees/archive.zip").status_code == 403


def test_the_departure_e_mail_and_the_union_pages_say_how_to_get_the_data_back(
    bondy, admin, django_capture_on_commit_callbacks, mailoutbox
):
    make_person(bondy, "direction@bondy.test")
    suspension = text_of(admin.get(f"/admin/membres/{bondy.pk}/statut/?status=suspended"))
    assert "pendant la suspension, personne n'entre dans l'espace" in suspension
    assert f"sa direction aura {DEPARTURE_ARCHIVE_DAYS} jours pour télécharger" in suspension
    confirm = text_of(admin.get(f"/admin/membres/{bondy.pk}/statut/?status=left"))
    assert f"pendant {DEPARTURE_ARCHIVE_DAYS} jours après le départ, jusqu'au " in confirm
    assert (
        "inclus, sa direction pourra encore se connecter pour télécharger en une archive ZIP "
        "toutes les données de l'espace"
    ) in confirm
    assert "L'union n'entre pas dans l'espace" in confirm

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/membres/{bondy.pk}/statut/", {"status": "left", "confirmed": "1"})
    (message,) = mailoutbox
    until = long_date(timezone.localdate() + timedelta(days=DEPARTURE_ARCHIVE_DAYS), weekday=False)
    body = " ".join(message.body.split())
    assert f"jusqu'au {until} inclus, la direction peut encore se connecter" in body
    assert "http://bondy.localhost/donnees/" in body
    member_page = text_of(admin.get(f"/admin/membres/{bondy.pk}/"))
    assert f"télécharger l'archive de toutes les données de l'espace, jusqu'au {until} inclus" in (
        member_page
    )
    move_departure(bondy, DEPARTURE_ARCHIVE_DAYS + 1)
    assert "le délai pour télécharger l'archive de l'espace a pris fin" in text_of(
        admin.get(f"/admin/membres/{bondy.pk}/")
    )

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        set_status(bondy, MemberCCAS.Status.ACTIVE)
        set_status(bondy, MemberCCAS.Status.SUSPENDED)
    suspended_mail = " ".join(mailoutbox[-1].body.split())
    assert "la direction peut à tout moment les télécharger en une archive ZIP" in suspended_mail
    assert re.search(r"aura encore \d+ jours après le départ", suspended_mail)


def test_the_archive_is_built_on_the_members_own_schema_only(bondy, montreuil):
    """The builder refuses a connection on another schema: a task or command that forgot
    tenant_context cannot put one member's rows in another's archive."""
    from tenants.workspace.archive import WrongSchema, build_member_archive

    with schema_context(montreuil.schema_name), pytest.raises(WrongSchema):
        build_member_archive(bondy, io.BytesIO())
    with schema_context(bondy.schema_name):
        get_profile(bondy)
        buffer = io.BytesIO()
        summary = build_member_archive(bondy, buffer)
    assert summary.name.startswith("maillage-bondy-")
    assert "LISEZ-MOI.txt" in zipfile.ZipFile(buffer).namelist()

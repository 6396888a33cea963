"""Presence per atelier (seventeenth session, issue 4): « Présent(e) à l'atelier » on the door list
and the scan page, the per-atelier door view, the attestations, the atelier's attendance sheets,
the year report (ateliers attended, training hours) and the staff API; and the registrants' phone
number (forms, personal page, import, API, exports, retention).

Real HTTP through the test client as an organiser, real PostgreSQL, real files."""

import csv
import html
import io
import json
from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from seminars.attendance import atelier_counts, presences_by_atelier, set_atelier_presence
from seminars.check_in import check_in_code
from seminars.exports import export_attendance, registrations_workbook
from seminars.importer import import_registrations
from seminars.links import manage_path, page_path
from seminars.models import AtelierPresence, Registration, SeminarPage
from seminars.phones import INVALID_PHONE, normalise_phone
from seminars.retention import apply_retention
from seminars.services import RegistrationError, register_person, set_check_in
from tests.conftest import make_person, member_client
from tests.seminars.conftest import form_data, make_seminar, person
from union.models import AuditEntry
from union.spreadsheets import ImportRejected

pytestmark = pytest.mark.django_db
CONFIRMED, WAITLISTED = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED


def base(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def today_event(title: str = "Journée des élus", **fields) -> SeminarPage:
    """Started an hour ago, for eight hours; « Budget » runs now (from 30 minutes ago), « Habitat »
    in the afternoon; 3 and 10 seats."""
    fields.setdefault("seats", 50)
    return make_seminar(
        title,
        days_ahead=-1 / 24,
        hours=8,
        ateliers=(("Budget", 0.5, 2, 3), ("Habitat", 5, 2, 10)),
        **fields,
    )


def sheet_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# 1. « Présent(e) à l'atelier » on the organisers' screens ----------------------------------------


def test_marking_someone_at_an_atelier_checks_them_in_and_is_audited(organiser_client):
    seminar = today_event()
    budget, habitat = seminar.ateliers.order_by("starts_at")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[habitat.pk]))
    url = f"{base(seminar)}{zola.pk}/emargement/"

    response = organiser_client.post(
        url,
        {"atelier": str(budget.pk), "present": "1", "query": "accueil=1&atelier=" + str(budget.pk)},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{base(seminar)}?accueil=1&atelier={budget.pk}#r-{zola.pk}"
    zola.refresh_from_db()
    assert zola.checked_in_at is not None  # at the atelier, so at the event
    assert list(zola.atelier_presences.values_list("atelier", flat=True)) == [budget.pk]
    actions = list(
        AuditEntry.objects.filter(details__registration=zola.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == [
        "seminar.registration.check_in",
        "seminar.registration.atelier_check_in",
    ]
    entry = AuditEntry.objects.get(action="seminar.registration.atelier_check_in")
    assert entry.details["atelier"] == budget.pk and entry.actor.email == "orga@union.test"
    message = text(organiser_client.get(response["Location"].split("#")[0]))
    assert (
        "Prénom1 Zola : présent(e) à l'atelier « Budget » (et présence à l'événement émargée)."
        in message
    )

    # Undone: the atelier's presence goes, the event's check-in stays.
    assert (
        organiser_client.post(url, {"atelier": str(budget.pk), "present": "0"}).status_code == 302
    )
    zola.refresh_from_db()
    assert zola.checked_in_at is not None and not zola.atelier_presences.exists()
    assert (
        AuditEntry.objects.filter(action="seminar.registration.atelier_check_in_undone").count()
        == 1
    )


def test_each_row_offers_its_chosen_ateliers_and_the_one_running_now(organiser_client):
    seminar = today_event()
    budget, habitat = seminar.ateliers.order_by("starts_at")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[habitat.pk]))
    abel, _ = register_person(seminar, person(2, nom="Abel"))
    page = soup(organiser_client.get(base(seminar), {"accueil": "1"}))

    def buttons(registration):
        row = page.select_one(f"tr#r-{registration.pk}")
        return [
            (form.select_one("input[name=atelier]")["value"], button.get_text(" ", strip=True))
            for form in row.select(".atelier-marks form")
            for button in form.select("button")
        ]

    # Budget runs now: on every confirmed row; Habitat only where it was chosen.
    assert buttons(zola) == [
        (str(budget.pk), "Présent(e) à l'atelier « Budget » : Prénom1 Zola"),
        (str(habitat.pk), "Présent(e) à l'atelier « Habitat » : Prénom1 Zola"),
    ]
    assert buttons(abel) == [(str(budget.pk), "Présent(e) à l'atelier « Budget » : Prénom2 Abel")]
    assert "(non choisi)" in page.select_one(f"tr#r-{zola.pk} .atelier-marks li").get_text()


def test_someone_waiting_is_confirmed_before_being_marked_at_an_atelier(organiser_client):
    seminar = today_event(seats=1)
    budget = seminar.ateliers.get(title="Budget")
    register_person(seminar, person(1, nom="Zola"))
    roux, _ = register_person(seminar, person(2, nom="Roux"))
    assert roux.status == WAITLISTED
    response = organiser_client.post(
        f"{base(seminar)}{roux.pk}/emargement/",
        {"atelier": str(budget.pk), "present": "1"},
        follow=True,
    )
    assert "Prénom2 Roux n'a pas de place confirmée (liste d'attente)" in text(response)
    assert not AtelierPresence.objects.exists()
    roux.refresh_from_db()
    assert roux.checked_in_at is None


def test_an_atelier_of_another_event_is_refused(organiser_client):
    seminar = today_event()
    other = today_event("Autre journée")
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    with pytest.raises(RegistrationError):
        set_atelier_presence(zola, other.ateliers.first(), True, actor=None)
    response = organiser_client.post(
        f"{base(seminar)}{zola.pk}/emargement/",
        {"atelier": str(other.ateliers.first().pk), "present": "1"},
    )
    assert response.status_code == 404
    assert "Cet atelier n'existe pas ou plus dans cet événement." in text(response)
    assert not AtelierPresence.objects.exists()


def test_an_atelier_check_in_outside_the_event_s_days_asks_first(organiser_client):
    seminar = make_seminar("Journée de janvier", days_ahead=40, ateliers=(("Budget", 1, 2, 10),))
    budget = seminar.ateliers.get()
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]))
    url = f"{base(seminar)}{zola.pk}/emargement/"
    response = organiser_client.post(url, {"atelier": str(budget.pk), "present": "1"})
    assert response.status_code == 200
    assert "n'a pas encore eu lieu" in text(response)
    form = soup(response).select_one(f'form[action="{url}"]')
    posted = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert posted["atelier"] == str(budget.pk) and posted["confirm"] == "1"
    assert not AtelierPresence.objects.exists()

    organiser_client.post(url, {"atelier": str(budget.pk), "present": "1", "confirm": "1"})
    zola.refresh_from_db()
    assert zola.checked_in_at is not None
    assert zola.atelier_presences.get().atelier == budget


def test_the_per_atelier_door_view_counts_its_people_and_seats(organiser_client):
    seminar = today_event()
    budget, habitat = seminar.ateliers.order_by("starts_at")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]))
    register_person(seminar, person(2, nom="Abel", ateliers=[budget.pk]))
    moved, _ = register_person(seminar, person(3, nom="Mover", ateliers=[habitat.pk]))
    register_person(seminar, person(4, nom="Ailleurs", ateliers=[habitat.pk]))
    set_atelier_presence(zola, budget, True, actor=None)
    set_atelier_presence(moved, budget, True, actor=None)  # came to Budget instead

    url = base(seminar)
    response = organiser_client.get(url, {"accueil": "1", "atelier": budget.pk})
    page = " ".join(soup(response).get_text().split())
    assert "Atelier « Budget » : présents 2 / 3 places (2 inscrits confirmés)" in page
    names = [row.contents[0].strip() for row in soup(response).select("tbody th[scope=row]")]
    assert names == ["ABEL Prénom2", "MOVER Prénom3", "ZOLA Prénom1"]
    present = organiser_client.get(
        url, {"accueil": "1", "atelier": budget.pk, "presence": "present"}
    )
    assert [r.contents[0].strip() for r in soup(present).select("tbody th[scope=row]")] == [
        "MOVER Prénom3",
        "ZOLA Prénom1",
    ]
    absent = organiser_client.get(url, {"accueil": "1", "atelier": budget.pk, "presence": "absent"})
    assert [r.contents[0].strip() for r in soup(absent).select("tbody th[scope=row]")] == [
        "ABEL Prénom2"
    ]
    # The desk links to each atelier's view.
    nav = soup(organiser_client.get(url, {"accueil": "1"})).select_one(
        'nav[aria-label="Accueil par atelier"]'
    )
    assert [a.get_text() for a in nav.select("a")] == ["Budget", "Habitat"]


def test_the_scan_page_marks_the_atelier(organiser_client):
    seminar = today_event()
    budget = seminar.ateliers.get(title="Budget")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]))
    scan = f"/admin/inscriptions/emargement/{check_in_code(zola)}/"
    page = soup(organiser_client.get(scan))
    assert "Présence aux ateliers" in [h2.get_text() for h2 in page.select("h2")]
    assert (
        organiser_client.post(scan, {"atelier": str(budget.pk), "present": "1"}).status_code == 302
    )
    zola.refresh_from_db()
    assert zola.checked_in_at is not None and zola.atelier_presences.count() == 1
    assert "présent(e) à" in text(organiser_client.get(scan))


# 2. What the presences change: attestations, sheets, the year report, the API -----------------------


def test_attestations_list_the_ateliers_attended_once_recorded(organiser_client):
    seminar = today_event()
    budget, habitat = seminar.ateliers.order_by("starts_at")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[habitat.pk]))
    abel, _ = register_person(seminar, person(2, nom="Abel", ateliers=[habitat.pk]))
    set_check_in(zola, True)
    set_check_in(abel, True)
    before = pdf_text(organiser_client.get(f"{base(seminar)}{zola.pk}/attestation/").content)
    assert "Ateliers choisis :" in before and "Habitat" in before  # today's wording, unchanged

    set_atelier_presence(zola, budget, True, actor=None)
    after = pdf_text(organiser_client.get(f"{base(seminar)}attestations/").content)
    zola_page, abel_page = after.split("ZOLA")[1], after.split("ABEL")[1].split("ZOLA")[0]
    assert "Ateliers suivis :" in zola_page and "Budget" in zola_page
    assert "Habitat" not in zola_page  # chosen, not attended
    assert "Ateliers" not in abel_page  # attended none: no line, rather than the choice


def test_an_atelier_sheet_gains_a_present_column_the_event_sheet_does_not(tmp_path):
    seminar = today_event()
    budget = seminar.ateliers.get(title="Budget")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]))
    register_person(seminar, person(2, nom="Abel", ateliers=[budget.pk]))
    moved, _ = register_person(seminar, person(3, nom="Mover"))
    set_atelier_presence(zola, budget, True, actor=None)
    set_atelier_presence(moved, budget, True, actor=None)

    def seen(registration) -> str:
        return (
            f"oui, {timezone.localtime(registration.atelier_presences.get().checked_in_at):%H:%M}"
        )

    rows = sheet_rows(export_attendance(seminar, "csv", budget))
    assert rows[0] == ["Nom", "Prénom", "Commune", "Fonction", "Présent(e)", "Signature"]
    assert [(row[0], row[4]) for row in rows[1:]] == [
        ("ABEL", ""),
        ("MOVER", seen(moved)),  # came without having chosen it
        ("ZOLA", seen(zola)),
    ]
    event_rows = sheet_rows(export_attendance(seminar, "csv"))
    assert event_rows[0] == ["Nom", "Prénom", "Commune", "Fonction", "Signature"]

    path = tmp_path / "budget.xlsx"
    path.write_bytes(export_attendance(seminar, "xlsx", budget))
    sheet = load_workbook(path).active
    assert [cell.value for cell in sheet[2]] == [
        "Nom",
        "Prénom",
        "Commune",
        "Fonction",
        "Présent(e)",
        "Signature",
    ]
    assert sheet.print_area == "'Émargement'!$A$1:$F$10"  # three names, five blank lines
    assert sheet.column_dimensions["F"].width >= 30  # room to sign
    pdf = pdf_text(export_attendance(seminar, "pdf", budget))
    assert "Présent(e)" in pdf and "lignes libres" in pdf


def test_before_any_presence_the_atelier_sheet_is_the_paper_one_to_sign(tmp_path):
    seminar = today_event()
    budget = seminar.ateliers.get(title="Budget")
    register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]))
    rows = sheet_rows(export_attendance(seminar, "csv", budget))
    assert rows[0] == ["Nom", "Prénom", "Commune", "Fonction", "Signature"]
    path = tmp_path / "budget.xlsx"
    path.write_bytes(export_attendance(seminar, "xlsx", budget))
    assert load_workbook(path).active.print_area == "'Émargement'!$A$1:$E$8"
    pdf = pdf_text(export_attendance(seminar, "pdf", budget))
    assert "Présent(e)" not in pdf and "lignes libres" in pdf


def test_the_year_report_gives_the_ateliers_attended_and_the_training_hours(organiser_client):
    last_year = timezone.localdate().year - 1
    start = timezone.make_aware(datetime(last_year, 6, 11, 9, 0))
    seminar = make_seminar("Journée de juin", days_ahead=1, ateliers=(("Budget", 1, 2, 10),))
    budget = seminar.ateliers.get()
    shift = start - seminar.start
    SeminarPage.objects.filter(pk=seminar.pk).update(
        start=start, end=seminar.end + shift, attested_duration=timedelta(hours=6, minutes=30)
    )
    budget.starts_at += shift
    budget.ends_at += shift
    budget.save()
    without = make_seminar("Commission de juin", days_ahead=1)
    SeminarPage.objects.filter(pk=without.pk).update(
        start=start + timedelta(days=2), end=start + timedelta(days=2, hours=2)
    )
    seminar.refresh_from_db()
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]))
    abel, _ = register_person(seminar, person(2, nom="Abel"))
    register_person(without, person(3, nom="Roux"))
    set_check_in(zola, True)
    set_check_in(abel, True)
    set_atelier_presence(zola, budget, True, actor=None)

    response = organiser_client.get("/admin/inscriptions/bilan/", {"annee": last_year})
    page = " ".join(text(response).split())
    assert "13 h de formation attestées (hors 1 rencontre sans durée de formation attestée)" in page
    assert "Ateliers suivis : Budget (1 présent)" in page

    xlsx = organiser_client.get(
        "/admin/inscriptions/bilan/", {"annee": last_year, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][10:] == ["Heures de formation", "Ateliers suivis (présents)"]
    june = next(row for row in rows if row[1] == "Journée de juin")
    assert june[10:] == [13, "Budget (1)"]
    commission = next(row for row in rows if row[1] == "Commission de juin")
    assert commission[10] is None and not commission[11]
    total = next(row for row in rows if row[0] == "Total")
    assert total[10] == 13


def test_the_staff_api_gives_each_atelier_s_presence_beside_the_ateliers(organiser_client):
    seminar = today_event()
    budget, habitat = seminar.ateliers.order_by("starts_at")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[habitat.pk]))
    set_atelier_presence(zola, budget, True, actor=None)
    body = organiser_client.get(f"/api/v1/seminars/{seminar.pk}/registrations/").json()
    assert body[0]["ateliers"] == [habitat.pk]  # as it was: the choice
    assert body[0]["ateliers_presence"] == [
        {"id": budget.pk, "present": True},
        {"id": habitat.pk, "present": False},
    ]


# 3. The registrants' phone number -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0612345678", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("+33 (0)1 48 02 00 00", "01 48 02 00 00"),
        ("0033 6 12 34 56 78", "06 12 34 56 78"),
        ("+32 2 123 45 67", "+32 2 123 45 67"),
        ("", ""),
    ],
)
def test_a_phone_number_is_written_as_organisers_dial_it(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12345", "06 12 34 56", "+33 6 12", "appeler la mairie", "0612345678901"]
)
def test_a_malformed_phone_number_is_refused_in_french(typed):
    with pytest.raises(ValidationError) as error:
        normalise_phone(typed)
    assert error.value.messages == [INVALID_PHONE]


def test_the_public_form_takes_a_phone_and_keeps_a_wrong_one_as_typed(portal):
    seminar = make_seminar("Séminaire ouvert")
    response = portal.post(page_path(seminar), form_data(phone="06 12 34 5"))
    assert response.status_code == 400
    field = soup(response).select_one("input[name=phone]")
    assert field["value"] == "06 12 34 5" and field["type"] == "tel"
    assert INVALID_PHONE in text(response)
    assert not Registration.objects.exists()
    assert portal.post(page_path(seminar), form_data(phone="06.12.34.56.78")).status_code == 302
    assert Registration.objects.get().phone == "06 12 34 56 78"


def test_the_personal_page_sets_and_removes_the_phone(portal):
    seminar = make_seminar("Séminaire ouvert")
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    url = manage_path(zola)
    wrong = portal.post(url, {"action": "phone", "phone": "0612"})
    assert wrong.status_code == 400
    assert soup(wrong).select_one("input[name=phone]")["value"] == "0612"
    assert INVALID_PHONE in text(wrong)
    assert portal.post(url, {"action": "phone", "phone": "+33612345678"}).status_code == 302
    zola.refresh_from_db()
    assert zola.phone == "06 12 34 56 78"
    entry = AuditEntry.objects.get(action="seminar.registration.edited")
    assert entry.details["fields"] == ["phone"] and entry.details["by"] == "registrant"
    portal.post(url, {"action": "phone", "phone": ""})
    zola.refresh_from_db()
    assert zola.phone == ""


def test_organisers_add_and_correct_a_phone_and_see_it(organiser_client):
    seminar = make_seminar("Séminaire ouvert")
    data = {"nom": "Zola", "prenom": "Émile", "commune": "Bondy", "fonction": "maire"}
    wrong = organiser_client.post(f"{base(seminar)}ajouter/", data | {"phone": "12"})
    assert wrong.status_code == 400 and INVALID_PHONE in text(wrong)
    assert soup(wrong).select_one("input[name=phone]")["value"] == "12"
    organiser_client.post(f"{base(seminar)}ajouter/", data | {"phone": "0148020000"})
    zola = Registration.objects.get()
    assert zola.phone == "01 48 02 00 00"
    edit = f"{base(seminar)}{zola.pk}/modifier/"
    assert (
        soup(organiser_client.get(edit)).select_one("input[name=phone]")["value"]
        == "01 48 02 00 00"
    )
    organiser_client.post(edit, data | {"phone": "06 12 34 56 78"})
    zola.refresh_from_db()
    assert zola.phone == "06 12 34 56 78"
    assert AuditEntry.objects.filter(action="seminar.registration.edited").last().details[
        "fields"
    ] == ["phone"]
    row = soup(organiser_client.get(base(seminar))).select_one(f"tr#r-{zola.pk}")
    assert row.select_one('a[href="tel:0612345678"]').get_text() == "06 12 34 56 78"


def test_the_import_reads_a_tel_column_and_names_a_wrong_number(tmp_path):
    seminar = make_seminar("Séminaire ouvert")
    good = "Nom;Prénom;Commune;Fonction;Tél.\nZola;Émile;Bondy;Maire;612345678\nAbel;Ana;Pantin;Maire;\n"
    result = import_registrations(seminar, good.encode(), "liste.csv")
    assert result.imported == 2 and result.ignored_columns == []
    assert dict(Registration.objects.values_list("nom", "phone")) == {
        "Zola": "06 12 34 56 78",
        "Abel": "",
    }
    bad = "Nom;Prénom;Commune;Fonction;Téléphone\nRoux;Ana;Bondy;Maire;06 12\n"
    with pytest.raises(ImportRejected) as failure:
        import_registrations(seminar, bad.encode(), "liste.csv")
    issue = failure.value.errors[0].as_dict()
    assert (issue["line"], issue["column"]) == (2, "Téléphone")
    assert issue["message"].startswith("Numéro de téléphone invalide : « 06 12 ».")
    # The same list again without the column keeps the numbers registered.
    import_registrations(
        seminar, "Nom;Prénom;Commune;Fonction\nZola;Émile;Bondy;Maire\n".encode(), "l.csv"
    )
    assert Registration.objects.get(nom="Zola").phone == "06 12 34 56 78"


def test_the_api_takes_and_gives_the_phone(portal, organiser_client):
    seminar = make_seminar("Séminaire ouvert")
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    body = {
        "nom": "Zola",
        "prenom": "Émile",
        "email": "zola@exemple.fr",
        "commune": "Bondy",
        "fonction": "maire",
    }
    wrong = portal.post(url, json.dumps(body | {"phone": "12"}), content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["phone"] == [INVALID_PHONE]
    created = portal.post(
        url, json.dumps(body | {"phone": "+32 2 123 45 67"}), content_type="application/json"
    )
    assert created.status_code == 201
    assert organiser_client.get(url).json()[0]["phone"] == "+32 2 123 45 67"


def test_the_list_export_has_the_phone_the_attendance_sheet_not():
    seminar = make_seminar("Séminaire ouvert")
    data = person(1, nom="Zola")
    data.phone = "06 12 34 56 78"
    zola, _ = register_person(seminar, data)
    sheet = load_workbook(io.BytesIO(registrations_workbook(seminar, [zola]))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][-2] == "Téléphone" and rows[2][-2] == "06 12 34 56 78"
    assert "06 12" not in export_attendance(seminar, "csv").decode("utf-8-sig")


@override_settings(SEMINAR_NEEDS_KEPT_DAYS=1, SEMINAR_PERSONAL_DATA_KEPT_DAYS=30)
def test_an_anonymised_registration_loses_its_phone():
    seminar = make_seminar("Séminaire passé")
    listed, unlisted = person(1), person(2, consent=False)
    listed.phone = unlisted.phone = "06 12 34 56 78"
    register_person(seminar, listed)
    register_person(seminar, unlisted)
    end = timezone.now() - timedelta(days=40)
    SeminarPage.objects.filter(pk=seminar.pk).update(start=end - timedelta(hours=7), end=end)
    assert apply_retention().anonymised == 2
    assert set(Registration.objects.values_list("phone", flat=True)) == {""}


def test_a_member_ccas_sees_no_phone_and_gives_none(two_members):
    """The members' API lists the people of the member's commune without their number, and its
    registration takes none (the person gives it herself, or to the organisers); two members whose
    primary keys collide."""
    bondy, montreuil = two_members
    seminar = make_seminar("Séminaire ouvert")
    of_bondy = person(1, nom="Zola", commune="Bondy")
    of_bondy.phone = "06 12 34 56 78"
    register_person(seminar, of_bondy)
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    listed = client.get("/api/v1/seminars/").json()["results"]
    event = next(e for e in listed if e["id"] == seminar.pk)
    assert [r["nom"] for r in event["registrations"]] == ["Zola"]
    assert "06 12" not in json.dumps(listed)
    response = client.post(
        f"/api/v1/seminars/{seminar.pk}/registrations/",
        json.dumps(
            {"nom": "Durand", "prenom": "Lucie", "fonction": "maire", "phone": "0699999999"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Registration.objects.get(nom="Durand").phone == ""
    other = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))
    other_event = next(
        e for e in other.get("/api/v1/seminars/").json()["results"] if e["id"] == seminar.pk
    )
    assert other_event["registrations"] == []


def test_a_presence_at_an_atelier_stops_counting_when_its_registration_is_cancelled(
    organiser_client,
):
    """s23: someone marked at an atelier and then cancelled still counted in the door view's
    « présents » and the year report's « ateliers suivis »."""
    seminar = today_event()
    budget, _habitat = seminar.ateliers.order_by("starts_at")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]))
    gone, _ = register_person(seminar, person(2, nom="Parti", ateliers=[budget.pk]))
    set_atelier_presence(zola, budget, True, actor=None)
    set_atelier_presence(gone, budget, True, actor=None)
    response = organiser_client.post(f"{base(seminar)}{gone.pk}/annuler/")
    assert response.status_code == 302
    gone.refresh_from_db()
    assert gone.status == Registration.Status.CANCELLED

    assert atelier_counts(budget)["present"] == 1
    assert presences_by_atelier([seminar.pk]) == {seminar.pk: [("Budget", 1)]}
    response = organiser_client.get(base(seminar), {"accueil": "1", "atelier": budget.pk})
    page = " ".join(soup(response).get_text().split())
    assert "Atelier « Budget » : présents 1 / 3 places (1 inscrit confirmé)" in page

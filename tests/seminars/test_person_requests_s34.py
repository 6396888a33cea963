"""Session 34, RGPD art. 15 and 17: the union answers someone registered to its events who asks
what it holds about her (« Demandes des personnes (RGPD) », every registration under one
address, with an export) and asks for it to be erased (« Anonymiser maintenant »)."""

import html
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from seminars.models import Registration, SeminarPage
from seminars.retention import ANONYMISED_NAME
from seminars.services import cancel_registration, lookup_digest, register_person
from tests.conftest import host_client, plain
from tests.seminars.conftest import make_seminar, organiser, person
from union.models import AuditEntry
from union.settings.base import TASK_BACKENDS

pytestmark = pytest.mark.django_db

PAGE = "/admin/inscriptions/personne/"
ERASE = "/admin/inscriptions/personne/anonymiser/"
ADDRESS = "ines.garcia@exemple.fr"


def _held_long_ago(seminar: SeminarPage, days: int = 200) -> None:
    end = timezone.now() - timedelta(days=days)
    SeminarPage.objects.filter(pk=seminar.pk).update(start=end - timedelta(hours=7), end=end)


@pytest.fixture
def ines():
    """Inès registered to three events: one held (she came, she asked for a ramp), one to come
    she cancelled, one to come full where she waits; another person shares nothing with her."""
    held = make_seminar("Journée des élus 2025", ateliers=(("Budget", 1, 2, 10),))
    came, _ = register_person(
        held, person(1, email=ADDRESS, nom="Garcia", ateliers=[held.ateliers.get().pk])
    )
    Registration.objects.filter(pk=came.pk).update(
        needs="Rampe d'accès", checked_in_at=timezone.now()
    )
    _held_long_ago(held)
    cancelled_event = make_seminar("Séminaire petite enfance")
    gone, _ = register_person(cancelled_event, person(1, email=ADDRESS, nom="Garcia"))
    cancel_registration(gone)
    full = make_seminar("Commission logement", seats=1)
    register_person(full, person(7, email="premier@exemple.fr", nom="Premier"))
    waiting, _ = register_person(full, person(1, email=ADDRESS, nom="Garcia"))
    other, _ = register_person(held, person(9, email="autre@exemple.fr", nom="Autre"))
    assert (gone.refresh_from_db(), gone.status) == (None, "cancelled")
    assert waiting.status == "waitlisted"
    return {"came": came, "gone": gone, "waiting": waiting, "other": other, "full": full}


def test_an_organiser_finds_every_registration_of_an_address(ines):
    """Art. 15: past and future events, cancelled and waiting registrations included, the
    address typed in another case; what each holds; and an audit line without the address."""
    client = host_client("localhost", organiser())
    response = client.get(PAGE, {"email": " Ines.GARCIA@exemple.fr "})
    assert response.status_code == 200
    text = html.unescape(plain(response.content.decode()))
    for title in ("Journée des élus 2025", "Séminaire petite enfance", "Commission logement"):
        assert title in text
    assert "3 inscriptions" in text
    assert "Annulée" in text and "Liste d'attente" in text and "Confirmée" in text
    assert "Rampe d'accès" in text and "Budget" in text and "Bondy" in text
    assert "Autre" not in text and "autre@exemple.fr" not in text
    line = AuditEntry.objects.get(action="seminar.person_request.viewed")
    assert line.details["address"] == lookup_digest(ADDRESS)
    assert line.details["found"] == 3
    assert ADDRESS not in str(line.details) + line.target


def test_the_export_gives_the_person_what_the_page_shows(ines):
    client = host_client("localhost", organiser())
    response = client.get(PAGE, {"email": ADDRESS, "format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "Journée des élus 2025" in cells and "Commission logement" in cells
    assert "Rampe d'accès" in cells and ADDRESS in cells
    assert "autre@exemple.fr" not in cells


def test_the_emails_the_queue_keeps_are_listed(ines, settings):
    """With the production queue, the e-mails sent to her registrations are still listed."""
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
    seminar = make_seminar("Forum des solidarités")
    register_person(seminar, person(1, email=ADDRESS, nom="Garcia"))
    assert DBTaskResult.objects.exists()
    response = host_client("localhost", organiser()).get(PAGE, {"email": ADDRESS})
    assert "Inscription confirmée : Forum des solidarités" in html.unescape(
        plain(response.content.decode())
    )


def test_only_organisers_look_an_address_up(ines, two_members):
    from tests.conftest import make_person

    director = make_person(two_members[0], "directrice@bondy.test")
    response = host_client("localhost", director).get(PAGE, {"email": ADDRESS})
    assert response.status_code in (302, 403)
    assert ADDRESS not in response.content.decode()
    assert not AuditEntry.objects.filter(action="seminar.person_request.viewed").exists()


def test_anonymise_now_erases_every_registration_and_frees_the_seat(ines):
    """Art. 17: the confirmation page changes nothing; the POST cancels the registration to come
    (the waiting list moves on), then anonymises all of hers, cancelled ones included, rewrites
    the audit lines that named her, and says what stays."""
    client = host_client("localhost", organiser())
    page = client.get(ERASE, {"email": ADDRESS})
    assert page.status_code == 200
    assert "Anonymiser" in html.unescape(plain(page.content.decode()))
    assert Registration.objects.filter(email=ADDRESS).count() == 3

    full = ines["full"]
    other_waiting, _ = register_person(full, person(8, email="suivante@exemple.fr", nom="Suite"))
    Registration.objects.filter(pk=ines["waiting"].pk).update(status="confirmed")
    Registration.objects.filter(email="premier@exemple.fr").update(status="cancelled")

    response = client.post(ERASE, {"email": ADDRESS}, follow=True)
    assert response.status_code == 200
    said = html.unescape(plain(response.content.decode()))
    assert "3 inscriptions anonymisées" in said
    assert "commune" in said and "fonction" in said

    assert not Registration.objects.filter(email=ADDRESS).exists()
    for key in ("came", "gone", "waiting"):
        row = Registration.objects.get(pk=ines[key].pk)
        assert (row.nom, row.prenom, row.email, row.needs, row.consent) == (
            ANONYMISED_NAME,
            "",
            "",
            "",
            False,
        )
        assert row.anonymised_at is not None
        assert row.commune.nom == "Bondy" and row.fonction == "maire"
    assert Registration.objects.get(pk=ines["waiting"].pk).status == "cancelled"
    # Her seat went to the next one waiting, through the cancellation service.
    assert Registration.objects.get(pk=other_waiting.pk).status == "confirmed"
    assert not AuditEntry.objects.filter(target__contains="Garcia").exists()
    line = AuditEntry.objects.get(action="seminar.person_request.erased")
    assert line.details["address"] == lookup_digest(ADDRESS)
    assert line.details["anonymised"] == 3 and line.details["cancelled"] == 1
    # The other person is untouched.
    assert Registration.objects.get(pk=ines["other"].pk).nom == "Autre"


def test_anonymise_one_registration_only(ines):
    client = host_client("localhost", organiser())
    gone = ines["gone"]
    response = client.post(ERASE, {"email": ADDRESS, "inscription": gone.pk})
    assert response.status_code == 302
    assert Registration.objects.get(pk=gone.pk).nom == ANONYMISED_NAME
    assert Registration.objects.filter(email=ADDRESS).count() == 2


def test_a_registration_of_another_address_is_not_erased(ines):
    client = host_client("localhost", organiser())
    other = ines["other"]
    response = client.post(ERASE, {"email": ADDRESS, "inscription": other.pk})
    assert response.status_code == 404
    assert Registration.objects.get(pk=other.pk).nom == "Autre"

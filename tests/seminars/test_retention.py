"""Retention of registrations' personal data: needs erased, then registrations anonymised."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from seminars.links import page_path
from seminars.models import Evaluation, Registration, SeminarPage
from seminars.retention import ANONYMISED_NAME, apply_retention
from seminars.services import register_person, set_check_in
from tests.seminars.conftest import make_seminar, organiser, person
from tests.seminars.test_proceedings import make_proceedings
from union.formats import describe_days
from union.models import AuditEntry

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _with_needs(data, needs: str):
    data.needs = needs
    return data


def _ended(seminar: SeminarPage, ago: timedelta) -> None:
    end = timezone.now() - ago
    SeminarPage.objects.filter(pk=seminar.pk).update(start=end - timedelta(hours=7), end=end)


def test_needs_go_first_then_names_and_emails_except_the_published_list(portal):
    seminar = make_seminar("Séminaire ABS", seats=2)
    published, _ = register_person(seminar, _with_needs(person(1), "Fauteuil roulant"))
    unlisted, _ = register_person(
        seminar, _with_needs(person(2, consent=False, commune="Montreuil"), "Sans porc")
    )
    waiting, _ = register_person(seminar, person(3, fonction="dgs"))
    assert waiting.status == Registration.Status.WAITLISTED
    staff = organiser()
    set_check_in(unlisted, True, actor=staff)
    # Checked in: since check-in was used, only people checked in are in the published list.
    set_check_in(published, True, actor=staff)
    SeminarPage.objects.filter(pk=seminar.pk).update(seats=3)
    seminar.refresh_from_db()
    absent, _ = register_person(seminar, person(5, commune="Pantin"))
    assert absent.status == Registration.Status.CONFIRMED
    recent = make_seminar("Commission récente")
    kept, _ = register_person(recent, _with_needs(person(4), "Boucle magnétique"))
    make_proceedings(seminar)
    answered = Evaluation.objects.create(
        registration=published,
        overall=5,
        usefulness=4,
        organisation=5,
        best="L'intervention de Mme Durand, maire de Bondy",
        improve="Plus de pauses",
        wishes="La domiciliation",
    )

    _ended(seminar, timedelta(days=40))
    _ended(recent, timedelta(days=10))
    result = apply_retention()
    assert (result.needs_erased, result.anonymised) == (2, 0)
    assert list(Registration.objects.exclude(needs="").values_list("pk", flat=True)) == [kept.pk]
    unlisted.refresh_from_db()
    assert (unlisted.nom, unlisted.email) == ("Nom2", "personne2@exemple.fr")
    answered.refresh_from_db()
    assert answered.improve == "Plus de pauses"

    _ended(seminar, timedelta(days=3 * 365 + 1))
    result = apply_retention()
    assert (result.needs_erased, result.anonymised) == (0, 4)
    rows = {
        r.pk: (r.nom, r.prenom, r.email, r.commune_id, r.fonction, r.status, bool(r.checked_in_at))
        for r in Registration.objects.filter(seminar=seminar)
    }
    assert rows == {
        published.pk: ("Nom1", "Prénom1", "", "93010", "maire", "confirmed", True),
        # Consenting but absent: not in the published list, so not named any more.
        absent.pk: (ANONYMISED_NAME, "", "", "93055", "maire", "confirmed", False),
        unlisted.pk: (ANONYMISED_NAME, "", "", "93048", "maire", "confirmed", True),
        waiting.pk: (ANONYMISED_NAME, "", "", "93010", "dgs", "waitlisted", False),
    }
    assert not Registration.objects.filter(seminar=seminar, anonymised_at__isnull=True).exists()
    # The questionnaire keeps its ratings, not its free texts (the person is still named).
    answered.refresh_from_db()
    assert (answered.overall, answered.usefulness, answered.organisation) == (5, 4, 5)
    assert (answered.best, answered.improve, answered.wishes) == ("", "", "")
    # Nobody is named any more in the audit trail of the check-in.
    check_in = AuditEntry.objects.get(
        action="seminar.registration.check_in", details__registration=unlisted.pk
    )
    assert "Nom2" not in check_in.target and check_in.details["registration"] == unlisted.pk
    # The published list still names who agreed to appear in it.
    proceedings = portal.get(page_path(seminar.get_children().get())).content.decode()
    assert "NOM1" in proceedings and ANONYMISED_NAME.upper() not in proceedings

    # Nothing more is due: a second run changes nothing and writes no audit line.
    audit_lines = AuditEntry.objects.filter(action="seminar.retention").count()
    assert apply_retention() == type(result)(needs_erased=0, anonymised=0)
    assert AuditEntry.objects.filter(action="seminar.retention").count() == audit_lines == 2
    kept.refresh_from_db()
    assert (kept.nom, kept.needs) == ("Nom4", "Boucle magnétique")


@override_settings(SEMINAR_NEEDS_KEPT_DAYS=7, SEMINAR_PERSONAL_DATA_KEPT_DAYS=365)
def test_the_periods_come_from_the_settings_and_the_command_says_what_it_did(portal):
    seminar = make_seminar("Atelier")
    register_person(seminar, _with_needs(person(1, consent=False), "Interprète LSF"))
    _ended(seminar, timedelta(days=8))
    out = io.StringIO()
    call_command("apply_seminar_retention", stdout=out)
    assert out.getvalue().strip() == (
        "Besoins particuliers effacés : 1 inscription(s). Inscriptions anonymisées : 0."
    )
    _ended(seminar, timedelta(days=366))
    out = io.StringIO()
    call_command("apply_seminar_retention", stdout=out)
    assert "Inscriptions anonymisées : 1." in out.getvalue()

    # The registration form and the privacy page state the same periods.
    upcoming = make_seminar("Journée à venir")
    form_page = portal.get(page_path(upcoming)).content.decode()
    assert "effacés 7 jours après l'événement ; au bout de 1 an" in form_page
    assert 'href="/donnees-personnelles/#inscriptions"' in form_page
    privacy = portal.get("/donnees-personnelles/").content.decode()
    assert "effacés 7 jours après la fin de l'événement. Au bout de 1 an" in privacy
    assert "le numéro de téléphone sont effacés 7 jours" in privacy


def test_organisers_see_when_an_events_data_will_be_erased(organiser_client):
    seminar = make_seminar("Journée d'étude")
    seminar.start = datetime(2027, 3, 10, 9, 0, tzinfo=PARIS)
    seminar.end = datetime(2027, 3, 10, 17, 0, tzinfo=PARIS)
    seminar.save()
    page = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    assert (
        "effacement des besoins particuliers le 9 avril 2027 ; anonymisation des inscriptions "
        "le 9 mars 2030"
    ) in page


def test_the_privacy_page_gives_the_contact_or_says_whom_to_write_to(portal):
    page = portal.get("/donnees-personnelles/").content.decode()
    assert "l'adresse de l'organisateur figure sur la page de chaque événement" in page
    assert 'href="/donnees-personnelles/">Données personnelles</a>' in page  # footer
    with override_settings(PRIVACY_CONTACT_EMAIL="dpo@union.test"):
        page = portal.get("/donnees-personnelles/").content.decode()
    assert page.count('href="mailto:dpo@union.test"') == 2
    assert "3 ans" in page and "30 jours" in page


def test_days_are_said_in_years_when_they_make_whole_years():
    assert [describe_days(n) for n in (1, 30, 365, 730, 400)] == [
        "1 jour",
        "30 jours",
        "1 an",
        "2 ans",
        "400 jours",
    ]

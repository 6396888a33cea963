"""Undoing someone's check-in at the event undoes her presences at its ateliers too (eighteenth
session): she was at none of them, and her attestation must not list them."""

import pytest
from django.contrib.auth import get_user_model

from seminars.attendance import set_atelier_presence
from seminars.models import AtelierPresence
from seminars.services import register_person
from tests.seminars.conftest import person
from tests.seminars.test_attendance_s17 import base, text, today_event
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_undoing_the_check_in_undoes_the_atelier_presences_and_says_so(organiser_client):
    seminar = today_event()
    budget, habitat = seminar.ateliers.order_by("starts_at")
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    abel, _ = register_person(seminar, person(2, nom="Abel"))
    organiser = get_user_model().objects.get(email="orga@union.test")
    for atelier in (budget, habitat):
        set_atelier_presence(zola, atelier, True, actor=organiser)
    set_atelier_presence(abel, budget, True, actor=organiser)

    response = organiser_client.post(f"{base(seminar)}{zola.pk}/emargement/", {"present": "0"})
    assert response.status_code == 302
    zola.refresh_from_db()
    assert zola.checked_in_at is None
    assert not AtelierPresence.objects.filter(registration=zola).exists()
    # Only hers: Abel keeps his.
    assert AtelierPresence.objects.filter(registration=abel, atelier=budget).exists()
    message = text(organiser_client.get(response["Location"].split("#")[0]))
    assert (
        "Prénom1 Zola : non émargé(e) (et présences aux ateliers « Budget », « Habitat » annulées)."
        in message
    )
    entry = AuditEntry.objects.get(action="seminar.registration.check_in_undone")
    assert entry.details["ateliers_undone"] == ["Budget", "Habitat"]


def test_undoing_a_check_in_without_atelier_presences_says_nothing_more(organiser_client):
    seminar = today_event()
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    url = f"{base(seminar)}{zola.pk}/emargement/"
    organiser_client.post(url, {"present": "1"})
    response = organiser_client.post(url, {"present": "0"})
    assert "Prénom1 Zola : non émargé(e)." in text(
        organiser_client.get(response["Location"].split("#")[0])
    )

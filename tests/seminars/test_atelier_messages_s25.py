"""The registration's two refusals that name ateliers: two ateliers at the same time, and an
atelier with no seat left. When the event gives one atelier twice (two groups in two rooms at the
same hour, or on two days), a refusal that named the bare title read « « Accès aux droits » et
« Accès aux droits » »: it names each as organisers read it (SeminarPage.atelier_labels), with its
slot, and its room when the slot repeats. Through the public API, as a registrant meets them."""

import pytest

from seminars.models import Atelier
from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def register(client, seminar, **fields):
    body = {
        "nom": "Durand",
        "prenom": "Aline",
        "email": "aline.durand@exemple.fr",
        "commune": "93010",
        "fonction": "maire",
        "consent": False,
        **fields,
    }
    return client.post(
        f"/api/v1/seminars/{seminar.pk}/registrations/", body, content_type="application/json"
    )


def test_two_groups_at_the_same_hour_are_named_by_their_rooms(client):
    seminar = make_seminar(
        "Journée des élus",
        ateliers=(("Accès aux droits", 1, 2, 10), ("Accès aux droits", 1, 2, 10)),
    )
    salle_a, salle_b = seminar.ateliers.order_by("sort_order")
    Atelier.objects.filter(pk=salle_a.pk).update(room="Salle A")
    Atelier.objects.filter(pk=salle_b.pk).update(room="Salle B")

    response = register(client, seminar, ateliers=[salle_a.pk, salle_b.pk])

    assert response.status_code == 400
    (message,) = response.json()["ateliers"]
    first, second = message.split("» et «")
    assert "Salle A" in first and "Salle B" in second, message
    assert message.endswith(f"ont lieu en même temps{NBSP}: choisissez-en un seul.")


def test_a_full_group_is_named_with_its_day(client):
    seminar = make_seminar(
        "Rencontres de printemps",
        hours=32,
        ateliers=(("Accès aux droits", 5, 2, 10), ("Accès aux droits", 29, 2, 1)),
    )
    first_day, next_day = seminar.ateliers.order_by("sort_order")
    register_person(seminar, person(1, ateliers=[next_day.pk]), notify=False)

    response = register(client, seminar, ateliers=[next_day.pk])

    assert response.status_code == 400
    (message,) = response.json()["ateliers"]
    label = seminar.atelier_labels[next_day.pk]
    assert label != seminar.atelier_labels[first_day.pk] and label.startswith("Accès aux droits – ")
    assert message == (
        f"Plus de place dans l'atelier «{NBSP}{label}{NBSP}»{NBSP}: choisissez-en un autre."
    )

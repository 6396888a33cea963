"""Audit A27 (one person, several hats), session 38: an élue registered by her CCAS cancels,
then registers herself on the portal. Her registration is hers again: the CCAS no longer lists it
among those it may withdraw, and her confirmation no longer says « L'équipe du CCAS … vous a
inscrit(e) ». Real PostgreSQL, real HTTP through the portal's form and the member's page."""

import pytest
from django.core import mail

from seminars.links import page_path
from seminars.models import Registration
from seminars.services import cancel_registration, register_person
from tests.conftest import make_person, member_client, plain
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db

Status = Registration.Status
Source = Registration.Source


def _registered_by_bondy(bondy):
    seminar = make_seminar("Atelier début de mandat")
    made, _ = register_person(seminar, person(1), source=Source.MEMBER, member=bondy, notify=False)
    cancel_registration(made)
    return seminar, made


def _public_form(seminar) -> dict:
    p = person(1)
    return {
        "nom": p.nom,
        "prenom": p.prenom,
        "email": p.email,
        "commune": "Bondy",
        "fonction": "maire_adjoint",
        "consent": "",
    }


def test_taken_up_by_the_person_it_is_hers(bondy, portal, django_capture_on_commit_callbacks):
    seminar, made = _registered_by_bondy(bondy)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(page_path(seminar), _public_form(seminar))
    assert response.status_code == 302, plain(response.content.decode())
    made.refresh_from_db()
    assert (made.status, made.source, made.registered_by_id) == (
        Status.CONFIRMED,
        Source.FORM,
        None,
    )
    # Her confirmation says nothing of the CCAS registering her.
    (confirmation,) = [m for m in mail.outbox if made.email in m.to]
    assert "vous a inscrit" not in confirmation.body
    # The CCAS's page no longer offers to withdraw her.
    director = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    refused = director.post(f"/evenements/{seminar.pk}/inscriptions/{made.pk}/desinscrire/")
    assert refused.status_code == 404
    made.refresh_from_db()
    assert made.status == Status.CONFIRMED


def test_taken_up_by_the_union_it_is_no_members(bondy):
    seminar, made = _registered_by_bondy(bondy)
    register_person(seminar, person(1), source=Source.MANUAL, notify=False)
    made.refresh_from_db()
    assert (made.status, made.source, made.registered_by_id) == (
        Status.CONFIRMED,
        Source.MANUAL,
        None,
    )


def test_an_update_that_is_not_a_take_up_keeps_who_made_it(bondy, portal):
    seminar = make_seminar("Atelier début de mandat")
    made, _ = register_person(seminar, person(1), source=Source.MEMBER, member=bondy, notify=False)
    response = portal.post(page_path(seminar), _public_form(seminar))
    assert response.status_code == 302, plain(response.content.decode())
    made.refresh_from_db()
    assert (made.source, made.registered_by_id) == (Source.MEMBER, bondy.pk)

"""Session 32's security audit of events: a member CCAS rewrites only the registrations it made,
and not after the cut-off for changes; « Recevoir un nouveau lien » does not give away the address
of an invitation-only event."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seminars.models import Registration, Visibility
from seminars.services import REGISTERED_BY_OTHERS, TOO_LATE_TO_CHANGE, register_person
from tests.conftest import make_person, member_client
from tests.seminars.conftest import make_seminar, person
from tests.seminars.test_member_registration_api import (
    body,
    post_json,
    registrations_url,
    token_headers,
)
from union.settings.base import TASK_BACKENDS

pytestmark = pytest.mark.django_db

Status = Registration.Status


def _form(**fields) -> dict:
    """The member page's form for Prénom1 Nom1 (tests.seminars.conftest.person(1))."""
    return {
        "nom": "Nom1",
        "prenom": "Prénom1",
        "email": "personne1@exemple.fr",
        "commune": "Montreuil",
        "fonction": "maire",
        **fields,
    }


def _with_atelier():
    seminar = make_seminar("Atelier début de mandat", ateliers=(("Budget", 1, 2, 10),))
    return seminar, seminar.ateliers.get()


def _director(member, email: str):
    return member_client(member, make_person(member, email))


def test_a_member_cannot_rewrite_someone_who_registered_themselves(two_members):
    _bondy, montreuil = two_members
    seminar, atelier = _with_atelier()
    own, _ = register_person(seminar, person(1, ateliers=[atelier.pk]), notify=False)
    client = _director(montreuil, "direction@montreuil.test")

    response = client.post(f"/evenements/{seminar.pk}/inscrire/", _form())
    assert response.status_code == 400
    page = response.content.decode()
    assert REGISTERED_BY_OTHERS.replace("'", "&#x27;") in page
    assert 'value="Montreuil"' in page  # what was typed is kept
    own.refresh_from_db()
    assert (own.commune_id, own.registered_by_id, own.status) == ("93010", None, Status.CONFIRMED)
    assert list(own.ateliers.all()) == [atelier]  # the seat is not given up


def test_over_the_api_either_and_another_members_registration_neither(two_members):
    bondy, montreuil = two_members
    seminar, atelier = _with_atelier()
    # The primary keys of both schemas collide: only registered_by tells them apart.
    assert bondy.pk != montreuil.pk
    made, _ = register_person(
        seminar,
        person(1, ateliers=[atelier.pk]),
        source=Registration.Source.MEMBER,
        member=bondy,
        notify=False,
    )
    make_person(montreuil, "agent@montreuil.test", "agent")
    response = post_json(
        _director(montreuil, "direction@montreuil.test"),
        registrations_url(seminar),
        body(nom="Nom1", prenom="Prénom1", email="personne1@exemple.fr", commune="Montreuil"),
        **token_headers(montreuil, "agent@montreuil.test"),
    )
    assert response.status_code == 400, response.content
    assert response.json()["email"] == [REGISTERED_BY_OTHERS]
    made.refresh_from_db()
    assert (made.commune_id, made.registered_by_id) == ("93010", bondy.pk)
    assert list(made.ateliers.all()) == [atelier]

    # Bondy, who made it, still updates it.
    again = _director(bondy, "direction@bondy.test").post(
        f"/evenements/{seminar.pk}/inscrire/", _form(commune="Bondy", fonction="maire_adjoint")
    )
    assert again.status_code == 302
    made.refresh_from_db()
    assert made.fonction == "maire_adjoint"


def test_after_the_cut_off_a_member_no_longer_rewrites_its_own(bondy):
    seminar, atelier = _with_atelier()
    made, _ = register_person(
        seminar,
        person(1, ateliers=[atelier.pk]),
        source=Registration.Source.MEMBER,
        member=bondy,
        notify=False,
    )
    seminar.changes_until = timezone.now() - timedelta(hours=1)
    seminar.save_revision().publish()
    assert seminar.registration_state() == "open"  # registering is still open, changing is not

    response = _director(bondy, "direction@bondy.test").post(
        f"/evenements/{seminar.pk}/inscrire/", _form(commune="Bondy")
    )
    assert response.status_code == 400
    assert TOO_LATE_TO_CHANGE.replace("'", "&#x27;") in response.content.decode()
    made.refresh_from_db()
    assert list(made.ateliers.all()) == [atelier]


def test_a_cancelled_registration_taken_up_by_a_member_becomes_the_members(bondy):
    seminar, _atelier = _with_atelier()
    own, _ = register_person(seminar, person(1), notify=False)
    Registration.objects.filter(pk=own.pk).update(status=Status.CANCELLED)

    response = _director(bondy, "direction@bondy.test").post(
        f"/evenements/{seminar.pk}/inscrire/", _form(commune="Bondy")
    )
    assert response.status_code == 302
    own.refresh_from_db()
    # So Bondy may withdraw it, as those it registered (member_views.withdrawable_by).
    assert (own.status, own.registered_by_id) == (Status.CONFIRMED, bondy.pk)


def test_a_members_repeated_updates_are_spaced_as_the_public_ones(bondy, settings):
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
    seminar, _atelier = _with_atelier()
    client = _director(bondy, "direction@bondy.test")
    url = f"/evenements/{seminar.pk}/inscrire/"
    assert client.post(url, _form(commune="Bondy")).status_code == 302
    for fonction in ("maire_adjoint", "conseiller_municipal", "maire"):
        assert client.post(url, _form(commune="Bondy", fonction=fonction)).status_code == 302
    rows = DBTaskResult.objects.filter(task_path="seminars.tasks.send_registration_email")
    kinds = [row.args_kwargs["args"][1] for row in rows.order_by("enqueued_at")]
    assert kinds == ["confirmed", "updated", "updated"]  # not one e-mail per submit
    assert rows.order_by("enqueued_at").last().run_after > timezone.now()


@pytest.mark.parametrize("visibility", [Visibility.INVITATION, Visibility.PUBLIC])
def test_a_new_link_for_an_invitation_only_event_does_not_redirect_to_its_page(portal, visibility):
    seminar = make_seminar("Réunion avec la CAF", visibility=visibility)
    url = f"/evenements/{seminar.pk}/nouveau-lien/"
    response = portal.post(url, {"email": "inconnu@exemple.org"})
    assert response.status_code == 302
    if visibility == Visibility.INVITATION:
        assert response["Location"] == url
        assert seminar.slug not in response["Location"]
        followed = portal.get(url).content.decode()
        assert "un lien pour la gérer y est envoyé" in followed
        assert "Réunion avec la CAF" not in followed
    else:
        assert response["Location"].endswith(f"/{seminar.slug}/")

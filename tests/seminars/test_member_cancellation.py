"""A member CCAS unregisters someone it registered, from its dashboard, until the event's cut-off
for changes; never someone who registered themselves, nor another member's registrant."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seminars.models import Registration, SeminarPage
from seminars.services import register_person
from tests.conftest import make_person, member_client
from tests.seminars.conftest import make_seminar, person
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def cancel_url(registration: Registration) -> str:
    return f"/evenements/{registration.seminar_id}/inscriptions/{registration.pk}/desinscrire/"


def by_member(member, seminar, number: int, **fields) -> Registration:
    registration, _created = register_person(
        seminar, person(number, **fields), source=Registration.Source.MEMBER, member=member
    )
    return registration


def test_a_director_unregisters_someone_and_the_first_waiting_gets_the_seat(
    two_members, django_capture_on_commit_callbacks, mailoutbox
):
    bondy, montreuil = two_members
    seminar = make_seminar("Commission seniors", seats=1)
    mine = by_member(bondy, seminar, 1, email="")
    waiting, _ = register_person(seminar, person(2, commune="Montreuil"))
    assert waiting.status == Registration.Status.WAITLISTED
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)

    dashboard = client.get("/").content.decode()
    assert f'href="{cancel_url(mine)}">désinscrire' in dashboard
    page = client.get(cancel_url(mine)).content.decode()
    assert "<h1>Désinscrire Prénom1 Nom1</h1>" in page and "Confirmer la désinscription" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(mine), follow=True)
    assert "Prénom1 Nom1 est désinscrit(e) de « Commission seniors »." in (
        response.content.decode()
    )
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert [message.to for message in mailoutbox] == [["personne2@exemple.fr"]]  # promoted
    assert AuditEntry.objects.get(action="seminar.registration.cancelled").actor == director
    assert cancel_url(mine) not in client.get("/").content.decode()


def test_only_what_the_member_registered_and_only_in_its_own_space(two_members):
    bondy, montreuil = two_members
    seminar = make_seminar()
    self_registered, _ = register_person(seminar, person(1))  # Bondy, by the person herself
    added_by_union, _ = register_person(seminar, person(2), source=Registration.Source.MANUAL)
    bondys = by_member(bondy, seminar, 3)
    montreuils = by_member(montreuil, seminar, 4, commune="Montreuil")
    bondy_client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    montreuil_client = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))

    dashboard = bondy_client.get("/").content.decode()
    assert cancel_url(bondys) in dashboard
    for other in (self_registered, added_by_union, montreuils):
        assert cancel_url(other) not in dashboard
        assert bondy_client.post(cancel_url(other)).status_code == 404
    # Montreuil (its schema's primary keys collide with Bondy's) cannot touch Bondy's registrant.
    assert montreuil_client.get(cancel_url(bondys)).status_code == 404
    assert montreuil_client.post(cancel_url(bondys)).status_code == 404
    assert cancel_url(montreuils) in montreuil_client.get("/").content.decode()
    statuses = set(Registration.objects.values_list("status", flat=True))
    assert statuses == {Registration.Status.CONFIRMED}


def test_viewers_cannot_and_the_cut_off_closes_it(bondy):
    seminar = make_seminar("Séminaire ABS")
    registration = by_member(bondy, seminar, 1)
    viewer = member_client(bondy, make_person(bondy, "lecture@bondy.test", "viewer"))
    assert cancel_url(registration) not in viewer.get("/").content.decode()
    assert viewer.post(cancel_url(registration)).status_code == 403

    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(hours=1), organiser_email="orga@union.test"
    )
    agent = member_client(bondy, make_person(bondy, "agent@bondy.test", "agent"))
    assert cancel_url(registration) not in agent.get("/").content.decode()
    response = agent.post(cancel_url(registration))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Les désinscriptions sont closes depuis le" in page
    assert 'href="mailto:orga@union.test"' in page
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def api_cancel_url(registration: Registration) -> str:
    return f"/api/v1/seminars/{registration.seminar_id}/registrations/{registration.pk}/cancel"


def test_the_api_withdraws_what_the_member_registered_and_nothing_else(
    two_members, django_capture_on_commit_callbacks, mailoutbox
):
    bondy, montreuil = two_members
    seminar = make_seminar("Commission seniors", seats=1)
    mine = by_member(bondy, seminar, 1)
    waiting, _ = register_person(seminar, person(2, commune="Montreuil"))
    self_registered, _ = register_person(seminar, person(3))  # Bondy, by the person herself
    agent = member_client(bondy, make_person(bondy, "agent@bondy.test", "agent"))
    viewer = member_client(bondy, make_person(bondy, "lecture@bondy.test", "viewer"))
    montreuil_client = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))

    assert viewer.post(api_cancel_url(mine)).status_code == 403
    # Montreuil (colliding primary keys) does not find Bondy's registrant.
    refused = montreuil_client.post(api_cancel_url(mine))
    assert refused.status_code == 404 and refused.json()["detail"] == "Inscription introuvable."
    assert agent.post(api_cancel_url(self_registered)).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = agent.post(api_cancel_url(mine))
    assert response.status_code == 200
    assert response.json() == {"id": mine.pk, "status": "cancelled"}
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED  # promoted, and told
    assert ["personne2@exemple.fr"] in [message.to for message in mailoutbox]
    again = agent.post(api_cancel_url(mine))
    assert again.status_code == 200 and again.json()["status"] == "cancelled"
    assert AuditEntry.objects.filter(action="seminar.registration.cancelled").count() == 1

    late = by_member(bondy, seminar, 4)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(minutes=5)
    )
    response = agent.post(api_cancel_url(late))
    assert response.status_code == 400
    assert "Les désinscriptions sont closes" in response.json()["non_field_errors"][0]

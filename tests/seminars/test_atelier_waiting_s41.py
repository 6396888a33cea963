"""A full atelier's own waiting list (« Listes d'attente des ateliers », the personal page).

A confirmed person in atelier B who would rather be in A, full, joins A's waiting list and keeps
B meanwhile. When a seat frees in A, the first confirmed person waiting gets it and leaves B
(the atelier at the same time), which may in turn serve B's own list; she is told by e-mail
with the updated .ics. Those waiting for the event itself are served first."""

import html
import io
from datetime import timedelta

import icalendar
import openpyxl
import pytest
from django.db import connection
from django.utils import timezone

from seminars.links import manage_path, page_path
from seminars.models import AtelierWaiting, Registration, SeminarPage
from seminars.retention import (
    apply_retention,
    person_data_workbook,
    personal_data_kept,
    registrations_of_address,
)
from seminars.services import (
    RegistrationError,
    atelier_waiting_ranks,
    cancel_registration,
    change_ateliers,
    join_atelier_waiting,
    leave_atelier_waiting,
    register_person,
)
from tests.conftest import make_person, member_client
from tests.seminars.conftest import form_data, make_seminar, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_seat_ateliers():
    """Four seats; A and B (same slot) with one seat each, C later with five; persons 1, 2 and 3
    in A, B and C."""
    seminar = make_seminar(
        seats=4, ateliers=(("Atelier A", 1, 2, 1), ("Atelier B", 1, 2, 1), ("Atelier C", 4, 1, 5))
    )
    a, b, c = seminar.ateliers.order_by("sort_order")
    people = [
        register_person(seminar, person(n, ateliers=[pk]))[0]
        for n, pk in ((1, a.pk), (2, b.pk), (3, c.pk))
    ]
    return seminar, a, b, c, *people


def held(registration) -> list[str]:
    return sorted(registration.ateliers.values_list("title", flat=True))


def test_the_personal_page_puts_her_on_a_full_ateliers_list_and_takes_her_off(portal, full_a):
    seminar, a, b, c, holders, aicha = full_a
    path = manage_path(aicha)
    page = portal.get(path).content.decode()
    assert "Listes d'attente des ateliers" in page
    assert f'name="atelier" value="{a.pk}"' in page
    # B and C are hers; A is the only full one she may wait for.
    assert f'name="atelier" value="{b.pk}"' not in page
    assert "Me placer sur la liste d'attente de «\u00a0Atelier A\u00a0»" in page

    answer = portal.post(path, {"action": "wait_atelier", "atelier": a.pk}, follow=True)
    page = html.unescape(answer.content.decode())
    assert (
        "Vous êtes sur la liste d'attente de l'atelier «\u00a0Atelier A\u00a0», en 1re position."
        in page
    )
    assert "Quitter la liste d'attente de «\u00a0Atelier A\u00a0»" in page
    assert held(aicha) == ["Atelier B", "Atelier C"]  # she keeps hers meanwhile

    other, _ = register_person(seminar, person(11, ateliers=[b.pk]))
    assert join_atelier_waiting(other, a.pk) == 2
    assert atelier_waiting_ranks(other) == {a.pk: 2}

    answer = portal.post(path, {"action": "leave_atelier_wait", "atelier": a.pk}, follow=True)
    assert "Vous avez quitté la liste d'attente" in html.unescape(answer.content.decode())
    assert not AtelierWaiting.objects.filter(registration=aicha).exists()
    assert atelier_waiting_ranks(other) == {a.pk: 1}  # she moved up


def test_refusals_are_in_french_and_change_nothing(portal, full_a):
    seminar, a, b, c, holders, aicha = full_a
    with pytest.raises(RegistrationError) as held_one:
        join_atelier_waiting(aicha, b.pk)
    assert held_one.value.errors["atelier"] == [
        "Vous êtes déjà inscrit(e) à l'atelier «\u00a0Atelier B\u00a0»."
    ]
    with pytest.raises(RegistrationError) as not_full:
        join_atelier_waiting(holders[0], c.pk)
    assert "a de nouveau une place" in not_full.value.errors["atelier"][0]
    other_event = make_seminar("Autre", ateliers=(("Ailleurs", 1, 1, 5),))
    with pytest.raises(RegistrationError) as elsewhere:
        join_atelier_waiting(aicha, other_event.ateliers.get().pk)
    assert "n'appartient pas à cet événement" in elsewhere.value.errors["atelier"][0]
    # Through the page: the refusal is shown in the section, nothing is stored.
    answer = portal.post(
        manage_path(aicha), {"action": "wait_atelier", "atelier": b.pk}, follow=True
    )
    assert "Vous êtes déjà inscrit(e) à l'atelier" in html.unescape(answer.content.decode())
    assert not AtelierWaiting.objects.exists()


def test_a_freed_seat_goes_to_the_first_waiting_who_leaves_the_atelier_at_the_same_time(
    full_a, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, c, holders, aicha = full_a
    second, _ = register_person(seminar, person(11, ateliers=[c.pk]))
    join_atelier_waiting(aicha, a.pk)
    join_atelier_waiting(second, a.pk)
    # B's own list: someone in A who would rather be in B... B has seats, so nobody; fill B.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(holders[0])
    aicha.refresh_from_db()
    assert held(aicha) == ["Atelier A", "Atelier C"]  # A given, B left (same slot), C kept
    assert atelier_waiting_ranks(aicha) == {}
    assert atelier_waiting_ranks(second) == {a.pk: 1}
    assert b.registrations.count() == 0  # her seat in B is free again
    told = [m for m in mailoutbox if m.to == ["personne10@exemple.fr"]]
    assert len(told) == 1
    assert (
        told[0].subject == f"Une place s'est libérée dans l'atelier attendu\u00a0: {seminar.title}"
    )
    body = " ".join(told[0].body.split())
    assert "une place s'est libérée dans l'atelier « Atelier A »" in body
    assert "à la place de « Atelier B », qui avait lieu au même moment" in body
    calendar = icalendar.Calendar.from_ical(told[0].attachments[0][1])
    description = str(calendar.walk("VEVENT")[0].get("DESCRIPTION", ""))
    assert "Atelier A" in description and "Atelier B" not in description


def test_seats_chain_through_the_lists_and_the_event_queue_comes_first(
    one_seat_ateliers, mailoutbox, django_capture_on_commit_callbacks
):
    """Four seats in the event, all taken: X waits for the event with A; when the A holder
    cancels, X gets the event seat and A. When X leaves A, a confirmed person waiting for A gets
    that seat, and her seat in B goes to whoever waited for B."""
    seminar, a, b, c, in_a, in_b, in_c = one_seat_ateliers
    join_atelier_waiting(in_b, a.pk)  # B would rather be in A
    join_atelier_waiting(in_c, b.pk)  # C would take B (a morning atelier) if it frees
    fourth, _ = register_person(seminar, person(4))
    waiting, _ = register_person(seminar, person(5, ateliers=[a.pk]))
    assert waiting.status == Registration.Status.WAITLISTED

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(in_a)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED and held(waiting) == ["Atelier A"]
    assert held(in_b) == ["Atelier B"]  # the event's queue came first: A is full again

    with django_capture_on_commit_callbacks(execute=True):
        change_ateliers(waiting, [])  # she leaves A: in_b moves there, in_c takes B
    assert held(in_b) == ["Atelier A"]
    assert held(in_c) == ["Atelier B", "Atelier C"]
    assert not AtelierWaiting.objects.exists()
    subjects = {tuple(m.to): m.subject for m in mailoutbox}
    assert "atelier attendu" in subjects[("personne2@exemple.fr",)]
    assert "atelier attendu" in subjects[("personne3@exemple.fr",)]


def test_a_cancelled_or_waiting_registration_is_on_no_atelier_list(full_a, portal):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    cancel_registration(aicha)
    assert not AtelierWaiting.objects.exists()
    assert "Listes d'attente des ateliers" not in portal.get(manage_path(aicha)).content.decode()
    full_event = make_seminar("Complet", seats=1, ateliers=(("Seul", 1, 1, 1),))
    atelier = full_event.ateliers.get()
    register_person(full_event, person(20, ateliers=[atelier.pk]))
    waiting, _ = register_person(full_event, person(21))
    with pytest.raises(RegistrationError) as refused:
        join_atelier_waiting(waiting, atelier.pk)
    assert (
        "choisissez l'atelier dans «\u00a0Changer d'ateliers\u00a0»"
        in refused.value.errors["atelier"][0]
    )


def test_the_previous_versions_deletions_cascade_in_the_database(full_a):
    """The code before this table deletes a registration or an atelier without knowing it
    (during an upgrade, after a rollback): PostgreSQL deletes the waiting places with them."""
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    other, _ = register_person(seminar, person(11, ateliers=[b.pk]))
    join_atelier_waiting(other, a.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM seminars_registration_ateliers WHERE registration_id = %s", [aicha.pk]
        )
        cursor.execute("DELETE FROM seminars_registration WHERE id = %s", [aicha.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys' check, now
    assert list(AtelierWaiting.objects.values_list("registration", flat=True)) == [other.pk]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM seminars_registration_ateliers WHERE atelier_id = %s", [a.pk])
        cursor.execute("DELETE FROM seminars_atelier WHERE id = %s", [a.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not AtelierWaiting.objects.exists()
    assert leave_atelier_waiting(other, a.pk) is False


def test_organisers_see_who_waits_for_which_atelier(full_a, organiser_client):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    url = f"/admin/inscriptions/{seminar.pk}/"
    page = html.unescape(organiser_client.get(url).content.decode())
    row = next(part for part in page.split("<tr") if "Nom10" in part)
    assert "Liste d'attente\u00a0: Atelier A (1re)" in row
    assert all(
        "Liste d'attente\u00a0:" not in part for part in page.split("<tr") if "Nom1<" in part
    )
    page = html.unescape(organiser_client.get(url, {"atelier": a.pk}).content.decode())
    assert "(3 inscrits confirmés, 1 en liste d'attente de l'atelier)" in page
    cancel_registration(aicha)
    page = html.unescape(organiser_client.get(url, {"atelier": a.pk}).content.decode())
    assert "(3 inscrits confirmés)" in page


def test_the_api_tells_organisers_who_waits_for_which_atelier(full_a, staff_api):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    rows = staff_api.get(f"/api/v1/seminars/{seminar.pk}/registrations/").json()
    waiting = {row["email"]: row["ateliers_waiting"] for row in rows}
    assert waiting["personne10@exemple.fr"] == [a.pk]
    assert waiting["personne1@exemple.fr"] == []
    one = staff_api.get(f"/api/v1/seminars/{seminar.pk}/registrations/{aicha.pk}/").json()
    assert one["ateliers_waiting"] == [a.pk]


def test_her_access_request_lists_her_waits_and_the_retention_forgets_them(full_a):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    workbook = openpyxl.load_workbook(
        io.BytesIO(person_data_workbook(list(registrations_of_address(aicha.email)), []))
    )
    header, row = list(workbook.active.iter_rows(values_only=True))[-2:]
    assert header[-1] == "En liste d'attente des ateliers"
    assert row[-1] == "Atelier A"
    apply_retention(seminar.end + personal_data_kept() + timedelta(days=1))
    assert not AtelierWaiting.objects.exists()


# --- joined on the event page's form -----------------------------------------------------------


def test_the_event_page_offers_the_full_ateliers_waiting_lists(
    portal, full_a, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, c, holders, aicha = full_a
    page = html.unescape(portal.get(page_path(seminar)).content.decode())
    assert "<legend>Liste d'attente d'un atelier complet" in page
    assert f'name="ateliers_waiting" value="{a.pk}"' in page
    assert f'name="ateliers_waiting" value="{b.pk}"' not in page  # B has seats: choose it

    with django_capture_on_commit_callbacks(execute=True):
        answer = portal.post(
            page_path(seminar), form_data(ateliers=[b.pk], ateliers_waiting=[a.pk]), follow=True
        )
    registration = Registration.objects.get(email="aicha.durand@exemple.fr")
    assert registration.status == Registration.Status.CONFIRMED
    assert held(registration) == ["Atelier B"]
    assert atelier_waiting_ranks(registration) == {a.pk: 1}
    said = html.unescape(answer.content.decode())
    assert "Vous êtes aussi sur la liste d'attente de l'atelier «\u00a0Atelier A\u00a0»" in said
    (confirmation,) = [m for m in mailoutbox if m.to == ["aicha.durand@exemple.fr"]]
    body = " ".join(confirmation.body.split())
    assert "En liste d'attente, si une place s'y libère : - Atelier A (1re position)" in body


def test_an_atelier_that_found_room_before_the_post_is_given_at_once(portal, full_a):
    seminar, a, b, c, holders, aicha = full_a
    page = portal.get(page_path(seminar)).content.decode()
    assert f'name="ateliers_waiting" value="{a.pk}"' in page
    cancel_registration(holders[0])  # A has a seat again before she sends the form
    answer = portal.post(page_path(seminar), form_data(ateliers=[b.pk], ateliers_waiting=[a.pk]))
    assert answer.status_code == 302
    registration = Registration.objects.get(email="aicha.durand@exemple.fr")
    assert held(registration) == ["Atelier A"] and atelier_waiting_ranks(registration) == {}


def test_no_waiting_list_field_when_nothing_is_full_or_the_event_is(portal, seminar):
    page = portal.get(page_path(seminar)).content.decode()
    assert "ateliers_waiting" not in page
    full_event = make_seminar("Complet", seats=1, ateliers=(("Seul", 1, 1, 1),))
    register_person(full_event, person(20, ateliers=[full_event.ateliers.get().pk]))
    # The event is full: any atelier may be chosen, and waited for with the event itself.
    assert "ateliers_waiting" not in portal.get(page_path(full_event)).content.decode()


def test_a_member_ccas_puts_the_person_it_registers_on_a_waiting_list(two_members, full_a):
    seminar, a, b, c, holders, aicha = full_a
    bondy, montreuil = two_members
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    register_url = f"/evenements/{seminar.pk}/inscrire/"
    page = html.unescape(client.get(register_url).content.decode())
    assert "La personne garde les ateliers choisis ci-dessus" in page
    fields = {"nom": "Durand", "prenom": "Lucie", "email": "", "commune": "Bondy"}
    fields |= {"fonction": "conseiller_municipal", "ateliers": [b.pk], "ateliers_waiting": [a.pk]}
    assert client.post(register_url, fields).status_code == 302
    lucie = Registration.objects.get(nom="Durand")
    assert held(lucie) == ["Atelier B"] and atelier_waiting_ranks(lucie) == {a.pk: 1}


# --- review of session 41 ------------------------------------------------------------------------


def test_a_seat_left_in_a_move_goes_first_to_whoever_waits_for_the_event(one_seat_ateliers):
    """W moves from B to A; B's seat goes to P, waiting for the event with B, before V, who
    holds a seat and waits for B."""
    seminar, a, b, c, in_a, w, v = one_seat_ateliers
    x, _ = register_person(seminar, person(4))
    p, _ = register_person(seminar, person(5, ateliers=[b.pk]))
    cancel_registration(x)  # a seat in the event, but B is full: P keeps waiting
    p.refresh_from_db()
    assert p.status == Registration.Status.WAITLISTED
    join_atelier_waiting(w, a.pk)
    join_atelier_waiting(v, b.pk)

    cancel_registration(in_a)
    p.refresh_from_db()
    assert held(w) == ["Atelier A"]
    assert p.status == Registration.Status.CONFIRMED and held(p) == ["Atelier B"]
    assert held(v) == ["Atelier C"] and atelier_waiting_ranks(v) == {b.pk: 1}


def test_nobody_is_moved_once_changes_are_closed(full_a):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    SeminarPage.objects.filter(pk=seminar.pk).update(changes_until=timezone.now())
    no_show = Registration.objects.get(pk=holders[0].pk)  # read as a request reads it
    cancel_registration(no_show)  # the organiser withdraws a no-show on the day
    assert held(aicha) == ["Atelier B", "Atelier C"]  # she stays in the room she is in


def test_a_registration_taken_up_again_starts_without_former_waits(full_a):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    # As the previous version's cancellation left it: cancelled, her wait still there.
    Registration.objects.filter(pk=aicha.pk).update(status=Registration.Status.CANCELLED)
    again, _ = register_person(seminar, person(10, ateliers=[b.pk]))
    assert again.pk == aicha.pk and atelier_waiting_ranks(again) == {}
    join_atelier_waiting(again, a.pk)
    assert leave_atelier_waiting(again, a.pk) is True
    assert leave_atelier_waiting(again, a.pk) is False

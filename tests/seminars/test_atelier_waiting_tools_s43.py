"""Organisers' tools for the atelier waiting lists (session 43), on one atelier's list: « Retirer
de la liste d'attente » (she is told), « Placer en tête » until the cut-off, « Lui donner la
place libre » after it; « Listes d'attente des ateliers » among the recipients of « Écrire aux
inscrits » (with the list's own link to it); an edit that puts someone on the list of an atelier
that has room refused in French (she would get it at once and two e-mails); and the cut-off read
under the event's lock when she joins a list herself."""

import html
import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from seminars.door_access import DOOR_STAFF
from seminars.models import AtelierWaiting, Registration, SeminarPage
from seminars.services import (
    RegistrationError,
    atelier_waiting_ranks,
    cancel_registration,
    join_atelier_waiting,
    register_person,
)
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person
from tests.seminars.test_door_role_s17 import refused
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return plain(html.unescape(response.content.decode()))


def plain(text: str) -> str:
    """Spaces folded, the no-break ones of French typography among them."""
    return " ".join(text.split())


def list_url(seminar, atelier) -> str:
    return f"/admin/inscriptions/{seminar.pk}/?atelier_waiting={atelier.pk}"


def leave_url(registration) -> str:
    return f"/admin/inscriptions/{registration.seminar_id}/{registration.pk}/quitter-liste-atelier/"


def clicked(client, url, seminar, atelier):
    """A row's button on one atelier's list: back at the list as filtered, whose page is
    returned."""
    answer = client.post(url, {"atelier": atelier.pk, "query": f"atelier_waiting={atelier.pk}"})
    assert answer.status_code == 302 and answer["Location"] == list_url(seminar, atelier)
    return client.get(answer["Location"])


@pytest.fixture
def two_waiting(full_a):
    """A full (persons 1 to 3); Aïcha (B and C) then Bruno (B) on A's list, in that order."""
    seminar, a, b, c, holders, aicha = full_a
    bruno, _ = register_person(seminar, person(11, ateliers=[b.pk]))
    join_atelier_waiting(aicha, a.pk)
    join_atelier_waiting(bruno, a.pk)
    return seminar, a, b, holders, aicha, bruno


# --- « Retirer de la liste d'attente » ---------------------------------------------------------


def test_the_rows_button_takes_her_off_the_list_and_tells_her(
    organiser_client, two_waiting, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, holders, aicha, bruno = two_waiting
    page = BeautifulSoup(organiser_client.get(list_url(seminar, a)).content, "html.parser")
    form = page.select_one(f"form[action='{leave_url(aicha)}']")
    assert " ".join(form.button.get_text(" ").split()) == (
        "Retirer de la liste d'attente de l'atelier « Atelier A » : Prénom10 Nom10"
    )
    assert form.select_one("input[name=atelier]")["value"] == str(a.pk)
    query = form.select_one("input[name=query]")["value"]
    assert query == f"atelier_waiting={a.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        answer = organiser_client.post(leave_url(aicha), {"atelier": a.pk, "query": query})
    assert answer.status_code == 302
    assert answer["Location"] == list_url(seminar, a)  # back at the list as filtered
    shown = text_of(organiser_client.get(answer["Location"]))
    assert (
        f"{aicha.prenom} {aicha.nom} ne figure plus sur la liste d'attente de l'atelier "
        "« Atelier A » ; un e-mail l'en informe." in shown
    )
    assert atelier_waiting_ranks(aicha) == {}
    assert atelier_waiting_ranks(bruno) == {a.pk: 1}  # first now
    assert [(m.to, plain(m.subject)) for m in mailoutbox] == [
        ([aicha.email], f"Inscription mise à jour : {seminar.title}")
    ]
    told = "Les organisateurs vous ont retiré(e) de la liste d'attente de l'atelier « Atelier A »."
    assert told in plain(mailoutbox[0].body)
    assert told in plain(html.unescape(mailoutbox[0].alternatives[0][0]))
    # The organiser's (the registrants' own joins have no actor, session 45).
    entry = AuditEntry.objects.filter(
        action="seminar.registration.edited", actor__isnull=False
    ).get()
    assert entry.details["fields"] == ["ateliers_waiting"]
    assert entry.details["registration"] == aicha.pk

    # A seat freed in A now goes to Bruno, and Aïcha keeps B.
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(holders[0])
    assert set(bruno.ateliers.values_list("pk", flat=True)) == {a.pk}
    assert a.pk not in aicha.ateliers.values_list("pk", flat=True)


def test_taking_her_off_again_changes_nothing_and_sends_nothing(
    organiser_client, two_waiting, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, holders, aicha, bruno = two_waiting
    AtelierWaiting.objects.filter(registration=aicha).delete()  # she left from her page
    with django_capture_on_commit_callbacks(execute=True):
        answer = organiser_client.post(leave_url(aicha), {"atelier": a.pk}, follow=True)
    assert (
        f"{aicha.prenom} {aicha.nom} n'est pas (ou plus) sur la liste d'attente de l'atelier "
        "« Atelier A » : aucun changement." in text_of(answer)
    )
    assert mailoutbox == []
    assert not AuditEntry.objects.filter(
        action="seminar.registration.edited", actor__isnull=False
    ).exists()
    assert atelier_waiting_ranks(bruno) == {a.pk: 1}


def test_another_events_atelier_or_registration_is_refused(organiser_client, two_waiting):
    seminar, a, b, holders, aicha, bruno = two_waiting
    other = make_seminar("Autre journée", ateliers=(("Ailleurs", 1, 1, 5),))
    elsewhere = other.ateliers.get()
    wrong_atelier = organiser_client.post(leave_url(aicha), {"atelier": elsewhere.pk})
    assert wrong_atelier.status_code == 404
    assert "Cet atelier n'existe pas ou plus dans cet événement." in text_of(wrong_atelier)
    assert organiser_client.post(leave_url(aicha), {"atelier": "A"}).status_code == 404
    # Aïcha's registration under the other event's address: not found.
    stranger, _ = register_person(other, person(12, ateliers=[elsewhere.pk]))
    crossed = f"/admin/inscriptions/{other.pk}/{aicha.pk}/quitter-liste-atelier/"
    assert organiser_client.post(crossed, {"atelier": a.pk}).status_code == 404
    assert organiser_client.get(leave_url(aicha)).status_code == 405
    assert atelier_waiting_ranks(aicha) == {a.pk: 1}


def test_the_welcome_desk_cannot_take_anyone_off_a_list(two_waiting):
    seminar, a, b, holders, aicha, bruno = two_waiting
    desk = host_client("localhost", organiser(group=DOOR_STAFF, email="accueil@union.test"))
    assert refused(desk.post(leave_url(aicha), {"atelier": a.pk}))
    assert atelier_waiting_ranks(aicha) == {a.pk: 1}


def test_the_button_is_only_on_one_ateliers_list(organiser_client, two_waiting):
    seminar, a, b, holders, aicha, bruno = two_waiting
    whole = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    assert "quitter-liste-atelier" not in whole
    assert "Écrire aux personnes de cette liste d'attente" not in whole


def test_after_the_cut_off_she_can_still_be_taken_off(
    organiser_client, two_waiting, django_capture_on_commit_callbacks
):
    seminar, a, b, holders, aicha, bruno = two_waiting
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(hours=1)
    )
    assert (
        f'action="{leave_url(aicha)}"'
        in organiser_client.get(list_url(seminar, a)).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(leave_url(aicha), {"atelier": a.pk})
    assert atelier_waiting_ranks(aicha) == {}


# --- « Placer en tête » ----------------------------------------------------------------------


def first_url(registration) -> str:
    return f"/admin/inscriptions/{registration.seminar_id}/{registration.pk}/tete-liste-atelier/"


def test_an_organiser_puts_someone_first_and_the_next_seat_is_his(
    organiser_client, two_waiting, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, holders, aicha, bruno = two_waiting
    page = BeautifulSoup(organiser_client.get(list_url(seminar, a)).content, "html.parser")
    assert page.select_one(f"form[action='{first_url(aicha)}']") is None  # first already
    form = page.select_one(f"form[action='{first_url(bruno)}']")
    assert plain(form.button.get_text(" ")) == (
        f"Placer en tête de la liste d'attente de l'atelier « Atelier A » : {bruno.prenom} "
        f"{bruno.nom}"
    )
    shown = clicked(organiser_client, first_url(bruno), seminar, a)
    assert (
        f"{bruno.prenom} {bruno.nom} est en tête de la liste d'attente de l'atelier « Atelier A » "
        ": la prochaine place libérée lui sera donnée." in text_of(shown)
    )
    rows = BeautifulSoup(shown.content, "html.parser").select("table.registrations tbody tr")
    assert [row["id"] for row in rows] == [f"r-{bruno.pk}", f"r-{aicha.pk}"]
    assert atelier_waiting_ranks(bruno) == {a.pk: 1} and atelier_waiting_ranks(aicha) == {a.pk: 2}
    entry = AuditEntry.objects.get(action="seminar.registration.atelier_list_first")
    assert entry.details["registration"] == bruno.pk and entry.details["atelier"] == a.pk

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(holders[0])
    assert set(bruno.ateliers.values_list("pk", flat=True)) == {a.pk}
    assert a.pk not in aicha.ateliers.values_list("pk", flat=True)


def test_putting_the_first_first_changes_nothing(organiser_client, two_waiting):
    seminar, a, b, holders, aicha, bruno = two_waiting
    answer = organiser_client.post(first_url(aicha), {"atelier": a.pk}, follow=True)
    assert (
        f"{aicha.prenom} {aicha.nom} est déjà en tête de la liste d'attente de l'atelier "
        "« Atelier A », ou n'y figure plus : aucun changement." in text_of(answer)
    )
    assert atelier_waiting_ranks(aicha) == {a.pk: 1} and atelier_waiting_ranks(bruno) == {a.pk: 2}
    assert not AuditEntry.objects.filter(action="seminar.registration.atelier_list_first").exists()
    # The desk cannot reorder a list.
    desk = host_client("localhost", organiser(group=DOOR_STAFF, email="accueil@union.test"))
    assert refused(desk.post(first_url(bruno), {"atelier": a.pk}))
    assert atelier_waiting_ranks(bruno) == {a.pk: 2}


def test_no_reordering_after_the_cut_off(organiser_client, two_waiting):
    """Nobody is moved any more: the order no longer gives anything."""
    seminar, a, b, holders, aicha, bruno = two_waiting
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(hours=1)
    )
    assert "tete-liste-atelier" not in organiser_client.get(list_url(seminar, a)).content.decode()


# --- « Lui donner la place libre » --------------------------------------------------------------


def give_url(registration) -> str:
    return f"/admin/inscriptions/{registration.seminar_id}/{registration.pk}/place-atelier/"


def test_after_the_cut_off_the_organiser_gives_a_freed_seat_to_whom_she_chooses(
    organiser_client, two_waiting, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, holders, aicha, bruno = two_waiting
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(holders[0])  # nobody is moved after the cut-off
    assert atelier_waiting_ranks(aicha) == {a.pk: 1} and atelier_waiting_ranks(bruno) == {a.pk: 2}
    mailoutbox.clear()

    listed = organiser_client.get(list_url(seminar, a))
    assert (
        "L'atelier « Atelier A » a une place libre : pour la donner à une personne de la liste, "
        "quel que soit son rang, « Lui donner la place libre » sur sa ligne. Elle quitte "
        "l'atelier qu'elle suit au même moment et en est avertie par e-mail." in text_of(listed)
    )
    page = BeautifulSoup(listed.content, "html.parser")
    for person_there in (aicha, bruno):
        form = page.select_one(f"form[action='{give_url(person_there)}']")
        assert plain(form.button.get_text(" ")) == (
            "Lui donner la place libre de l'atelier « Atelier A » : "
            f"{person_there.prenom} {person_there.nom}"
        )

    # Bruno came to the desk: he gets it, though second on the list.
    with django_capture_on_commit_callbacks(execute=True):
        shown = clicked(organiser_client, give_url(bruno), seminar, a)
    assert (
        f"{bruno.prenom} {bruno.nom} est maintenant inscrit(e) à l'atelier « Atelier A » ; un e-mail "
        "l'en informe." in text_of(shown)
    )
    assert set(bruno.ateliers.values_list("pk", flat=True)) == {a.pk}  # B left
    assert atelier_waiting_ranks(bruno) == {} and atelier_waiting_ranks(aicha) == {a.pk: 1}
    assert [(m.to, plain(m.subject)) for m in mailoutbox] == [
        (
            [bruno.email],
            f"Une place s'est libérée dans l'atelier attendu : {seminar.title}",
        )
    ]
    entry = AuditEntry.objects.get(action="seminar.registration.atelier_given")
    assert entry.details["registration"] == bruno.pk and entry.details["atelier"] == a.pk
    # A is full again: no more button, and a late click is refused in French.
    assert "place-atelier" not in shown.content.decode()
    late = organiser_client.post(give_url(aicha), {"atelier": a.pk}, follow=True)
    assert (
        "L'atelier « Atelier A » n'a plus de place libre : la place a été prise entre-temps."
        in text_of(late)
    )
    assert atelier_waiting_ranks(aicha) == {a.pk: 1}
    assert a.pk not in aicha.ateliers.values_list("pk", flat=True)


def test_the_view_by_atelier_leads_to_its_waiting_list(organiser_client, two_waiting):
    seminar, a, b, holders, aicha, bruno = two_waiting
    page = BeautifulSoup(
        organiser_client.get(f"/admin/inscriptions/{seminar.pk}/?atelier={a.pk}").content,
        "html.parser",
    )
    link = page.find("a", string=lambda text: text and text.startswith("Voir la liste d'attente"))
    assert plain(link.get_text()) == "Voir la liste d'attente de l'atelier « Atelier A »"
    assert link["href"] == list_url(seminar, a)
    # B has nobody waiting: no link.
    other = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/?atelier={b.pk}")
    assert "Voir la liste d'attente" not in other.content.decode()


def test_before_the_cut_off_the_first_on_the_list_gets_the_seat(organiser_client, two_waiting):
    seminar, a, b, holders, aicha, bruno = two_waiting
    full = organiser_client.get(list_url(seminar, a)).content.decode()
    assert "place-atelier" not in full  # A is full: nothing to give
    # Even with room (an organiser's edit made A bigger in the same instant), no button, and
    # the post is refused: the platform gives it to the first.
    a.seats = 4
    a.save()
    assert "place-atelier" not in organiser_client.get(list_url(seminar, a)).content.decode()
    answer = organiser_client.post(give_url(bruno), {"atelier": a.pk}, follow=True)
    assert (
        "Jusqu'à la date limite des modifications, une place libérée de l'atelier « Atelier A » "
        "est donnée d'office à la première personne de sa liste d'attente : « Placer en tête » "
        "choisit qui l'aura." in text_of(answer)
    )
    assert a.pk not in bruno.ateliers.values_list("pk", flat=True)
    assert not AuditEntry.objects.filter(action="seminar.registration.atelier_given").exists()


def after_the_cut_off(seminar) -> None:
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(hours=1)
    )


def test_a_seat_goes_only_to_someone_on_the_list(organiser_client, two_waiting):
    seminar, a, b, holders, aicha, bruno = two_waiting
    after_the_cut_off(seminar)
    cancel_registration(holders[0])
    outsider = holders[1]  # in A, on no list
    answer = organiser_client.post(give_url(outsider), {"atelier": a.pk}, follow=True)
    assert (
        f"{outsider.prenom} {outsider.nom} est déjà inscrit(e) à l'atelier « Atelier A »."
        in text_of(answer)
    )
    answer = organiser_client.post(give_url(outsider), {"atelier": b.pk}, follow=True)
    assert (
        f"{outsider.prenom} {outsider.nom} n'est pas (ou plus) sur la liste d'attente de l'atelier "
        "« Atelier B »." in text_of(answer)
    )
    assert b.pk not in outsider.ateliers.values_list("pk", flat=True)
    assert not AuditEntry.objects.filter(action="seminar.registration.atelier_given").exists()
    desk = host_client("localhost", organiser(group=DOOR_STAFF, email="accueil@union.test"))
    assert refused(desk.post(give_url(bruno), {"atelier": a.pk}))
    assert a.pk not in bruno.ateliers.values_list("pk", flat=True)


def test_the_seat_she_leaves_goes_to_someone_waiting_for_the_event(
    organiser_client, django_capture_on_commit_callbacks
):
    """Three seats; A and B, at the same time, one seat each. Dora, who chose B, waits for the
    event. A seat frees in the event and in A after the cut-off: Dora still waits, B is full.
    Bruno, given A, leaves B: Dora has his seat."""
    seminar = make_seminar(seats=3, ateliers=(("Atelier A", 1, 2, 1), ("Atelier B", 1, 2, 1)))
    a, b = seminar.ateliers.order_by("sort_order")
    in_a, _ = register_person(seminar, person(1, ateliers=[a.pk]))
    bruno, _ = register_person(seminar, person(2, ateliers=[b.pk]))
    register_person(seminar, person(3))
    dora, _ = register_person(seminar, person(4, nom="Dora", ateliers=[b.pk]))
    assert dora.status == Registration.Status.WAITLISTED
    join_atelier_waiting(bruno, a.pk)
    after_the_cut_off(seminar)
    cancel_registration(in_a)
    dora.refresh_from_db()
    assert dora.status == Registration.Status.WAITLISTED  # B is still full
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(give_url(bruno), {"atelier": a.pk})
    assert set(bruno.ateliers.values_list("pk", flat=True)) == {a.pk}
    dora.refresh_from_db()
    assert dora.status == Registration.Status.CONFIRMED
    assert set(dora.ateliers.values_list("pk", flat=True)) == {b.pk}


def test_a_cancelled_event_gives_no_seat_and_tells_nobody(
    organiser_client, two_waiting, mailoutbox, django_capture_on_commit_callbacks
):
    """A tab opened before « Annuler l'événement »."""
    seminar, a, b, holders, aicha, bruno = two_waiting
    after_the_cut_off(seminar)
    cancel_registration(holders[0])
    SeminarPage.objects.filter(pk=seminar.pk).update(cancelled_at=timezone.now())
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        given = organiser_client.post(give_url(bruno), {"atelier": a.pk}, follow=True)
        left = organiser_client.post(leave_url(aicha), {"atelier": a.pk}, follow=True)
    assert "L'événement est annulé : aucune place n'est plus donnée." in text_of(given)
    assert (
        f"{aicha.prenom} {aicha.nom} ne figure plus sur la liste d'attente de l'atelier "
        "« Atelier A »." in text_of(left)
    )  # and no « un e-mail l'en informe »
    assert a.pk not in bruno.ateliers.values_list("pk", flat=True)
    assert atelier_waiting_ranks(aicha) == {}  # tidied, without an e-mail
    assert mailoutbox == []


# --- « Écrire aux inscrits » to the lists ------------------------------------------------------


def write(client, seminar, *groups, **extra):
    data = {
        "subject": "Seconde séance",
        "body": "L'atelier A aura lieu deux fois.",
        "statuses": list(groups),
    }
    return client.post(f"/admin/inscriptions/{seminar.pk}/ecrire/", data | extra)


def test_the_message_goes_to_one_ateliers_list(
    organiser_client, two_waiting, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, holders, aicha, bruno = two_waiting
    page = organiser_client.get(list_url(seminar, a))
    link = BeautifulSoup(page.content, "html.parser").find(
        "a", string="Écrire aux personnes de cette liste d'attente"
    )
    form = BeautifulSoup(organiser_client.get(link["href"]).content, "html.parser")
    ticked = [box["value"] for box in form.select("input[name=statuses][checked]")]
    assert ticked == ["atelier_waiting"]
    assert form.select_one("select[name=atelier] option[selected]")["value"] == str(a.pk)
    assert "les personnes confirmées qui attendent une place dans un atelier complet" in " ".join(
        form.get_text(" ").split()
    )

    with django_capture_on_commit_callbacks(execute=True):
        answer = write(organiser_client, seminar, "atelier_waiting", atelier=a.pk)
    assert answer.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted([aicha.email, bruno.email])
    assert all(m.subject == "Seconde séance" for m in mailoutbox)


def test_the_lists_group_without_an_atelier_is_every_list_and_joins_other_groups(
    organiser_client, two_waiting, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, holders, aicha, bruno = two_waiting
    c = seminar.ateliers.get(title="Atelier C")
    # C gets full, and Carla (holding only A) waits for it: on another list.
    carla = holders[0]
    for n in range(20, 20 + c.seats - 1):
        register_person(seminar, person(n, ateliers=[c.pk]))
    join_atelier_waiting(carla, c.pk)
    with django_capture_on_commit_callbacks(execute=True):
        write(organiser_client, seminar, "atelier_waiting")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([aicha.email, bruno.email, carla.email])

    mailoutbox.clear()
    # With the confirmed people of B: Aïcha and Bruno once each (B's), nobody else of A's list.
    with django_capture_on_commit_callbacks(execute=True):
        write(organiser_client, seminar, "confirmed", "atelier_waiting", atelier=b.pk)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([aicha.email, bruno.email])


@pytest.mark.parametrize("event", ["sans ateliers", "commencé"])
def test_the_lists_group_is_not_offered_without_ateliers_or_once_started(
    organiser_client, mailoutbox, event
):
    if event == "sans ateliers":
        seminar = make_seminar("Sans ateliers")
    else:
        seminar = make_seminar("Commencé", ateliers=(("Budget", 1, 1, 5),))
        start = timezone.now() - timedelta(hours=1)
        SeminarPage.objects.filter(pk=seminar.pk).update(
            start=start, end=start + timedelta(hours=7)
        )
    register_person(seminar, person(1), notify=False)
    form = BeautifulSoup(
        organiser_client.get(f"/admin/inscriptions/{seminar.pk}/ecrire/").content, "html.parser"
    )
    assert "atelier_waiting" not in [box["value"] for box in form.select("input[name=statuses]")]
    answer = write(organiser_client, seminar, "atelier_waiting")
    assert answer.status_code == 400
    assert (
        "« Listes d'attente des ateliers » se choisit avant le début d'un événement qui a des "
        "ateliers." in text_of(answer)
    )
    assert "L'atelier A aura lieu deux fois." in text_of(answer)  # the message is kept
    assert mailoutbox == []


def test_a_stale_atelier_in_the_lists_link_ticks_nothing(organiser_client, two_waiting):
    seminar, a, b, holders, aicha, bruno = two_waiting
    form = BeautifulSoup(
        organiser_client.get(f"/admin/inscriptions/{seminar.pk}/ecrire/?liste=999999").content,
        "html.parser",
    )
    assert [box["value"] for box in form.select("input[name=statuses][checked]")] == ["confirmed"]
    # A digit Python reads but int() refuses: the same, not an error.
    odd = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/ecrire/?liste=²")
    assert odd.status_code == 200


# --- a list whose atelier has room is not joined ------------------------------------------------


def test_the_patch_refuses_the_list_of_an_atelier_with_room(
    staff_api, full_a, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, c, holders, aicha = full_a
    cancel_registration(holders[0])  # A has a seat again
    mailoutbox.clear()
    url = f"/api/v1/seminars/{seminar.pk}/registrations/{aicha.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_api.patch(
            url, json.dumps({"ateliers_waiting": [a.pk]}), content_type="application/json"
        )
    assert answer.status_code == 400
    assert list(answer.json()) == ["ateliers_waiting"]
    assert [plain(said) for said in answer.json()["ateliers_waiting"]] == [
        "L'atelier « Atelier A » a de la place : ajoutez-le à ses ateliers plutôt que de "
        "l'inscrire sur sa liste d'attente."
    ]
    assert mailoutbox == [] and not AtelierWaiting.objects.exists()
    # Chosen among her ateliers instead: one e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        moved = staff_api.patch(
            url, json.dumps({"ateliers": [a.pk, c.pk]}), content_type="application/json"
        )
    assert moved.status_code == 200 and sorted(moved.json()["ateliers"]) == sorted([a.pk, c.pk])
    assert [plain(m.subject) for m in mailoutbox] == [f"Inscription mise à jour : {seminar.title}"]


def test_the_edit_form_keeps_what_was_typed_when_the_atelier_found_room(organiser_client, full_a):
    """The form showed A full; a seat freed before the organiser saved."""
    seminar, a, b, c, holders, aicha = full_a
    url = f"/admin/inscriptions/{seminar.pk}/{aicha.pk}/modifier/"
    cancel_registration(holders[0])
    posted = {
        "nom": aicha.nom,
        "prenom": aicha.prenom,
        "email": aicha.email,
        "commune": aicha.commune.nom,
        "fonction": aicha.fonction,
        "ateliers": [b.pk, c.pk],
        "ateliers_waiting": [a.pk],
        "needs": "Boucle magnétique",
        "consent": "on",
    }
    answer = organiser_client.post(url, posted)
    assert answer.status_code == 400
    assert "L'atelier « Atelier A » a de la place : ajoutez-le à ses ateliers" in text_of(answer)
    assert "Boucle magnétique" in answer.content.decode()
    aicha.refresh_from_db()
    assert aicha.needs == "" and not AtelierWaiting.objects.exists()


def test_two_ateliers_with_room_are_named_together(staff_api):
    seminar = make_seminar(
        ateliers=(("Budget", 1, 1, 5), ("Tarifs", 3, 1, 5), ("Logement", 1, 1, 5))
    )
    budget, tarifs, logement = seminar.ateliers.order_by("sort_order")
    lea, _ = register_person(seminar, person(1, ateliers=[logement.pk]))
    answer = staff_api.patch(
        f"/api/v1/seminars/{seminar.pk}/registrations/{lea.pk}/",
        json.dumps({"ateliers_waiting": [tarifs.pk, budget.pk]}),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert plain(answer.json()["ateliers_waiting"][0]).startswith(
        "Les ateliers « Budget » et « Tarifs » ont de la place : ajoutez-les à ses ateliers plutôt "
        "que de l'inscrire sur leurs listes d'attente."
    )


# --- joining from her page at the cut-off -------------------------------------------------------


def test_joining_a_list_reads_the_cut_off_under_the_lock(full_a):
    """Her page checked the cut-off when her request began; it passed before the lock."""
    seminar, a, b, c, holders, aicha = full_a
    stale = Registration.objects.select_related("seminar").get(pk=aicha.pk)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(RegistrationError) as refusal:
        join_atelier_waiting(stale, a.pk)
    assert [plain(said) for said in refusal.value.errors["atelier"]] == [
        "La date limite des modifications est passée : plus personne ne change d'atelier, une "
        "liste d'attente d'atelier ne se rejoint plus."
    ]
    assert not AtelierWaiting.objects.exists()


def test_on_the_day_the_desk_seats_her_without_promising_an_e_mail(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    """The event began an hour ago: the worker drops the « atelier » e-mail, and the message
    does not say that one informs her."""
    seminar = make_seminar(
        "Journée des élus",
        days_ahead=-1 / 24,
        hours=8,
        ateliers=(("Budget", 2, 2, 1), ("Tarifs", 2, 2, 5)),
    )
    budget, tarifs = seminar.ateliers.order_by("sort_order")
    in_budget, _ = register_person(seminar, person(1, ateliers=[budget.pk]), notify=False)
    lea, _ = register_person(seminar, person(2, ateliers=[tarifs.pk]), notify=False)
    AtelierWaiting.objects.create(registration=lea, atelier=budget)  # joined before the day
    cancel_registration(in_budget)
    with django_capture_on_commit_callbacks(execute=True):
        answer = organiser_client.post(give_url(lea), {"atelier": budget.pk}, follow=True)
    assert f"{lea.prenom} {lea.nom} est maintenant inscrit(e) à l'atelier « Budget »." in text_of(
        answer
    )
    assert set(lea.ateliers.values_list("pk", flat=True)) == {budget.pk}
    assert mailoutbox == []

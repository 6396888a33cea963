"""Session 44: the registrations list filtered by « Sur la liste d'attente de l'atelier :
N'importe lequel » (the people waiting for any atelier), with its message link and its export."""

import html
import io
import json
from datetime import timedelta

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from seminars import services
from seminars.links import page_path
from seminars.models import AtelierWaiting, Registration, SeminarPage
from seminars.services import (
    atelier_waiting_ranks,
    cancel_registration,
    join_atelier_waiting,
    register_person,
)
from tests.seminars.conftest import form_data, make_seminar, person
from tests.seminars.test_atelier_waiting_tools_s43 import first_url, give_url, leave_url, list_url
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def two_lists(full_a):
    """A full (persons 1 to 3), Aïcha (B and C) waits for it; B full too (Aïcha, 4, 5), and
    person 1, in A, waits for B. Persons 2 to 5 wait for nothing."""
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    for n in (4, 5):
        register_person(seminar, person(n, ateliers=[b.pk]))
    join_atelier_waiting(holders[0], b.pk)
    return seminar, a, b, holders, aicha


def any_list_url(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/?atelier_waiting=tous"


def test_any_list_shows_everyone_waiting_for_an_atelier(organiser_client, two_lists):
    seminar, a, b, holders, aicha = two_lists
    page = BeautifulSoup(organiser_client.get(any_list_url(seminar)).content, "html.parser")
    options = [o.get_text() for o in page.select("select[name=atelier_waiting] option")]
    assert options[:2] == ["Indifférent", "N'importe lequel"]
    assert page.select_one("select[name=atelier_waiting] option[selected]")["value"] == "tous"

    table = page.select_one("table.registrations")
    caption = " ".join(table.caption.get_text().split())
    assert caption == "2 inscriptions sur une liste d'attente d'atelier"
    rows = {" ".join(row.get_text(" ").split()) for row in table.select("tbody tr")}
    assert len(rows) == 2
    first = holders[0]
    assert any(f"{first.nom}" in row and "Liste d'attente : Atelier B (1re)" in row for row in rows)
    assert any(aicha.nom in row and "Liste d'attente : Atelier A (1re)" in row for row in rows)
    # The buttons of one list's order are not there: several lists, several orders.
    shown = " ".join(table.get_text(" ").split())
    for button in ("Retirer de la liste d'attente", "Placer en tête", "Lui donner la place"):
        assert button not in shown


def test_the_any_list_follows_the_seats(organiser_client, two_lists):
    seminar, a, b, holders, aicha = two_lists
    # Aïcha cancels: her wait for A goes with her registration, and her seat in B goes to
    # person 1, first on B's list, who leaves A and B's list. Nobody waits any more.
    cancel_registration(aicha)
    page = BeautifulSoup(organiser_client.get(any_list_url(seminar)).content, "html.parser")
    caption = " ".join(page.select_one("table.registrations caption").get_text().split())
    assert caption == "Aucune inscription sur une liste d'attente d'atelier"
    assert page.find("a", string="Écrire aux personnes de ces listes d'attente") is None


def test_the_any_list_link_writes_to_every_list(
    organiser_client, two_lists, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, holders, aicha = two_lists
    page = BeautifulSoup(organiser_client.get(any_list_url(seminar)).content, "html.parser")
    link = page.find("a", string="Écrire aux personnes de ces listes d'attente")
    assert link["href"] == f"/admin/inscriptions/{seminar.pk}/ecrire/?liste=tous"
    form = BeautifulSoup(organiser_client.get(link["href"]).content, "html.parser")
    ticked = [box["value"] for box in form.select("input[name=statuses][checked]")]
    assert ticked == ["atelier_waiting"]
    assert form.select_one("select[name=atelier] option[selected]")["value"] == ""

    with django_capture_on_commit_callbacks(execute=True):
        answer = organiser_client.post(
            link["href"],
            {"subject": "Places", "body": "Deux ateliers sont complets.", "statuses": ticked},
        )
    assert answer.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted([aicha.email, holders[0].email])


def test_once_started_the_any_list_has_no_message_link(organiser_client, two_lists):
    seminar, *_ = two_lists
    SeminarPage.objects.filter(pk=seminar.pk).update(start=timezone.now() - timedelta(hours=1))
    shown = text_of(organiser_client.get(any_list_url(seminar)))
    assert "2 inscriptions sur une liste d'attente d'atelier" in shown
    assert "Écrire aux personnes de ces listes d'attente" not in shown


def test_the_export_of_the_any_list_has_its_rows(organiser_client, two_lists):
    seminar, a, b, holders, aicha = two_lists
    page = BeautifulSoup(organiser_client.get(any_list_url(seminar)).content, "html.parser")
    link = page.find("a", href=lambda href: href and "liste.xlsx" in href)
    assert link["href"].endswith("liste.xlsx?atelier_waiting=tous")
    answer = organiser_client.get(link["href"])
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    everyone = {r.nom.upper() for r in seminar.registrations.all()}
    names = {row[0] for row in sheet.iter_rows(values_only=True)} & everyone
    assert names == {aicha.nom.upper(), holders[0].nom.upper()}


def test_an_unknown_list_value_is_said_and_not_applied(organiser_client, two_lists):
    seminar, *_ = two_lists
    answer = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/?atelier_waiting=toutes")
    shown = text_of(answer)
    assert answer.status_code == 200
    assert "n'existe pas ou plus dans cet événement : ce filtre n'est pas appliqué." in shown
    assert "inscriptions sur une liste d'attente" not in shown


# --- The review of session 44 (read-only, on e61f10d): its findings, each with its test --------


def test_the_public_form_posted_again_never_sends_the_atelier_e_mail(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    """Anyone knowing her name and address could post the form again and again, ticking B and
    the list of A, which had room: each post moved her into A and sent « Une place s'est
    libérée dans l'atelier attendu », beyond the limit on public e-mails (finding 1)."""
    a, b, c = seminar.ateliers.order_by("sort_order")
    posted = form_data(ateliers=[b.pk], ateliers_waiting=[a.pk])
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            answer = portal.post(page_path(seminar), posted, follow=True)
    registration = Registration.objects.get(email=posted["email"])
    assert list(registration.ateliers.values_list("title", flat=True)) == ["Atelier A"]
    assert not AtelierWaiting.objects.filter(registration=registration).exists()
    subjects = [m.subject for m in mailoutbox]
    assert not [s for s in subjects if s.startswith("Une place s'est libérée")]
    assert subjects[0].startswith("Inscription confirmée")
    assert "Atelier A" in " ".join(mailoutbox[0].body.split())
    # The page says the atelier she has, not « Vos ateliers : . » (finding 9).
    said = text_of(answer)
    assert "Vos ateliers : « Atelier A »." in said


def test_a_wait_for_an_atelier_she_holds_is_dropped_after_the_cut_off_too(
    organiser_client, staff_api, full_a
):
    """After the cut-off, an organiser's PATCH gave her A without touching her lists: she stayed
    on A's list, and « Lui donner la place libre » gave her her own seat (finding 2)."""
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    cancel_registration(holders[0])  # before the cut-off: the seat goes to her
    assert set(aicha.ateliers.values_list("pk", flat=True)) == {a.pk, c.pk}
    # Again, after the cut-off: back in B, on A's list, then given A by a PATCH.
    aicha.ateliers.set([b, c])
    AtelierWaiting.objects.create(registration=aicha, atelier=a)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(hours=1)
    )
    cancel_registration(holders[1])  # A has a free seat; nobody is moved
    assert AtelierWaiting.objects.filter(registration=aicha, atelier=a).exists()
    answer = staff_api.patch(
        f"/api/v1/seminars/{seminar.pk}/registrations/{aicha.pk}/",
        json.dumps({"ateliers": [a.pk, c.pk]}),
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert not AtelierWaiting.objects.filter(registration=aicha).exists()
    # A left-over wait (written by the previous version) is refused all the same.
    AtelierWaiting.objects.create(registration=aicha, atelier=a)
    given = organiser_client.post(
        give_url(aicha),
        {"atelier": a.pk},
        follow=True,
    )
    assert f"{aicha.prenom} {aicha.nom} est déjà inscrit(e) à l'atelier « Atelier A »." in (
        text_of(given)
    )
    given = AuditEntry.objects.filter(action="seminar.registration.atelier_given")
    assert not given.filter(actor__isnull=False).exists()  # the organisers gave nothing


def test_the_free_seat_sentence_promises_no_e_mail_once_the_event_has_begun(
    organiser_client, full_a
):
    """Without a cut-off of its own, the free seat is offered from the start, when the worker
    drops the e-mail: the sentence no longer promises one (finding 3)."""
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(hours=1)
    )
    cancel_registration(holders[0])
    before_start = text_of(organiser_client.get(list_url(seminar, a)))
    assert "au même moment et en est avertie par e-mail." in before_start
    SeminarPage.objects.filter(pk=seminar.pk).update(
        start=timezone.now() - timedelta(minutes=30), changes_until=None
    )
    begun = text_of(organiser_client.get(list_url(seminar, a)))
    assert "Lui donner la place libre" in begun
    assert "Elle quitte l'atelier qu'elle suit au même moment." in begun
    assert "avertie par e-mail" not in begun


def test_taking_her_off_a_list_is_journaled_with_that_list(organiser_client, full_a):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    organiser_client.post(leave_url(aicha), {"atelier": a.pk})
    entry = AuditEntry.objects.get(action="seminar.registration.edited", actor__isnull=False)
    assert entry.details["atelier"] == a.pk  # finding 4


def test_placer_en_tete_from_a_page_left_open_past_the_cut_off_is_refused(organiser_client, full_a):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    bruno, _ = register_person(seminar, person(11, ateliers=[b.pk]))
    join_atelier_waiting(bruno, a.pk)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(minutes=1)
    )
    answer = organiser_client.post(
        first_url(bruno),
        {"atelier": a.pk, "query": f"atelier_waiting={a.pk}"},
        follow=True,
    )
    assert (
        "La date limite des modifications est passée : une place libérée n'est plus donnée "
        "d'office dans l'ordre de la liste."
    ) in text_of(answer)
    assert atelier_waiting_ranks(bruno) == {a.pk: 2}  # finding 5
    assert not AuditEntry.objects.filter(action="seminar.registration.atelier_list_first").exists()


def test_no_seat_is_given_once_the_event_is_over(organiser_client, full_a):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    cancel_registration(holders[0])
    past = timezone.now() - timedelta(days=2)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        start=past, end=past + timedelta(hours=8), changes_until=None
    )
    AtelierWaiting.objects.get_or_create(registration=aicha, atelier=a)
    aicha.ateliers.set([b, c])
    page = text_of(organiser_client.get(list_url(seminar, a)))
    assert "Lui donner la place libre" not in page
    answer = organiser_client.post(
        give_url(aicha),
        {"atelier": a.pk},
        follow=True,
    )
    assert "L'événement est terminé : ses ateliers ne changent plus." in text_of(answer)
    assert set(aicha.ateliers.values_list("pk", flat=True)) == {b.pk, c.pk}  # finding 6


def test_three_ateliers_with_room_are_named_as_a_list(staff_api):
    seminar = make_seminar(
        ateliers=(("Budget", 1, 2, 3), ("Tarifs", 4, 1, 3), ("Logement", 6, 1, 3)),
    )
    registration, _ = register_person(seminar, person(1))
    ids = list(seminar.ateliers.order_by("sort_order").values_list("pk", flat=True))
    answer = staff_api.patch(
        f"/api/v1/seminars/{seminar.pk}/registrations/{registration.pk}/",
        json.dumps({"ateliers_waiting": ids}),
        content_type="application/json",
    )
    assert answer.status_code == 400
    (message,) = answer.json()["ateliers_waiting"]
    assert " ".join(message.split()).startswith(
        "Les ateliers « Budget », « Tarifs » et « Logement » ont de la place"
    )  # finding 10


def test_two_lists_joined_on_registering_are_named_in_the_plural(portal, seminar):
    a, b, c = seminar.ateliers.order_by("sort_order")
    for n in (1, 2, 3):
        register_person(seminar, person(n, ateliers=[a.pk]))
    for n in range(4, 14):
        register_person(seminar, person(n, ateliers=[c.pk]))
    answer = portal.post(
        page_path(seminar),
        form_data(ateliers=[b.pk], ateliers_waiting=[a.pk, c.pk]),
        follow=True,
    )
    assert (
        "Vous êtes aussi sur les listes d'attente des ateliers « Atelier A » et « Atelier C »"
    ) in text_of(answer)  # finding 10


def test_an_add_after_the_cut_off_says_the_lists_ticked_are_not_applied(organiser_client, full_a):
    seminar, a, b, c, holders, aicha = full_a
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(minutes=1)
    )
    answer = organiser_client.post(
        f"/admin/inscriptions/{seminar.pk}/ajouter/",
        {
            "nom": "Lemoine",
            "prenom": "Inès",
            "email": "ines.lemoine@exemple.fr",
            "commune": "Pantin",
            "fonction": "maire_adjoint",
            "ateliers": [b.pk],
            "ateliers_waiting": [a.pk],
        },
        follow=True,
    )
    assert (
        "La date limite des modifications est passée : les listes d'attente d'ateliers cochées "
        "ne s'appliquent pas."
    ) in text_of(answer)  # finding 12
    assert not AtelierWaiting.objects.exists()


def test_a_patch_of_another_field_keeps_a_seat_given_meanwhile(staff_api, full_a, monkeypatch):
    """The PATCH filled the ateliers it did not send from a read made before the event's lock:
    a seat of A given to her in between was taken back, silently (finding 8)."""
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    lock = services._lock_seminar
    freed = []

    def seat_freed_before_the_lock(event):
        if not freed:  # once: someone in A cancels, and A's seat goes to her
            freed.append(True)
            cancel_registration(holders[0])
        return lock(event)

    monkeypatch.setattr(services, "_lock_seminar", seat_freed_before_the_lock)
    answer = staff_api.patch(
        f"/api/v1/seminars/{seminar.pk}/registrations/{aicha.pk}/",
        json.dumps({"phone": "06 12 34 56 78"}),
        content_type="application/json",
    )
    assert freed and answer.status_code == 200, answer.content
    assert set(aicha.ateliers.values_list("pk", flat=True)) == {a.pk, c.pk}
    assert sorted(answer.json()["ateliers"]) == sorted([a.pk, c.pk])


def test_a_seat_given_from_a_waiting_list_is_journaled(full_a):
    """« Why am I no longer in B? »: the automatic move is in the journal, with the atelier she
    left (finding 11)."""
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    cancel_registration(holders[0])
    entry = AuditEntry.objects.get(action="seminar.registration.atelier_given")
    assert entry.actor is None
    assert entry.details == {
        "seminar": seminar.pk,
        "registration": aicha.pk,
        "atelier": a.pk,
        "left": [b.pk],
        "by": "waiting_list",
    }

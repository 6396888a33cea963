"""The atelier waiting lists on the organisers' side (session 42): the admin's « Ajouter » and
« Modifier » put a person on a full atelier's list or take her off it (the API's PATCH too), the
public and members' API take `ateliers_waiting`, the list shows one atelier's waiting list in its
order and its workbook carries the lists, and the desk is told once a freed seat no longer goes
to them (after the cut-off, read under the event's lock)."""

import html
import io
import json
import re
from datetime import timedelta

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from seminars.models import AtelierWaiting, Registration, SeminarPage
from seminars.services import (
    atelier_waiting_ranks,
    cancel_registration,
    join_atelier_waiting,
    promote_after_edit,
    register_person,
)
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def posted_edit(registration, **overrides) -> dict:
    """The admin's edit form as posted: what is registered, with `overrides`."""
    data = {
        "nom": registration.nom,
        "prenom": registration.prenom,
        "email": registration.email,
        "commune": registration.commune.nom,
        "fonction": registration.fonction,
        "ateliers": [str(pk) for pk in registration.ateliers.values_list("pk", flat=True)],
        "consent": "on",
    }
    return data | overrides


def edit_url(registration) -> str:
    return f"/admin/inscriptions/{registration.seminar_id}/{registration.pk}/modifier/"


def patch(client, registration, body, **headers):
    url = f"/api/v1/seminars/{registration.seminar_id}/registrations/{registration.pk}/"
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


# --- the admin's « Modifier » and « Ajouter » ----------------------------------------------------


def test_the_edit_form_puts_her_on_a_full_ateliers_list_and_takes_her_off(
    organiser_client, full_a, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, a, b, c, holders, aicha = full_a
    page = text_of(organiser_client.get(edit_url(aicha)))
    assert "<legend>Liste d'attente d'un atelier complet</legend>" in page
    assert "décochez-le pour l'en retirer" in page
    form = organiser_client.get(edit_url(aicha)).content.decode()
    assert f'name="ateliers_waiting" value="{a.pk}"' in form
    # B and C are hers: nothing to wait for there.
    assert f'name="ateliers_waiting" value="{b.pk}"' not in form

    with django_capture_on_commit_callbacks(execute=True):
        answer = organiser_client.post(
            edit_url(aicha), posted_edit(aicha, ateliers_waiting=[str(a.pk)])
        )
    assert answer.status_code == 302
    assert atelier_waiting_ranks(aicha) == {a.pk: 1}
    assert sorted(aicha.ateliers.values_list("title", flat=True)) == ["Atelier B", "Atelier C"]
    (updated,) = [m for m in mailoutbox if m.to == ["personne10@exemple.fr"]]
    assert "Atelier A (1re position)" in " ".join(updated.body.split())

    # Shown ticked when the form opens again; unticked, she leaves the list.
    form = organiser_client.get(edit_url(aicha)).content.decode()
    box = re.search(rf'<input[^>]*name="ateliers_waiting" value="{a.pk}"[^>]*>', form).group(0)
    assert "checked" in box
    answer = organiser_client.post(edit_url(aicha), posted_edit(aicha))
    assert answer.status_code == 302
    assert not AtelierWaiting.objects.filter(registration=aicha).exists()


def test_the_edit_form_refuses_a_stale_waiting_list_and_names_it(organiser_client, full_a):
    """The organiser opened the form; the person then joined A's list from her page. Saving the
    form as it was shown would take her off it: refused, the list named."""
    seminar, a, b, c, holders, aicha = full_a
    form = organiser_client.get(edit_url(aicha)).content.decode()
    version = re.search(r'name="saved_version" value="([^"]+)"', form).group(1)
    join_atelier_waiting(aicha, a.pk)
    answer = organiser_client.post(
        edit_url(aicha), posted_edit(aicha, saved_version=version, needs="Rampe d'accès")
    )
    assert answer.status_code == 400
    # (text_of folds the no-break spaces into spaces)
    assert "« Liste d'attente d'un atelier complet » : Atelier A" in text_of(answer)
    assert atelier_waiting_ranks(aicha) == {a.pk: 1}
    aicha.refresh_from_db()
    assert aicha.needs == ""


def test_no_waiting_list_in_the_edit_of_someone_waiting_for_the_event(organiser_client):
    seminar = make_seminar(seats=1, ateliers=(("Seul", 1, 1, 1), ("Autre", 1, 1, 5)))
    alone, other = seminar.ateliers.order_by("sort_order")
    register_person(seminar, person(1, ateliers=[alone.pk]))
    waiting, _ = register_person(seminar, person(2, ateliers=[other.pk]))
    assert waiting.status == Registration.Status.WAITLISTED
    assert 'name="ateliers_waiting"' not in organiser_client.get(edit_url(waiting)).content.decode()


def test_the_manual_add_puts_the_person_on_a_waiting_list(organiser_client, full_a):
    seminar, a, b, c, holders, aicha = full_a
    url = f"/admin/inscriptions/{seminar.pk}/ajouter/"
    form = organiser_client.get(url).content.decode()
    assert f'name="ateliers_waiting" value="{a.pk}"' in form
    fields = {"nom": "Martin", "prenom": "Léa", "commune": "Bondy", "fonction": "maire"}
    answer = organiser_client.post(url, fields | {"ateliers": [b.pk], "ateliers_waiting": [a.pk]})
    assert answer.status_code == 302
    lea = Registration.objects.get(nom="Martin")
    assert lea.status == Registration.Status.CONFIRMED
    assert list(lea.ateliers.values_list("title", flat=True)) == ["Atelier B"]
    assert atelier_waiting_ranks(lea) == {a.pk: 1}


# --- the API -------------------------------------------------------------------------------------


def test_the_public_api_registers_with_a_waiting_list(full_a):
    seminar, a, b, c, holders, aicha = full_a
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    body = {"nom": "Durand", "prenom": "Lucie", "email": "lucie@exemple.fr", "commune": "Bondy"}
    body |= {"fonction": "maire", "ateliers": [b.pk], "ateliers_waiting": [a.pk]}
    public = Client(HTTP_HOST="localhost")
    answer = public.post(url, json.dumps(body), content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["ateliers"] == [b.pk]
    assert answer.json()["ateliers_waiting"] == [a.pk]
    lucie = Registration.objects.get(email="lucie@exemple.fr")
    assert atelier_waiting_ranks(lucie) == {a.pk: 1}

    # The wrong type, or an atelier of another event: 400 in French, nothing saved.
    wrong = public.post(
        url,
        json.dumps(body | {"email": "x@exemple.fr", "ateliers_waiting": "A"}),
        "application/json",
    )
    assert wrong.status_code == 400
    assert wrong.json() == {
        "ateliers_waiting": ["Liste d'identifiants d'ateliers attendue, par exemple [3, 4]."]
    }
    elsewhere = make_seminar("Autre", ateliers=(("Ailleurs", 1, 1, 5),)).ateliers.get()
    unknown = public.post(
        url,
        json.dumps(body | {"email": "x@exemple.fr", "ateliers_waiting": [elsewhere.pk]}),
        "application/json",
    )
    assert unknown.status_code == 400 and set(unknown.json()) == {"ateliers_waiting"}
    assert not Registration.objects.filter(email="x@exemple.fr").exists()

    # A seat freed in A goes to Lucie, first on its list; A is full again for Z, who waits.
    cancel_registration(holders[0])
    assert list(lucie.ateliers.values_list("pk", flat=True)) == [a.pk]
    again = public.post(
        url,
        json.dumps(body | {"email": "z@exemple.fr", "ateliers_waiting": [a.pk]}),
        "application/json",
    )
    assert again.status_code == 201
    assert again.json()["ateliers"] == [b.pk] and again.json()["ateliers_waiting"] == [a.pk]


def test_the_api_gives_at_once_a_waited_atelier_that_has_room(full_a):
    """The client read A as full; a seat freed there before its POST, with nobody on A's list:
    A is hers at once, in place of B, and the answer says what is stored."""
    seminar, a, b, c, holders, aicha = full_a
    cancel_registration(holders[0])
    body = {"nom": "Durand", "prenom": "Lucie", "email": "lucie@exemple.fr", "commune": "Bondy"}
    body |= {"fonction": "maire", "ateliers": [b.pk], "ateliers_waiting": [a.pk]}
    answer = Client(HTTP_HOST="localhost").post(
        f"/api/v1/seminars/{seminar.pk}/registrations/", json.dumps(body), "application/json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["ateliers"] == [a.pk] and answer.json()["ateliers_waiting"] == []


def test_the_staff_patch_replaces_the_waiting_lists(staff_api, full_a):
    seminar, a, b, c, holders, aicha = full_a
    read = staff_api.get(f"/api/v1/seminars/{seminar.pk}/registrations/{aicha.pk}/")
    answer = patch(staff_api, aicha, {"ateliers_waiting": [a.pk]}, HTTP_IF_MATCH=read["ETag"])
    assert answer.status_code == 200, answer.content
    assert answer.json()["ateliers_waiting"] == [a.pk]
    assert answer["ETag"] != read["ETag"]  # the lists are part of the registration's version
    # An older reading is refused (412), naming what changed.
    stale = patch(staff_api, aicha, {"needs": "Rampe"}, HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412 and "ateliers_waiting" in stale.json()["detail"]
    # A PATCH of another field keeps them; an empty list takes her off.
    assert patch(staff_api, aicha, {"needs": "Rampe"}).json()["ateliers_waiting"] == [a.pk]
    assert patch(staff_api, aicha, {"ateliers_waiting": []}).json()["ateliers_waiting"] == []
    assert not AtelierWaiting.objects.exists()


def test_the_staff_patch_refuses_lists_for_someone_waiting_for_the_event(staff_api):
    seminar = make_seminar(seats=1, ateliers=(("Seul", 1, 1, 1), ("Autre", 1, 1, 5)))
    alone, other = seminar.ateliers.order_by("sort_order")
    register_person(seminar, person(1, ateliers=[alone.pk]))
    waiting, _ = register_person(seminar, person(2, ateliers=[other.pk]))
    answer = patch(staff_api, waiting, {"ateliers_waiting": [alone.pk]})
    assert answer.status_code == 400
    assert answer.json() == {
        "ateliers_waiting": [
            "Les listes d'attente des ateliers sont pour les personnes dont l'inscription est "
            "confirmée."
        ]
    }
    assert not AtelierWaiting.objects.exists()


# --- the list, its workbook and the desk ---------------------------------------------------------


def test_the_list_shows_one_ateliers_waiting_list_in_its_order_and_exports_it(
    organiser_client, full_a
):
    seminar, a, b, c, holders, aicha = full_a
    zoe, _ = register_person(seminar, person(11, nom="Abel", ateliers=[c.pk]))
    join_atelier_waiting(aicha, a.pk)  # Nom10 first, Abel second: not the alphabet's order
    join_atelier_waiting(zoe, a.pk)
    url = f"/admin/inscriptions/{seminar.pk}/"
    page = organiser_client.get(url, {"atelier_waiting": a.pk})
    text = text_of(page)
    assert (
        "2 inscriptions sur la liste d'attente de l'atelier « Atelier A », dans "
        "l'ordre où une place libérée leur sera donnée" in text
    )
    table = text[text.index('<table class="listing') :]
    table = table[table.index("<tbody") : table.index("</table>")]
    assert table.count("<tr") == 2 and table.index("NOM10") < table.index("ABEL")

    workbook = organiser_client.get(f"{url}liste.xlsx", {"atelier_waiting": a.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = next(row for row in values if row and row[0] == "Nom")
    people = values[values.index(header) + 1 :]
    assert header[-1] == "Listes d'attente des ateliers"
    assert [(row[0], row[-1]) for row in people] == [
        ("NOM10", "Atelier A (1re)"),
        ("ABEL", "Atelier A (2e)"),
    ]
    # An unknown atelier is said, and the list is not filtered by it.
    wrong = text_of(organiser_client.get(url, {"atelier_waiting": 999999}))
    assert "Cet atelier n'existe pas ou plus dans cet événement" in wrong


def test_the_desk_is_told_when_freed_seats_are_no_longer_given(organiser_client, full_a):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    url = f"/admin/inscriptions/{seminar.pk}/"
    page = text_of(organiser_client.get(url, {"atelier": a.pk}))
    assert "1 en liste d'attente de l'atelier)" in page
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(hours=1)
    )
    page = text_of(organiser_client.get(url, {"atelier": a.pk}))
    assert (
        "1 en liste d'attente de l'atelier : depuis la date limite des modifications, une "
        "place libérée ne lui est plus donnée d'office)" in page
    )
    page = text_of(organiser_client.get(url, {"atelier_waiting": a.pk}))
    assert (
        "1 inscription sur la liste d'attente de l'atelier « Atelier A », dans son ordre "
        "(depuis la date limite des modifications, une place libérée n'est plus donnée "
        "d'office)" in page
    )


def test_after_the_cut_off_the_edit_only_takes_her_off_a_list(organiser_client, full_a):
    seminar, a, b, c, holders, aicha = full_a
    in_c, _ = register_person(seminar, person(11, ateliers=[c.pk]))
    join_atelier_waiting(aicha, a.pk)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(hours=1)
    )
    form = organiser_client.get(edit_url(aicha)).content.decode()
    assert f'name="ateliers_waiting" value="{a.pk}"' in form  # hers: can be left
    assert "une place libérée n'est plus donnée d'office" in html.unescape(form)
    # Nobody else is offered a list that no longer moves, nor on the add form.
    assert 'name="ateliers_waiting"' not in organiser_client.get(edit_url(in_c)).content.decode()
    add = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/ajouter/").content.decode()
    assert 'name="ateliers_waiting"' not in add
    assert organiser_client.post(edit_url(aicha), posted_edit(aicha)).status_code == 302
    assert not AtelierWaiting.objects.exists()


def test_after_the_cut_off_the_patch_leaves_a_list_but_joins_none(staff_api, full_a):
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(hours=1)
    )
    kept = patch(staff_api, aicha, {"ateliers_waiting": [a.pk], "needs": "Rampe"})
    assert kept.status_code == 200 and kept.json()["ateliers_waiting"] == [a.pk]
    other, _ = register_person(seminar, person(11, ateliers=[c.pk]))
    refused = patch(staff_api, other, {"ateliers_waiting": [a.pk]})
    assert refused.status_code == 400
    assert refused.json()["ateliers_waiting"][0].startswith(
        "La date limite des modifications est passée"
    )
    assert patch(staff_api, aicha, {"ateliers_waiting": []}).status_code == 200
    assert not AtelierWaiting.objects.exists()


def test_the_desk_has_neither_the_lists_filter_nor_the_lists_for_walk_ins(organiser_client, full_a):
    """The volunteers' screens: their filters and the walk-in's form are for people present."""
    seminar, a, b, c, holders, aicha = full_a
    door = organiser_client.get(f"/admin/inscriptions/accueil/{seminar.pk}/")
    assert door.status_code == 200 and 'name="atelier_waiting"' not in door.content.decode()
    walk_in = organiser_client.get(f"/admin/inscriptions/accueil/{seminar.pk}/arrivee/")
    assert walk_in.status_code == 200 and 'name="ateliers_waiting"' not in walk_in.content.decode()
    # The list's own form has both.
    assert (
        'name="atelier_waiting"'
        in organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    )


def test_the_cut_off_is_read_under_the_lock_not_from_memory(full_a):
    """A process that loaded the event before the cut-off (a shell, a task) and frees a seat
    after it moves nobody: the lock reads the cut-off again."""
    seminar, a, b, c, holders, aicha = full_a
    join_atelier_waiting(aicha, a.pk)
    in_memory = SeminarPage.objects.get(pk=seminar.pk)
    assert in_memory.changes_open()
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timedelta(minutes=1)
    )
    holders[0].ateliers.clear()  # a seat in A is free
    assert promote_after_edit(in_memory) == []
    assert list(aicha.ateliers.order_by("starts_at").values_list("title", flat=True)) == [
        "Atelier B",
        "Atelier C",
    ]
    assert atelier_waiting_ranks(aicha) == {a.pk: 1}


def test_her_e_mail_names_the_lists_for_that_time_she_leaves(
    seminar, mailoutbox, django_capture_on_commit_callbacks
):
    """On the lists of A and B (the same morning, both full), she gets A: the e-mail says she is
    no longer on B's list."""
    a, b, c = seminar.ateliers.order_by("sort_order")
    in_a = [register_person(seminar, person(n, ateliers=[a.pk]))[0] for n in (1, 2, 3)]
    for n in (4, 5, 6):
        register_person(seminar, person(n, ateliers=[b.pk]))
    aicha, _ = register_person(seminar, person(10, ateliers=[c.pk]))
    join_atelier_waiting(aicha, a.pk)
    join_atelier_waiting(aicha, b.pk)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(in_a[0])
    assert atelier_waiting_ranks(aicha) == {}
    (told,) = [m for m in mailoutbox if m.to == ["personne10@exemple.fr"]]
    body = " ".join(told.body.split())
    assert "une place s'est libérée dans l'atelier « Atelier A »" in body
    assert (
        "Vous ne figurez plus sur la liste d'attente de « Atelier B », qui a lieu au même "
        "moment." in body
    )
    assert "à la place de" not in body  # she held nothing at that time
    html_part = " ".join(html.unescape(told.alternatives[0][0]).split())
    assert "Vous ne figurez plus sur la liste d'attente de « Atelier B »" in html_part


def test_the_desk_sees_who_waited_for_which_atelier(organiser_client):
    """On the day nobody is moved: the desk's rows (and the list's on the day) show each
    person's lists with her rank, for the desk to seat her by hand."""
    seminar = make_seminar(
        "Journée",
        days_ahead=-1 / 24,
        hours=8,
        ateliers=(("Budget", 0.5, 2, 1), ("Tarifs", 0.5, 2, 5)),
    )
    budget, tarifs = seminar.ateliers.order_by("sort_order")
    register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]))
    roux, _ = register_person(seminar, person(2, nom="Roux", ateliers=[tarifs.pk]))
    AtelierWaiting.objects.create(registration=roux, atelier=budget)
    for url in (f"/admin/inscriptions/accueil/{seminar.pk}/", f"/admin/inscriptions/{seminar.pk}/"):
        page = text_of(organiser_client.get(url))
        row = next(part for part in page.split("<tr")[1:] if "ROUX" in part.upper())
        assert "Liste d'attente : Budget (1re)" in row, url
        assert "Présent(e) à l'atelier" in row  # the desk's buttons are there too

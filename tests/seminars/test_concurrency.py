"""Capacity under concurrency: real threads, each on its own connection, committed data."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from seminars.models import Registration, SeminarIndexPage, SeminarPage
from seminars.services import RegistrationError, register_person
from tests.conftest import run_committed
from tests.seminars.conftest import make_seminar, person

pytestmark = [pytest.mark.django_db, pytest.mark.committed]
ATTEMPTS = 200
# PostgreSQL accepts 100 connections by default: 50 threads at once, each with its own.
THREADS = 50


def _create(seats: int, ateliers: tuple) -> tuple[int, bool]:
    had_index = SeminarIndexPage.objects.exists()
    return make_seminar("Séminaire concurrent", seats=seats, ateliers=ateliers).pk, had_index


def _remove(seminar_id: int, had_index: bool) -> None:
    SeminarPage.objects.get(pk=seminar_id).delete()
    if not had_index:
        SeminarIndexPage.objects.all().delete()


def _attempt_all(seminar_id: int, atelier_ids: list[int], same_email: bool = False) -> list[str]:
    start = threading.Barrier(THREADS)

    def attempt(number: int) -> str:
        try:
            if number < THREADS:
                start.wait()  # the first wave hits the database at the same moment
            seminar = SeminarPage.objects.get(pk=seminar_id)
            # The same person sending the form again and again (another name under a registered
            # address is refused on the public form: test_review_s15_public).
            someone = person(1 if same_email else number, ateliers=atelier_ids)
            if same_email:
                someone.email = "toujours-la-meme@exemple.fr"
            registration, _ = register_person(seminar, someone, notify=False)
            return registration.status
        except RegistrationError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(attempt, range(ATTEMPTS)))


def _statuses(seminar_id: int) -> dict[str, int]:
    rows = Registration.objects.filter(seminar_id=seminar_id).values_list("status", flat=True)
    return {status: list(rows).count(status) for status in set(rows)}


def test_200_concurrent_registrations_for_50_seats_confirm_exactly_50():
    seminar_id, had_index = run_committed(_create, 50, ())
    try:
        outcomes = run_committed(_attempt_all, seminar_id, [])
        assert outcomes.count("confirmed") == 50
        assert outcomes.count("waitlisted") == 150
        assert run_committed(_statuses, seminar_id) == {"confirmed": 50, "waitlisted": 150}
    finally:
        run_committed(_remove, seminar_id, had_index)


def test_concurrent_choices_of_one_atelier_never_overbook_it():
    seminar_id, had_index = run_committed(_create, 500, (("Atelier très demandé", 1, 2, 20),))
    try:
        atelier_id = run_committed(lambda: SeminarPage.objects.get(pk=seminar_id).ateliers.get().pk)
        outcomes = run_committed(_attempt_all, seminar_id, [atelier_id])
        assert outcomes.count("confirmed") == 20
        assert outcomes.count("refused") == 180
        taken = run_committed(
            lambda: Registration.objects.filter(
                ateliers=atelier_id, status=Registration.Status.CONFIRMED
            ).count()
        )
        assert taken == 20
    finally:
        run_committed(_remove, seminar_id, had_index)


def test_the_same_email_sent_200_times_at_once_makes_one_registration():
    seminar_id, had_index = run_committed(_create, 50, ())
    try:
        outcomes = run_committed(_attempt_all, seminar_id, [], same_email=True)
        assert outcomes.count("confirmed") == ATTEMPTS  # each attempt saw itself confirmed
        assert run_committed(_statuses, seminar_id) == {"confirmed": 1}
        last_name = run_committed(lambda: Registration.objects.get(seminar_id=seminar_id).nom)
        assert last_name.startswith("Nom")  # one of the attempts, updated in place
    finally:
        run_committed(_remove, seminar_id, had_index)

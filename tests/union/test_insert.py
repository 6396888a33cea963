"""union.insert: a row inserted with the statement compiled once is the row save() would write."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.db.models.signals import post_save, pre_save
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from seminars.models import Registration, SeminarPage
from seminars.tasks import send_registration_email
from tests.seminars.conftest import make_seminar
from union.insert import NotInsertable, insert_new
from union.task_queue import QueueInPostgreSQL

pytestmark = pytest.mark.django_db

SKIPPED = {"id", "created_at", "updated_at"}
WAITLISTED_AT = timezone.now() - timedelta(hours=1)


def new_registration(seminar, email: str) -> Registration:
    return Registration(
        seminar=seminar,
        nom="Durand",
        prenom="Aïcha",
        email=email,
        commune_id="93010",
        commune_typed="bondy",
        commune_suggestions=[{"code": "93010", "nom": "Bondy"}],
        fonction="maire",
        needs="Fauteuil",
        consent=True,
        status=Registration.Status.WAITLISTED,
        waitlisted_at=WAITLISTED_AT,
    )


def stored(registration: Registration) -> dict:
    row = Registration.objects.filter(pk=registration.pk).values().get()
    return {name: value for name, value in row.items() if name not in SKIPPED}


def test_the_row_is_the_one_save_writes_and_the_signals_are_sent():
    seminar = make_seminar()
    saved = new_registration(seminar, "a@exemple.fr")
    saved.save()
    received = []

    def listen(signal_name):
        return lambda sender, instance, **kwargs: received.append((signal_name, instance, kwargs))

    on_pre, on_post = listen("pre_save"), listen("post_save")
    pre_save.connect(on_pre, sender=Registration)
    post_save.connect(on_post, sender=Registration)
    try:
        before = timezone.now()
        inserted = new_registration(seminar, "b@exemple.fr")
        insert_new(inserted)
    finally:
        pre_save.disconnect(on_pre, sender=Registration)
        post_save.disconnect(on_post, sender=Registration)
    assert inserted.pk and inserted.pk != saved.pk and not inserted._state.adding
    assert {**stored(inserted), "email": "a@exemple.fr"} == stored(saved)
    row = Registration.objects.get(pk=inserted.pk)
    assert before <= row.created_at <= row.updated_at <= timezone.now()
    assert row.commune_suggestions == [{"code": "93010", "nom": "Bondy"}]
    assert [(name, instance) for name, instance, _ in received] == [
        ("pre_save", inserted),
        ("post_save", inserted),
    ]
    assert received[1][2]["created"] is True


def test_a_row_that_breaks_a_unique_constraint_is_skipped_without_an_error():
    """ON CONFLICT DO NOTHING: False, nothing written, no post_save, and no ERROR in PostgreSQL,
    whose error would have aborted the transaction (the next query would fail)."""
    seminar = make_seminar()
    first = new_registration(seminar, "d@exemple.fr")
    assert insert_new(first, unless_conflict=True) is True and first.pk
    created = []
    receiver = lambda sender, **kwargs: created.append(kwargs["instance"])  # noqa: E731
    post_save.connect(receiver, sender=Registration)
    try:
        again = new_registration(seminar, "d@exemple.fr")
        assert insert_new(again, unless_conflict=True) is False
    finally:
        post_save.disconnect(receiver, sender=Registration)
    assert again.pk is None and again._state.adding and created == []
    assert Registration.objects.filter(email="d@exemple.fr").count() == 1  # still usable


def test_expressions_and_inherited_models_are_refused():
    seminar = make_seminar()
    registration = new_registration(seminar, "c@exemple.fr")
    registration.nom = F("prenom")
    with pytest.raises(NotInsertable):
        insert_new(registration)
    with pytest.raises(NotInsertable):
        insert_new(SeminarPage(title="Hérité"))  # a Wagtail page: two tables
    assert not Registration.objects.filter(email="c@exemple.fr").exists()


def test_the_queue_stores_the_task_as_the_library_does(settings):
    """The library's pre_save receiver still gives a task without a date its far-future date."""
    settings.TASKS = {"default": {"BACKEND": "union.task_queue.QueueInPostgreSQL"}}
    queue = QueueInPostgreSQL("default", {})
    now = queue.enqueue(send_registration_email, (7, "confirmed"), {})
    later = timezone.now() + timedelta(minutes=10)
    deferred = queue.enqueue(send_registration_email.using(run_after=later), (7, "updated"), {})
    rows = {row.pk: row for row in DBTaskResult.objects.all()}
    first, second = rows[now.db_result.pk], rows[deferred.db_result.pk]
    assert first.run_after == get_date_max() and second.run_after == later
    assert first.args_kwargs == {"args": [7, "confirmed"], "kwargs": {}}
    assert (first.status, first.task_path, first.backend_name) == (
        TaskResultStatus.READY,
        "seminars.tasks.send_registration_email",
        "default",
    )
    assert first.task_result.task.func is send_registration_email.func

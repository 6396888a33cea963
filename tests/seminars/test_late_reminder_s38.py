"""Audit A26 (when things fail), session 38: a reminder held up until the event began (the
worker stopped, the mail server down, « Renvoyer » on a failed copy days later) is not sent:
« Nous vous attendons bientôt » would arrive after the event. One queued before it still goes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seminars.models import SeminarPage
from seminars.services import register_person
from seminars.tasks import registration_still_wanted, send_registration_email
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    seminar = make_seminar("Journée des élus")
    registration, _ = register_person(seminar, person(1), notify=False)
    return seminar, registration


def test_a_reminder_before_the_event_goes(registered, mailoutbox):
    _seminar, registration = registered
    assert send_registration_email.call(registration.pk, "reminder") is True
    assert [m.to for m in mailoutbox] == [[registration.email]]


def test_a_reminder_held_up_until_the_event_began_is_dropped(registered, mailoutbox):
    seminar, registration = registered
    SeminarPage.objects.filter(pk=seminar.pk).update(start=timezone.now() - timedelta(hours=1))

    assert send_registration_email.call(registration.pk, "reminder") is False
    assert not mailoutbox
    # Nor resent from the failed e-mails' panel: the reason is said.
    reason = registration_still_wanted(registration.pk, "reminder", recipients=[registration.email])
    assert reason == "l'événement a commencé depuis : le rappel arriverait après lui".replace(
        " :", "\u00a0:"
    )

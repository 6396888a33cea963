"""Session 36: an atelier's new time or room, published, is told to those registered for it
(« Événement modifié », the new and former slot side by side, the .ics that moves it), and to
nobody else; before, only the event's own date and place were compared."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from icalendar import Calendar

from seminars.models import SeminarPage, atelier_slot
from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def journee(mailoutbox, django_capture_on_commit_callbacks):
    """Published, two ateliers (Budget at +1 h, Accès aux droits at +4 h); Zola in Budget,
    Abel in Accès aux droits, Roux in both; the confirmations cleared."""
    seminar = make_seminar(
        "Journée des ateliers",
        days_ahead=20,
        ateliers=(("Budget", 1, 2, 10), ("Accès aux droits", 4, 2, 10)),
    )
    seminar.save_revision().publish()
    seminar = SeminarPage.objects.get(pk=seminar.pk)
    budget, droits = seminar.ateliers.order_by("sort_order")
    with django_capture_on_commit_callbacks(execute=True):
        register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]))
        register_person(seminar, person(2, nom="Abel", ateliers=[droits.pk]))
        register_person(seminar, person(3, nom="Roux", ateliers=[budget.pk, droits.pk]))
    mailoutbox.clear()
    return seminar


def publish_atelier_change(seminar, title, **changes):
    """What the page editor does: the ateliers in memory, one changed, a revision published."""
    draft = SeminarPage.objects.get(pk=seminar.pk)
    ateliers = list(draft.ateliers.order_by("sort_order"))
    for atelier in ateliers:
        if atelier.title == title:
            for name, value in changes.items():
                setattr(atelier, name, value)
    draft.ateliers = ateliers
    draft.save_revision().publish()
    return SeminarPage.objects.get(pk=seminar.pk)


def test_an_ateliers_new_time_is_told_to_its_people_only(
    journee, mailoutbox, django_capture_on_commit_callbacks
):
    budget = journee.ateliers.get(title="Budget")
    later = budget.starts_at + timedelta(hours=5)
    with django_capture_on_commit_callbacks(execute=True):
        publish_atelier_change(
            journee,
            "Budget",
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            room="Salle B",
        )
    # Abel holds only « Accès aux droits », which did not move.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "personne1@exemple.fr",
        "personne3@exemple.fr",
    ]
    zola = next(m for m in mailoutbox if m.to == ["personne1@exemple.fr"])
    assert zola.subject == f"Événement modifié{NBSP}: Journée des ateliers"
    body = zola.body
    assert (
        f"ont modifié l'horaire ou la salle de votre atelier «{NBSP}Budget{NBSP}» de "
        "l'événement" in body
    )
    (line,) = [text for text in body.splitlines() if text.startswith("- Budget")]
    assert "Salle B" in line and "modifié (avant" in line
    new_slot, former_slot = line.split("modifié (avant")
    moved = SimpleNamespace(starts_at=later, ends_at=later + timedelta(hours=2))
    assert f"({atelier_slot(moved, False)}, Salle B)" in new_slot
    assert former_slot == f"{NBSP}: {atelier_slot(budget, False)})"
    assert "Nouvelle date" not in body and "Nouveau lieu" not in body
    assert "modifié" in zola.alternatives[0][0]
    # The personal .ics carries the atelier's new time.
    (ics,) = [
        part.get_content()
        for part in zola.message().walk()
        if part.get_content_type() == "text/calendar"
    ]
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert "Salle B" in str(event["description"])
    # Roux holds both: told of Budget, Accès aux droits not marked.
    roux = next(m for m in mailoutbox if m.to == ["personne3@exemple.fr"])
    marked = [text for text in roux.body.splitlines() if "modifié (avant" in text]
    assert len(marked) == 1 and marked[0].startswith("- Budget")
    audit = AuditEntry.objects.get(action="seminar.change_notified")
    assert audit.details == audit.details | {"changed": ["ateliers"], "count": 2}


def test_an_ateliers_new_room_alone_is_told_and_other_edits_are_not(
    journee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        seminar = publish_atelier_change(journee, "Accès aux droits", description="Nouveau")
    assert not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        publish_atelier_change(seminar, "Accès aux droits", room="Salle du conseil")
    assert sorted(m.to[0] for m in mailoutbox) == [
        "personne2@exemple.fr",
        "personne3@exemple.fr",
    ]
    abel = next(m for m in mailoutbox if m.to == ["personne2@exemple.fr"])
    assert "Salle du conseil" in abel.body


def test_an_ateliers_move_undone_before_the_email_goes_sends_nothing(
    journee, mailoutbox, django_capture_on_commit_callbacks
):
    from seminars.tasks import send_event_changed_email

    zola = journee.registrations.get(nom="Zola")
    abel = journee.registrations.get(nom="Abel")
    before = journee.when_and_where()
    budget = journee.ateliers.get(title="Budget")
    with django_capture_on_commit_callbacks(execute=False):
        moved = publish_atelier_change(journee, "Budget", room="Salle B")
    # Abel's atelier did not move: a task for her sends nothing.
    assert send_event_changed_email.call(abel.pk, before) is False
    with django_capture_on_commit_callbacks(execute=False):
        publish_atelier_change(moved, "Budget", room=budget.room)
    assert send_event_changed_email.call(zola.pk, before) is False
    assert not mailoutbox


def test_a_task_queued_before_ateliers_were_compared_still_goes(
    journee, mailoutbox, django_capture_on_commit_callbacks
):
    """A task in the queue at the upgrade carries `before` without « ateliers »."""
    from seminars.tasks import send_event_changed_email

    zola = journee.registrations.get(nom="Zola")
    before = journee.when_and_where()
    del before["ateliers"]
    with django_capture_on_commit_callbacks(execute=False):
        moved = SeminarPage.objects.get(pk=journee.pk)
        moved.start += timedelta(days=1)
        moved.end += timedelta(days=1)
        moved.save_revision().publish()
    assert send_event_changed_email.call(zola.pk, before) is True
    assert "Nouvelle date" in mailoutbox[-1].body

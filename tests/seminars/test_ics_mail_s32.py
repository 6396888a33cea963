"""Session 32 (audit A8 of the calendar files and the registrants' e-mails): a file of one event
has no calendar name; LOCATION of an address typed on two lines; the e-mails the platform
writes by itself are `Auto-Submitted`; changing ateliers on the personal page sends the updated
personal .ics, which the page also serves; publishing a new date or place tells the
registrants, with the .ics that moves the event in their calendar."""

from datetime import timedelta

import pytest
from django.core import signing
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from seminars.emails import send_registration_email, send_registrations_list
from seminars.ics import cancellation_ics, feed_ics, personal_ics, seminar_ics
from seminars.links import SALT, make_token, manage_path, portal_path
from seminars.models import SeminarPage
from seminars.services import cancel_event, email_registrants, register_person
from tests.seminars.conftest import make_seminar, person
from union.formats import date_span
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def calendar_of(content) -> Calendar:
    return Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


def vevent(content):
    (event,) = calendar_of(content).walk("VEVENT")
    return event


def ics_attachments(message) -> list:
    """The text/calendar attachments of a sent message, as text."""
    return [
        part.get_content()
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]


# --- 1. a file of one event is not a calendar -------------------------------------------------


def test_only_the_feed_names_itself_a_single_event_file_does_not(portal):
    seminar = make_seminar("Journée des élus")
    registration, _ = register_person(seminar, person(1))
    for content in (
        seminar_ics(seminar),
        personal_ics(registration),
        cancellation_ics(registration),
        portal.get(f"/evenements/ics/{seminar.pk}.ics").content,
    ):
        assert b"X-WR-CALNAME" not in content
        assert "x-wr-calname" not in calendar_of(content)
        assert str(vevent(content)["summary"]) == "Journée des élus"
    feed = calendar_of(feed_ics([seminar]))
    assert str(feed["x-wr-calname"]).startswith("Événements")
    assert b"X-WR-CALNAME" in portal.get("/evenements/calendrier.ics").content


# --- 4. an address on two lines ---------------------------------------------------------------


def test_an_address_typed_on_two_lines_is_one_line_in_location():
    seminar = make_seminar(venue_address="93 rue Carnot\r\n93000 Bobigny\r\n")
    registration, _ = register_person(seminar, person(1))
    expected = "Salle des fêtes, 93 rue Carnot, 93000 Bobigny"
    for content in (seminar_ics(seminar), personal_ics(registration), feed_ics([seminar])):
        location = str(calendar_of(content).walk("VEVENT")[0]["location"])
        assert location == expected
        assert "\r" not in location and "\n" not in location
    seminar.venue_name = ""
    assert str(vevent(seminar_ics(seminar))["location"]) == "93 rue Carnot, 93000 Bobigny"


# --- 6. Auto-Submitted ------------------------------------------------------------------------


def test_the_automatic_emails_say_so_and_the_organisers_message_does_not(
    mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Journée des élus", organiser_email="orga@union.test")
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = register_person(seminar, person(1))
    (confirmation,) = mailoutbox
    assert confirmation.extra_headers.get("Auto-Submitted") == "auto-generated"
    assert confirmation.message()["Auto-Submitted"] == "auto-generated"
    for kind in ("reminder", "cancelled", "link"):
        send_registration_email(registration, kind)
        assert mailoutbox[-1].extra_headers.get("Auto-Submitted") == "auto-generated"
    send_registrations_list([registration])
    assert mailoutbox[-1].extra_headers.get("Auto-Submitted") == "auto-generated"
    # A person wrote « Écrire aux inscrits »: a reply (an absence notice too) is for them.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        email_registrants(seminar, "Programme", "Voici le programme.", statuses=["confirmed"])
    (message,) = mailoutbox
    assert "Auto-Submitted" not in message.extra_headers
    assert message.message()["Auto-Submitted"] is None


# --- 3. ateliers changed on the personal page -------------------------------------------------


@pytest.fixture
def with_ateliers():
    return make_seminar(
        "Journée des ateliers",
        ateliers=(("Budget", 1, 2, 10), ("Accès aux droits", 4, 2, 10)),
    )


def test_changing_ateliers_on_the_personal_page_sends_the_updated_ics(
    portal, with_ateliers, mailoutbox, django_capture_on_commit_callbacks
):
    budget, droits = with_ateliers.ateliers.order_by("sort_order")
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = register_person(with_ateliers, person(1, ateliers=[budget.pk]))
    (confirmation,) = mailoutbox
    (first,) = ics_attachments(confirmation)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(
            manage_path(registration), {"action": "ateliers", "ateliers": [droits.pk]}
        )
    assert response.status_code == 302
    (update,) = mailoutbox
    assert update.subject == f"Inscription mise à jour{NBSP}: Journée des ateliers"
    assert update.extra_headers.get("Auto-Submitted") == "auto-generated"
    assert "Accès aux droits" in update.body and "Budget" not in update.body
    (ics,) = ics_attachments(update)
    event = vevent(ics)
    assert event["uid"] == vevent(first)["uid"]
    assert int(event["sequence"]) >= int(vevent(first)["sequence"])
    assert "Accès aux droits" in str(event["description"])
    assert "Budget" not in str(event["description"])

    # Saved again unchanged: nothing to tell.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        portal.post(manage_path(registration), {"action": "ateliers", "ateliers": [droits.pk]})
    assert not mailoutbox


def test_changes_in_a_row_are_spaced_as_the_other_public_notices(
    portal, with_ateliers, mailoutbox, django_capture_on_commit_callbacks
):
    budget, droits = with_ateliers.ateliers.order_by("sort_order")
    registration, _ = register_person(with_ateliers, person(1, ateliers=[budget.pk]))
    url = manage_path(registration)
    with django_capture_on_commit_callbacks(execute=True):
        portal.post(url, {"action": "ateliers", "ateliers": [droits.pk]})
    assert len(mailoutbox) == 1
    registration.refresh_from_db()
    first_notice = registration.public_notice_at
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        portal.post(url, {"action": "ateliers", "ateliers": [budget.pk]})
        portal.post(url, {"action": "ateliers", "ateliers": []})
    # One more e-mail, due at the end of the interval (queue_public_notice), not two at once.
    assert len(callbacks) == 1
    registration.refresh_from_db()
    assert registration.public_notice_at == first_notice + timedelta(minutes=10)


def test_the_personal_page_offers_the_personal_ics(portal, with_ateliers):
    budget, _droits = with_ateliers.ateliers.order_by("sort_order")
    registration, _ = register_person(with_ateliers, person(1, ateliers=[budget.pk]))
    token = make_token(registration)
    url = portal_path("personal_ics", token)
    assert url == f"/evenements/inscription/{token}/agenda.ics"
    page = portal.get(portal_path("manage", token)).content.decode()
    assert f'href="{url}"' in page
    assert f"/evenements/ics/{with_ateliers.pk}.ics" not in page

    response = portal.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    event = vevent(response.content)
    assert "Budget" in str(event["description"])  # the person's ateliers
    assert event.walk("VALARM")  # and the reminder the day before
    assert manage_path(registration) not in response.content.decode()  # never the link
    public = vevent(portal.get(f"/evenements/ics/{with_ateliers.pk}.ics").content)
    assert int(event["sequence"]) > int(public["sequence"])


def test_the_personal_ics_of_a_bad_link_or_without_a_seat_is_404(portal, with_ateliers):
    registration, _ = register_person(with_ateliers, person(1))
    token = make_token(registration)
    url = portal_path("personal_ics", token)
    assert portal.get(url[:-20] + "x" * 9 + url[-11:]).status_code == 404  # tampered
    forged = signing.dumps({"r": registration.pk, "h": "0" * 16}, salt=SALT, compress=True)
    assert portal.get(portal_path("personal_ics", forged)).status_code == 404
    with override_settings(SEMINAR_LINK_MAX_AGE=-1):
        assert portal.get(url).status_code == 404  # expired
    registration.status = "waitlisted"
    registration.save(update_fields=["status"])
    assert portal.get(url).status_code == 404
    registration.status = "confirmed"
    registration.save(update_fields=["status"])
    assert portal.get(url).status_code == 200
    cancel_event(with_ateliers, by=None)
    assert portal.get(url).status_code == 404


# --- 2. a new date or place published ---------------------------------------------------------


@pytest.fixture
def published(mailoutbox, django_capture_on_commit_callbacks):
    """Published through Wagtail, two seats: Zola and Abel confirmed, Roux waiting, Sans waiting
    without an address; their confirmations by address."""
    seminar = make_seminar(
        "Séminaire des élus",
        seats=2,
        days_ahead=20,
        venue_address="12 rue de la Paix\r\n93140 Bondy",
        organiser_email="orga@union.test",
    )
    seminar.save_revision().publish()
    seminar = SeminarPage.objects.get(pk=seminar.pk)
    with django_capture_on_commit_callbacks(execute=True):
        zola, _ = register_person(seminar, person(1, nom="Zola"))
        abel, _ = register_person(seminar, person(2, nom="Abel"))
        roux, _ = register_person(seminar, person(3, nom="Roux"))
        sans, _ = register_person(seminar, person(4, nom="Sans", email=""))
    assert [r.status for r in (zola, abel, roux, sans)] == ["confirmed"] * 2 + ["waitlisted"] * 2
    confirmations = {m.to[0]: m for m in mailoutbox}
    mailoutbox.clear()
    return seminar, confirmations


def publish(seminar, user=None, **changes):
    """An organiser's edit published: the page as it is live, changed, saved as a revision."""
    draft = SeminarPage.objects.get(pk=seminar.pk)
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision(user=user).publish(user=user)
    return SeminarPage.objects.get(pk=seminar.pk)


def test_publishing_a_new_start_tells_everyone_registered_once_with_the_moved_event(
    published, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, confirmations = published
    former = seminar.start
    new_start, new_end = seminar.start + timedelta(days=7), seminar.end + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        seminar = publish(seminar, start=new_start, end=new_end)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "personne1@exemple.fr",
        "personne2@exemple.fr",
        "personne3@exemple.fr",
    ]
    zola = next(m for m in mailoutbox if m.to == ["personne1@exemple.fr"])
    assert zola.subject == f"Événement modifié{NBSP}: Séminaire des élus"
    assert zola.extra_headers.get("Auto-Submitted") == "auto-generated"
    assert zola.reply_to == ["orga@union.test"]
    body = zola.body

    assert f"Nouvelle date{NBSP}: {date_span(new_start, new_end)}" in body
    assert f"Ancienne date{NBSP}: {date_span(former, former + (new_end - new_start))}" in body
    assert "Nouveau lieu" not in body
    html = zola.alternatives[0][0]
    assert "Nouvelle date" in html and "Ancienne date" in html
    # The personal .ics: the same UID, the new times, a SEQUENCE above the confirmation's.
    (ics,) = ics_attachments(zola)
    event = vevent(ics)
    (confirmation_ics,) = ics_attachments(confirmations["personne1@exemple.fr"])
    before = vevent(confirmation_ics)
    assert event["uid"] == before["uid"]
    assert event.decoded("dtstart") == new_start
    assert event.decoded("dtend") == new_end
    assert int(event["sequence"]) > int(before["sequence"])
    # Someone waiting holds no seat: told, without a file to add.
    roux = next(m for m in mailoutbox if m.to == ["personne3@exemple.fr"])
    assert "liste d'attente" in roux.body and not ics_attachments(roux)
    audit = AuditEntry.objects.get(action="seminar.change_notified")
    assert audit.details["count"] == 3 and audit.details["changed"] == ["date"]


def test_a_new_place_is_said_with_the_former_one(
    published, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, _confirmations = published
    with django_capture_on_commit_callbacks(execute=True):
        publish(seminar, venue_name="Hôtel de ville", venue_address="1 place de la Mairie")
    assert len(mailoutbox) == 3
    body = mailoutbox[0].body
    assert f"Nouveau lieu{NBSP}: Hôtel de ville, 1 place de la Mairie" in body
    assert f"Ancien lieu{NBSP}: Salle des fêtes, 12 rue de la Paix, 93140 Bondy" in body
    assert "Nouvelle date" not in body
    confirmed = next(m for m in mailoutbox if m.to == ["personne1@exemple.fr"])
    (ics,) = ics_attachments(confirmed)
    assert str(vevent(ics)["location"]) == "Hôtel de ville, 1 place de la Mairie"


def test_other_changes_or_the_same_address_saved_again_tell_nobody(
    published, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, _confirmations = published
    with django_capture_on_commit_callbacks(execute=True):
        seminar = publish(seminar, summary="Un nouveau programme", title="Séminaire des élu·es")
        # The address's line ends changed (saved again from another form), not the place.
        seminar = publish(seminar, venue_address="12 rue de la Paix\n93140 Bondy")
    assert not mailoutbox
    assert not AuditEntry.objects.filter(action="seminar.change_notified").exists()


def test_a_cancelled_or_past_event_tells_nobody(
    published, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, _confirmations = published
    past = make_seminar("Séminaire passé", seats=5)
    past.save_revision().publish()
    register_person(past, person(1), notify=False)
    ago = timezone.now() - timedelta(days=10)
    SeminarPage.objects.filter(pk=past.pk).update(start=ago, end=ago + timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        publish(past, start=ago + timedelta(hours=1))
        cancel_event(seminar, by=None)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            seminar, start=seminar.start + timedelta(days=1), end=seminar.end + timedelta(days=1)
        )
    assert not mailoutbox


def test_a_change_undone_before_the_email_goes_sends_nothing(
    published, mailoutbox, django_capture_on_commit_callbacks
):
    from seminars.tasks import send_event_changed_email

    seminar, _confirmations = published
    zola = seminar.registrations.get(nom="Zola")
    before = seminar.when_and_where()
    with django_capture_on_commit_callbacks(execute=False):
        publish(seminar, start=seminar.start + timedelta(hours=2))
        publish(seminar, start=seminar.start)  # back to where it was
    assert send_event_changed_email.call(zola.pk, before) is False
    assert not mailoutbox
    # A registration cancelled since the change: nothing either.
    moved = publish(seminar, start=seminar.start + timedelta(hours=2))
    assert moved.start != seminar.start
    zola.status = "cancelled"
    zola.cancelled_at = timezone.now()
    zola.save(update_fields=["status", "cancelled_at"])
    assert send_event_changed_email.call(zola.pk, before) is False
    assert not mailoutbox


def test_the_demo_moving_its_own_events_tells_nobody(
    published, mailoutbox, django_capture_on_commit_callbacks
):
    from seminars.services import event_changes_untold

    seminar, _confirmations = published
    with django_capture_on_commit_callbacks(execute=True), event_changes_untold():
        publish(
            seminar, start=seminar.start + timedelta(days=1), end=seminar.end + timedelta(days=1)
        )
    assert not mailoutbox

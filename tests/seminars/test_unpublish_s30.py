"""« Dépublier » an event people are registered to (session 30): an event still to come that
people are confirmed or waiting for is not unpublished (they would not be told), from its own
page, from the calendar with its children, or in bulk; a past, cancelled or draft event may go,
and one whose registrations are all cancelled."""

import html
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from seminars.models import Registration, SeminarPage
from seminars.services import cancel_event, cancel_registration, register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db

BULK = "/admin/bulk/wagtailcore/page/unpublish/"


def unpublish_url(page) -> str:
    return f"/admin/pages/{page.pk}/unpublish/"


def flat(text: str) -> str:
    """The page's text, its entities read, its spaces collapsed."""
    return " ".join(html.unescape(text).split())


def is_live(page) -> bool:
    return Page.objects.get(pk=page.pk).live


@pytest.fixture
def expected():
    """Three seats: Zola, Abel and Sans confirmed, Roux waiting, Vidal cancelled."""
    seminar = make_seminar("Séminaire des élus", seats=3, days_ahead=7)
    for number, nom in enumerate(("Zola", "Abel", "Sans", "Roux", "Vidal"), start=1):
        register_person(seminar, person(number, nom=nom))
    cancel_registration(seminar.registrations.get(nom="Vidal"))
    assert sorted(seminar.registrations.values_list("status", flat=True)) == [
        "cancelled",
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    return seminar


REFUSED = (
    "« Séminaire des élus » a 4 personnes inscrites (3 confirmées, 1 en liste d'attente) : un "
    "événement à venir qui a des inscrits ne se dépublie pas"
)


def test_unpublishing_an_event_people_expect_is_refused_on_its_confirmation_page(
    organiser_client, expected
):
    url = unpublish_url(expected)
    response = organiser_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{expected.get_parent().pk}/"
    refused = flat(organiser_client.get(url, follow=True).content.decode())
    assert REFUSED in refused
    assert "annulez-le plutôt (« Annuler l'événement » dans ses inscriptions)" in refused
    assert "Ou annulez d'abord leurs inscriptions." in refused
    # Confirming it anyway (a page opened before the first registration) is refused too.
    assert organiser_client.post(url).status_code == 302
    assert is_live(expected)
    assert Registration.objects.filter(seminar=expected).count() == 5


def test_nor_from_the_calendar_with_its_children_nor_in_bulk(organiser_client, expected):
    calendar = expected.get_parent()
    # The calendar's confirmation page is shown: its children may stay published.
    assert organiser_client.get(unpublish_url(calendar)).status_code == 200
    response = organiser_client.post(unpublish_url(calendar), {"include_descendants": "on"})
    assert response.status_code == 302
    assert is_live(expected) and is_live(calendar)
    # The page listing's bulk « Dépublier », of the event or of the calendar with its children.
    next_url = f"&next=/admin/pages/{calendar.pk}/"
    response = organiser_client.post(f"{BULK}?id={expected.pk}{next_url}", follow=True)
    assert REFUSED in flat(response.content.decode())
    organiser_client.post(f"{BULK}?id={calendar.pk}{next_url}", {"include_descendants": "on"})
    assert is_live(expected) and is_live(calendar)


def test_two_events_are_named_with_whom_they_expect(organiser_client, expected):
    other = make_seminar("Atelier budget", days_ahead=3)
    register_person(other, person(9))
    calendar = expected.get_parent()
    response = organiser_client.post(
        unpublish_url(calendar), {"include_descendants": "on"}, follow=True
    )
    assert (
        "Ces événements à venir ont des inscrits : « Atelier budget » (1 personne inscrite), "
        "« Séminaire des élus » (4 personnes inscrites (3 confirmées, 1 en liste d'attente))."
    ) in flat(response.content.decode())
    assert "annulez-les plutôt" in flat(response.content.decode())
    assert is_live(other) and is_live(expected)


def test_a_past_a_cancelled_an_emptied_and_a_draft_event_may_be_unpublished(organiser_client):
    past = make_seminar("Séminaire passé", days_ahead=10)
    register_person(past, person(1))
    start = timezone.now() - timedelta(days=3)
    SeminarPage.objects.filter(pk=past.pk).update(start=start, end=start + timedelta(hours=7))

    cancelled = make_seminar("Séminaire annulé", days_ahead=12)
    register_person(cancelled, person(2))
    cancel_event(cancelled, by=None)

    emptied = make_seminar("Séminaire vidé", days_ahead=14)
    registration, _ = register_person(emptied, person(3))
    cancel_registration(registration)

    draft = make_seminar("Séminaire en préparation", days_ahead=16)
    register_person(draft, person(4))
    SeminarPage.objects.filter(pk=draft.pk).update(live=False)

    for page in (past, cancelled, emptied):
        assert organiser_client.get(unpublish_url(page)).status_code == 200
    assert organiser_client.post(unpublish_url(past)).status_code == 302
    assert not is_live(past)
    # The calendar with its children: nothing there is expected by anyone.
    calendar = emptied.get_parent()
    response = organiser_client.post(unpublish_url(calendar), {"include_descendants": "on"})
    assert response.status_code == 302
    assert not any(is_live(page) for page in (calendar, cancelled, emptied, draft))
    assert Registration.objects.count() == 4  # nothing else changed


def test_an_expiry_date_before_the_event_s_end_is_refused_in_the_editor(organiser_client):
    """Wagtail's « Date d'expiration » unpublishes the page by itself, past every hook: one
    set before the event's end is an error on its field; one after it is kept."""
    from tests.seminars.test_review_s19_admin import event_form, typed

    seminar = make_seminar("Séminaire des élus", seats=30, days_ahead=7)
    edit = f"/admin/pages/{seminar.pk}/edit/"

    def post(expire_at):
        data = event_form(seminar.title, seminar.start, seminar.end, 30, [])
        data["expire_at"] = typed(expire_at)
        return organiser_client.post(edit, data)

    response = post(seminar.end - timedelta(hours=1))
    assert response.status_code == 200
    assert "La date d'expiration dépublierait l'événement avant sa fin" in flat(
        response.content.decode()
    )
    assert SeminarPage.objects.get(pk=seminar.pk).expire_at is None

    assert post(seminar.end + timedelta(days=30)).status_code == 302
    assert SeminarPage.objects.get(pk=seminar.pk).expire_at is not None

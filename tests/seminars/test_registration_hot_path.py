"""The registration API's hot path (bench/bench_seminars.py): the event is read with SQL compiled
once per process (`live_event`), and a registration never loads one of its other fields."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from seminars.models import REGISTRATION_FIELDS, SeminarPage, Visibility, live_event
from tests.seminars.conftest import make_seminar
from tests.seminars.test_api_consumer_s35 import registration_body

pytestmark = pytest.mark.django_db


def test_live_event_is_the_page_the_orm_gives_with_the_same_fields():
    seminar = make_seminar(
        seats=12,
        visibility=Visibility.INVITATION,
        registration_opens=timezone.now() - timedelta(days=1),
        changes_until=timezone.now() + timedelta(days=3),
    )
    fast = live_event(seminar.pk)
    orm = SeminarPage.objects.live().only(*REGISTRATION_FIELDS).get(pk=seminar.pk)
    assert type(fast) is SeminarPage and fast.pk == fast.id == seminar.pk
    assert fast.get_deferred_fields() == orm.get_deferred_fields()
    assert all(getattr(fast, name) == getattr(orm, name) for name in REGISTRATION_FIELDS)
    assert fast.invitation_ok(seminar.invitation_key) and not fast.invitation_ok("autre")
    # A deferred field still loads when read.
    assert fast.venue_name == "Salle des fêtes"


def test_live_event_is_none_for_a_draft_an_unknown_id_or_another_kind_of_page():
    draft = make_seminar("Brouillon")
    SeminarPage.objects.filter(pk=draft.pk).update(live=False)
    assert live_event(draft.pk) is None
    assert live_event(draft.get_parent().pk) is None  # the calendar, not an event
    assert live_event(10**9) is None


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"visibility": Visibility.INVITATION},
        {"visibility": Visibility.MEMBERS},
        {"registration_closes": timezone.now() + timedelta(days=2)},
    ],
    ids=["public", "invitation", "members", "closing-date"],
)
def test_a_registration_reads_the_event_twice_only(portal, fields, request):
    """Once to find it, once under the lock: reading a field left out of REGISTRATION_FIELDS
    would be one more query on the event, for every registration."""
    if fields.get("visibility") == Visibility.MEMBERS:
        request.getfixturevalue("bondy")  # Bondy (93010) is a member
    seminar = make_seminar(**fields)
    body = registration_body(invitation=seminar.invitation_key)
    with CaptureQueriesContext(connection) as queries:
        response = portal.post(
            f"/api/v1/seminars/{seminar.pk}/registrations/",
            json.dumps(body),
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    on_the_event = [q["sql"] for q in queries if "seminars_seminarpage" in q["sql"]]
    assert len(on_the_event) == 2, on_the_event
    assert "FOR UPDATE" in on_the_event[1]

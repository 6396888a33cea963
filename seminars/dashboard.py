"""This app's panel on the member dashboard (tenants/workspace renders every panel)."""

from django.db.models import Count, Q
from django.utils import timezone

from seminars.links import page_path
from seminars.models import Registration, Visibility
from tenants.access import WRITE_ROLES, has_member_role
from tenants.services import portal_url

PANEL_SIZE = 5


def panel(request) -> dict | None:
    """Return {"title": str, "template": str, "context": dict} for the host member, or None when
    there is nothing to show. Runs on a member host (request.tenant is the member).

    The union's next events, each with the people of this member's commune registered: one query
    for the events, one for the people (registrations are public rows, filtered by commune)."""
    from seminars.views import listed_events

    member = request.tenant
    events = list(
        listed_events()
        .filter(end__gte=timezone.now())
        .annotate(
            mine=Count(
                "registrations",
                filter=Q(registrations__commune_id=member.commune_id)
                & ~Q(registrations__status=Registration.Status.CANCELLED),
            )
        )[:PANEL_SIZE]
    )
    if not events:
        return None
    people = {}
    for registration in (
        Registration.objects.filter(seminar__in=events, commune_id=member.commune_id)
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("nom", "prenom")
    ):
        people.setdefault(registration.seminar_id, []).append(registration)
    can_register = has_member_role(request, WRITE_ROLES)
    rows = [
        {
            "event": event,
            "url": portal_url(page_path(event)),
            "people": [
                {
                    "registration": person,
                    "cancel_url": cancel_url(member, event, person) if can_register else "",
                }
                for person in people.get(event.pk, [])
            ],
            "members_only": event.visibility == Visibility.MEMBERS,
            "register_url": f"/evenements/{event.pk}/inscrire/"
            if can_register and event.registration_state() == "open"
            else "",
        }
        for event in events
    ]
    return {
        "title": "Prochains événements de l'union",
        "wide": True,  # a four-column table
        "template": "seminars/dashboard_panel.html",
        "context": {"rows": rows, "calendar_url": portal_url("/evenements/")},
    }


def cancel_url(member, event, registration: Registration) -> str:
    """The member's link to withdraw someone it registered, while the event allows changes."""
    from seminars.member_views import can_still_cancel

    made_here = registration.source == Registration.Source.MEMBER
    if not made_here or registration.commune_id != member.commune_id:
        return ""
    if not can_still_cancel(event):
        return ""
    return f"/evenements/{event.pk}/inscriptions/{registration.pk}/desinscrire/"

"""This app's panel on the member dashboard (tenants/workspace renders every panel)."""

from seminars.links import page_path
from seminars.models import Registration, Visibility
from tenants.access import WRITE_ROLES, has_member_role
from tenants.services import portal_url

PANEL_SIZE = 5


def commune_registrants(commune_code: str):
    """The registrations of one commune's people, not cancelled, by name: what a member sees of
    the union's events (its dashboard, its API), never anyone of another commune."""
    return (
        Registration.objects.filter(commune_id=commune_code)
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("nom", "prenom")
    )


def panel(request) -> dict | None:
    """Return {"title": str, "template": str, "context": dict} for the host member, or None when
    there is nothing to show. Runs on a member host (request.tenant is the member).

    The union's next events, each with the people of this member's commune registered: one query
    for the events, one for the people (registrations are public rows, filtered by commune)."""
    from seminars.views import listed_events, upcoming

    member = request.tenant
    events = list(upcoming(listed_events())[:PANEL_SIZE])
    if not events:
        return None
    people = {}
    for registration in commune_registrants(member.commune_id).filter(seminar__in=events):
        people.setdefault(registration.seminar_id, []).append(registration)
    can_write = has_member_role(request, WRITE_ROLES)
    rows = [
        {
            "event": event,
            "url": portal_url(page_path(event)),
            "people": with_withdraw_links(
                event, people.get(event.pk, []), can_write and event.changes_open()
            ),
            "members_only": event.visibility == Visibility.MEMBERS,
            "register_url": f"/evenements/{event.pk}/inscrire/"
            if can_write and event.registration_state() == "open"
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


def with_withdraw_links(event, registrations: list, can_withdraw: bool) -> list[dict]:
    """Each of the commune's registrants, with the link to withdraw them when the member itself
    registered them (source « member »: member_views.registered_by) and may still do so."""
    return [
        {
            "registration": registration,
            "cancel_url": f"/evenements/{event.pk}/inscriptions/{registration.pk}/desinscrire/"
            if can_withdraw and registration.source == Registration.Source.MEMBER
            else "",
        }
        for registration in registrations
    ]

"""This app's panel on the member dashboard (tenants/workspace renders every panel)."""

from django.db.models import Q

from seminars.links import page_path
from seminars.models import Registration, Visibility
from tenants.access import WRITE_ROLES, has_member_role
from tenants.services import portal_url

PANEL_SIZE = 5


def member_registrants(member):
    """The registrations a member sees of the union's events, not cancelled, by name: the people
    of the communes it serves (its own; every commune of its intercommunality for a CIAS) and
    those it registered itself, never anyone else (registrations are public rows)."""
    return (
        Registration.objects.filter(
            Q(commune__in=member.covered_communes()) | Q(registered_by=member)
        )
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("commune")
        .order_by("nom", "prenom")
    )


def territory_label(member) -> str:
    """« votre commune » or « votre intercommunalité »: whose people the panel lists."""
    return "votre intercommunalité" if member.kind == member.Kind.CIAS else "votre commune"


def panel(request) -> dict | None:
    """Return {"title": str, "template": str, "context": dict} for the host member, or None when
    there is nothing to show. Runs on a member host (request.tenant is the member).

    The union's next events, each with the people registered that the member sees
    (member_registrants): one query for the events, one for the people."""
    from seminars.views import listed_events, upcoming

    member = request.tenant
    events = list(upcoming(listed_events())[:PANEL_SIZE])
    if not events:
        return None
    people = {}
    for registration in member_registrants(member).filter(seminar__in=events):
        people.setdefault(registration.seminar_id, []).append(registration)
    can_write = has_member_role(request, WRITE_ROLES)
    rows = [
        {
            "event": event,
            "url": portal_url(page_path(event)),
            "people": with_withdraw_links(
                member, event, people.get(event.pk, []), can_write and event.changes_open()
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
        "context": {
            "rows": rows,
            "territory": territory_label(member),
            "calendar_url": portal_url("/evenements/"),
        },
    }


def with_withdraw_links(member, event, registrations: list, can_withdraw: bool) -> list[dict]:
    """Each registrant, with the link to withdraw them when this member registered them
    (member_views.withdrawable_by) and may still do so, and their commune when it is not the
    member's own (someone of a neighbouring commune it registered, a CIAS's other communes)."""
    return [
        {
            "registration": registration,
            "commune": registration.commune_label
            if registration.commune_id != member.commune_id
            else "",
            "cancel_url": f"/evenements/{event.pk}/inscriptions/{registration.pk}/desinscrire/"
            if can_withdraw and registration.registered_by_id == member.pk
            else "",
        }
        for registration in registrations
    ]

"""This app's panel on the member dashboard (tenants/workspace renders every panel)."""

from tenants.access import WRITE_ROLES, has_member_role

PANEL_SIZE = 5


def panel(request) -> dict | None:
    """Return {"title": str, "template": str, "context": dict} for the host member, or None when
    there is nothing to show. Runs on a member host (request.tenant is the member)."""
    from knowledge_base.views import member_experience_rows

    can_propose = has_member_role(request, WRITE_ROLES)
    rows = member_experience_rows(request.tenant, request)[:PANEL_SIZE]
    if not rows and not can_propose:
        return None
    return {
        "title": "Nos expériences partagées",
        "template": "knowledge_base/member/panel.html",
        "context": {"rows": rows, "can_propose": can_propose},
    }

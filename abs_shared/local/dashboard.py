"""This app's panel on the member dashboard (tenants/workspace renders every panel)."""

from abs_shared.local.domiciliation import mismatches
from abs_shared.local.services import state_counts
from tenants.access import WRITE_ROLES, has_member_role


def panel(request) -> dict | None:
    """Return {"title": str, "template": str, "context": dict} for the host member, or None when
    there is nothing to show. Runs on a member host (request.tenant is the member)."""
    if not has_member_role(request):
        return None
    return {
        "title": "Indicateurs ABS",
        "template": "abs_shared/local/dashboard_panel.html",
        "context": {
            "counts": state_counts(request.tenant),
            # A validated DOMIC value unlike the activity report's figure of its year.
            "domiciliation_mismatches": mismatches(request.tenant),
            "can_write": has_member_role(request, WRITE_ROLES),
        },
    }

"""This app's panel on the member dashboard (tenants/workspace renders every panel)."""


def panel(request) -> dict | None:
    """Return {"title": str, "template": str, "context": dict} for the host member, or None when
    there is nothing to show. Runs on a member host (request.tenant is the member)."""
    return None

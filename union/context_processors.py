from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac

from tenants.services import portal_url


def platform(request):
    """Names every template needs: the union's name and which kind of host we are on.

    `portal_base_url` prefixes links to portal-only pages ("/membres/"): empty on the portal,
    the portal's address (scheme and port of the request) on a member host.
    """
    tenant = getattr(request, "tenant", None)
    is_member_host = tenant is not None and tenant.schema_name != "public"
    return {
        "platform_name": settings.PLATFORM_NAME,
        "platform_domain": settings.PLATFORM_DOMAIN,
        "is_member_host": is_member_host,
        "member": tenant if is_member_host else None,
        "membership": getattr(request, "membership", None),
        "schema_name": connection.schema_name,
        "portal_base_url": portal_url("", request) if is_member_host else "",
        # Called only by the templates that read it (base.html): no session read otherwise.
        "draft_owner": lambda: draft_owner(request),
    }


def draft_owner(request) -> str:
    """Whose drafts union/static/union/forms.js may put back on this page: an opaque mark of
    the signed-in account ("" for nobody), so that on a shared computer what one person typed
    before her session ended is never put into the form of whoever signs in next in the tab."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("union.forms.draft-owner", str(user.pk), algorithm="sha256").hexdigest()[:20]

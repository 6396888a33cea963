from django.conf import settings
from django.db import connection

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
    }

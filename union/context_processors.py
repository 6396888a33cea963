from django.conf import settings
from django.db import connection


def platform(request):
    """Names every template needs: the union's name and which kind of host we are on."""
    tenant = getattr(request, "tenant", None)
    is_member_host = tenant is not None and tenant.schema_name != "public"
    return {
        "platform_name": settings.PLATFORM_NAME,
        "platform_domain": settings.PLATFORM_DOMAIN,
        "is_member_host": is_member_host,
        "member": tenant if is_member_host else None,
        "membership": getattr(request, "membership", None),
        "schema_name": connection.schema_name,
    }

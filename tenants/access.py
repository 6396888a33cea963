"""One decorator/mixin pair (and a DRF permission) for member roles (convention 5)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from tenants.models import Membership

WRITE_ROLES = (Membership.Role.DIRECTOR, Membership.Role.AGENT)
ALL_ROLES = (Membership.Role.DIRECTOR, Membership.Role.AGENT, Membership.Role.VIEWER)


def membership_for(request) -> Membership | None:
    """The membership of the request's user in the host's member space, if any."""
    from tenants.services import is_union_staff_account

    tenant = getattr(request, "tenant", None)
    user = request.user
    if tenant is None or tenant.schema_name == "public" or not user.is_authenticated:
        return None
    cached = getattr(request, "membership", None)
    if cached is not None and cached.user_id == user.pk:
        return cached
    membership = Membership.objects.filter(
        user=user, member_id=tenant.pk, user__is_active=True
    ).first()
    if membership is not None and is_union_staff_account(user):
        return None  # The union's team never enters a member's space (union.middleware).
    return membership


def has_member_role(request, roles=ALL_ROLES) -> bool:
    membership = membership_for(request)
    return membership is not None and membership.role in roles and request.tenant.is_active


def sees_board_contacts(request) -> bool:
    """The board members' e-mail and postal addresses (often their home's) are for those who
    convene the board, the direction and agents: « lecture seule » reads the board without
    them, on its page, in its exports, the séances' record, the printed letters and the API."""
    return has_member_role(request, WRITE_ROLES)


def member_role_required(*roles: str):
    """View decorator: the user must hold one of `roles` in the host's member space."""
    allowed = roles or ALL_ROLES

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_member_role(request, allowed):
                raise PermissionDenied("Vous n'avez pas accès à cette fonction de l'espace membre.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class MemberRoleRequiredMixin:
    """Class-based twin of member_role_required: set `member_roles`."""

    member_roles: tuple[str, ...] = ALL_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not has_member_role(request, self.member_roles):
            raise PermissionDenied("Vous n'avez pas accès à cette fonction de l'espace membre.")
        return super().dispatch(request, *args, **kwargs)


def host_kind(request) -> str:
    """« CCAS » or « CIAS »: what the host member is, for a message that names it."""
    return "CIAS" if getattr(getattr(request, "tenant", None), "kind", "") == "CIAS" else "CCAS"


class IsMemberOfHost(BasePermission):
    """API: any role reads; only `write_roles` write. Set `write_roles` on the view to narrow it."""

    message = "Réservé aux personnes habilitées de ce CCAS."

    def has_permission(self, request, view):
        # DRF reads `message` from this instance (one per request) once this says no.
        self.message = f"Réservé aux personnes habilitées de ce {host_kind(request)}."
        if request.method in SAFE_METHODS:
            roles = getattr(view, "read_roles", ALL_ROLES)
        else:
            roles = getattr(view, "write_roles", WRITE_ROLES)
        return has_member_role(request, roles)


class IsDirectorOfHost(BasePermission):
    message = "Réservé à la direction de ce CCAS."

    def has_permission(self, request, view):
        self.message = f"Réservé à la direction de ce {host_kind(request)}."
        return has_member_role(request, (Membership.Role.DIRECTOR,))

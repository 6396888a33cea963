"""Union roles are Django groups; member roles are Membership.role (tenants.models)."""

from django.contrib.auth.models import AbstractBaseUser

UNION_ADMIN = "Administrateurs de l'union"
EDITOR = "Éditeurs"
MODERATOR = "Modérateurs"
EVENT_ORGANISER = "Organisateurs d'événements"
UNION_GROUPS = (UNION_ADMIN, EDITOR, MODERATOR, EVENT_ORGANISER)


def has_union_role(user: AbstractBaseUser, *groups: str) -> bool:
    """True for a superuser (always union admin) or a member of one of `groups`."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=groups or UNION_GROUPS).exists()


def is_union_admin(user: AbstractBaseUser) -> bool:
    return has_union_role(user, UNION_ADMIN)


def is_union_staff(user: AbstractBaseUser) -> bool:
    return has_union_role(user, *UNION_GROUPS)

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
    return not group_names(user).isdisjoint(groups or UNION_GROUPS)


def group_names(user: AbstractBaseUser) -> frozenset[str]:
    """The names of `user`'s groups, read once for the user object: an admin page asks for
    each menu item and each of its checks (the request's user is a new object each request,
    so a change of groups counts from the next one)."""
    names = getattr(user, "_group_names", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._group_names = names
    return names


def is_union_admin(user: AbstractBaseUser) -> bool:
    return has_union_role(user, UNION_ADMIN)


def is_union_staff(user: AbstractBaseUser) -> bool:
    return has_union_role(user, *UNION_GROUPS)


def can_write_to_members(user: AbstractBaseUser) -> bool:
    """« Écrire aux membres » (tenants.network_message): the union's admins, and its event
    organisers, whose first use of it is announcing their events to the network."""
    return has_union_role(user, UNION_ADMIN, EVENT_ORGANISER)

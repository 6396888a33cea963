"""Ending a person's sessions when her access ends.

Django refuses the session of an inactive account, but keeps its row: an account the union
reactivated, or a person a director removed and later invited again, found her old sessions
working again (a shared PC at a town hall's reception, signed in months before). Deactivating an
account therefore deletes its sessions, wherever it was deactivated (the users' admin, its bulk
action, union.account_retention: connected in tenants.apps), and removing someone from a team
deletes those she opened on that member's host.

Sessions are rows of django_session, in the public schema only (django.contrib.sessions is a
shared app; a member host's connection reads it through its search path). Their data is
encoded: the person's are found by decoding the unexpired ones, a few thousand at most.
"""

from collections.abc import Iterable

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

# The member whose host a session was opened on (set at sign-in by tenants.models).
MEMBER_KEY = "maillage_member"


def end_sessions(users, *, member=None) -> int:
    """Delete the unexpired sessions of `users` (a user, or users or primary keys), only those
    opened on `member`'s host if given; how many were deleted."""
    if hasattr(users, "pk"):
        users = [users]
    ids = {str(getattr(user, "pk", user)) for user in users}
    if not ids:
        return 0
    with schema_context(get_public_schema_name()):
        keys = [
            session.session_key
            for session in _unexpired()
            if _belongs(session.get_decoded(), ids, member)
        ]
        if not keys:
            return 0
        deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    return deleted


def _unexpired() -> Iterable[Session]:
    return Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500)


def _belongs(data: dict, ids: set[str], member) -> bool:
    if str(data.get(SESSION_KEY)) not in ids:
        return False
    return member is None or data.get(MEMBER_KEY) == member.pk


def end_sessions_of_closed_account(sender, instance, created=False, update_fields=None, **kwargs):
    """post_save of the user model: an account saved inactive loses its sessions (a save that
    does not touch is_active costs nothing)."""
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    end_sessions(instance)

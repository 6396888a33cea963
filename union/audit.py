"""Audit trail for sensitive writes (convention 6 of ARCHITECTURE.md).

Two places, on the tenant boundary: the union's trail (union.AuditEntry, public schema) and each
member's journal (tenants.journal, the member's schema). A write made in a member's space is told
whole in the member's journal; the union's trail keeps who did which kind of action, when, in
which member, but not what it names (a document's title, a board member's name, a figure): that
is the member's private data, which leaves the space only when a director publishes it."""

from typing import Any

from django.db import connection

from tenants.journal.services import record_journal_entry
from union.models import AuditEntry

SECRET_KEYS = ("password", "token", "secret", "key")


def mask_secrets(details: dict[str, Any]) -> dict[str, Any]:
    """Replace the value of any key that looks like a secret."""
    return {
        key: "***" if any(word in key.lower() for word in SECRET_KEYS) else value
        for key, value in details.items()
    }


def record_audit(
    action: str,
    *,
    actor=None,
    member=None,
    target: str = "",
    shared: bool = False,
    **details: Any,
) -> AuditEntry:
    """Write one audit entry. Call it inside the transaction of the write it describes.

    In `member`'s own schema the entry also goes, whole, to the member's journal; the union's
    trail then keeps it without target and details, unless `shared`: what it names already
    leaves the space (published values, the directory's publication choices, who may enter)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    target, details = str(target)[:300], mask_secrets(details)
    if member is not None and connection.schema_name == member.schema_name:
        record_journal_entry(action, actor=actor, target=target, details=details)
        if not shared:
            target, details = "", {}
    return AuditEntry.objects.create(
        action=action, actor=actor, member=member, target=target, details=details
    )

"""Audit trail for sensitive writes (convention 6 of ARCHITECTURE.md)."""

from typing import Any

from union.models import AuditEntry

SECRET_KEYS = ("password", "token", "secret", "key")


def mask_secrets(details: dict[str, Any]) -> dict[str, Any]:
    """Replace the value of any key that looks like a secret."""
    return {
        key: "***" if any(word in key.lower() for word in SECRET_KEYS) else value
        for key, value in details.items()
    }


def record_audit(
    action: str, *, actor=None, member=None, target: str = "", **details: Any
) -> AuditEntry:
    """Write one audit entry. Call it inside the transaction of the write it describes."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        member=member,
        target=str(target)[:300],
        details=mask_secrets(details),
    )

"""How long the audit trail is kept (RGPD, art. 5-1-e: storage limitation).

Each line names who did what (an account, sometimes a registrant or a board member): it serves
security and accountability for `AUDIT_KEPT_DAYS` days (three years by default, stated on
/donnees-personnelles/), then it is deleted. Run daily by `manage.py prune_audit_trail`, which
also deletes the sign-in tickets to member spaces of more than a day (prune_handover_links)
and the team invitations of people who left a space (prune_invitations_of_former_team).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.journal.services import prune_member_journals
from union.audit import record_audit
from union.models import AuditEntry


def audit_kept() -> timedelta:
    return timedelta(days=settings.AUDIT_KEPT_DAYS)


def prune_audit_trail(now: datetime | None = None) -> int:
    """Delete the audit lines older than the retention period, in the union's trail and every
    member's journal; how many were deleted. The run leaves one line of its own (how many, up to
    when), so the trail says it was pruned."""
    now = now or timezone.now()
    before = now - audit_kept()
    # The members' journals (tenants.journal) hold the same writes, told whole: same period.
    deleted = prune_member_journals(before)
    prune_handover_links(now)
    prune_invitations_of_former_team()
    with transaction.atomic():
        public, _by_model = AuditEntry.objects.filter(at__lt=before).delete()
        deleted += public
        if deleted:
            record_audit("audit.pruned", deleted=deleted, before=before.isoformat())
    return deleted


def prune_handover_links(now: datetime) -> int:
    """Delete the portal → member space sign-in tickets of more than a day: each serves for
    MEMBER_LINK_MAX_AGE seconds (its signature expires), and the rows said who went into which
    space and when, for ever. Run with the audit trail's pruning."""
    from tenants.models import HandoverLink

    deleted, _by_model = HandoverLink.objects.filter(
        created_at__lt=now - max(timedelta(days=1), timedelta(seconds=settings.MEMBER_LINK_MAX_AGE))
    ).delete()
    return deleted


def prune_invitations_of_former_team() -> int:
    """Delete, in every member's schema, the invitations sent to a person who no longer has
    access to that space: they served its team page only, and kept the name the direction typed.
    Removing someone from a team deletes hers at once (tenants.services.revoke_membership); this
    catches those removed before that rule. Run with the audit trail's pruning."""
    from tenants.models import MemberCCAS, Membership
    from tenants.workspace.models import TeamInvitation

    deleted = 0
    for member in MemberCCAS.objects.exclude(schema_name="public"):
        team = list(Membership.objects.filter(member=member).values_list("user_id", flat=True))
        with tenant_context(member), transaction.atomic():
            count, _by_model = TeamInvitation.objects.exclude(user_id__in=team).delete()
            deleted += count
    return deleted

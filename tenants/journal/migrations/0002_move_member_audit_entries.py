"""Move what the union's audit trail held of this member's private writes into the member's
journal, then keep only who, which kind of action, when and which member in the union's trail
(union.audit). Runs once per member schema; the template schema has no member and moves nothing.
"""

from django.db import connection, migrations

# Entries whose target and details stay in the union's trail too (union.audit `shared=True`).
SHARED_ACTIONS = (
    "abs.publish",
    "abs.retract",
    "experience.proposed",
    "experience.revised",
    "membership.granted",
    "membership.revoked",
    "membership.role_changed",
    "profile.publication",
)
# Written in the member's space: the workspace and the private half of the ABS.
MEMBER_SPACE_PREFIXES = ("document.", "board.", "activity.", "profile.", "abs.observations.")


def move_entries(apps, schema_editor):
    MemberCCAS = apps.get_model("tenants", "MemberCCAS")
    AuditEntry = apps.get_model("union", "AuditEntry")
    JournalEntry = apps.get_model("journal", "JournalEntry")
    User = apps.get_model("auth", "User")
    member = MemberCCAS.objects.filter(schema_name=connection.schema_name).first()
    if member is None:
        return
    entries = AuditEntry.objects.filter(member=member).order_by("at", "pk")
    names = {
        user.pk: (f"{user.first_name} {user.last_name}".strip() or user.email)
        for user in User.objects.filter(pk__in=entries.values("actor_id"))
    }
    moved = []
    for entry in entries:
        # The union's own acts on the member (onboarding, status) were never the member's.
        if not entry.action.startswith(MEMBER_SPACE_PREFIXES) and entry.action not in (
            SHARED_ACTIONS
        ):
            continue
        journal = JournalEntry.objects.create(
            actor_id=entry.actor_id,
            actor_label=names.get(entry.actor_id, ""),
            action=entry.action,
            target=entry.target,
            details=entry.details,
        )
        journal.at = entry.at  # auto_now_add set it to now
        journal.save(update_fields=["at"])
        if entry.action not in SHARED_ACTIONS:
            moved.append(entry.pk)
    AuditEntry.objects.filter(pk__in=moved).update(target="", details={})


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0001_initial"),
        ("tenants", "0003_french_member_names"),
        ("union", "0003_inactivity_warning"),
    ]

    operations = [migrations.RunPython(move_entries, migrations.RunPython.noop)]

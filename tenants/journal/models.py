"""The member's own journal of changes, in the member's schema.

What a write in a member space names (a document's title, a board member's name, a figure) is
the member's private data: it stays here, readable by the member's direction (/journal/). The
union's shared audit trail (union.AuditEntry, public schema) keeps only who did which kind of
action, when, in which member (union.audit.record_audit)."""

from django.conf import settings
from django.db import models


class JournalEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A tenant row pointing to a public one: no database constraint (ARCHITECTURE.md). The label
    # keeps who it was readable if the account is later deactivated or renamed.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField("personne", max_length=254, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target = models.CharField("objet", max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "entrée du journal du membre"
        verbose_name_plural = "journal du membre"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"

"""A member's private workspace (tenant schema). Nothing here leaves the member's schema."""

from django.conf import settings
from django.db import models
from django_tenants.files.storage import TenantFileSystemStorage


def document_upload_to(instance: "Document", filename: str) -> str:
    return f"documents/{filename}"


class Document(models.Model):
    """A file a member keeps in its space: stored per tenant, served only to its people."""

    title = models.CharField("titre", max_length=200)
    file = models.FileField(
        "fichier", upload_to=document_upload_to, storage=TenantFileSystemStorage()
    )
    # Public table; no database constraint across schemas (people are deactivated, not deleted).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

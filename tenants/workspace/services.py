"""Writes in a member's workspace (tenant schema)."""

from django.db import transaction

from tenants.workspace.models import Document
from union.audit import record_audit

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def add_document(member, title: str, uploaded_file, *, actor) -> Document:
    """Store a file in the member's own storage and note it in the audit trail."""
    document = Document.objects.create(title=title, file=uploaded_file, uploaded_by=actor)
    record_audit("document.added", actor=actor, member=member, target=title)
    return document

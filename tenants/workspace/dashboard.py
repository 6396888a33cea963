"""The member dashboard's reads: the panels other apps contribute, and what it lists of the
member's own (its latest documents)."""

from tenants.workspace.models import Document

# Panels that other apps contribute to the member dashboard, in display order (panels that say
# `"wide": True`, holding a wide table, come after the others and the activity card).
PANELS = [
    "abs_shared.local.dashboard.panel",
    "seminars.dashboard.panel",
    "knowledge_base.dashboard.panel",
]
RECENT_DOCUMENTS = 3


def recent_documents(limit: int = RECENT_DOCUMENTS) -> list[Document]:
    """The documents deposited last, newest first, listed under the documents count: the board's
    minutes or the new rules are what a director opens the space for."""
    return list(
        Document.objects.only("pk", "title", "uploaded_at").order_by("-uploaded_at", "-pk")[:limit]
    )

"""API routes of knowledge_base under /api/v1/ on the portal."""

urlpatterns: list = []

"""API routes of abs_shared under /api/v1/ on the portal."""

urlpatterns: list = []

"""API routes of seminars under /api/v1/ on the portal."""

urlpatterns: list = []

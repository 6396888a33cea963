"""Member-host API routes of the ABS under /api/v1/."""

urlpatterns: list = []

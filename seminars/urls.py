"""Portal pages of seminars (public URLconf)."""

urlpatterns: list = []

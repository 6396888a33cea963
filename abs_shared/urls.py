"""Portal pages of abs_shared (public URLconf)."""

urlpatterns: list = []

"""Portal pages of knowledge_base (public URLconf)."""

urlpatterns: list = []

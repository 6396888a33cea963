"""Member-host pages of the knowledge base (propose an experience, follow its moderation)."""

urlpatterns: list = []

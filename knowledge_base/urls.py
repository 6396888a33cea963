"""Portal pages of knowledge_base (public URLconf); the guide and experience pages themselves
are served by Wagtail's page tree."""

from django.urls import path

from knowledge_base import feeds, views

urlpatterns = [
    path("recherche/", views.search, name="kb_search"),
    path("glossaire/", views.glossary, name="kb_glossary"),
    path("flux/rss/", feeds.KnowledgeFeed(), name="kb_feed_rss"),
    path("flux/atom/", feeds.KnowledgeAtomFeed(), name="kb_feed_atom"),
]

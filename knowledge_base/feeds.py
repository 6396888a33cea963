"""RSS and Atom feeds of new and updated guides and experiences (public pages only)."""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Q, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from wagtail.models import Page

from knowledge_base.listing import prefetch_cards, theme_page_ids
from knowledge_base.models import ExperiencePage, GuidePage, Theme

FEED_SIZE = 30


class KnowledgeFeed(Feed):
    feed_type = Rss201rev2Feed
    description = (
        "Les guides pratiques et les fiches d'expérience des CCAS, nouveaux ou mis à jour."
    )
    link = "/guides/"

    def get_object(self, request, *args, **kwargs):
        """The theme of `?theme=<slug>`, or None for every page. An unknown slug is a 404: a
        feed reader would otherwise silently subscribe to everything."""
        # The feed instance is shared between requests: keep nothing of the request on it.
        slug = request.GET.get("theme", "")
        if not slug:
            return None
        return get_object_or_404(Theme, slug=slug)

    def title(self, theme):
        base = "Guides et expériences"
        return f"{base} – {theme.name}" if theme else base

    def items(self, theme):
        pages = Page.objects.live().public().type(GuidePage, ExperiencePage)
        if theme is not None:
            pages = pages.filter(
                Q(pk__in=theme_page_ids(GuidePage, [theme.slug]))
                | Q(pk__in=theme_page_ids(ExperiencePage, [theme.slug]))
            )
        items = prefetch_cards(list(pages.order_by("-last_published_at").specific()[:FEED_SIZE]))
        prefetch_related_objects([p for p in items if isinstance(p, GuidePage)], "authors")
        return items

    def item_title(self, page):
        return f"{page.title} ({page._meta.verbose_name})"

    def item_description(self, page):
        return page.summary

    def item_link(self, page):
        # Relative on a single-site portal; the syndication framework adds the request's host.
        return page.get_url()

    def item_pubdate(self, page):
        # The feed is ordered by last publication: a reader sees an updated guide as new.
        return page.last_published_at

    def item_guid(self, page):
        """The page's address and its publication time: each update is a new item for the
        readers (an unchanged guid would be skipped as already read)."""
        published = page.last_published_at.astimezone(datetime.UTC)
        return f"{page.get_full_url()}#maj-{published:%Y%m%dT%H%M%S.%fZ}"

    item_guid_is_permalink = False

    def item_updateddate(self, page):
        return page.last_published_at

    def item_categories(self, page):
        return [theme.name for theme in page.themes.all()]

    def item_author_name(self, page):
        if isinstance(page, ExperiencePage):
            return page.member.name
        return ", ".join(author.name for author in page.authors.all()) or None


class KnowledgeAtomFeed(KnowledgeFeed):
    feed_type = Atom1Feed
    subtitle = KnowledgeFeed.description

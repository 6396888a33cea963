"""What a link shared by e-mail or on a social network shows, and what a search engine reads:
description, Open Graph and, on member hosts, « noindex »."""

from django import template
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page

from knowledge_base.models import KnowledgePage

register = template.Library()

DESCRIPTION_CHARS = 300


def default_description() -> str:
    return (
        f"{settings.PLATFORM_NAME} : l'union départementale des CCAS et CIAS. Guides pratiques, "
        "expériences des membres, séminaires et ateliers pour les élus, indicateurs sociaux des "
        "communes."
    )


def describe_page(page: Page) -> str:
    """The editor's « description pour les moteurs de recherche », else the page's summary or
    introduction."""
    for text in (
        page.search_description,
        getattr(page, "summary", ""),
        strip_tags(str(getattr(page, "intro", "") or "")),
    ):
        if text and text.strip():
            return " ".join(text.split())
    return ""


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context):
    # Some listings name their paginator's page `page`: only a Wagtail page describes itself.
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    # A page only a link opens (an invitation-only event and its proceedings: `is_listed`) is
    # not indexed, and no Open Graph carries its address, key included, to whoever it is shared
    # with.
    if context.get("is_member_host") or not getattr(page, "is_listed", True):
        return {"private": True}
    description = (
        (describe_page(page) if page else "")
        or context.get("meta_description")
        or default_description()
    )
    request = context.get("request")
    return {
        "private": False,
        "description": Truncator(description).chars(DESCRIPTION_CHARS),
        "title": (page.seo_title or page.title) if page else "",
        "url": request.build_absolute_uri() if request else "",
        "site_name": settings.PLATFORM_NAME,
        # A guide or an experience is an article; the rest of the portal a website's pages.
        "kind": "article" if isinstance(page, KnowledgePage) else "website",
    }

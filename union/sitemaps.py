"""What the portal tells search engines: /sitemap.xml and /robots.txt.

The portal is how a maire or a journalist finds a guide, an event or a commune's indicators; a
member's space is private and asks robots to stay out.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap as PageSitemap

from abs_shared.sitemaps import IndicatorPagesSitemap

# The portal's pages outside Wagtail's tree that are worth finding (the search results, the
# accounts and the personal registration pages are not).
PORTAL_VIEWS = (
    "member_directory",
    "kb_glossary",
    "contact",
    "legal_notice",
    "privacy",
    "accessibility",
)


class PortalViewsSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return PORTAL_VIEWS

    def location(self, item):
        return reverse(item)


# Wagtail's own sitemap lists the live pages without a privacy restriction; each page says what
# it adds (an invitation-only event and its proceedings say nothing: Page.get_sitemap_urls).
SITEMAPS = {
    "pages": PageSitemap,
    "portail": PortalViewsSitemap(),
    "indicateurs": IndicatorPagesSitemap(),
}

# Paths that only make sense for one person, or cost a search engine for nothing.
ROBOTS_DISALLOWED = (
    "/admin/",
    "/django-admin/",
    "/compte/",
    "/connexion/",
    "/deconnexion/",
    "/api/",
    "/recherche/",
    "/evenements/inscription/",
    "/evenements/mes-inscriptions/",
    "/evenements/*/nouveau-lien/",
)


def portal_robots_lines(sitemap_url: str) -> list[str]:
    return [
        "User-agent: *",
        *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED),
        "",
        f"Sitemap: {sitemap_url}",
    ]


# A member's space is private: pages behind a sign-in, nothing to index.
MEMBER_ROBOTS_LINES = ["User-agent: *", "Disallow: /"]

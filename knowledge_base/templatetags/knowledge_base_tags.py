from urllib.parse import urlsplit

from django import template
from django.db import connection
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from knowledge_base.blocks.text import with_heading_ids
from knowledge_base.glossary import mark_acronyms
from seminars.phones import display_phone, tel_uri

register = template.Library()

# A contact's phone as typed by a member or an editor (« 0148301234 », « +33 1 48… »), shown the
# French way with its tel: link, as the guides' contact card does (seminars.phones).
register.filter("display_phone", display_phone)
register.filter("tel_uri", tel_uri)


@register.filter
def with_glossary(html) -> str:
    """{{ page.body|with_glossary }}: render, then mark the first use of each acronym."""
    return mark_safe(mark_acronyms(str(html)))


@register.filter(name="with_heading_ids")
def with_heading_ids_filter(html, anchors) -> str:
    """{{ value|richtext|with_heading_ids:anchors }}: a rich text's headings get their ids."""
    return mark_safe(with_heading_ids(str(html), anchors or ()))


@register.simple_tag(takes_context=True)
def restricted_page_notice(context, next_url) -> str:
    """{% restricted_page_notice next as notice %} on the login page: why to log in, when `next`
    leads to a live page restricted to logged-in people (its title only); "" otherwise. Only a
    local path is read (never another host), and only on the portal, where the pages live."""
    request = context.get("request")
    next_url = str(next_url or "")
    if request is None or connection.schema_name != "public" or not next_url.startswith("/"):
        return ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return ""
    parts = urlsplit(next_url)
    if parts.netloc or parts.scheme:
        return ""
    from wagtail.models import Page, Site

    site = Site.find_for_request(request)
    if site is None:
        return ""
    path = [segment for segment in parts.path.split("/") if segment]
    try:
        route = site.root_page.specific.route(request, path)
    except Exception:  # Http404 and any malformed path: say nothing
        return ""
    page = getattr(route, "page", None)
    if not isinstance(page, Page) or not page.live:
        return ""
    from knowledge_base.models import KnowledgePage

    page = page.specific
    restricted = (
        page.members_only
        if isinstance(page, KnowledgePage)
        else page.get_view_restrictions().exclude(restriction_type="password").exists()
    )
    if not restricted:
        return ""
    from knowledge_base.models import GuidePage

    subject = f"Le guide « {page.title} » est réservé"
    if not isinstance(page, GuidePage):
        subject = f"La page « {page.title} » est réservée"
    return (
        f"{subject} aux membres de l'union et à son équipe : connectez-vous. Pas de compte ? "
        "Demandez-le à la direction de votre CCAS ou à l'union."
    )

"""Page addresses the site's own routes already answer.

The portal's URLconf (union.urls_public) lists its own views (/sante/, /compte/, /contact/,
/recherche/, /indicateurs/…) before Wagtail's page tree, which catches every remaining path. A page
given one of those addresses would be published and yet never shown: the view answers instead.
Editors choose the slugs of the pages under the home page, so the admin form refuses such a slug
rather than letting a section vanish.
"""

from django import forms
from django.urls import Resolver404, resolve
from wagtail.admin.forms import WagtailAdminPageForm

PORTAL_URLCONF = "union.urls_public"


def route_shadowing(path: str) -> bool:
    """True when a view of the portal, not the page tree, answers `path` (« /sante/ »)."""
    from wagtail.views import serve  # not at import: models import this module

    try:
        match = resolve(path, urlconf=PORTAL_URLCONF)
    except Resolver404:
        return False
    return match.func is not serve


def page_path(parent_page, slug: str) -> str | None:
    """The address, on its site, of a child of `parent_page` with `slug`; None outside any site."""
    from tenants.services import portal_urlconf

    with portal_urlconf():  # page URLs are reversed in the portal's URLconf, whoever asks
        parts = parent_page.get_url_parts()
    if not parts or parts[2] is None:
        return None
    return f"{parts[2]}{slug}/"


def shadowed_slug_error(parent_page, slug: str) -> str | None:
    """The editor's message when a child of `parent_page` named `slug` could never be shown."""
    if not parent_page or not slug:
        return None
    path = page_path(parent_page, slug)
    if path is None or not route_shadowing(path):
        return None
    return (
        f"L'adresse « {path} » est déjà celle d'une page du site lui-même : cette page y serait "
        "introuvable. Choisissez un autre slug."
    )


class FreeAddressPageForm(WagtailAdminPageForm):
    """Refuses a slug whose address one of the portal's own views answers (see the module)."""

    def clean(self):
        cleaned_data = super().clean()
        parent_page = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        message = shadowed_slug_error(parent_page, cleaned_data.get("slug"))
        if message:
            self.add_error("slug", forms.ValidationError(message))
        return cleaned_data

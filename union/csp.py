"""The Content-Security-Policy of the screens that cannot live with the site's (SECURE_CSP).

The portal's and the member spaces' pages follow settings.SECURE_CSP. Two areas need more, and
get exactly that, derived from it (production's upgrade-insecure-requests carries over):

- the admins' screens on the portal host, Wagtail's (/admin/) and Django's (/django-admin/):
  admin_policy(), chosen by AdminPolicyMiddleware;
- the API documentation (/api/docs/, Redoc from drf-spectacular-sidecar): API_DOCS_POLICY, set on
  its view in the URLconfs with Django's csp_override.
"""

from django.conf import settings
from django.utils.csp import CSP

from union.middleware import is_member_host

ADMIN_PATHS = ("/admin/", "/django-admin/")


def admin_policy() -> dict:
    return {
        **settings.SECURE_CSP,
        # Wagtail 8 still writes a few inline <script>s without a nonce: the InlinePanel and
        # MultipleChooserPanel set-ups, the date and time pickers (wagtailadmin/panels/*.html,
        # wagtailadmin/widgets/*_input.html), search promotions. Its other scripts are files.
        "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        # Its editor's libraries (vendor.js: the rich text editor and its pop-ups) write <style>
        # elements as they start; the project's own templates have no inline style left.
        "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        # Images being uploaded are previewed from blob: and data: URLs (no Gravatar:
        # WAGTAIL_GRAVATAR_PROVIDER_URL is None).
        "img-src": [CSP.SELF, "data:", "blob:"],
        # Its own URLs only: the dashboard's check for a newer Wagtail (releases.wagtail.org) is
        # off (WAGTAIL_ENABLE_UPDATE_CHECK = False).
        "connect-src": [CSP.SELF],
        # Wagtail's live preview shows the page in a frame of the editor, from /admin/.
        "frame-ancestors": [CSP.SELF],
    }


class AdminPolicyMiddleware:
    """admin_policy() for the admins' screens of the portal host, unless their view chose its own
    (csp_override). After django.middleware.csp in MIDDLEWARE: it runs first on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = admin_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(ADMIN_PATHS)
            and not is_member_host(request)
            and not hasattr(response, "_csp_config")
        ):
            response._csp_config = self.policy
            # Wagtail's preview runs a copy of the request, at the page's public address, through
            # the whole middleware (Page.make_preview_request): the page comes back with the
            # public policy already written, whose frame-ancestors 'none' blanked the editor's
            # preview frame, and Django's middleware never overwrites a header.
            if CSP.HEADER_ENFORCE in response:
                del response[CSP.HEADER_ENFORCE]
        return response


# Redoc (drf-spectacular's template and the sidecar's redoc.standalone.js): its styled-components
# write <style> elements and its search index runs in a Web Worker made from a blob: URL.
# templates/drf_spectacular/redoc.html keeps Google Fonts out (no visitor's address sent there).
API_DOCS_POLICY = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    # Not its menu's « API docs by Redocly » logo, which Redoc fetches from cdn.redoc.ly (no
    # setting removes it): a visitor's address would go there. The image, refused, removes
    # itself; its link is hidden by css/api-docs.css.
    "img-src": [CSP.SELF, "data:"],
    "worker-src": ["blob:"],
}

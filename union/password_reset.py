"""« Mot de passe oublié » on the portal (union.views.PasswordResetForm) and in the Wagtail admin
(AdminPasswordResetForm, WAGTAILADMIN_USER_PASSWORD_RESET_FORM): what both add to Django's form.

- At most settings.PASSWORD_RESET_EMAILS_PER_HOUR e-mails to one address per hour: the form
  sent one per submission, so anyone could flood a person's mailbox (or the mail server's
  reputation) from the page. Beyond the limit nothing is sent and the page answers the same, as
  it does for an unknown address: it never tells whether an account exists. Counted in Django's
  default cache (per process with LocMemCache, shared with CACHE_URL), platform-wide.
- The link's address comes from the settings (WAGTAILADMIN_BASE_URL, the portal's address, as
  every e-mail sent outside a request), never from the request: Django builds it from the Host
  header, so a POST with « Host: localhost:31337 » mailed a link to that port.
"""

import hashlib
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from union.formats import of_union

WINDOW_SECONDS = 3600


def portal_link_parts() -> tuple[str, bool]:
    """(host[:port], https?) of the portal's configured address, for Django's `domain_override`
    and `use_https`."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return address.netloc, address.scheme == "https"


def _cache_key(address: str) -> str:
    # A digest: the cache (Redis with CACHE_URL) need not hold people's addresses.
    normalised = unicodedata.normalize("NFKC", address).casefold().strip()
    return "password-reset:" + hashlib.sha256(normalised.encode()).hexdigest()


def reset_email_allowed(address: str) -> bool:
    """Count one reset e-mail to `address`; False once it had its share for the hour (fixed
    window opened by the first request)."""
    key = _cache_key(address)
    with schema_context(get_public_schema_name()):  # one count whatever the host
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        try:
            sent = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS)
            sent = 1
    return sent <= settings.PASSWORD_RESET_EMAILS_PER_HOUR


class LimitedPasswordResetMixin:
    """Django's save(): nothing sent beyond the hourly limit; otherwise `send_reset_emails`
    (Django's save, or what a form adds to it), with links on the configured portal address."""

    def save(self, *args, **kwargs):
        if not reset_email_allowed(self.cleaned_data["email"]):
            return
        kwargs["domain_override"], kwargs["use_https"] = portal_link_parts()
        extra = dict(kwargs.get("extra_email_context") or {})
        # domain_override also becomes the e-mail's site_name: keep the platform's name.
        extra.setdefault("site_name", settings.PLATFORM_NAME)
        kwargs["extra_email_context"] = extra
        self.send_reset_emails(*args, **kwargs)

    def send_reset_emails(self, *args, **kwargs):
        super().save(*args, **kwargs)


class AdminPasswordResetForm(LimitedPasswordResetMixin, WagtailPasswordResetForm):
    """The Wagtail admin's form (/admin/password_reset/), limited likewise. Its e-mail already
    links to WAGTAILADMIN_BASE_URL when set (always here).

    Wagtail's view sends its text alone (no `html_email_template_name`): the form adds the HTML
    alternative, in the platform's frame like the portal's reset e-mail, with what it reads:
    `subject` (its title and heading), `platform_name`, `of_platform`. Its text is ours too
    (email.txt): the same sentences, and the username as typed."""

    html_email_template_name = "wagtailadmin/account/password_reset/email.html"

    def send_reset_emails(self, *args, **kwargs):
        kwargs["html_email_template_name"] = (
            kwargs.get("html_email_template_name") or self.html_email_template_name
        )
        extra = {
            **kwargs["extra_email_context"],
            "platform_name": settings.PLATFORM_NAME,
            "of_platform": of_union(settings.PLATFORM_NAME),  # de l'UDCCAS…, with its article
        }
        subject_template = kwargs.get(
            "subject_template_name", "wagtailadmin/account/password_reset/email_subject.txt"
        )
        # As Django's send_mail writes the subject: on one line.
        extra["subject"] = "".join(render_to_string(subject_template, extra).splitlines())
        kwargs["extra_email_context"] = extra
        super().send_reset_emails(*args, **kwargs)

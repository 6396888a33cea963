"""Documents follow the privacy of the pages using them (`wagtail_hooks.
keep_documents_of_private_pages_private`), which reads Wagtail's reference index. Two things
keep that check whole:

- The index of a page is brought up to date in the transaction that saves it. Wagtail only
  queues that update (`update_reference_index_task`), which the worker runs later in
  production: until then a document just published on a members-only page would be used on
  "no page", hence public, and one just published on a public guide still refused.
- Documents must be served through Wagtail's view, which runs the check: a system check refuses
  `WAGTAILDOCS_SERVE_METHOD = "direct"`, which links to the stored files themselves.
"""

from django.conf import settings
from django.core import checks
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from modelcluster.fields import ParentalKey
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import reference_index_auto_update_disabled


def page_of(instance) -> Page | None:
    """The page whose content `instance` is: the page itself, or the page an inline child
    (a ParentalKey, possibly through other children) belongs to; None for anything else."""
    while not isinstance(instance, Page):
        keys = [field for field in instance._meta.get_fields() if isinstance(field, ParentalKey)]
        if not keys:
            return None
        instance = getattr(instance, keys[0].name, None)
        if instance is None:
            return None
    return instance


def index_page_references(sender, instance, raw=False, **kwargs) -> None:
    """post_save and post_delete: after a page, or one of its inline children that may hold
    references, is written, index the page's references now, from the row as stored (a draft's
    content lives in its revision, not in the row: what the worker would index too). Wagtail's
    queued task still runs later and finds nothing left to change."""
    if raw or sender not in ReferenceIndex.tracked_models:
        return  # fixtures; models that cannot hold references (a set lookup: every save)
    if getattr(reference_index_auto_update_disabled, "value", False):
        return  # `rebuild_references_index`, or whoever disabled it, rebuilds the index itself
    if kwargs.get("signal") is post_delete and isinstance(instance, Page):
        return  # Wagtail removes a deleted page's references at once
    page = page_of(instance)
    if page is None or not ReferenceIndex.is_indexed(type(page)):
        return
    stored = type(page)._default_manager.filter(pk=page.pk).first()
    if stored is not None:
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(stored)


def documents_served_through_wagtail(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """With "direct", document links point to the storage's URLs and Wagtail's serve view, with
    its `before_serve_document` hooks (page privacy, private collections), never runs."""
    if getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None) != "direct":
        return []
    return [
        checks.Error(
            'WAGTAILDOCS_SERVE_METHOD = "direct" sert les documents sans contrôle : ceux des '
            "pages réservées aux personnes connectées deviendraient publics.",
            hint='Retirez ce réglage (ou choisissez "serve_view").',
            id="knowledge_base.E001",
        )
    ]


def connect() -> None:
    post_save.connect(index_page_references, dispatch_uid="kb_index_page_references_saved")
    post_delete.connect(index_page_references, dispatch_uid="kb_index_page_references_deleted")
    checks.register(documents_served_through_wagtail, checks.Tags.security)

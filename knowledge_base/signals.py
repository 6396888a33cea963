"""Moderation outcomes reach the proposer by email (publication, however it happens; changes
requested; withdrawal from review); new experience indexes get the workflow; a renamed or
deleted theme, or a renamed member, re-indexes its pages (no `update_index` needed)."""

from django.db import connection
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import ReferenceIndex
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.signals import page_published, workflow_cancelled, workflow_rejected

from knowledge_base.models import ExperienceIndexPage, ExperiencePage, GuidePage, Theme
from tenants.models import MemberCCAS


def _experience_of(workflow_state) -> ExperiencePage | None:
    page = workflow_state.content_object
    specific = getattr(page, "specific", None)
    return specific if isinstance(specific, ExperiencePage) else None


def on_page_published(sender, instance, **kwargs):
    """An experience goes live: approved workflow, « Publier » in the editor (which cancels the
    workflow), scheduled publishing. Its proposer hears of it once, on its first publication."""
    from knowledge_base.services import notify_published

    if isinstance(instance, ExperiencePage):
        notify_published(instance)


def on_workflow_cancelled(sender, instance, user=None, **kwargs):
    from knowledge_base.services import notify_withdrawn

    page = _experience_of(instance)
    if page is not None:
        notify_withdrawn(page)


def on_workflow_rejected(sender, instance, user=None, **kwargs):
    from knowledge_base.services import notify_decision

    page = _experience_of(instance)
    if page is not None:
        comment = instance.current_task_state.comment if instance.current_task_state else ""
        notify_decision(page, approved=False, comment=comment)


def on_index_created(sender, instance, created, raw=False, **kwargs):
    from knowledge_base.services import ensure_moderation_workflow

    if created and not raw:
        ensure_moderation_workflow()


def theme_pages(theme: Theme) -> list[tuple[type, list[int]]]:
    """(page model, ids) of the guides and experiences filed under `theme`."""
    return [
        (pages.model, list(pages.values_list("pk", flat=True)))
        for pages in (theme.guidepage_pages, theme.experiencepage_pages)
    ]


def reindex_pages(pages: list[tuple[type, list[int]]]) -> None:
    """Re-index pages with Wagtail's own task, as it does for a saved page."""
    for model, pks in pages:
        meta = model._meta
        for pk in pks:
            insert_or_update_object_task.enqueue(meta.app_label, meta.model_name, str(pk))


def on_theme_saved(sender, instance, raw=False, **kwargs):
    """A page's search entry holds its themes' names (RelatedFields): re-index the theme's pages,
    as Wagtail does for a saved page, so that they are found under the theme's new name."""
    if raw:
        return
    reindex_pages(theme_pages(instance))


def on_theme_deleting(sender, instance, **kwargs):
    """Note the deleted theme's pages now: once it is gone, its links to them are gone too."""
    instance._pages_to_reindex = theme_pages(instance)


def on_theme_deleted(sender, instance, **kwargs):
    """Re-index the deleted theme's pages, so that its name no longer finds them."""
    reindex_pages(getattr(instance, "_pages_to_reindex", []))


def field_changing(sender, instance, field: str, update_fields=None) -> bool:
    """Before a save: whether it changes `field` of a row already stored (one query; none for a
    new row or a save whose update_fields leave the field out)."""
    if instance.pk is None or (update_fields is not None and field not in update_fields):
        return False
    old = sender._default_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    return old is not None and old != getattr(instance, field)


def on_member_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Note whether the member's name changes: its experiences' search entries hold it."""
    instance._kb_renamed = not raw and field_changing(sender, instance, "name", update_fields)


def on_member_saved(sender, instance, raw=False, **kwargs):
    """An experience's search entry holds its member's name (RelatedFields): once the member is
    renamed, re-index its experiences so that the new name finds them and the old one no longer
    does. Experiences live on the public schema, whatever host renamed the member."""
    if raw or not getattr(instance, "_kb_renamed", False):
        return
    instance._kb_renamed = False
    with schema_context("public"):
        pks = list(ExperiencePage.objects.filter(member=instance).values_list("pk", flat=True))
        reindex_pages([(ExperiencePage, pks)])


def on_document_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Note whether the document's title changes: a guide's download block shows it (and its
    search entry holds it) unless the block has a title of its own."""
    instance._kb_retitled = not raw and field_changing(sender, instance, "title", update_fields)


def on_document_saved(sender, instance, raw=False, **kwargs):
    """Re-index the guides that use a retitled document (Wagtail's reference index knows
    them), so that its new title finds them and the old one no longer does."""
    if raw or not getattr(instance, "_kb_retitled", False):
        return
    instance._kb_retitled = False
    page_ids = (
        ReferenceIndex.get_references_to(instance)
        .filter(base_content_type__app_label="wagtailcore", base_content_type__model="page")
        .values_list("object_id", flat=True)
    )
    pks = list(
        GuidePage.objects.filter(pk__in=[int(pk) for pk in page_ids]).values_list("pk", flat=True)
    )
    reindex_pages([(GuidePage, pks)])


def on_post_migrate(sender, using="default", **kwargs):
    """Workflow and permissions, once auth has created this app's permissions; public only."""
    from knowledge_base.services import ensure_knowledge_base_setup

    if connection.schema_name == "public":
        ensure_knowledge_base_setup()


def connect() -> None:
    # An approval publishes the page: `on_page_published` tells the proposer, once.
    page_published.connect(
        on_page_published, sender=ExperiencePage, dispatch_uid="kb_experience_published"
    )
    workflow_cancelled.connect(on_workflow_cancelled, dispatch_uid="kb_workflow_cancelled")
    workflow_rejected.connect(on_workflow_rejected, dispatch_uid="kb_workflow_rejected")
    post_save.connect(on_index_created, sender=ExperienceIndexPage, dispatch_uid="kb_index_wf")
    post_save.connect(on_theme_saved, sender=Theme, dispatch_uid="kb_theme_reindex")
    pre_delete.connect(on_theme_deleting, sender=Theme, dispatch_uid="kb_theme_deleting")
    post_delete.connect(on_theme_deleted, sender=Theme, dispatch_uid="kb_theme_deleted")
    pre_save.connect(on_member_saving, sender=MemberCCAS, dispatch_uid="kb_member_renaming")
    post_save.connect(on_member_saved, sender=MemberCCAS, dispatch_uid="kb_member_renamed")
    document_model = get_document_model()
    pre_save.connect(on_document_saving, sender=document_model, dispatch_uid="kb_doc_retitling")
    post_save.connect(on_document_saved, sender=document_model, dispatch_uid="kb_doc_retitled")

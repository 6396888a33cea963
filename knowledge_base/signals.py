"""Moderation outcomes reach the proposer by email; new experience indexes get the workflow;
a renamed theme re-indexes its pages."""

from django.db import connection
from django.db.models.signals import post_save
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.signals import workflow_approved, workflow_rejected

from knowledge_base.models import ExperienceIndexPage, ExperiencePage, Theme


def _experience_of(workflow_state) -> ExperiencePage | None:
    page = workflow_state.content_object
    specific = getattr(page, "specific", None)
    return specific if isinstance(specific, ExperiencePage) else None


def on_workflow_approved(sender, instance, user=None, **kwargs):
    from knowledge_base.services import notify_decision

    page = _experience_of(instance)
    if page is not None:
        comment = instance.current_task_state.comment if instance.current_task_state else ""
        notify_decision(page, approved=True, comment=comment)


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


def on_theme_saved(sender, instance, raw=False, **kwargs):
    """A page's search entry holds its themes' names (RelatedFields): re-index the theme's pages,
    as Wagtail does for a saved page, so that they are found under the theme's new name."""
    if raw:
        return
    for pages in (instance.guidepage_pages, instance.experiencepage_pages):
        meta = pages.model._meta
        for pk in pages.values_list("pk", flat=True):
            insert_or_update_object_task.enqueue(meta.app_label, meta.model_name, str(pk))


def on_post_migrate(sender, using="default", **kwargs):
    """Workflow and permissions, once auth has created this app's permissions; public only."""
    from knowledge_base.services import ensure_knowledge_base_setup

    if connection.schema_name == "public":
        ensure_knowledge_base_setup()


def connect() -> None:
    workflow_approved.connect(on_workflow_approved, dispatch_uid="kb_workflow_approved")
    workflow_rejected.connect(on_workflow_rejected, dispatch_uid="kb_workflow_rejected")
    post_save.connect(on_index_created, sender=ExperienceIndexPage, dispatch_uid="kb_index_wf")
    post_save.connect(on_theme_saved, sender=Theme, dispatch_uid="kb_theme_reindex")

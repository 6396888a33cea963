"""What a workflow does once its last task is approved (WAGTAIL_FINISH_WORKFLOW_ACTION).

Imported by wagtail.models.workflows while the apps load: no model import at module level."""


def publish_approved(workflow_state, user=None) -> None:
    """Publish the latest revision, as Wagtail's `publish_workflow_state` does, without asking
    whether the person who approved the last task may publish that page on their own.

    The union chooses in Paramètres › Workflows which group approves which pages: « Modérateurs »
    may be asked to approve the guides, where their page permissions (union.services
    PAGE_PERMISSION_SCOPES) do not let them publish. Wagtail offered them « Approuver », then
    refused to publish (PublishPagePermissionError: « Désolé, vous n'avez pas les autorisations
    pour accéder à cette zone. », the guide stuck in moderation). The approval now publishes.
    Only a person who approved that last task themselves skips the check: any other way of
    finishing a workflow keeps Wagtail's publish permission."""
    task_state = workflow_state.current_task_state
    approved_it = (
        user is not None
        and task_state is not None
        and task_state.status == task_state.STATUS_APPROVED
        and task_state.finished_by_id == user.pk
    )
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=approved_it)

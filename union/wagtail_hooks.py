"""The platform's own panels in the Wagtail admin."""

from django.urls import reverse
from laces.components import Component
from wagtail import hooks

from union import roles
from union.task_queue import QueueState, read_queue_state


class TaskQueuePanel(Component):
    """The e-mail queue on the admin home: waiting, failed, and a warning when it stopped."""

    name = "task_queue"
    template_name = "union/admin/task_queue_panel.html"
    order = 50  # before Wagtail's panels: a stopped queue means no confirmation leaves

    def __init__(self, state: QueueState, failures_url: str | None):
        self.state = state
        self.failures_url = failures_url

    def get_context_data(self, parent_context):
        return {"state": self.state, "failures_url": self.failures_url}


@hooks.register("construct_homepage_panels")
def add_task_queue_panel(request, panels):
    # Those who send e-mails to registrants, and the administrators who can restart the worker.
    if not roles.has_union_role(request.user, roles.UNION_ADMIN, roles.EVENT_ORGANISER):
        return
    state = read_queue_state()
    if state is None:  # tasks run at once: there is no queue to watch
        return
    failures_url = None
    if request.user.is_superuser:  # the tasks' tracebacks are in Django's admin, superusers only
        changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
        failures_url = f"{changelist}?status__exact=FAILED"
    panels.append(TaskQueuePanel(state, failures_url))

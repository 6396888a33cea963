"""The platform's own panels and stylesheet in the Wagtail admin, and what follows a reactivated
account."""

from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from laces.components import Component
from wagtail import hooks

from union import roles
from union.account_retention import reactivate_account
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


@hooks.register("insert_global_admin_css")
def project_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


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


# The users' admin (Paramètres › Utilisateurs) is where the union reactivates an account that
# union.account_retention deactivated: ticking « Actif » again. The state before the edit is
# noted on the request, since the hook after it only sees the saved user.
WAS_INACTIVE = "_maillage_edited_user_was_inactive"


@hooks.register("before_edit_user")
def note_whether_the_user_was_inactive(request, user):
    setattr(request, WAS_INACTIVE, not user.is_active)


@hooks.register("after_edit_user")
def follow_up_a_reactivation(request, user):
    if getattr(request, WAS_INACTIVE, False) and user.is_active:
        reactivate_account(user, actor=request.user, request=request)
        if user.email and not user.has_usable_password():
            messages.info(request, f"{user.email} reçoit un lien pour choisir son mot de passe.")

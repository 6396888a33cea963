"""Wagtail's moderation notifications, a failure logged instead of lost.

Wagtail's EmailNotificationMixin.send_emails renders every recipient's e-mail inside
OpenedConnection, whose __exit__ returns the (truthy) connection: an exception from a template
vanished (no e-mail, no log), and the recipients after it got nothing either. Here each
recipient's e-mail is rendered and sent on its own; a failure is logged with its traceback on
"wagtail.admin" (console and ADMINS, union.settings LOGGING) and the others still go.

The comment notifications (wagtail.admin.mail.send_notification, called by the page editor)
have the same flaw and no notifier to replace: they stay as Wagtail has them."""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import override
from wagtail.admin import mail
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

logger = logging.getLogger("wagtail.admin")


class LoggedFailures:
    def send_emails(self, template_set, context, recipients, **kwargs):
        sent = 0
        for recipient in recipients:
            context["user"] = recipient
            try:
                with override(recipient.wagtail_userprofile.get_preferred_language()):
                    subject = render_to_string(template_set["subject"], context).strip()
                    text = render_to_string(template_set["text"], context).strip()
                    html = None
                    if getattr(settings, "WAGTAILADMIN_NOTIFICATION_USE_HTML", False):
                        html = render_to_string(template_set["html"], context)
                mail.send_mail(subject, text, [recipient.email], html_message=html)
                sent += 1
            except Exception:
                logger.exception(
                    "Moderation notification '%s' not sent to %s",
                    self.notification,
                    recipient.email,
                )
        return sent == len(recipients)


class TaskSubmitted(LoggedFailures, mail.GroupApprovalTaskStateSubmissionEmailNotifier):
    signal, sender, uid = (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
    )


class WorkflowSubmitted(LoggedFailures, mail.WorkflowStateSubmissionEmailNotifier):
    signal, sender, uid = (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
    )


class WorkflowApproved(LoggedFailures, mail.WorkflowStateApprovalEmailNotifier):
    signal, sender, uid = (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
    )


class WorkflowRejected(LoggedFailures, mail.WorkflowStateRejectionEmailNotifier):
    signal, sender, uid = (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
    )


# In place of Wagtail's receivers (wagtail.admin.signal_handlers), by their dispatch_uid.
NOTIFIERS = [TaskSubmitted(), WorkflowSubmitted(), WorkflowApproved(), WorkflowRejected()]


def use_logging_notifiers() -> None:
    """Ours in place of Wagtail's, whichever app is ready first: the same dispatch_uid makes
    Wagtail's later connect a no-op."""
    for notifier in NOTIFIERS:
        notifier.signal.disconnect(sender=notifier.sender, dispatch_uid=notifier.uid)
        notifier.signal.connect(notifier, sender=notifier.sender, dispatch_uid=notifier.uid)

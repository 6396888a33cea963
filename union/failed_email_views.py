"""« Renvoyer » on the admin home's « Envoi des e-mails » panel: an administrator sends the
e-mails that failed for good again, once the mail server works (union.mail); « Relancer »
puts back in the queue a task a dead worker left running (union.task_queue)."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied

from union import roles
from union.mail import resend_failed_emails
from union.task_queue import requeue_interrupted_tasks


@require_POST
def resend_failed_emails_view(request):
    # Who did not get which e-mail is the administrators' to see (the panel), and to resend.
    refused = _refused_unless_union_admin(request)
    if refused:
        return refused
    if request.POST.get("all"):
        outcome = resend_failed_emails(actor=request.user)
    else:
        outcome = resend_failed_emails(_task_ids(request), actor=request.user)
    for level, text in outcome.messages():
        getattr(messages, level)(request, text)
    return redirect("wagtailadmin_home")


@require_POST
def requeue_interrupted_tasks_view(request):
    # The administrators', as « Renvoyer »: a task run again may send its e-mail again.
    refused = _refused_unless_union_admin(request)
    if refused:
        return refused
    requeued = requeue_interrupted_tasks(_task_ids(request), actor=request.user)
    for task in requeued:
        messages.success(request, f"Tâche relancée\u00a0: {task.name}.")
    if not requeued:  # finished meanwhile, or relaunched by another click
        messages.info(request, "Aucune tâche interrompue à relancer.")
    return redirect("wagtailadmin_home")


def _refused_unless_union_admin(request):
    # A 403 page: Wagtail would turn a raised PermissionDenied into a redirect to the home.
    if not roles.is_union_admin(request.user):
        return permission_denied(
            request, PermissionDenied("Réservé aux administrateurs de l'union.")
        )
    return None


def _task_ids(request) -> list[str]:
    task_ids = []
    for value in request.POST.getlist("task"):
        try:
            task_ids.append(str(UUID(value)))
        except ValueError:
            continue
    return task_ids

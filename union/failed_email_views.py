"""« Renvoyer » on the admin home's « Envoi des e-mails » panel: an administrator sends the
e-mails that failed for good again, once the mail server works (union.mail)."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied

from union import roles
from union.mail import resend_failed_emails


@require_POST
def resend_failed_emails_view(request):
    # Who did not get which e-mail is the administrators' to see (the panel), and to resend.
    # A 403 page: Wagtail would turn a raised PermissionDenied into a redirect to the home.
    if not roles.is_union_admin(request.user):
        return permission_denied(
            request, PermissionDenied("Réservé aux administrateurs de l'union.")
        )
    if request.POST.get("all"):
        outcome = resend_failed_emails(actor=request.user)
    else:
        task_ids = []
        for value in request.POST.getlist("task"):
            try:
                task_ids.append(str(UUID(value)))
            except ValueError:
                continue
        outcome = resend_failed_emails(task_ids, actor=request.user)
    for level, text in outcome.messages():
        getattr(messages, level)(request, text)
    return redirect("wagtailadmin_home")

"""The platform's own panels and stylesheet in the Wagtail admin, and the users' admin
(Paramètres › Utilisateurs) kept to the platform's rules: accounts opened, given roles,
deactivated or reactivated there are in the union's audit trail; an account is deactivated, not
deleted, once it has left traces, and its personal data erased on request (union.account_erasure);
a new colleague chooses their own password."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from laces.components import Component
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from seminars.models import Registration
from tenants.models import Membership
from tenants.services import send_set_password_email
from union import roles
from union.account_erasure import erase_account_view, shielded_superuser
from union.account_retention import reactivate_account
from union.audit import record_audit
from union.failed_email_views import requeue_interrupted_tasks_view, resend_failed_emails_view
from union.formats import french_list
from union.help_views import HELP_TITLE, staff_help
from union.models import AuditEntry
from union.notifications import use_logging_notifiers
from union.task_queue import QueueState, interrupted_after, read_queue_state
from union.tokens import revoke_api_tokens

User = get_user_model()
# Wagtail's moderation notifications, a template error logged instead of lost (union.notifications).
use_logging_notifiers()


class TaskQueuePanel(Component):
    """The e-mail queue on the admin home: waiting, failed, and a warning when it stopped."""

    name = "task_queue"
    template_name = "union/admin/task_queue_panel.html"
    order = 50  # before Wagtail's panels: a stopped queue means no confirmation leaves

    def __init__(self, state: QueueState, failures_url: str | None):
        self.state = state
        self.failures_url = failures_url

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        show_failed_emails = roles.is_union_admin(request.user)
        return {
            "state": self.state,
            "failures_url": self.failures_url,
            # Who did not get their e-mail (a password reset, an invitation): administrators
            # only, who may also resend them; organisers see the counts.
            "show_failed_emails": show_failed_emails,
            "resendable": [
                failed for failed in self.state.failed_emails if failed.resendable_until
            ],
            # The tasks a dead worker left running (union.task_queue): everyone sees them, the
            # administrators relaunch them (« Relancer »), as they resend.
            "stalled_after": int(interrupted_after().total_seconds() // 60),
            # The panel is rendered without the request: its « Renvoyer » forms need the token.
            "csrf_token": get_token(request) if show_failed_emails else "",
        }


@hooks.register("register_admin_urls")
def register_failed_email_urls():
    return [
        path(
            "e-mails/renvoyer/",
            resend_failed_emails_view,
            name="union_resend_failed_emails",
        ),
        path(
            "taches/relancer/",
            requeue_interrupted_tasks_view,
            name="union_requeue_interrupted_tasks",
        ),
    ]


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


# Wagtail's « Aide » menu links to its English pages (« Ce qui est nouveau avec Wagtail 8.0 »,
# the editor guide on guide.wagtail.org/en/) and counts them in a badge until dismissed: they
# describe Wagtail, not the union's way of working, and our staff read French. The keyboard
# shortcuts, translated and about this admin, stay.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def remove_wagtail_english_help(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]


# In their place, the staff's own guide, in French (union.help_views). Added through Wagtail's
# `register_help_menu_item` (the « Aide » submenu's register hook; `construct_help_menu` above
# only filters), first in the menu, before « Raccourcis » (order 1200).
@hooks.register("register_admin_urls")
def register_staff_help_url():
    return [path("aide/", staff_help, name="union_staff_help")]


@hooks.register("register_help_menu_item")
def register_staff_help_menu_item():
    return MenuItem(
        HELP_TITLE, reverse("union_staff_help"), name="aide-equipe", icon_name="help", order=100
    )


# --- The users' admin (Paramètres › Utilisateurs) --------------------------------------------
# Where the union opens its colleagues' accounts, gives them a role and reactivates an account
# that union.account_retention deactivated (ticking « Actif » again). The hooks after a save only
# see the saved user: what it was before is noted on the request by the hooks before it.
BEFORE_EDIT = "_maillage_edited_user_before"
BEFORE_BULK = "_maillage_bulk_users_before"


def account_name(user) -> str:
    return user.email or user.get_username()


def group_names(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def _snapshot(user) -> dict:
    return {"active": user.is_active, "superuser": user.is_superuser, "groups": group_names(user)}


def traces_of(user) -> list[str]:
    """What makes an account one to deactivate rather than delete, in French; [] if none."""
    traces = []
    if Membership.objects.filter(user=user).exists():
        traces.append("un accès à un espace membre")
    if user.email and Registration.objects.filter(email__iexact=user.email).exists():
        traces.append("une inscription à un événement")
    if AuditEntry.objects.filter(actor=user).exists():
        traces.append("des actions au journal d'audit")
    return traces


ERASE_LABEL = "Effacer les données personnelles du compte"


def erase_url(user) -> str:
    return reverse("union_erase_account", args=[user.pk])


def deletion_refused(user, traces: list[str]) -> str:
    """The refusal, with the way to honour a request for erasure (union.account_erasure)."""
    return format_html(
        '{} {} <a href="{}">{}</a>.',
        f"Le compte {account_name(user)} n'est pas supprimé : il a {french_list(traces)}. Un "
        "compte est désactivé, jamais supprimé : ouvrez-le, décochez « Actif » et enregistrez ; "
        "la personne ne peut plus se connecter et ce qui la concerne reste lisible.",
        "Si la personne ou la direction de son CCAS demande l'effacement de ses données :",
        erase_url(user),
        ERASE_LABEL,
    )


@hooks.register("register_admin_urls")
def register_erase_account_url():
    return [path("users/effacer/<int:user_id>/", erase_account_view, name="union_erase_account")]


@hooks.register("register_user_listing_buttons")
def erase_account_listing_button(user, request_user):
    # In the listing's « … » menu of each account, for the administrators of the union (the
    # edit page has no hook for its own menu: its « Supprimer » leads to the refusal's link).
    if roles.is_union_admin(request_user) and user.pk != request_user.pk:
        if shielded_superuser(user, actor=request_user):
            return  # refused (account_erasure.erasure_refusal): not offered
        yield Button(ERASE_LABEL, erase_url(user), icon_name="user", priority=90)


@hooks.register("before_delete_user")
def refuse_to_delete_an_account_with_traces(request, user):
    traces = traces_of(user)
    if traces:
        messages.error(request, deletion_refused(user, traces))
        return redirect("wagtailusers_users:edit", user.pk)
    return None


@hooks.register("after_create_user")
def follow_up_a_new_account(request, user):
    """Audited; the person gets a single-use link to choose their password (the form has no
    password field: WAGTAILUSERS_PASSWORD_ENABLED is off)."""
    with transaction.atomic():
        without_password = not user.password or not user.has_usable_password()
        if without_password:  # not even a checkable password until the person chooses one
            user.set_unusable_password()
            user.save(update_fields=["password"])
        record_audit(
            "account.created",
            actor=request.user,
            target=account_name(user),
            groups=group_names(user),
            superuser=user.is_superuser,
        )
        if without_password and user.email:
            transaction.on_commit(lambda: send_set_password_email(user))
    if without_password and user.email:
        messages.info(request, f"{user.email} reçoit un lien pour choisir son mot de passe.")


@hooks.register("before_edit_user")
def note_the_user_before_the_edit(request, user):
    if request.method == "POST" and _changes_a_member_persons_address(request, user):
        messages.error(
            request,
            f"L'adresse e-mail de {account_name(user)} n'a pas été changée : cette personne a "
            "accès à un espace membre, et l'union qui changerait son adresse pourrait recevoir "
            "le lien « mot de passe oublié » à sa place et entrer dans l'espace. Elle change "
            "son adresse elle-même (« Mon compte »), ou sa direction invite la nouvelle.",
        )
        return redirect("wagtailusers_users:edit", user.pk)
    setattr(request, BEFORE_EDIT, _snapshot(user))
    return None


def _changes_a_member_persons_address(request, user) -> bool:
    posted = (request.POST.get("email") or "").strip()
    return (
        bool(posted)
        and posted.lower() != (user.email or "").lower()
        and Membership.objects.filter(user=user).exists()
    )


@hooks.register("after_edit_user")
def audit_the_edit(request, user):
    before = getattr(request, BEFORE_EDIT, None)
    if before is None:
        return
    actor, target = request.user, account_name(user)
    with transaction.atomic():
        _audit_roles(actor, user, before["groups"], before["superuser"])
        if before["active"] and not user.is_active:
            record_audit("account.deactivated", actor=actor, target=target)
    if not before["active"] and user.is_active:
        reactivate_account(user, actor=actor)
        if user.email and not user.has_usable_password():
            messages.info(request, f"{user.email} reçoit un lien pour choisir son mot de passe.")


def _audit_roles(actor, user, groups_before: list[str], superuser_before: bool) -> None:
    groups_after = group_names(user)
    if groups_after == groups_before and user.is_superuser == superuser_before:
        return
    details = {"before": groups_before, "after": groups_after}
    if user.is_superuser != superuser_before:
        details.update(superuser_before=superuser_before, superuser_after=user.is_superuser)
    record_audit("account.groups_changed", actor=actor, target=account_name(user), **details)


# Wagtail's bulk actions on the users' listing (delete, « Set active state », « Assign role »)
# bypass the hooks above: the same rules, per person.


def _is_users_action(action) -> bool:
    return getattr(action, "model", None) is User


@hooks.register("before_bulk_action")
def check_bulk_action_on_users(request, action_type, objects, action):
    if not _is_users_action(action):
        return None
    if action_type == "delete":
        refusals = [
            deletion_refused(user, traces) for user in objects if (traces := traces_of(user))
        ]
        if refusals:
            for refusal in refusals:
                messages.error(request, refusal)
            return redirect(action.next_url)
    setattr(request, BEFORE_BULK, {user.pk: _snapshot(user) for user in objects})
    return None


@hooks.register("after_bulk_action")
def audit_bulk_action_on_users(request, action_type, objects, action):
    before = getattr(request, BEFORE_BULK, None)
    if not _is_users_action(action) or before is None:
        return None
    for user in objects:
        user.refresh_from_db(fields=["is_active", "is_superuser", "password"])
        was = before[user.pk]
        if action_type == "assign_role":
            _audit_roles(request.user, user, was["groups"], was["superuser"])
        elif action_type == "set_active_state" and was["active"] != user.is_active:
            if user.is_active:  # as from the edit form: audited, a link if it has no password
                reactivate_account(user, actor=request.user)
            else:
                record_audit("account.deactivated", actor=request.user, target=account_name(user))
                # Wagtail's action saves with QuerySet.update(): no signal for union.tokens.
                revoke_api_tokens(user)
    return None

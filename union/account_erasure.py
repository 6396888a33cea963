"""Erasing an account's personal data on request (RGPD, art. 17), as /donnees-personnelles/
promises: « à votre demande ou à celle de la direction de votre CCAS, l'union » does it.

An account with traces is never deleted (union.wagtail_hooks: member tables and both journals
point to it by primary key, without constraints). Its personal data is erased instead, by an
administrator of the union from the users' admin (« Effacer les données personnelles du
compte »): the account is deactivated, its names blanked, its address and username replaced by
`compte-efface-<pk>` (the address in the reserved « .invalid » domain: nothing can be sent
there), its password made unusable, its sessions and API tokens ended, and its accesses to member
spaces removed through the team's own service, so that each member's journal records it. The
primary key stays: the journal lines already written stay attached to it, and are pruned with the
others (union.retention)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.defaults import permission_denied
from django_tenants.utils import tenant_context

from tenants.models import Membership
from tenants.services import revoke_membership
from tenants.sessions import end_sessions
from union import roles
from union.account_retention import is_only_active_superuser
from union.audit import record_audit
from union.models import InactivityWarning
from union.tokens import revoke_api_tokens

User = get_user_model()

ERASED_DOMAIN = "efface.invalid"  # RFC 2606: never resolves, so no e-mail leaves for it


def is_erased(user) -> bool:
    return (user.email or "").endswith("@" + ERASED_DOMAIN)


class ErasureRefused(Exception):
    pass


def erased_username(user) -> str:
    return f"compte-efface-{user.pk}"


def shielded_superuser(user, *, actor) -> bool:
    """A superuser's account, and `actor` is not one: as Wagtail forbids deleting a superuser to
    anyone who is not one, its erasure, which cannot be undone, is refused (and not offered)."""
    return user.is_superuser and actor is not None and not actor.is_superuser


def erasure_refusal(user, *, actor) -> str:
    """Why `actor` may not erase `user`, in French; "" if they may."""
    if is_erased(user):
        return "Les données personnelles de ce compte sont déjà effacées."
    if actor is not None and user.pk == actor.pk:
        return (
            "Vous ne pouvez pas effacer votre propre compte : demandez-le à une autre personne "
            "des Administrateurs de l'union."
        )
    if user.is_active and is_only_active_superuser(user):
        # As for the deactivation of unused accounts: the union keeps one way into its admin.
        return (
            "Ce compte est le seul superutilisateur actif : nommez-en un autre avant d'effacer "
            "celui-ci."
        )
    if shielded_superuser(user, actor=actor):
        return (
            "Ce compte est celui d'un superutilisateur : seul un superutilisateur peut effacer "
            "ses données personnelles."
        )
    return ""


@transaction.atomic
def erase_account(user, *, actor) -> None:
    """Erase `user`'s personal data (see the module); raise ErasureRefused, in French, when
    `erasure_refusal` says no."""
    user = User.objects.select_for_update().get(pk=user.pk)
    refusal = erasure_refusal(user, actor=actor)
    if refusal:
        raise ErasureRefused(refusal)
    placeholder = erased_username(user)
    user.is_active = False
    user.first_name = user.last_name = ""
    user.username = placeholder
    user.email = f"{placeholder}@{ERASED_DOMAIN}"
    user.set_unusable_password()
    # Its rights go too: an erased account names no one, so nobody could answer for them, and
    # the users' form refuses to reactivate it (union.user_forms).
    user.is_superuser = user.is_staff = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # Its purpose gone with the account (union.account_retention).
    InactivityWarning.objects.filter(user=user).delete()
    memberships = list(Membership.objects.filter(user=user).select_related("member", "user"))
    for membership in memberships:
        # On the member's schema, one at a time (as the union's « Renvoyer l'invitation »): the
        # member's journal records the access removed, under the placeholder, not her address.
        with tenant_context(membership.member):
            # Also deletes the invitations the team sent her, with the name it typed.
            revoke_membership(membership, actor=actor)
    # The save above already ends both when it closes an active account (union.tokens,
    # tenants.sessions); an account closed earlier may predate those rules.
    end_sessions(user)
    revoke_api_tokens(user)
    record_audit(
        "account.erased",
        actor=actor,
        target=placeholder,
        memberships_removed=len(memberships),
    )


# --- The admin's screen (/admin/users/effacer/<pk>/, registered in union.wagtail_hooks) -------


def erase_account_view(request, user_id: int):
    """GET: what will happen, or why not; POST: erase. Administrators of the union only."""
    # A 403 page: Wagtail would turn a raised PermissionDenied into a redirect to the home.
    if not roles.is_union_admin(request.user):
        return permission_denied(
            request, PermissionDenied("Réservé aux administrateurs de l'union.")
        )
    user = get_object_or_404(User, pk=user_id)
    refusal = erasure_refusal(user, actor=request.user)
    if request.method == "POST" and not refusal:
        try:
            erase_account(user, actor=request.user)
        except ErasureRefused as refused:  # changed meanwhile (another administrator)
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                "Les données personnelles du compte sont effacées : il s'appelle désormais "
                f"{erased_username(user)}.",
            )
        return redirect("wagtailusers_users:edit", user.pk)
    return render(
        request,
        "union/admin/erase_account.html",
        {
            "page_title": "Effacer les données personnelles du compte",
            "header_icon": "user",
            "account": user,
            "account_name": user.email or user.get_username(),
            "refusal": refusal,
            "spaces": list(
                Membership.objects.filter(user=user)
                .order_by("member__name")
                .values_list("member__name", flat=True)
            ),
            "placeholder": erased_username(user),
        },
    )

"""Union admins manage members from the Wagtail admin: list, onboard, suspend or reopen."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tenants.admin_forms import MemberStatusForm, OnboardMemberForm
from tenants.models import MemberCCAS, Membership
from tenants.services import (
    OnboardingError,
    grant_membership,
    member_url,
    onboard_member,
    set_member_status,
)
from union.roles import is_union_admin


def _require_union_admin(request) -> None:
    if not is_union_admin(request.user):
        raise PermissionDenied("Réservé aux administrateurs de l'union.")


def member_list(request):
    _require_union_admin(request)
    query = request.GET.get("q", "").strip()
    members = (
        MemberCCAS.objects.select_related("commune", "commune__departement")
        .annotate(people=Count("memberships"))
        .order_by("commune__nom")
    )
    if query:
        members = members.filter(
            Q(name__icontains=query) | Q(commune__nom__icontains=query) | Q(commune__code=query)
        )
    rows = [(member, member_url(member, "/", request)) for member in members]
    return render(
        request,
        "tenants/admin/member_list.html",
        {"rows": rows, "query": query, "page_title": "Membres de l'union", "header_icon": "group"},
    )


def member_add(request):
    _require_union_admin(request)
    form = OnboardMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = onboard_member(
                form.cleaned_data["insee"], kind=form.cleaned_data["kind"], actor=request.user
            )
        except OnboardingError as error:
            form.add_error("commune", str(error))
        else:
            email = form.cleaned_data.get("director_email")
            if email:
                grant_membership(
                    member, email, Membership.Role.DIRECTOR, actor=request.user, request=request
                )
            messages.success(request, f"{member.name} a rejoint l'union.")
            return redirect("tenants_admin:member_list")
    return render(
        request,
        "tenants/admin/member_add.html",
        {"form": form, "page_title": "Ajouter un membre", "header_icon": "group"},
    )


@require_POST
def member_status(request, pk: int):
    _require_union_admin(request)
    member = get_object_or_404(MemberCCAS, pk=pk)
    form = MemberStatusForm(request.POST)
    if form.is_valid():
        set_member_status(member, form.cleaned_data["status"], actor=request.user)
        messages.success(request, f"{member.name} : {member.get_status_display().lower()}.")
    return redirect("tenants_admin:member_list")

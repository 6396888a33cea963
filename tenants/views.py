"""Portal pages about members: the directory."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from tenants.models import Departement, MemberCCAS
from tenants.services import member_url


def member_directory(request):
    """Every active member: commune, EPCI/EPT, population, link to its space, and what its director
    chose to publish (name, services, contact). Filter by name, département."""
    members = (
        MemberCCAS.objects.filter(status=MemberCCAS.Status.ACTIVE)
        .select_related(
            "commune",
            "commune__epci",
            "commune__ept",
            "commune__departement",
            "intercommunality",
            "public_profile",
        )
        .order_by("commune__nom")
    )
    query = request.GET.get("q", "").strip()
    departement = request.GET.get("departement", "").strip()
    if query:
        members = members.filter(
            Q(name__icontains=query)
            | Q(commune__nom__icontains=query)
            | Q(public_profile__name__icontains=query)
        )
    if departement:
        members = members.filter(commune__departement_id=departement)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    for member in page:
        member.space_url = member_url(member, "/", request)
    departements = Departement.objects.filter(communes__members__isnull=False).distinct()
    return render(
        request,
        "tenants/directory.html",
        {"page": page, "query": query, "departement": departement, "departements": departements},
    )

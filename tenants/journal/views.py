"""The member's journal of changes (/journal/), for the member's direction."""

from django.core.paginator import Paginator
from django.shortcuts import render

from tenants.access import member_role_required
from tenants.journal.models import JournalEntry
from tenants.journal.services import ACTION_LABELS, KINDS, describe_details
from tenants.models import Membership

PAGE_SIZE = 50


@member_role_required(Membership.Role.DIRECTOR)
def journal(request):
    kind = request.GET.get("type", "")
    entries = JournalEntry.objects.all()
    if kind in KINDS:
        entries = entries.filter(action__startswith=KINDS[kind][1])
    else:
        kind = ""
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
        entry.summary = describe_details(entry.details)
    return render(
        request,
        "journal/journal.html",
        {
            "page_obj": page,
            "kinds": [(code, label) for code, (label, _prefix) in KINDS.items()],
            "kind": kind,
            "kind_label": KINDS[kind][0] if kind else "",
        },
    )

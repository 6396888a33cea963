"""Portal views of the knowledge base (search, glossary) and the member-host proposal pages."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django_tenants.utils import schema_context

from knowledge_base.forms import PROPOSAL_FIELDS, ExperienceProposalForm
from knowledge_base.glossary import glossary_entries_for, glossary_letters
from knowledge_base.models import ExperiencePage
from knowledge_base.search import (
    MAX_HITS,
    MAX_QUERY_LENGTH,
    add_snippets,
    clean_query,
    search_site,
    spelling_suggestion,
)
from knowledge_base.services import (
    ProposalError,
    experience_sent_back,
    experience_status,
    propose_experience,
    public_page_url,
    revise_experience,
)
from tenants.access import WRITE_ROLES, has_member_role, member_role_required
from union.account_erasure import is_erased
from union.formats import long_date
from union.submit_once import FORM_ID_FIELD, AlreadySubmitted, new_form_id, posted_form_id

SEARCH_PAGE_SIZE = 10


def search(request):
    """/recherche/?q=…: guides, experiences, proceedings and other pages, best first."""
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    too_long = len(raw.strip()) > MAX_QUERY_LENGTH
    found = search_site(query, request)
    page_obj = Paginator(found.hits, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    add_snippets(list(page_obj.object_list), query)
    return render(
        request,
        "knowledge_base/search.html",
        {
            "query": query,
            "submitted": "q" in request.GET,
            "too_long": too_long,
            "page_obj": page_obj,
            "result_count": len(found.hits),
            "any_word": found.any_word,
            "truncated": found.truncated,
            "max_hits": MAX_HITS,
            "glossary_entries": glossary_entries_for(query) if query else [],
            "suggestion": spelling_suggestion(query, request) if query and not found.hits else "",
        },
    )


def glossary(request):
    """/glossaire/: sigles and terms together, in French alphabetical order, by letter."""
    return render(request, "knowledge_base/glossary.html", {"groups": glossary_letters()})


def member_experience_rows(member, request=None) -> list[tuple[ExperiencePage, object]]:
    """(page, status) of the member's experiences, newest first; pages live in public."""
    with schema_context("public"):
        pages = list(
            ExperiencePage.objects.filter(member_id=member.pk)
            .select_related("proposed_by")
            .order_by("-latest_revision_created_at", "-pk")
        )
        rows = []
        for page in pages:
            status = experience_status(page)
            # Her account erased (RGPD): « compte effacé », not its technical address.
            page.proposed_by_erased = page.proposed_by is not None and is_erased(page.proposed_by)
            if status.code == "published":
                page.public_url = public_page_url(page, request)
            rows.append((page, status))
    return rows


@member_role_required()
def member_experiences(request):
    """The member's proposals and where each stands (any role reads; writers may propose)."""
    return render(
        request,
        "knowledge_base/member/experiences.html",
        {
            "rows": member_experience_rows(request.tenant, request),
            "can_propose": has_member_role(request, WRITE_ROLES),
        },
    )


@member_role_required(*WRITE_ROLES)
def propose(request):
    """A director or agent proposes an experience; it goes to the union's moderators."""
    user = request.user
    initial = {"contact_name": user.get_full_name(), "contact_email": user.email}
    form = ExperienceProposalForm(request.POST or None, initial=initial)
    # Made when the form is first rendered, kept while it comes back with errors: the same form
    # posted twice proposes once (union.submit_once).
    posted = posted_form_id(request.POST)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            propose_experience(request.tenant, user, form_id=posted, **data)
        except ProposalError as error:
            form.add_error(None, str(error))
        except AlreadySubmitted as earlier:  # the same form posted again: no second page
            messages.info(
                request,
                f"Cette expérience a déjà été proposée le {long_date(earlier.entry.at, time=True)}"
                "\u00a0: elle n'est pas envoyée une seconde fois.",
            )
            return HttpResponseRedirect("/experiences/")
        else:
            messages.success(
                request,
                "Votre expérience a été transmise à l'union. Vous recevrez un courriel dès "
                "qu'elle aura été relue.",
            )
            return HttpResponseRedirect("/experiences/")
    return render(
        request,
        "knowledge_base/member/propose.html",
        {"form": form, "form_id_field": FORM_ID_FIELD, "form_id": posted or new_form_id()},
    )


def _nothing_to_revise(request, page_id: int):
    """The member's own experience that is not sent back (under review, published, or sent
    again from a second tab or the e-mail's old link): back to the list, which says where it
    stands, with why; another member's or an unknown one stays a 404."""
    with schema_context("public"):
        own = ExperiencePage.objects.filter(pk=page_id, member_id=request.tenant.pk).first()
        if own is None:
            raise Http404("Aucune expérience à modifier ici.")
        title = own.get_latest_revision_as_object().title
        label = experience_status(own).label
    messages.info(
        request,
        f"Rien à modifier pour « {title} » ({label.lower()}) : seules les "
        "expériences que la modération de l'union vous a renvoyées se modifient.",
    )
    return HttpResponseRedirect("/experiences/")


@member_role_required(*WRITE_ROLES)
def revise(request, page_id: int):
    """The member corrects an experience the moderators sent back and sends it to them again."""
    page = experience_sent_back(request.tenant, page_id)
    if page is None:
        return _nothing_to_revise(request, page_id)
    initial = {name: getattr(page, name) for name in PROPOSAL_FIELDS if name != "themes"}
    initial["themes"] = list(page.themes.all())
    form = ExperienceProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            revise_experience(request.tenant, request.user, page_id, **form.cleaned_data)
        except ProposalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Votre expérience modifiée a été renvoyée à l'union. Vous recevrez un courriel "
                "dès qu'elle aura été relue.",
            )
            return HttpResponseRedirect("/experiences/")
    comment = experience_status(page).comment
    return render(
        request,
        "knowledge_base/member/propose.html",
        {"form": form, "revising": page, "comment": comment},
    )

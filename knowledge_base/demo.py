"""Demo data of knowledge_base, loaded by `manage.py demo`: the index pages, a glossary (30
sigles and 16 terms of the trade a new maire meets), six guides (one for logged-in
people only), six published experiences, one proposal waiting for moderation and one the
moderator sent back for changes."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import PageViewRestriction, WorkflowState

from knowledge_base.demo_experiences import (
    EXPERIENCES,
    MODERATOR,
    MODERATOR_COMMENT,
    PENDING_PROPOSAL,
    SENT_BACK_PROPOSAL,
)
from knowledge_base.demo_glossary import load_glossary
from knowledge_base.demo_guides import GUIDES
from knowledge_base.models import ExperiencePage, GuideAuthor, GuidePage, Theme
from knowledge_base.search import ensure_abs_promotions
from knowledge_base.services import ensure_index_pages, propose_experience
from tenants.models import MemberCCAS
from tenants.services import portal_url

# The members-only example: visible to logged-in members and union staff only. An internal guide
# for the CCAS teams that pool their data, never one written for élus: they have no account.
MEMBERS_ONLY_GUIDE = "partager-resultats-abs-sans-donnees-personnelles"
# Restricted by earlier versions of the demo: the guide for new élus must be public.
FORMERLY_MEMBERS_ONLY = ("cent-premiers-jours-mandat",)


def _themes(slugs):
    return list(Theme.objects.filter(slug__in=slugs))


@transaction.atomic
def load_guides(index) -> int:
    created = 0
    today = timezone.localdate()
    for data in GUIDES:
        if GuidePage.objects.filter(slug=data["slug"]).exists():
            continue
        page = GuidePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            audiences=data["audiences"],
            last_reviewed=today - datetime.timedelta(days=data["reviewed_days_ago"]),
            body=data["body"],
            live=False,
        )
        index.add_child(instance=page)
        page.themes.set(_themes(data["themes"]))
        for order, (name, role) in enumerate(data["authors"]):
            GuideAuthor.objects.create(page=page, name=name, role=role, sort_order=order)
        page.save_revision().publish()
        created += 1
    restrict_members_only_guide()
    return created


def restrict_members_only_guide() -> None:
    """Only MEMBERS_ONLY_GUIDE asks to log in, also in a demo loaded by an earlier version."""
    login = PageViewRestriction.LOGIN
    PageViewRestriction.objects.filter(
        page__slug__in=FORMERLY_MEMBERS_ONLY, restriction_type=login
    ).delete()
    page = GuidePage.objects.filter(slug=MEMBERS_ONLY_GUIDE).first()
    if page is not None and not PageViewRestriction.objects.filter(page=page).exists():
        PageViewRestriction.objects.create(page=page, restriction_type=login)


@transaction.atomic
def load_experiences(index) -> int:
    created = 0
    for data in EXPERIENCES:
        member = MemberCCAS.objects.filter(slug=data["member"]).first()
        if member is None or ExperiencePage.objects.filter(title=data["title"]).exists():
            continue
        fields = {k: v for k, v in data.items() if k not in ("member", "themes")}
        page = ExperiencePage(slug=slugify(data["title"])[:80], member=member, live=False, **fields)
        index.add_child(instance=page)
        page.themes.set(_themes(data["themes"]))
        page.save_revision().publish()
        created += 1
    return created


def load_pending_proposal(proposal: dict = PENDING_PROPOSAL) -> ExperiencePage | None:
    """`proposal` proposed by its author from the member's space (the form's own service); None
    if it exists already or its member or author is not in this database."""
    data = dict(proposal)
    if ExperiencePage.objects.filter(title=data["title"]).exists():
        return None
    member = MemberCCAS.objects.filter(slug=data.pop("member")).first()
    author = get_user_model().objects.filter(email=data.pop("author")).first()
    if member is None or author is None:
        return None
    return propose_experience(member, author, themes=_themes(data.pop("themes")), **data)


@transaction.atomic
def load_sent_back_proposal() -> bool:
    """A proposal the moderator sent back, as « Demander des modifications » does in the admin:
    the moderation task's form checks the comment, the task acts (the proposer is e-mailed)."""
    moderator = get_user_model().objects.filter(email=MODERATOR).first()
    if moderator is None:
        return False
    page = load_pending_proposal(SENT_BACK_PROPOSAL)
    if page is None:
        return False
    state = WorkflowState.objects.for_instance(page).get(status=WorkflowState.STATUS_IN_PROGRESS)
    task_state = state.current_task_state.specific
    task = task_state.task.specific
    form = task.get_form_for_action("reject")({"comment": MODERATOR_COMMENT})
    if not form.is_valid():
        raise ValueError(form.errors)
    task.on_action(task_state, moderator, "reject", **form.cleaned_data)
    return True


def load(stdout) -> None:
    """Load this app's demo data. Idempotent."""
    guides, experiences = ensure_index_pages()
    glossary_count = load_glossary()
    guide_count = load_guides(guides)
    experience_count = load_experiences(experiences)
    pending = load_pending_proposal() is not None
    sent_back = load_sent_back_proposal()
    # « Accès direct » to the ABS comparisons (not a Wagtail page) for « ABS », « analyse des
    # besoins sociaux », « indicateurs » in the public search.
    ensure_abs_promotions(portal_url(""))
    stdout.write(
        f"Base de connaissances : {glossary_count} entrées du glossaire, {guide_count} guides et "
        f"{experience_count} expériences créés"
        f"{', 1 proposition en attente de modération' if pending else ''}"
        f"{', 1 proposition renvoyée par la modération' if sent_back else ''}."
    )

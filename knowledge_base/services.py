"""Writes of the knowledge base (convention 1: verb-named, typed, atomic, mail on commit).

Experiences proposed from a member host are public-schema Wagtail pages: every function here
works on the public schema explicitly, whatever host the request came from.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from django_tenants.utils import schema_context
from wagtail.models import (
    Page,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

from knowledge_base.models import (
    ExperienceIndexPage,
    ExperiencePage,
    GlossaryTerm,
    ModerationTask,
    Theme,
)
from knowledge_base.models.snippets import GlossaryKind
from tenants.access import WRITE_ROLES
from tenants.models import MemberCCAS, Membership
from tenants.services import member_url, portal_url, portal_urlconf
from union import roles
from union.audit import record_audit
from union.formats import of_union
from union.mail import send_templated
from union.services import ensure_section_page
from union.slugs import first_free
from union.submit_once import check_first_submission

WORKFLOW_NAME = "Modération de l'union"
TASK_NAME = "Validation par un modérateur ou une modératrice"
# Snippet permissions of the union's editors (union admins get every permission anyway).
EDITOR_MODEL_PERMISSIONS = {
    "theme": ("add", "change", "delete"),
    "glossaryterm": ("add", "change", "delete"),
}


class ProposalError(Exception):
    """An experience cannot be proposed; the message is for the person who asked."""


def ensure_moderation_workflow() -> Workflow:
    """The "Modération de l'union" workflow: one group-approval task for the union's moderators
    (a ModerationTask: requesting changes needs a comment), attached to every experience index
    page. Idempotent."""
    moderators, _ = Group.objects.get_or_create(name=roles.MODERATOR)
    task = ModerationTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = ModerationTask.objects.create(name=TASK_NAME)
    task.groups.add(moderators)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for index_page in ExperienceIndexPage.objects.all():
        WorkflowPage.objects.get_or_create(page=index_page, defaults={"workflow": workflow})
    return workflow


def ensure_editor_permissions() -> None:
    """Editors maintain the themes and the glossary snippets. Idempotent."""
    editors, _ = Group.objects.get_or_create(name=roles.EDITOR)
    for model, actions in EDITOR_MODEL_PERMISSIONS.items():
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="knowledge_base",
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


def ensure_knowledge_base_setup() -> None:
    """Everything the knowledge base needs besides its migrations (run after every migrate)."""
    with transaction.atomic():
        ensure_moderation_workflow()
        ensure_editor_permissions()


def experience_index() -> ExperienceIndexPage:
    index_page = ExperienceIndexPage.objects.first()
    if index_page is None:
        raise ProposalError(
            "La banque d'expériences n'est pas encore ouverte sur le portail. Contactez l'union."
        )
    return index_page


def _unique_slug(parent: Page, title: str, besides: Page | None = None) -> str:
    """A free slug under `parent` for `title`; `besides`: a child whose own slug is free."""
    base = slugify(title)[:70] or "experience"
    siblings = parent.get_children()
    if besides is not None:
        siblings = siblings.exclude(pk=besides.pk)
    siblings = set(siblings.values_list("slug", flat=True))
    return first_free(base, siblings.__contains__)


# What a member writes in an experience: the proposal form's fields, the same for a revision.
EXPERIENCE_TEXT_FIELDS = (
    "title",
    "summary",
    *ExperiencePage.NARRATIVE_FIELDS,
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
)


def _write_fields(page: ExperiencePage, fields: dict) -> None:
    """Put the member's text (trimmed), start date and audiences on the page; themes are set
    once the page is in the tree."""
    for name in EXPERIENCE_TEXT_FIELDS:
        setattr(page, name, (fields.get(name) or "").strip())
    page.start_date = fields.get("start_date")
    page.audiences = list(fields.get("audiences") or ())


def propose_experience(
    member: MemberCCAS,
    user,
    *,
    themes: Iterable[Theme] = (),
    form_id: str = "",
    **fields,
) -> ExperiencePage:
    """A member's director or agent proposes an experience: it becomes a draft page under the
    experience index and enters the moderation workflow. The proposer gets an acknowledgement;
    Wagtail notifies the moderators. `form_id`: the form's one-time id (union.submit_once): the
    same form posted again makes no second page and raises AlreadySubmitted.

    `fields`: title, summary, context, description (required), objectives, publics, partners,
    budget, results, start_date, audiences, contact_name, contact_role, contact_email,
    contact_phone."""
    unknown = set(fields) - {*EXPERIENCE_TEXT_FIELDS, "start_date", "audiences"}
    if unknown:
        raise TypeError(f"Unknown experience fields: {sorted(unknown)}")
    with schema_context("public"), portal_urlconf(), transaction.atomic():
        check_first_submission("experience.proposed", form_id)
        index_page = experience_index()
        workflow = ensure_moderation_workflow()
        page = ExperiencePage(
            slug=_unique_slug(index_page, fields["title"]),
            live=False,
            member=member,
            proposed_by=user,
            owner=user,
        )
        _write_fields(page, fields)
        index_page.add_child(instance=page)
        page.themes.set(list(themes))
        page.save_revision(user=user, log_action=True)
        workflow.start(page, user)
        _mute_admin_notifications(user)
        record_audit(
            "experience.proposed",
            actor=user,
            member=member,
            target=page.title,
            shared=True,  # sent to the union's moderators
            page_id=page.pk,
            form_id=form_id,
        )
        link = member_url(member, "/experiences/")
        transaction.on_commit(lambda: _send_acknowledgement(page, user, link))
    return page


def experience_sent_back(member: MemberCCAS, page_id: int) -> ExperiencePage | None:
    """The member's experience `page_id` as its latest revision, if the moderators sent it back
    for changes; None otherwise (another member's, under review, published, unknown)."""
    with schema_context("public"):
        page = ExperiencePage.objects.filter(pk=page_id, member_id=member.pk).first()
        if page is None or not experience_status(page).can_revise:
            return None
        return page.get_latest_revision_as_object()


def revise_experience(
    member: MemberCCAS,
    user,
    page_id: int,
    *,
    themes: Iterable[Theme] = (),
    **fields,
) -> ExperiencePage:
    """The member corrects an experience the moderators sent back, and it goes back to them:
    a new revision, and the workflow resumes at its moderation task (Wagtail tells the
    moderators again, as for a proposal); an experience withdrawn from review (workflow
    cancelled in the admin) starts the workflow again. Raises ProposalError if it is not
    waiting for changes any more (a moderator may have acted meanwhile)."""
    with schema_context("public"), portal_urlconf(), transaction.atomic():
        # The page row locked: two people of the member sending a revision at once make one.
        list(ExperiencePage.objects.select_for_update().filter(pk=page_id).values_list("pk"))
        page = experience_sent_back(member, page_id)
        if page is None:
            raise ProposalError(
                "Cette expérience n'attend plus de modification : elle a déjà été renvoyée "
                "à l'union ou publiée."
            )
        _write_fields(page, fields)
        if page.first_published_at is None and fields["title"] != page.draft_title:
            # Never online yet: the address follows the corrected title (a person's name the
            # moderators asked to remove must not stay in the published address).
            parent = page.get_parent()
            page.slug = _unique_slug(parent, fields["title"], besides=page)
            page.set_url_path(parent)
            # On the page's row too, not only in its revision: the next _unique_slug of a
            # sibling reads the rows (two corrected to one title would collide at publication).
            Page.objects.filter(pk=page.pk).update(slug=page.slug, url_path=page.url_path)
        page.themes.set(list(themes))
        page.save_revision(user=user, log_action=True)
        if page.current_workflow_state is not None:  # sent back: "needs changes"
            page.current_workflow_state.resume(user)
        else:  # withdrawn from review: the workflow was cancelled
            ensure_moderation_workflow().start(page, user)
        record_audit(
            "experience.revised",
            actor=user,
            member=member,
            target=page.title,
            shared=True,  # sent to the union's moderators
            page_id=page.pk,
        )
        link = member_url(member, "/experiences/")
        transaction.on_commit(lambda: _send_acknowledgement(page, user, link))
    return page


def _mute_admin_notifications(user) -> None:
    """A proposer without Wagtail admin access gets our emails (portal and member-space links),
    not Wagtail's, whose links lead to an admin they cannot open."""
    if user.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(user)
    if profile.approved_notifications or profile.rejected_notifications:
        profile.approved_notifications = profile.rejected_notifications = False
        profile.save(update_fields=["approved_notifications", "rejected_notifications"])


@dataclass(frozen=True)
class ExperienceStatus:
    # "published" | "pending" | "rejected" | "withdrawn" | "scheduled" | "approved"
    # | "unpublished" | "draft"
    code: str
    label: str
    badge: str  # CSS modifier of .badge
    comment: str = ""
    help: str = ""  # what the member can do about it, when the label does not say

    @property
    def can_revise(self) -> bool:
        """The member may correct it and send it back (« Modifier et renvoyer »)."""
        return self.code in ("rejected", "withdrawn")


UNPUBLISHED_HELP = (
    "L'union l'a retirée du portail. Pour la mettre à jour et la faire publier à nouveau, "
    "contactez l'union."
)


def _latest_workflow_state(page: ExperiencePage) -> WorkflowState | None:
    return (
        WorkflowState.objects.for_instance(page)
        .select_related("current_task_state")
        .order_by("-created_at", "-pk")
        .first()
    )


def _unpublished_since(page: ExperiencePage, state: WorkflowState | None) -> bool:
    """Whether the page was online and the union took it down, with no review begun since: the
    latest workflow, if any, started before its last publication (the approval or the
    « Publier » that published it, whose state stays « approved » or « cancelled »)."""
    published_at = page.last_published_at or page.first_published_at
    if published_at is None:
        return False
    return state is None or state.created_at <= published_at


def experience_status(page: ExperiencePage) -> ExperienceStatus:
    """Where a proposal stands, as its proposer should read it (with the moderator's comment).

    A moderator may publish with « Publier » (Wagtail then cancels the workflow): live wins.
    A workflow cancelled without publishing (« Annuler le workflow ») withdrew the proposal
    from review: the member may correct it and send it again. A page the union unpublished
    (outdated, or at the member's request) says so, whatever workflow published it: neither
    « publication programmée », which only a scheduled revision means, nor « Retirée de la
    relecture » or « Brouillon »; the member asks the union to put it back (moderators republish
    it, with its history, rather than a copy sent through review)."""
    if page.live:
        return ExperienceStatus("published", "Publiée", "ok")
    state = _latest_workflow_state(page)
    comment = state.current_task_state.comment if state and state.current_task_state else ""
    approved = state is not None and state.status == WorkflowState.STATUS_APPROVED
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return ExperienceStatus("pending", "En cours de modération", "warn")
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return ExperienceStatus("rejected", "À modifier", "error", comment)
    if page.scheduled_revision is not None:  # an approval or « Publier » with a go-live date
        label = "Validée, publication programmée"
        return ExperienceStatus("scheduled", label, "ok", comment if approved else "")
    if _unpublished_since(page, state):
        return ExperienceStatus(
            "unpublished", "Dépubliée par l'union", "warn", help=UNPUBLISHED_HELP
        )
    if state is not None and state.status == WorkflowState.STATUS_CANCELLED:
        return ExperienceStatus("withdrawn", "Retirée de la relecture par l'union", "error")
    if approved:  # its scheduled publication was cancelled in the admin
        return ExperienceStatus("approved", "Validée, en attente de publication", "ok", comment)
    return ExperienceStatus("draft", "Brouillon", "warn")


def public_page_url(page: Page, request=None) -> str:
    """An absolute portal URL of a page, built the same way from a member host or a command."""
    with portal_urlconf():
        _site_id, _root, path = page.get_url_parts(request) or (None, None, "/")
    return portal_url(path, request)


def _send(template: str, subject: str, user, context: dict) -> None:
    if not user or not user.email:
        return
    send_templated(
        f"{settings.PLATFORM_NAME} : {subject}",
        template,
        {
            **context,
            "user": user,
            "of_platform": of_union(settings.PLATFORM_NAME),
        },
        [user.email],
    )


def _send_acknowledgement(page: ExperiencePage, user, link: str) -> None:
    _send(
        "knowledge_base/email/proposal_received",
        "votre expérience a bien été reçue",
        user,
        {"page": page, "link": link},
    )


def decision_recipients(page: ExperiencePage) -> list:
    """Who hears of the union's decision on a member's experience: whoever proposed it, while
    she may still act on it in the member's space (direction or agent), and the member's
    directors, answerable for what it publishes. Never a former agent (her access removed) nor
    an erased or deactivated account (Membership.opening_the_space)."""
    memberships = (
        Membership.objects.filter(member_id=page.member_id)
        .opening_the_space()
        .select_related("user")
        .order_by("pk")
    )
    recipients = {}
    for membership in memberships:
        proposer = membership.user_id == page.proposed_by_id
        if membership.role == Membership.Role.DIRECTOR or (
            proposer and membership.role in WRITE_ROLES
        ):
            recipients[membership.user_id] = membership.user
    # The proposer first: she is the one who wrote it.
    return sorted(recipients.values(), key=lambda user: user.pk != page.proposed_by_id)


def _tell_member(page: ExperiencePage, template: str, subject: str, context: dict) -> None:
    """Send `template` to each of decision_recipients(page), once the transaction commits."""
    recipients = decision_recipients(page)
    transaction.on_commit(lambda: [_send(template, subject, user, context) for user in recipients])


def notify_decision(page: ExperiencePage, *, approved: bool, comment: str = "") -> None:
    """Email the member (decision_recipients) the moderators' decision, once the transaction
    commits.

    Publication is told by `notify_published` (Wagtail's `page_published`), whoever published
    and however: an approved workflow, « Publier » in the editor, scheduled publishing. An
    approval (`approved=True`) therefore sends nothing itself: the page it publishes does."""
    if approved:
        return
    page = ExperiencePage.objects.select_related("proposed_by", "member").get(pk=page.pk)
    if page.proposed_by_id is None:  # written by the union, not proposed by the member
        return
    # The title as the member last wrote it: a page never published keeps its first one in
    # its row, the revisions hold the rest (the member's list shows draft_title too).
    context = {
        "page": page,
        "title": page.draft_title,
        "link": member_url(page.member, "/experiences/"),
        "comment": comment,
    }
    _tell_member(
        page,
        "knowledge_base/email/proposal_rejected",
        "votre expérience n'a pas été retenue en l'état",
        context,
    )


def notify_published(page: ExperiencePage) -> None:
    """Email the member (decision_recipients) that its experience is online, on its first
    publication only (a later correction published by the union is not news to them). The
    moderator's comment, if the publication came from an approval, goes with it."""
    page = ExperiencePage.objects.select_related("proposed_by", "member").get(pk=page.pk)
    if page.proposed_by_id is None or not page.live:
        return
    if page.first_published_at != page.last_published_at:  # published before
        return
    state = _latest_workflow_state(page)
    approved = state is not None and state.status == WorkflowState.STATUS_APPROVED
    comment = state.current_task_state.comment if approved and state.current_task_state else ""
    context = {"page": page, "link": public_page_url(page), "comment": comment}
    _tell_member(
        page, "knowledge_base/email/proposal_approved", "votre expérience est publiée", context
    )


def notify_withdrawn(page: ExperiencePage) -> None:
    """Email the member (decision_recipients) that the union withdrew its proposal from review
    without publishing it (workflow cancelled); « Publier » cancels the workflow too, but then
    the page is live and `notify_published` speaks."""
    page = ExperiencePage.objects.select_related("proposed_by", "member").get(pk=page.pk)
    if page.proposed_by_id is None or page.live:
        return
    context = {
        "page": page,
        "title": page.draft_title,
        "link": member_url(page.member, "/experiences/"),
    }
    _tell_member(
        page,
        "knowledge_base/email/proposal_withdrawn",
        "votre expérience a été retirée de la relecture",
        context,
    )


class GlossaryError(ValueError):
    """A glossary entry cannot be saved as asked; the message is for the person who asked."""


@transaction.atomic
def save_glossary_term(
    acronym: str, expansion: str, definition: str = "", kind: str | None = None
) -> GlossaryTerm:
    """Create or update a glossary entry by its acronym (demo and imports).

    `kind` (« sigle » or « terme ») wins over the writing rule (`looks_like_sigle`), which
    misreads « Urssaf » or « PMI-SMI » style entries; without it, a new entry gets the rule's
    kind and an existing one keeps the kind an editor may have chosen."""
    defaults = {"expansion": expansion.strip(), "definition": definition.strip()}
    if kind is not None:
        if kind not in GlossaryKind.values:
            choices = " ou ".join(f"« {value} »" for value in GlossaryKind.values)
            raise GlossaryError(
                f"Nature inconnue pour « {acronym.strip()} » : « {kind} » (attendu : {choices})."
            )
        defaults["kind"] = kind
    term, _ = GlossaryTerm.objects.update_or_create(acronym=acronym.strip(), defaults=defaults)
    return term


INDEX_PAGES = {
    "guides": (
        "GuideIndexPage",
        "Guides pratiques",
        "<p>Des guides écrits par l'union pour les équipes des CCAS et les élus : le droit "
        "applicable, les étapes, les modèles et les bonnes questions.</p>",
    ),
    "experiences": (
        "ExperienceIndexPage",
        "Expériences des CCAS",
        "<p>Ce qui marche dans nos communes : des actions menées par les CCAS et CIAS membres, "
        "décrites par leurs équipes et relues par l'union.</p>",
    ),
}


@transaction.atomic
def ensure_index_pages() -> tuple[Page, Page]:
    """The guide and experience index pages under the portal's home page (/guides/,
    /experiences/), created and published if missing. Idempotent."""
    from knowledge_base import models as kb_models
    from union.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        raise ProposalError("La page d'accueil du portail n'existe pas : lancez les migrations.")
    pages = [
        ensure_section_page(getattr(kb_models, class_name), slug=slug, title=title, intro=intro)
        for slug, (class_name, title, intro) in INDEX_PAGES.items()
    ]
    ensure_moderation_workflow()
    return pages[0], pages[1]

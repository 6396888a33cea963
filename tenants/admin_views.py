"""Union admins run the federation from the Wagtail admin: the members list, a member's page
(identity, status and its history, its people, what it published), onboarding, status changes
and naming a member's direction.

The union never enters a member's space: everything read here is in the public schema
(MemberCCAS, Membership, auth.User, the union's AuditEntry, PublishedValue). A pending
invitation's date comes from the union's audit trail (`membership.granted` and
`membership.invitation_resent` keep the address: memberships are shared with the union), not
from the member's TeamInvitation rows, which live in its schema."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from abs_shared.models import PublishedValue
from tenants.admin_forms import InviteDirectionForm, MemberStatusForm, OnboardMemberForm
from tenants.matching import found_by
from tenants.models import MemberCCAS, Membership
from tenants.naming import of_body, the_body
from tenants.services import (
    MemberAlreadyKnown,
    MembershipError,
    OnboardingError,
    directors_to_tell,
    invite_direction,
    member_url,
    onboard_member,
    password_link_valid_until,
    resend_direction_invitation,
    resent_invitation_message,
    set_member_status,
)
from tenants.workspace import archive
from union.formats import long_date, plural
from union.models import AuditEntry
from union.roles import is_union_admin

# Directions first, then agents, then read-only people.
ROLE_ORDER = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(Membership.Role.values)),
    output_field=IntegerField(),
)
INVITATION_ACTIONS = ("membership.granted", "membership.invitation_resent")
STATUS_ACTIONS = ("member.onboarded", "member.status")


def _require_union_admin(request) -> None:
    if not is_union_admin(request.user):
        raise PermissionDenied("Réservé aux administrateurs de l'union.")


# --- Reads (public schema only) ----------------------------------------------------------------


def _count(rows):
    """A correlated COUNT of `rows` (filtered on member_id=OuterRef("pk")): members' counts
    joined together would multiply each other."""
    counted = rows.order_by().values("member_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _people_of():
    return Membership.objects.filter(member_id=OuterRef("pk"))


def pending(queryset):
    """People who never signed in to the space (their invitation is still waiting), accounts not
    deactivated: a sign-in to another space or on the portal does not count."""
    return queryset.filter(last_signed_in_at__isnull=True, user__is_active=True)


def _active_directors_of():
    """The member's director accounts that can act: a deactivated account no longer counts as a
    direction, nor do its sign-ins (they would hide that the direction named after her never
    came: « jamais »)."""
    return Membership.objects.filter(
        member_id=OuterRef("pk"), role=Membership.Role.DIRECTOR
    ).opening_the_space()


def without_direction(members):
    """Members no director account can act for: none named, or only deactivated accounts or
    accounts of the union's team (_active_directors_of)."""
    return members.exclude(Exists(_active_directors_of()))


def members_with_figures():
    """Every member with what its row in the list shows: people, pending invitations, the
    direction's last sign-in, published ABS values."""
    directors = _active_directors_of()
    return MemberCCAS.objects.select_related(
        "commune", "commune__departement", "intercommunality"
    ).annotate(
        people=_count(_people_of()),
        pending_invitations=_count(pending(_people_of())),
        published=_count(PublishedValue.objects.filter(member_id=OuterRef("pk"))),
        has_direction=Exists(directors),
        direction_last_login=Subquery(
            directors.values("member_id")
            .annotate(last=Max("last_signed_in_at"))
            .values("last")[:1],
            output_field=DateTimeField(),
        ),
    )


def with_invitation_dates(memberships):
    """Memberships with `invited_at`: the union's trail's last invitation to that address in
    that member, else the access's date (the trail is pruned after AUDIT_KEPT_DAYS)."""
    latest = AuditEntry.objects.filter(
        member_id=OuterRef("member_id"),
        target__iexact=OuterRef("user__email"),
        action__in=INVITATION_ACTIONS,
    ).order_by("-at")
    return memberships.annotate(
        invited_at=Coalesce(Subquery(latest.values("at")[:1]), "created_at")
    )


def expired_invitations(memberships):
    """Pending invitations whose link to choose a password no longer works."""
    cutoff = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return with_invitation_dates(
        pending(memberships).filter(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    ).filter(invited_at__lt=cutoff)


def people_of(member: MemberCCAS) -> list[Membership]:
    """A member's people, directions first, each with what the union needs to know: last
    sign-in, and for who never came, when the invitation went and until when its link works."""
    now = timezone.now()
    people = list(
        with_invitation_dates(
            Membership.objects.filter(member=member).select_related("user")
        ).order_by(ROLE_ORDER, "user__last_name", "user__email")
    )
    opening = set(
        Membership.objects.filter(member=member).opening_the_space().values_list("pk", flat=True)
    )
    for membership in people:
        user = membership.user
        # An access kept by a deactivated account or one of the union's team opens nothing:
        # neither the member's direction nor an invitation to send again.
        membership.opens_the_space = membership.pk in opening
        membership.is_pending = membership.last_signed_in_at is None and membership.opens_the_space
        membership.link_valid_until = None
        membership.link_expired = False
        if membership.is_pending and not user.has_usable_password():
            membership.link_valid_until = password_link_valid_until(membership.invited_at)
            membership.link_expired = membership.link_valid_until < now
    return people


def status_history(member: MemberCCAS) -> list[dict]:
    """Its joining and each status change from the union's trail: when, who, what, why."""
    labels = dict(MemberCCAS.Status.choices)
    rows = []
    for entry in AuditEntry.objects.filter(member=member, action__in=STATUS_ACTIONS).select_related(
        "actor"
    ):
        if entry.action == "member.onboarded":
            change = "Adhésion : espace créé"
        else:
            before = labels.get(entry.details.get("before"), entry.details.get("before", "?"))
            after = labels.get(entry.details.get("after"), entry.details.get("after", "?"))
            change = f"{before} → {after}"
        actor = entry.actor
        rows.append(
            {
                "at": entry.at,
                "change": change,
                "actor": (actor.get_full_name() or actor.email) if actor else "",
                "reason": entry.details.get("reason", ""),
            }
        )
    return rows


def published_summary(member: MemberCCAS) -> dict:
    values = PublishedValue.objects.filter(member=member)
    return values.aggregate(
        count=Count("pk"), indicators=Count("indicator", distinct=True), last=Max("published_at")
    )


def status_consequence(status: str, people: int) -> str:
    """What a status change does, in French, for the confirmation step."""
    if people == 0:
        whom = "personne n'y a encore accès"
    elif people == 1:
        whom = "la seule personne qui y a accès"
    else:
        whom = f"ses {people} personnes"
    hidden = (
        "ses indicateurs publiés et sa fiche d'annuaire seront masqués ; ses expériences publiées "
        "restent en ligne, sans lien vers l'annuaire"
    )
    kept = "Rien n'est supprimé : une réactivation rouvre l'espace tel quel."
    if status == MemberCCAS.Status.ACTIVE:
        back = (
            "ses indicateurs publiés et sa fiche d'annuaire (si sa direction l'a publiée) "
            "réapparaîtront"
        )
        if people == 0:
            return f"L'espace rouvrira (personne n'y a encore accès) ; {back}."
        return f"L'espace rouvrira à {whom} ; {back}."
    if people == 0:
        closed = f"L'espace sera fermé ({whom}) ; {hidden}."
    else:
        closed = f"L'espace sera fermé à {whom} ; {hidden}."
    if status == MemberCCAS.Status.LEFT:
        return f"{closed} Le membre sera noté comme ayant quitté l'union. {kept}"
    return f"{closed} {kept}"


def published_sentence(active: int, published: int) -> str:
    """The panel's ABS line, in French whatever the counts (« 0 a publié », not « 0 ont », and
    no « Parmi les 1 membre »)."""
    if active == 0:
        return "Aucun membre actif."
    if active == 1:
        done = "a publié" if published else "n'a pas publié"
        return f"Le seul membre actif {done} de valeurs cette année."
    verb = "a" if published <= 1 else "ont"
    return (
        f"Parmi les {active} membres actifs : {published} {verb} publié des valeurs cette "
        f"année, {active - published} non."
    )


def federation_overview() -> dict:
    """The admin home's panel: members by status, directions that never signed in, expired
    invitations, members that published ABS values this year and those that did not."""
    year = timezone.localdate().year
    by_status = dict(
        MemberCCAS.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    statuses = [
        (value, label, by_status.get(value, 0)) for value, label in MemberCCAS.Status.choices
    ]
    active = MemberCCAS.objects.filter(status=MemberCCAS.Status.ACTIVE)
    never = list(
        pending(
            Membership.objects.filter(
                role=Membership.Role.DIRECTOR, member__in=active
            ).opening_the_space()
        )
        .select_related("member", "user")
        .order_by("member__name", "user__email")
    )
    # Directions only: an agent's invitation is her direction's to send again (« Équipe »); the
    # union's « Renvoyer l'invitation » is for directions.
    expired = list(
        expired_invitations(
            Membership.objects.filter(role=Membership.Role.DIRECTOR, member__in=active)
        )
        .select_related("member", "user")
        .order_by("invited_at")
    )
    for membership in expired:
        membership.link_valid_until = password_link_valid_until(membership.invited_at)
    published_this_year = active.filter(
        Exists(
            PublishedValue.objects.annotate(published_year=ExtractYear("published_at")).filter(
                member_id=OuterRef("pk"), published_year=year
            )
        )
    ).count()
    active_count = by_status.get(MemberCCAS.Status.ACTIVE, 0)
    return {
        "published_sentence": published_sentence(active_count, published_this_year),
        # Active members only: a suspended or departed member's space is closed, its
        # direction is invited once it is active again.
        "without_direction": without_direction(active).count(),
        "without_direction_query": f"statut={MemberCCAS.Status.ACTIVE}&direction={NO_DIRECTION}",
        "statuses": statuses,
        "total": sum(by_status.values()),
        "never_signed_in": never,
        "expired": expired,
        "year": year,
        "published_this_year": published_this_year,
        "not_published_this_year": active_count - published_this_year,
        "active_count": active_count,
    }


# --- Pages --------------------------------------------------------------------------------------


STATUS_FILTERS = dict(MemberCCAS.Status.choices)
# The list's caption agrees with its count: « 2 membres (actifs, sans direction) ».
STATUS_IN_CAPTION = {
    MemberCCAS.Status.ACTIVE: ("actif", "actifs"),
    MemberCCAS.Status.SUSPENDED: ("suspendu", "suspendus"),
    MemberCCAS.Status.LEFT: ("ayant quitté l'union", "ayant quitté l'union"),
}
NO_DIRECTION = "aucune"  # ?direction=aucune: the members whose direction is to invite


MEMBERS_PAGE_SIZE = 50  # as the public directory (/membres/)


def member_list(request):
    _require_union_admin(request)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("statut", "").strip()
    members = members_with_figures().order_by("commune__nom", "name")
    if status in STATUS_FILTERS:
        members = members.filter(status=status)
    else:
        status = ""
    no_direction = request.GET.get("direction", "") == NO_DIRECTION
    if no_direction:
        members = without_direction(members)
    if query:
        # The search of the portal's directory (folded in Python, a few hundred members); the
        # page then renders 50 of them.
        members = [member for member in members if found_by(member, query)]
    page = Paginator(members, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    count = page.paginator.count
    caption = plural(count, "membre", "membres")
    details = [STATUS_IN_CAPTION[status][count > 1]] if status else []
    if no_direction:
        details.append("sans direction")
    if query:
        details.append(f"recherche « {query} »")  # the caption says what the list shows
    if details:
        caption += f" ({', '.join(details)})"
    if page.has_other_pages():
        caption += f", page {page.number} sur {page.paginator.num_pages}"
    return render(
        request,
        "tenants/admin/member_list.html",
        {
            "members": page.object_list,
            "page_obj": page,
            "query": query,
            "status": status,
            "statuses": MemberCCAS.Status.choices,
            "no_direction": no_direction,
            "no_direction_value": NO_DIRECTION,
            "caption": caption,
            "page_title": "Membres de l'union",
            "header_icon": "group",
        },
    )


def _member_page(request, member: MemberCCAS, *, invite_form=None, status=200):
    people = people_of(member)
    return render(
        request,
        "tenants/admin/member_detail.html",
        {
            "member": member,
            "people": people,
            "directions": [m for m in people if m.is_director and m.opens_the_space],
            "history": status_history(member),
            "published": published_summary(member),
            "invite_form": invite_form or InviteDirectionForm(),
            "statuses": MemberCCAS.Status.choices,
            "space_url": member_url(member, "/", request),
            # A member that left: until when its direction may download the space's archive
            # (read from the union's trail; the union itself never opens the archive).
            "archive_until": archive.archive_open_until(member),
            "archive_open": archive.archive_open(member),
            "archive_days": archive.DEPARTURE_ARCHIVE_DAYS,
            "page_title": member.name,
            "header_icon": "group",
        },
        status=status,
    )


def _get_member(pk: int) -> MemberCCAS:
    return get_object_or_404(
        MemberCCAS.objects.select_related("commune", "commune__departement", "intercommunality"),
        pk=pk,
    )


def member_detail(request, pk: int):
    _require_union_admin(request)
    return _member_page(request, _get_member(pk))


def invitation_sent(user) -> str:
    """What the person named to a direction receives (tenants.services.invite_direction)."""
    if not user.has_usable_password():
        return "un lien pour choisir son mot de passe lui est envoyé"
    return "elle a déjà un compte : un e-mail lui indique l'adresse de l'espace"


@require_POST
def member_invite_direction(request, pk: int):
    """« Inviter une direction »: tenants.services.invite_direction (grant_membership, its audit
    and its invitation e-mail)."""
    _require_union_admin(request)
    member = _get_member(pk)
    form = InviteDirectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            membership = invite_direction(
                member,
                data["email"],
                first_name=data["first_name"].strip(),
                last_name=data["last_name"].strip(),
                actor=request.user,
            )
        except MembershipError as error:
            form.add_error("email", str(error))
        else:
            user = membership.user
            how = invitation_sent(user)
            # The name typed, when there is one: the person the administrator had in mind.
            typed = " ".join(part for part in (data["first_name"], data["last_name"]) if part)
            typed = " ".join(typed.split())
            who = f"{typed} ({user.email})" if typed else user.email
            messages.success(
                request,
                f"{who} fait désormais partie de la direction {of_body(member.name)} ; {how}.",
            )
            return redirect("tenants_admin:member_detail", member.pk)
    return _member_page(request, member, invite_form=form)


@require_POST
def member_resend_invitation(request, pk: int, membership_pk: int):
    _require_union_admin(request)
    member = _get_member(pk)
    membership = (
        Membership.objects.filter(pk=membership_pk, member=member).select_related("user").first()
    )
    if membership is None:
        raise Http404("Cette personne n'a pas accès à ce membre.")
    try:
        invitation = resend_direction_invitation(member, membership, actor=request.user)
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, resent_invitation_message(invitation, membership.user.email))
    return redirect("tenants_admin:member_detail", member.pk)


def member_add(request):
    _require_union_admin(request)
    form = OnboardMemberForm(request.POST or None)
    known = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        email = data.get("director_email")
        director = None
        try:
            # The member and its direction together, or neither: the direction is named as
            # « Inviter une direction » names it (its refusals, and an e-mail to someone who
            # already has an account, not only to a new one).
            with transaction.atomic():
                member = onboard_member(
                    data["insee"],
                    kind=data["kind"],
                    epci_siren=data.get("epci_siren"),
                    joined_on=data.get("joined_on"),
                    actor=request.user,
                )
                if email:
                    director = invite_direction(member, email, actor=request.user).user
        except MemberAlreadyKnown as error:
            known = error.member
            form.add_error("commune", str(error))
        except OnboardingError as error:
            form.add_error("commune", str(error))
        except MembershipError as error:
            form.add_error("director_email", str(error))
        else:
            joined = f"{the_body(member.name, capital=True)} a rejoint l'union."
            if director is not None:
                joined += (
                    f" {director.email} fait partie de sa direction ; {invitation_sent(director)}."
                )
            messages.success(request, joined)
            union_departement = settings.UNION_DEPARTEMENT
            if member.commune.departement_id != union_departement:
                messages.warning(
                    request,
                    f"{member.commune.nom} ({member.commune.code}) est hors du département de "
                    f"l'union ({union_departement}) : vérifiez que c'est bien la commune voulue.",
                )
            return redirect("tenants_admin:member_detail", member.pk)
    return render(
        request,
        "tenants/admin/member_add.html",
        {
            "form": form,
            "known": known,
            "reactivate": f"Réactiver {the_body(known.name)}" if known else "",
            "page_title": "Ajouter un membre",
            "header_icon": "group",
        },
    )


def _back_to(request, member: MemberCCAS) -> str:
    """Where the status change returns: the list it came from (its filters kept) or the
    member's page."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    list_url = reverse("tenants_admin:member_list")
    if back.startswith(list_url) and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return back
    return reverse("tenants_admin:member_detail", args=[member.pk])


NO_DIRECTION_TO_TELL = "ce membre n'a pas de direction (compte actif)"


def member_status(request, pk: int):
    """A status change, in two steps: the consequence in French and an optional reason, then
    the change (a POST with `confirmed`). A POST without it only shows the first step."""
    _require_union_admin(request)
    member = _get_member(pk)
    data = request.POST if request.method == "POST" else request.GET
    back = _back_to(request, member)
    status = data.get("status", "")
    if status not in MemberCCAS.Status.values:
        messages.error(request, "Choisissez un statut : actif, suspendu ou a quitté l'union.")
        return redirect(back)
    label = MemberCCAS.Status(status).label.lower()
    if status == member.status:
        # « Le CCAS de Bondy est déjà actif. », « … a déjà quitté l'union. » (CCAS and CIAS are
        # both masculine).
        already = {
            MemberCCAS.Status.ACTIVE: "est déjà actif",
            MemberCCAS.Status.SUSPENDED: "est déjà suspendu",
            MemberCCAS.Status.LEFT: "a déjà quitté l'union",
        }[status]
        messages.info(request, f"{the_body(member.name, capital=True)} {already}.")
        return redirect(back)
    confirmed = request.method == "POST" and request.POST.get("confirmed")
    form = MemberStatusForm(data if confirmed else None, initial={"status": status})
    # Who set_member_status writes to: its active directions; without one no e-mail leaves, and
    # neither the confirmation page nor the message may say otherwise.
    told = bool(directors_to_tell(member))
    if confirmed and form.is_valid():
        set_member_status(member, status, actor=request.user, reason=form.cleaned_data["reason"])
        mail = (
            "Sa direction en est informée par e-mail."
            if told
            else f"Aucun e-mail n'est parti : {NO_DIRECTION_TO_TELL}."
        )
        messages.success(request, f"{member.name} : {label}. {mail}")
        return redirect(back)
    people = Membership.objects.filter(member=member, user__is_active=True).count()
    # « Suspendre le CCAS de Bondy », « Enregistrer le départ du CCAS de Bondy ».
    actions = {
        MemberCCAS.Status.ACTIVE: f"Réactiver {the_body(member.name)}",
        MemberCCAS.Status.SUSPENDED: f"Suspendre {the_body(member.name)}",
        MemberCCAS.Status.LEFT: f"Enregistrer le départ {of_body(member.name)}",
    }
    return render(
        request,
        "tenants/admin/member_status.html",
        {
            "member": member,
            "form": form,
            "status": status,
            "status_label": label,
            "action": actions[status],
            "consequence": status_consequence(status, people),
            "directions_told": told,
            "no_direction_to_tell": NO_DIRECTION_TO_TELL,
            "archive_days": archive.DEPARTURE_ARCHIVE_DAYS,
            # A departure recorded now: its last day for the archive, as the e-mail gives it.
            "archive_until": long_date(
                archive.archive_deadline(timezone.localdate()), weekday=False
            ),
            "back": back,
            "page_title": actions[status],
            "header_icon": "group",
        },
    )

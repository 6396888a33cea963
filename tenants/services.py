"""Writes on members and people (convention 1: verb-named, typed, atomic, mail on commit)."""

import secrets
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.urls import get_urlconf, reverse, set_urlconf
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django_tenants.utils import tenant_context

from tenants.matching import get_index
from tenants.models import Commune, Domain, HandoverLink, Intercommunality, MemberCCAS, Membership
from tenants.naming import at_body, ccas_name, of_body, of_place
from union.audit import record_audit
from union.formats import long_date
from union.mail import send_templated

User = get_user_model()
HANDOVER_SALT = "maillage.handover"


class OnboardingError(Exception):
    """A member cannot be created; the message is for the person who asked."""


class MemberAlreadyKnown(OnboardingError):
    """The member to create exists already: `member`, which may be suspended or gone (then the
    way back is to reactivate it, its schema and data kept, not to create a second one)."""

    def __init__(self, message: str, member: MemberCCAS):
        super().__init__(message)
        self.member = member

    @property
    def can_be_reactivated(self) -> bool:
        return not self.member.is_active


class MembershipError(Exception):
    """The union cannot name this person to a member's direction; the message says why."""


def _already_known(existing: MemberCCAS, commune: Commune) -> MemberAlreadyKnown:
    """The refusal of a second CCAS for `commune` or CIAS for `existing`'s intercommunality,
    naming the member there already and, when it is suspended or gone, the way back."""
    kept = "son espace et ses données sont conservés"
    if existing.kind == MemberCCAS.Kind.CIAS:
        grouping = existing.intercommunality
        named = (
            f"L'intercommunalité {grouping.nom} (SIREN {grouping.siren}) a déjà son CIAS : "
            f"« {existing.name} »"
        )
        sentences = {
            MemberCCAS.Status.LEFT: f"{named}, qui a quitté l'union : réactivez-le plutôt que "
            f"d'en créer un second ({kept}).",
            MemberCCAS.Status.SUSPENDED: f"{named}, membre dont l'espace est suspendu : "
            "réactivez-le.",
        }
        default = f"{named}, membre depuis le {long_date(existing.joined_on, weekday=False)}."
    else:
        named = f"Le {ccas_name(commune.nom)} ({commune.code})"
        sentences = {
            MemberCCAS.Status.LEFT: f"{named} a quitté l'union : réactivez-le plutôt que de le "
            f"recréer ({kept}).",
            MemberCCAS.Status.SUSPENDED: f"{named} est déjà membre de l'union ; son espace est "
            "suspendu : réactivez-le.",
        }
        default = f"{named} est déjà membre de l'union."
    return MemberAlreadyKnown(sentences.get(existing.status, default), existing)


def slug_for_commune(commune: Commune) -> str:
    return slugify(commune.nom)[:50]


def schema_name_for(slug: str) -> str:
    # Schema names: lower case, digits and underscores, not starting with "pg_".
    return "m_" + slug.replace("-", "_")[:60]


@transaction.atomic
def onboard_member(
    insee: str,
    *,
    kind: str = MemberCCAS.Kind.CCAS,
    name: str | None = None,
    slug: str | None = None,
    epci_siren: str | None = None,
    joined_on: date | None = None,
    actor=None,
) -> MemberCCAS:
    """Create a member CCAS/CIAS: its row, its schema (cloned from the template) and its domain.

    Refuses an unknown INSEE code, a former commune's (merged: the message names the commune
    that absorbed it), a former intercommunality, a commune that already has its CCAS and an
    intercommunality that already has its CIAS (MemberAlreadyKnown, which names it: one that
    left or was suspended is to be reactivated); nothing is created then.
    """
    code = insee.strip().upper()
    commune = Commune.objects.select_related("epci", "ept").filter(code=code, current=True).first()
    if commune is None:
        # A former commune (a row a COG refresh flagged, or a code only the COG's former codes
        # know): the member is the current commune's, whose code the union is told to use.
        index = get_index()
        city = index.by_code.get(index.arrondissement_codes.get(code, ""))
        if city is not None:
            # Paris, Lyon and Marseille have one CCAS (the CASVP in Paris) for their
            # arrondissements, as the matcher reads « Paris 11e » or 75111.
            raise OnboardingError(
                f"Le code INSEE {code} est celui d'un arrondissement municipal "
                f"{of_place(city.nom)} : le CCAS est celui de la ville ({city.code}). "
                f"Utilisez le code {city.code}."
            )
        absorbing = index.by_code.get(index.former_codes.get(code, ""))
        former = Commune.objects.filter(code=code).first()
        if absorbing is not None:
            what = (
                f"{former.nom} ({code}) est une ancienne commune"
                if former
                else f"Le code INSEE {code} est celui d'une ancienne commune"
            )
            raise OnboardingError(
                f"{what}, aujourd'hui partie {of_place(absorbing.nom)} ({absorbing.code}). "
                f"Utilisez le code {absorbing.code}."
            )
        if former is not None:
            raise OnboardingError(
                f"{former.nom} ({code}) ne figure plus dans le Code officiel géographique. "
                "Indiquez le code de la commune actuelle."
            )
        raise OnboardingError(
            f"Code INSEE inconnu : « {insee} ». Vérifiez le code officiel de la commune."
        )
    intercommunality = None
    if kind == MemberCCAS.Kind.CIAS:
        intercommunality = (
            Intercommunality.objects.filter(siren=epci_siren).first()
            if epci_siren
            else commune.intercommunality
        )
        if intercommunality is None:
            raise OnboardingError("Un CIAS doit être rattaché à une intercommunalité (SIREN).")
        if not intercommunality.current:
            raise OnboardingError(
                f"L'intercommunalité {intercommunality.nom} (SIREN {intercommunality.siren}) ne "
                "figure plus dans le Code officiel géographique. Indiquez le SIREN de celle qui "
                "lui a succédé."
            )
        existing = MemberCCAS.objects.filter(
            kind=MemberCCAS.Kind.CIAS, intercommunality=intercommunality
        ).first()
        if existing is not None:
            raise _already_known(existing, commune)
        default_name = f"CIAS {intercommunality.nom}"
    else:
        existing = MemberCCAS.objects.filter(commune=commune, kind=MemberCCAS.Kind.CCAS).first()
        if existing is not None:
            raise _already_known(existing, commune)
        default_name = ccas_name(commune.nom)
    slug = slug or slug_for_commune(commune)
    if kind == MemberCCAS.Kind.CIAS and not slug.startswith("cias-"):
        slug = f"cias-{slugify(intercommunality.nom)}"[:50]
    if MemberCCAS.objects.filter(slug=slug).exists():
        slug = f"{slug}-{commune.code}"[:50]
    member = MemberCCAS(
        schema_name=schema_name_for(slug),
        name=name or default_name,
        slug=slug,
        kind=kind,
        commune=commune,
        intercommunality=intercommunality,
        joined_on=joined_on or timezone.localdate(),
    )
    member.save(verbosity=0)  # clones the template schema
    Domain.objects.create(domain=member.domain_name, tenant=member, is_primary=True)
    record_audit(
        "member.onboarded", actor=actor, member=member, target=member.name, insee=commune.code
    )
    return member


@transaction.atomic
def set_member_status(
    member: MemberCCAS,
    status: str,
    *,
    actor=None,
    reason: str = "",
    tell_directions: bool = True,
) -> MemberCCAS:
    """Suspend, reactivate or record the departure of a member. Nothing is deleted.

    The reason, if given, is kept in the audit entry (the union's, not sent to the member). On
    commit its directions are told by e-mail what changed, with the union's contact: the space
    closing (or reopening) must not be how they learn it. Not with `tell_directions=False`: the
    few minutes of a restore of one member (docs/operations.md), for which the union warns the
    directions itself. Setting the status it has is a no-op."""
    if status not in MemberCCAS.Status.values:
        raise ValueError(f"Statut inconnu : {status!r}")
    previous = member.status
    if status == previous:
        return member
    member.status = status
    member.save(update_fields=["status"])
    details = {"before": previous, "after": status}
    if reason.strip():
        details["reason"] = reason.strip()
    # Shared: the union's own decision, whatever schema the connection is on (a departure's date
    # in the union's trail opens the directors' window to download their archive).
    record_audit(
        "member.status", actor=actor, member=member, target=member.name, shared=True, **details
    )
    directions = directors_to_tell(member) if tell_directions else []
    if directions:
        changed_on = timezone.localdate()
        transaction.on_commit(
            lambda: send_member_status_email(member, previous, status, directions, changed_on)
        )
    return member


STATUS_SUBJECTS = {
    MemberCCAS.Status.SUSPENDED: "l'espace « {name} » est suspendu",
    MemberCCAS.Status.LEFT: "« {name} » a quitté l'union",
    MemberCCAS.Status.ACTIVE: "l'espace « {name} » est rouvert",
}


def union_contact() -> dict[str, str]:
    """How the union is reached (admin: Paramètres › Identité et coordonnées de l'union)."""
    from union.models import UnionSettings

    identity = UnionSettings.load()
    return {"name": identity.display_name, "email": identity.email, "phone": identity.phone}


def send_member_status_email(
    member: MemberCCAS,
    previous: str,
    status: str,
    recipients: list[str],
    changed_on: date,
) -> None:
    """Tell a member's directions that the union suspended, reactivated or recorded the
    departure of their member, and how they get their data back (the archive of the space,
    which a departure leaves them DEPARTURE_ARCHIVE_DAYS days to download)."""
    from tenants.workspace.archive import ARCHIVE_PAGE, DEPARTURE_ARCHIVE_DAYS, archive_deadline

    subject = STATUS_SUBJECTS[status].format(name=member.name)
    send_templated(
        f"{settings.PLATFORM_NAME} : {subject}",
        "tenants/email/member_status",
        {
            "member": member,
            "previous": previous,
            "status": status,
            "changed_on": long_date(changed_on, weekday=False),
            "space_url": member_url(member, "/"),
            "contact": union_contact(),
            "archive_url": member_url(member, ARCHIVE_PAGE),
            "archive_days": DEPARTURE_ARCHIVE_DAYS,
            "archive_until": long_date(archive_deadline(changed_on), weekday=False),
        },
        recipients,
    )


def suspend_member(member: MemberCCAS, *, actor=None) -> MemberCCAS:
    return set_member_status(member, MemberCCAS.Status.SUSPENDED, actor=actor)


def reactivate_member(member: MemberCCAS, *, actor=None) -> MemberCCAS:
    return set_member_status(member, MemberCCAS.Status.ACTIVE, actor=actor)


@transaction.atomic
def grant_membership(
    member: MemberCCAS,
    email: str,
    role: str,
    *,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    actor=None,
) -> Membership:
    """Give a person (created if new, found by email) a role in a member space.

    Without a password, a person who has none yet (new, or invited before and never came) gets
    an email with a single-use link to choose one: telling her to sign in « with her usual
    account » would leave her with no way in. Returns the membership; `invited_to_set_password`
    (below) says whether that email goes.
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.update_or_create(
        user=user, member=member, defaults={"role": role}
    )
    record_audit(
        # Who may enter a space is the union's to know too (memberships live in public).
        "membership.granted",
        actor=actor,
        member=member,
        target=email,
        shared=True,
        role=role,
    )
    if invited_to_set_password(user, password):
        transaction.on_commit(lambda: send_set_password_email(user, member))
    return membership


@transaction.atomic
def invite_direction(
    member: MemberCCAS,
    email: str,
    *,
    first_name: str = "",
    last_name: str = "",
    actor=None,
) -> Membership:
    """The union names a person to a member's direction (the onboarding e-mail was left empty,
    the director changed): through grant_membership, its audit and its set-password e-mail; a
    person who already has a password is told by e-mail where the space is. Someone already in
    the team (an agent who becomes director) gets the director's role; the union changes no
    other role, that is the direction's job."""
    email = email.strip().lower()
    if not member.is_active:
        raise MembershipError(
            f"L'espace {of_body(member.name)} est fermé ({member.get_status_display().lower()}) : "
            "réactivez le membre avant d'inviter sa direction."
        )
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_active:
        raise MembershipError(
            f"Le compte {email} est désactivé : réactivez-le d'abord (Paramètres › Utilisateurs)."
        )
    refuse_union_staff_as_direction(existing, actor=actor)
    current = Membership.objects.filter(member=member, user__email__iexact=email).first()
    if current is not None and current.is_director:
        raise MembershipError(f"{email} fait déjà partie de la direction {of_body(member.name)}.")
    colleagues = directors_to_tell(member)
    membership = grant_membership(
        member,
        email,
        Membership.Role.DIRECTOR,
        first_name=first_name,
        last_name=last_name,
        actor=actor,
    )
    if not invited_to_set_password(membership.user):
        tell_of_access(member, membership)
    tell_directors_of_new_direction(member, membership, colleagues, actor=actor)
    return membership


def tell_of_access(
    member: MemberCCAS, membership: Membership, *, granted_by: str = "L'union"
) -> None:
    """On commit, tell someone who already has a password that she now enters `member`'s space
    (text and HTML): the union making her its direction, or a director adding her on the team
    page (`granted_by="La direction"`)."""
    context = {
        "member": member,
        "granted_by": granted_by,
        "role": role_phrase(membership.role),
        "space_url": member_url(member, "/"),
        "login_url": member_url(member, "/connexion/"),
    }
    subject = f"{settings.PLATFORM_NAME} : accès à l'espace « {member.name} »"
    recipients = [membership.user.email]
    transaction.on_commit(
        lambda: send_templated(subject, "tenants/email/access_granted", context, recipients)
    )


def is_union_staff_account(user) -> bool:
    """Whether `user` is an account of the union's team (Django staff, superuser or a union
    group): the one definition of who never enters a member's space, for the union's admin
    (refuse_union_staff_as_direction), a director's team page (tenants.workspace.services
    .invite_team_member) and the member host's door (union.middleware, tenants.access)."""
    from union.roles import is_union_staff

    return bool(user.is_staff or is_union_staff(user))


def refuse_union_staff_as_direction(user, *, actor=None) -> None:
    """The union opens a member's space to the member's direction, never to itself: an
    administrator who named herself (or a colleague) director entered the space and read all of
    it. `user`: the account of the address typed, None for a new one."""
    if user is None:
        return
    if is_union_staff_account(user) or (actor is not None and user.pk == actor.pk):
        raise MembershipError(
            f"{user.email} est un compte de l'équipe de l'union : l'union n'entre pas dans les "
            "espaces de ses membres. Invitez la directrice ou le directeur du CCAS avec sa "
            "propre adresse."
        )


def directors_to_tell(member: MemberCCAS) -> list[str]:
    """The addresses of the member's directors, before one is added: the accesses that open
    the space (Membership.opening_the_space), as the members' list counts « sans direction »;
    never a deactivated account nor one of the union's team, which could not act on it (the
    departure's archive would be promised to someone the space refuses)."""
    return list(
        Membership.objects.filter(member=member, role=Membership.Role.DIRECTOR)
        .opening_the_space()
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def tell_directors_of_new_direction(
    member: MemberCCAS, membership: Membership, recipients: list[str], *, actor=None
) -> None:
    """The union gave someone the direction of the space: the directions already there learn it
    at once, from an e-mail, not from a line in the team page they may never open."""
    recipients = [address for address in recipients if address != membership.user.email]
    if not recipients:
        return
    context = {
        "member": member,
        "person": membership.user,
        "actor": actor,
        "team_url": member_url(member, "/equipe/"),
        "contact": union_contact(),
    }
    subject = f"{settings.PLATFORM_NAME} : nouvelle personne à la direction de « {member.name} »"
    transaction.on_commit(
        lambda: send_templated(subject, "tenants/email/direction_added", context, recipients)
    )


@transaction.atomic
def resend_direction_invitation(member: MemberCCAS, membership: Membership, *, actor=None):
    """« Renvoyer l'invitation » by the union, to a person of the direction who never signed in:
    the team page's own service (tenants.workspace.services.resend_invitation, its e-mail, its
    audit), run on the member's schema, where it notes the invitation for the team page and the
    member's journal. A write, as onboarding is; the union reads nothing there."""

    from tenants.workspace.services import WorkspaceError, resend_invitation

    if membership.member_id != member.pk or not membership.is_director:
        raise MembershipError("L'union ne renvoie l'invitation qu'à la direction du membre.")
    if not member.is_active:
        raise MembershipError(
            f"L'espace {of_body(member.name)} est fermé : réactivez le membre avant de renvoyer "
            "l'invitation."
        )
    if not membership.user.is_active:
        raise MembershipError(
            f"Le compte {membership.user.email} est désactivé : réactivez-le d'abord "
            "(Paramètres › Utilisateurs)."
        )
    try:
        with tenant_context(member):
            return resend_invitation(member, membership, actor=actor)
    except WorkspaceError as error:
        raise MembershipError(str(error)) from error


ROLE_PHRASES = {
    Membership.Role.DIRECTOR: "direction",
    Membership.Role.AGENT: "agent",
    Membership.Role.VIEWER: "lecture seule",
}


def role_phrase(role: str) -> str:
    """A role as an e-mail names it: « direction », « agent », « lecture seule »."""
    return ROLE_PHRASES.get(role, role)


def invited_to_set_password(user, password: str | None = None) -> bool:
    """Whether granting `user` a membership (without typing a `password` for her) sends the
    link to choose one: her account has no usable password yet, and she can still sign in."""
    return not password and user.is_active and not user.has_usable_password()


@transaction.atomic
def rename_person(user, first_name: str, last_name: str):
    """« Mon compte »: the person's first and last names, which her teams and the documents she
    filed show instead of her e-mail address. Audited, like other changes to an account."""
    first_name, last_name = first_name.strip(), last_name.strip()
    if (user.first_name, user.last_name) == (first_name, last_name):
        return user
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    record_audit("account.renamed", actor=user, target=user.email or user.get_username())
    return user


@transaction.atomic
def revoke_membership(membership: Membership, *, actor=None) -> None:
    """Remove a person's access to a member space (the account itself stays), the sessions
    she opened there (invited again later, she signs in again) and the invitations the team sent
    her: they only served the team page, which no longer lists her, and kept the name the
    direction typed."""
    from tenants.sessions import end_sessions
    from tenants.workspace.models import TeamInvitation

    record_audit(
        "membership.revoked",
        actor=actor,
        member=membership.member,
        shared=True,
        target=membership.user.email,
        role=membership.role,
    )
    membership.delete()
    with tenant_context(membership.member):
        TeamInvitation.objects.filter(user_id=membership.user_id).delete()
    end_sessions(membership.user, member=membership.member)


@contextmanager
def portal_urlconf():
    """Reverse against the portal URLconf: Wagtail (page URLs, moderation e-mails, admin links)
    only exists there, while a request on a member host, a task or a command has the member
    URLconf active."""
    previous = get_urlconf()
    set_urlconf(settings.PUBLIC_SCHEMA_URLCONF)
    try:
        yield
    finally:
        set_urlconf(previous)


def portal_url(path: str, request=None) -> str:
    """An absolute URL on the portal host. In a request, with its scheme and port (a link shown
    on a member host's page works on the same server); elsewhere (tasks, commands) from the
    portal's configured address, WAGTAILADMIN_BASE_URL, as Wagtail's own e-mails.

    A link sent by e-mail, or stored, never passes the request: its port would be the Host
    header's, which whoever sends the request chooses (password-reset links, session 17; the
    invitations' and status e-mails' links, session 29)."""
    if request is None:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
    port = request.get_host().partition(":")[2]
    return f"{request.scheme}://{settings.PLATFORM_DOMAIN}{':' + port if port else ''}{path}"


def member_url(member: MemberCCAS, path: str = "/", request=None) -> str:
    """An absolute URL on a member's host."""
    url = portal_url(path, request)
    return url.replace(f"//{settings.PLATFORM_DOMAIN}", f"//{member.domain_name}", 1)


def password_link_valid_until(sent_at: datetime | None = None) -> datetime:
    """Until when a set-password or reset link made at `sent_at` (now) works: Django's token
    lasts PASSWORD_RESET_TIMEOUT seconds (three days by default)."""
    return (sent_at or timezone.now()) + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


def password_link_deadline(sent_at: datetime | None = None) -> str:
    """« vendredi 4 décembre 2026 à 14 h 05 », the union's time: what the e-mails promise."""
    return long_date(timezone.localtime(password_link_valid_until(sent_at)), time=True)


def resent_invitation_message(invitation, recipient: str) -> str:
    """What « Renvoyer l'invitation » confirms, on the member's team page and on the union's
    page of the member: to whom, and until when a set-password link works."""
    if invitation.with_password_link:
        return (
            f"Invitation renvoyée à {recipient} : le lien pour choisir son mot de passe "
            f"fonctionne jusqu'au {password_link_deadline(invitation.sent_at)}."
        )
    return f"Invitation renvoyée à {recipient}."


def send_set_password_email(
    user, member: MemberCCAS | None = None, *, reason: str = "invitation"
) -> None:
    """Email a single-use link to choose a password (Django's reset token: void once used),
    saying until when it works. `reason`: "invitation" (access just opened), "reminder" (the
    director sent the invitation again) or "forgotten" (the person asked, from « Mot de passe
    oublié », before ever choosing one). With a `member`, it names her role there and the
    space's address."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = portal_url(
        reverse("password_reset_confirm", args=[uid, token], urlconf="union.urls_public")
    )
    membership = (
        Membership.objects.filter(user=user, member=member).first() if member is not None else None
    )
    send_templated(
        f"{settings.PLATFORM_NAME} : choisissez votre mot de passe",
        "tenants/email/set_password",
        {
            "user": user,
            "member": member,
            "role": role_phrase(membership.role) if membership else "",
            "space_url": member_url(member, "/") if member is not None else "",
            "link": link,
            "at_platform": at_body(settings.PLATFORM_NAME),  # « à l'UDCCAS de… »
            "valid_until": password_link_deadline(),
            "reason": reason,
            "login_url": portal_url("/connexion/"),
        },
        [user.email],
    )


def record_member_sign_in(user, member: MemberCCAS, at: datetime | None = None) -> None:
    """Note that `user` signed in to `member`'s space (tenants.models.note_member_sign_in):
    what its team page and the union's page of the member show, per space. Nothing for someone
    without access there, nor for an account of the union's team (both get the 403 page next)."""
    Membership.objects.filter(user=user, member=member).opening_the_space().update(
        last_signed_in_at=at or timezone.now()
    )


def create_handover_link(user, member: MemberCCAS, request=None) -> str:
    """A signed, short-lived, single-use URL whose page, with one button (union.views.handover),
    logs `user` into `member`'s space."""
    if not Membership.objects.filter(user=user, member=member).exists():
        raise PermissionError("Pas d'accès à cet espace membre.")
    nonce = secrets.token_urlsafe(24)
    HandoverLink.objects.create(nonce=nonce, user=user, member=member)
    token = signing.dumps({"n": nonce, "m": member.pk}, salt=HANDOVER_SALT)
    return member_url(
        member, reverse("handover", args=[token], urlconf="union.urls_member"), request
    )


def _valid_handover_link(token: str, member: MemberCCAS, *, lock: bool = False):
    """The unused HandoverLink row `token` names for `member`, its account still active; None if
    the token is tampered with, expired, for another member or used."""
    try:
        data = signing.loads(token, salt=HANDOVER_SALT, max_age=settings.MEMBER_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("m") != member.pk:
        return None
    links = HandoverLink.objects.select_related("user").filter(
        nonce=data.get("n"), member=member, used_at__isnull=True
    )
    link = (links.select_for_update() if lock else links).first()
    if link is None or not link.user.is_active:
        return None
    return link


def handover_link_user(token: str, member: MemberCCAS):
    """The user a valid handover token names, without using it up: what the confirmation page
    (union.views.handover, GET) shows. A GET must not sign anyone in nor spend the link (login
    CSRF; link scanners and prefetchers)."""
    link = _valid_handover_link(token, member)
    return link.user if link is not None else None


@transaction.atomic
def consume_handover_link(token: str, member: MemberCCAS):
    """The user a valid handover token names, marking it used; None if invalid, expired or used."""
    link = _valid_handover_link(token, member, lock=True)
    if link is None:
        return None
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return link.user

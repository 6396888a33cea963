"""Writes in a member's workspace (tenant schema) and on its team (public memberships).

Convention 1: verb-named, typed, atomic; mail on commit; sensitive writes audited.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tenants.models import MemberCCAS, Membership, PublicMemberProfile
from tenants.services import (
    grant_membership,
    invited_to_set_password,
    is_union_staff_account,
    revoke_membership,
    send_set_password_email,
    tell_of_access,
)
from tenants.workspace.activity import (
    ImportRow,
    activity_year_error,
    canonical_labels,
    fold,
    is_usual_category,
    spell,
)
from tenants.workspace.compliance import in_sentence, seat_label
from tenants.workspace.meetings import Attendance, attendance_errors, members_in_office
from tenants.workspace.models import (
    ActivityFigure,
    BoardMandate,
    BoardMeeting,
    BoardMember,
    Document,
    MeetingAttendance,
    Profile,
    Service,
    TeamInvitation,
)
from union.audit import record_audit
from union.formats import french_list, long_date

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_FIELDS = ("title", "category", "description", "document_date")
AGENT_DELETE_WINDOW = timedelta(hours=24)
PROFILE_FIELDS = (
    "legal_name",
    "kind",
    "address",
    "postal_code",
    "city",
    "phone",
    "email",
    "website",
    "director_name",
    "opening_hours",
)
BOARD_MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "seat",
    "is_vice_president",
    "association",
    "category",
    "start",
    "end",
    "email",
    "postal_address",
    "postal_code",
    "city",
)

MEETING_FIELDS = (
    "date",
    "time",
    "end_time",
    "place",
    "convened_on",
    "reconvened",
    "agenda",
    "abs_report",
    "notes",
    "minutes",
)


class WorkspaceError(Exception):
    """A write was refused; the message is French and meant for the person who asked."""


class FieldErrors(WorkspaceError):
    """A write refused for reasons that belong next to form fields: `errors` by field name
    ("label", "start", "end"), in French."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class DuplicateFigure(WorkspaceError):
    """The figure is already there: `existing` is it, so that the page can link to it."""

    def __init__(self, message: str, existing: ActivityFigure):
        super().__init__(message)
        self.existing = existing


@transaction.atomic
def add_document(
    member,
    title: str,
    uploaded_file,
    *,
    actor,
    category: str = Document.Category.OTHER,
    description: str = "",
    document_date: date | None = None,
) -> Document:
    """Store a file in the member's own storage and note it in the audit trail. The file was
    checked by the form (uploads.document_file_error)."""
    document = Document.objects.create(
        title=title,
        file=uploaded_file,
        uploaded_by=actor,
        category=category,
        description=description,
        document_date=document_date,
    )
    record_audit("document.added", actor=actor, member=member, target=title, category=category)
    return document


@transaction.atomic
def update_document(member, document: Document, values: dict, *, actor) -> Document:
    """Change what is said of a document (DOCUMENT_FIELDS), not its file; audited with the
    names of the fields changed."""
    changed = [
        name
        for name in DOCUMENT_FIELDS
        if name in values and getattr(document, name) != values[name]
    ]
    for name in changed:
        setattr(document, name, values[name])
    if changed:
        document.full_clean(exclude=["file"])
        document.save(update_fields=changed)
        record_audit(
            "document.changed", actor=actor, member=member, target=document.title, fields=changed
        )
    return document


@transaction.atomic
def replace_document_file(member, document: Document, uploaded_file, *, actor) -> Document:
    """A new version of the file under the same document (title, category, link kept). The old
    file leaves the member's storage once the change is committed: a rolled-back replacement
    keeps it, and the stored document never points to a deleted file."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    storage, previous = document.file.storage, document.file.name
    document.file = uploaded_file
    document.replaced_at = timezone.now()
    document.replaced_by = actor if getattr(actor, "is_authenticated", False) else None
    document.save(update_fields=["file", "replaced_at", "replaced_by"])
    record_audit(
        "document.replaced",
        actor=actor,
        member=member,
        target=document.title,
        previous_file=previous.rsplit("/", 1)[-1],
        new_file=document.file_name,
    )
    if previous and previous != document.file.name:
        transaction.on_commit(lambda: storage.delete(previous))
    return document


def may_delete_document(document: Document, user, *, is_director: bool, now=None) -> bool:
    """Directors delete any document; an agent only one she uploaded herself less than
    AGENT_DELETE_WINDOW ago (a wrong file, noticed at once), not the space's records."""
    if is_director:
        return True
    now = now or timezone.now()
    user_pk = getattr(user, "pk", None)
    return (
        document.uploaded_by_id is not None
        and document.uploaded_by_id == user_pk
        and document.uploaded_at >= now - AGENT_DELETE_WINDOW
        # The file is no longer her own upload once a colleague replaced it (the signed PV
        # the director put in place of her draft).
        and document.replaced_by_id in (None, user_pk)
    )


@transaction.atomic
def delete_document(member, document: Document, *, actor) -> None:
    """Remove a document and, once the deletion is committed, its file from the member's storage."""
    record_audit("document.deleted", actor=actor, member=member, target=document.title)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Profile ---------------------------------------------------------------------------------


def get_profile(member: MemberCCAS) -> Profile:
    """The member's profile, created on first use from what the union knows about the member."""
    profile = Profile.objects.filter(singleton=True).first()
    if profile is None:
        commune = member.commune
        profile, _ = Profile.objects.get_or_create(
            singleton=True,
            defaults={
                "legal_name": member.name,
                "kind": member.kind,
                "city": commune.nom,
                "postal_code": (commune.codes_postaux or [""])[0],
            },
        )
    return profile


@transaction.atomic
def update_profile(
    member: MemberCCAS, values: dict, services: list[dict] | None = None, *, actor=None
) -> Profile:
    """Change the profile and, if given, replace its services ([{kind, label, description}]).

    What is already published in the directory follows the change.
    """
    profile = get_profile(member)
    changed = []
    for name in PROFILE_FIELDS:
        if name in values and getattr(profile, name) != values[name]:
            setattr(profile, name, values[name])
            changed.append(str(Profile._meta.get_field(name).verbose_name))
    new_services = None if services is None else _services_as_saved(services)
    if new_services is not None and new_services != _services_as_saved(
        profile.services.values("kind", "label", "description")
    ):
        changed.append("services")
    if not changed:
        # Saved again as it was (the form sent back unchanged, an API client's PUT of what it
        # read): nothing to write, and no « Profil modifié » line in the journal.
        return profile
    profile.full_clean()
    profile.save()
    if new_services is not None:
        profile.services.all().delete()
        Service.objects.bulk_create(
            Service(profile=profile, kind=kind, label=label, description=description)
            for kind, label, description in new_services
        )
    record_audit(
        "profile.updated",
        actor=actor,
        member=member,
        target=profile.legal_name,
        fields=changed,
    )
    _sync_public_profile(member, profile)
    return profile


def _services_as_saved(services) -> list[tuple[str, str, str]]:
    """Services ([{kind, label, description}]) as update_profile stores them (a label only for
    « Autre »), sorted: the profile lists them by kind and label, whatever order was sent."""
    return sorted(
        (
            s["kind"],
            s.get("label", "") if s["kind"] == Service.Kind.OTHER else "",
            s.get("description", ""),
        )
        for s in services
    )


@transaction.atomic
def set_profile_publication(
    member: MemberCCAS, *, name: bool, services: bool, contact: bool, actor=None
) -> PublicMemberProfile | None:
    """The director's choice of what the portal's directory shows; writes or removes the public
    copy in the same transaction."""
    profile = get_profile(member)
    profile.publish_name, profile.publish_services, profile.publish_contact = (
        name,
        services,
        contact,
    )
    profile.save(update_fields=["publish_name", "publish_services", "publish_contact"])
    record_audit(
        "profile.publication",
        actor=actor,
        member=member,
        shared=True,  # what the directory publishes
        target=profile.legal_name,
        name=name,
        services=services,
        contact=contact,
    )
    return _sync_public_profile(member, profile)


# The profile's fields that each publication choice copies to the directory (_sync_public_profile
# below): the edit form marks them, so that nobody changes the public page unawares.
PUBLISHED_WITH_NAME = ("legal_name",)
PUBLISHED_WITH_CONTACT = (
    "address",
    "postal_code",
    "city",
    "phone",
    "email",
    "website",
    "opening_hours",
)


def published_profile_fields(profile: Profile) -> set[str]:
    """The names of the profile's fields that the portal's directory shows now (services are
    published as a whole: `profile.publish_services`)."""
    fields = set()
    if profile.publish_name:
        fields.update(PUBLISHED_WITH_NAME)
    if profile.publish_contact:
        fields.update(PUBLISHED_WITH_CONTACT)
    return fields


def _sync_public_profile(member: MemberCCAS, profile: Profile) -> PublicMemberProfile | None:
    if not profile.publishes_anything:
        PublicMemberProfile.objects.filter(member=member).delete()
        return None
    contact = profile.publish_contact
    address = " ".join(
        part for part in (profile.address, profile.postal_code, profile.city) if part
    )
    public, _ = PublicMemberProfile.objects.update_or_create(
        member=member,
        defaults={
            "name": profile.legal_name if profile.publish_name else "",
            "services": [
                {"label": s.display_label, "description": s.description}
                for s in profile.services.all()
            ]
            if profile.publish_services
            else [],
            "address": address if contact else "",
            "phone": profile.phone if contact else "",
            "email": profile.email if contact else "",
            "website": profile.website if contact else "",
            "opening_hours": profile.opening_hours if contact else "",
            "published_at": timezone.now(),
        },
    )
    return public


# --- Board -----------------------------------------------------------------------------------


def _period(dated: BoardMandate | BoardMember) -> str:
    """A mandate's or a seat's dates, as the clash messages quote them."""
    start = long_date(dated.start, weekday=False)
    if dated.end is None:
        return f"depuis le {start}, sans date de fin"
    return f"du {start} au {long_date(dated.end, weekday=False)}"


def mandate_errors(
    label: str, start: date, end: date | None, mandates, exclude: BoardMandate | None = None
) -> dict[str, str]:
    """French errors, by field ("label", "start", "end"), for a mandate named `label` running
    from `start` to `end` (None: until further notice) beside the other `mandates` (`exclude`:
    the one being edited).

    Mandates follow one another: the board page, the dashboard and the API take the latest one
    started as the running board (compliance.current_mandate), so a second one opened over it
    would silently replace a full board with an empty one. At the real renewal, after the
    municipal elections, the previous mandate is still open (no end date): the message gives the
    exact end date to set on it, the day before the new one starts, so that they follow each
    other. A label names one mandate only: the history and the API's `mandate` field show it."""
    errors: dict[str, list[str]] = {"label": [], "start": [], "end": []}
    others = sorted(
        (m for m in mandates if exclude is None or m.pk != exclude.pk), key=lambda m: m.start
    )
    for other in others:
        if label and fold(other.label) == fold(label):
            errors["label"].append(
                f"La mandature {other.label} ({_period(other)}) porte déjà ce nom : "
                "donnez-en un autre à celle-ci, par exemple ses années de début et de fin."
            )
    day = long_date(start, weekday=False)
    for other in others:
        if other.start == start:
            errors["start"].append(
                f"La mandature {other.label} ({_period(other)}) commence déjà le {day} : "
                "deux mandatures ne se chevauchent pas."
            )
        elif other.start < start and (other.end is None or other.end >= start):
            # This one would start while the other runs: most often the renewal, the other not
            # closed yet. The day before this start closes it and makes them follow each other.
            eve = long_date(start - timedelta(days=1), weekday=False)
            if other.end is None:
                advice = (
                    f"Si le conseil a été renouvelé, indiquez d'abord la fin de la mandature "
                    f"{other.label} (« Modifier la mandature ») : le {eve}, veille du début de "
                    "celle-ci. La direction peut aussi « Renouveler le conseil » depuis la page "
                    "du conseil : la mandature en cours est close la veille et les membres "
                    "reconduits sont repris sans les saisir de nouveau."
                )
            else:
                advice = (
                    f"Commencez celle-ci le "
                    f"{long_date(other.end + timedelta(days=1), weekday=False)} au plus tôt, ou, "
                    f"si la mandature {other.label} a pris fin plus tôt, corrigez d'abord sa fin "
                    f"(« Modifier la mandature ») : le {eve}, veille du début de celle-ci."
                )
            errors["start"].append(
                f"La mandature {other.label} ({_period(other)}) est encore en cours le "
                f"{day} : deux mandatures ne se chevauchent pas. {advice}"
            )
    # Starting earlier, this one must end before the next one starts (the nearest is enough).
    following = next((m for m in others if m.start > start), None)
    if following is not None and (end is None or end >= following.start):
        eve = long_date(following.start - timedelta(days=1), weekday=False)
        if end is None:
            errors["end"].append(
                f"Sans date de fin, cette mandature chevaucherait la mandature {following.label} "
                f"({_period(following)}) : indiquez sa fin, le {eve} au plus tard."
            )
        else:
            errors["end"].append(
                f"Cette mandature chevaucherait la mandature {following.label} "
                f"({_period(following)}) : finissez-la le {eve} au plus tard."
            )
    return {name: " ".join(messages) for name, messages in errors.items() if messages}


def _locked_mandates() -> list[BoardMandate]:
    # Locked until the write commits: two directors opening a mandate at the same moment are
    # checked one after the other, the second one seeing the first one's mandate.
    return list(BoardMandate.objects.select_for_update())


@transaction.atomic
def create_mandate(
    member: MemberCCAS, label: str, start: date, end: date | None = None, *, actor=None
) -> BoardMandate:
    """Open a mandate (e.g. after the municipal elections); earlier mandates stay as history.
    Its label and dates must not clash with another's (mandate_errors: MandateClash)."""
    if end is not None and end < start:
        raise WorkspaceError("La fin de la mandature précède son début.")
    errors = mandate_errors(label, start, end, _locked_mandates())
    if errors:
        raise MandateClash(errors)
    mandate = BoardMandate.objects.create(label=label, start=start, end=end)
    record_audit("board.mandate_created", actor=actor, member=member, target=label)
    return mandate


class SeatsOutsideMandate(FieldErrors):
    """New mandate dates would leave seats outside: `errors` by field ("start", "end"), French."""


class MandateClash(FieldErrors):
    """A mandate's label is already used, or its dates overlap another's (mandate_errors)."""


@dataclass
class SeatsOutside:
    """The seats of a mandate that other mandate dates would leave outside (seat_date_errors)."""

    early: list[BoardMember] = field(default_factory=list)  # start before the new start
    late: list[BoardMember] = field(default_factory=list)  # end after the new end
    gone: list[BoardMember] = field(default_factory=list)  # left before the new start
    later: list[BoardMember] = field(default_factory=list)  # came after the new end


def seats_outside(seats, start: date, end: date | None) -> SeatsOutside:
    """Sort `seats` by how mandate dates `start`-`end` would leave them outside. A seat without
    an end sits until the end of its mandate, so it never outlasts it."""
    outside = SeatsOutside()
    for seat in seats:
        if seat.end is not None and seat.end < start:
            outside.gone.append(seat)
        elif end is not None and seat.start > end:
            outside.later.append(seat)
        else:
            if seat.start < start:
                outside.early.append(seat)
            if end is not None and seat.end is not None and seat.end > end:
                outside.late.append(seat)
    return outside


def _seat_list(seats: list[BoardMember], since: bool) -> str:
    def period(seat: BoardMember) -> str:
        if since:
            return f"depuis le {long_date(seat.start, weekday=False)}"
        return f"jusqu'au {long_date(seat.end, weekday=False)}"

    return ", ".join(f"{seat.full_name} ({period(seat)})" for seat in seats)


def _by_count(seats: list, one: str, several: str) -> str:
    return one if len(seats) == 1 else several


def mandate_seat_errors(seats, start: date, end: date | None, *, adjust: bool = False) -> dict:
    """French errors, by field ("start", "end"), naming the seats that a mandate moved to
    `start`-`end` would leave outside (a seat lies within its mandate: seat_date_errors).

    Why refuse rather than move the seats silently: a director who corrects the date the board
    was installed expects the seats entered with the old date to follow, but one who shortens a
    mandate by mistake would not want people's terms cut without being told. So the page names
    the seats and lets the director choose (`adjust`, « Ajuster les dates des membres du
    conseil »): those seats then start or end with the mandate. A seat that would not overlap
    the mandate at all cannot be adjusted (it would end before it starts): it is corrected or
    deleted first, whatever the choice."""
    outside = seats_outside(seats, start, end)
    errors: dict[str, list[str]] = {"start": [], "end": []}

    def adjustable(seats, verb: str, day: str) -> str:
        return (
            f"Cochez « Ajuster les dates des membres du conseil » pour "
            f"{_by_count(seats, 'le', 'les')} faire {verb} le {day}, ou modifiez d'abord "
            f"{_by_count(seats, 'ce membre', 'ces membres')}."
        )

    def stranded(seats) -> str:
        return (
            f"{_by_count(seats, 'Il', 'Ils')} ne "
            f"{_by_count(seats, 'tiendrait', 'tiendraient')} plus dans la mandature : "
            f"corrigez d'abord {_by_count(seats, 'ses', 'leurs')} dates, ou "
            f"supprimez-{_by_count(seats, 'le', 'les')} en cas d'erreur de saisie."
        )

    if outside.gone:
        day = long_date(start, weekday=False)
        errors["start"].append(
            f"{_by_count(outside.gone, 'Mandat terminé', 'Mandats terminés')} avant le {day}, "
            f"début de la mandature : {_seat_list(outside.gone, since=False)}. "
            + stranded(outside.gone)
        )
    if outside.early and not adjust:
        day = long_date(start, weekday=False)
        errors["start"].append(
            f"{_by_count(outside.early, 'Mandat qui commence', 'Mandats qui commencent')} "
            f"avant le {day}, début de la mandature : {_seat_list(outside.early, since=True)}. "
            + adjustable(outside.early, "commencer", day)
        )
    if outside.later:
        day = long_date(end, weekday=False)
        errors["end"].append(
            f"{_by_count(outside.later, 'Mandat qui commence', 'Mandats qui commencent')} "
            f"après le {day}, fin de la mandature : {_seat_list(outside.later, since=True)}. "
            + stranded(outside.later)
        )
    if outside.late and not adjust:
        day = long_date(end, weekday=False)
        errors["end"].append(
            f"{_by_count(outside.late, 'Mandat qui finit', 'Mandats qui finissent')} "
            f"après le {day}, fin de la mandature : {_seat_list(outside.late, since=False)}. "
            + adjustable(outside.late, "finir", day)
        )
    return {name: " ".join(messages) for name, messages in errors.items() if messages}


@transaction.atomic
def update_mandate(
    member: MemberCCAS,
    mandate: BoardMandate,
    label: str,
    start: date,
    end: date | None = None,
    *,
    adjust_seats: bool = False,
    actor=None,
) -> list[BoardMember]:
    """Correct a mandate or set its end (the board renewed after the municipal elections).

    Its seats must still lie within it: SeatsOutsideMandate names those that would not, unless
    `adjust_seats`, which makes them start or end with the mandate (see mandate_seat_errors).
    Returns the seats adjusted. Its label and dates must not clash with another mandate's
    (mandate_errors: MandateClash)."""
    if end is not None and end < start:
        raise WorkspaceError("La fin de la mandature précède son début.")
    clash = mandate_errors(label, start, end, _locked_mandates(), exclude=mandate)
    if clash:
        raise MandateClash(clash)
    seats = list(BoardMember.objects.select_for_update().filter(mandate=mandate))
    errors = mandate_seat_errors(seats, start, end, adjust=adjust_seats)
    if errors:
        raise SeatsOutsideMandate(errors)
    adjusted = _fit_seats(member, seats, start, end, actor=actor) if adjust_seats else []
    mandate.label, mandate.start, mandate.end = label, start, end
    mandate.save()
    record_audit(
        "board.mandate_changed",
        actor=actor,
        member=member,
        target=label,
        seats_adjusted=[seat.full_name for seat in adjusted],
    )
    return adjusted


def _fit_seats(member, seats, start: date, end: date | None, *, actor) -> list[BoardMember]:
    """Make the seats that start before `start` start then, and those that end after `end` end
    then; each change is audited like a seat edited by hand."""
    outside = seats_outside(seats, start, end)
    for seat in outside.early:
        seat.start = start
    for seat in outside.late:
        seat.end = end
    adjusted = list({seat.pk: seat for seat in outside.early + outside.late}.values())
    for seat in adjusted:
        seat.save(update_fields=["start", "end"])
        record_audit(
            "board.member_changed",
            actor=actor,
            member=member,
            target=seat.full_name,
            reason="dates de la mandature",
        )
    return adjusted


def _clean_board_values(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in BOARD_MEMBER_FIELDS}
    if values.get("seat") != BoardMember.Seat.APPOINTED:
        # Only nommés represent an association.
        values["association"], values["category"] = "", ""
    return values


def seat_date_errors(mandate: BoardMandate, start: date | None, end: date | None) -> dict:
    """French errors, by field ("start", "end"), for a seat whose dates fall outside its mandate:
    a seat belongs to one board, so it can neither start before that board nor outlast it.
    Shared by the form, the API and the writes below."""
    errors = {}
    if start is not None and start < mandate.start:
        errors["start"] = (
            f"Le mandat ne peut pas commencer avant la mandature {mandate.label}, "
            f"ouverte le {long_date(mandate.start, weekday=False)}."
        )
    elif start is not None and mandate.end is not None and start > mandate.end:
        errors["start"] = (
            f"Le mandat ne peut pas commencer après la fin de la mandature {mandate.label}, "
            f"close le {long_date(mandate.end, weekday=False)}."
        )
    if end is not None and mandate.end is not None and end > mandate.end:
        errors["end"] = (
            f"Le mandat ne peut pas finir après la mandature {mandate.label}, "
            f"close le {long_date(mandate.end, weekday=False)}."
        )
    return errors


def seat_clash_errors(
    mandate: BoardMandate,
    first_name: str,
    last_name: str,
    start: date | None,
    end: date | None,
    exclude: BoardMember | None = None,
    seats=None,
) -> dict:
    """French errors, by field ("start", "end"), for a seat of someone who already sits on
    `mandate`'s board on some of the same days (`exclude`: the seat being edited; `seats`: the
    mandate's seats, if already read). Names are compared folded (case, accents, spaces,
    hyphens), as people type them.

    One seat at a time whatever its kind: the maire presides by right, élus are members of the
    conseil municipal and nommés are appointed among people who are not (CASF L123-6, DOMAIN),
    so nobody holds two seats at once, and a person counted twice would skew the parity and the
    group sizes. A second seat after the first one ended is fine: someone who left and came
    back, or a municipal councillor who left the council and was then appointed by the maire.
    Two namesakes on one board are told apart by a middle name or an initial."""
    if start is None or not (first_name or last_name):
        return {}
    person = (fold(first_name), fold(last_name))
    seats = mandate.members.all() if seats is None else seats
    for seat in seats:
        if exclude is not None and seat.pk == exclude.pk:
            continue
        if (fold(seat.first_name), fold(seat.last_name)) != person:
            continue
        if (seat.end is not None and seat.end < start) or (end is not None and end < seat.start):
            continue
        existing = (
            f"{seat.full_name} siège déjà au conseil de la mandature {mandate.label} "
            f"({in_sentence(seat_label(seat.seat))}, {_period(seat)}) : une personne "
            "n'occupe qu'un siège à la fois."
        )
        if start < seat.start:
            eve = long_date(seat.start - timedelta(days=1), weekday=False)
            return {"end": f"{existing} Finissez ce mandat-ci le {eve} au plus tard."}
        if seat.end is None:
            eve = long_date(start - timedelta(days=1), weekday=False)
            advice = (
                f"Si {seat.full_name} a quitté le conseil et y revient, indiquez d'abord la fin "
                f"de son premier mandat (« Modifier ») : le {eve} au plus tard."
            )
        else:
            day_after = long_date(seat.end + timedelta(days=1), weekday=False)
            advice = f"Commencez ce mandat-ci le {day_after} au plus tôt."
        return {"start": f"{existing} {advice}"}
    return {}


def _check_board_member(member: BoardMember) -> None:
    if member.seat == BoardMember.Seat.APPOINTED and not member.category:
        raise WorkspaceError("Un membre nommé doit avoir une catégorie d'association.")
    if member.end is not None and member.end < member.start:
        raise WorkspaceError("La fin du mandat précède son début.")
    outside = seat_date_errors(member.mandate, member.start, member.end)
    if outside:
        raise WorkspaceError(" ".join(outside.values()))
    # The mandate's row locked until the write commits: the same person entered twice at the
    # same moment (a double click) is checked against the first entry, not missed by both.
    BoardMandate.objects.select_for_update().get(pk=member.mandate_id)
    clash = seat_clash_errors(
        member.mandate,
        member.first_name,
        member.last_name,
        member.start,
        member.end,
        exclude=member if member.pk else None,
    )
    if clash:
        raise WorkspaceError(" ".join(clash.values()))
    member.full_clean()


@transaction.atomic
def add_board_member(
    member: MemberCCAS, mandate: BoardMandate, values: dict, *, actor=None
) -> BoardMember:
    """Seat someone on the board of `mandate`."""
    board_member = BoardMember(mandate=mandate, **_clean_board_values(values))
    _check_board_member(board_member)
    board_member.save()
    record_audit(
        "board.member_added",
        actor=actor,
        member=member,
        target=board_member.full_name,
        seat=board_member.seat,
        mandate=mandate.label,
    )
    return board_member


@transaction.atomic
def update_board_member(
    member: MemberCCAS, board_member: BoardMember, values: dict, *, actor=None
) -> BoardMember:
    """Change a seat (e.g. set the end of a mandate when someone leaves)."""
    for name, value in _clean_board_values(values).items():
        setattr(board_member, name, value)
    _check_board_member(board_member)
    board_member.save()
    record_audit("board.member_changed", actor=actor, member=member, target=board_member.full_name)
    return board_member


@transaction.atomic
def check_mandate_deletable(mandate: BoardMandate) -> None:
    """Raise WorkspaceError, in French, when someone sits in the term."""
    if mandate.members.exists():
        raise WorkspaceError(
            f"La mandature {mandate.label} a des membres : retirez-les d'abord de la liste "
            "(ou, si elle est terminée, indiquez sa date de fin)."
        )


@transaction.atomic
def delete_mandate(member: MemberCCAS, mandate: BoardMandate, *, actor=None) -> None:
    """Remove a term entered by mistake, only while nobody sits in it: a real term's seats are
    the board's history (a term that ended gets an end date instead)."""
    mandate = BoardMandate.objects.select_for_update().get(pk=mandate.pk)
    check_mandate_deletable(mandate)
    record_audit("board.mandate_deleted", actor=actor, member=member, target=mandate.label)
    mandate.delete()


def check_board_member_deletable(board_member: BoardMember) -> None:
    """Raise WorkspaceError, in French, when the seat is in a séance's record (a presence
    entered, or a proxy held): deleting it would change the quorum and the proxies of séances
    already held, the minutes' record."""
    meetings = list(
        BoardMeeting.objects.filter(
            Q(attendance__board_member=board_member) | Q(attendance__proxy_holder=board_member)
        )
        .distinct()
        .order_by("date")
    )
    if not meetings:
        return
    days = [long_date(meeting.date, weekday=False) for meeting in meetings]
    days = (
        french_list(days) if len(days) <= 5 else f"{', '.join(days[:5])} et {len(days) - 5} autres"
    )
    one = len(meetings) == 1
    raise WorkspaceError(
        f"{board_member.full_name} figure dans les présences "
        f"{'de la séance du' if one else 'des séances du'} {days} : la supprimer changerait "
        f"{'son' if one else 'leur'} quorum et les pouvoirs enregistrés. Si cette personne a "
        "quitté le conseil, indiquez plutôt la fin de son mandat ; si elle a été saisie par "
        "erreur, mettez d'abord ses présences à « Non renseigné » dans "
        f"{'cette séance' if one else 'ces séances'} (« Modifier » la séance)."
    )


@transaction.atomic
def delete_board_member(member: MemberCCAS, board_member: BoardMember, *, actor=None) -> None:
    """Remove a seat entered by mistake (someone who leaves gets an end date instead), once no
    séance records it (check_board_member_deletable)."""
    board_member = BoardMember.objects.select_for_update().get(pk=board_member.pk)
    check_board_member_deletable(board_member)
    record_audit("board.member_deleted", actor=actor, member=member, target=board_member.full_name)
    board_member.delete()


# --- Board meetings (séances) ----------------------------------------------------------------


def _save_attendance(meeting: BoardMeeting, attendance: dict[int, Attendance]) -> None:
    """The presences of `meeting` become `attendance` (members not in it: not entered). Only
    members in office on the séance's day are kept: a date moved to another board drops the
    former board's presences."""
    in_office = {m.pk: m.full_name for m in members_in_office(meeting.date)}
    attendance = {pk: entry for pk, entry in attendance.items() if pk in in_office}
    errors = attendance_errors(attendance, in_office)
    if errors:
        raise FieldErrors({f"proxy_{pk}": message for pk, message in errors.items()})
    meeting.attendance.all().delete()
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(
            meeting=meeting,
            board_member_id=pk,
            presence=entry.presence,
            proxy_holder_id=entry.proxy_holder,
        )
        for pk, entry in attendance.items()
    )


def _check_meeting_date(meeting: BoardMeeting) -> None:
    if not members_in_office(meeting.date):
        raise FieldErrors(
            {
                "date": f"Aucun membre du conseil ne siège le {meeting.date:%d/%m/%Y} : "
                "saisissez d'abord la mandature et ses membres (« Conseil d'administration »)."
            }
        )


@transaction.atomic
def record_meeting(
    member: MemberCCAS, values: dict, attendance: dict[int, Attendance], *, actor=None
) -> BoardMeeting:
    """Enter a séance of the board, with the presences known."""
    meeting = _write_meeting(BoardMeeting(), values, attendance)
    record_audit("board.meeting_recorded", actor=actor, member=member, target=str(meeting))
    return meeting


@transaction.atomic
def update_meeting(
    member: MemberCCAS,
    meeting: BoardMeeting,
    values: dict,
    attendance: dict[int, Attendance],
    *,
    actor=None,
) -> BoardMeeting:
    _write_meeting(meeting, values, attendance)
    record_audit("board.meeting_changed", actor=actor, member=member, target=str(meeting))
    return meeting


def _write_meeting(
    meeting: BoardMeeting, values: dict, attendance: dict[int, Attendance]
) -> BoardMeeting:
    """The séance's fields and presences saved (the callers audit it: their actions are
    literals, tests/tenants/test_member_journal_labels.py)."""
    for name in MEETING_FIELDS:
        setattr(meeting, name, values[name])
    _check_meeting_date(meeting)
    meeting.save()
    _save_attendance(meeting, attendance)
    return meeting


@transaction.atomic
def delete_meeting(member: MemberCCAS, meeting: BoardMeeting, *, actor=None) -> None:
    """Remove a séance entered by mistake, with its presences."""
    record_audit("board.meeting_deleted", actor=actor, member=member, target=str(meeting))
    meeting.delete()


# Copied from a re-appointed member's seat into the new board; dates are the new board's. The
# same person: her addresses go with her, or the next convocation would find none.
REAPPOINTED_FIELDS = (
    "first_name",
    "last_name",
    "seat",
    "is_vice_president",
    "association",
    "category",
    "email",
    "postal_address",
    "postal_code",
    "city",
)


@dataclass
class BoardRenewal:
    """What renew_board did: the new mandate, the previous one and the day it was closed (None
    when it had already ended before), and the seats copied into the new board."""

    mandate: BoardMandate
    previous: BoardMandate
    closed_on: date | None
    reappointed: list[BoardMember]


def uncategorised_error(previous: BoardMandate, reappointed) -> str | None:
    """Why nommés ticked for the new board cannot be copied into it: they have no category of
    association (entered before a nommé had to have one). Each is named, and what to do said,
    next to the ticked boxes, which stay ticked."""
    names = [
        seat.full_name
        for seat in reappointed
        if seat.seat == BoardMember.Seat.APPOINTED and not seat.category
    ]
    if not names:
        return None
    if len(names) == 1:
        return (
            f"{names[0]} est nommé(e) sans catégorie d'association : indiquez celle qu'il "
            f"ou elle représente sur sa ligne de la mandature {previous.label} (« Modifier"
            " »), puis renouvelez le conseil ; ou décochez cette personne, et ajoutez-la "
            "au nouveau conseil une fois ouvert."
        )
    return (
        f"{french_list(names)} sont nommés sans catégorie d'association : indiquez celle que chacun "
        f"représente sur sa ligne de la mandature {previous.label} (« Modifier »), "
        "puis renouvelez le conseil ; ou décochez ces personnes, et ajoutez-les au nouveau "
        "conseil une fois ouvert."
    )


@transaction.atomic
def renew_board(
    member: MemberCCAS,
    previous: BoardMandate,
    label: str,
    start: date,
    end: date | None = None,
    reappointed: list[BoardMember] = (),
    *,
    actor=None,
) -> BoardRenewal:
    """Install a new board after `previous` (the latest mandate), all or nothing: `previous`
    ends the day before `start` (update_mandate, its seats made to end then at the latest),
    the new mandate opens (create_mandate), and the `reappointed` seats of `previous` are
    copied into it from `start` (add_board_member); the others end with `previous`.

    Why one write: after the municipal elections a director otherwise closed the old mandate,
    opened the new one and typed every member again, and a refusal half-way left the board
    page showing an empty board. Each step keeps its own rules and audit entry; errors are
    FieldErrors by the renewal form's fields ("label", "start", "end")."""
    previous = BoardMandate.objects.select_for_update().get(pk=previous.pk)
    if start <= previous.start:
        raise FieldErrors(
            {
                "start": f"La nouvelle mandature commence après le début de la mandature "
                f"{previous.label} ({_period(previous)}) : le "
                f"{long_date(previous.start + timedelta(days=1), weekday=False)} au plus tôt."
            }
        )
    if BoardMandate.objects.filter(start__gt=previous.start).exists():
        raise WorkspaceError(
            f"Une mandature a été saisie après la mandature {previous.label} : le conseil a "
            "déjà été renouvelé. Rechargez la page du conseil."
        )
    strangers = [seat for seat in reappointed if seat.mandate_id != previous.pk]
    if strangers:
        raise WorkspaceError(
            f"Seuls les membres de la mandature {previous.label} peuvent être reconduits."
        )
    if error := uncategorised_error(previous, reappointed):
        raise FieldErrors({"reappointed": error})
    copies = [{name: getattr(seat, name) for name in REAPPOINTED_FIELDS} for seat in reappointed]
    eve = start - timedelta(days=1)
    closed_on = None
    if previous.end is None or previous.end > eve:
        try:
            update_mandate(
                member,
                previous,
                previous.label,
                previous.start,
                eve,
                adjust_seats=True,
                actor=actor,
            )
        except FieldErrors as error:
            # Said on the new start: that is the date that closes the previous mandate.
            raise FieldErrors(
                {
                    "start": f"La mandature {previous.label} serait close le "
                    f"{long_date(eve, weekday=False)}, veille de ce début : "
                    + " ".join(error.errors.values())
                }
            ) from error
        closed_on = eve
    mandate = create_mandate(member, label, start, end, actor=actor)
    seated = [
        add_board_member(member, mandate, {**values, "start": start, "end": None}, actor=actor)
        for values in copies
    ]
    record_audit(
        "board.renewed",
        actor=actor,
        member=member,
        target=mandate.label,
        previous=previous.label,
        closed_on=closed_on.isoformat() if closed_on else None,
        reappointed=[seat.full_name for seat in seated],
    )
    return BoardRenewal(mandate, previous, closed_on, seated)


# --- Activity --------------------------------------------------------------------------------


@transaction.atomic
def save_activity_figure(
    member: MemberCCAS,
    year: int,
    pole: str,
    category: str,
    count: int | None,
    amount: Decimal | None,
    *,
    figure: ActivityFigure | None = None,
    actor=None,
) -> ActivityFigure:
    """Enter or correct one figure; pole and category take the spelling already in use (the
    catalogue's, else the member's other figures'), so that the years compare.

    Except for a correction of the member's own category that only respells it (capitals,
    accents: « Jardins partages » to « Jardins partagés »): the new spelling is kept, and is the
    category's in every year. `figure.respelled_years` lists the other years whose figures took
    it (empty otherwise), for the page to say so."""
    if count is None and amount is None:
        raise WorkspaceError("Indiquez un nombre, un montant ou les deux.")
    if error := activity_year_error(year):
        raise WorkspaceError(error)
    typed_category = category.strip()
    pole, category = spell(pole, category)
    # As stored: the entry form has already written the typed values on `figure`.
    stored = (
        ActivityFigure.objects.filter(pk=figure.pk).values_list("pole", "category").first()
        if figure is not None and figure.pk
        else None
    )
    respell = (
        stored is not None
        and typed_category != category
        and (fold(stored[0]), fold(stored[1])) == (fold(pole), fold(typed_category))
        and not is_usual_category(pole, typed_category)
    )
    if respell:
        category = typed_category
    clash = ActivityFigure.objects.filter(year=year, pole=pole, category=category)
    if figure is not None:
        clash = clash.exclude(pk=figure.pk)
    existing = clash.first()
    if existing is not None:
        raise DuplicateFigure(
            f"Un chiffre existe déjà pour {year}, « {pole} », « {category} » : modifiez-le.",
            existing,
        )
    figure = figure or ActivityFigure()
    figure.year, figure.pole, figure.category = year, pole, category
    figure.count, figure.amount = count, amount
    figure.save()
    figure.respelled_years = _respell_category(figure) if respell else []
    record_audit("activity.figure_saved", actor=actor, member=member, target=str(figure), year=year)
    if respell:
        # Its own line: the journal says the other years' figures changed name too.
        record_audit(
            "activity.category_respelled",
            actor=actor,
            member=member,
            target=f"{pole} · {category}",
            before=stored[1],
            after=category,
            years=sorted({year, *figure.respelled_years}),
        )
    return figure


def _respell_category(figure: ActivityFigure) -> list[int]:
    """The figures of other years of `figure`'s pole and category spelled otherwise take its
    spelling (a year that somehow holds both spellings keeps its own); their years."""
    key = (fold(figure.pole), fold(figure.category))
    others = [
        other
        for other in ActivityFigure.objects.exclude(pk=figure.pk).exclude(category=figure.category)
        if (fold(other.pole), fold(other.category)) == key
    ]
    taken = set(ActivityFigure.objects.filter(category=figure.category).values_list("year", "pole"))
    others = [other for other in others if (other.year, other.pole) not in taken]
    for other in others:
        other.category = figure.category
    ActivityFigure.objects.bulk_update(others, ["category"])
    return sorted({other.year for other in others})


@transaction.atomic
def delete_activity_figure(member: MemberCCAS, figure: ActivityFigure, *, actor=None) -> None:
    record_audit("activity.figure_deleted", actor=actor, member=member, target=str(figure))
    figure.delete()


@transaction.atomic
@dataclass(frozen=True)
class ActivityImported:
    """What an import did: the figures written, of which how many replaced a figure already
    entered with other numbers (figures typed again as they were are counted apart)."""

    count: int
    replaced: int
    unchanged: int

    @property
    def created(self) -> int:
        return self.count - self.replaced - self.unchanged


def import_activity(member: MemberCCAS, rows: list[ImportRow], *, actor=None) -> ActivityImported:
    """Write checked rows (activity.parse_activity_rows): a figure already there for the same
    year, pole and category is replaced. All or nothing."""
    known = canonical_labels()
    poles, categories = known
    figures = {}
    for row in rows:
        pole, category = spell(row.pole, row.category, known)
        # A pole or category new to the space takes, on the file's later lines too, the
        # spelling of its first line (« Mon Pôle », then « mon pole »): one pole, not two.
        poles.setdefault(fold(pole), pole)
        categories.setdefault((fold(pole), fold(category)), category)
        figures[(row.year, pole, category)] = ActivityFigure(
            year=row.year, pole=pole, category=category, count=row.count, amount=row.amount
        )
    before = {
        (figure.year, figure.pole, figure.category): (figure.count, figure.amount)
        for figure in ActivityFigure.objects.filter(year__in={row.year for row in rows})
    }
    kept = [key for key, figure in figures.items() if key in before]
    unchanged = sum(1 for key in kept if before[key] == (figures[key].count, figures[key].amount))
    ActivityFigure.objects.bulk_create(
        figures.values(),
        update_conflicts=True,
        unique_fields=["year", "pole", "category"],
        update_fields=["count", "amount"],
    )
    record_audit(
        "activity.imported",
        actor=actor,
        member=member,
        target=f"{len(figures)} chiffres",
        years=sorted({row.year for row in rows}),
    )
    return ActivityImported(len(figures), len(kept) - unchanged, unchanged)


# --- Team ------------------------------------------------------------------------------------


def _lock_team(member: MemberCCAS) -> None:
    """Until the end of the transaction, make any other change to `member`'s team wait: two
    directors demoting or removing each other at the same moment would each count the other
    as the director left, and leave the space with none (_directors_left)."""
    MemberCCAS.objects.select_for_update().get(pk=member.pk)


def _directors_left(member: MemberCCAS, without: Membership) -> int:
    # Only those who can still enter count: a deactivated director (union.account_retention)
    # or an account of the union's team could not manage the team, so the last one who can
    # neither steps down nor is removed.
    return (
        Membership.objects.filter(member=member, role=Membership.Role.DIRECTOR)
        .opening_the_space()
        .exclude(pk=without.pk)
        .count()
    )


# An account opened by an invitation to this space is a few milliseconds older than its access
# (grant_membership creates both in one transaction).
ACCOUNT_OPENED_WITH_ACCESS = timedelta(seconds=10)


def signed_in_since_access(membership: Membership) -> bool:
    """Whether the person signed in to this space since she was given access to it: a login in
    another space or on the portal does not count (Membership.last_signed_in_at)."""
    return membership.last_signed_in_at is not None


# team_name's `invitation` when the caller did not look it up (None is « no invitation row »).
LOOK_UP = object()


def team_names(membership: Membership, invitation=LOOK_UP) -> tuple[str, str]:
    """(first name, last name) the space's team sees of a person, ("", "") for none: her
    account's (« Mon compte ») once she has signed in since her access here; before, the name the
    direction typed in her latest invitation from this space (`invitation`, looked up if not
    given), whether the address had an account of the platform or not. The account's name of
    someone invited from elsewhere must not show, nor its absence tell that it exists."""
    user = membership.user
    if signed_in_since_access(membership):
        return user.first_name, user.last_name
    if invitation is LOOK_UP:
        invitation = last_invitations([user.pk]).get(user.pk)
    if invitation is not None and invitation.typed_name is not None:
        return invitation.first_name or "", invitation.last_name or ""
    # Invited by the union (no row), or before typed names were kept: the account's name only
    # if this access opened it (so the name is the one typed here).
    opened_here = user.date_joined >= membership.created_at - ACCOUNT_OPENED_WITH_ACCESS
    return (user.first_name, user.last_name) if opened_here else ("", "")


def team_name(membership: Membership, invitation=LOOK_UP) -> str:
    """« Prénom Nom » as the space's team sees the person (team_names), else her address."""
    first_name, last_name = team_names(membership, invitation)
    return f"{first_name} {last_name}".strip() or membership.user.email


def team_sort_key(membership: Membership, invitation=LOOK_UP) -> tuple[str, str, str]:
    """The team page's order: by role, then by the last name the team sees (team_names), then
    address. Not the account's last name: a pending account of the platform would fall out of
    the typed names' order, and tell that it exists."""
    _first_name, last_name = team_names(membership, invitation)
    return membership.role, fold(last_name), membership.user.email


# Said for a deactivated account (and whatever else stops an address from being invited here):
# the direction learns nothing about an account of the platform, the union (which reactivates
# accounts) does the rest.
CANNOT_INVITE = (
    "{email} ne peut pas être invité(e) depuis l'espace : écrivez à l'union, qui vous aidera."
)


@transaction.atomic
def invite_team_member(
    member: MemberCCAS,
    email: str,
    role: str,
    *,
    first_name: str = "",
    last_name: str = "",
    actor=None,
) -> Membership:
    """Give someone access to the member space. A person without a password yet (new, or
    invited before and never come) receives a single-use link to choose one
    (tenants.services.grant_membership); someone who already signs in is told by email where to
    find the space. Each invitation is noted (TeamInvitation) for the team page."""
    User = get_user_model()
    email = email.strip().lower()
    if Membership.objects.filter(member=member, user__email__iexact=email).exists():
        raise WorkspaceError(f"{email} a déjà accès à cet espace : changez plutôt son rôle.")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_active:
        raise WorkspaceError(CANNOT_INVITE.format(email=email))
    if existing is not None and is_union_staff_account(existing):
        # As the union's admin refuses it (refuse_union_staff_as_direction): the union's team
        # does not enter its members' spaces, not even when their direction invites it.
        raise WorkspaceError(
            f"{email} est un compte de l'équipe de l'union : l'union n'entre pas dans les "
            f"espaces de ses membres. Invitez une personne de votre {member.kind} avec sa propre "
            "adresse."
        )
    membership = grant_membership(
        member,
        email,
        role,
        first_name=first_name,
        last_name=last_name,
        actor=actor,
    )
    with_link = invited_to_set_password(membership.user)
    if not with_link:
        tell_of_access(member, membership, granted_by="La direction")
    TeamInvitation.objects.create(
        user=membership.user,
        sent_by=_person(actor),
        with_password_link=with_link,
        # Kept here, not only as a new account's name: an account of the platform keeps its own
        # (the direction does not rename it), and the team sees this one alike (team_name).
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    return membership


def _person(actor):
    """`actor` if it is a signed-in person (a TeamInvitation's sender), else None."""
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def resend_invitation(member: MemberCCAS, membership: Membership, *, actor=None) -> TeamInvitation:
    """« Renvoyer l'invitation », for someone who has never signed in: a fresh single-use link
    to choose her password (or, if she chose one, the notice of her access), noted and audited.

    Why: the first link lasts PASSWORD_RESET_TIMEOUT (three days); an invitation found after a
    holiday used to leave the person with no way in but the union."""
    if membership.member_id != member.pk:
        raise WorkspaceError("Cette personne ne fait pas partie de l'équipe.")
    user = membership.user
    latest = last_invitations([user.pk]).get(user.pk)
    name = team_name(membership, latest)
    if not user.is_active:
        raise WorkspaceError(f"Le compte de {name} est désactivé : contactez l'union.")
    if signed_in_since_access(membership):
        raise WorkspaceError(
            f"{name} s'est déjà connecté(e) : en cas d'oubli, le mot de passe se change avec "
            "« Mot de passe oublié ? » sur la page de connexion."
        )
    with_link = invited_to_set_password(user)
    if with_link:
        transaction.on_commit(lambda: send_set_password_email(user, member, reason="reminder"))
    else:
        tell_of_access(member, membership, granted_by="La direction")
    # Not whether the e-mail held a link to choose a password: the space's journal shows the
    # details, and the direction must not learn that the address had an account elsewhere.
    record_audit(
        "membership.invitation_resent",
        actor=actor,
        member=member,
        shared=True,
        target=user.email,
    )
    return TeamInvitation.objects.create(
        user=user,
        sent_by=_person(actor),
        with_password_link=with_link,
        # The team keeps seeing the name typed last (None if none was kept: team_name).
        first_name=latest.first_name if latest else None,
        last_name=latest.last_name if latest else None,
    )


def last_invitations(user_ids) -> dict[int, TeamInvitation]:
    """The latest invitation sent to each of `user_ids` from this space, by user id."""
    latest: dict[int, TeamInvitation] = {}
    for invitation in TeamInvitation.objects.filter(user_id__in=list(user_ids)).order_by(
        "user_id", "-sent_at"
    ):
        latest.setdefault(invitation.user_id, invitation)
    return latest


@transaction.atomic
def change_team_role(
    member: MemberCCAS, membership: Membership, role: str, *, actor=None
) -> Membership:
    """Change someone's role; the space always keeps at least one director."""
    if membership.member_id != member.pk:
        raise WorkspaceError("Cette personne ne fait pas partie de l'équipe.")
    if role not in Membership.Role.values:
        raise WorkspaceError("Rôle inconnu.")
    _lock_team(member)
    membership.refresh_from_db(fields=["role"])
    previous = membership.role
    if previous == role:
        return membership
    if previous == Membership.Role.DIRECTOR and not _directors_left(member, membership):
        raise WorkspaceError("L'espace doit garder au moins une direction : nommez-en une autre.")
    membership.role = role
    membership.save(update_fields=["role"])
    record_audit(
        "membership.role_changed",
        actor=actor,
        member=member,
        shared=True,
        target=membership.user.email,
        before=previous,
        after=role,
    )
    return membership


@transaction.atomic
def remove_team_member(member: MemberCCAS, membership: Membership, *, actor=None) -> None:
    """Remove someone's access (their account stays); never the last director, never one's own.

    One's own access: a single click would lock a director out of the space with no way back
    but the union; leaving is handed over by another director, who stays to run the team."""
    _lock_team(member)
    membership.refresh_from_db(fields=["role"])
    check_team_member_removable(member, membership, actor=actor)
    revoke_membership(membership, actor=actor)


def check_team_member_removable(member: MemberCCAS, membership: Membership, *, actor=None) -> None:
    """Raise WorkspaceError, in French, when remove_team_member would refuse: the confirmation
    page says it before asking."""
    if membership.member_id != member.pk:
        raise WorkspaceError("Cette personne ne fait pas partie de l'équipe.")
    if actor is not None and membership.user_id == actor.pk:
        raise WorkspaceError(
            "Vous ne pouvez pas retirer votre propre accès : demandez-le à une autre personne "
            "de la direction."
        )
    if membership.role == Membership.Role.DIRECTOR and not _directors_left(member, membership):
        raise WorkspaceError("L'espace doit garder au moins une direction.")

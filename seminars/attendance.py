"""Presence per atelier (« Présent(e) à l'atelier »): marking it, and reading it back for the door
lists, the attendance sheets, the attestations, the year report and the API.

An event's presences per atelier count only once any was recorded for it (`records_ateliers`):
before, the attestations and reports keep naming the ateliers people chose, as the union cannot
tell who went where.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from seminars.models import (
    Atelier,
    AtelierPresence,
    Registration,
    SeminarPage,
    atelier_names,
    atelier_waiting_list_ranks,
    position_label,
)
from seminars.services import RegistrationError, set_check_in
from union.audit import record_audit

Status = Registration.Status
# An atelier is « running » at the door from a little before its start (people come early to
# find the room) to its end: its presence buttons are then on every confirmed person's row.
RUNNING_EARLY = timedelta(minutes=30)
ATELIER_UNKNOWN = "Cet atelier n'existe pas ou plus dans cet événement."


def records_ateliers(seminar: SeminarPage) -> bool:
    """Whether any presence per atelier was recorded for the event."""
    return AtelierPresence.objects.filter(atelier__page=seminar).exists()


def set_atelier_presence(
    registration: Registration, atelier: Atelier, present: bool, *, actor
) -> bool:
    """Mark (or undo) the person's presence at the atelier; returns whether anything changed.

    Marking someone present at an atelier also checks them in at the event when not done yet
    (set_check_in, audited as any check-in): they are there. Only a confirmed person: someone
    waiting is confirmed first (« Confirmer et émarger »). Undoing it leaves the event's check-in
    as it is. Audited `seminar.registration.atelier_check_in` / `…_undone`, the atelier's id in
    the details. Raises RegistrationError."""
    if atelier.page_id != registration.seminar_id:
        raise RegistrationError({"atelier": [ATELIER_UNKNOWN]})
    name = f"{registration.prenom} {registration.nom}"
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if present and registration.status != Status.CONFIRMED:
            raise RegistrationError(
                {
                    "__all__": [
                        f"{name} n'a pas de place confirmée "
                        f"({registration.get_status_display().lower()}) : confirmez d'abord son "
                        "inscription pour l'émarger."
                    ]
                }
            )
        if present:
            _presence, changed = AtelierPresence.objects.get_or_create(
                registration=registration, atelier=atelier
            )
            if registration.checked_in_at is None:
                set_check_in(registration, True, actor=actor)
        else:
            changed = bool(
                AtelierPresence.objects.filter(registration=registration, atelier=atelier).delete()[
                    0
                ]
            )
        if changed:
            record_audit(
                "seminar.registration.atelier_check_in"
                if present
                else "seminar.registration.atelier_check_in_undone",
                actor=actor,
                target=f"{name} – {atelier.title}",
                seminar=registration.seminar_id,
                registration=registration.pk,
                atelier=atelier.pk,
            )
    return changed


def running_ateliers(seminar: SeminarPage, now=None) -> list[Atelier]:
    now = now or timezone.now()
    return list(
        seminar.ateliers.filter(starts_at__lte=now + RUNNING_EARLY, ends_at__gt=now).order_by(
            "starts_at", "sort_order"
        )
    )


@dataclass
class AtelierMark:
    """One atelier's presence button on a person's row."""

    atelier: Atelier
    chosen: bool
    present_at: object  # the local time of the presence, or None


def mark_rows(seminar: SeminarPage, registrations, *, shown_atelier: Atelier | None = None):
    """Give each registration of `registrations` (a list) `atelier_marks`: the ateliers whose
    « Présent(e) à l'atelier » button its row shows (those chosen, those running now, the one the
    list is filtered by, and those where the person was marked present), confirmed people only;
    two queries whatever the rows."""
    ids = [r.pk for r in registrations]
    presences = {
        (p.registration_id, p.atelier_id): p.checked_in_at
        for p in AtelierPresence.objects.filter(registration_id__in=ids)
    }
    chosen = set(
        Registration.ateliers.through.objects.filter(registration_id__in=ids).values_list(
            "registration_id", "atelier_id"
        )
    )
    label_rows(seminar, registrations)
    # Read through the event: each one's `label` (Atelier.label) without a query.
    ateliers = list(seminar.ateliers.order_by("starts_at", "sort_order"))
    always = {a.pk for a in running_ateliers(seminar)}
    if shown_atelier is not None:
        always.add(shown_atelier.pk)
    for registration in registrations:
        registration.atelier_marks = [
            AtelierMark(
                atelier,
                (registration.pk, atelier.pk) in chosen,
                presences.get((registration.pk, atelier.pk)),
            )
            for atelier in ateliers
            if registration.status == Status.CONFIRMED
            and (
                atelier.pk in always
                or (registration.pk, atelier.pk) in chosen
                or (registration.pk, atelier.pk) in presences
            )
        ]
    return registrations


def label_rows(seminar: SeminarPage, registrations):
    """Give each registration of `registrations` `atelier_labels`: the names of the ateliers it
    chose (SeminarPage.atelier_labels, two of the same title told apart by their slot), for the
    rows without « Présent(e) à l'atelier » buttons. Their ateliers prefetched: one query.
    Also `waiting_labels`: the full ateliers whose waiting list it is on, with its rank there
    (atelier_waiting_labels)."""
    waiting = atelier_waiting_labels(seminar)
    for registration in registrations:
        registration.atelier_labels = [
            seminar.atelier_label(atelier) for atelier in registration.ateliers.all()
        ]
        registration.waiting_labels = waiting.get(registration.pk, [])
    return registrations


def atelier_waiting_labels(seminar: SeminarPage) -> dict[int, list[str]]:
    """Registration id -> the atelier waiting lists it is on, each with its rank there
    (« Budget (1re) »), in the order it joined them: one query for the whole event."""
    names = seminar.atelier_labels
    return {
        registration_id: [
            f"{names.get(atelier_id, '')} ({position_label(rank)})" for atelier_id, rank in waits
        ]
        for registration_id, waits in atelier_waiting_list_ranks(seminar.pk).items()
    }


def counted_presences(through: str = "") -> Q:
    """The presences at an atelier that count: their registration is still confirmed. Someone
    marked at an atelier whose registration was then cancelled is counted nowhere (the row stays,
    the journal too); the door view, the year report and « Chiffres » agree. `through`: the path
    from the model queried, "presences__" from Atelier. A presence implies a check-in:
    set_atelier_presence checks in, undoing a check-in deletes the presences."""
    return Q(**{f"{through}registration__status": Status.CONFIRMED})


def atelier_counts(atelier: Atelier) -> dict:
    """The per-atelier door view's counters: people expected (confirmed and chose it), present
    (marked present there, chosen or not, still confirmed), the atelier's seats and the people
    on its waiting list, and whether a freed seat no longer goes to them (`after_cut_off`, as
    services.give_freed_atelier_seats; of an event still to take place)."""
    expected = atelier.registrations.filter(status=Status.CONFIRMED).count()
    present = atelier.presences.filter(counted_presences()).count()
    # On its own waiting list (AtelierWaiting): those give_freed_atelier_seats would serve.
    waiting = atelier.waiting.filter(registration__status=Status.CONFIRMED).count()
    return {
        "expected": expected,
        "present": present,
        "seats": atelier.seats,
        "waiting": waiting,
        "after_cut_off": not (atelier.page.is_cancelled or atelier.page.changes_open()),
    }


def attended_ateliers(registration: Registration) -> list[Atelier]:
    """The ateliers the person was marked present at, in starting order (prefetch
    `atelier_presences__atelier` where many people are read)."""
    return sorted(
        (presence.atelier for presence in registration.atelier_presences.all()),
        key=lambda atelier: (atelier.starts_at, atelier.sort_order or 0),
    )


def presences_by_atelier(seminar_ids) -> dict[int, list[tuple[str, int]]]:
    """Event id -> [(atelier name, people present)] in starting order, for the events among
    `seminar_ids` where presences per atelier were recorded; one query. An atelier's name as
    organisers read it (atelier_names): two of the same title told apart by their slot, read
    from all the event's ateliers."""
    rows = (
        Atelier.objects.filter(page_id__in=list(seminar_ids))
        .select_related("page")  # its start and end: whether the slots carry their date
        .annotate(present=Count("presences", filter=counted_presences("presences__")))
        .order_by("page_id", "starts_at", "sort_order")
    )
    by_event: dict[int, list[Atelier]] = {}
    for atelier in rows:
        by_event.setdefault(atelier.page_id, []).append(atelier)
    found: dict[int, list[tuple[str, int]]] = {}
    for page_id, ateliers in by_event.items():
        names = atelier_names(ateliers, ateliers[0].page)
        attended = [(names[a.pk], a.present) for a in ateliers if a.present]
        if attended:
            found[page_id] = attended
    return found


def atelier_people(atelier_id: int) -> Q:
    """The per-atelier door view's people: those who chose the atelier, and those marked present
    at it without having chosen it (they changed rooms on the day)."""
    return Q(ateliers=atelier_id) | Q(pk__in=_present_ids(atelier_id))


def presence_filter(atelier_id: int, present: bool) -> Q:
    """Registrations marked present (or not) at the atelier: the per-atelier door view's
    presence filter."""
    marked = Q(pk__in=_present_ids(atelier_id))
    return marked if present else ~marked


def _present_ids(atelier_id: int):
    return AtelierPresence.objects.filter(atelier=atelier_id).values("registration")

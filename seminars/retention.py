"""How long the personal data of registrations is kept (RGPD, art. 5-1-e: storage limitation).

Two deadlines, counted from the end of the event (settings, stated on /donnees-personnelles/):
- SEMINAR_NEEDS_KEPT_DAYS: the accessibility or dietary needs, which may reveal someone's health
  or beliefs, only serve the day itself; they are erased first, and so is the phone number,
  asked to reach the person on the day.
- SEMINAR_PERSONAL_DATA_KEPT_DAYS: then each registration is anonymised: e-mail (and any phone
  number left) erased and, unless the person appears in the list published with the proceedings
  (she agreed, held a seat, and the event's live proceedings show the list), name, first name
  and consent too; the questionnaire's free texts are erased (its ratings stay); the audit
  trail's lines that name them are rewritten. What the union counts (commune, fonction, status,
  presence, ateliers) stays, so its yearly reports keep their figures.

Run daily by `manage.py apply_seminar_retention`; each run only touches what has become due.
It also forgets the « Retrouver mes inscriptions » digests older than ten minutes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from seminars import tasks
from seminars.models import (
    PRESENT,
    AtelierWaiting,
    Evaluation,
    EvaluationAnswer,
    ProceedingsPage,
    Registration,
    SeminarPage,
)
from seminars.services import forget_list_notices, lookup_digest
from union.audit import record_audit
from union.formats import describe_days
from union.mail import deliver_email
from union.models import AuditEntry

ANONYMISED_NAME = "(anonymisé)"


@dataclass(frozen=True)
class RetentionResult:
    needs_erased: int
    anonymised: int
    # The phone numbers go with the needs: the form asks for one to reach the person on the day.
    phones_erased: int = 0


def needs_kept() -> timedelta:
    return timedelta(days=settings.SEMINAR_NEEDS_KEPT_DAYS)


def personal_data_kept() -> timedelta:
    return timedelta(days=settings.SEMINAR_PERSONAL_DATA_KEPT_DAYS)


def retention_periods() -> dict[str, str]:
    """The two periods in words, for the registration form and /donnees-personnelles/."""
    return {
        "needs": describe_days(settings.SEMINAR_NEEDS_KEPT_DAYS),
        "personal_data": describe_days(settings.SEMINAR_PERSONAL_DATA_KEPT_DAYS),
    }


def retention_dates(seminar) -> dict[str, datetime]:
    """When the event's registrations lose their needs, then their names and e-mails."""
    return {
        "needs": seminar.end + needs_kept(),
        "personal_data": seminar.end + personal_data_kept(),
    }


def apply_retention(now: datetime | None = None) -> RetentionResult:
    """Erase the needs and phone numbers, and anonymise the registrations whose time is up, in
    one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        over = Registration.objects.filter(seminar__end__lt=now - needs_kept())
        needs_erased = over.exclude(needs="").update(needs="")
        # Asked « pour vous joindre le jour de l'événement » (forms.RegistrationForm): the
        # number's purpose ends with the event, as the needs' does.
        phones_erased = over.exclude(phone="").update(phone="")
        anonymised = _anonymise_registrations(ended_before=now - personal_data_kept(), now=now)
        forget_list_notices(now)  # an address's digest, kept ten minutes (services)
        if needs_erased or phones_erased or anonymised:
            record_audit(
                "seminar.retention",
                needs_erased=needs_erased,
                phones_erased=phones_erased,
                anonymised=anonymised,
            )
    return RetentionResult(
        needs_erased=needs_erased, anonymised=anonymised, phones_erased=phones_erased
    )


def _anonymise_registrations(*, ended_before: datetime, now: datetime) -> int:
    due = Registration.objects.filter(seminar__end__lt=ended_before, anonymised_at__isnull=True)
    return _anonymise(due, now)


def _anonymise(due, now: datetime, *, keep_published: bool = True) -> int:
    """Anonymise the registrations of `due` (a queryset, not yet anonymised). `keep_published`:
    the published list's names stay (the retention); an erasure request takes them too."""
    # The questionnaire's free texts may name or describe someone, and a published name stays
    # with its registration: they go; the ratings stay for the reports.
    Evaluation.objects.filter(registration__in=due).update(best="", improve="", wishes="")
    # So do the free answers to the organisers' added questions (a text answer without its text
    # is no answer); the added ratings stay.
    added = EvaluationAnswer.objects.filter(evaluation__registration__in=due)
    added.exclude(text="").update(text="")
    added.filter(rating__isnull=True).delete()
    # A place on an atelier's waiting list says what she wished for, and serves nothing now.
    AtelierWaiting.objects.filter(registration__in=due).delete()
    # Who the proceedings list (models.published_participants): confirmed and consenting, and
    # checked in once check-in was used for the event; only where live proceedings show the
    # list (a consent to a list that no page publishes keeps no name).
    anyone_present = Registration.objects.filter(PRESENT, seminar=OuterRef("seminar"))
    published = (
        Q(consent=True, status=Registration.Status.CONFIRMED)
        & (Q(checked_in_at__isnull=False) | ~Exists(anyone_present))
        & Q(seminar__in=_events_publishing_their_list())
    )
    if not keep_published:
        published = Q(pk__in=[])  # she asks for everything to go: no name stays
    unnamed = list(due.exclude(published).values_list("pk", flat=True))
    # The published list's names stay: the person agreed to appear with the proceedings.
    named = due.filter(published).update(email="", phone="", needs="", anonymised_at=now)
    # Without its consent, a row left unnamed never shows as « (anonymisé) » in a list published
    # later.
    Registration.objects.filter(pk__in=unnamed).update(
        nom=ANONYMISED_NAME,
        prenom="",
        email="",
        phone="",
        needs="",
        consent=False,
        anonymised_at=now,
    )
    _rewrite_audit_targets(unnamed)
    return named + len(unnamed)


def _events_publishing_their_list() -> list[int]:
    """The live events whose live proceedings show the list of participants (the proceedings
    of an unpublished event answer 404: ProceedingsPage.serve)."""
    paths = {
        page.path[: -ProceedingsPage.steplen]
        for page in ProceedingsPage.objects.live().filter(show_participants=True).only("path")
    }
    return list(SeminarPage.objects.live().filter(path__in=paths).values_list("pk", flat=True))


def erase_published_name(registration: Registration, *, actor=None) -> None:
    """An anonymised registration kept its name for the published list only: the person
    withdraws her consent (through the union: her e-mail, and so her personal link, are gone).
    Her name goes as anonymisation would have taken it, and the list no longer shows her."""
    if registration.anonymised_at is None or not registration.consent:
        raise ValueError("not a name kept for the published list")
    with transaction.atomic():
        registration.nom, registration.prenom, registration.consent = ANONYMISED_NAME, "", False
        registration.save(update_fields=["nom", "prenom", "consent", "updated_at"])
        _rewrite_audit_targets([registration.pk])
        record_audit(
            "seminar.registration.published_name_erased",
            actor=actor,
            target=f"inscription {ANONYMISED_NAME}",
            registration=registration.pk,
        )


def _rewrite_audit_targets(registration_ids: list[int]) -> None:
    """The audit trail keeps what was done and when, no longer to whom."""
    if not registration_ids:
        return
    AuditEntry.objects.filter(details__registration__in=registration_ids).update(
        target=f"inscription {ANONYMISED_NAME}"
    )


# --- requests from a person (RGPD art. 15 and 17) ----------------------------------------------
# Someone registered to the union's events asks what it holds about her, or for it to be erased
# (/donnees-personnelles/ invites her to): the organisers' « Demandes des personnes (RGPD) »
# (admin_views.person_requests) answers from her address, without opening every event.


def registrations_of_address(email: str) -> QuerySet:
    """Every registration held under `email` (the exact address, case and spaces ignored), to
    every event past and future, cancelled and waiting ones included, the latest event first.
    An anonymised registration has no address left: it is no longer hers to find."""
    address = (email or "").strip()
    if not address:
        return Registration.objects.none()
    return (
        Registration.objects.filter(email__iexact=address)
        .select_related("seminar", "commune", "registered_by")
        .prefetch_related("ateliers", "atelier_waits")
        .order_by("-seminar__start", "pk")
    )


def needs_erased_on(registration: Registration) -> datetime | None:
    """When the retention erased (or will erase) the registration's needs, once it is past."""
    erased = registration.seminar.end + needs_kept()
    return erased if erased <= timezone.now() else None


@dataclass(frozen=True)
class SentEmail:
    at: datetime
    subject: str
    state: str


# The queue's states in words (django.tasks.TaskResultStatus).
SENT_STATES = {
    "READY": "en attente d'envoi",
    "RUNNING": "en cours d'envoi",
    "SUCCESSFUL": "envoyé",
    "FAILED": "échec de l'envoi",
}
# The queue stores each task by its dotted path: read from the tasks themselves, so that renaming
# one cannot drop its e-mails from an access answer unnoticed.
REGISTRATION_TASKS = (
    tasks.send_registration_email.module_path,
    tasks.send_event_changed_email.module_path,
)
MESSAGE_TASK = tasks.send_message_task.module_path
LIST_TASK = tasks.send_registrations_list_email.module_path
DELIVERY_TASK = deliver_email.module_path


def naming(address: str) -> Q:
    """The queue's rows that hold `address` (lower-cased) in their arguments: her « Retrouver
    mes inscriptions » lists and the deliveries that recorded her as a recipient (union.mail)."""
    return (
        Q(task_path=LIST_TASK, args_kwargs__args__0=address)
        | Q(task_path=DELIVERY_TASK, args_kwargs__args__0__recipients__contains=[address])
        | Q(task_path=DELIVERY_TASK, args_kwargs__args__0__to__contains=[address])
    )


def forget_emails_to(email: str) -> int:
    """Delete the finished rows of the task queue that hold the address (`naming`), sent or
    failed: they are kept 30 days to check deliveries, and name her. Rows not yet sent stay (an
    e-mail still to go). How many were deleted."""
    from django_tasks_db.models import DBTaskResult

    address = (email or "").strip().lower()
    if not address:
        return 0
    deleted, _by_model = DBTaskResult.objects.filter(
        naming(address), status__in=["SUCCESSFUL", "FAILED"]
    ).delete()
    return deleted


def emails_sent_to(email: str, registrations) -> list[SentEmail]:
    """The e-mails to the address that the task queue still keeps (its finished tasks stay 30
    days, prune_db_task_results; the development queue keeps none), the latest first: those of
    her registrations, her « Retrouver mes inscriptions » lists, and any other message whose
    delivery the queue recorded with her as a recipient (union.mail)."""
    from django_tasks_db.models import DBTaskResult

    from seminars.emails import REGISTRATIONS_LIST_SUBJECT, SUBJECTS

    address = (email or "").strip().lower()
    titles = {r.pk: r.seminar.title for r in registrations}
    if not address:
        return []
    mine = Q(task_path__in=REGISTRATION_TASKS, args_kwargs__args__0__in=list(titles)) | naming(
        address
    )
    for pk in titles:
        mine |= Q(task_path=MESSAGE_TASK, args_kwargs__args__0__contains=[pk])
    sent = []
    for row in DBTaskResult.objects.filter(mine).order_by("-enqueued_at"):
        args = row.args_kwargs.get("args") or [None]
        if row.task_path in REGISTRATION_TASKS:
            changed = row.task_path == tasks.send_event_changed_email.module_path
            kind = "event_changed" if changed else args[1]
            template = SUBJECTS.get(kind.partition(":")[0], "{title}")
            subject = template.format(title=titles.get(args[0], ""))
        elif row.task_path == MESSAGE_TASK:
            subject = args[1]
        elif row.task_path == LIST_TASK:
            subject = REGISTRATIONS_LIST_SUBJECT
        else:
            subject = args[0].get("subject", "")
        state = SENT_STATES.get(row.status, row.status)
        if row.status == "SUCCESSFUL" and row.return_value is False:
            state = "non envoyé (plus d'actualité)"  # the task found nothing left to say
        sent.append(SentEmail(at=row.enqueued_at, subject=subject, state=state))
    return sent


PERSON_COLUMNS = [
    "Événement",
    "Début",
    "Fin",
    "Nom",
    "Prénom",
    "E-mail",
    "Téléphone",
    "Commune",
    "Fonction",
    "Statut",
    "Ateliers",
    "Liste publiée avec les actes",
    "Besoins (accessibilité, alimentation)",
    "Présence émargée le",
    "Inscription faite par",
    "Inscrite le",
    "Annulée le",
    # Last, not beside « Ateliers »: the admin's page reads the row by position.
    "En liste d'attente des ateliers",
]


def person_data_rows(registrations) -> list[list]:
    """What each registration holds, as the page and its export show it to the person."""

    def local(moment):
        # openpyxl refuses time zones: the person reads local time.
        return timezone.localtime(moment).replace(tzinfo=None) if moment else ""

    rows = []
    for r in registrations:
        labels = r.seminar.atelier_labels
        erased = needs_erased_on(r)
        needs = r.needs or (f"effacés le {erased:%d/%m/%Y}" if erased else "")
        rows.append(
            [
                r.seminar.title,
                local(r.seminar.start),
                local(r.seminar.end),
                r.nom,
                r.prenom,
                r.email,
                r.phone,
                r.commune_label,
                r.fonction_label,
                r.get_status_display(),
                "\u00a0; ".join(labels.get(a.pk, a.title) for a in r.ateliers.all()),
                "oui" if r.consent else "non",
                needs,
                local(r.checked_in_at),
                r.source_label,
                local(r.created_at),
                local(r.cancelled_at),
                "\u00a0; ".join(labels.get(w.atelier_id, "") for w in r.atelier_waits.all()),
            ]
        )
    return rows


def person_data_workbook(registrations, emails: list[SentEmail]) -> bytes:
    """The answer to an access request (art. 15), to send to the person: her registrations,
    then the e-mails sent to her that the queue keeps."""
    from union.spreadsheets import add_sheet, append_row, new_sheet, workbook_bytes

    workbook, sheet = new_sheet("Inscriptions", PERSON_COLUMNS, title="Vos inscriptions")
    for row in person_data_rows(registrations):
        append_row(sheet, row)
    mails = add_sheet(workbook, "E-mails", ["Date", "Objet", "État"], title="E-mails envoyés")
    for mail in emails:
        append_row(
            mails, [timezone.localtime(mail.at).replace(tzinfo=None), mail.subject, mail.state]
        )
    return workbook_bytes(workbook)


def record_person_lookup(email: str, found: int, *, actor) -> None:
    """Who looked up which address, and when: the audit trail keeps the address's keyed digest
    (services.lookup_digest, as the « Retrouver mes inscriptions » notices), not the address."""
    record_audit(
        "seminar.person_request.viewed", actor=actor, address=lookup_digest(email), found=found
    )


@dataclass(frozen=True)
class Erasure:
    anonymised: int
    cancelled: int  # registrations to an event not over, cancelled first
    emails_forgotten: int = 0  # the queue's finished rows holding the address (forget_emails_to)


def anonymise_on_request(email: str, registration_ids: list[int], *, actor=None) -> Erasure:
    """Erase now, at the person's request (art. 17), the registrations `registration_ids` of
    `email` (those of another address are left alone): one to an event not over is cancelled
    first through cancel_registration (its seat goes to the waiting list; the cancellation
    e-mail finds no address left when it goes, after the commit); then each is anonymised as
    the retention does, her name too even where the published list kept it. What the union
    counts stays (commune, fonction, status, presence, ateliers)."""
    from seminars.services import cancel_registration

    now = timezone.now()
    with transaction.atomic():
        hers = registrations_of_address(email).filter(
            pk__in=registration_ids, anonymised_at__isnull=True
        )
        to_cancel = hers.exclude(status=Registration.Status.CANCELLED).filter(seminar__end__gt=now)
        cancelled = 0
        for registration in to_cancel:
            cancel_registration(registration, actor=actor)
            cancelled += 1
        ids = list(hers.values_list("pk", flat=True))
        anonymised = _anonymise(Registration.objects.filter(pk__in=ids), now, keep_published=False)
        # Her last registration gone, nothing of hers should keep the address: the queue's logs.
        forgotten = 0 if registrations_of_address(email).exists() else forget_emails_to(email)
        record_audit(
            "seminar.person_request.erased",
            actor=actor,
            address=lookup_digest(email),
            anonymised=anonymised,
            cancelled=cancelled,
            emails_forgotten=forgotten,
        )
    return Erasure(anonymised=anonymised, cancelled=cancelled, emails_forgotten=forgotten)

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
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from seminars.models import (
    PRESENT,
    Evaluation,
    EvaluationAnswer,
    ProceedingsPage,
    Registration,
    SeminarPage,
)
from seminars.services import forget_list_notices
from union.audit import record_audit
from union.formats import describe_days
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
    # The questionnaire's free texts may name or describe someone, and a published name stays
    # with its registration: they go; the ratings stay for the reports.
    Evaluation.objects.filter(registration__in=due).update(best="", improve="", wishes="")
    # So do the free answers to the organisers' added questions (a text answer without its text
    # is no answer); the added ratings stay.
    added = EvaluationAnswer.objects.filter(evaluation__registration__in=due)
    added.exclude(text="").update(text="")
    added.filter(rating__isnull=True).delete()
    # Who the proceedings list (models.published_participants): confirmed and consenting, and
    # checked in once check-in was used for the event; only where live proceedings show the
    # list (a consent to a list that no page publishes keeps no name).
    anyone_present = Registration.objects.filter(PRESENT, seminar=OuterRef("seminar"))
    published = (
        Q(consent=True, status=Registration.Status.CONFIRMED)
        & (Q(checked_in_at__isnull=False) | ~Exists(anyone_present))
        & Q(seminar__in=_events_publishing_their_list())
    )
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

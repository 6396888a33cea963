"""How long the personal data of registrations is kept (RGPD, art. 5-1-e: storage limitation).

Two deadlines, counted from the end of the event (settings, stated on /donnees-personnelles/):
- SEMINAR_NEEDS_KEPT_DAYS: the accessibility or dietary needs, which may reveal someone's health
  or beliefs, only serve the day itself; they are erased first.
- SEMINAR_PERSONAL_DATA_KEPT_DAYS: then each registration is anonymised: e-mail and phone number
  erased and, unless the person agreed to appear in the list published with the proceedings (and
  held a seat), name and first name too; the questionnaire's free texts are erased (its ratings stay); the audit
  trail's lines that name them are rewritten. What the union counts
  (commune, fonction, status, presence, ateliers) stays, so its yearly reports keep their figures.

Run daily by `manage.py apply_seminar_retention`; each run only touches what has become due.
It also forgets the « Retrouver mes inscriptions » digests older than ten minutes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from seminars.models import PRESENT, Evaluation, EvaluationAnswer, Registration
from seminars.services import forget_list_notices
from union.audit import record_audit
from union.formats import describe_days
from union.models import AuditEntry

ANONYMISED_NAME = "(anonymisé)"


@dataclass(frozen=True)
class RetentionResult:
    needs_erased: int
    anonymised: int


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
    """Erase the needs and anonymise the registrations whose time is up, in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        needs_erased = (
            Registration.objects.filter(seminar__end__lt=now - needs_kept())
            .exclude(needs="")
            .update(needs="")
        )
        anonymised = _anonymise_registrations(ended_before=now - personal_data_kept(), now=now)
        forget_list_notices(now)  # an address's digest, kept ten minutes (services)
        if needs_erased or anonymised:
            record_audit("seminar.retention", needs_erased=needs_erased, anonymised=anonymised)
    return RetentionResult(needs_erased=needs_erased, anonymised=anonymised)


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
    # checked in once check-in was used for the event.
    anyone_present = Registration.objects.filter(PRESENT, seminar=OuterRef("seminar"))
    published = Q(consent=True, status=Registration.Status.CONFIRMED) & (
        Q(checked_in_at__isnull=False) | ~Exists(anyone_present)
    )
    unnamed = list(due.exclude(published).values_list("pk", flat=True))
    # The published list's names stay: the person agreed to appear with the proceedings.
    named = due.filter(published).update(email="", phone="", needs="", anonymised_at=now)
    Registration.objects.filter(pk__in=unnamed).update(
        nom=ANONYMISED_NAME, prenom="", email="", phone="", needs="", anonymised_at=now
    )
    _rewrite_audit_targets(unnamed)
    return named + len(unnamed)


def _rewrite_audit_targets(registration_ids: list[int]) -> None:
    """The audit trail keeps what was done and when, no longer to whom."""
    if not registration_ids:
        return
    AuditEntry.objects.filter(details__registration__in=registration_ids).update(
        target=f"inscription {ANONYMISED_NAME}"
    )

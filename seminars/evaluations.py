"""Participants' opinions of an event (« questionnaire de satisfaction »).

Who was there (checked in with a seat) answers through their signed link once the event has
ended, for three months; they may correct their answer in that time. Organisers read the result
without names: counts per level, the share of satisfied people (the two upper levels, the figure
unions report), each atelier, and the comments.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from seminars.models import (
    PRESENT,
    Atelier,
    AtelierRating,
    Evaluation,
    Rating,
    Registration,
    SeminarPage,
)
from seminars.tasks import send_registration_email
from union.audit import record_audit
from union.spreadsheets import append_row, new_sheet, set_widths, workbook_bytes
from union.task_queue import enqueue_with_transaction

OPEN_FOR = timedelta(days=90)
QUESTIONS = ("overall", "usefulness", "organisation")
COMMENTS = ("best", "improve", "wishes")
SATISFIED = (Rating.VERY_GOOD, Rating.GOOD)


def evaluations_open_state(seminar: SeminarPage, now=None) -> str:
    """ "open", "not_ended" or "closed": the event's questionnaire, whoever asks."""
    now = now or timezone.now()
    if not seminar.has_ended(now):
        return "not_ended"
    if now >= evaluation_closes(seminar):
        return "closed"
    return "open"


def evaluation_state(registration: Registration, now=None) -> str:
    """ "open" for this person, or why not: "absent", "not_ended" or "closed"."""
    if not registration.was_present:
        return "absent"
    return evaluations_open_state(registration.seminar, now)


def evaluation_closes(seminar: SeminarPage):
    return seminar.end + OPEN_FOR


def still_to_answer(seminar: SeminarPage) -> QuerySet[Registration]:
    """Present people with an address who have neither answered nor been reminded."""
    return seminar.registrations.filter(
        PRESENT, evaluation__isnull=True, evaluation_reminded_at__isnull=True
    ).exclude(email="")


def remind_to_answer(seminar: SeminarPage, *, actor=None) -> int:
    """Queue one reminder to answer the questionnaire to each present person who has not, once
    each, as send_certificates does: rows marked in the same transaction, a concurrent click
    skips the locked ones. Nothing while the questionnaire is not open."""
    if evaluations_open_state(seminar) != "open":
        return 0
    with transaction.atomic():
        due = list(
            still_to_answer(seminar)
            .select_for_update(skip_locked=True, of=("self",))  # not the outer-joined answers
            .values_list("pk", flat=True)
        )
        Registration.objects.filter(pk__in=due).update(evaluation_reminded_at=timezone.now())
        for registration_id in due:
            enqueue_with_transaction(send_registration_email, registration_id, "evaluation")
        record_audit(
            "seminar.evaluations.reminded",
            actor=actor,
            target=seminar.title,
            seminar=seminar.pk,
            count=len(due),
        )
    return len(due)


def rated_ateliers(registration: Registration) -> list[Atelier]:
    return list(registration.ateliers.order_by("starts_at", "pk"))


@transaction.atomic
def save_evaluation(
    registration: Registration, answers: dict, atelier_ratings: dict[int, int]
) -> Evaluation:
    """Record (or correct) a participant's opinion; ratings of ateliers they did not choose are
    ignored, an atelier left unrated has no rating."""
    evaluation, _created = Evaluation.objects.update_or_create(
        registration=registration,
        defaults={name: answers.get(name, "") for name in QUESTIONS + COMMENTS},
    )
    chosen = {atelier.pk for atelier in registration.ateliers.all()}
    evaluation.atelier_ratings.all().delete()
    AtelierRating.objects.bulk_create(
        AtelierRating(evaluation=evaluation, atelier_id=atelier_id, rating=rating)
        for atelier_id, rating in atelier_ratings.items()
        if atelier_id in chosen and rating
    )
    return evaluation


@dataclass
class RatingSummary:
    """The answers to one question (key: its field name) or about one atelier (key: its id)."""

    key: str | int
    label: str
    counts: dict[int, int]  # rating -> number of answers, every level present

    @property
    def answers(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied_percent(self) -> int | None:
        if not self.answers:
            return None
        satisfied = sum(self.counts[level] for level in SATISFIED)
        return round(100 * satisfied / self.answers)

    @property
    def average(self) -> float | None:
        if not self.answers:
            return None
        return sum(level * count for level, count in self.counts.items()) / self.answers

    def rows(self) -> list[tuple[str, int, int]]:
        """(level label, answers, percent), best level first, for a table."""
        return [
            (label, self.counts[level], round(100 * self.counts[level] / self.answers))
            for level, label in Rating.choices
            if self.answers
        ]


@dataclass
class Comments:
    key: str
    label: str
    texts: list[str]


@dataclass
class EvaluationSummary:
    present: int
    answers: int
    questions: list[RatingSummary]
    ateliers: list[RatingSummary]
    comments: list[Comments] = field(default_factory=list)

    @property
    def response_percent(self) -> int | None:
        return round(100 * self.answers / self.present) if self.present else None


def _counts(ratings) -> dict[int, int]:
    counts = {level: 0 for level in Rating.values}
    for rating in ratings:
        counts[rating] += 1
    return counts


def summarise_evaluations(seminar: SeminarPage) -> EvaluationSummary:
    """Every answer of the event, without names, in three queries."""
    evaluations = list(Evaluation.objects.filter(registration__seminar=seminar).order_by("pk"))
    labels = {name: Evaluation._meta.get_field(name).verbose_name for name in QUESTIONS + COMMENTS}
    questions = [
        RatingSummary(
            name, labels[name].capitalize(), _counts(getattr(e, name) for e in evaluations)
        )
        for name in QUESTIONS
    ]
    by_atelier: dict[int, list[int]] = {}
    for atelier_id, rating in AtelierRating.objects.filter(
        evaluation__registration__seminar=seminar
    ).values_list("atelier_id", "rating"):
        by_atelier.setdefault(atelier_id, []).append(rating)
    ateliers = [
        RatingSummary(atelier.pk, atelier.title, _counts(by_atelier.get(atelier.pk, [])))
        for atelier in seminar.ateliers.order_by("starts_at", "pk")
    ]
    comments = [
        Comments(
            name,
            labels[name].capitalize(),
            [text for e in evaluations if (text := getattr(e, name).strip())],
        )
        for name in COMMENTS
    ]
    return EvaluationSummary(
        present=seminar.registrations.filter(PRESENT).count(),
        answers=len(evaluations),
        questions=questions,
        ateliers=ateliers,
        comments=comments,
    )


def evaluations_workbook(seminar: SeminarPage) -> bytes:
    """One line per answer, without names or communes (a commune and a fonction would often be
    enough to tell who wrote a comment)."""
    ateliers = list(seminar.ateliers.order_by("starts_at", "pk"))
    headers = [
        "Appréciation générale",
        "Utilité pour le mandat ou la fonction",
        "Organisation et accueil",
        *(f"Atelier « {atelier.title} »" for atelier in ateliers),
        "Le plus utile",
        "À améliorer",
        "Thèmes souhaités",
        "Répondu le",
    ]
    workbook, sheet = new_sheet("Avis", headers, title=f"Avis des participants – {seminar.title}")
    evaluations = (
        Evaluation.objects.filter(registration__seminar=seminar)
        .prefetch_related("atelier_ratings")
        .order_by("submitted_at", "pk")
    )
    labels = dict(Rating.choices)
    for evaluation in evaluations:
        rated = {r.atelier_id: labels[r.rating] for r in evaluation.atelier_ratings.all()}
        append_row(
            sheet,
            [
                *(labels[getattr(evaluation, name)] for name in QUESTIONS),
                *(rated.get(atelier.pk, "") for atelier in ateliers),
                *(getattr(evaluation, name) for name in COMMENTS),
                timezone.localtime(evaluation.submitted_at).replace(tzinfo=None),
            ],
        )
    set_widths(sheet, (20, 20, 20, *(20 for _ in ateliers), 40, 40, 40, 18))
    return workbook_bytes(workbook)

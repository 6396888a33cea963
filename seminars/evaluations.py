"""Participants' opinions of an event (« questionnaire de satisfaction »).

Who was there (checked in with a seat) answers through their signed link once the event has
ended, for three months; they may correct their answer in that time. Organisers read the result
without names: counts per level, the share of satisfied people (the two upper levels, the figure
unions report), each atelier, and the comments.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
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
from union.spreadsheets import append_row, new_sheet, set_widths, workbook_bytes

OPEN_FOR = timedelta(days=90)
QUESTIONS = ("overall", "usefulness", "organisation")
COMMENTS = ("best", "improve", "wishes")
SATISFIED = (Rating.VERY_GOOD, Rating.GOOD)


def evaluation_state(registration: Registration, now=None) -> str:
    """ "open", or why the questionnaire is not: "absent", "not_ended" or "closed"."""
    if not registration.was_present:
        return "absent"
    now = now or timezone.now()
    seminar = registration.seminar
    if not seminar.has_ended(now):
        return "not_ended"
    if now >= seminar.end + OPEN_FOR:
        return "closed"
    return "open"


def evaluation_closes(seminar: SeminarPage):
    return seminar.end + OPEN_FOR


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

"""Participants' opinions of an event (« questionnaire de satisfaction »).

Who was there (checked in with a seat) answers through their signed link once the event has
ended, for three months; they may correct their answer in that time. Organisers read the result
without names: counts per level, the share of satisfied people (the two upper levels, the figure
unions report), each atelier, and the comments.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from seminars.models import (
    PRESENT,
    Atelier,
    AtelierRating,
    Evaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    Rating,
    Registration,
    SeminarPage,
)
from seminars.services import queue_emails_once
from tenants.matching import fold
from union.formats import round_half_up
from union.spreadsheets import append_row, new_sheet, set_widths, workbook_bytes

OPEN_FOR = timedelta(days=90)
QUESTIONS = ("overall", "usefulness", "organisation")
COMMENTS = ("best", "improve", "wishes")
SATISFIED = (Rating.VERY_GOOD, Rating.GOOD)


def whole_percent(part: int, whole: int) -> int | None:
    """`part` of `whole` in whole %, halves rounded up as everywhere else (union.formats,
    the attendance rate): 5 of 8 is 63 %, where round() gave 62 (half to even). None for 0."""
    if not whole:
        return None
    return int(round_half_up(Decimal(100 * part) / whole, 0))


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
    each (as the attestations). Nothing while the questionnaire is not open."""
    if evaluations_open_state(seminar) != "open":
        return 0
    return queue_emails_once(
        seminar,
        still_to_answer(seminar),
        kind="evaluation",
        sent_field="evaluation_reminded_at",
        action="seminar.evaluations.reminded",
        actor=actor,
    )


def rated_ateliers(registration: Registration) -> list[Atelier]:
    """The ateliers the person chose, read through their event: each names itself
    (Atelier.label, two of the same title told apart by their slot) from the event's
    atelier_labels, one query for them all."""
    seminar = registration.seminar
    return list(seminar.ateliers.filter(registrations=registration).order_by("starts_at", "pk"))


def added_questions(seminar: SeminarPage) -> list[EvaluationQuestion]:
    """The questions the organisers added to the event's questionnaire, in their order."""
    return list(EvaluationQuestion.objects.filter(page_id=seminar.pk).order_by("sort_order", "pk"))


@transaction.atomic
def save_evaluation(
    registration: Registration,
    answers: dict,
    atelier_ratings: dict[int, int],
    added_answers: dict[int, int | str | None] | None = None,
) -> Evaluation:
    """Record (or correct) a participant's opinion; ratings of ateliers they did not choose are
    ignored, an atelier left unrated has no rating. `added_answers` (question id -> rating or
    text) answer the event's added questions: another event's are ignored, and an answer left
    empty on correction removes the previous one."""
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
    _save_added_answers(evaluation, registration.seminar_id, added_answers or {})
    return evaluation


def _save_added_answers(evaluation: Evaluation, seminar_id: int, given: dict) -> None:
    questions = EvaluationQuestion.objects.filter(page_id=seminar_id, pk__in=list(given))
    for question in questions:
        value = given[question.pk]
        if question.is_rating:
            rating, text = (value or None), ""
        else:
            rating, text = None, (value or "").strip()
        if rating is None and not text:
            EvaluationAnswer.objects.filter(evaluation=evaluation, question=question).delete()
            continue
        EvaluationAnswer.objects.update_or_create(
            evaluation=evaluation, question=question, defaults={"rating": rating, "text": text}
        )


# Below this, an atelier's ratings are not detailed: organisers know who chose which atelier, so
# one or two answers would be theirs.
MIN_ATELIER_ANSWERS = 3


def event_evaluations(seminar: SeminarPage) -> QuerySet[Evaluation]:
    """Every answer given for the event. Only people checked in could answer, and an answer keeps
    counting if the check-in is undone or the registration cancelled afterwards: were it to leave
    the figures, an organiser could undo one person's check-in and read their answer in the
    difference."""
    return Evaluation.objects.filter(registration__seminar=seminar)


def question_labels() -> dict[str, str]:
    """Each question and comment as organisers read it (page, API, workbook): one wording."""
    return {
        name: Evaluation._meta.get_field(name).verbose_name.capitalize()
        for name in QUESTIONS + COMMENTS
    }


@dataclass
class RatingSummary:
    """The answers to one question (key: its field name) or about one atelier (key: its id).
    `withheld`: too few answers about an atelier to show them (MIN_ATELIER_ANSWERS)."""

    key: str | int
    label: str
    counts: dict[int, int]  # rating -> number of answers, every level present
    withheld: bool = False

    @property
    def answers(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied_percent(self) -> int | None:
        if not self.answers:
            return None
        return whole_percent(sum(self.counts[level] for level in SATISFIED), self.answers)

    @property
    def average(self) -> float | None:
        if not self.answers:
            return None
        return sum(level * count for level, count in self.counts.items()) / self.answers

    def rows(self) -> list[tuple[str, int, int]]:
        """(level label, answers, percent), best level first, for a table."""
        return [
            (label, self.counts[level], whole_percent(self.counts[level], self.answers))
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
    # The organisers' own questions (EvaluationQuestion), ratings and free answers apart.
    added_questions: list[RatingSummary] = field(default_factory=list)
    added_comments: list[Comments] = field(default_factory=list)

    @property
    def response_percent(self) -> int | None:
        return whole_percent(self.answers, self.present)


def _counts(ratings) -> dict[int, int]:
    counts = {level: 0 for level in Rating.values}
    for rating in ratings:
        counts[rating] += 1
    return counts


def summarise_ateliers(seminar: SeminarPage) -> list[RatingSummary]:
    """Each atelier's ratings; an atelier with fewer than MIN_ATELIER_ANSWERS is withheld. Each
    named as organisers read it (Atelier.label): two of the same title told apart by their slot."""
    by_atelier: dict[int, list[int]] = {}
    for atelier_id, rating in AtelierRating.objects.filter(
        evaluation__in=event_evaluations(seminar)
    ).values_list("atelier_id", "rating"):
        by_atelier.setdefault(atelier_id, []).append(rating)
    summaries = []
    for atelier in seminar.ateliers.order_by("starts_at", "pk"):
        ratings = by_atelier.get(atelier.pk, [])
        withheld = 0 < len(ratings) < MIN_ATELIER_ANSWERS
        summaries.append(
            RatingSummary(atelier.pk, atelier.label, _counts([] if withheld else ratings), withheld)
        )
    return summaries


def _added_answers(seminar: SeminarPage) -> QuerySet[EvaluationAnswer]:
    """The answers to the event's added questions (by people who could answer only)."""
    return EvaluationAnswer.objects.filter(
        evaluation__in=event_evaluations(seminar), question__page_id=seminar.pk
    )


def summarise_added_questions(
    seminar: SeminarPage,
) -> tuple[list[RatingSummary], list[Comments]]:
    """The added rating questions summarised as the standard ones, the free answers listed as the
    comments (alphabetical order)."""
    by_question: dict[int, list[EvaluationAnswer]] = {}
    for answer in _added_answers(seminar):
        by_question.setdefault(answer.question_id, []).append(answer)
    ratings, texts = [], []
    for question in added_questions(seminar):
        answers = by_question.get(question.pk, [])
        if question.is_rating:
            counts = _counts(a.rating for a in answers if a.rating)
            ratings.append(RatingSummary(question.pk, question.text, counts))
        else:
            given = (text for a in answers if (text := a.text.strip()))
            texts.append(
                Comments(f"question-{question.pk}", question.text, sorted(given, key=fold))
            )
    return ratings, texts


def summarise_evaluations(seminar: SeminarPage) -> EvaluationSummary:
    """Every answer of the event, without names, in a few queries. Comments are in alphabetical
    order, not in the order they came in (which organisers could match with who left when)."""
    evaluations = list(event_evaluations(seminar))
    labels = question_labels()
    questions = [
        RatingSummary(name, labels[name], _counts(getattr(e, name) for e in evaluations))
        for name in QUESTIONS
    ]
    comments = [
        Comments(
            name,
            labels[name],
            sorted((text for e in evaluations if (text := getattr(e, name).strip())), key=fold),
        )
        for name in COMMENTS
    ]
    added_ratings, added_texts = summarise_added_questions(seminar)
    return EvaluationSummary(
        # Who could answer: the people present, and whoever answered when they were.
        present=seminar.registrations.filter(PRESENT | Q(evaluation__isnull=False)).count(),
        answers=len(evaluations),
        questions=questions,
        ateliers=summarise_ateliers(seminar),
        comments=comments,
        added_questions=added_ratings,
        added_comments=added_texts,
    )


def evaluations_workbook(seminar: SeminarPage) -> bytes:
    """The answers, one line each, without anything that could tell who wrote them: no name,
    commune or fonction, no time, and no atelier ratings beside the comments (organisers know
    who chose which atelier); lines sorted by their answers. The ateliers get a sheet of their
    own, as on the summary page."""
    labels = question_labels()
    names = QUESTIONS + COMMENTS
    added = added_questions(seminar)
    workbook, sheet = new_sheet(
        "Avis",
        [labels[name] for name in names] + [question.text for question in added],
        title=f"Avis des participants – {seminar.title}",
    )
    ratings = dict(Rating.choices)
    given = {
        (answer.evaluation_id, answer.question_id): answer for answer in _added_answers(seminar)
    }

    def added_cells(e: Evaluation) -> list[str]:
        cells = []
        for question in added:
            answer = given.get((e.pk, question.pk))
            if answer is None:
                cells.append("")
            elif question.is_rating:
                cells.append(ratings.get(answer.rating, ""))
            else:
                cells.append(answer.text)
        return cells

    # Sorted by the answers themselves, added ones included: never in the order they came in.
    rows = [
        (
            [-getattr(e, n) for n in QUESTIONS],
            [ratings[getattr(e, n)] for n in QUESTIONS]
            + [getattr(e, n) for n in COMMENTS]
            + added_cells(e),
        )
        for e in event_evaluations(seminar)
    ]
    rows.sort(key=lambda row: (row[0], [fold(cell) for cell in row[1][len(QUESTIONS) :]]))
    for _order, cells in rows:
        append_row(sheet, cells)
    set_widths(sheet, (20, 20, 20, 40, 40, 40) + (30,) * len(added))
    ateliers = workbook.create_sheet("Ateliers")
    append_row(ateliers, ["Atelier", "Réponses", "Satisfaits (%)", "Note moyenne (sur 4)"])
    for summary in summarise_ateliers(seminar):
        if summary.withheld:
            append_row(
                ateliers,
                [summary.label, f"moins de {MIN_ATELIER_ANSWERS} réponses : non détaillé"],
            )
        else:
            # Rounded as the page's |floatformat:1 (half up): 13/4 reads 3,3 there, not 3.2.
            average = (
                float(round_half_up(summary.average, 1)) if summary.average is not None else None
            )
            append_row(
                ateliers, [summary.label, summary.answers, summary.satisfied_percent, average]
            )
    set_widths(ateliers, (40, 14, 14, 18))
    return workbook_bytes(workbook)

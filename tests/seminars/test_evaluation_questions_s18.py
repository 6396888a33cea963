"""Questions the organisers add to an event's questionnaire de satisfaction (EvaluationQuestion):
asked after the standard ones through the participant's signed link, summarised without names
on the organisers' page and in the XLSX, free answers erased with the comments at retention.
Real HTTP through the test client."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from seminars.evaluations import save_evaluation, summarise_evaluations
from seminars.models import EvaluationAnswer, EvaluationQuestion, SeminarPage
from seminars.retention import apply_retention
from seminars.services import register_person, set_check_in
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person
from tests.seminars.test_evaluations import ANSWERS, url
from tests.seminars.test_pages_fixes import admin_url, edit_form_data

pytestmark = pytest.mark.django_db

GROUP = "Souhaitez-vous participer à un groupe de travail ?"
FORMAT = "Le format d'une journée vous convient-il ?"
IDEAS = "Quel sujet proposeriez-vous au groupe de travail ?"
FORMAT_HTML = FORMAT.replace("'", "&#x27;")  # as Django escapes it


def add_questions(seminar: SeminarPage, *questions: tuple[str, str, bool]) -> list:
    return [
        EvaluationQuestion.objects.create(
            page=seminar, text=text, kind=kind, required=required, sort_order=order
        )
        for order, (text, kind, required) in enumerate(questions)
    ]


@pytest.fixture
def event():
    """Ended two days ago; Zola and Abel checked in; a required rating question (the format), an
    optional free one (ideas), asked in that order."""
    seminar = make_seminar("Journée des élus", seats=10, days_ahead=-2)
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    abel, _ = register_person(seminar, person(2, nom="Abel"))
    for present in (zola, abel):
        set_check_in(present, True)
    fmt, ideas = add_questions(seminar, (FORMAT, "rating", True), (IDEAS, "text", False))
    return seminar, zola, abel, fmt, ideas


def field(question) -> str:
    return f"question_{question.pk}"


def test_the_added_questions_follow_the_standard_ones_in_order(portal, event):
    _seminar, zola, _abel, fmt, ideas = event
    html = portal.get(url(zola)).content.decode()
    assert html.index("Les thèmes que vous aimeriez voir") < html.index(FORMAT_HTML)
    assert html.index(FORMAT_HTML) < html.index(IDEAS)
    # A rating group is a fieldset named by its legend; the free answer a labelled textarea.
    assert f'<legend>{FORMAT_HTML} <span aria-hidden="true">*</span>' in html
    assert f'name="{field(fmt)}" value="4"' in html
    assert f'<label for="id_{field(ideas)}">{IDEAS}</label>' in html
    assert f'<textarea name="{field(ideas)}"' in html


def test_a_required_added_question_left_empty_refuses_and_keeps_what_was_typed(portal, event):
    _seminar, zola, _abel, fmt, ideas = event
    response = portal.post(url(zola), {**ANSWERS, field(ideas): "Le logement des jeunes"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Répondez à cette question." in html
    assert "Plus de temps pour les questions." in html  # a standard comment, kept
    assert "Le logement des jeunes" in html  # the added free answer, kept
    assert not EvaluationAnswer.objects.exists()
    assert not zola.seminar.registrations.filter(evaluation__isnull=False).exists()


def test_added_answers_are_saved_then_corrected_not_duplicated(portal, event):
    _seminar, zola, _abel, fmt, ideas = event
    response = portal.post(url(zola), {**ANSWERS, field(fmt): "2", field(ideas): "Le logement"})
    assert response.status_code == 302
    answers = {a.question_id: (a.rating, a.text) for a in EvaluationAnswer.objects.all()}
    assert answers == {fmt.pk: (2, ""), ideas.pk: (None, "Le logement")}

    # The person comes back: what she answered is shown, and her correction replaces it.
    html = portal.get(url(zola)).content.decode()
    assert re.search(rf'name="{field(fmt)}" value="2"[^>]*checked', html)
    assert not re.search(rf'name="{field(fmt)}" value="[134]"[^>]*checked', html)
    assert "Le logement</textarea>" in html
    response = portal.post(url(zola), {**ANSWERS, field(fmt): "4", field(ideas): ""})
    assert response.status_code == 302
    answers = list(EvaluationAnswer.objects.values_list("question_id", "rating", "text"))
    assert answers == [(fmt.pk, 4, "")]  # the emptied free answer is gone, the rating updated


def test_answers_of_another_events_questions_are_ignored(event):
    seminar, zola, _abel, fmt, _ideas = event
    other = make_seminar("Réunion des directeurs", seats=10, days_ahead=-3)
    (foreign,) = add_questions(other, (GROUP, "rating", False))
    values = {"overall": 4, "usefulness": 3, "organisation": 3}
    save_evaluation(zola, values, {}, added_answers={fmt.pk: 3, foreign.pk: 1})
    assert list(EvaluationAnswer.objects.values_list("question_id", flat=True)) == [fmt.pk]


def test_organisers_read_the_added_questions_without_names(organiser_client, event):
    seminar, zola, abel, fmt, ideas = event
    # Another event with its own question and answer: nothing of it appears here.
    other = make_seminar("Réunion des directeurs", seats=10, days_ahead=-3)
    (group,) = add_questions(other, (GROUP, "rating", False))
    roux, _ = register_person(other, person(3, nom="Roux"))
    set_check_in(roux, True)
    values = {"overall": 4, "usefulness": 3, "organisation": 3}
    save_evaluation(roux, values, {}, added_answers={group.pk: 1})
    save_evaluation(zola, values, {}, added_answers={fmt.pk: 4, ideas.pk: "Zéro déchet"})
    save_evaluation(abel, values, {}, added_answers={fmt.pk: 2, ideas.pk: "Accès aux droits"})

    summary = summarise_evaluations(seminar)
    (rated,) = summary.added_questions
    assert (rated.label, rated.counts) == (FORMAT, {4: 1, 3: 0, 2: 1, 1: 0})
    assert rated.satisfied_percent == 50
    (texts,) = summary.added_comments
    assert (texts.label, texts.texts) == (IDEAS, ["Accès aux droits", "Zéro déchet"])

    page = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/avis/")
    assert page.status_code == 200
    html = page.content.decode()
    assert FORMAT_HTML in html and f"{IDEAS} (2)" in html
    assert re.search(
        re.escape(FORMAT_HTML) + r" <span[^<]*</span></th><td>2</td><td>50 %</td><td>3,0</td>", html
    )
    assert "Accès aux droits" in html and "Zéro déchet" in html
    assert GROUP not in html
    assert "Zola" not in html and "Abel" not in html
    # The staff API's summary has them too.
    api = organiser_client.get(f"/api/v1/seminars/{seminar.pk}/evaluations/").json()
    assert [(q["label"], q["answers"]) for q in api["added_questions"]] == [(FORMAT, 2)]
    assert [(c["label"], sorted(c["texts"])) for c in api["added_comments"]] == [
        (IDEAS, ["Accès aux droits", "Zéro déchet"])
    ]

    export = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/avis.xlsx")
    rows = list(load_workbook(io.BytesIO(export.content))["Avis"].iter_rows(values_only=True))
    assert rows[1][-2:] == (FORMAT, IDEAS) and len(rows[1]) == 8
    assert sorted(row[-2:] for row in rows[2:]) == [
        ("Peu satisfaisant", "Accès aux droits"),
        ("Très satisfaisant", "Zéro déchet"),
    ]
    assert "Zola" not in repr(rows) and GROUP not in repr(rows)

    other_rows = list(
        load_workbook(
            io.BytesIO(organiser_client.get(f"/admin/inscriptions/{other.pk}/avis.xlsx").content)
        )["Avis"].iter_rows(values_only=True)
    )
    assert other_rows[1][-1] == GROUP and len(other_rows[1]) == 7
    assert other_rows[2][-1] == "Pas satisfaisant"


def test_rewording_keeps_the_answers_deleting_removes_them(event):
    seminar, zola, _abel, fmt, ideas = event
    values = {"overall": 4, "usefulness": 3, "organisation": 3}
    save_evaluation(zola, values, {}, added_answers={fmt.pk: 4, ideas.pk: "Le logement"})
    fmt.text = "La journée entière vous convient-elle ?"
    fmt.save()
    (rated,) = summarise_evaluations(seminar).added_questions
    assert (rated.label, rated.answers) == ("La journée entière vous convient-elle ?", 1)
    ideas.delete()
    assert list(EvaluationAnswer.objects.values_list("question_id", flat=True)) == [fmt.pk]


def test_retention_erases_the_free_answers_and_keeps_the_ratings(event):
    seminar, zola, _abel, fmt, ideas = event
    values = {"overall": 4, "usefulness": 3, "organisation": 3, "best": "Madame X"}
    save_evaluation(zola, values, {}, added_answers={fmt.pk: 4, ideas.pk: "Comme Mme Y"})
    # Long after the event: the personal data's time is up.
    apply_retention(now=timezone.now() + timedelta(days=3650))
    zola.evaluation.refresh_from_db()
    assert zola.evaluation.best == ""
    assert list(EvaluationAnswer.objects.values_list("question_id", "rating", "text")) == [
        (fmt.pk, 4, "")
    ]


def test_the_editor_saves_the_added_questions(seminar):
    client = host_client("localhost", organiser())
    data = edit_form_data(seminar, [])
    # The existing ateliers are deleted in the formset: this test is about the questions.
    data.update(
        nested_form_data(
            {
                "ateliers": inline_formset(
                    [{"id": str(a.pk), "DELETE": "on"} for a in seminar.ateliers.all()],
                    initial=seminar.ateliers.count(),
                ),
                "evaluation_questions": inline_formset(
                    [
                        {"text": GROUP, "kind": "rating", "required": "on"},
                        {"text": IDEAS, "kind": "text"},
                    ]
                ),
            }
        )
    )
    url = admin_url("preview_on_edit", seminar.pk)
    assert client.post(url, data).json()["is_valid"] is True
    data["action-publish"] = "action-publish"
    response = client.post(admin_url("edit", seminar.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    questions = EvaluationQuestion.objects.filter(page=seminar).order_by("sort_order")
    assert [(q.text, q.kind, q.required) for q in questions] == [
        (GROUP, "rating", True),
        (IDEAS, "text", False),
    ]
    edit = client.get(admin_url("edit", seminar.pk)).content.decode()
    assert "Questions ajoutées au questionnaire" in edit
    assert "trois questions habituelles" in edit

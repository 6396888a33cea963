"""The organisers' endpoints of the seminars API through real HTTP on the portal: check-in (by
registration and by the badge's signed code), the year report, the reminder to answer the
questionnaire. Same services and rules as the admin's screens."""

import json
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from seminars.annual_report import build_year_report
from seminars.check_in import check_in_code, check_in_url
from seminars.evaluations import save_evaluation
from seminars.models import Registration, SeminarPage
from seminars.services import register_person, set_check_in
from tests.conftest import host_client, make_person
from tests.seminars.conftest import make_seminar, organiser, person
from union import roles
from union.models import AuditEntry

pytestmark = pytest.mark.django_db
# Last year: every event held in the report's fixture is over whatever the day the test runs.
YEAR = timezone.localdate().year - 1


def token_client(user) -> Client:
    token = Token.objects.create(user=user)
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def staff_user(db):
    return organiser()


@pytest.fixture
def staff_api(staff_user) -> Client:
    return token_client(staff_user)


def post_json(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def check_in_path(registration) -> str:
    return f"/api/v1/seminars/{registration.seminar_id}/registrations/{registration.pk}/check-in"


def code_path(code: str) -> str:
    return f"/api/v1/seminars/check-in/{code}"


def audit(action: str):
    return AuditEntry.objects.filter(action=action)


# --- Check-in -------------------------------------------------------------------------------------


@pytest.fixture
def event(event):
    """The seminars' event, held today: outside its days (SeminarPage.check_in_days) the API asks
    for `force`, as the admin asks before checking in (test_api_consumer_s35)."""
    start = timezone.now() - timedelta(hours=1)
    SeminarPage.objects.filter(pk=event[0].pk).update(start=start, end=start + timedelta(hours=7))
    return event


def test_check_in_sets_and_undoes_the_time_and_is_audited(staff_api, staff_user, event):
    seminar, zola, *_ = event
    response = post_json(staff_api, check_in_path(zola))  # `present` defaults to true
    assert response.status_code == 200, response.content
    body = response.json()
    zola.refresh_from_db()
    assert zola.checked_in_at is not None
    assert body["id"] == zola.pk and body["checked_in_at"] is not None
    assert body["seminar"] == {"id": seminar.pk, "title": "Journée des élus"}
    # The registration as the organisers' list shows it (same fields, same values).
    listed = staff_api.get(f"/api/v1/seminars/{seminar.pk}/registrations/").json()
    row = next(row for row in listed if row["id"] == zola.pk)
    assert {name: body[name] for name in row} == row
    (entry,) = audit("seminar.registration.check_in")
    assert entry.actor == staff_user and entry.details == {"registration": zola.pk}
    assert entry.target == "Prénom1 Zola"

    # Scanned twice: the first time stays, nothing more is written.
    again = post_json(staff_api, check_in_path(zola), {"present": True})
    assert again.status_code == 200 and again.json()["checked_in_at"] == body["checked_in_at"]
    assert audit("seminar.registration.check_in").count() == 1

    undone = post_json(staff_api, check_in_path(zola), {"present": False})
    assert undone.status_code == 200 and undone.json()["checked_in_at"] is None
    zola.refresh_from_db()
    assert zola.checked_in_at is None
    assert audit("seminar.registration.check_in_undone").get().actor == staff_user


def test_a_form_encoded_check_in_and_a_bad_present_value(staff_api, event):
    _seminar, zola, *_ = event
    assert staff_api.post(check_in_path(zola), {"present": "0"}).json()["checked_in_at"] is None
    assert staff_api.post(check_in_path(zola)).json()["checked_in_at"] is not None  # no body
    bad = post_json(staff_api, check_in_path(zola), {"present": "peut-être"})
    assert bad.status_code == 400 and list(bad.json()) == ["present"]
    assert "booléen" in bad.json()["present"][0]  # DRF's message, in French


def test_someone_without_a_confirmed_seat_is_not_checked_in(staff_api, event):
    _seminar, _zola, _abel, roux = event
    response = post_json(staff_api, check_in_path(roux))
    assert response.status_code == 400
    assert response.json()["detail"].startswith(
        "Prénom3 Roux n'a pas de place confirmée (liste d'attente)"
    )
    assert response.json()["detail"].endswith("émargez-la quand même avec « force »: true.")
    roux.refresh_from_db()
    assert roux.checked_in_at is None and not audit("seminar.registration.check_in").exists()
    # Checked in by mistake before (the admin allows it after its warning): undoing it works.
    set_check_in(roux, True)
    undone = post_json(staff_api, check_in_path(roux), {"present": False})
    assert undone.status_code == 200 and undone.json()["checked_in_at"] is None


def test_force_checks_in_someone_without_a_seat_as_the_admin_does_after_its_warning(
    staff_api, staff_user, event
):
    _seminar, _zola, _abel, roux = event
    forced = post_json(staff_api, check_in_path(roux), {"force": True})
    assert forced.status_code == 200, forced.content
    assert forced.json()["status"] == "waitlisted" and forced.json()["checked_in_at"] is not None
    roux.refresh_from_db()
    assert roux.status == Registration.Status.WAITLISTED and roux.checked_in_at is not None
    assert audit("seminar.registration.check_in").get().actor == staff_user
    # By the badge's code too; `force` never turns an undo into a check-in.
    undone = post_json(staff_api, code_path(check_in_code(roux)), {"present": False, "force": True})
    assert undone.status_code == 200 and undone.json()["checked_in_at"] is None
    again = post_json(staff_api, code_path(check_in_code(roux)), {"force": True})
    assert again.status_code == 200 and again.json()["checked_in_at"] is not None
    bad = post_json(staff_api, check_in_path(roux), {"force": "peut-être"})
    assert bad.status_code == 400 and list(bad.json()) == ["force"]


def test_a_registration_of_another_event_is_not_found(staff_api, event):
    _seminar, zola, *_ = event
    other = make_seminar("Commission solidarités")
    response = post_json(staff_api, f"/api/v1/seminars/{other.pk}/registrations/{zola.pk}/check-in")
    assert response.status_code == 404
    assert response.json() == {"detail": "Inscription introuvable pour cet événement."}
    missing = post_json(staff_api, f"/api/v1/seminars/999999/registrations/{zola.pk}/check-in")
    assert missing.status_code == 404 and missing.json() == {"detail": "Événement introuvable."}
    zola.refresh_from_db()
    assert zola.checked_in_at is None


def test_the_badge_code_checks_in_in_one_call(staff_api, staff_user, event):
    seminar, zola, _abel, roux = event
    # What a scanning app reads: the URL of the QR code; the code is its last part.
    code = urlsplit(check_in_url(zola)).path.rstrip("/").rsplit("/", 1)[1]
    assert code == check_in_code(zola)
    response = post_json(staff_api, code_path(code))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == zola.pk and body["seminar"]["id"] == seminar.pk
    assert body["nom"] == "Zola" and body["status"] == "confirmed"
    zola.refresh_from_db()
    assert zola.checked_in_at is not None
    assert audit("seminar.registration.check_in").get().actor == staff_user
    # The colon percent-encoded, as some clients send it.
    undone = post_json(staff_api, code_path(quote(code, safe="")), {"present": False})
    assert undone.status_code == 200 and undone.json()["checked_in_at"] is None
    # Same rule as by registration for someone without a seat.
    waiting = post_json(staff_api, code_path(check_in_code(roux)))
    assert waiting.status_code == 400 and "pas de place confirmée" in waiting.json()["detail"]


def test_a_tampered_or_forged_code_checks_in_nobody(staff_api, event):
    _seminar, zola, abel, _roux = event
    code = check_in_code(zola)
    forged = f"{abel.pk}:{code.split(':', 1)[1]}"  # Abel's id, Zola's signature
    for bad in (f"{code[:-2]}xx", forged, "n-importe-quoi", str(zola.pk)):
        response = post_json(staff_api, code_path(bad))
        assert response.status_code == 404, bad
        assert response.json() == {
            "detail": "Code d'émargement inconnu : cherchez la personne dans la liste."
        }
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


# --- Permissions ------------------------------------------------------------------------------


def organiser_requests(seminar, registration) -> list[tuple[str, str]]:
    return [
        ("post", check_in_path(registration)),
        ("post", code_path(check_in_code(registration))),
        ("get", f"/api/v1/seminars/report/?year={YEAR}"),
        ("post", f"/api/v1/seminars/{seminar.pk}/evaluations/remind"),
    ]


def test_only_organisers(bondy, event, mailoutbox, django_capture_on_commit_callbacks):
    seminar, zola, *_ = event
    SeminarPage.objects.filter(pk=seminar.pk).update(end=timezone.now() - timedelta(hours=1))
    set_check_in(zola, True)  # the questionnaire is open, Zola present: someone to remind
    director = make_person(bondy, "direction@ccas-bondy.test")
    editor = organiser(roles.EDITOR, "editrice@union.test")
    refused = {
        "anonymous": (host_client("localhost"), (401, 403)),
        "wrong token": (Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION="Token faux"), (401, 403)),
        "member director (token)": (token_client(director), (403,)),
        "member director (session)": (host_client("localhost", director), (403,)),
        "union editor": (token_client(editor), (403,)),
    }
    with django_capture_on_commit_callbacks(execute=True):
        for who, (client, statuses) in refused.items():
            for method, url in organiser_requests(seminar, zola):
                if method == "post":
                    response = post_json(client, url, {"present": False})
                else:
                    response = client.get(url)
                assert response.status_code in statuses, (who, url, response.status_code)
                assert "detail" in response.json()
    zola.refresh_from_db()
    assert zola.checked_in_at is not None and zola.evaluation_reminded_at is None
    assert mailoutbox == []

    admin = token_client(organiser(roles.UNION_ADMIN, "admin@union.test"))
    assert post_json(admin, check_in_path(zola), {"present": False}).status_code == 200


# --- Year report ------------------------------------------------------------------------------


def move_to(event, year: int, month: int) -> None:
    start = timezone.make_aware(datetime(year, month, 15, 9))
    SeminarPage.objects.filter(pk=event.pk).update(start=start, end=start + timedelta(hours=7))


@pytest.fixture
def year(bondy):
    """Last year: a seminar with check-in (Zola of Bondy, a member, and Abel of Montreuil
    present, Roux absent, Lebrun waiting and checked in by mistake) and a commission where nobody
    was checked in (two confirmed). And an event to come, three confirmed."""
    seminar = make_seminar("Séminaire", seats=3, days_ahead=-2)
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    abel, _ = register_person(seminar, person(2, nom="Abel", commune="Montreuil", fonction="dgs"))
    register_person(seminar, person(3, nom="Roux"))
    lebrun, _ = register_person(seminar, person(4, nom="Lebrun"))
    for present in (zola, abel, lebrun):
        set_check_in(present, True)
    for registration, overall in ((zola, 4), (abel, 2)):
        save_evaluation(registration, {"overall": overall, "usefulness": 3, "organisation": 3}, {})
    commission = make_seminar("Commission", days_ahead=-3)
    register_person(commission, person(5, commune="Pantin"))
    register_person(
        commission, person(6, commune="Ville inconnue", fonction="conseiller_municipal")
    )
    move_to(seminar, YEAR, 6)
    move_to(commission, YEAR, 3)
    coming = make_seminar("À venir", days_ahead=40)
    for number in (7, 8, 9):
        register_person(coming, person(number))
    return seminar, commission, coming


def test_the_report_gives_the_admin_figures(staff_api, year):
    seminar, commission, _coming = year
    response = staff_api.get("/api/v1/seminars/report/", {"year": YEAR})
    assert response.status_code == 200, response.content
    body = response.json()
    report = build_year_report(YEAR)
    assert body["year"] == YEAR
    for name in ("participants", "communes", "member_communes_reached", "member_communes"):
        assert body[name] == getattr(report, name), name
    assert (body["held"], body["upcoming"]) == (report.held_count, report.upcoming_count)
    assert (body["answers"], body["satisfied"], body["satisfied_percent"]) == (
        report.answers,
        report.satisfied,
        report.satisfied_percent,
    )
    assert body["estimated"] == report.estimated
    assert [(row["label"], row["participations"]) for row in body["by_fonction"]] == [
        (row.label, row.participations) for row in report.by_fonction
    ]
    assert [row["id"] for row in body["events"]] == [line.event.pk for line in report.lines]
    for row, line in zip(body["events"], report.lines, strict=True):
        assert (row["confirmed"], row["participants"], row["checked_in"], row["communes"]) == (
            line.confirmed,
            line.present,
            line.checked_in,
            line.communes,
        )
        assert (row["answers"], row["satisfied_percent"]) == (line.answers, line.satisfied_percent)
    # The same figures, written out: the case built above.
    assert (body["participants"], body["communes"]) == (4, 3)  # Bondy, Montreuil, Pantin
    assert (body["member_communes_reached"], body["member_communes"]) == (1, 1)  # Bondy
    assert (body["held"], body["upcoming"], body["estimated"]) == (2, 0, True)
    assert (body["answers"], body["satisfied"], body["satisfied_percent"]) == (2, 1, 50)
    assert body["by_fonction"] == [
        {"fonction": "maire", "label": "Maire", "participations": 2},
        {
            "fonction": "conseiller_municipal",
            "label": "Conseiller(ère) municipal(e)",
            "participations": 1,
        },
        {
            "fonction": "dgs",
            "label": "Directeur(trice) général(e) des services",
            "participations": 1,
        },
    ]
    commission_row, seminar_row = body["events"]
    assert (commission_row["id"], commission_row["title"]) == (commission.pk, "Commission")
    assert (commission_row["participants"], commission_row["checked_in"]) == (2, False)
    assert (seminar_row["id"], seminar_row["kind"], seminar_row["seats"]) == (
        seminar.pk,
        "seminaire",
        3,
    )
    assert (seminar_row["confirmed"], seminar_row["participants"]) == (3, 2)
    assert (seminar_row["checked_in"], seminar_row["communes"]) == (True, 2)
    assert (seminar_row["answers"], seminar_row["satisfied_percent"]) == (2, 50)


def test_the_report_opens_on_the_admin_year_and_lists_an_event_to_come(staff_api, year):
    *_, coming = year
    default = staff_api.get("/api/v1/seminars/report/").json()
    coming_year = timezone.localtime(coming.start).year
    assert default["year"] == YEAR  # the latest year with an event held, as the admin
    assert default["years"] == [coming_year, YEAR]
    body = staff_api.get("/api/v1/seminars/report/", {"year": coming_year}).json()
    (row,) = [row for row in body["events"] if row["id"] == coming.pk]
    assert (row["held"], row["confirmed"]) == (False, 3)
    assert (row["participants"], row["checked_in"], row["communes"]) == (None, None, None)
    assert (
        body["upcoming"] >= 1
        and body["participants"] == build_year_report(coming_year).participants
    )


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("abc", "Année invalide « abc »"),
        ("²", "Année invalide « ² »"),
        ("20261", "Année invalide « 20261 »"),
        ("1999", "Aucun événement en « 1999 »"),
    ],
)
def test_a_bad_year_is_a_400_in_french(staff_api, year, asked, message):
    response = staff_api.get("/api/v1/seminars/report/", {"year": asked})
    assert response.status_code == 400
    (error,) = response.json()["year"]
    assert error.startswith(message), error


# --- Reminder to answer the questionnaire -----------------------------------------------------


@pytest.fixture
def held():
    """Over two days ago: Zola and Abel present (Abel answered), Roux confirmed and absent."""
    seminar = make_seminar("Journée des élus", seats=10, days_ahead=-2)
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    abel, _ = register_person(seminar, person(2, nom="Abel"))
    roux, _ = register_person(seminar, person(3, nom="Roux"))
    for present in (zola, abel):
        set_check_in(present, True)
    save_evaluation(abel, {"overall": 3, "usefulness": 3, "organisation": 3}, {})
    return seminar, zola, abel, roux


def test_remind_e_mails_once_those_who_have_not_answered(
    staff_api, staff_user, held, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, zola, *_ = held
    url = f"/api/v1/seminars/{seminar.pk}/evaluations/remind"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(url)
    assert response.status_code == 200 and response.json() == {"reminded": 1}
    (message,) = mailoutbox  # Zola only: Abel answered, Roux was absent
    assert message.to == [zola.email]
    assert message.subject == "Votre avis sur la rencontre : Journée des élus"
    zola.refresh_from_db()
    assert zola.evaluation_reminded_at is not None
    entry = audit("seminar.evaluations.reminded").get()
    assert entry.actor == staff_user and entry.details == {"seminar": seminar.pk, "count": 1}

    with django_capture_on_commit_callbacks(execute=True):
        second = staff_api.post(url)
    assert second.status_code == 200 and second.json() == {"reminded": 0}
    assert len(mailoutbox) == 1  # once each


@pytest.mark.parametrize(
    ("end", "message"),
    [
        (timedelta(hours=2), "Le questionnaire ouvrira à la fin de l'événement, le "),
        (-timedelta(days=91), "Le questionnaire est clos depuis le "),
    ],
)
def test_no_reminder_while_the_questionnaire_is_not_open(
    staff_api, held, mailoutbox, django_capture_on_commit_callbacks, end, message
):
    seminar, *_ = held
    SeminarPage.objects.filter(pk=seminar.pk).update(end=timezone.now() + end)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(f"/api/v1/seminars/{seminar.pk}/evaluations/remind")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(message)
    assert mailoutbox == []
    assert not seminar.registrations.filter(evaluation_reminded_at__isnull=False).exists()
    assert not audit("seminar.evaluations.reminded").exists()


def test_remind_on_an_unknown_event_is_a_404(staff_api):
    response = staff_api.post("/api/v1/seminars/999999/evaluations/remind")
    assert response.status_code == 404 and response.json() == {"detail": "Événement introuvable."}


# --- OpenAPI ----------------------------------------------------------------------------------


def test_the_schema_documents_the_organisers_routes(portal):
    schema = portal.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    check_in = paths["/api/v1/seminars/{id}/registrations/{registration_id}/check-in"]["post"]
    assert set(check_in["responses"]) >= {"200", "400", "404"}
    assert "émargement" in check_in["description"]
    assert "post" in paths["/api/v1/seminars/check-in/{code}"]
    report = paths["/api/v1/seminars/report/"]["get"]
    assert [p["name"] for p in report["parameters"]] == ["year"]
    remind = paths["/api/v1/seminars/{id}/evaluations/remind"]["post"]
    assert set(remind["responses"]) >= {"200", "400"}

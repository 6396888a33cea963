"""Every e-mail leaves through the task queue (union.mail): a mail server that is down no longer
turns an invitation into a 500 nor loses a password reset; the worker delivers the very same
message later, retries with growing delays, then reports the failure in French.

Django's test set-up puts every mailer on locmem; these tests put the queued backend back in
front (`queued_mailers`) and, where it matters, the PostgreSQL queue of production (`QUEUE`).
The queued tasks run as `db_worker` runs them (`Worker.run_task`), in the test's transaction.
"""

import json
import os
import re
import socket
import subprocess
import sys
from datetime import timedelta
from email.message import MIMEPart
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from seminars.services import register_person
from tests.conftest import PASSWORD, host_client, make_person, member_client
from tests.seminars.conftest import make_seminar, person
from tests.seminars.test_task_queue import make_worker
from union import roles
from union.mail import MAX_ATTEMPTS, TASK_PATH
from union.settings import base
from union.settings.base import TASK_BACKENDS

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


class Abandoned(Exception):
    pass


def queued_mailers(delivery: dict | None = None) -> dict:
    """Production's mailers, the delivery one in memory unless given."""
    return {
        "default": {"BACKEND": "union.mail.QueuedEmailBackend"},
        "delivery": delivery or {"BACKEND": LOCMEM},
        "admins": {"BACKEND": LOCMEM},
    }


def unreachable_smtp() -> dict:
    """An SMTP mailer pointing to a port nothing listens on (refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return {"BACKEND": SMTP, "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2}}


@pytest.fixture
def queue(settings):
    settings.TASKS = QUEUE
    settings.MAILERS = queued_mailers()
    return settings


def deliveries():
    return DBTaskResult.objects.filter(task_path=TASK_PATH)


def run_task(row: DBTaskResult) -> DBTaskResult:
    """One queued task, as `db_worker` runs it: claimed, run, marked successful or failed."""
    row.claim("test")
    make_worker().run_task(row)
    row.refresh_from_db()
    return row


def run_due_deliveries() -> list[DBTaskResult]:
    ran = []
    while row := deliveries().ready().first():
        ran.append(run_task(row))
    return ran


def payload(row: DBTaskResult) -> dict:
    return row.args_kwargs["args"][0]


def time_passes() -> None:
    """The retries' delays are over."""
    deliveries().filter(status="READY").update(run_after=timezone.now())


# --- the sysadmin's two cases --------------------------------------------------------------


def test_an_invitation_while_the_mail_server_is_down_is_answered_and_delivered_later(
    bondy, montreuil, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = QUEUE
    settings.MAILERS = queued_mailers(unreachable_smtp())
    # Two members whose schemas' primary keys collide: each invitation is queued in the public
    # table, each with its own member's space.
    for member in (bondy, montreuil):
        director = make_person(member, f"direction@{member.slug}.test")
        with django_capture_on_commit_callbacks(execute=True):
            response = member_client(member, director).post(
                "/equipe/",
                {
                    "email": f"nina@{member.slug}.test",
                    "first_name": "Nina",
                    "last_name": "Nouvelle",
                    "role": "agent",
                },
            )
        assert response.status_code == 302
        assert member.memberships.filter(user__email=f"nina@{member.slug}.test").exists()
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM public.django_tasks_database_dbtaskresult WHERE task_path = %s",
            [TASK_PATH],
        )
        assert cursor.fetchone() == (2,)
    queued = [payload(row) for row in deliveries().order_by("enqueued_at")]
    assert [message["to"] for message in queued] == [
        [f"nina@{bondy.slug}.test"],
        [f"nina@{montreuil.slug}.test"],
    ]
    assert bondy.domain_name in queued[0]["body"] and montreuil.domain_name in queued[1]["body"]
    assert montreuil.domain_name not in queued[0]["body"]
    assert mail.outbox == []

    # The worker tries: the server is still down, each e-mail waits for its next attempt.
    assert [row.status for row in run_due_deliveries()] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert mail.outbox == []
    retries = list(deliveries().filter(status="READY").order_by("enqueued_at"))
    assert [row.args_kwargs["args"][1] for row in retries] == [2, 2]

    # The server is back: the same messages leave.
    settings.MAILERS = queued_mailers()
    time_passes()
    run_due_deliveries()
    assert [(sent.subject, sent.to, sent.body) for sent in mail.outbox] == [
        (message["subject"], message["to"], message["body"]) for message in queued
    ]
    assert {sent.sent_using for sent in mail.outbox} == {"delivery"}


def test_a_password_reset_while_the_mail_server_is_down_is_queued_not_lost(queue, portal):
    queue.MAILERS = queued_mailers(unreachable_smtp())
    get_user_model().objects.create_user("claire@exemple.fr", "claire@exemple.fr", PASSWORD)
    response = portal.post("/compte/mot-de-passe/oublie/", {"email": "claire@exemple.fr"})
    assert response.status_code == 302
    (row,) = deliveries()
    assert payload(row)["to"] == ["claire@exemple.fr"]
    assert "/compte/mot-de-passe/" in payload(row)["body"]

    run_due_deliveries()  # refused: tried again later
    queue.MAILERS = queued_mailers()
    time_passes()
    run_due_deliveries()
    (sent,) = mail.outbox
    assert sent.to == ["claire@exemple.fr"]
    assert sent.body == payload(row)["body"]
    # Finished tasks stay 30 days: their rows keep who and what, not the password link.
    for finished in deliveries():
        assert "/compte/mot-de-passe/" not in json.dumps(finished.args_kwargs)
        assert payload(finished)["recipients"] == ["claire@exemple.fr"]


# --- the message itself ----------------------------------------------------------------------


def _leaf_parts(message: EmailMessage) -> list[tuple[str, bytes]]:
    return [
        (part.get_content_type(), part.get_payload(decode=True))
        for part in message.message().walk()
        if not part.is_multipart()
    ]


def test_a_queued_message_is_delivered_as_it_was_written(queue):
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Séminaire\r\nEND:VCALENDAR\r\n"
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\xff\xfe"
    cancellation = MIMEPart()
    cancellation.set_content(
        "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n",
        subtype="calendar",
        charset="utf-8",
        params={"method": "CANCEL"},
        disposition="attachment",
        filename="annulation.ics",
    )
    message = EmailMultiAlternatives(
        subject="Séminaire « Accès aux droits » : inscription confirmée",
        body="Bonjour Aïcha,\n\nVotre inscription est confirmée.\n",
        from_email="UDCCAS de l'Exemple <ne-pas-repondre@udccas.test>",
        to=["aicha@exemple.fr"],
        cc=["copie@exemple.fr"],
        bcc=["archives@exemple.fr"],
        reply_to=["organisation@udccas.test"],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach("seminaire.ics", ics, "text/calendar")
    message.attach("attestation.pdf", pdf, "application/pdf")
    message.attach(cancellation)
    message.attach_alternative("<p>Bonjour <strong>Aïcha</strong>,</p>", "text/html")
    html_only = EmailMessage("Ordre du jour", "<h1>Conseil</h1>", to=["elu@exemple.fr"])
    html_only.content_subtype = "html"

    assert mail.mailers.default.send_messages([message, html_only]) == 2
    assert mail.outbox == []
    rows = list(deliveries().order_by("enqueued_at"))
    assert len(rows) == 2
    json.dumps([row.args_kwargs for row in rows])  # plain JSON, bytes in base64
    assert rows[0].priority == 10  # ahead of the search-index updates

    run_due_deliveries()
    sent, sent_html = mail.outbox
    for name in ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to", "alternatives"):
        assert getattr(sent, name) == getattr(message, name), name
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.attachments[:2] == message.attachments[:2]  # the PDF's bytes included
    assert sent.attachments[2].as_bytes() == cancellation.as_bytes()
    assert sent.attachments[2].get_param("method") == "CANCEL"
    assert _leaf_parts(sent) == _leaf_parts(message)
    assert sent_html.content_subtype == "html"
    assert _leaf_parts(sent_html) == _leaf_parts(html_only)


def test_wagtails_own_notifications_are_queued_too(queue):
    from wagtail.admin.mail import send_mail as wagtail_send_mail

    wagtail_send_mail(
        "Page à relire", "Une page attend votre relecture.", ["relecteur@udccas.test"]
    )
    (row,) = deliveries()
    assert payload(row)["headers"]["Auto-Submitted"] == "auto-generated"
    assert mail.outbox == []


# --- transactions ----------------------------------------------------------------------------


def test_an_email_is_queued_with_the_transaction_and_a_rollback_queues_nothing(queue):
    with pytest.raises(Abandoned), transaction.atomic():
        send_mail("Accès accordé", "Bonjour", None, ["annule@exemple.fr"])
        assert deliveries().count() == 1  # written inside the transaction, with it
        raise Abandoned
    assert not deliveries().exists()
    with transaction.atomic():
        send_mail("Accès accordé", "Bonjour", None, ["garde@exemple.fr"])
    assert [payload(row)["to"] for row in deliveries()] == [["garde@exemple.fr"]]


def test_with_tasks_run_at_once_delivery_waits_for_the_commit(
    settings, django_capture_on_commit_callbacks
):
    # The immediate backend (development, tests) would run the task inside atomic(): delivery
    # waits for the commit instead, so a rolled-back write sends nothing there either.
    settings.MAILERS = queued_mailers()
    with pytest.raises(Abandoned), transaction.atomic():
        send_mail("Annulé", "Bonjour", None, ["annule@exemple.fr"])
        raise Abandoned
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_mail("Gardé", "Bonjour", None, ["garde@exemple.fr"])
        assert mail.outbox == []
    assert [(sent.subject, sent.to) for sent in mail.outbox] == [("Gardé", ["garde@exemple.fr"])]


# --- inside a task: no second trip through the queue ----------------------------------------


def test_a_task_that_sends_delivers_at_once_not_through_the_queue_again(queue):
    seminar = make_seminar("Séminaire en file", seats=5)
    register_person(seminar, person(1))
    (task_row,) = DBTaskResult.objects.filter(task_path="seminars.tasks.send_registration_email")
    assert run_task(task_row).status == "SUCCESSFUL"
    (sent,) = mail.outbox
    assert sent.sent_using == "delivery" and sent.to == ["personne1@exemple.fr"]
    event = Calendar.from_ical(sent.attachments[0].content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Séminaire en file"
    assert not deliveries().exists()


def test_a_task_whose_email_is_refused_leaves_it_in_the_queue_for_the_retries(queue):
    seminar = make_seminar("Séminaire en file", seats=5)
    register_person(seminar, person(1))
    queue.MAILERS = queued_mailers(unreachable_smtp())
    (task_row,) = DBTaskResult.objects.filter(task_path="seminars.tasks.send_registration_email")
    assert run_task(task_row).status == "SUCCESSFUL"
    (retry,) = deliveries()
    assert retry.args_kwargs["args"][1] == 2  # the task's own attempt was the first
    assert timedelta(seconds=50) < retry.run_after - timezone.now() <= timedelta(minutes=1)
    ics = payload(retry)["attachments"][0]
    assert ics["filename"] == f"{seminar.slug}.ics"

    queue.MAILERS = queued_mailers()
    time_passes()
    run_due_deliveries()
    (sent,) = mail.outbox
    assert sent.subject == payload(retry)["subject"] and sent.to == ["personne1@exemple.fr"]
    assert sent.attachments[0].filename == f"{seminar.slug}.ics"
    assert "Séminaire en file" in sent.attachments[0].content


# --- retries, then a visible failure ---------------------------------------------------------


def test_a_refused_email_is_retried_later_and_later_then_reported_in_french(queue):
    queue.MAILERS = queued_mailers(unreachable_smtp())
    send_mail("Convocation au conseil", "Bonjour", None, ["elu@exemple.fr", "dgs@exemple.fr"])
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        (row,) = deliveries().filter(status="READY")
        assert row.args_kwargs["args"][1] == attempt
        assert row.priority == (10 if attempt == 1 else 0)
        if attempt > 1:
            waits.append(round((row.run_after - row.enqueued_at).total_seconds() / 60))
            assert not deliveries().ready().exists()  # not before its time
            time_passes()
        run_due_deliveries()
    assert waits == [1, 5, 15, 40]  # five attempts over about an hour
    assert sorted(deliveries().values_list("status", flat=True)) == ["FAILED"] + ["SUCCESSFUL"] * (
        MAX_ATTEMPTS - 1
    )
    failed = deliveries().get(status="FAILED")
    assert failed.exception_class_path == "union.mail.EmailNotDelivered"
    reason = "connexion refusée par le serveur d'envoi : vérifiez EMAIL_HOST et EMAIL_PORT"
    assert (
        "E-mail non remis après 5 essais : « Convocation au conseil » pour elu@exemple.fr, "
        f"dgs@exemple.fr. Dernière erreur : {reason}." in failed.traceback
    )

    out = StringIO()
    call_command("check_task_queue", stdout=out)
    report = out.getvalue()
    assert "E-mails non remis sur 7 jours, les plus récents d'abord :" in report
    assert f"« Convocation au conseil » pour elu@exemple.fr, dgs@exemple.fr : {reason}" in report
    assert "1 en échec sur 7 jours" in report

    # The admin's panel counts it and names it to administrators; the superuser's link leads to
    # the French reason. Organisers see the count, not who missed which e-mail.
    superuser = get_user_model().objects.create_superuser("root@union.test", "root@union.test", "x")
    admin = host_client("localhost", superuser)
    home = admin.get("/admin/").content.decode()
    assert "voir les erreurs" in home and "E-mails non remis" in home
    assert "« Convocation au conseil » pour elu@exemple.fr, dgs@exemple.fr" in home
    organiser = get_user_model().objects.create_user("o@union.test", "o@union.test", "x")
    organiser.groups.add(Group.objects.get(name=roles.EVENT_ORGANISER))
    home = host_client("localhost", organiser).get("/admin/").content.decode()
    assert "Envoi des e-mails" in home and "elu@exemple.fr" not in home
    page = admin.get(f"/django-admin/django_tasks_database/dbtaskresult/{failed.pk}/change/")
    assert "Convocation au conseil" in page.content.decode()
    assert "elu@exemple.fr, dgs@exemple.fr" in page.content.decode()


# --- server error reports --------------------------------------------------------------------


def test_a_server_error_report_does_not_wait_in_the_database_it_may_be_about(queue, monkeypatch):
    queue.ADMINS = ["tech@union.test"]

    def broken(*args, **kwargs):
        raise RuntimeError("base injoignable")

    monkeypatch.setattr(connections["default"], "cursor", broken)
    response = Client(HTTP_HOST="localhost", raise_request_exception=False).get("/sante/")
    monkeypatch.undo()
    assert response.status_code == 500
    (report,) = mail.outbox
    assert report.to == ["tech@union.test"] and report.sent_using == "admins"
    assert "base injoignable" in report.body
    assert not deliveries().exists()


# --- settings ----------------------------------------------------------------------------------


def test_development_prints_each_email_on_the_console(
    settings, capsys, django_capture_on_commit_callbacks
):
    settings.MAILERS = base.MAILERS
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Bienvenue", "Votre espace est prêt.", None, ["dev@exemple.fr"])
    printed = capsys.readouterr().out
    assert "Subject: Bienvenue" in printed and "To: dev@exemple.fr" in printed


PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 30 + "-production-secret-key-with-enough-entropy-1234567890",
    "DATABASE_URL": "postgres://u:p@localhost:5432/maillage",
    "PRIVACY_CONTACT_EMAIL": "donnees-personnelles@union.test",
    "PLATFORM_DOMAIN": "udccas.example.fr",
}
EMAIL_VARIABLES = ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_TIMEOUT")


def production_mailers(**env: str) -> tuple[dict | None, str]:
    """MAILERS of union.settings.production under `env`, each mailer built once, in a fresh
    interpreter where any deprecation warning is an error."""
    script = (
        "import json, warnings\n"
        "warnings.simplefilter('error', PendingDeprecationWarning)\n"
        "warnings.simplefilter('error', DeprecationWarning)\n"
        "import django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.mail import mailers\n"
        "[mailers[alias] for alias in settings.MAILERS]\n"
        "print(json.dumps(settings.MAILERS))\n"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in (*PRODUCTION_ENV, *EMAIL_VARIABLES, "DJANGO_SETTINGS_MODULE")
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "union.settings.production",
            **PRODUCTION_ENV,
            **env,
        },
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return None, result.stderr
    return json.loads(result.stdout), result.stderr


def test_production_queues_every_email_and_delivers_through_smtp_without_deprecations():
    mailers, errors = production_mailers(
        EMAIL_HOST="smtp.example.fr", EMAIL_PORT="587", EMAIL_USE_TLS="1", EMAIL_TIMEOUT="3"
    )
    assert mailers is not None, errors
    assert mailers["default"] == {"BACKEND": "union.mail.QueuedEmailBackend"}
    assert mailers["delivery"] == {
        # Django's, noting when a message was wholly sent (test_smtp_after_data_s38).
        "BACKEND": "union.mail.SMTPDeliveryBackend",
        "OPTIONS": {
            "host": "smtp.example.fr",
            "port": 587,
            "username": "",
            "password": "",
            "use_tls": True,
            "timeout": 3,
        },
    }
    assert mailers["admins"]["OPTIONS"] == {**mailers["delivery"]["OPTIONS"], "fail_silently": True}
    defaults, errors = production_mailers()
    assert defaults["delivery"]["OPTIONS"]["timeout"] == 10, errors
    assert (defaults["delivery"]["OPTIONS"]["host"], defaults["delivery"]["OPTIONS"]["port"]) == (
        "localhost",
        25,
    )


def test_email_backend_still_names_the_server_that_delivers():
    console = "django.core.mail.backends.console.EmailBackend"
    mailers, errors = production_mailers(EMAIL_BACKEND=console)
    assert mailers is not None, errors
    assert mailers["default"]["BACKEND"] == "union.mail.QueuedEmailBackend"
    assert mailers["delivery"] == {"BACKEND": console, "OPTIONS": {}}
    mailers, errors = production_mailers(EMAIL_BACKEND="union.mail.QueuedEmailBackend")
    assert mailers is None
    assert "EMAIL_BACKEND nomme le serveur qui remet vraiment les e-mails" in errors


def test_a_message_keeps_one_identifier_under_the_platforms_domain_across_retries(queue, settings):
    """Session 39: Django named the machine (socket.getfqdn) in each Message-ID and wrote a new
    one at each attempt; the identifier is now written once, when the message is queued."""
    settings.PLATFORM_DOMAIN = "udccas-exemple.fr"
    settings.MAILERS = queued_mailers(unreachable_smtp())
    send_mail("Convocation", "Bonjour,\n", None, ["elu@exemple.fr"])
    (row,) = deliveries()
    message_id = payload(row)["headers"]["Message-ID"]
    assert re.fullmatch(r"<[^@<>\s]+@udccas-exemple\.fr>", message_id)
    run_task(row)  # the server refused: a retry is queued

    (retry,) = deliveries().filter(status="READY")
    assert payload(retry)["headers"]["Message-ID"] == message_id
    settings.MAILERS = queued_mailers()
    time_passes()
    run_due_deliveries()
    (sent,) = mail.outbox
    assert sent.message()["Message-ID"] == message_id
    assert socket.getfqdn() not in sent.message()["Message-ID"]

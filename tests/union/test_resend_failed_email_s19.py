"""E-mails that failed for good are sent again once the mail server works (nineteenth session):
the failed message is kept whole FAILED_EMAIL_KEEP_DAYS days; an administrator resends it from
the admin home (« Renvoyer », « Tout renvoyer ») or the sysadmin with
`check_task_queue --resend-failed`, for five new attempts; then only its summary stays.

Production's PostgreSQL queue, the worker's own `run_task`, an SMTP port nothing listens on,
then a working mail server (locmem), as in test_queued_email_s17.
"""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seminars.models import Registration
from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person
from tests.union.test_queued_email_s17 import (
    QUEUE,
    deliveries,
    payload,
    queued_mailers,
    run_due_deliveries,
    run_task,
    time_passes,
    unreachable_smtp,
)
from union import roles
from union.mail import MAX_ATTEMPTS
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

RESEND = "/admin/e-mails/renvoyer/"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF"


@pytest.fixture
def mail_server_down(settings):
    settings.TASKS = QUEUE
    settings.MAILERS = queued_mailers(unreachable_smtp())
    return settings


def mail_server_fixed(settings) -> None:
    settings.MAILERS = queued_mailers()


def fail_all_attempts() -> None:
    """The worker tries each queued e-mail five times, the server down each time."""
    for _attempt in range(MAX_ATTEMPTS):
        time_passes()
        run_due_deliveries()


def failed_rows():
    return deliveries().filter(status="FAILED").order_by("finished_at")


def administrator() -> Client:
    user = get_user_model().objects.create_user("admin@union.test", "admin@union.test", "x")
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(user)
    return client


def admin_home(client: Client) -> str:
    return client.get("/admin/").content.decode()


def post_resend(client: Client, data: dict):
    """Posted as the panel's forms post, with their CSRF token (the cookie's once nothing is left
    to resend: a page left open)."""
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', admin_home(client))
    token = found.group(1) if found else client.cookies["csrftoken"].value
    return client.post(RESEND, {**data, "csrfmiddlewaretoken": token}, follow=True)


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_failed_email_is_resent_as_it_was_written_and_only_once(mail_server_down):
    message = EmailMultiAlternatives(
        subject="Invitation à votre espace",
        body="Bonjour Nina,\n\nChoisissez votre mot de passe : https://bondy.test/lien/abc\n",
        to=["nina@exemple.fr"],
        reply_to=["union@udccas.test"],
    )
    message.attach("guide.pdf", PDF, "application/pdf")
    message.attach_alternative("<p>Bonjour <strong>Nina</strong></p>", "text/html")
    message.send()
    fail_all_attempts()
    (failed,) = failed_rows()
    # The last attempt keeps the message whole (the earlier ones only their summary).
    assert payload(failed)["message"]["body"] == message.body
    for finished in deliveries().filter(status="SUCCESSFUL"):
        assert "lien/abc" not in json.dumps(finished.args_kwargs)

    admin = administrator()
    home = admin_home(admin)
    assert "« Invitation à votre espace » pour nina@exemple.fr" in home
    assert f'name="task" value="{failed.pk}"' in home and ">Renvoyer</button>" in home
    assert "Tout renvoyer (1)" in home
    # POST only, with the CSRF token.
    assert admin.get(RESEND).status_code == 405
    assert admin.post(RESEND, {"task": str(failed.pk)}).status_code == 403
    assert not mail.outbox and deliveries().filter(status="READY").count() == 0

    mail_server_fixed(mail_server_down)
    response = post_resend(admin, {"task": str(failed.pk)})
    assert response.redirect_chain[-1][0] == "/admin/"
    assert page_messages(response) == ["1 e-mail remis en file d'envoi."]
    (fresh,) = deliveries().filter(status="READY")
    assert fresh.args_kwargs["args"][1] == 1 and fresh.priority == 10  # five new attempts
    run_due_deliveries()
    (sent,) = mail.outbox
    assert (sent.subject, sent.to, sent.body, sent.reply_to) == (
        message.subject,
        message.to,
        message.body,
        message.reply_to,
    )
    assert sent.attachments == message.attachments and sent.alternatives == message.alternatives

    # Out of the list; its row keeps the summary only, like any finished task.
    failed.refresh_from_db()
    assert "lien/abc" not in json.dumps(failed.args_kwargs)
    assert payload(failed)["recipients"] == ["nina@exemple.fr"]
    assert "Invitation à votre espace" not in admin_home(admin)
    out = StringIO()
    call_command("check_task_queue", stdout=out)
    assert "Invitation à votre espace" not in out.getvalue()
    assert "0 en échec sur 7 jours" in out.getvalue()  # dealt with: no longer a failure
    (audit,) = AuditEntry.objects.filter(action="email.resent")
    assert audit.details["count"] == 1 and audit.actor.email == "admin@union.test"

    # A second click (the page still open): nothing goes twice.
    response = post_resend(admin, {"task": str(failed.pk)})
    assert page_messages(response) == ["Cet e-mail avait déjà été renvoyé."]
    assert not deliveries().filter(status="READY").exists() and len(mail.outbox) == 1


def test_resend_all_from_the_admin_home_and_from_the_command(mail_server_down):
    for number in (1, 2, 3):
        send_mail(f"Convocation {number}", "Bonjour", None, [f"elu{number}@exemple.fr"])
    fail_all_attempts()
    assert failed_rows().count() == 3
    mail_server_fixed(mail_server_down)

    response = post_resend(administrator(), {"all": "1"})
    assert page_messages(response) == ["3 e-mails remis en file d'envoi."]
    assert post_resend(administrator_again(), {"all": "1"}).status_code == 200
    assert deliveries().filter(status="READY").count() == 3  # not six
    run_due_deliveries()
    assert sorted(sent.to[0] for sent in mail.outbox) == [
        "elu1@exemple.fr",
        "elu2@exemple.fr",
        "elu3@exemple.fr",
    ]

    # The sysadmin, after fixing the server.
    mail_server_down.MAILERS = queued_mailers(unreachable_smtp())
    send_mail("Ordre du jour", "Bonjour", None, ["dgs@exemple.fr"])
    fail_all_attempts()
    out = StringIO()
    call_command("check_task_queue", stdout=out)
    assert "« Ordre du jour » pour dgs@exemple.fr" in out.getvalue()
    assert "`check_task_queue --resend-failed` les renvoie" in out.getvalue()
    mail_server_fixed(mail_server_down)
    out = StringIO()
    call_command("check_task_queue", "--resend-failed", stdout=out)
    assert "1 e-mail remis en file d'envoi." in out.getvalue()
    assert "E-mails non remis" not in out.getvalue()
    assert "1 tâche(s) en attente" in out.getvalue()
    run_due_deliveries()
    assert mail.outbox[-1].subject == "Ordre du jour"
    out = StringIO()
    call_command("check_task_queue", "--resend-failed", stdout=out)
    assert "Aucun e-mail non remis à renvoyer." in out.getvalue()


def administrator_again() -> Client:
    """The same administrator in another tab."""
    user = get_user_model().objects.get(email="admin@union.test")
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_the_copy_is_kept_a_week_then_only_the_summary(mail_server_down):
    send_mail("Mot de passe oublié", "Lien : https://portail.test/reset/xyz", None, ["c@ex.fr"])
    fail_all_attempts()
    (failed,) = failed_rows()

    def failed_days_ago(days: float) -> None:
        failed_rows().update(finished_at=timezone.now() - timedelta(days=days))

    failed_days_ago(6.9)
    call_command("check_task_queue", stdout=StringIO())
    failed.refresh_from_db()
    assert "reset/xyz" in json.dumps(failed.args_kwargs)  # still resendable

    failed_days_ago(7.01)
    call_command("check_task_queue", stdout=StringIO())  # cron's every 5 minutes
    failed.refresh_from_db()
    assert "reset/xyz" not in json.dumps(failed.args_kwargs)
    assert payload(failed)["subject"] == "Mot de passe oublié"
    assert payload(failed)["recipients"] == ["c@ex.fr"]


def test_past_the_keeping_period_the_button_gives_way_to_a_french_explanation(
    mail_server_down,
):
    mail_server_down.FAILED_EMAIL_KEEP_DAYS = 2  # within the panel's 7 days
    send_mail("Accès accordé", "Bonjour", None, ["ancien@exemple.fr"])
    fail_all_attempts()
    (failed,) = failed_rows()
    failed_rows().update(finished_at=timezone.now() - timedelta(days=3))
    mail_server_fixed(mail_server_down)
    admin = administrator()
    home = admin_home(admin)
    assert "« Accès accordé » pour ancien@exemple.fr" in home
    assert (
        "Renvoi impossible : le message n&#x27;est gardé que 2 jours après son échec "
        "(FAILED_EMAIL_KEEP_DAYS) ; refaites l&#x27;action qui l&#x27;envoyait" in home
    )
    assert ">Renvoyer</button>" not in home and "Tout renvoyer" not in home
    # Posted anyway (a page left open): refused, in French, nothing queued.
    response = post_resend(admin, {"task": str(failed.pk)})
    (text,) = page_messages(response)
    assert text.startswith("Non renvoyé : « Accès accordé » pour ancien@exemple.fr : le message")
    assert not deliveries().filter(status="READY").exists()


def test_only_administrators_resend(mail_server_down):
    send_mail("Convocation", "Bonjour", None, ["elu@exemple.fr"])
    fail_all_attempts()
    (failed,) = failed_rows()
    mail_server_fixed(mail_server_down)
    organiser = get_user_model().objects.create_user("o@union.test", "o@union.test", "x")
    organiser.groups.add(Group.objects.get(name=roles.EVENT_ORGANISER))
    client = Client(HTTP_HOST="localhost")
    client.force_login(organiser)
    home = client.get("/admin/").content.decode()
    assert "Envoi des e-mails" in home and "Renvoyer" not in home
    assert client.post(RESEND, {"task": str(failed.pk)}).status_code == 403
    assert client.post(RESEND, {"all": "1"}).status_code == 403
    anonymous = Client(HTTP_HOST="localhost").post(RESEND, {"all": "1"})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert not deliveries().filter(status="READY").exists()
    failed.refresh_from_db()
    assert "resent_at" not in payload(failed) and payload(failed)["message"]["body"] == "Bonjour"


def test_an_account_deleted_meanwhile_is_not_written_to_again(mail_server_down):
    nina = get_user_model().objects.create_user("nina@exemple.fr", "nina@exemple.fr", "x")
    send_mail("Choisissez votre mot de passe", "Lien", None, ["Nina@Exemple.fr"])
    fail_all_attempts()
    nina.delete()
    mail_server_fixed(mail_server_down)
    response = post_resend(administrator(), {"all": "1"})
    assert page_messages(response) == [
        "Non renvoyé : « Choisissez votre mot de passe » pour Nina@Exemple.fr : le compte de "
        "nina@exemple.fr a été supprimé ou a changé d'adresse depuis"
    ]
    assert not deliveries().filter(status="READY").exists()
    # Refused for good: its body goes now, the explanation stays in the list.
    (failed,) = failed_rows()
    assert "message" not in payload(failed)
    assert "le compte de nina@exemple.fr a été supprimé" in admin_home(administrator_again())


# --- seminars' own e-mail tasks ----------------------------------------------------------------


def registration_task(registration: Registration) -> DBTaskResult:
    return DBTaskResult.objects.get(
        task_path="seminars.tasks.send_registration_email",
        args_kwargs__args__0=registration.pk,
    )


def test_a_seminar_confirmation_lost_to_the_mail_server_is_resent(mail_server_down):
    seminar = make_seminar("Atelier accès aux droits", seats=5)
    kept, _created = register_person(seminar, person(1))
    anonymised, _created = register_person(seminar, person(2))
    # The seminar's task delivers directly: refused, its message goes to the same retries,
    # noting which task and registration it came from.
    for registration in (kept, anonymised):
        assert run_task(registration_task(registration)).status == "SUCCESSFUL"
    assert {payload(row)["origin"]["args"][0] for row in deliveries()} == {
        kept.pk,
        anonymised.pk,
    }
    fail_all_attempts()
    assert failed_rows().count() == 2
    subject = payload(failed_rows().first())["subject"]
    # Listed with the same French wording as any other e-mail.
    out = StringIO()
    call_command("check_task_queue", stdout=out)
    for address in ("personne1@exemple.fr", "personne2@exemple.fr"):
        assert f"« {subject} » pour {address}" in out.getvalue()
    assert f"E-mail non remis après {MAX_ATTEMPTS} essais : « {subject} »" in (
        failed_rows().first().traceback
    )

    # Meanwhile the retention period anonymised the second registration.
    Registration.objects.filter(pk=anonymised.pk).update(
        email="", nom="(anonymisé)", anonymised_at=timezone.now()
    )
    mail_server_fixed(mail_server_down)
    response = post_resend(administrator(), {"all": "1"})
    assert page_messages(response) == [
        "1 e-mail remis en file d'envoi.",
        f"Non renvoyé : « {subject} » pour personne2@exemple.fr : l'inscription a été "
        "anonymisée depuis (fin de la durée de conservation)",
    ]
    run_due_deliveries()
    (sent,) = mail.outbox
    assert sent.to == ["personne1@exemple.fr"] and sent.subject == subject
    assert sent.attachments[0].filename == f"{seminar.slug}.ics"
    assert "Atelier accès aux droits" in sent.attachments[0].content
    # The anonymised person's message is gone from the queue's table too.
    assert "personne2" not in json.dumps(
        [row.args_kwargs["args"][0].get("message") for row in failed_rows()]
    )


@pytest.mark.django_db
def test_the_privacy_page_says_how_long_a_failed_email_is_kept(client, settings):
    settings.FAILED_EMAIL_KEEP_DAYS = 3
    page = client.get("/donnees-personnelles/").content.decode()
    assert '<h2 id="e-mails">E-mails envoyés par la plateforme</h2>' in page
    assert "n'a pas pu remettre est gardé en entier 3 jours" in page

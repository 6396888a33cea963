"""Audit A26 #2 (session 38): EMAIL_TIMEOUT also bounds the wait for the server's answer after
the whole message was sent. A server that scans the content answers late yet delivers: the
message is « probablement remis », never retried (union.mail.SMTPDeliveryBackend); a server that
refuses before the data (« 451 ») is retried as before.

A tiny real SMTP server in a thread, on 127.0.0.1, and production's PostgreSQL queue.
"""

import logging
import socketserver
import threading
import time

import pytest
from django.core.mail import send_mail
from django_tasks_db.models import DBTaskResult

from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person
from tests.union.test_queued_email_s17 import (
    QUEUE,
    deliveries,
    production_mailers,
    queued_mailers,
    run_due_deliveries,
    run_task,
)

pytestmark = pytest.mark.django_db

BACKEND = "union.mail.SMTPDeliveryBackend"
TIMEOUT = 1  # seconds, the mailer's EMAIL_TIMEOUT


class TinySMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, answer_after_data: float = 0, refuse_mail: bool = False):
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.answer_after_data = answer_after_data
        self.refuse_mail = refuse_mail
        self.received: list[bytes] = []


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self):
        server = self.server
        self.reply("220 petit.serveur ESMTP")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 petit.serveur")
            elif command.startswith("MAIL"):
                self.reply("451 4.7.1 Essayez plus tard" if server.refuse_mail else "250 OK")
            elif command.startswith("RCPT"):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 Envoyez")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    data += chunk
                server.received.append(data)
                # Scanning the content: the answer comes after the client stopped waiting.
                time.sleep(server.answer_after_data)
                try:
                    self.reply("250 2.0.0 Accepté")
                except OSError:
                    return
            elif command == "QUIT":
                self.reply("221 Au revoir")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_server(settings):
    servers = []

    def start(**behaviour) -> TinySMTPServer:
        server = TinySMTPServer(**behaviour)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        settings.TASKS = QUEUE
        settings.MAILERS = queued_mailers(
            {
                "BACKEND": BACKEND,
                "OPTIONS": {
                    "host": "127.0.0.1",
                    "port": server.server_address[1],
                    "timeout": TIMEOUT,
                },
            }
        )
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_late_answer_after_the_whole_message_is_not_retried(smtp_server, caplog):
    server = smtp_server(answer_after_data=TIMEOUT + 1.5)
    send_mail("Réinitialisation du mot de passe", "Bonjour", None, ["elu@exemple.fr"])
    with caplog.at_level(logging.WARNING, logger="union.mail"):
        (row,) = run_due_deliveries()
    assert row.status == "SUCCESSFUL"
    assert row.return_value["delivered"] is True and row.return_value["confirmed"] is False
    assert len(server.received) == 1
    assert b"Subject: =?utf-8?" in server.received[0]
    # No second attempt waits: the person gets it once.
    assert not deliveries().filter(status="READY").exists()
    (warning,) = [record for record in caplog.records if "probablement remis" in record.message]
    assert "Réinitialisation du mot de passe" in warning.message
    assert "elu@exemple.fr" in warning.message


def test_a_task_delivering_directly_does_not_queue_a_second_copy_either(smtp_server):
    server = smtp_server(answer_after_data=TIMEOUT + 1.5)
    register_person(make_seminar("Séminaire lent", seats=5), person(1))
    (task_row,) = DBTaskResult.objects.filter(task_path="seminars.tasks.send_registration_email")
    assert run_task(task_row).status == "SUCCESSFUL"
    assert len(server.received) == 1
    assert not deliveries().exists()


def test_a_refusal_before_the_data_is_retried_as_before(smtp_server):
    server = smtp_server(refuse_mail=True)
    send_mail("Convocation", "Bonjour", None, ["elu@exemple.fr"])
    (row,) = run_due_deliveries()
    assert row.status == "SUCCESSFUL" and row.return_value["delivered"] is False
    assert "451" in row.return_value["error"]
    (retry,) = deliveries().filter(status="READY")
    assert retry.args_kwargs["args"][1] == 2
    assert server.received == []


def test_production_delivers_through_it():
    mailers, errors = production_mailers(EMAIL_HOST="smtp.example.fr", EMAIL_USE_SSL="1")
    assert mailers is not None, errors
    assert mailers["delivery"]["BACKEND"] == BACKEND
    assert mailers["delivery"]["OPTIONS"]["use_ssl"] is True
    assert mailers["admins"]["BACKEND"] == BACKEND
    assert mailers["admins"]["OPTIONS"]["fail_silently"] is True

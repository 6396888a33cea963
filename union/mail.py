"""Every e-mail leaves through the task queue: the platform's default mailer only queues.

`MAILERS["default"]` is `QueuedEmailBackend`: whatever sends an e-mail (our services, Django's
password reset, Wagtail's moderation notices, `send_mail`, `EmailMessage.send()`) has it turned
into JSON task arguments and queued as `deliver_email`, in the caller's transaction; the worker
(`manage.py db_worker`) rebuilds the message and hands it to `MAILERS["delivery"]`, the real
mail server (SMTP in production, the console in development). So a mail server that is down or
slow no longer turns an invitation into a 500 nor loses a password reset: the request only
writes a row, and the worker tries again, later and later (`RETRY_DELAYS`), then fails visibly
(`check_task_queue`, the admin's « Envoi des e-mails » panel) with the subject and recipients.
The failed message itself is kept `FAILED_EMAIL_KEEP_DAYS` (7) days, for an administrator to
send it again once the mail server works (`resend_failed_emails`: « Renvoyer » on that panel,
`check_task_queue --resend-failed`), then only its subject and recipients.

Queued with the transaction (`union.task_queue.enqueue_with_transaction`): with the PostgreSQL
queue the row is part of the caller's transaction, so a rolled-back write sends nothing and a
committed one cannot lose its e-mail; with the immediate backend (development, tests), which
would run the task at once even inside `atomic()`, delivery waits for the commit.

Tasks that send one e-mail (a confirmation, a reminder, the inactivity warning) are themselves
the queue: they are marked `@delivering_directly()`, so their message goes straight to the
delivery mailer instead of through the queue a second time; only a message the mail server
refuses there is queued, for the same retries (and the same failure, resendable), noting which
task sent it: a task can say when a copy of its message is no longer to be resent
(`still_wanted`: the registration was anonymised since). A flag set by the task rather than a
different mailer in each sender (`send(using="delivery")`) keeps the senders unaware of where
they run: the same `seminars.emails` function is right in a task and in a test; a task someone
forgets to mark still delivers its e-mails, one queue hop later.

Tasks that write to many people (« Écrire aux inscrits », « Écrire aux membres », the board's
convocation) are marked `@queueing_each_message()` instead: each message is queued as its own
`deliver_email`, all in one transaction with the task's own row marked done (audit A26). Delivered
one by one in the task, 60 messages to a slow server took minutes, and a worker killed meanwhile
(a restart, the OOM killer) had sent 15, left the task RUNNING for ever and the 45 others unsent,
while sending again doubled the 15. Now the task lasts seconds; killed before its commit it
queued nothing and is run again (`check_task_queue --requeue-stalled`, union.task_queue), after
it each message has its own row, retries and « Renvoyer ».

A message whose every byte reached the SMTP server but whose final answer did not come in time
(EMAIL_TIMEOUT, or the connection dropped) is « probablement remis », not retried: servers that
scan the content answer late yet deliver, and a retry sent a password reset twice
(`SMTPDeliveryBackend`, RFC 1047).

Server error reports to ADMINS do not come here: they use `MAILERS["admins"]` (Django's logging
handler, union.settings), delivered at once and silently dropped if the server is down, as
before, because a report about a database outage cannot wait in that database.
"""

from __future__ import annotations

import functools
import logging
import re
import smtplib
import unicodedata
from base64 import b64decode, b64encode
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.header import Header
from email.message import MIMEPart
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid, parseaddr
from importlib import import_module

from django.conf import settings
from django.core.mail import (
    EmailAlternative,
    EmailAttachment,
    EmailMessage,
    EmailMultiAlternatives,
    mailers,
)
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPEmailBackend
from django.db import transaction
from django.dispatch import receiver
from django.tasks import TaskContext, TaskResultStatus, task
from django.tasks.signals import task_finished, task_started
from django.template.loader import render_to_string
from django.utils import timezone

from union.formats import french_time
from union.task_queue import enqueue_with_transaction, uses_database_queue

logger = logging.getLogger(__name__)

DELIVERY_MAILER = "delivery"
# Five attempts over about an hour: the first at once, then after each failure these waits.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=40),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# Someone waits for a password reset or an invitation: ahead of the search-index updates and
# the reminders (default priority 0). A retry goes back among the others.
FIRST_ATTEMPT_PRIORITY = 10
RETRY_PRIORITY = 0
# An organiser's 200 messages queued at once go behind a password reset someone waits for.
BULK_PRIORITY = 0
TASK_PATH = "union.mail.deliver_email"


class EmailNotDelivered(Exception):
    """The last attempt failed: the task fails with this French message (subject, recipients,
    the mail server's answer), shown by check_task_queue and in the failed tasks' list."""


class MessageProbablyDelivered(smtplib.SMTPServerDisconnected):
    """The whole message was sent, its final dot included, then the server's answer did not come
    (timeout) or the connection dropped: the server has it and most likely delivers it (RFC 1047),
    so it is not tried again. An SMTPException, so that a `fail_silently` mailer (the server
    error reports) still swallows it."""


# --- the mailer the platform sends with ---------------------------------------------------


class QueuedEmailBackend(BaseEmailBackend):
    """`MAILERS["default"]`: queues each message for `deliver_email`, or delivers it at once
    inside a task marked `@delivering_directly()`."""

    def __init__(self, fail_silently=False, **kwargs):
        # Wagtail's notifications call get_connection(username=..., password=...): Django passes
        # those on with _ignore_unknown_kwargs, which the base class drops.
        super().__init__(**kwargs)
        self.fail_silently = fail_silently

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                direct = _direct_delivery.get()
                if direct is None or direct.queue_each:
                    # A header with a line break (or a broken attachment) fails here, in the
                    # sender, rather than in the worker an instant later where nobody sees it.
                    message.message()
                if direct is not None:
                    direct.deliver(serialize_message(message))
                else:
                    queue_delivery(serialize_message(message))
            except Exception:
                if not self.fail_silently:
                    raise
                logger.exception("E-mail « %s » non mis en file d'envoi", message.subject)
                continue
            sent += 1
        return sent


def queue_delivery(
    payload: dict, attempt: int = 1, run_after: datetime | None = None, *, bulk: bool = False
) -> None:
    """Queue `deliver_email` for `payload`, with the caller's transaction; `bulk`: one of many
    messages, behind the ones someone waits for (BULK_PRIORITY)."""
    priority = FIRST_ATTEMPT_PRIORITY if attempt == 1 and run_after is None else RETRY_PRIORITY
    if bulk:
        priority = BULK_PRIORITY
    enqueue_with_transaction(
        deliver_email.using(priority=priority), payload, attempt, run_after=run_after
    )


# --- inside a task: deliver at once ----------------------------------------------------------


@dataclass
class _DirectDelivery:
    server_failed: bool = False
    # The task that sends (`{"task": path, "args": [...], "kwargs": {...}}`), noted on a message
    # it has to queue: a resend asks that task's `still_wanted` check first.
    origin: dict = field(default_factory=dict)
    # `@queueing_each_message()`: every message to the queue, none delivered here.
    queue_each: bool = False

    def deliver(self, payload: dict) -> None:
        """At once; on a mail server failure, into the queue for the retries. After one
        failure, the task's next messages go to the queue without trying: an organiser's
        message to 200 people would otherwise wait EMAIL_TIMEOUT 200 times."""
        if self.queue_each:
            queue_delivery({**payload, "origin": self.origin}, bulk=True)
            return
        attempts_made = 0
        if not self.server_failed:
            try:
                deliver_payload(payload)
                return
            except MessageProbablyDelivered as error:
                _log_probably_delivered(payload, error)
                return
            except OSError as error:  # smtplib's errors are OSErrors
                self.server_failed = True
                if not uses_database_queue():
                    raise  # nowhere to wait (tasks run at once): the task fails, as it did
                attempts_made = 1
                logger.warning(
                    "E-mail « %s » à %s non remis, remis en file : %s",
                    payload["subject"],
                    ", ".join(recipients_of(payload)),
                    describe_error(error),
                )
        if self.origin:
            payload = {**payload, "origin": self.origin}
        queue_delivery(payload, attempts_made + 1, run_after=timezone.now() + RETRY_DELAYS[0])


_direct_delivery: ContextVar[_DirectDelivery | None] = ContextVar(
    "maillage_direct_delivery", default=None
)

# Task path -> `still_wanted(*task_args, recipients=[...], **task_kwargs)`: why a copy of that
# task's message must not be resent any more, in French, or "" (see `delivering_directly`).
STILL_WANTED_CHECKS: dict[str, Callable[..., str]] = {}


def delivering_directly(still_wanted: Callable[..., str] | None = None):
    """For a task that sends one e-mail (`@task` then `@delivering_directly()`): it already runs
    in the worker, so its message is delivered now rather than queued a second time; the
    synchronous attempt is the point (a confirmation leaves within seconds).

    `still_wanted`, called with the task's own arguments and `recipients` (lower-case
    addresses) before a failed message of this task is resent, answers why it must not be (the
    registration was anonymised since), in French, or "" to resend it."""
    return _sending_from_task(still_wanted, queue_each=False)


def queueing_each_message(still_wanted: Callable[..., str] | None = None):
    """For a task that writes to many people (`@task` then `@queueing_each_message()`): each
    message is queued as its own `deliver_email` (its retries, « Renvoyer », `still_wanted` as
    for `delivering_directly`), the whole task in one transaction that also marks its row done.
    Killed before the commit, it queued nothing and can run again; after it, nothing is left
    to run again: no one gets the message twice, no one misses it."""
    return _sending_from_task(still_wanted, queue_each=True)


def _sending_from_task(still_wanted: Callable[..., str] | None, *, queue_each: bool):
    def decorate(function):
        path = f"{function.__module__}.{function.__qualname__}"
        if still_wanted is not None:
            STILL_WANTED_CHECKS[path] = still_wanted

        @functools.wraps(function)
        def run(*args, **kwargs):
            # The arguments only for a task that checks them: an organiser's message to 200
            # people would otherwise carry their 200 ids in each queued copy for nothing.
            origin = {"task": path}
            if still_wanted is not None:
                origin.update(args=list(args), kwargs=kwargs)
            token = _direct_delivery.set(_DirectDelivery(origin=origin, queue_each=queue_each))
            try:
                if not queue_each:
                    return function(*args, **kwargs)
                with transaction.atomic():
                    result = function(*args, **kwargs)
                    _mark_done(path, result)
                    return result
            finally:
                _direct_delivery.reset(token)

        return run

    return decorate


# The id of the task the worker runs now (django.tasks' `task_started` signal), for a
# `queueing_each_message` task to mark its own row done in its transaction. A signal rather than
# `takes_context`: the tasks keep their signature (`.call(ids, subject, body)`).
_running_task_id: ContextVar[str | None] = ContextVar("maillage_running_task", default=None)


@receiver(task_started)
def _note_running_task(sender, task_result, **kwargs):
    _running_task_id.set(str(task_result.id))


@receiver(task_finished)
def _forget_running_task(sender, task_result, **kwargs):
    _running_task_id.set(None)


def _mark_done(path: str, result) -> None:
    """The task's row SUCCESSFUL with its messages, in their commit: a worker killed between
    that commit and its own update (`set_successful`, which then only repeats this) would leave
    it RUNNING, and `--requeue-stalled` would send every message again."""
    task_id = _running_task_id.get()
    if task_id is None or not uses_database_queue():
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, task_path=path, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now(), return_value=result
    )


# --- the worker's side -----------------------------------------------------------------------


@task(priority=FIRST_ATTEMPT_PRIORITY, takes_context=True)
def deliver_email(context: TaskContext, message: dict, attempt: int = 1) -> dict:
    """Hand a queued message to the delivery mailer; on a mail server failure, queue the next
    attempt (`RETRY_DELAYS`), after the last one fail with the subject and recipients."""
    summary = {
        "attempt": attempt,
        "subject": message["subject"],
        "recipients": recipients_of(message),
    }
    try:
        deliver_payload(message)
    except MessageProbablyDelivered as error:
        # Never retried: the server has the whole message (see MessageProbablyDelivered).
        _log_probably_delivered(message, error)
        _keep_only_summary(context, summary)
        return {**summary, "delivered": True, "confirmed": False}
    except OSError as error:  # smtplib's errors are OSErrors
        reason = describe_error(error)
        if attempt >= MAX_ATTEMPTS or not uses_database_queue():
            _keep_for_resending(context, summary, message)
            raise EmailNotDelivered(
                f"E-mail non remis après {attempt} essai{'s' if attempt > 1 else ''} : "
                f"« {message['subject']} » pour {', '.join(recipients_of(message))}. "
                f"Dernière erreur : {reason}."
            ) from error
        retry_at = timezone.now() + RETRY_DELAYS[attempt - 1]
        queue_delivery(message, attempt + 1, run_after=retry_at)
        logger.warning(
            "E-mail « %s » à %s non remis (essai %d sur %d) : %s. Nouvel essai à %s.",
            message["subject"],
            ", ".join(recipients_of(message)),
            attempt,
            MAX_ATTEMPTS,
            reason,
            french_time(timezone.localtime(retry_at)),  # « 14 h 05 »: read by the admin
        )
        _keep_only_summary(context, summary)
        return {**summary, "delivered": False, "error": reason, "retry_at": retry_at.isoformat()}
    _keep_only_summary(context, summary)
    return {**summary, "delivered": True}


def deliver_payload(payload: dict) -> None:
    with mailers[DELIVERY_MAILER] as connection:
        connection.send_messages([rebuild_message(payload)])


def _log_probably_delivered(payload: dict, error: Exception) -> None:
    logger.warning(
        "E-mail «\u00a0%s\u00a0» à %s probablement remis, non renvoyé\u00a0: le serveur "
        "d'envoi a reçu tout le message mais sa réponse n'est pas venue (%s, EMAIL_TIMEOUT).",
        payload["subject"],
        ", ".join(recipients_of(payload)),
        error,
    )


# --- SMTP: was the message handed over? ----------------------------------------------------


class _NotingHandOver:
    """smtplib's SMTP noting, during DATA, when the message's last bytes (the final dot) were
    sent: a timeout or a dropped connection after it, while waiting for the server's answer,
    raises MessageProbablyDelivered; before it (refused, a 4xx/5xx answer, the connection lost
    while sending) the usual errors, which are retried."""

    _sending_data = False
    message_handed_over = False

    def data(self, msg):
        self._sending_data, self.message_handed_over = True, False
        try:
            return super().data(msg)
        except smtplib.SMTPServerDisconnected as error:  # getreply's timeout and EOF alike
            if self.message_handed_over:
                raise MessageProbablyDelivered(str(error)) from error
            raise
        finally:
            self._sending_data = False

    def send(self, s):
        super().send(s)
        # The message goes as bytes ending with CRLF . CRLF; the commands go as str.
        if self._sending_data and isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.message_handed_over = True


class _SMTP(_NotingHandOver, smtplib.SMTP):
    pass


class _SMTP_SSL(_NotingHandOver, smtplib.SMTP_SSL):  # noqa: N801 (smtplib's name)
    pass


class SMTPDeliveryBackend(SMTPEmailBackend):
    """Django's SMTP backend (production's `MAILERS["delivery"]`), its connection noting when a
    message was handed over (`_NotingHandOver`): EMAIL_TIMEOUT bounds each wait, that for the
    answer after the data too, and a late answer no longer makes a second copy."""

    @property
    def connection_class(self):
        return _SMTP_SSL if self.use_ssl else _SMTP


def _keep_only_summary(context: TaskContext, summary: dict) -> None:
    """Once its attempt is over, the task's row keeps the subject and recipients, not the body:
    finished tasks stay 30 days (prune_db_task_results), and a body may hold a password link.
    The next attempt, if any, has its own copy."""
    row = getattr(context.task_result, "db_result", None)  # None with the immediate backend
    if row is not None:
        type(row).objects.filter(pk=row.pk).update(args_kwargs={"args": [summary], "kwargs": {}})


def _keep_for_resending(context: TaskContext, summary: dict, message: dict) -> None:
    """After the last attempt, the row keeps the whole message too, body included, for an
    administrator to resend it once the mail server works (`resend_failed_emails`), for
    FAILED_EMAIL_KEEP_DAYS days (`drop_expired_copies`), and which recipients had an account:
    an account deleted meanwhile is not written to again."""
    row = getattr(context.task_result, "db_result", None)
    if row is not None:
        kept = {**summary, "message": message, "accounts": _accounts_of(recipients_of(message))}
        type(row).objects.filter(pk=row.pk).update(args_kwargs={"args": [kept], "kwargs": {}})


# --- a subject every mail client reads back ------------------------------------------------


class EncodedSubject:
    """Writes a non-ASCII subject as RFC 2047 encoded words, folded by `email.header.Header`.

    The standard library's own folding (policy.default, policy.SMTP: CPython gh-144156, fixed
    in 2026, not in our 3.13) could glue two encoded words together (`…?==?utf-8?q?…`), which
    strict clients show raw, and drop or double a space where it folded: « Inscription
    confirmée : Atelier début de  mandat ». Header encodes the whole subject, the no-break
    spaces included, in words that fold only between them, where a reader ignores the
    whitespace: it parses back to exactly the text written, at any length. An ASCII subject
    goes through Header too (not encoded): the library's folding could start it with a space."""

    def message(self, *, policy=policy.default):
        msg = super().message(policy=policy)
        subject = str(self.subject)
        folded = Header(
            subject,
            "us-ascii" if subject.isascii() else "utf-8",
            maxlinelen=policy.max_line_length or 78,
            header_name="Subject",
        ).encode()
        del msg["Subject"]
        msg.set_raw("Subject", folded)  # as folded: the policy would fold it again
        return msg


class _Message(EncodedSubject, EmailMessage):
    pass


class _MessageWithAlternatives(EncodedSubject, EmailMultiAlternatives):
    pass


# --- an HTML e-mail with its images inside ---------------------------------------------------


@dataclass(frozen=True)
class InlineImage:
    content_id: str  # without the angle brackets: the HTML says <img src="cid:{content_id}">
    content: bytes
    mimetype: str = "image/png"
    filename: str = ""


class EmailWithInlineImages(EncodedSubject, EmailMultiAlternatives):
    """An HTML e-mail whose images go in a multipart/related with the HTML alternative (RFC
    2387), where mail clients look for `cid:` images: as plain attachments beside the
    alternatives, several clients list them as attachments or do not show them at all. Django
    has no API for related parts; this is the only addition to its message."""

    def __init__(self, *args, inline_images: list[InlineImage] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_images = list(inline_images or [])

    def _add_bodies(self, msg):
        super()._add_bodies(msg)
        html = msg.get_body(preferencelist=("html",)) if self.inline_images else None
        for image in self.inline_images if html is not None else []:
            maintype, subtype = image.mimetype.split("/", 1)
            # The HTML part becomes multipart/related: the HTML first, then its images.
            html.add_related(
                image.content,
                maintype=maintype,
                subtype=subtype,
                cid=f"<{image.content_id}>",
                disposition="inline",
                filename=image.filename or None,
            )
        return msg


# --- a message as JSON and back --------------------------------------------------------------


def serialize_message(message: EmailMessage) -> dict:
    """A message as JSON-able task arguments: addresses, headers, bodies, attachments (bytes in
    base64, MIME parts whole), HTML alternatives and their inline images. Rebuilt as an
    EmailMessage, an EmailMultiAlternatives or an EmailWithInlineImages: another subclass's own
    behaviour would not survive (the platform has none)."""
    headers = {str(name): str(value) for name, value in message.extra_headers.items()}
    given = {name.lower() for name in headers}  # a header's name is read in any case
    if "date" not in given:
        # The moment it was written, not the moment a retry got it through.
        zone = timezone.get_current_timezone() if settings.EMAIL_USE_LOCALTIME else UTC
        headers["Date"] = format_datetime(datetime.now(zone))
    if "message-id" not in given:
        # Django's would name this machine (socket.getfqdn: an internal host name) and change at
        # each retry; written once here, under the platform's domain, a retry of a message that
        # was in fact delivered (« probablement remis ») carries the same identifier, which mail
        # programs use to show it once.
        headers["Message-ID"] = make_msgid(domain=settings.PLATFORM_DOMAIN)
    return {
        "alternatives_class": isinstance(message, EmailMultiAlternatives),
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "headers": headers,
        "content_subtype": message.content_subtype,
        "encoding": str(message.encoding) if message.encoding else None,
        "attachments": [_attachment_data(item) for item in message.attachments],
        "alternatives": [
            {"mimetype": alternative.mimetype, **_content_data(alternative.content)}
            for alternative in getattr(message, "alternatives", [])
        ],
        "inline_images": [
            {
                "content_id": image.content_id,
                "mimetype": image.mimetype,
                "filename": image.filename,
                **_content_data(image.content),
            }
            for image in getattr(message, "inline_images", [])
        ],
    }


def rebuild_message(data: dict) -> EmailMessage:
    """The message `serialize_message` described, attachments as they were attached."""
    cls = _MessageWithAlternatives if data["alternatives_class"] else _Message
    if data.get("inline_images"):  # absent from the rows queued before it existed
        cls = EmailWithInlineImages
    message = cls(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data["content_subtype"]
    if data["encoding"]:
        message.encoding = data["encoding"]
    # Appended as stored, not through attach(): attach() already normalised them once (a text
    # file's bytes decoded, the type guessed), so the same values give the same message.
    for item in data["attachments"]:
        if "mime" in item:
            message.attachments.append(_parse_part(b64decode(item["mime"])))
        else:
            filename = item["filename"]
            message.attachments.append(
                EmailAttachment(
                    tuple(filename) if isinstance(filename, list) else filename,
                    _content_from(item),
                    item["mimetype"],
                )
            )
    if data["alternatives"]:
        message.alternatives = [
            EmailAlternative(_content_from(item), item["mimetype"]) for item in data["alternatives"]
        ]
    if data.get("inline_images"):
        message.inline_images = [
            InlineImage(item["content_id"], _content_from(item), item["mimetype"], item["filename"])
            for item in data["inline_images"]
        ]
    return message


def _content_data(content) -> dict:
    if isinstance(content, bytes):
        return {"base64": b64encode(content).decode("ascii")}
    if hasattr(content, "as_bytes"):  # a message/rfc822 attachment given as a message
        return {"base64": b64encode(content.as_bytes()).decode("ascii")}
    return {"text": str(content)}


def _content_from(item: dict) -> str | bytes:
    return b64decode(item["base64"]) if "base64" in item else item["text"]


def _attachment_data(attachment) -> dict:
    if isinstance(attachment, EmailAttachment):
        return {
            "filename": attachment.filename,
            "mimetype": attachment.mimetype,
            **_content_data(attachment.content),
        }
    # A MIME part attached whole (seminars' cancellation, with its `method=CANCEL`): its headers
    # and body as bytes.
    return {"mime": b64encode(attachment.as_bytes(policy=policy.default)).decode("ascii")}


def _parse_part(raw: bytes) -> MIMEPart:
    return BytesParser(_class=MIMEPart, policy=policy.default).parsebytes(raw)


def recipients_of(payload: dict) -> list[str]:
    return [*payload.get("to", []), *payload.get("cc", []), *payload.get("bcc", [])]


def describe_error(error: OSError) -> str:
    """The mail server's failure in French, with the setting to look at."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(
            f"{address} ({code} {_text(answer)})"
            for address, (code, answer) in error.recipients.items()
        )
        return f"destinataire refusé par le serveur d'envoi : {refused}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (
            f"identifiants refusés par le serveur d'envoi ({error.smtp_code} "
            f"{_text(error.smtp_error)}) : vérifiez EMAIL_HOST_USER et EMAIL_HOST_PASSWORD"
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"le serveur d'envoi a répondu {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPException):
        return f"échange interrompu avec le serveur d'envoi ({error})"
    if isinstance(error, TimeoutError):
        return "le serveur d'envoi n'a pas répondu à temps (EMAIL_TIMEOUT)"
    if isinstance(error, ConnectionRefusedError):
        return "connexion refusée par le serveur d'envoi : vérifiez EMAIL_HOST et EMAIL_PORT"
    return f"serveur d'envoi injoignable ({error})"


def _text(answer) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)


# --- what staff and monitoring see -----------------------------------------------------------


@dataclass(frozen=True)
class FailedEmail:
    failed_at: datetime
    subject: str
    recipients: list[str]
    reason: str
    task_id: str = ""
    # Until when « Renvoyer » can send it again; None: it cannot, `not_resendable` says why.
    resendable_until: datetime | None = None
    not_resendable: str = ""

    def __str__(self) -> str:
        # « 02/12/2026 à 14 h 05 »: the line check_task_queue's cron e-mail shows a person.
        local = timezone.localtime(self.failed_at)
        moment = f"{local:%d/%m/%Y} à {french_time(local)}"
        return f"{moment} « {self.subject} » pour {', '.join(self.recipients)} : {self.reason}"

    @property
    def label(self) -> str:
        return f"« {self.subject} » pour {', '.join(self.recipients)}"


def failed_email_kept() -> timedelta:
    """How long a failed e-mail is kept whole for a resend (FAILED_EMAIL_KEEP_DAYS)."""
    return timedelta(days=settings.FAILED_EMAIL_KEEP_DAYS)


def _failed_deliveries():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.FAILED)


def _not_resent(rows):
    return rows.exclude(args_kwargs__args__0__has_key="resent_at")


def read_failed_emails(since: datetime, limit: int = 20) -> list[FailedEmail]:
    """The e-mails whose last attempt failed since `since` and were not resent, latest first
    (PostgreSQL queue)."""
    rows = (
        _not_resent(_failed_deliveries().filter(finished_at__gte=since))
        .order_by("-finished_at")
        .values_list("id", "finished_at", "args_kwargs", "traceback")[:limit]
    )
    failed = []
    for task_id, finished_at, args_kwargs, traceback in rows:
        (payload, *_rest) = args_kwargs.get("args") or [{}]
        last_line = traceback.strip().splitlines()[-1] if traceback.strip() else ""
        # Tracebacks stored before the no-break spaces of 2026-12 have an ordinary space.
        reason = (
            re.split("Dernière erreur[ \u00a0]: ", last_line, maxsplit=1)[-1].rstrip(".")
            or last_line
        )
        refusal = _why_not_resendable(payload, finished_at)
        failed.append(
            FailedEmail(
                failed_at=finished_at,
                subject=payload.get("subject", ""),
                recipients=payload.get("recipients") or recipients_of(payload),
                reason=reason,
                task_id=str(task_id),
                resendable_until=None if refusal else finished_at + failed_email_kept(),
                not_resendable=refusal,
            )
        )
    return failed


# --- a failed e-mail, sent again ---------------------------------------------------------------
# Why keeping a failed message whole for a week is acceptable, although it may hold a password
# or invitation link: the message never left, so its recipient has nothing else, and resending
# it is the only way they get it without the union redoing the action; the link inside keeps its
# own expiry and is single-use (a reset link dies once used or once the password changed, an
# invitation once accepted), so the copy gives nobody more than the e-mail would have; the row
# is in the public schema, readable by the platform's superusers only; after the week the
# outage has long been noticed (check_task_queue mails each failure) and the copy goes.


def _why_not_resendable(kept: dict, finished_at: datetime, now: datetime | None = None) -> str:
    """Why « Renvoyer » cannot send this failure again, in French, or ""."""
    if kept.get("refused"):
        return kept["refused"]
    days = settings.FAILED_EMAIL_KEEP_DAYS
    kept_for = f"{days} jour{'s' if days > 1 else ''}"
    if "message" not in kept or finished_at < (now or timezone.now()) - failed_email_kept():
        return (
            f"Renvoi impossible : le message n'est gardé que {kept_for} après son échec "
            "(FAILED_EMAIL_KEEP_DAYS) ; refaites l'action qui l'envoyait (invitation, lien de "
            "connexion…)."
        )
    return ""


@dataclass
class ResendOutcome:
    resent: list[str] = field(default_factory=list)  # « subject » pour recipients
    skipped: list[str] = field(default_factory=list)  # the same, with why, in French
    already: int = 0  # resent before (a second click)

    def messages(self) -> list[tuple[str, str]]:
        """(level, French text) for the admin's messages and the command's output."""
        lines = []
        count = len(self.resent)
        if count:
            lines.append(
                (
                    "success",
                    "1 e-mail remis en file d'envoi."
                    if count == 1
                    else f"{count} e-mails remis en file d'envoi.",
                )
            )
        lines += [("warning", f"Non renvoyé : {skipped}") for skipped in self.skipped]
        if self.already:
            lines.append(
                (
                    "info",
                    "Cet e-mail avait déjà été renvoyé."
                    if self.already == 1
                    else f"{self.already} e-mails avaient déjà été renvoyés.",
                )
            )
        if not lines:
            lines.append(("info", "Aucun e-mail non remis à renvoyer."))
        return lines


def resend_failed_emails(
    task_ids: list[str] | None = None, *, actor=None, via: str = "admin"
) -> ResendOutcome:
    """Queue again, for five new attempts, the failed e-mails `task_ids` (all those still
    resendable when None), each exactly as it was written; each failure is then marked resent
    (out of the list, its copy dropped). Rows locked: a second click finds them resent."""
    from union.audit import record_audit  # union.audit reaches the members' journals

    outcome = ResendOutcome()
    now = timezone.now()
    with transaction.atomic():
        rows = _failed_deliveries().select_for_update()
        if task_ids is None:
            rows = _not_resent(rows).filter(
                args_kwargs__args__0__has_key="message", finished_at__gte=now - failed_email_kept()
            )
        else:
            rows = rows.filter(pk__in=task_ids)
        for row in rows.order_by("finished_at"):
            kept = row.args_kwargs["args"][0]
            label = f"« {kept.get('subject', '')} » pour {', '.join(kept.get('recipients', []))}"
            if "resent_at" in kept:
                outcome.already += 1
                continue
            refusal = _why_not_resendable(kept, row.finished_at, now)
            if not refusal:
                refusal = _no_longer_wanted(kept)
                if refusal:  # for good: the body goes now rather than in a week
                    _rewrite(
                        row, _summary_of(kept) | {"refused": f"Renvoi impossible : {refusal}."}
                    )
            if refusal:
                outcome.skipped.append(f"{label} : {refusal.removeprefix('Renvoi impossible : ')}")
                continue
            queue_delivery(kept["message"])
            _rewrite(row, _summary_of(kept) | {"resent_at": now.isoformat(), "resent_via": via})
            outcome.resent.append(label)
        if outcome.resent:
            record_audit("email.resent", actor=actor, count=len(outcome.resent), via=via)
    return outcome


def _summary_of(kept: dict) -> dict:
    return {key: kept[key] for key in ("attempt", "subject", "recipients") if key in kept}


def _rewrite(row, kept: dict) -> None:
    type(row).objects.filter(pk=row.pk).update(args_kwargs={"args": [kept], "kwargs": {}})


def _no_longer_wanted(kept: dict) -> str:
    """Why a kept message must not go any more, in French: a recipient's account deleted (or
    its address changed) since, or what the task that sent it says (`still_wanted`)."""
    from django.contrib.auth import get_user_model

    accounts = kept.get("accounts") or {}
    if accounts:
        current = dict(
            get_user_model().objects.filter(pk__in=accounts.values()).values_list("pk", "email")
        )
        for address, pk in accounts.items():
            if (current.get(pk) or "").lower() != address:
                return f"le compte de {address} a été supprimé ou a changé d'adresse depuis"
    origin = kept["message"].get("origin") or {}
    path = origin.get("task", "")
    if path and path not in STILL_WANTED_CHECKS:
        try:
            import_module(path.rpartition(".")[0])  # its module registers its check
        except ImportError:
            pass
    check = STILL_WANTED_CHECKS.get(path)
    if check is None:
        return ""
    recipients = [address for _name, address in _addresses(recipients_of(kept["message"]))]
    return check(*origin.get("args", []), recipients=recipients, **origin.get("kwargs", {}))


def _addresses(recipients: list[str]) -> list[tuple[str, str]]:
    return [(name, address.lower()) for name, address in map(parseaddr, recipients) if address]


def _accounts_of(recipients: list[str]) -> dict[str, int]:
    """{lower-case address: account id} for the recipients who have an account."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    addresses = {address for _name, address in _addresses(recipients)}
    if not addresses:
        return {}
    match = Q()
    for address in addresses:
        match |= Q(email__iexact=address)
    return {
        email.lower(): pk
        for pk, email in get_user_model().objects.filter(match).values_list("pk", "email")
    }


def drop_expired_copies(now: datetime | None = None) -> int:
    """Erase the kept message of the failures older than FAILED_EMAIL_KEEP_DAYS: their rows
    keep the subject and recipients, like any finished task. Run by `check_task_queue` (every
    5 minutes in cron); how many were erased."""
    before = (now or timezone.now()) - failed_email_kept()
    expired = _failed_deliveries().filter(
        args_kwargs__args__0__has_key="message", finished_at__lt=before
    )
    dropped = 0
    for row in expired.only("pk", "args_kwargs"):
        _rewrite(row, _summary_of(row.args_kwargs["args"][0]))
        dropped += 1
    return dropped


# The test to oneself (seminars' and tenants' « M'envoyer un test »): the sender's account has
# no address to send it to.
TEST_WITHOUT_ADDRESS = "Votre compte n'a pas d'adresse e-mail\u00a0: le test n'est pas parti."


# --- the greeting of a message someone typed --------------------------------------------------

# The words a message typed by the union (« Écrire aux membres ») or an organiser (« Écrire aux
# inscrits ») may open with; each also in the plural (« Chers collègues », « Chères »). Such a
# message keeps its own greeting: « Bonjour Claire Martin, » above « Bonjour à toutes et à tous, »
# was read twice. Here, with the sentence both forms' help texts say, so that the rule and what
# the forms promise are written once.
GREETING_WORDS = (
    "Bonjour",
    "Bonsoir",
    "Madame",
    "Monsieur",
    "Mesdames",
    "Messieurs",
    "Cher",
    "Chère",
)
_QUOTED_WORDS = [f"«\u00a0{word}\u00a0»" for word in GREETING_WORDS]
OWN_GREETING_RULE = (
    f"Un message qui commence par sa propre formule d'appel ({', '.join(_QUOTED_WORDS[:-1])} ou "
    f"{_QUOTED_WORDS[-1]}, au pluriel aussi) la garde seule\u00a0: l'e-mail n'ajoute pas la sienne."
)


def _folded(text: str) -> str:
    """Lower case, accents dropped: « Chère », « chere » and « CHÈRE » read alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# A whole word, plural or not: « Bonjour, » and « Chers collègues » are greetings, « Bonjournée »
# and « Chéri » are not.
_GREETING_ALTERNATIVES = "|".join(sorted(re.escape(_folded(word)) for word in GREETING_WORDS))
_OWN_GREETING = re.compile(rf"(?:{_GREETING_ALTERNATIVES})s?\b")


def has_own_greeting(body: str) -> bool:
    """Whether `body` opens with its own greeting (one of GREETING_WORDS as a whole word, case and
    accents aside, after any blank lines and spaces): the e-mail then does not greet the person
    by name above it (the context flag `own_greeting` of seminars/email/organiser_message and
    tenants/email/network_message)."""
    return bool(_OWN_GREETING.match(_folded(body.lstrip("\ufeff").lstrip())))


# --- an e-mail in text and HTML from a pair of templates ---------------------------------------


def templated_message(
    subject: str,
    template_base: str,
    context: dict,
    recipients: list[str],
    *,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """`<template_base>.txt` (the body) with `<template_base>.html` as its HTML alternative (in
    the frame templates/union/email/layout.html, autoescaped). Both get `subject` (the HTML's
    title and heading) and `platform_name` (its foot). Not sent: the caller may attach files
    (the board's convocation) before; send_templated sends it at once. `headers`: more headers
    (seminars.emails.AUTOMATIC)."""
    context = {"platform_name": settings.PLATFORM_NAME, **context, "subject": subject}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template_base}.txt", context),
        to=list(recipients),
        reply_to=reply_to or [],
        headers=dict(headers or {}),
    )
    message.attach_alternative(render_to_string(f"{template_base}.html", context), "text/html")
    return message


def send_templated(
    subject: str,
    template_base: str,
    context: dict,
    recipients: list[str],
    *,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """templated_message, sent. Like send_mail: the caller keeps its `transaction.on_commit`;
    how many messages went (0 or 1)."""
    return templated_message(
        subject, template_base, context, recipients, reply_to=reply_to, headers=headers
    ).send()

"""Background work of the union's members' admin (django.tasks): « Écrire aux membres »."""

from django.db import connection
from django.tasks import task

# One e-mail per person, each queued as its own delivery, all in one transaction: a worker
# killed midway has sent none, not some (union.mail).
from union.mail import queueing_each_message


def network_message_still_wanted(
    membership_ids: list[int],
    subject: str = "",
    body: str = "",
    reply_to: list[str] | None = None,
    *,
    recipients: list[str],
) -> str:
    """Before an administrator resends a copy that failed (union.mail.resend_failed_emails): why
    not any more, in French (account deactivated, access ended, member no longer active), or
    ""."""
    from tenants.network_message import still_wanted_reason

    return still_wanted_reason(membership_ids, recipients)


@task
@queueing_each_message(still_wanted=network_message_still_wanted)
def send_network_message_task(
    membership_ids: list[int], subject: str, body: str, reply_to: list[str]
) -> int:
    """« Écrire aux membres »: one e-mail per person, read again now (someone deactivated or
    whose access ended since the message was queued is not written to)."""
    from tenants.network_message import send_network_message

    connection.set_schema_to_public()  # tasks run outside requests: memberships live in public
    return send_network_message(membership_ids, subject, body, reply_to)

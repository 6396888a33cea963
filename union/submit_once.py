"""A form sent twice does its action once (audit A9, finding 5).

A slow answer clicked again, or a browser sending the POST again, repeated « Écrire aux
inscrits » (the message sent twice to everyone) and « Proposer une expérience » (two pages in
moderation). Each such form carries a one-time id (FORM_ID_FIELD, made when the form is
rendered); the action writes it in its audit entry (union.audit), in the same transaction. A
second POST of the same id finds that entry and does nothing (`check_first_submission`).

The database, not the cache, remembers the ids: production runs several gunicorn workers, and
the demo's cache is each process's own memory. A transaction-scoped advisory lock on the id
makes a second POST arriving while the first is still being written wait for it, then see its
entry. A POST without a well-formed id (an API client, a page rendered before this existed) is
not checked."""

import re
import secrets

from django.db import connection

from union.models import AuditEntry

FORM_ID_FIELD = "form_id"
WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{16,64}")


class AlreadySubmitted(Exception):
    """The form was sent before: `entry` is the audit entry of the action then done."""

    def __init__(self, entry: AuditEntry):
        super().__init__(entry.action)
        self.entry = entry


def new_form_id() -> str:
    return secrets.token_urlsafe(16)


def posted_form_id(data) -> str:
    """The form id posted in `data`, or "" when there is none that could be ours."""
    posted = str(data.get(FORM_ID_FIELD, "") or "")
    return posted if WELL_FORMED.fullmatch(posted) else ""


def check_first_submission(action: str, form_id: str) -> None:
    """Inside the action's transaction, before it writes: raise AlreadySubmitted if an earlier
    POST of this form did `action` (its audit entry names `form_id`). The action then records
    its audit entry with `form_id=form_id`."""
    if not form_id:
        return
    with connection.cursor() as cursor:
        # Held until the transaction ends: the same form posted twice at once runs one at a time.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{action}:{form_id}"])
    earlier = AuditEntry.objects.filter(action=action, details__form_id=form_id).first()
    if earlier is not None:
        raise AlreadySubmitted(earlier)

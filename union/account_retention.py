"""Unused accounts are deactivated after a warning (RGPD, art. 5-1-e and 32: storage limitation
and security).

An account nobody signed in to for ACCOUNT_INACTIVE_DAYS days (two years by default, stated on
/donnees-personnelles/) is typically someone who left their CCAS: an access nobody watches, and
data that no longer serves. Its last activity is its last sign-in, or the day it was opened when
the person never signed in. WARNING_DAYS before, the person gets one e-mail saying on which day
the account closes and that signing in keeps it; then, if nobody signed in, the account is
deactivated: it can no longer sign in and its password is made unusable.

People are deactivated, never deleted: member tables point to users without constraints and the
audit trail names actors. Their memberships stay, so that a member's team page still shows who
it was (and its direction can remove the access). Run daily by
`manage.py deactivate_inactive_accounts`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from tenants.models import Membership
from tenants.services import portal_url, send_set_password_email
from union.audit import record_audit
from union.formats import describe_days, long_date
from union.mail import delivering_directly, send_templated
from union.models import InactivityWarning
from union.task_queue import enqueue_with_transaction

User = get_user_model()

# The warning goes this many days before the deactivation: a month outlasts holidays or a sick
# leave, and the CNIL expects people to be told before an account they may still need closes.
WARNING_DAYS = 30


def inactive_after() -> timedelta:
    return timedelta(days=settings.ACCOUNT_INACTIVE_DAYS)


def warning_notice() -> timedelta:
    return timedelta(days=WARNING_DAYS)


def with_last_activity(users: QuerySet) -> QuerySet:
    """`last_activity`: the last sign-in, or the day the account was opened if none."""
    return users.annotate(last_activity=Coalesce("last_login", "date_joined"))


def deactivation_day(last_activity: datetime, warned_at: datetime) -> date:
    """The day the account closes: ACCOUNT_INACTIVE_DAYS after its last activity, but never
    sooner than WARNING_DAYS after the warning (accounts already unused for longer when the rule
    started, or when the period was shortened, still get their month)."""
    return timezone.localdate(max(last_activity + inactive_after(), warned_at + warning_notice()))


def _start_of_next_day(now: datetime) -> datetime:
    return timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=1), time())
    )


def is_only_active_superuser(user) -> bool:
    # The union must keep one way into the administration: with no active superuser left, only
    # someone with a shell on the server could reactivate anyone.
    return (
        user.is_superuser
        and not User.objects.filter(is_active=True, is_superuser=True).exclude(pk=user.pk).exists()
    )


def accounts_to_warn(now: datetime | None = None) -> QuerySet:
    """Active accounts unused for more than ACCOUNT_INACTIVE_DAYS − WARNING_DAYS days and not
    warned during this period of inactivity (no warning, or one older than their last sign-in)."""
    now = now or timezone.now()
    threshold = now - max(inactive_after() - warning_notice(), timedelta())
    return (
        with_last_activity(User.objects.filter(is_active=True))
        .filter(last_activity__lt=threshold)
        .filter(
            Q(inactivity_warning__isnull=True)
            | Q(inactivity_warning__warned_at__lt=F("last_activity"))
        )
        .order_by("last_activity", "pk")
    )


def accounts_without_email(now: datetime | None = None) -> QuerySet:
    """Accounts due for a warning that no e-mail can reach: they are neither warned nor
    deactivated (nobody would be told), and the command names them for the union to look at."""
    return accounts_to_warn(now).filter(email="")


@transaction.atomic
def warn_inactive_accounts(now: datetime | None = None) -> int:
    """Record a warning for each account due for one and queue its e-mail with the transaction;
    how many were warned. The only active superuser is not warned: it is never deactivated."""
    now = now or timezone.now()
    warned = 0
    for user in accounts_to_warn(now).exclude(email="").select_for_update(of=("self",)):
        if is_only_active_superuser(user):
            continue
        InactivityWarning.objects.update_or_create(user=user, defaults={"warned_at": now})
        enqueue_with_transaction(send_inactivity_warning, user.pk)
        warned += 1
    return warned


@transaction.atomic
def deactivate_inactive_accounts(now: datetime | None = None) -> int:
    """Deactivate the accounts whose day has come (see `deactivation_day`) and that were warned
    during this period of inactivity; how many were deactivated. Each leaves an audit line.

    Compared by day, in the union's time zone, so that the account closes on the day the e-mail
    gave, whatever the hour of the daily run."""
    now = now or timezone.now()
    next_day = _start_of_next_day(now)
    due = (
        with_last_activity(User.objects.filter(is_active=True))
        .filter(
            last_activity__lt=next_day - inactive_after(),
            inactivity_warning__warned_at__gte=F("last_activity"),
            inactivity_warning__warned_at__lt=next_day - warning_notice(),
        )
        .annotate(warned_at=F("inactivity_warning__warned_at"))
        .order_by("last_activity", "pk")  # of two idle superusers, the most recent one is kept
        .select_for_update(of=("self",))
    )
    deactivated = 0
    for user in due:
        if is_only_active_superuser(user):
            continue
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        # Its purpose served; deleted so that, reactivated by the union, the account is warned
        # again before any new deactivation.
        InactivityWarning.objects.filter(user=user).delete()
        record_audit(
            "account.deactivated",
            target=user.email or user.get_username(),
            last_activity=user.last_activity.isoformat(),
            warned_at=user.warned_at.isoformat(),
            inactive_days=settings.ACCOUNT_INACTIVE_DAYS,
        )
        deactivated += 1
    return deactivated


@transaction.atomic
def reactivate_account(user, *, actor=None) -> None:
    """Let a deactivated account sign in again (the union does it from the users' admin, see
    union.wagtail_hooks), audited. Its password was made unusable and Django's « mot de passe
    oublié » ignores such accounts: unless the admin typed a new one, the person gets a
    single-use link to choose one. Its last sign-in is still old: if it does not sign in, it is
    warned at the next run and deactivated WARNING_DAYS later."""
    user.refresh_from_db(fields=["is_active", "password"])  # as the admin just saved them
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    InactivityWarning.objects.filter(user=user).delete()
    record_audit("account.reactivated", actor=actor, target=user.email or user.get_username())
    if user.email and not user.has_usable_password():
        transaction.on_commit(lambda: send_set_password_email(user))


@dataclass(frozen=True)
class RetentionRun:
    warned: int
    deactivated: int
    without_email: list[str]  # unused accounts nobody can warn, for the union to look at


def apply_account_retention(now: datetime | None = None) -> RetentionRun:
    """The daily run: deactivate the accounts whose day has come, then warn the next ones."""
    now = now or timezone.now()
    deactivated = deactivate_inactive_accounts(now)
    warned = warn_inactive_accounts(now)
    without_email = [user.get_username() for user in accounts_without_email(now)]
    return RetentionRun(warned=warned, deactivated=deactivated, without_email=without_email)


@task
@delivering_directly()  # already in the worker: not through the queue a second time
def send_inactivity_warning(user_id: int) -> bool:
    """The warning e-mail, unless the person signed in (or the account closed) since it was
    queued."""
    connection.set_schema_to_public()  # tasks run outside requests: accounts live in public
    warning = (
        InactivityWarning.objects.select_related("user")
        .filter(user_id=user_id, user__is_active=True)
        .first()
    )
    if warning is None or not warning.user.email:
        return False
    user = warning.user
    if user.last_login and user.last_login > warning.warned_at:
        return False
    send_inactivity_warning_email(user, warning)
    return True


def send_inactivity_warning_email(user, warning: InactivityWarning) -> None:
    last_activity = user.last_login or user.date_joined
    day = long_date(deactivation_day(last_activity, warning.warned_at), weekday=False)
    contact = settings.PRIVACY_CONTACT_EMAIL
    urlconf = settings.PUBLIC_SCHEMA_URLCONF
    context = {
        "user": user,
        "deactivation_day": day,
        "last_activity": long_date(timezone.localdate(last_activity), weekday=False),
        "signed_in_once": user.last_login is not None,
        "period": describe_days(settings.ACCOUNT_INACTIVE_DAYS),
        "spaces": list(
            Membership.objects.filter(user=user)
            .order_by("member__name")
            .values_list("member__name", flat=True)
        ),
        "login_url": portal_url(reverse("login", urlconf=urlconf)),
        # « Mot de passe oublié » for everyone: an account that never chose a password (an
        # invitation never accepted) gets a link to choose one there (union.views.PasswordResetForm).
        "password_reset_url": portal_url(reverse("password_reset", urlconf=urlconf)),
        "has_password": user.has_usable_password(),
        "privacy_url": portal_url(reverse("privacy", urlconf=urlconf)),
        "contact": contact,
    }
    send_templated(
        f"{settings.PLATFORM_NAME} : votre compte sera désactivé le {day}",
        "union/email/inactivity_warning",
        context,
        [user.email],
        reply_to=[contact] if contact else [],
    )

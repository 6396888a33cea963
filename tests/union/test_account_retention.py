"""Unused accounts are warned, then deactivated (RGPD: storage limitation, and security)."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from tenants.models import Membership
from tests.conftest import PASSWORD, host_client, make_person, member_client
from union.account_retention import (
    deactivate_inactive_accounts,
    reactivate_account,
    warn_inactive_accounts,
)
from union.models import AuditEntry, InactivityWarning

pytestmark = pytest.mark.django_db
User = get_user_model()

# A Monday morning in Paris; 30 days later is Wednesday 3 March 2027.
NOW = datetime(2027, 2, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def idle(user, days: float, *, now: datetime = NOW, signed_in: bool = True):
    """Make `user`'s last activity `days` before `now`: its last sign-in, or, if it never signed
    in, the day its account was opened."""
    moment = now - timedelta(days=days)
    if signed_in:
        User.objects.filter(pk=user.pk).update(
            last_login=moment, date_joined=moment - timedelta(days=100)
        )
    else:
        User.objects.filter(pk=user.pk).update(last_login=None, date_joined=moment)
    user.refresh_from_db()
    return user


def account(email: str, days: float, **kwargs):
    superuser = kwargs.pop("superuser", False)
    make = User.objects.create_superuser if superuser else User.objects.create_user
    return idle(make(username=email, email=email, password=PASSWORD), days, **kwargs)


def warned_on(user, moment: datetime) -> InactivityWarning:
    return InactivityWarning.objects.update_or_create(user=user, defaults={"warned_at": moment})[0]


def is_active(user) -> bool:
    user.refresh_from_db()
    return user.is_active


# --- The warning ----------------------------------------------------------------------------


def test_an_account_is_warned_after_700_days_not_before(
    django_capture_on_commit_callbacks, mailoutbox
):
    due = account("due@ccas.test", 700.1)
    not_yet = account("recent@ccas.test", 699.9)

    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=NOW) == 1

    assert [message.to for message in mailoutbox] == [["due@ccas.test"]]
    assert InactivityWarning.objects.get(user=due).warned_at == NOW
    assert not InactivityWarning.objects.filter(user=not_yet).exists()
    assert is_active(due) and is_active(not_yet)  # a warning deactivates nothing


def test_an_account_is_warned_once_for_one_period_of_inactivity(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = account("once@ccas.test", 701)
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=NOW) == 1
    for later in (1, 10, 29):
        with django_capture_on_commit_callbacks(execute=True):
            assert warn_inactive_accounts(now=NOW + timedelta(days=later)) == 0
    assert len(mailoutbox) == 1
    assert InactivityWarning.objects.get(user=user).warned_at == NOW  # the first one stands


def test_the_warning_says_in_french_when_and_how_to_keep_the_account(
    bondy, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.PRIVACY_CONTACT_EMAIL = "dpo@udccas.test"
    user = make_person(bondy, "claire@bondy.test", Membership.Role.AGENT)
    User.objects.filter(pk=user.pk).update(first_name="Claire", last_name="Martin")
    idle(user, 701)  # the 730 days end on 2 March; the warning gives its 30 days: 3 March

    with django_capture_on_commit_callbacks(execute=True):
        warn_inactive_accounts(now=NOW)

    (message,) = mailoutbox
    assert message.subject == (
        "UDCCAS de Seine-Saint-Denis : votre compte sera désactivé le 3 mars 2027"
    )
    assert message.reply_to == ["dpo@udccas.test"]
    body = message.body
    assert body.startswith("Bonjour Claire Martin,")
    assert "(identifiant : claire@bondy.test) n'a pas servi depuis le 2 mars 2025." in body
    assert f"l'espace membre « {bondy.name} »" in body
    assert "Un compte inutilisé pendant 2 ans est désactivé" in body
    assert "sans connexion de votre part, le vôtre le sera le 3 mars 2027." in body
    assert "il suffit de vous connecter avant cette date :\nhttp://localhost/connexion/\n" in body
    assert "Mot de passe oublié : http://localhost/compte/mot-de-passe/oublie/" in body
    assert "faire réactiver plus tard un compte désactivé : dpo@udccas.test." in body
    assert "http://localhost/donnees-personnelles/" in body
    assert "&#x27;" not in body and "&quot;" not in body  # plain text, not HTML-escaped


def test_an_account_without_a_password_is_told_whom_to_ask(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    """An invitation never accepted. Since session 16 « mot de passe oublié » sends such an
    account a link to choose a password, so the warning gives it (test_account_retention_s16)."""
    settings.PRIVACY_CONTACT_EMAIL = "dpo@udccas.test"
    user = User.objects.create_user(username="invite@ccas.test", email="invite@ccas.test")
    user.set_unusable_password()
    user.save()
    idle(user, 702, signed_in=False)

    with django_capture_on_commit_callbacks(execute=True):
        warn_inactive_accounts(now=NOW)

    body = mailoutbox[0].body
    assert "ouvert le 1er mars 2025, n'a jamais servi." in body
    assert "Vous n'avez pas encore choisi de mot de passe : sur la page « Mot de passe" in body
    assert "http://localhost/compte/mot-de-passe/oublie/" in body


def test_the_warning_is_not_sent_to_someone_who_signed_in_after_it_was_queued(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = account("back@ccas.test", 701)
    with django_capture_on_commit_callbacks() as callbacks:
        warn_inactive_accounts(now=NOW)
    User.objects.filter(pk=user.pk).update(last_login=NOW + timedelta(minutes=5))
    for callback in callbacks:  # the queue runs the task only now
        callback()
    assert mailoutbox == []


def test_an_account_that_never_signed_in_counts_from_its_opening(
    django_capture_on_commit_callbacks, mailoutbox
):
    never = account("jamais@ccas.test", 701, signed_in=False)
    opened_lately = account("nouveau@ccas.test", 699, signed_in=False)
    # Opened three years ago but signed in last month: its last sign-in counts.
    old_but_used = account("fidele@ccas.test", 30)
    User.objects.filter(pk=old_but_used.pk).update(date_joined=NOW - timedelta(days=3 * 365))

    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=NOW) == 1
    assert [message.to for message in mailoutbox] == [[never.email]]
    assert not InactivityWarning.objects.filter(user__in=[opened_lately, old_but_used]).exists()

    assert deactivate_inactive_accounts(now=NOW + timedelta(days=30)) == 1
    assert not is_active(never)
    assert is_active(opened_lately) and is_active(old_but_used)


# --- The deactivation -----------------------------------------------------------------------


def test_deactivated_on_the_announced_day_not_before(django_capture_on_commit_callbacks):
    user = account("parti@ccas.test", 700.5)
    with django_capture_on_commit_callbacks(execute=True):
        warn_inactive_accounts(now=NOW)

    assert deactivate_inactive_accounts(now=NOW + timedelta(days=29)) == 0  # 2 March
    assert is_active(user)
    # 3 March, the day the e-mail gave, at any hour of the daily run.
    assert deactivate_inactive_accounts(now=NOW + timedelta(days=30, hours=-9)) == 1
    assert not is_active(user)
    assert not user.has_usable_password()
    assert not InactivityWarning.objects.filter(user=user).exists()
    # Nobody can sign in with it any more, not even with the password it had.
    portal = host_client("localhost")
    response = portal.post("/connexion/", {"username": "parti@ccas.test", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in portal.session


def test_deactivated_only_after_the_full_period(django_capture_on_commit_callbacks):
    # Warned long ago (the period was longer then): still 730 days of inactivity first.
    user = account("patience@ccas.test", 725)
    warned_on(user, NOW - timedelta(days=60))
    assert deactivate_inactive_accounts(now=NOW) == 0
    assert deactivate_inactive_accounts(now=NOW + timedelta(days=4)) == 0
    assert is_active(user)
    assert deactivate_inactive_accounts(now=NOW + timedelta(days=5)) == 1
    assert not is_active(user)


def test_never_deactivated_without_a_warning_thirty_days_before(
    django_capture_on_commit_callbacks, mailoutbox
):
    # Unused for three years when the rule starts: warned first, then given its 30 days.
    user = account("ancien@ccas.test", 3 * 365)
    assert deactivate_inactive_accounts(now=NOW) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=NOW) == 1
    assert "le vôtre le sera le 3 mars 2027." in mailoutbox[0].body
    assert deactivate_inactive_accounts(now=NOW + timedelta(days=29)) == 0
    assert is_active(user)
    assert deactivate_inactive_accounts(now=NOW + timedelta(days=30)) == 1
    assert not is_active(user)


def test_signing_in_after_the_warning_keeps_the_account_and_starts_a_new_period(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = account("revenu@ccas.test", 701)
    with django_capture_on_commit_callbacks(execute=True):
        warn_inactive_accounts(now=NOW)
    signed_in = NOW + timedelta(days=10)
    User.objects.filter(pk=user.pk).update(last_login=signed_in)

    assert deactivate_inactive_accounts(now=NOW + timedelta(days=40)) == 0
    assert is_active(user)
    # The old warning no longer counts: 730 days after this sign-in, still nothing without a
    # new warning...
    assert deactivate_inactive_accounts(now=signed_in + timedelta(days=731)) == 0
    assert is_active(user)
    # ...which comes 700 days after the sign-in, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=signed_in + timedelta(days=699)) == 0
        assert warn_inactive_accounts(now=signed_in + timedelta(days=701)) == 1
        assert warn_inactive_accounts(now=signed_in + timedelta(days=702)) == 0
    assert len(mailoutbox) == 2
    assert deactivate_inactive_accounts(now=signed_in + timedelta(days=731)) == 1
    assert not is_active(user)


def test_the_last_active_superuser_is_never_deactivated(django_capture_on_commit_callbacks):
    """Without an active superuser, only someone with a shell on the server could let anyone
    back into the administration."""
    first = account("admin1@udccas.test", 900, superuser=True)
    # The only one: not even warned (the e-mail would announce a deactivation that never comes).
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=NOW) == 0
    warned_on(first, NOW - timedelta(days=40))
    assert deactivate_inactive_accounts(now=NOW) == 0
    assert is_active(first)

    # Two idle superusers: the one idle for longer goes, the other stays.
    second = account("admin2@udccas.test", 800, superuser=True)
    warned_on(second, NOW - timedelta(days=40))
    assert deactivate_inactive_accounts(now=NOW) == 1
    assert not is_active(first) and is_active(second)

    # With another active superuser, an idle one is warned and deactivated like anyone.
    account("admin3@udccas.test", 5, superuser=True)
    warned_on(second, NOW - timedelta(days=40))
    assert deactivate_inactive_accounts(now=NOW) == 1
    assert not is_active(second)


def test_each_deactivation_is_audited(django_capture_on_commit_callbacks):
    user = account("trace@ccas.test", 740)
    warned_at = NOW - timedelta(days=31)
    warned_on(user, warned_at)
    assert deactivate_inactive_accounts(now=NOW) == 1

    entry = AuditEntry.objects.get(action="account.deactivated")
    assert entry.target == "trace@ccas.test"
    assert entry.actor is None  # the daily run, nobody's click
    assert datetime.fromisoformat(entry.details["warned_at"]) == warned_at
    assert datetime.fromisoformat(entry.details["last_activity"]) == NOW - timedelta(days=740)
    assert entry.details["inactive_days"] == 730
    assert deactivate_inactive_accounts(now=NOW) == 0
    assert AuditEntry.objects.filter(action="account.deactivated").count() == 1


def test_accounts_already_inactive_are_left_alone(django_capture_on_commit_callbacks, mailoutbox):
    user = account("inactif@ccas.test", 900)
    User.objects.filter(pk=user.pk).update(is_active=False)
    warned_on(user, NOW - timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=NOW) == 0
    assert deactivate_inactive_accounts(now=NOW) == 0
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # untouched
    assert mailoutbox == []
    assert not AuditEntry.objects.filter(action="account.deactivated").exists()


def test_the_period_is_a_setting(settings, django_capture_on_commit_callbacks):
    assert settings.ACCOUNT_INACTIVE_DAYS == 730
    settings.ACCOUNT_INACTIVE_DAYS = 365
    due = account("un-an@ccas.test", 336)
    not_yet = account("onze-mois@ccas.test", 334)
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=NOW) == 1
    assert InactivityWarning.objects.filter(user=due).exists()
    assert deactivate_inactive_accounts(now=NOW + timedelta(days=30)) == 1
    assert not is_active(due) and is_active(not_yet)


# --- The command ----------------------------------------------------------------------------


def test_the_command_reports_in_french(django_capture_on_commit_callbacks, mailoutbox):
    now = timezone.now()  # the command runs on the real clock
    account("a@ccas.test", 701, now=now)
    account("b@ccas.test", 702, now=now)
    warned_on(account("c@ccas.test", 800, now=now), now - timedelta(days=31))

    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("deactivate_inactive_accounts", stdout=output)
    assert output.getvalue().strip() == (
        "Comptes inutilisés : 2 comptes avertis, 1 compte désactivé."
    )
    assert len(mailoutbox) == 2

    output = io.StringIO()
    call_command("deactivate_inactive_accounts", stdout=output)
    assert output.getvalue().strip() == (
        "Comptes inutilisés : 0 compte averti, 0 compte désactivé."
    )


def test_the_command_names_the_accounts_no_email_can_reach():
    user = User.objects.create_user(username="technique", password=PASSWORD)
    idle(user, 800, now=timezone.now())
    output = io.StringIO()
    call_command("deactivate_inactive_accounts", stdout=output)
    assert output.getvalue().splitlines() == [
        "Comptes inutilisés : 0 compte averti, 0 compte désactivé.",
        "1 compte sans adresse e-mail n'est ni averti ni désactivé (à compléter ou désactiver "
        "dans l'admin) : technique.",
    ]
    assert is_active(user)


# --- The privacy notice ---------------------------------------------------------------------


@pytest.mark.parametrize(("days", "said"), [(730, "2 ans"), (365, "1 an"), (400, "400 jours")])
def test_the_privacy_page_states_the_rule(client, settings, days, said):
    settings.ACCOUNT_INACTIVE_DAYS = days
    page = BeautifulSoup(client.get("/donnees-personnelles/").content.decode(), "html.parser")
    section = page.find(id="comptes").find_next_siblings("p")
    text = " ".join(" ".join(p.get_text().split()) for p in section[:3])
    assert f"Un compte dont personne ne s'est servi depuis {said} " in text
    assert "est désactivé : il ne permet plus de se connecter" in text
    assert "30 jours avant, elle est prévenue par e-mail de la date" in text
    assert "L'union peut réactiver un compte désactivé, à la demande de la personne" in text


# --- The member's team page -----------------------------------------------------------------


def test_a_deactivated_person_stays_on_each_team_as_such_and_can_be_removed(two_members):
    bondy, montreuil = two_members
    director_b = make_person(bondy, "direction@bondy.test")
    director_m = make_person(montreuil, "direction@montreuil.test")
    both = make_person(bondy, "partie@deux.test", Membership.Role.AGENT)
    make_person(montreuil, "partie@deux.test", Membership.Role.VIEWER)
    bondy_only = make_person(bondy, "seule@bondy.test", Membership.Role.VIEWER)
    now = timezone.now()
    for user in (both, bondy_only):
        warned_on(idle(user, 800, now=now), now - timedelta(days=40))
    assert deactivate_inactive_accounts(now=now) == 2
    assert Membership.objects.filter(user=both).count() == 2  # memberships are kept

    def rows(member, director) -> dict[str, str]:
        page = BeautifulSoup(
            member_client(member, director).get("/equipe/").content.decode(), "html.parser"
        )
        return {
            row.find("td").get_text(strip=True): row.find("th").get_text(" ", strip=True)
            for row in page.select("tbody tr")
        }

    on_bondy, on_montreuil = rows(bondy, director_b), rows(montreuil, director_m)
    assert "compte désactivé" in on_bondy["partie@deux.test"]
    assert "compte désactivé" in on_bondy["seule@bondy.test"]
    assert "compte désactivé" not in on_bondy["direction@bondy.test"]
    assert "compte désactivé" in on_montreuil["partie@deux.test"]
    assert set(on_montreuil) == {"direction@montreuil.test", "partie@deux.test"}  # no leak

    membership = Membership.objects.get(user=both, member=bondy)
    response = member_client(bondy, director_b).post(f"/equipe/{membership.pk}/retirer/")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=both, member=bondy).exists()
    assert Membership.objects.filter(user=both, member=montreuil).exists()


def test_a_deactivated_director_does_not_count_as_the_space_s_direction(bondy):
    active = make_person(bondy, "active@bondy.test")
    gone = make_person(bondy, "ancienne@bondy.test")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    client = member_client(bondy, active)
    mine = Membership.objects.get(user=active, member=bondy)

    client.post(f"/equipe/{mine.pk}/role/", {"role": Membership.Role.AGENT})
    mine.refresh_from_db()
    assert mine.role == Membership.Role.DIRECTOR  # the only one who can still sign in

    theirs = Membership.objects.get(user=gone, member=bondy)
    client.post(f"/equipe/{theirs.pk}/retirer/")
    assert not Membership.objects.filter(pk=theirs.pk).exists()


# --- Reactivation ---------------------------------------------------------------------------


def test_the_union_reactivates_from_the_users_admin_and_the_person_chooses_a_password(
    django_capture_on_commit_callbacks, mailoutbox
):
    admin = User.objects.create_superuser("admin@udccas.test", "admin@udccas.test", PASSWORD)
    now = timezone.now()
    user = account("retour@ccas.test", 800, now=now)
    warned_on(user, now - timedelta(days=40))
    assert deactivate_inactive_accounts(now=now) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = host_client("localhost", admin).post(
            f"/admin/users/edit/{user.pk}/",
            {
                "username": "retour@ccas.test",
                "email": "retour@ccas.test",
                "first_name": "Rémi",
                "last_name": "Retour",
                "password1": "",
                "password2": "",
                "is_active": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert is_active(user)
    entry = AuditEntry.objects.get(action="account.reactivated")
    assert entry.actor == admin and entry.target == "retour@ccas.test"
    (message,) = mailoutbox
    assert message.to == ["retour@ccas.test"]
    assert re.search(r"http://localhost/compte/mot-de-passe/\S+/\S+/", message.body)

    # An ordinary edit of an active account sends nothing and audits no reactivation.
    with django_capture_on_commit_callbacks(execute=True):
        host_client("localhost", admin).post(
            f"/admin/users/edit/{user.pk}/",
            {
                "username": "retour@ccas.test",
                "email": "retour@ccas.test",
                "first_name": "Rémi",
                "last_name": "Retour-Martin",
                "is_active": "on",
            },
        )
    assert len(mailoutbox) == 1
    assert AuditEntry.objects.filter(action="account.reactivated").count() == 1


def test_a_reactivated_account_is_warned_again_before_any_new_deactivation(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = account("encore@ccas.test", 800)
    warned_on(user, NOW - timedelta(days=40))
    assert deactivate_inactive_accounts(now=NOW) == 1
    with django_capture_on_commit_callbacks(execute=True):
        reactivate_account(user)
    mailoutbox.clear()

    # Still unused the next day: not deactivated again at once, warned and given 30 days.
    assert deactivate_inactive_accounts(now=NOW + timedelta(days=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=NOW + timedelta(days=1)) == 1
    assert "le vôtre le sera le 4 mars 2027." in mailoutbox[0].body
    assert deactivate_inactive_accounts(now=NOW + timedelta(days=30)) == 0
    assert is_active(user)

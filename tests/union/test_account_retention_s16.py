"""The inactivity warning gives « mot de passe oublié » to every account (session 16): that page
now sends an account that never chose a password a link to choose one, so the warning no longer
sends such a person to write to the union."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD, host_client
from union.account_retention import warn_inactive_accounts

pytestmark = pytest.mark.django_db
User = get_user_model()

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
RESET_URL = "http://localhost/compte/mot-de-passe/oublie/"  # WAGTAILADMIN_BASE_URL + the path


def never_signed_in(email: str, password: str | None):
    """An account opened 702 days before NOW and never used; without a password when
    `password` is None (an invitation never accepted)."""
    user = User.objects.create_user(username=email, email=email, password=password)
    if password is None:
        user.set_unusable_password()
        user.save()
    User.objects.filter(pk=user.pk).update(last_login=None, date_joined=NOW - timedelta(days=702))
    return user


def warning_to(mailoutbox, email: str):
    (message,) = [m for m in mailoutbox if m.to == [email]]
    return message


def test_an_account_without_a_password_gets_the_forgotten_password_link_and_it_works(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.PRIVACY_CONTACT_EMAIL = "dpo@udccas.test"
    never_signed_in("invite@ccas.test", None)
    never_signed_in("oublie@ccas.test", PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=NOW) == 2

    body = warning_to(mailoutbox, "invite@ccas.test").body
    assert (
        "Vous n'avez pas encore choisi de mot de passe : sur la page « Mot de passe oublié », "
        "indiquez votre adresse pour recevoir un lien qui permet d'en choisir un, puis "
        f"connectez-vous :\n{RESET_URL}\n" in body
    )
    assert "pour recevoir un nouveau lien" not in body  # no longer « write to the union »
    assert "&#x27;" not in body and "&laquo;" not in body  # plain text
    # An account with a password: the usual line, unchanged.
    other = warning_to(mailoutbox, "oublie@ccas.test").body
    assert f"Mot de passe oublié : {RESET_URL}\n" in other
    assert "pas encore choisi" not in other

    # The address given leads where it says: the page sends a link to choose a password.
    mailoutbox.clear()
    portal = host_client("localhost")
    path = RESET_URL.removeprefix("http://localhost")
    assert portal.get(path).status_code == 200
    response = portal.post(path, {"email": "invite@ccas.test"})
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == ["invite@ccas.test"]
    assert message.subject.endswith("choisissez votre mot de passe")
    assert re.search(r"http://localhost/compte/mot-de-passe/[^/\s]+/[^/\s]+/\n", message.body)

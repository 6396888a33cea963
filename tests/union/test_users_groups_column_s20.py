"""Wagtail's users listing (/admin/users/) says each account's groups: an administrator reads
who is an editor, a moderator or an organiser without opening each account. Real HTTP through
the test client as a union administrator (not a superuser)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.conftest import PASSWORD, host_client
from union import roles

pytestmark = pytest.mark.django_db
User = get_user_model()


def account(email: str, *groups: str):
    user = User.objects.create_user(email, email, PASSWORD)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def test_the_users_listing_has_a_groups_column():
    admin = account("admin@union.test", roles.UNION_ADMIN)
    account("editrice@union.test", roles.EDITOR)
    account("double@union.test", roles.MODERATOR, roles.EVENT_ORGANISER)
    account("personne@bondy.test")

    response = host_client("localhost", admin).get("/admin/users/")
    assert response.status_code == 200
    table = BeautifulSoup(response.content.decode(), "html.parser").find("table", class_="listing")
    headers = [" ".join(th.get_text(" ").split()) for th in table.thead.find_all("th")]
    assert "Groupes" in headers
    column = headers.index("Groupes")

    def groups_of(email: str) -> str:
        for row in table.tbody.find_all("tr"):
            cells = row.find_all(["td", "th"])
            if email in " ".join(cells[column - 1].get_text(" ").split()):
                return " ".join(cells[column].get_text(" ").split())
        raise AssertionError(f"{email} is not listed")

    assert groups_of("admin@union.test") == roles.UNION_ADMIN
    assert groups_of("editrice@union.test") == roles.EDITOR
    assert groups_of("double@union.test") == f"{roles.MODERATOR}, {roles.EVENT_ORGANISER}"
    assert groups_of("personne@bondy.test") == "aucun groupe"

"""Fixtures of the union's members screens' tests."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.conftest import PASSWORD, host_client
from union import roles


@pytest.fixture
def admin(db):
    """A union administrator's client on the portal host (the Wagtail admin's members screens).
    test_federation_s16 has its own, named « Alice Admin » for its journal's lines."""
    user = get_user_model().objects.create_user("admin@union.test", "admin@union.test", PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return host_client("localhost", user)

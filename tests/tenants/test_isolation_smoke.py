import pytest

from tests.conftest import make_person, member_client
from tenants.models import Membership


@pytest.mark.django_db
def test_member_home_for_its_director_and_403_for_another(two_members):
    bondy, montreuil = two_members
    director = make_person(bondy, "dir@bondy.test")
    assert member_client(bondy, director).get("/").status_code == 200
    assert member_client(montreuil, director).get("/").status_code == 403
    assert Membership.objects.count() == 1

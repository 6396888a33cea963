"""Who may enter what: the 403/404 rules, suspended spaces, the hand-over link, union roles."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from tenants.services import create_handover_link, suspend_member
from tests.conftest import PASSWORD, host_client, make_person, member_client
from union import roles

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_unknown_host_is_404(db):
    assert host_client("inconnu.localhost").get("/").status_code == 404


def test_anonymous_visitor_is_sent_to_login(bondy):
    response = member_client(bondy).get("/documents/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=/documents/")


def test_login_on_a_member_host_then_home_shows_the_ccas_identity(bondy):
    make_person(bondy, "dir@bondy.test")
    client = member_client(bondy)
    response = client.post("/connexion/", {"username": "dir@bondy.test", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "CCAS de Bondy" in page and "93010" in page and "Est Ensemble" in page


def test_logged_in_non_member_gets_403(two_members):
    bondy, montreuil = two_members
    stranger = make_person(montreuil, "dir@montreuil.test")
    response = member_client(bondy, stranger).get("/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_union_superuser_is_not_a_member_either(bondy):
    """Nothing leaves a member's space: union staff do not read it without a membership."""
    admin = User.objects.create_superuser("admin", "admin@union.test", PASSWORD)
    assert member_client(bondy, admin).get("/").status_code == 403


def test_suspended_space_says_so_and_keeps_its_data(bondy):
    director = make_person(bondy, "dir@bondy.test")
    suspend_member(bondy)
    response = member_client(bondy, director).get("/")
    assert response.status_code == 403
    assert "Cet espace est fermé" in response.content.decode()
    assert "suspendu" in response.content.decode()


def test_cookies_are_host_only(bondy):
    make_person(bondy, "dir@bondy.test")
    client = host_client("localhost")
    client.post("/connexion/", {"username": "dir@bondy.test", "password": PASSWORD})
    session_cookie = client.cookies["sessionid"]
    assert session_cookie["domain"] == ""


def test_handover_link_logs_in_once(bondy):
    director = make_person(bondy, "dir@bondy.test")
    portal = host_client("localhost", director)
    response = portal.post("/compte/espace/bondy/")
    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith("http://bondy.localhost/acces/")
    path = url.split("bondy.localhost", 1)[1]
    member = member_client(bondy)
    assert member.get(path).status_code == 200  # the page with the button (union.views.handover)
    assert member.post(path)["Location"] == "/"
    assert member.get("/").status_code == 200
    # Used once: a second browser cannot reuse it.
    second = member_client(bondy)
    assert second.post(path)["Location"] == "/connexion/"
    assert second.get("/").status_code == 302


def test_handover_refused_for_tampered_token_or_other_member(two_members):
    bondy, montreuil = two_members
    director = make_person(bondy, "dir@bondy.test")
    url = create_handover_link(director, bondy)
    path = url.split("bondy.localhost", 1)[1]
    assert member_client(montreuil).post(path)["Location"] == "/connexion/"
    assert member_client(bondy).post(path[:-3] + "abc/")["Location"] == "/connexion/"
    assert (
        host_client("localhost", director).post("/compte/espace/montreuil/")["Location"]
        == "/compte/"
    )


def test_account_page_lists_the_spaces(bondy):
    director = make_person(bondy, "dir@bondy.test")
    page = host_client("localhost", director).get("/compte/").content.decode()
    assert "CCAS de Bondy" in page and "Directeur ou directrice" in page


@pytest.mark.parametrize("group", roles.UNION_GROUPS)
def test_union_staff_enter_the_wagtail_admin(db, group):
    user = User.objects.create_user("staff", "staff@union.test", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    assert host_client("localhost", user).get("/admin/").status_code == 200


def test_django_admin_only_for_union_admins(db):
    editor = User.objects.create_user("ed", "ed@union.test", PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    assert host_client("localhost", editor).get("/django-admin/").status_code == 302
    admin = User.objects.create_user("ad", "ad@union.test", PASSWORD, is_staff=True)
    admin.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    assert host_client("localhost", admin).get("/django-admin/").status_code == 200
    assert (
        host_client("localhost", admin).get("/django-admin/tenants/memberccas/").status_code == 200
    )


def test_createsuperuser_gives_a_union_admin(db):
    call_command("createsuperuser", "--noinput", username="root", email="root@union.test")
    user = User.objects.get(username="root")
    assert roles.is_union_admin(user)


def test_member_host_never_serves_the_page_tree_nor_the_wagtail_admin(bondy):
    director = make_person(bondy, "dir@bondy.test")
    client = member_client(bondy, director)
    assert client.get("/admin/").status_code == 404
    assert client.get("/django-admin/").status_code == 404
    assert "Union départementale des CCAS" not in client.get("/").content.decode()


def test_portal_home_is_a_wagtail_page_in_french(portal, bondy):
    response = portal.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in page
    assert "Union départementale des CCAS" in page
    assert response.context["page"].specific_class.__name__ == "HomePage"
    assert "Marianne" not in page and "République française" not in page


def test_members_directory_and_api(portal, two_members):
    page = portal.get("/membres/").content.decode()
    assert "CCAS de Bondy" in page and "Est Ensemble" in page and "http://bondy.localhost/" in page
    assert "<caption>" in page
    filtered = portal.get("/membres/", {"q": "montr"}).content.decode()
    assert "CCAS de Montreuil" in filtered and "CCAS de Bondy" not in filtered
    body = portal.get("/api/v1/members/").json()
    assert body["count"] == 2
    bondy = next(m for m in body["results"] if m["slug"] == "bondy")
    assert bondy["commune"] == {"code": "93010", "nom": "Bondy", "departement": "93"}
    assert bondy["intercommunality"]["nom"] == "Est Ensemble"
    assert bondy["population"] > 50000


def test_suspended_members_leave_the_directory(portal, two_members):
    bondy, _ = two_members
    suspend_member(bondy)
    assert "CCAS de Bondy" not in portal.get("/membres/").content.decode()


def test_openapi_schema_and_docs(portal):
    schema = portal.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/communes/" in schema.content
    assert portal.get("/api/docs/").status_code == 200


def test_token_endpoint_refuses_bad_credentials(portal, bondy):
    make_person(bondy, "dir@bondy.test")
    response = portal.post(
        "/api/v1/auth/token/", {"username": "dir@bondy.test", "password": "faux"}
    )
    assert response.status_code == 400

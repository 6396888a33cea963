"""Session 16 review, as the union's administrator: the admins kept to the platform's rules.

Union staff never enter member spaces (only the people a member's direction grants may), the
audit trail is not theirs to delete, accounts are deactivated, never deleted, and account
management is audited. Each test goes through the admin screens over HTTP."""

import importlib
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token
from wagtail.models import GroupPagePermission, Page

import union.urls_public
from knowledge_base.services import ensure_index_pages
from seminars.models import SeminarIndexPage
from seminars.services import register_person
from tenants.models import MemberCCAS, Membership
from tenants.workspace.models import Document
from tests.conftest import PASSWORD, host_client, make_person, member_client
from tests.knowledge_base.conftest import make_experience, make_guide
from tests.seminars.conftest import make_index, make_seminar, person
from union import roles
from union.audit import record_audit
from union.models import AuditEntry, HomePage
from union.services import ensure_union_groups

pytestmark = pytest.mark.django_db
User = get_user_model()


def union_admin(email: str = "admin@union.test", *, superuser: bool = False):
    make = User.objects.create_superuser if superuser else User.objects.create_user
    user = make(email, email, PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return user


def staff(group: str, email: str):
    user = User.objects.create_user(email, email, PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def admin_client(**kwargs):
    return host_client("localhost", union_admin(**kwargs))


def form_fields(html: str, form_id: str) -> dict:
    """What a browser would send from the form: inputs, checked boxes, selected options."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.name == "textarea":
            data[name] = field.get_text()
        else:
            data[name] = field.get("value", "")
    return data


# --- 1. API tokens --------------------------------------------------------------------------


def test_the_django_admin_neither_makes_nor_shows_api_tokens(bondy):
    director = make_person(bondy, "direction@bondy.test")
    Token.objects.create(user=director)
    client = admin_client(superuser=True)
    for url in (
        "/django-admin/authtoken/tokenproxy/add/",
        "/django-admin/authtoken/tokenproxy/",
        f"/django-admin/authtoken/tokenproxy/{director.pk}/change/",
        "/django-admin/authtoken/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post("/django-admin/authtoken/tokenproxy/add/", {"user": director.pk})
    assert response.status_code == 404
    assert Token.objects.filter(user=director).count() == 1
    assert "authtoken" not in client.get("/django-admin/").content.decode()


# --- 2. Members and memberships ---------------------------------------------------------------


def test_the_django_admin_cannot_make_its_user_a_member_s_director(bondy):
    admin = union_admin()
    client = host_client("localhost", admin)
    url = f"/django-admin/tenants/memberccas/{bondy.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = form_fields(page.content.decode(), "memberccas_form")
    # What the « Memberships » inline's « Add another » sent: the admin as director.
    total = int(data.get("memberships-TOTAL_FORMS", 0))
    data.update(
        {
            "memberships-TOTAL_FORMS": str(total + 1),
            "memberships-INITIAL_FORMS": data.get("memberships-INITIAL_FORMS", "0"),
            f"memberships-{total}-user": str(admin.pk),
            f"memberships-{total}-role": Membership.Role.DIRECTOR,
            f"memberships-{total}-member": str(bondy.pk),
            "status": MemberCCAS.Status.SUSPENDED,
            "slug": "autre",
            "name": "CCAS de Bondy (renommé)",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Membership.objects.filter(user=admin).exists()
    bondy.refresh_from_db()
    assert (bondy.status, bondy.slug) == (MemberCCAS.Status.ACTIVE, "bondy")
    assert bondy.name == "CCAS de Bondy (renommé)"  # what stays editable here

    # Onboarding goes through the Wagtail admin's « Membres » (onboard_member), never here.
    assert client.get("/django-admin/tenants/memberccas/add/").status_code == 403
    assert client.get(f"/django-admin/tenants/memberccas/{bondy.pk}/delete/").status_code == 403


def test_the_member_change_form_shows_memberships_read_only(bondy):
    make_person(bondy, "direction@bondy.test")
    html = admin_client().get(f"/django-admin/tenants/memberccas/{bondy.pk}/change/")
    soup = BeautifulSoup(html.content.decode(), "html.parser")
    assert "direction@bondy.test" in soup.get_text()
    for name in ("status", "slug", "schema_name", "commune", "kind", "intercommunality"):
        assert soup.find(attrs={"name": name}) is None, name
    assert soup.find(attrs={"name": re.compile(r"^memberships-\d+-(role|user|DELETE)$")}) is None
    assert soup.find(attrs={"name": re.compile(r"^domains-\d+-domain$")}) is None


# --- 3. Media in development ------------------------------------------------------------------


@pytest.fixture
def debug_urls(settings):
    """The portal's URLconf as `make demo` (DEBUG) builds it."""
    settings.DEBUG = True
    importlib.reload(union.urls_public)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(union.urls_public)
    clear_url_caches()


def test_in_development_a_member_s_document_is_not_served_under_media(bondy, settings, debug_urls):
    director = make_person(bondy, "direction@bondy.test")
    response = member_client(bondy, director).post(
        "/documents/",
        {"title": "Budget 2027", "file": SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget")},
    )
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        document = Document.objects.get()
        url = document.file.url
    assert url.startswith("/media/m_bondy/")
    for client in (host_client("localhost"), admin_client(superuser=True)):
        assert client.get(url).status_code == 404
    # The proxy's one folder is served, as in production: Wagtail's image renditions.
    (settings.MEDIA_ROOT / "images").mkdir(exist_ok=True)
    (settings.MEDIA_ROOT / "images" / "vue.max-800x600.png").write_bytes(b"\x89PNG image")
    assert host_client("localhost").get("/media/images/vue.max-800x600.png").status_code == 200
    sideways = "/media/images/.." + url.removeprefix("/media")
    assert host_client("localhost").get(sideways).status_code in (400, 404)


# --- 4. The audit trail -----------------------------------------------------------------------


def test_the_audit_trail_cannot_be_deleted_from_the_django_admin(db):
    entry = record_audit("account.created", target="someone@union.test")
    client = admin_client(superuser=True)
    url = f"/django-admin/union/auditentry/{entry.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    listing = client.get("/django-admin/union/auditentry/")
    assert listing.status_code == 200
    assert "delete_selected" not in listing.content.decode()
    client.post(
        "/django-admin/union/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


# --- 5 and 6. Accounts in the Wagtail admin -----------------------------------------------------


def test_an_account_with_traces_is_not_deleted_and_the_message_says_to_deactivate(bondy):
    director = make_person(bondy, "direction@bondy.test")  # a membership
    registrant = User.objects.create_user("elu@ville.test", "elu@ville.test", PASSWORD)
    register_person(make_seminar(), person(email="Elu@ville.test"), notify=False)
    actor = User.objects.create_user("ancien@union.test", "ancien@union.test", PASSWORD)
    record_audit("account.created", actor=actor, target="x@union.test")
    client = admin_client()

    for user, trace in (
        (director, "un accès à un espace membre"),
        (registrant, "une inscription à un événement"),
        (actor, "des actions au journal d'audit"),
    ):
        url = f"/admin/users/delete/{user.pk}/"
        response = client.get(url, follow=True)
        assert response.redirect_chain[0] == (f"/admin/users/edit/{user.pk}/", 302)
        text = BeautifulSoup(response.content.decode(), "html.parser").get_text(" ")
        assert f"Le compte {user.email} n'est pas supprimé : il a {trace}." in text
        assert "décochez « Actif » et enregistrez" in text
        client.post(url)
        assert User.objects.filter(pk=user.pk).exists()

    # Nor all at once from the listing's bulk action.
    client.post(f"/admin/bulk/auth/user/delete/?id={director.pk}&id={actor.pk}")
    assert User.objects.filter(pk__in=[director.pk, actor.pk]).count() == 2

    # An account opened by mistake, never used, may still go.
    mistake = User.objects.create_user("erreur@union.test", "erreur@union.test", PASSWORD)
    assert client.post(f"/admin/users/delete/{mistake.pk}/").status_code == 302
    assert not User.objects.filter(pk=mistake.pk).exists()


def test_the_django_admin_shows_accounts_but_neither_deletes_nor_changes_them(bondy):
    director = make_person(bondy, "direction@bondy.test")
    client = admin_client(superuser=True)
    assert client.get(f"/django-admin/auth/user/{director.pk}/change/").status_code == 200
    for url in (
        f"/django-admin/auth/user/{director.pk}/delete/",
        f"/django-admin/auth/user/{director.pk}/password/",
        "/django-admin/auth/user/add/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/django-admin/auth/user/{director.pk}/password/",
        {"password1": "Un-autre-mot-de-passe-9", "password2": "Un-autre-mot-de-passe-9"},
    )
    assert response.status_code == 403
    director.refresh_from_db()
    assert director.check_password(PASSWORD)
    assert "delete_selected" not in client.get("/django-admin/auth/user/").content.decode()


def test_a_new_colleague_is_audited_and_chooses_their_password(
    django_capture_on_commit_callbacks, mailoutbox
):
    admin = union_admin()
    organisers = Group.objects.get(name=roles.EVENT_ORGANISER)
    client = host_client("localhost", admin)
    form = client.get("/admin/users/new/").content.decode()
    assert BeautifulSoup(form, "html.parser").find("input", attrs={"name": "email"})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/users/new/",
            {
                "username": "camille@union.test",
                "email": "camille@union.test",
                "first_name": "Camille",
                "last_name": "Martin",
                "password1": "",
                "password2": "",
                "groups": [organisers.pk],
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    colleague = User.objects.get(username="camille@union.test")
    assert not colleague.has_usable_password()
    entry = AuditEntry.objects.get(action="account.created")
    assert (entry.actor, entry.target, entry.member) == (admin, "camille@union.test", None)
    assert entry.details == {"groups": [roles.EVENT_ORGANISER], "superuser": False}
    (message,) = mailoutbox
    assert message.to == ["camille@union.test"]
    assert message.subject.endswith("choisissez votre mot de passe")
    link = re.search(r"http://localhost(/compte/mot-de-passe/\S+/\S+/)", message.body).group(1)
    # The link works: the colleague chooses a password and signs in with it.
    page = host_client("localhost").get(link, follow=True)
    assert page.status_code == 200 and 'name="new_password1"' in page.content.decode()


def test_the_union_cannot_type_a_password_for_anyone(
    bondy, django_capture_on_commit_callbacks, mailoutbox
):
    """A password typed by the union let its staff sign in as the person: for a member's
    director, into her member space. The forms have no password field and ignore one posted."""
    client = admin_client()
    assert 'name="password1"' not in client.get("/admin/users/new/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/users/new/",
            {
                "username": "dom@union.test",
                "email": "dom@union.test",
                "first_name": "Dominique",
                "last_name": "Roy",
                "password1": "Un-mot-de-passe-solide-42",
                "password2": "Un-mot-de-passe-solide-42",
            },
        )
    dom = User.objects.get(username="dom@union.test")
    assert not dom.has_usable_password()
    assert [message.to for message in mailoutbox] == [["dom@union.test"]]

    director = make_person(bondy, "direction@bondy.test")
    edit_page = client.get(f"/admin/users/edit/{director.pk}/").content.decode()
    assert 'name="password1"' not in edit_page
    _edit(client, director, password1="Pris-par-l-union-42", password2="Pris-par-l-union-42")
    director.refresh_from_db()
    assert not director.check_password("Pris-par-l-union-42")
    assert director.check_password(PASSWORD)


def _edit(client, user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": "Prénom",
        "last_name": "Nom",
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
    }
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(f"/admin/users/edit/{user.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_roles_and_deactivation_are_audited(bondy):
    admin = union_admin()
    client = host_client("localhost", admin)
    colleague = staff(roles.EDITOR, "eve@union.test")
    moderators = Group.objects.get(name=roles.MODERATOR)
    editors = Group.objects.get(name=roles.EDITOR)

    _edit(client, colleague, groups=[editors.pk, moderators.pk])
    entry = AuditEntry.objects.get(action="account.groups_changed")
    assert (entry.actor, entry.target) == (admin, "eve@union.test")
    assert entry.details == {
        "before": [roles.EDITOR],
        "after": sorted([roles.EDITOR, roles.MODERATOR]),
    }

    _edit(client, colleague, is_active=None)  # « Actif » unticked
    colleague.refresh_from_db()
    assert not colleague.is_active
    entry = AuditEntry.objects.get(action="account.deactivated")
    assert (entry.actor, entry.target) == (admin, "eve@union.test")

    director = make_person(bondy, "direction@bondy.test")
    # An edit that changes none of these records nothing more.
    count = AuditEntry.objects.count()
    _edit(client, director, last_name="Autre")
    assert AuditEntry.objects.count() == count


def test_bulk_actions_on_users_are_audited(django_capture_on_commit_callbacks):
    admin = union_admin()
    client = host_client("localhost", admin)
    one = staff(roles.EDITOR, "un@union.test")
    two = staff(roles.EDITOR, "deux@union.test")
    organisers = Group.objects.get(name=roles.EVENT_ORGANISER)

    client.post(
        f"/admin/bulk/auth/user/assign_role/?id={one.pk}&id={two.pk}", {"role": organisers.pk}
    )
    changes = AuditEntry.objects.filter(action="account.groups_changed").order_by("target")
    assert [(e.target, e.details["after"]) for e in changes] == [
        ("deux@union.test", sorted([roles.EDITOR, roles.EVENT_ORGANISER])),
        ("un@union.test", sorted([roles.EDITOR, roles.EVENT_ORGANISER])),
    ]

    client.post(f"/admin/bulk/auth/user/set_active_state/?id={one.pk}", {"mark_as_active": "False"})
    entry = AuditEntry.objects.get(action="account.deactivated")
    assert (entry.actor, entry.target) == (admin, "un@union.test")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/bulk/auth/user/set_active_state/?id={one.pk}", {"mark_as_active": "True"}
        )
    entry = AuditEntry.objects.get(action="account.reactivated")
    assert (entry.actor, entry.target) == (admin, "un@union.test")


# --- 7. Organisers and moderators edit their pages only ----------------------------------------


def test_organisers_and_moderators_edit_only_their_own_pages(bondy):
    guides, experiences = ensure_index_pages()
    guide = make_guide(guides, "Le budget du CCAS")
    experience = make_experience(experiences, bondy, "Une épicerie solidaire")
    seminar = make_seminar("Journée des élus")
    home = HomePage.objects.first()
    organiser = host_client("localhost", staff(roles.EVENT_ORGANISER, "orga@union.test"))
    moderator = host_client("localhost", staff(roles.MODERATOR, "modo@union.test"))

    for page in (guide, home, experience):
        assert edit_page(organiser, page) == "refusé", page
    assert edit_page(organiser, seminar) == "ouvert"
    for page in (guide, home, seminar):
        assert edit_page(moderator, page) == "refusé", page
    assert edit_page(moderator, experience) == "ouvert"


def edit_page(client, page) -> str:
    """Wagtail answers a page it does not let you edit with its admin home and a message."""
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    if response.status_code == 302 and response.url == "/admin/":
        return "refusé"
    return "ouvert" if response.status_code == 200 else str(response.status_code)


def test_ensure_union_groups_scopes_again_and_drops_wagtail_s_unused_groups(db):
    root = Page.get_first_root_node()
    organisers = Group.objects.get(name=roles.EVENT_ORGANISER)
    # As before session 16: the whole tree.
    GroupPagePermission.objects.get_or_create(
        group=organisers, page=root, permission_id=_page_permission("change_page")
    )
    Group.objects.get_or_create(name="Moderators")
    used, _ = Group.objects.get_or_create(name="Editors")
    User.objects.create_user("ancien-editeur").groups.add(used)
    index = make_index()

    ensure_union_groups()
    ensure_union_groups()  # idempotent

    assert not GroupPagePermission.objects.filter(group=organisers, page=root).exists()
    granted = GroupPagePermission.objects.filter(group=organisers, page=index)
    assert sorted(granted.values_list("permission__codename", flat=True)) == [
        "add_page",
        "change_page",
        "publish_page",
    ]
    assert set(
        Group.objects.filter(name__in=["Moderators", "Editors"]).values_list("name", flat=True)
    ) == {"Editors"}
    assert SeminarIndexPage.objects.count() == 1


def _page_permission(codename: str) -> int:
    from django.contrib.auth.models import Permission

    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename).pk


# --- 8. The Django admin's list of applications ------------------------------------------------


def test_the_django_admin_lists_no_application_it_cannot_open(db):
    client = admin_client()
    index = client.get("/django-admin/").content.decode()
    assert "Not available" not in index
    assert 'href="/django-admin/django_tasks_database/"' in index
    listing = client.get("/django-admin/django_tasks_database/dbtaskresult/")
    assert listing.status_code == 200
    assert "Not available" not in listing.content.decode()  # the sidebar

"""Shared fixtures: a real PostgreSQL with the COG loaded, members, and clients on their hosts.

Tests run inside a transaction that is rolled back (pytest-django's `db`), member schemas
included: creating a member (a schema cloned from the template) is transactional in PostgreSQL.
Avoid `transactional_db`: its flush would empty the session-wide reference data. Tests that
need committed data (concurrency, a live server) are marked `django_db` like the others (so the
test database is set up) and write through `run_committed`, which runs code in another thread,
on its own connection, outside the test's transaction; they remove what they created.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, connections
from django.dispatch import receiver
from django.test import Client
from django_tenants.signals import post_schema_sync
from rest_framework.authtoken.models import Token

from tenants.models import Commune, MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member, record_member_sign_in
from union import roles
from union.services import ensure_template_schema, ensure_union_groups

PASSWORD = "motdepasse-de-test-42"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After pytest-django migrated public: the member template schema, union groups, the COG."""
    with django_db_blocker.unblock():
        template = ensure_template_schema()
        call_command(
            "migrate_schemas", tenant=True, schema_name=template, interactive=False, verbosity=0
        )
        connection.set_schema_to_public()
        ensure_union_groups()
        if not Commune.objects.exists():
            call_command("import_cog", verbosity=0)
        connection.set_schema_to_public()
    yield
    with django_db_blocker.unblock():
        end_other_sessions()


def end_other_sessions() -> None:
    """End the test database's other client backends, so that pytest-django can drop it.

    Each worker ended with one idle backend besides its own, its last statement a test's
    ROLLBACK, and the database could not be dropped (« is being accessed by other users »). Django
    keeps a connection per thread and per asyncio context, and Playwright's sync API (the browser
    tests) runs an event loop in the test thread: the likely cause is a connection left behind in
    a context the suite no longer runs in, which no `close()` can reach. Ours only: a role may
    end its own sessions, not others'."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend' AND usename = current_user"
        )


@pytest.fixture(autouse=True)
def back_to_public_schema():
    """A request to a member host leaves the connection on that schema; put it back."""
    yield
    connection.set_schema_to_public()


_schema_created_on_test_connection = False


@receiver(post_schema_sync)
def note_schema_created(**kwargs):
    global _schema_created_on_test_connection
    if threading.current_thread() is threading.main_thread():
        _schema_created_on_test_connection = True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that created a member schema (its transaction now rolled back), open a new
    PostgreSQL backend for the next test. A backend keeps about 20 MB of catalogue caches for
    each schema cloned and rolled back, and each later clone is slower: 120 members created in
    one backend went from 0.3 s to 16 s a pair, and the suite from 5 to 19 minutes."""
    global _schema_created_on_test_connection
    result = yield
    if _schema_created_on_test_connection and not connection.in_atomic_block:
        connection.close()
        _schema_created_on_test_connection = False
    return result


def make_member(insee: str, **kwargs) -> MemberCCAS:
    """Builder: a member onboarded the real way (schema cloned from the template)."""
    member = onboard_member(insee, **kwargs)
    connection.set_schema_to_public()
    return member


def make_person(member: MemberCCAS, email: str, role: str = Membership.Role.DIRECTOR):
    """Builder: a person with a role in `member`, password PASSWORD."""
    return grant_membership(member, email, role, password=PASSWORD).user


def organiser(group: str = roles.EVENT_ORGANISER, email: str = "orga@union.test"):
    """Builder: an account of the union's staff in `group` (events' organisers by default)."""
    user = get_user_model().objects.create_user(email, email, PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def staff_api(db) -> Client:
    """The API as an event organiser, with a token (her own address: a test may also sign in
    an organiser of its own)."""
    token = Token.objects.create(user=organiser(email="api@union.test"))
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token.key}")


def host_client(host: str, user=None) -> Client:
    """A Django test client whose requests go to `host` (portal or member), logged in if `user`."""
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


def member_client(member: MemberCCAS, user=None) -> Client:
    """A client on `member`'s host, logged in if `user`: a sign-in to that space, as a login there
    would note it (force_login's request has no host, so tenants.models.note_member_sign_in
    cannot tell the space)."""
    client = host_client(member.domain_name, user)
    if user is not None:
        record_member_sign_in(user, member)
    return client


@pytest.fixture
def portal():
    return host_client("localhost")


@pytest.fixture
def bondy(db) -> MemberCCAS:
    return make_member("93010")


@pytest.fixture
def montreuil(db) -> MemberCCAS:
    return make_member("93048")


@pytest.fixture
def two_members(bondy, montreuil) -> tuple[MemberCCAS, MemberCCAS]:
    """Two members whose schemas are cloned from the same template: their primary keys collide."""
    return bondy, montreuil


def plain(text: str) -> str:
    """`text` as the tests read a page or a PDF: whitespace collapsed, so the no-break spaces of
    French typography (« : », « ? ») read as spaces (`str.split` treats U+00A0 as one)."""
    return " ".join(text.split())


def run_committed(fn, *args, **kwargs):
    """Run fn in a fresh thread and connection, so that its writes are committed for real."""
    outcome = {}

    def target():
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")

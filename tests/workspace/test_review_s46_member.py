"""Session 46's review of a member's space apart from the board and ABS (helper session,
read-only): a new pole spelled two ways in one import, two directors demoting each other at once,
an agent replacing the director's signed file, a partial PUT of the profile. Each fixed finding
with its test."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django_tenants.utils import schema_context

from tenants.models import MemberCCAS, Membership
from tenants.workspace import services as workspace_services
from tenants.workspace.models import ActivityFigure, Document
from tests.conftest import make_member, make_person, member_client, plain, run_committed

HEADER = "année;pôle;catégorie;nombre;montant\n"
PDF = b"%PDF-1.4 test " + b"x" * 50


@pytest.mark.django_db
def test_a_new_pole_typed_twice_in_one_file_is_one_pole(bondy):
    director = make_person(bondy, "dir@bondy.test")
    client = member_client(bondy, director)
    first = HEADER + "2024;Mon Pôle;Cat A;3;\n2024;mon pole;Cat B;4;\n"
    second = HEADER + "2025;Mon Pôle;Cat A;5;\n2025;Mon Pôle;Cat B;6;\n"
    for name, text in (("2024.csv", first), ("2025.csv", second)):
        response = client.post(
            "/api/v1/activity/import", {"file": SimpleUploadedFile(name, text.encode())}
        )
        assert response.status_code == 201
    with schema_context(bondy.schema_name):
        poles = set(ActivityFigure.objects.values_list("pole", flat=True))
    report = client.get("/api/v1/activity/?year=2025").json()
    assert poles == {"Mon Pôle"}
    assert report["missing"] == []
    cat_b = next(f for f in report["figures"] if f["category"] == "Cat B")
    assert cat_b["previous_count"] == 4
    page = plain(client.get("/activite/?annee=2024").content.decode())
    assert page.count('<h2 id="pole-') == 1


def _member_with_two_directors() -> tuple[int, list[int]]:
    member = make_member("93010")
    users = [make_person(member, f"d{number}@bondy.test") for number in (1, 2)]
    return member.pk, [user.pk for user in users]


def _remove_member(member_pk: int, user_pks: list[int]) -> None:
    from django.contrib.auth import get_user_model

    from union.models import AuditEntry

    AuditEntry.objects.filter(member_id=member_pk).delete()
    AuditEntry.objects.filter(actor_id__in=user_pks).delete()
    MemberCCAS.objects.get(pk=member_pk).delete(force_drop=True)
    get_user_model().objects.filter(pk__in=user_pks).delete()


def _directors(member_pk: int) -> int:
    return Membership.objects.filter(member_id=member_pk, role=Membership.Role.DIRECTOR).count()


@pytest.mark.django_db
@pytest.mark.committed
def test_two_directors_cannot_demote_each_other_at_once():
    """Both clicks count the directors before either commits (held at a barrier): without the
    team's lock, each saw the other as the director left, and the space kept none."""
    member_pk, (first, second) = run_committed(_member_with_two_directors)
    barrier = threading.Barrier(2, timeout=3)
    counted = workspace_services._directors_left

    def counted_then_wait(member, without):
        left = counted(member, without)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # the lock made the other click wait: what the fix does
        return left

    outcomes = []

    def demote(user_pk, actor_pk):
        try:
            member = MemberCCAS.objects.get(pk=member_pk)
            membership = Membership.objects.get(user_id=user_pk, member=member)
            actor = membership.user.__class__.objects.get(pk=actor_pk)
            workspace_services.change_team_role(member, membership, "agent", actor=actor)
            outcomes.append("demoted")
        except workspace_services.WorkspaceError as error:
            outcomes.append(str(error).replace("\xa0", " "))
        finally:
            connections.close_all()

    workspace_services._directors_left = counted_then_wait
    try:
        threads = [
            threading.Thread(target=demote, args=(first, second)),
            threading.Thread(target=demote, args=(second, first)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert run_committed(_directors, member_pk) == 1, outcomes
        assert sorted(outcomes) == [
            "L'espace doit garder au moins une direction : nommez-en une autre.",
            "demoted",
        ]
    finally:
        workspace_services._directors_left = counted
        run_committed(_remove_member, member_pk, [first, second])


def upload_minutes(client, member) -> int:
    """« PV du 3 mars » uploaded by `client`: the new document's id."""
    response = client.post(
        "/documents/",
        {"title": "PV du 3 mars", "category": "conseil", "file": SimpleUploadedFile("pv.pdf", PDF)},
    )
    assert response.status_code == 302
    with schema_context(member.schema_name):
        return Document.objects.get().pk


@pytest.mark.django_db
def test_an_agent_cannot_wipe_the_version_the_director_put_in_place(bondy):
    director = make_person(bondy, "dir@bondy.test")
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    by_director, by_agent = member_client(bondy, director), member_client(bondy, agent)
    pk = upload_minutes(by_agent, bondy)
    signed = SimpleUploadedFile("pv-signe.pdf", PDF + b" signed")
    assert by_director.post(f"/documents/{pk}/remplacer/", {"file": signed}).status_code == 302
    # Within 24 hours of her first upload, the signed version the director filed in its place
    # is no longer hers to replace or delete.
    other = SimpleUploadedFile("autre.pdf", PDF + b" agent")
    assert by_agent.post(f"/documents/{pk}/remplacer/", {"file": other}).status_code == 403
    assert by_agent.post(f"/documents/{pk}/supprimer/").status_code == 403
    with schema_context(bondy.schema_name):
        assert Document.objects.filter(pk=pk).exists()


@pytest.mark.django_db
def test_a_profile_put_may_leave_the_name_out(bondy):
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = member_client(bondy, agent)
    assert client.get("/api/v1/profile/").json()["legal_name"] == "CCAS de Bondy"
    response = client.put(
        "/api/v1/profile/", {"phone": "01 02 03 04 05"}, content_type="application/json"
    )
    # README: « un champ absent garde sa valeur et est vérifié avec les autres ».
    assert response.status_code == 200, response.content
    assert response.json()["legal_name"] == "CCAS de Bondy"
    assert response.json()["phone"] == "01 02 03 04 05"
    refused = client.put(
        "/api/v1/profile/", {"postal_code": "9314"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "postal_code" in refused.json()
    assert client.get("/api/v1/profile/").json()["legal_name"] == "CCAS de Bondy"


@pytest.mark.django_db
def test_an_agent_still_replaces_her_own_upload_nobody_replaced(bondy):
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    by_agent = member_client(bondy, agent)
    pk = upload_minutes(by_agent, bondy)
    again = SimpleUploadedFile("pv-bis.pdf", PDF + b" bis")
    assert by_agent.post(f"/documents/{pk}/remplacer/", {"file": again}).status_code == 302
    again = SimpleUploadedFile("pv-ter.pdf", PDF + b" ter")
    assert by_agent.post(f"/documents/{pk}/remplacer/", {"file": again}).status_code == 302

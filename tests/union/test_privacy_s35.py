"""Session 35, data protection left over from session 34's audit (A12):

1. An erased account lost its names and address but kept its groups and superuser flag, and an
   administrator could tick « Actif » again: it now loses its rights, and the users' form refuses
   to reactivate it, give it rights or an address.
2. The team invitations (the name a direction typed) stayed for ever: removing someone from a
   team deletes hers in that space only, and the daily pruning deletes those left from before.
3. « Anonymiser maintenant » left the address in the task queue's logs for 30 days: with her last
   registrations, the finished rows naming her go too.
"""

import html

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context

from seminars.models import Registration
from seminars.services import register_person, send_registrations_list
from tenants.models import Membership
from tenants.workspace.models import TeamInvitation
from tests.conftest import PASSWORD, host_client, make_person, member_client, plain
from tests.seminars.conftest import make_seminar, organiser, person
from tests.union.test_privacy_s34 import erase_url, union_admin, words
from union import roles
from union.retention import prune_audit_trail
from union.settings.base import TASK_BACKENDS

pytestmark = pytest.mark.django_db
User = get_user_model()


# --- 1. An erased account stays closed --------------------------------------------------------


def edit_form(account, **changes) -> dict:
    data = {
        "email": account.email,
        # Required by Wagtail's form: an erased account has none, the administrator types some.
        "first_name": account.first_name or "Léa",
        "last_name": account.last_name or "Roux",
        "password1": "",
        "password2": "",
    }
    data.update(changes)
    return data


def test_an_erased_account_loses_its_rights_and_cannot_be_reopened(db):
    admin = union_admin(superuser=True)
    union_admin("seconde@union.test", superuser=True)  # not the last superuser
    person = union_admin("partie@union.test", superuser=True)
    person.user_permissions.add(*Permission.objects.all()[:2])
    client = host_client("localhost", admin)
    assert client.post(erase_url(person)).status_code == 302

    person.refresh_from_db()
    assert not person.is_active
    assert not person.is_superuser and not person.is_staff
    assert not person.groups.exists() and not person.user_permissions.exists()

    edit = f"/admin/users/edit/{person.pk}/"
    group = Group.objects.get(name=roles.UNION_ADMIN)
    for changes in (
        {"is_active": "on"},
        {"is_superuser": "on"},
        {"groups": [group.pk]},
        {"email": "partie@union.test"},
    ):
        response = client.post(edit, edit_form(person, **changes))
        assert response.status_code == 200, changes  # the form again, with its error
        text = words(response.content.decode())
        assert "Les données personnelles de ce compte ont été effacées (RGPD)" in text
        assert "créez-lui un nouveau compte" in text
        person.refresh_from_db()
        assert not person.is_active and not person.is_superuser
        assert not person.groups.exists() and person.email.endswith("@efface.invalid")
        assert person.first_name == ""

    # A second erasure is refused: there is nothing left to erase.
    page = client.get(erase_url(person))
    assert "sont déjà effacées" in words(page.content.decode())


def test_an_ordinary_account_is_still_reactivated(db):
    """The refusal is for erased accounts only: a deactivated account comes back."""
    admin = union_admin(superuser=True)
    person = User.objects.create_user(
        "pause@ville.test", "pause@ville.test", PASSWORD, first_name="Paule", last_name="Ause"
    )
    person.is_active = False
    person.save()
    response = host_client("localhost", admin).post(
        f"/admin/users/edit/{person.pk}/", edit_form(person, is_active="on")
    )
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.is_active


# --- 2. Team invitations go with the access ---------------------------------------------------


def invite(member, user, first_name: str) -> TeamInvitation:
    with schema_context(member.schema_name):
        return TeamInvitation.objects.create(user=user, first_name=first_name, last_name="Roux")


def test_removing_someone_from_a_team_deletes_her_invitations_there_only(two_members):
    """Both spaces number their invitations from 1: removing her from Bondy's team deletes
    Bondy's row 1, never Montreuil's row 1."""
    bondy, montreuil = two_members
    director = make_person(bondy, "direction@bondy.test", Membership.Role.DIRECTOR)
    agent = make_person(bondy, "lea.roux@exemple.fr", Membership.Role.AGENT)
    make_person(montreuil, "lea.roux@exemple.fr", Membership.Role.AGENT)
    in_bondy, in_montreuil = invite(bondy, agent, "Léa"), invite(montreuil, agent, "Léa")
    assert in_bondy.pk == in_montreuil.pk  # colliding keys

    membership = Membership.objects.get(member=bondy, user=agent)
    response = member_client(bondy, director).post(f"/equipe/{membership.pk}/retirer/", follow=True)
    assert response.status_code == 200
    assert not Membership.objects.filter(member=bondy, user=agent).exists()
    with schema_context(bondy.schema_name):
        assert not TeamInvitation.objects.filter(user=agent).exists()
    with schema_context(montreuil.schema_name):
        assert TeamInvitation.objects.get(user=agent).first_name == "Léa"


def test_the_daily_pruning_deletes_invitations_of_people_who_left(two_members):
    """Rows left by removals before the rule: deleted where she has no access, kept where she
    still has one (same primary key in both spaces)."""
    bondy, montreuil = two_members
    left = make_person(montreuil, "ancien@exemple.fr", Membership.Role.AGENT)
    invite(bondy, left, "Ancien")  # she was in Bondy's team once
    invite(montreuil, left, "Ancien")
    stays = make_person(bondy, "reste@bondy.test", Membership.Role.AGENT)
    invite(bondy, stays, "Reste")

    prune_audit_trail()

    with schema_context(bondy.schema_name):
        assert list(TeamInvitation.objects.values_list("first_name", flat=True)) == ["Reste"]
    with schema_context(montreuil.schema_name):
        assert TeamInvitation.objects.get().user_id == left.pk


# --- 3. The queue forgets the address with her last registrations ---------------------------

ADDRESS = "sonia.petit@exemple.fr"
ERASE = "/admin/inscriptions/personne/anonymiser/"


def finish_queue() -> None:
    """What the worker leaves once it has sent everything queued."""
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=timezone.now())


def test_anonymising_her_last_registrations_forgets_the_emails_to_her(db, settings):
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
    first = make_seminar("Forum des solidarités")
    second = make_seminar("Atelier logement")
    mine, _ = register_person(first, person(1, email=ADDRESS, nom="Petit"))
    register_person(second, person(1, email=ADDRESS, nom="Petit"))
    register_person(first, person(2, email="voisin@exemple.fr", nom="Voisin"))
    assert send_registrations_list(ADDRESS)
    assert send_registrations_list("voisin@exemple.fr")
    finish_queue()

    def lists_to(address):
        return DBTaskResult.objects.filter(
            task_path="seminars.tasks.send_registrations_list_email",
            args_kwargs__args__0=address,
        )

    client = host_client("localhost", organiser())
    # One registration of two: her address is still held, so the logs stay.
    client.post(ERASE, {"email": ADDRESS, "inscription": mine.pk})
    assert lists_to(ADDRESS).exists()

    page = client.get(ERASE, {"email": ADDRESS})
    assert "les e-mails à son adresse que la file d'envoi garde" in html.unescape(
        plain(page.content.decode())
    )
    response = client.post(ERASE, {"email": ADDRESS}, follow=True)
    said = html.unescape(plain(response.content.decode()))
    assert "1 e-mail que la file d'envoi gardait à son adresse est effacé." in said
    assert not lists_to(ADDRESS).exists()
    assert not Registration.objects.filter(email=ADDRESS).exists()
    # Another person's e-mails stay.
    assert lists_to("voisin@exemple.fr").exists()


def test_an_email_still_to_go_is_not_forgotten(db, settings):
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
    seminar = make_seminar("Forum des solidarités")
    register_person(seminar, person(1, email=ADDRESS, nom="Petit"))
    assert send_registrations_list(ADDRESS)  # not sent yet (READY)
    host_client("localhost", organiser()).post(ERASE, {"email": ADDRESS})
    assert DBTaskResult.objects.filter(
        task_path="seminars.tasks.send_registrations_list_email", status="READY"
    ).exists()

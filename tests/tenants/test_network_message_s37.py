"""Session 37: « Écrire aux membres ». The union writes, from the members' admin, to the
directions (or whole teams) of its active members: counted before sending (« N personnes dans
M membres »), one e-mail per person greeted by name with her member's, never to a deactivated
account nor to a suspended member, through the task queue, recorded in the union's trail
without the addresses; an event's registrations page offers to announce it, the form filled
in with the event's full address."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from seminars.links import event_path
from tenants.models import MemberCCAS
from tenants.services import portal_url, record_member_sign_in
from tenants.tasks import network_message_still_wanted, send_network_message_task
from tests.conftest import PASSWORD, host_client, make_member, make_person, plain
from tests.seminars.conftest import make_seminar
from union import roles
from union.models import AuditEntry, UnionSettings

pytestmark = pytest.mark.django_db

URL = "/admin/membres/ecrire/"


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def contact():
    identity = UnionSettings.load()
    identity.name = "UDCCAS de test"
    identity.email = "contact@union.test"
    identity.save()
    return identity


@pytest.fixture
def network(two_members, contact):
    """Bondy: a director and an agent; Montreuil: a director and a deactivated director; a
    suspended member's director."""
    bondy, montreuil = two_members
    people = {
        "claire": named(make_person(bondy, "claire@bondy.test"), "Claire", "Martin"),
        "agent": named(make_person(bondy, "agent@bondy.test", "agent"), "Léa", "Agent"),
        "paul": named(make_person(montreuil, "paul@montreuil.test"), "Paul", "Durand"),
        "gone": named(make_person(montreuil, "parti@montreuil.test"), "Ancien", "Directeur"),
    }
    people["gone"].is_active = False
    people["gone"].save()
    suspended = make_member("93066")  # Saint-Denis
    people["saint_denis"] = make_person(suspended, "direction@saint-denis.test")
    MemberCCAS.objects.filter(pk=suspended.pk).update(status=MemberCCAS.Status.SUSPENDED)
    return {"bondy": bondy, "montreuil": montreuil, "suspended": suspended, **people}


def text_of(response) -> str:
    return plain(BeautifulSoup(response.content.decode(), "html.parser").get_text(" "))


def message(**extra) -> dict:
    return {
        "whom": "directions",
        "include_pending": "on",
        "subject": "Enquête ABS 2026",
        "body": "La campagne ABS commence.\nRépondez avant le 30 juin.",
        "form_id": "formulaire-ecrire-membres-0001",
        **extra,
    }


def send(client, captured, **extra):
    """The two steps: checked and counted, then « Envoyer » with the count shown."""
    data = message(**extra)
    preview = client.post(URL, data)
    assert preview.status_code == 200, text_of(preview)
    expected = BeautifulSoup(preview.content.decode(), "html.parser").find(
        "input", attrs={"name": "expected"}
    )["value"]
    with captured(execute=True):
        sent = client.post(URL, {**data, "confirmed": "1", "expected": expected})
    assert sent.status_code == 302
    return preview


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_directions_of_active_members_each_get_their_own_email(
    admin, network, django_capture_on_commit_callbacks
):
    page = admin.get("/admin/membres/")
    assert URL in [a["href"] for a in BeautifulSoup(page.content, "html.parser").find_all("a")]
    form = text_of(admin.get(URL))
    assert "Directions" in form and "Toutes les équipes" in form

    preview = send(admin, django_capture_on_commit_callbacks)
    said = text_of(preview)
    assert "2 personnes dans 2 membres" in said
    assert "1 compte désactivé laissé de côté" in said

    # Not the agent, not the deactivated director, not the suspended member's director.
    assert recipients() == ["claire@bondy.test", "paul@montreuil.test"]
    for sent in mail.outbox:
        assert len(sent.to) == 1 and not sent.cc and not sent.bcc
        assert sent.subject == "Enquête ABS 2026"
        assert sent.reply_to == ["contact@union.test"]
        assert "La campagne ABS commence.\nRépondez avant le 30 juin." in sent.body
    by_address = {sent.to[0]: sent for sent in mail.outbox}
    assert by_address["claire@bondy.test"].body.startswith("Bonjour Claire Martin (CCAS de Bondy),")
    assert by_address["paul@montreuil.test"].body.startswith(
        "Bonjour Paul Durand (CCAS de Montreuil),"
    )
    assert "Vous recevez ce message de l'UDCCAS de test" in by_address["paul@montreuil.test"].body
    html = by_address["claire@bondy.test"].alternatives[0].content
    assert "La campagne ABS commence.<br>Répondez avant le 30 juin." in html

    # The trail: who, the subject, the filters, the count; no address.
    entry = AuditEntry.objects.get(action="network.emailed")
    assert entry.actor.email == "admin@union.test"
    assert entry.details["subject"] == "Enquête ABS 2026"
    assert entry.details["count"] == 2 and entry.details["members"] == 2
    assert entry.details["whom"] == "directions"
    assert "@" not in json.dumps(entry.details) and "@" not in entry.target


def test_whole_teams_reach_the_agents(admin, network, django_capture_on_commit_callbacks):
    preview = send(admin, django_capture_on_commit_callbacks, whom="equipes")
    assert "3 personnes dans 2 membres" in text_of(preview)
    assert recipients() == ["agent@bondy.test", "claire@bondy.test", "paul@montreuil.test"]


def test_people_who_never_came_can_be_left_out(admin, network, django_capture_on_commit_callbacks):
    record_member_sign_in(network["claire"], network["bondy"])
    preview = send(admin, django_capture_on_commit_callbacks, include_pending="")
    said = text_of(preview)
    assert "1 personne dans 1 membre" in said
    assert "pas encore accepté son invitation" in said
    assert recipients() == ["claire@bondy.test"]


def test_filters_by_departement_and_kind(admin, network, django_capture_on_commit_callbacks):
    cias = make_member("93010", kind=MemberCCAS.Kind.CIAS)  # Est Ensemble, seated in Bondy
    make_person(cias, "direction@est-ensemble.test")
    vincennes = make_member("94080")
    make_person(vincennes, "direction@vincennes.test")

    send(admin, django_capture_on_commit_callbacks, departement="94")
    assert recipients() == ["direction@vincennes.test"]
    mail.outbox = []
    send(admin, django_capture_on_commit_callbacks, kind="CIAS", form_id="formulaire-cias-00001")
    assert recipients() == ["direction@est-ensemble.test"]
    mail.outbox = []
    send(
        admin,
        django_capture_on_commit_callbacks,
        departement="93",
        kind="CCAS",
        form_id="formulaire-ccas-93-0001",
    )
    assert recipients() == ["claire@bondy.test", "paul@montreuil.test"]


def test_an_empty_audience_is_refused_and_what_was_typed_is_kept(admin, network):
    refused = admin.post(URL, message(kind="CIAS"))  # no CIAS among the members
    assert refused.status_code == 400
    soup = BeautifulSoup(refused.content.decode(), "html.parser")
    assert "Aucun destinataire" in text_of(refused)
    assert soup.find("input", attrs={"name": "subject"})["value"] == "Enquête ABS 2026"
    assert soup.find("textarea", attrs={"name": "body"}).get_text().strip() == (
        "La campagne ABS commence.\nRépondez avant le 30 juin."
    )
    assert soup.find("select", attrs={"name": "kind"}).find("option", selected=True)["value"] == (
        "CIAS"
    )
    # Without a subject: refused, the body kept.
    refused = admin.post(URL, message(subject=""))
    assert refused.status_code == 400
    assert "La campagne ABS commence." in refused.content.decode()
    # Confirmed all the same: nothing goes.
    admin.post(URL, {**message(kind="CIAS"), "confirmed": "1", "expected": "0"})
    assert mail.outbox == [] and not AuditEntry.objects.filter(action="network.emailed").exists()


def test_the_same_form_posted_twice_sends_once(admin, network, django_capture_on_commit_callbacks):
    send(admin, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = admin.post(URL, {**message(), "confirmed": "1", "expected": "2"})
    assert again.status_code == 302
    assert len(mail.outbox) == 2


def test_a_count_that_changed_since_the_confirmation_is_shown_again(admin, network):
    response = admin.post(URL, {**message(), "confirmed": "1", "expected": "5"})
    assert response.status_code == 200
    assert "Les destinataires ont changé" in text_of(response)
    assert mail.outbox == []


def test_someone_deactivated_or_removed_before_the_task_runs_is_not_written_to(network):
    from tenants.network_message import Audience, choose_recipients

    ids = choose_recipients(Audience()).membership_ids
    network["paul"].is_active = False
    network["paul"].save()
    assert send_network_message_task.call(ids, "Objet", "Texte", []) == 1
    assert recipients() == ["claire@bondy.test"]
    # A failed copy is not resent to him either.
    assert network_message_still_wanted(
        ids, "Objet", "Texte", [], recipients=["paul@montreuil.test"]
    )
    assert not network_message_still_wanted(
        ids, "Objet", "Texte", [], recipients=["claire@bondy.test"]
    )
    MemberCCAS.objects.filter(pk=network["bondy"].pk).update(status=MemberCCAS.Status.LEFT)
    assert send_network_message_task.call(ids, "Objet", "Texte", []) == 0


def test_other_union_staff_are_refused(network):
    editor = get_user_model().objects.create_user("edit@union.test", "edit@union.test", PASSWORD)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    client = host_client("localhost", editor)
    refused = client.get(URL)  # Wagtail turns the refusal into a redirect home
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    client.post(URL, {**message(), "confirmed": "1", "expected": "2"})
    assert mail.outbox == []


@pytest.mark.parametrize("visibility", ["public", "invitation"])
def test_an_event_is_announced_with_its_full_address(admin, network, visibility):
    seminar = make_seminar("Séminaire des directions", visibility=visibility)
    page = BeautifulSoup(
        admin.get(f"/admin/inscriptions/{seminar.pk}/").content.decode(), "html.parser"
    )
    (link,) = page.find_all("a", string="Annoncer aux membres")
    form = BeautifulSoup(admin.get(link["href"]).content.decode(), "html.parser")
    subject = form.find("input", attrs={"name": "subject"})["value"]
    body = form.find("textarea", attrs={"name": "body"}).get_text()
    assert plain(subject) == "Séminaire des directions"  # its title says its kind
    url = portal_url(event_path(seminar))
    assert url.startswith("http") and url in body
    assert ("invitation=" + seminar.invitation_key in body) == (visibility == "invitation")
    assert "Salle des fêtes" in body and "Inscriptions jusqu'au" in plain(body)


def test_an_event_organiser_announces_her_event_and_an_editor_is_not_offered_it(
    network, django_capture_on_commit_callbacks
):
    """Karim, who runs the union's events, is not an admin: announcing them is his job."""
    organiser = get_user_model().objects.create_user("orga@union.test", "orga@union.test", PASSWORD)
    organiser.groups.add(Group.objects.get(name=roles.EVENT_ORGANISER))
    editor = get_user_model().objects.create_user("edit@union.test", "edit@union.test", PASSWORD)
    editor.groups.add(Group.objects.get(name=roles.EDITOR), Group.objects.get(name=roles.MODERATOR))
    seminar = make_seminar("Séminaire des directions")
    client = host_client("localhost", organiser)
    page = BeautifulSoup(
        client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode(), "html.parser"
    )
    (link,) = page.find_all("a", string="Annoncer aux membres")
    form = client.get(link["href"])
    assert form.status_code == 200
    # The members' list is the admins': her way back, and after sending, is the events' list
    # (audit A24 #4: she landed on a refusal beside the success message).
    back = BeautifulSoup(form.content.decode(), "html.parser").find("a", string="Annuler")
    assert back["href"] == "/admin/inscriptions/"
    mail.outbox.clear()
    data = {**message(), "form_id": "formulaire-ecrire-membres-0002"}
    preview = client.post(URL, data)
    expected = BeautifulSoup(preview.content.decode(), "html.parser").find(
        "input", attrs={"name": "expected"}
    )["value"]
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(URL, {**data, "confirmed": "1", "expected": expected}, follow=True)
    assert sent.redirect_chain == [("/admin/inscriptions/", 302)]
    assert "Message en cours d'envoi" in text_of(sent)
    assert "autorisations" not in text_of(sent)
    assert mail.outbox
    assert "Annoncer aux membres" not in (
        host_client("localhost", editor).get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    )


def test_a_nameless_account_a_titled_event_and_the_journals_label(
    admin, network, django_capture_on_commit_callbacks
):
    """Audit A25 #6–#8: « Bonjour (CCAS de Bondy), » to an account without a name; « Atelier
    début de mandat : Atelier début de mandat : … » and quotes inside quotes; the union's journal
    showed the code « network.emailed »."""
    from tenants.network_message import event_announcement, greeting
    from union.admin import AUDIT_ACTION_LABELS

    nameless = named(network["claire"], "", "")
    assert greeting(nameless, ["CCAS de Bondy"]) == "Bonjour,"
    assert (
        greeting(network["paul"], ["CCAS de Montreuil"])
        == "Bonjour Paul Durand (CCAS de Montreuil),"
    )

    titled = make_seminar("Atelier début de mandat : le CCAS, mode d'emploi")
    titled.kind = "atelier_debut_mandat"
    announcement = event_announcement(titled)
    assert announcement["subject"] == "Atelier début de mandat : le CCAS, mode d'emploi"
    assert announcement["body"].startswith(
        "Nous vous invitons à « Atelier début de mandat : le CCAS, mode d'emploi »."
    )
    quoted = make_seminar("Commission « personnes âgées »")
    quoted.kind = "commission"
    announcement = event_announcement(quoted)
    # Its title says its kind and has its own quotes: neither is added again.
    assert announcement["subject"] == "Commission « personnes âgées »"
    assert announcement["body"].startswith("Nous vous invitons à Commission « personnes âgées ».")
    assert AUDIT_ACTION_LABELS["network.emailed"] == "Message écrit aux membres"

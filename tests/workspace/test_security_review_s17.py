"""Findings of the security review of session 17 (an attacker's reading of the tenant boundary
and of the roles), each checked through Django's stack:
- a mandate's label typed by an agent ran as script in the director's browser (help text
  printed `|safe`): the agent could invite herself as director;
- a union administrator could name herself director of any member (« Inviter une direction »),
  or change a director's e-mail address in Paramètres › Utilisateurs and receive her reset link;
- anyone knowing a registrant's name and address could give her consent to the published list
  by posting the form again;
- an agent could destroy the director's documents by « replacing » their file."""

import os

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from seminars.models import Registration
from seminars.services import RegistrationError, register_person
from tenants.models import Membership
from tenants.workspace.models import BoardMandate, Document
from tests.conftest import host_client, make_person, member_client
from tests.seminars.conftest import make_seminar, person
from tests.seminars.test_api import post_json, registration_body
from tests.union.test_admin_lockdown_s16 import staff, union_admin
from tests.workspace.conftest import make_board
from union import roles

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content.decode(), "html.parser").get_text(" ").split())


SCRIPT = '<img src=x onerror="alert(document.domain)">'
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_label_typed_in_the_space_is_shown_as_text_not_run(bondy, montreuil):
    make_board(bondy)
    make_board(montreuil)  # same mandate id in both schemas
    with schema_context(bondy.schema_name):
        BoardMandate.objects.update(label=SCRIPT[:50])
    director = make_person(bondy, "dir@bondy.test")
    page = member_client(bondy, director).get("/conseil/renouveler/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=" in page
    # Montreuil's renewal page says its own label only.
    other = make_person(montreuil, "dir@montreuil.test")
    assert (
        "onerror"
        not in member_client(montreuil, other).get("/conseil/renouveler/").content.decode()
    )


def test_the_union_cannot_name_its_own_people_to_a_members_direction(
    bondy, django_capture_on_commit_callbacks, mailoutbox
):
    admin = union_admin()
    client = host_client("localhost", admin)
    colleague = staff(roles.EVENT_ORGANISER, "orga@union.test")
    for email in (admin.email, colleague.email):
        response = client.post(f"/admin/membres/{bondy.pk}/direction/", {"email": email})
        assert response.status_code == 200
        assert "l'union n'entre pas dans les espaces de ses membres" in text_of(response)
    assert not Membership.objects.filter(member=bondy).exists()

    # Nor at onboarding: nothing is created.
    response = client.post(
        "/admin/membres/ajouter/",
        {"commune": "93048", "kind": "CCAS", "director_email": admin.email},
    )
    assert "l'union n'entre pas" in text_of(response)
    assert not Membership.objects.filter(user=admin).exists()

    # A real director is named: the directors already there are told by e-mail.
    make_person(bondy, "dir@bondy.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/membres/{bondy.pk}/direction/", {"email": "codir@bondy.test"})
    told = [m for m in mailoutbox if m.to == ["dir@bondy.test"]]
    assert len(told) == 1
    assert "nouvelle personne à la direction" in told[0].subject
    assert "codir@bondy.test" in told[0].body and "/equipe/" in told[0].body


def test_the_union_cannot_change_a_member_persons_address(bondy):
    client = host_client("localhost", union_admin())
    director = make_person(bondy, "dir@bondy.test")
    response = client.post(
        f"/admin/users/edit/{director.pk}/",
        {
            "username": director.username,
            "email": "moi@union.test",
            "first_name": "Dir",
            "last_name": "Bondy",
            "is_active": "on",
        },
        follow=True,
    )
    assert "n'a pas été changée" in text_of(response)
    director.refresh_from_db()
    assert director.email == "dir@bondy.test"
    # A union colleague's own address still changes there.
    colleague = staff(roles.EDITOR, "eve@union.test")
    client.post(
        f"/admin/users/edit/{colleague.pk}/",
        {
            "username": colleague.username,
            "email": "eve.martin@union.test",
            "first_name": "Eve",
            "last_name": "Martin",
            "is_active": "on",
            "groups": [group.pk for group in colleague.groups.all()],
        },
    )
    colleague.refresh_from_db()
    assert colleague.email == "eve.martin@union.test"


def test_registering_again_may_withdraw_consent_never_give_it(portal, bondy):
    seminar = make_seminar()
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    created = post_json(portal, url, registration_body(consent=False))
    assert created.status_code == 201
    registration = Registration.objects.get(pk=created.json()["id"])
    again = post_json(portal, url, registration_body(consent=True))
    assert again.status_code == 200
    registration.refresh_from_db()
    assert registration.consent is False

    # Given on her personal page, it is withdrawn by a form posted again without the box…
    registration.consent = True
    registration.save(update_fields=["consent"])
    post_json(portal, url, registration_body(consent=False))
    registration.refresh_from_db()
    assert registration.consent is False
    # …and kept when her CCAS types her in again (its form has no consent box): since session
    # 32 a member no longer updates a registration it did not make (test_audit_s32.py).
    registration.consent = True
    registration.save(update_fields=["consent"])
    data = person(email="aicha@exemple.fr", nom="Durand", commune="93053", consent=False)
    data.prenom = "Aïcha"
    with pytest.raises(RegistrationError):
        register_person(seminar, data, source=Registration.Source.MEMBER, member=bondy)
    registration.refresh_from_db()
    assert registration.consent is True


def test_an_agent_cannot_replace_the_directors_documents(bondy, montreuil):
    files = {}
    for member in (bondy, montreuil):
        director = make_person(member, f"dir@{member.slug}.test")
        member_client(member, director).post(
            "/documents/",
            {"title": "PV", "file": SimpleUploadedFile("pv.pdf", PDF + member.slug.encode())},
        )
        with schema_context(member.schema_name):
            files[member.slug] = Document.objects.get()
    assert files["bondy"].pk == files["montreuil"].pk
    pk = files["bondy"].pk
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = member_client(bondy, agent)
    assert client.get(f"/documents/{pk}/remplacer/").status_code == 403
    refused = client.post(
        f"/documents/{pk}/remplacer/", {"file": SimpleUploadedFile("x.pdf", PDF + b"agent")}
    )
    assert refused.status_code == 403
    with schema_context(bondy.schema_name):
        kept = Document.objects.get()
        assert kept.file.read() == PDF + b"bondy"
        assert os.path.exists(kept.file.path)
    assert f"/documents/{pk}/remplacer/" not in client.get("/documents/").content.decode()
    # Her own fresh upload she may still replace (a wrong file, noticed at once).
    client.post("/documents/", {"title": "Mien", "file": SimpleUploadedFile("a.pdf", PDF)})
    with schema_context(bondy.schema_name):
        own = Document.objects.get(title="Mien")
    assert client.get(f"/documents/{own.pk}/remplacer/").status_code == 200

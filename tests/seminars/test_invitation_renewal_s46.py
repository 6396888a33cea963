"""« Renouveler le lien d'invitation » (session 46): an invitation link forwarded beyond those
invited could not be taken back; the key never changed. Organisers now renew it: the old link
opens nothing any more (page, form, API, calendar file, proceedings and their files, for those who
had opened it too), registrants keep their personal links, and no revision brings the old key back."""

import html

import pytest

from seminars.door_access import DOOR_STAFF
from seminars.links import ics_path, manage_path, page_path
from seminars.models import SeminarPage, Visibility
from seminars.services import register_person, renew_invitation_key
from tests.conftest import host_client, organiser
from tests.seminars.conftest import make_seminar, person
from tests.seminars.test_review_s45 import proceedings_with_a_file
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).replace("\xa0", " ").split())


def renew_url(event) -> str:
    return f"/admin/inscriptions/{event.pk}/lien-invitation/"


@pytest.fixture
def secret(db):
    return make_seminar("Réunion des directions", visibility=Visibility.INVITATION)


def test_an_organiser_renews_the_link_and_the_old_one_opens_nothing(secret, organiser_client):
    old_key = secret.invitation_key
    register_person(secret, person(1))
    listing = text_of(organiser_client.get(f"/admin/inscriptions/{secret.pk}/"))
    assert "Renouveler le lien d'invitation" in listing
    asked = organiser_client.get(renew_url(secret))
    assert asked.status_code == 200
    said = text_of(asked)
    assert "l'ancien lien n'ouvre plus la page de l'événement" in said
    assert "la personne inscrite (confirmée ou en liste d'attente) garde son lien personnel" in said
    assert SeminarPage.objects.get(pk=secret.pk).invitation_key == old_key  # a GET changes nothing

    done = organiser_client.post(renew_url(secret), follow=True)
    new_key = SeminarPage.objects.get(pk=secret.pk).invitation_key
    assert new_key != old_key and len(new_key) >= 32
    assert "Nouveau lien d'invitation créé" in text_of(done)
    assert f"?invitation={new_key}" in done.content.decode()  # the box to copy it from
    assert old_key not in done.content.decode()

    visitor = host_client("localhost")
    assert visitor.get(page_path(secret), {"invitation": old_key}).status_code == 404
    assert visitor.get(page_path(secret), {"invitation": new_key}).status_code == 200
    secret.invitation_key = old_key
    assert visitor.get(ics_path(secret)).status_code == 404
    refused = visitor.post(
        f"/api/v1/seminars/{secret.pk}/registrations/",
        {**_api_person(), "invitation": old_key},
        content_type="application/json",
    )
    assert refused.status_code == 404

    entry = AuditEntry.objects.get(action="seminar.invitation_renewed")
    assert entry.details["seminar"] == secret.pk
    assert old_key not in str(entry.details) and new_key not in str(entry.details)


def _api_person() -> dict:
    return {
        "nom": "Martin",
        "prenom": "Lou",
        "email": "lou.martin@exemple.fr",
        "commune": "Bondy",
        "fonction": "maire",
        "consent": False,
    }


def test_registrants_personal_page_leads_to_the_page_with_the_new_key(secret, organiser_client):
    registration, _ = register_person(secret, person(1))
    renew_invitation_key(secret, by=None)
    new_key = SeminarPage.objects.get(pk=secret.pk).invitation_key
    own = host_client("localhost").get(manage_path(registration))
    assert own.status_code == 200
    assert f"invitation={new_key}" in own.content.decode()


def test_a_visitor_who_opened_the_old_link_loses_the_proceedings_files(db):
    event = make_seminar("Réunion CAF", days_ahead=-10, visibility=Visibility.INVITATION)
    proceedings, document = proceedings_with_a_file(event)
    forwarded = host_client("localhost")
    opened = forwarded.get(page_path(proceedings), {"invitation": event.invitation_key})
    assert opened.status_code == 200
    assert forwarded.get(document.download_url).status_code == 200

    renew_invitation_key(event, by=None)
    assert forwarded.get(document.download_url).status_code != 200
    # The invited reader with the new link opens them again.
    forwarded.get(page_path(proceedings), {"invitation": event.invitation_key})
    assert forwarded.get(document.download_url).status_code == 200


def test_publishing_an_older_revision_keeps_the_new_key(secret):
    secret.save_revision()  # a draft written before the renewal
    older = secret.get_latest_revision()
    renew_invitation_key(secret, by=None)
    new_key = SeminarPage.objects.get(pk=secret.pk).invitation_key
    older.publish()
    assert SeminarPage.objects.get(pk=secret.pk).invitation_key == new_key


def test_an_event_not_on_invitation_has_no_link_to_renew(organiser_client):
    public = make_seminar("Séminaire ouvert")
    refused = organiser_client.post(renew_url(public))
    assert refused.status_code == 409
    assert "Cet événement n'est pas sur invitation" in text_of(refused)
    listing = text_of(organiser_client.get(f"/admin/inscriptions/{public.pk}/"))
    assert "Renouveler le lien d'invitation" not in listing


def test_the_welcome_desk_cannot_renew_the_link(secret):
    desk = host_client("localhost", organiser(DOOR_STAFF, email="accueil@union.test"))
    old_key = secret.invitation_key
    refused = desk.post(renew_url(secret))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's refusal
    assert SeminarPage.objects.get(pk=secret.pk).invitation_key == old_key
    assert not AuditEntry.objects.filter(action="seminar.invitation_renewed").exists()

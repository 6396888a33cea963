"""Every file the seminars app hands out is named in ASCII (union.spreadsheets.ascii_file_name),
whatever the event's slug (Wagtail keeps accents) and the person's name: a saved « séminaire-….pdf »
is mangled by some mail clients and Windows tools, even when `filename*` sent it right. The name
still says the event and the person. Real HTTP through the test client, a real e-mail."""

from dataclasses import replace

import pytest

from seminars.links import make_token
from seminars.services import register_person, set_check_in
from tests.seminars.conftest import make_seminar, person
from union.spreadsheets import ascii_file_name

pytestmark = pytest.mark.django_db

EVENT = "seminaire-debut-de-mandat"
ELODIE = f"attestation-presence-{EVENT}-dupont-elodie.pdf"


@pytest.fixture
def event():
    """« Séminaire début de mandat », slug with its accents, over; Élodie Dupont was there."""
    seminar = make_seminar("Séminaire début de mandat", days_ahead=-2)
    seminar.slug = "séminaire-début-de-mandat"
    seminar.save()
    elodie, _ = register_person(
        seminar, replace(person(1, nom="Dupont"), prenom="Élodie"), notify=False
    )
    set_check_in(elodie, True)
    return seminar, elodie


def saved_as(response) -> str:
    """The file name a browser saves: `filename`, and no `filename*` to prefer over it."""
    assert response.status_code == 200, response.content[:300]
    header = response["Content-Disposition"]
    assert "filename*" not in header, header
    kind, name = header.split("; ")
    assert kind == "attachment" and name.startswith('filename="') and name.isascii()
    return name.removeprefix('filename="').removesuffix('"')


def test_the_organisers_downloads(organiser_client, event):
    seminar, elodie = event
    base = f"/admin/inscriptions/{seminar.pk}/"
    assert saved_as(organiser_client.get(f"{base}attestations/")) == (
        f"attestation-presence-{EVENT}.pdf"
    )
    assert saved_as(organiser_client.get(f"{base}{elodie.pk}/attestation/")) == ELODIE
    assert saved_as(organiser_client.get(f"{base}badges/")) == f"badges-{EVENT}.pdf"
    assert saved_as(organiser_client.get(f"{base}avis.xlsx")) == f"avis-{EVENT}.xlsx"
    assert saved_as(organiser_client.get(f"{base}liste.xlsx")) == f"inscriptions-{EVENT}.xlsx"
    export = organiser_client.get(f"{base}export/", {"format": "pdf"})
    assert saved_as(export) == f"emargement-{EVENT}.pdf"


def test_the_registrants_own_attestation_and_the_events_calendar_file(portal, event):
    seminar, elodie = event
    own = portal.get(f"/evenements/inscription/{make_token(elodie)}/attestation.pdf")
    assert saved_as(own) == ELODIE
    assert saved_as(portal.get(f"/evenements/ics/{seminar.pk}.ics")) == f"{EVENT}.ics"


def test_the_emailed_attestation(
    organiser_client, event, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, elodie = event
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"/admin/inscriptions/{seminar.pk}/attestations/envoyer/")
    (message,) = mailoutbox
    (name, _content, _mimetype) = message.attachments[0]
    assert name == ELODIE


def test_ascii_file_name():
    assert ascii_file_name("avis", "vœux-aux-élus", extension="xlsx") == "avis-voeux-aux-elus.xlsx"
    assert ascii_file_name("Œuvre", "", "Lœw Zoé", extension="pdf") == "oeuvre-loew-zoe.pdf"
    assert ascii_file_name("—", extension="ics") == "fichier.ics"  # nothing left of the name


def test_the_calendar_files_attached_to_the_emails(mailoutbox, django_capture_on_commit_callbacks):
    """The confirmation's .ics and the cancellation's: ASCII too, whatever the slug."""
    from seminars.services import cancel_registration

    seminar = make_seminar("Séminaire début de mandat")
    seminar.slug = "séminaire-début-de-mandat"
    seminar.save()
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = register_person(seminar, person(2))
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration)
    names = [
        attachment.get_filename() if hasattr(attachment, "get_filename") else attachment[0]
        for message in mailoutbox
        for attachment in message.attachments
    ]
    assert f"{EVENT}.ics" in names
    assert f"{EVENT}-annulation.ics" in names

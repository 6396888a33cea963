"""Attestations de présence: for people checked in on the day, from the organisers' screens, by
e-mail (once each) and from the registrant's own signed page. PDFs are read back."""

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from seminars.links import make_token
from seminars.services import register_person, set_check_in
from seminars.tasks import send_registration_email
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person
from tests.union.test_pdf import OUR_FACES, embedded_fonts
from union import roles
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def event():
    """A one-day event, over, with one atelier; Zola present with it, Abel present, Roux absent, and Lebrun
    on the waiting list (checked in by mistake: no seat, no attestation)."""
    seminar = make_seminar(
        "Journée des élus",
        seats=3,
        ateliers=(("Précarité énergétique", 1, 2, 10),),
        days_ahead=-2,  # over: attestations are given once the event has ended
    )
    atelier = seminar.ateliers.get()
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[atelier.pk]))
    abel, _ = register_person(seminar, person(2, nom="Abel", email="", fonction="dgs"))
    roux, _ = register_person(seminar, person(3, nom="Roux"))
    lebrun, _ = register_person(seminar, person(4, nom="Lebrun"))
    assert lebrun.status == "waitlisted"
    for present in (zola, abel, lebrun):
        set_check_in(present, True)
    return seminar, zola, abel, roux, lebrun


def test_organisers_print_every_present_persons_attestation_in_one_pdf(organiser_client, event):
    seminar, *_ = event
    response = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/attestations/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attestation-presence-journee-des-elus.pdf" in response["Content-Disposition"]
    pages = pdf_pages(response.content)
    assert len(pages) == 2  # Abel then Zola, by name; not Roux (absent) nor Lebrun (waiting)
    assert "ABEL" in pages[0] and "ZOLA" in pages[1]
    assert all("Attestation de présence" in page for page in pages)
    assert all("Journée des élus" in page for page in pages)
    assert "Précarité énergétique" in pages[1] and "Précarité énergétique" not in pages[0]
    assert "ROUX" not in "".join(pages) and "LEBRUN" not in "".join(pages)


def test_one_persons_attestation_and_none_for_someone_absent(organiser_client, event):
    seminar, zola, _abel, roux, lebrun = event
    base = f"/admin/inscriptions/{seminar.pk}"
    response = organiser_client.get(f"{base}/{zola.pk}/attestation/")
    assert response.status_code == 200
    (page,) = pdf_pages(response.content)
    assert "ZOLA" in page and "Conseil" not in page  # fonction « Maire » from person()
    assert "Maire" in page and "Bondy" in page
    assert organiser_client.get(f"{base}/{roux.pk}/attestation/").status_code == 404
    assert organiser_client.get(f"{base}/{lebrun.pk}/attestation/").status_code == 404
    other = make_seminar("Autre événement")
    # A registration of another event is not reachable through this one's URL.
    assert (
        organiser_client.get(f"/admin/inscriptions/{other.pk}/{zola.pk}/attestation/").status_code
        == 404
    )


def test_the_list_offers_attestations_only_once_someone_is_checked_in(organiser_client):
    seminar = make_seminar("Commission sociale", days_ahead=-1)
    someone, _ = register_person(seminar, person(1))
    page = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    assert "dès qu'une présence aura été émargée" in page
    response = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/attestations/")
    assert response.status_code == 302  # back to the list with « Aucune présence émargée »
    set_check_in(someone, True)
    page = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    assert "Envoyer les attestations par e-mail (1 personne)" in page
    assert f"/admin/inscriptions/{seminar.pk}/{someone.pk}/attestation/" in page


def test_attestations_are_emailed_once_to_present_people_with_an_address(
    organiser_client, event, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, zola, _abel, roux, _lebrun = event
    mailoutbox.clear()
    url = f"/admin/inscriptions/{seminar.pk}/attestations/envoyer/"
    with django_capture_on_commit_callbacks(execute=True):
        assert organiser_client.post(url).status_code == 302
    # Abel has no address, Roux was absent, Lebrun waiting: only Zola.
    assert [m.to for m in mailoutbox] == [[zola.email]]
    message = mailoutbox[0]
    assert message.subject == "Votre attestation de présence : Journée des élus"
    assert "jointe à ce message" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf" and name.endswith("-zola-prenom1.pdf")
    assert "ZOLA" in pdf_pages(content)[0]
    assert AuditEntry.objects.filter(action="seminar.certificates.sent").exists()

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(url)
    assert len(mailoutbox) == 1  # nobody gets it twice

    set_check_in(roux, True)  # arrived late, checked in afterwards
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(url)
    assert [m.to for m in mailoutbox] == [[zola.email], [roux.email]]


def test_a_check_in_undone_before_the_email_leaves_sends_nothing(event, mailoutbox):
    _seminar, zola, *_ = event
    set_check_in(zola, False)
    mailoutbox.clear()
    assert send_registration_email.call(zola.pk, "certificate") is False
    assert mailoutbox == []


def test_only_organisers_reach_the_attestations(event):
    seminar, zola, *_ = event
    editor = host_client("localhost", organiser(roles.EDITOR, "editrice@union.test"))
    for path in ("attestations/", f"{zola.pk}/attestation/"):
        url = f"/admin/inscriptions/{seminar.pk}/{path}"
        assert host_client("localhost").get(url).status_code == 302  # to the login
        assert editor.get(url).status_code in (302, 403)
    response = editor.post(f"/admin/inscriptions/{seminar.pk}/attestations/envoyer/")
    assert response.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action="seminar.certificates.sent").exists()


def test_the_registrant_downloads_their_own_attestation_from_their_page(portal, event):
    _seminar, zola, _abel, roux, _lebrun = event
    page = portal.get(f"/evenements/inscription/{make_token(zola)}/").content.decode()
    link = f"/evenements/inscription/{make_token(zola)}/attestation.pdf"
    assert "Télécharger mon attestation de présence (PDF)" in page
    response = portal.get(link)
    assert response.status_code == 200
    (text,) = pdf_pages(response.content)
    assert "ZOLA" in text and "ROUX" not in text

    # Someone absent has no link, and the address gives nothing.
    page = portal.get(f"/evenements/inscription/{make_token(roux)}/").content.decode()
    assert "attestation" not in page
    assert (
        portal.get(f"/evenements/inscription/{make_token(roux)}/attestation.pdf").status_code == 404
    )


def test_a_tampered_link_gives_no_attestation(portal, event):
    _seminar, zola, *_ = event
    token = make_token(zola)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = portal.get(f"/evenements/inscription/{tampered}/attestation.pdf")
    assert response.status_code == 302  # to the personal page, which says the link is invalid
    assert portal.get(response["Location"]).status_code == 404


def test_dates_read_as_french_writes_them():
    from datetime import date, timedelta

    from seminars.certificates import describe_duration
    from union.formats import long_date

    assert long_date(date(2026, 12, 1)) == "mardi 1er décembre 2026"
    assert long_date(date(2026, 12, 2), weekday=False) == "2 décembre 2026"
    assert describe_duration(timedelta(hours=7, minutes=30)) == "7 h 30"
    assert describe_duration(timedelta(hours=3)) == "3 h"


def test_before_the_end_of_the_event_the_registrant_waits_and_nothing_is_emailed(
    portal, organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Congrès", days_ahead=-0.1, hours=7)  # started, not over
    someone, _ = register_person(seminar, person(1))
    set_check_in(someone, True)
    page = portal.get(f"/evenements/inscription/{make_token(someone)}/").content.decode()
    assert "sera disponible ici à la fin de l'événement" in page
    link = f"/evenements/inscription/{make_token(someone)}/attestation.pdf"
    assert portal.get(link).status_code == 404
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"/admin/inscriptions/{seminar.pk}/attestations/envoyer/")
    assert mailoutbox == []
    someone.refresh_from_db()
    assert someone.certificate_sent_at is None
    # Organisers may print it before the end, to sign and hand out at the close of the day.
    response = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/{someone.pk}/attestation/")
    assert response.status_code == 200


def test_a_check_in_undone_then_redone_gets_its_attestation_sent(
    organiser_client, event, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, zola, *_ = event
    url = f"/admin/inscriptions/{seminar.pk}/attestations/envoyer/"
    with django_capture_on_commit_callbacks(execute=False):  # queued, the worker has not run
        organiser_client.post(url)
    set_check_in(zola, False)  # a mistake on the list…
    set_check_in(zola, True)  # …corrected
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(url)
    assert [m.to for m in mailoutbox] == [[zola.email]]


def test_the_attestation_prints_names_beyond_latin1(organiser_client):
    seminar = make_seminar("Journée des élus", days_ahead=-2)
    someone, _ = register_person(
        seminar, replace(person(1, nom="Nguyễn Wiśniewski"), prenom="Ștefan Œdipe")
    )
    set_check_in(someone, True)
    response = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/{someone.pk}/attestation/")
    (page,) = pdf_pages(response.content)
    assert "Ștefan Œdipe NGUYỄN WIŚNIEWSKI" in page
    assert "SourceSansPro-Regular" in embedded_fonts(response.content) <= OUR_FACES

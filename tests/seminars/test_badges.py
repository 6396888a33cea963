"""Name badges for the day: confirmed people only, by name, eight per A4 sheet. PDFs read back."""

import io
from dataclasses import replace

import pytest
import segno
from pypdf import PdfReader

from seminars.check_in import BADGE_QR_MASK, check_in_flowable, check_in_url
from seminars.services import cancel_registration, register_person
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person
from tests.union.test_pdf import OUR_FACES, embedded_fonts
from union import roles

pytestmark = pytest.mark.django_db


def test_badges_of_confirmed_people_sorted_by_name_eight_per_page(organiser_client):
    seminar = make_seminar("Atelier des élus", seats=9)
    names = ["Zola", "Élie", "Abel", "Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau"]
    for number, name in enumerate(names):
        register_person(seminar, person(number, nom=name, fonction="maire_adjoint"))
    waiting, _ = register_person(seminar, person(20, nom="Attente"))
    gone, _ = register_person(seminar, person(21, nom="Parti"))
    cancel_registration(gone)
    assert waiting.status == "waitlisted"

    response = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/badges/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "badges-atelier-des-elus.pdf" in response["Content-Disposition"]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) == 2  # nine confirmed: eight on the first sheet, one on the second
    text = "\n".join(pages)
    in_order = ["ABEL", "BERNARD", "DURAND", "ÉLIE", "LEROY", "MARTIN", "MOREAU", "PETIT"]
    positions = [pages[0].index(name) for name in in_order]
    assert positions == sorted(positions)  # by name, accents ignored (Élie between D and L)
    assert "ZOLA" in pages[1] and "ZOLA" not in pages[0]
    assert "ATTENTE" not in text and "PARTI" not in text
    assert "Bondy" in text and "Atelier des élus" in text


def test_badges_are_for_organisers_only():
    seminar = make_seminar()
    editor = host_client("localhost", organiser(roles.EDITOR, "editrice@union.test"))
    assert editor.get(f"/admin/inscriptions/{seminar.pk}/badges/").status_code in (302, 403)
    assert (
        host_client("localhost").get(f"/admin/inscriptions/{seminar.pk}/badges/").status_code == 302
    )


def test_badges_print_names_beyond_latin1(organiser_client):
    seminar = make_seminar("Séminaire des élus")
    register_person(seminar, replace(person(1, nom="Wiśniewski"), prenom="Łukasz"))
    register_person(seminar, replace(person(2, nom="Nguyễn Thị"), prenom="Ștefan"))
    register_person(seminar, replace(person(3, nom="Şahin"), prenom="Œdipe"))
    response = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/badges/")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for first, last in (("Łukasz", "WIŚNIEWSKI"), ("Ștefan", "NGUYỄN THỊ"), ("Œdipe", "ŞAHIN")):
        assert first in text and last in text
    fonts = embedded_fonts(response.content)
    assert "SourceSansPro-Bold" in fonts and fonts <= OUR_FACES  # the name in bold


def test_badge_codes_take_a_fixed_mask_and_hold_the_personal_link():
    """A fixed data mask (seminars.check_in.BADGE_QR_MASK) spares choosing the best of eight for
    each of hundreds of badges: the code still holds the person's check-in link, at the size and
    error correction level of the code segno would choose (the page's and the e-mail's)."""
    seminar = make_seminar(seats=10)
    chosen = set()
    for number in range(8):
        registration, _ = register_person(seminar, person(number))
        url = check_in_url(registration)
        badge = segno.make(url, error="l", mask=BADGE_QR_MASK)
        best = segno.make(url, error="l")
        assert check_in_flowable(registration, 90).matrix == badge.matrix
        assert (badge.version, badge.designator) == (best.version, best.designator)
        chosen.add(best.mask)
    assert chosen - {BADGE_QR_MASK}  # segno chose other masks for some: the badges' differ

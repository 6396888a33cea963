"""Check-in by QR code: the code on a confirmed person's page and badge opens their check-in screen
in the organisers' admin; only organisers can use it, and only a POST writes."""

import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import segno
from django.utils import timezone
from pypdf import PdfReader

from seminars.check_in import BADGE_QR_MASK, check_in_code, check_in_flowable, check_in_url
from seminars.emails import send_registration_email
from seminars.links import make_token
from seminars.models import SeminarPage
from tests.conftest import host_client
from tests.seminars.conftest import organiser
from union import roles

pytestmark = pytest.mark.django_db


def scan_path(registration) -> str:
    return urlsplit(check_in_url(registration)).path


def test_a_confirmed_person_finds_their_code_on_their_page(portal, event):
    _seminar, zola, _abel, roux = event
    page = portal.get(f"/evenements/inscription/{make_token(zola)}/").content.decode()
    assert "Mon code d'émargement" in page
    assert 'aria-label="Code QR d\'émargement de Prénom1 Zola"' in page
    assert '<svg viewBox="0 0' in page and 'class="check-in-code"' in page
    waiting = portal.get(f"/evenements/inscription/{make_token(roux)}/").content.decode()
    assert "Mon code d'émargement" not in waiting  # no seat, nothing to check in


def test_no_code_once_the_event_is_over(portal, event):
    seminar, zola, *_ = event
    SeminarPage.objects.filter(pk=seminar.pk).update(end=timezone.now() - timedelta(hours=1))
    page = portal.get(f"/evenements/inscription/{make_token(zola)}/").content.decode()
    assert "Mon code d'émargement" not in page


def test_a_scan_opens_the_person_and_only_the_button_checks_them_in(event):
    seminar, zola, *_ = event
    client = host_client("localhost", organiser())
    path = scan_path(zola)
    assert path == f"/admin/inscriptions/emargement/{check_in_code(zola)}/"
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Prénom1 ZOLA" in html and "Budget" in html and "Émarger Prénom1 ZOLA" in html
    zola.refresh_from_db()
    assert zola.checked_in_at is None  # opening the page writes nothing

    # confirm: the event is not today (tests/seminars/test_door_s16.py).
    response = client.post(path, {"present": "1", "confirm": "1"}, follow=True)
    assert "Prénom1 Zola : présent(e)." in response.content.decode()
    assert "Présence émargée le" in response.content.decode()
    zola.refresh_from_db()
    assert zola.checked_in_at is not None

    client.post(path, {"present": "0"})
    zola.refresh_from_db()
    assert zola.checked_in_at is None


def test_someone_without_a_seat_is_flagged_before_check_in(event):
    *_, roux = event
    html = host_client("localhost", organiser()).get(scan_path(roux)).content.decode()
    assert "n'a pas de place confirmée (liste d'attente)" in html.replace("&#x27;", "'")


def test_a_tampered_or_foreign_code_and_other_people_get_nothing(event):
    _seminar, zola, *_ = event
    client = host_client("localhost", organiser())
    code = check_in_code(zola)
    assert client.get(f"/admin/inscriptions/emargement/{code[:-2]}xx/").status_code == 404
    forged = f"{zola.pk + 1}:{code.split(':', 1)[1]}"  # someone else's id, Zola's signature
    assert client.get(f"/admin/inscriptions/emargement/{forged}/").status_code == 404
    anonymous = host_client("localhost").post(scan_path(zola), {"present": "1"})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    editor = host_client("localhost", organiser(roles.EDITOR, "editrice@union.test"))
    assert editor.post(scan_path(zola), {"present": "1"}).status_code in (302, 403)
    zola.refresh_from_db()
    assert zola.checked_in_at is None


def drawn_modules(code, size: float) -> tuple:
    """The grid of dark modules the flowable draws, rebuilt from the rectangles it paints."""

    class Recorder:
        def __init__(self):
            self.rects = []

        def beginPath(self):  # noqa: N802 – reportlab's names
            return self

        def rect(self, x, y, width, height):
            self.rects.append((x, y, width, height))

        def drawPath(self, path, stroke, fill):  # noqa: N802
            assert (stroke, fill) == (0, 1)

    canvas = Recorder()
    code.canv = canvas
    code.draw()
    count = len(code.matrix)
    unit = size / (count + 8)  # four modules of quiet zone on each side
    grid = [bytearray(count) for _ in range(count)]
    for x, y, width, _height in canvas.rects:
        row = round((size - y) / unit) - 1 - 4
        first = round(x / unit) - 4
        for column in range(first, first + round(width / unit)):
            grid[row][column] = 1
    return tuple(grid)


def test_each_badge_carries_the_persons_code(organiser_client, event):
    seminar, zola, abel, _roux = event
    code = check_in_flowable(zola, 90)
    assert code.matrix == segno.make(check_in_url(zola), error="l", mask=BADGE_QR_MASK).matrix
    assert drawn_modules(code, 90) == code.matrix
    response = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/badges/")
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "ZOLA" in text and "ABEL" in text
    # Each badge's code is drawn: one rectangle per run of dark modules, hundreds per page.
    content = reader.pages[0].get_contents().get_data()
    assert content.count(b" re") > 300


def test_the_reminder_points_to_the_code(event, mailoutbox):
    _seminar, zola, *_ = event
    send_registration_email(zola, "reminder")
    assert "présentez le code d'émargement de votre page d'inscription" in mailoutbox[-1].body

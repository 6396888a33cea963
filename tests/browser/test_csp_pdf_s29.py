"""Session 29 (security review, point 4): the PDFs that open in the browser do open, under our
Content-Security-Policy, in Chromium's own viewer.

Our policy says `object-src 'none'`, and Wagtail's documents are served with its
`default-src 'none'`: a browser that applied either to its PDF viewer (a plug-in) would show a
grey page instead of the deliberation. Chromium (156) shows it: its viewer is an extension page,
which a response's policy does not reach. Checked on the real answers: a member's document (a
deliberation, `inline`, with the site's policy), and a proceedings document of the portal (a
Wagtail document, `inline`, Wagtail's policy); the commune portrait's PDF is a download
(`attachment`), saved, never shown by the viewer. Headless Chromium draws its viewer: the
screenshot of a page shown is mostly the white sheet; of a blocked one, the viewer's dark grey.
"""

import io
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context
from PIL import Image
from reportlab.pdfgen import canvas
from wagtail.documents import get_document_model

from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member, portal_urlconf
from tenants.workspace.services import add_document
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, run_committed

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

DIRECTOR = "dir@villemomble.test"
VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"


def a_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(100, 750, text)
    sheet.save()
    return buffer.getvalue()


def create_data() -> dict:
    member = onboard_member("93077")  # Villemomble
    director = grant_membership(member, DIRECTOR, Membership.Role.DIRECTOR, password=PASSWORD).user
    with schema_context(member.schema_name):
        upload = SimpleUploadedFile("deliberation.pdf", a_pdf("Deliberation du conseil"))
        document = add_document(member, "Délibération", upload, actor=director)
    connection.set_schema_to_public()
    proceedings = get_document_model().objects.create(
        title="Actes du séminaire", file=ContentFile(a_pdf("Actes"), name="actes-s29.pdf")
    )
    with portal_urlconf():
        url = proceedings.url
    return {"member": member, "document": document.pk, "proceedings": proceedings, "url": url}


def remove_data(data: dict) -> None:
    get_user_model().objects.filter(email=DIRECTOR).delete()
    data["proceedings"].delete()
    MemberCCAS.objects.get(pk=data["member"].pk).delete(force_drop=True)


@pytest.fixture
def pdfs():
    data = run_committed(create_data)
    yield data
    run_committed(remove_data, data)


def white_share(page) -> float:
    """The share of the tab's pixels that are white."""
    sheet = Image.open(io.BytesIO(page.screenshot())).convert("L")
    pixels = sheet.get_flattened_data() if hasattr(sheet, "get_flattened_data") else sheet.getdata()
    return sum(1 for value in pixels if value > 240) / (sheet.width * sheet.height)


def shown_in_the_viewer(page, url: str, console: list[str]) -> dict:
    """Open `url` in a tab and say what Chromium did with it."""
    response = page.goto(url)
    # The viewer draws the sheet some time after the navigation, later under a loaded machine:
    # look again until the sheet shows, for at most 30 seconds. A blocked viewer stays grey.
    deadline = time.monotonic() + 30
    while (white := white_share(page)) <= 0.3 and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    return {
        "headers": response.all_headers(),
        "viewer": any(frame.url.startswith(VIEWER) for frame in page.frames),
        "white": white,
        "csp": [line for line in console if "Content Security Policy" in line],
    }


def test_a_deliberation_and_proceedings_open_in_chromiums_viewer_under_our_policy(
    browser, live_server_port, pdfs
):
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))

    space = f"http://villemomble.localhost:{live_server_port}"
    sign_in(page, space, DIRECTOR)
    deliberation = shown_in_the_viewer(page, f"{space}/documents/{pdfs['document']}/", console)
    headers = deliberation["headers"]
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("inline")
    assert "object-src 'none'" in headers["content-security-policy"]
    assert deliberation["viewer"] and deliberation["white"] > 0.3, deliberation
    assert not deliberation["csp"], deliberation["csp"]

    portal = f"http://localhost:{live_server_port}"
    actes = shown_in_the_viewer(page, portal + pdfs["url"], console)
    assert actes["headers"]["content-disposition"].startswith("inline")
    assert actes["headers"]["content-security-policy"] == "default-src 'none'"
    assert actes["viewer"] and actes["white"] > 0.3, actes
    assert not actes["csp"], actes["csp"]

    # The portrait's PDF is saved, not shown: a download, whole.
    with page.expect_download() as download:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.click(); }",
            f"{portal}/indicateurs/communes/93077/?export=pdf",
        )
    saved = download.value
    assert saved.suggested_filename.endswith(".pdf")
    assert open(saved.path(), "rb").read(5) == b"%PDF-"
    context.close()

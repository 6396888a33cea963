"""The organisers' buttons with the user's text spacing (WCAG 1.4.12) on a 320 px phone: with the
criterion's values (line height 1.5, letter spacing .12em, word spacing .16em, paragraphs 2em
apart), Wagtail's `.button` (one line, fixed height, what overflows hidden) cut the text of the
registrations' toolbar (« Importer une liste (CSV, XLSX) » 301 px of text in a 278 px box) and,
the audit found, « Chercher » on the events list and « Afficher » on the year report
(accessibility audit, session 32). They now wrap (union/static/css/admin.css). A light event of
its own, no demo."""

import pytest

from seminars.models import Registration, SeminarPage
from tests.browser.conftest import serve_static, sign_in
from tests.browser.test_axe_admin import admin_url, go
from tests.conftest import run_committed
from tests.seminars.conftest import make_seminar, organiser
from union.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

ORGANISER = "espacement.texte.s32@union.test"
NARROW = {"width": 320, "height": 800}
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: .12em !important;"
    " word-spacing: .16em !important; }"
    " p { margin-bottom: 2em !important; }"
)
# Every button of `selector`: its text, and its text's width against its box's.
CLIPPED = """selector => [...document.querySelectorAll(selector)].map(button => ({
    text: button.textContent.trim(),
    scrollWidth: button.scrollWidth,
    clientWidth: button.clientWidth,
    scrollHeight: button.scrollHeight,
    clientHeight: button.clientHeight,
    whiteSpace: getComputedStyle(button).whiteSpace,
}))"""


def build() -> dict:
    last_audit = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    user = organiser(email=ORGANISER)
    seminar = make_seminar("Espacement du texte : un événement à venir", days_ahead=20)
    return {"seminar": seminar.pk, "user": user.pk, "last_audit": last_audit}


def remove(built: dict) -> None:
    from django.contrib.auth import get_user_model

    Registration.objects.filter(seminar_id=built["seminar"]).delete()
    SeminarPage.objects.get(pk=built["seminar"]).delete()
    AuditEntry.objects.filter(pk__gt=built["last_audit"]).delete()
    get_user_model().objects.filter(pk=built["user"]).delete()


@pytest.fixture
def signed_in(page, live_server_port):
    built = run_committed(build)
    page.route("**/static/**", serve_static)
    sign_in(page, f"http://localhost:{live_server_port}", ORGANISER)
    yield page, built["seminar"]
    run_committed(remove, built)


def buttons_with_spacing(page, url: str, selector: str) -> list[dict]:
    go(page, url)
    page.add_style_tag(content=TEXT_SPACING)
    found = page.evaluate(CLIPPED, selector)
    assert found, selector
    return found


@pytest.mark.parametrize(
    "path, selector, expected",
    [
        (
            "inscriptions/{seminar}/",
            ".registration-actions .button",
            {
                "Accueil des participants",
                "Ajouter une inscription",
                "Importer une liste (CSV, XLSX)",
                "Communes à vérifier (0)",
                "Annuler l'événement…",
            },
        ),
        ("inscriptions/", "form.filters .button", {"Chercher"}),
        ("inscriptions/bilan/", "form.filters .button", {"Afficher"}),
    ],
)
def test_buttons_keep_their_text_with_text_spacing(
    signed_in, live_server_port, path, selector, expected
):
    page, seminar = signed_in
    page.set_viewport_size(NARROW)
    found = buttons_with_spacing(
        page, admin_url(live_server_port, path.format(seminar=seminar)), selector
    )
    assert expected <= {button["text"] for button in found}, found
    clipped = [
        button
        for button in found
        if button["scrollWidth"] > button["clientWidth"]
        or button["scrollHeight"] > button["clientHeight"]
    ]
    assert clipped == [], clipped
    # A longer text, or a narrower box, wraps rather than being cut: at 320 px « Chercher » and
    # « Afficher » fitted, but only Wagtail's one-line rule stood between them and the same cut.
    assert {button["whiteSpace"] for button in found} == {"normal"}, found

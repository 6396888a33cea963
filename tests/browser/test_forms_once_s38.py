"""Session 38: union/static/union/forms.js, on every page of the portal and of the member spaces
(templates/base.html).

- A POST form is sent once: a double click on « Enregistrer » records one séance, and while the
  form is being sent its button says so (aria-disabled, « Envoi en cours… » in a status region).
- What was typed survives a session that ended meanwhile: the POST answered by the sign-in page
  keeps a draft in sessionStorage, restored into the form once the person signed in again; any
  other page drops it. Passwords are never kept.
- The script comes from 'self' and trips no Content-Security-Policy directive."""

import http.client
import json
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member
from tenants.sessions import end_sessions
from tenants.workspace import demo
from tenants.workspace.models import BoardMeeting
from tests.browser.test_csp_s18 import Watch, base, sign_in
from tests.conftest import PASSWORD, run_committed

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

DIRECTOR = "direction@vaujours.test"
FORM = "/conseil/seances/ajouter/"
BUSY = "Envoi en cours…"
RESTORED = "Ce que vous aviez saisi a été remis dans le formulaire"
SEANCE_PAGE = re.compile(r"/conseil/seances/\d+/$")
# Notes, after each submit of a form, its buttons' state and the status texts, in this tab's
# sessionStorage (read once the next page is there): while a held answer keeps the navigation
# under way, Playwright's evaluate and locators wait for it to finish.
WATCH_SUBMITS = """
window.addEventListener("submit", (event) => {
    const form = event.target;
    setTimeout(() => {
        const seen = JSON.parse(sessionStorage.getItem("test-submits") || "[]");
        const button = form.querySelector("button[type=submit]");
        seen.push({
            "aria-disabled": button.getAttribute("aria-disabled"),
            "disabled": button.disabled,
            "status": Array.from(form.querySelectorAll("[role=status]"))
                .map((region) => region.textContent.trim()).filter(Boolean),
        });
        sessionStorage.setItem("test-submits", JSON.stringify(seen));
    }, 50);
}, true);
"""


def create_member() -> MemberCCAS:
    member = onboard_member("93074")  # Vaujours: no other test uses it
    grant_membership(member, DIRECTOR, Membership.Role.DIRECTOR, password=PASSWORD)
    with schema_context(member.schema_name):
        demo._board(member, breaks=None)  # members in office: the form lists their presences
    connection.set_schema_to_public()
    return member


def remove_member(member: MemberCCAS) -> None:
    get_user_model().objects.filter(email=DIRECTOR).delete()
    MemberCCAS.objects.get(pk=member.pk).delete(force_drop=True)


@pytest.fixture
def committed_member():
    member = run_committed(create_member)
    yield member
    run_committed(remove_member, member)


def seances(member: MemberCCAS) -> list[tuple]:
    """The séances recorded in the member's schema (committed: what the live server wrote)."""

    def read():
        with schema_context(member.schema_name):
            return list(BoardMeeting.objects.values_list("place", "notes"))

    return run_committed(read)


def end_session() -> None:
    """The director's session ended server-side (as a sign-out in another tab or its expiry)."""
    run_committed(lambda: end_sessions(get_user_model().objects.get(email=DIRECTOR)))


def stored(page) -> str:
    """Everything the tab keeps in sessionStorage, as one text."""
    return page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")


def member_url(port: int) -> str:
    return base(port, "vaujours.localhost")


def signed_in_on_form(page, port: int) -> Watch:
    watch = Watch(page)
    sign_in(watch, member_url(port), DIRECTOR)
    watch.visit(f"{member_url(port)}{FORM}")
    return watch


def hold_answers(page) -> list:
    """A slow network: each POST of the séance form reaches the server at once (its séance is
    recorded), but its answer is held until the test releases it (`release`)."""
    held = []

    def handle(route):
        request = route.request
        if request.method != "POST":
            route.continue_()
            return
        # Sent from here: Playwright's own process does not resolve *.localhost.
        address = urlsplit(request.url)
        server = http.client.HTTPConnection("127.0.0.1", address.port)
        headers = {**request.headers, "host": address.netloc}
        server.request("POST", address.path, body=request.post_data_buffer, headers=headers)
        answer = server.getresponse()
        held.append((route, answer.status, answer.getheaders(), answer.read()))
        server.close()

    page.route(f"**{FORM}", handle)
    return held


def release(held: list) -> None:
    for route, status, headers, body in held:
        try:
            route.fulfill(status=status, headers=dict(headers), body=body)
        except Exception:  # a request the browser gave up on (a second submit replaced it)
            pass


def test_a_double_click_records_one_seance(page, live_server_port, committed_member):
    """The POST's answer slow to come: a double click, then an impatient third click, send it
    once; the button is marked busy (aria-disabled, not `disabled`: a disabled button's name
    and value would be left out of the POST) and a status region says so."""
    watch = signed_in_on_form(page, live_server_port)
    page.locator("#id_place").fill("Salle du conseil")
    page.evaluate(WATCH_SUBMITS)
    held = hold_answers(page)
    # The mouse and the keyboard, not the locator's click: that one waits for the navigation
    # under way to finish, which a held answer never does.
    button = page.get_by_role("button", name="Enregistrer")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.dblclick(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.keyboard.press("Enter")  # the button has the focus
    page.wait_for_timeout(500)
    try:
        assert seances(committed_member) == [("Salle du conseil", "")]
        assert len(held) == 1, f"{len(held)} envois"
    finally:
        release(held)
    page.wait_for_url(SEANCE_PAGE)
    seen = json.loads(page.evaluate("sessionStorage.getItem('test-submits')"))
    # Every submit (the double click's, the third click's, Enter's) found the form busy; the
    # first was seen just after it started, the others were cancelled.
    assert len(seen) >= 3, seen
    assert all(
        state == {"aria-disabled": "true", "disabled": False, "status": [BUSY]} for state in seen
    ), seen
    assert not watch.violations(), "\n".join(watch.violations())


def test_what_was_typed_comes_back_after_the_session_ended(
    page, live_server_port, committed_member
):
    watch = signed_in_on_form(page, live_server_port)
    url = member_url(live_server_port)
    page.locator("#id_time").fill("18:30")
    page.locator("#id_place").fill("Salle des mariages")
    page.locator("#id_agenda").fill("Budget 2027\nAides facultatives")
    page.locator("#id_notes").fill("Séance tenue en présence du trésorier.")
    page.locator("#id_abs_report").check()
    presence = page.locator("select[id^=id_presence_]").first
    presence.select_option("excused")
    date = page.locator("#id_date").input_value()  # today's, as the server filled it

    end_session()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/connexion/\?"))
    expect(page.locator("#login-session-ended")).to_be_visible()
    page.get_by_label("Identifiant (adresse e-mail)").fill(DIRECTOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(f"{url}{FORM}")
    notice = page.get_by_role("status").filter(has_text=RESTORED)
    expect(notice).to_be_visible()
    assert page.locator("#id_time").input_value() == "18:30"
    assert page.locator("#id_place").input_value() == "Salle des mariages"
    assert page.locator("#id_agenda").input_value() == "Budget 2027\nAides facultatives"
    assert page.locator("#id_notes").input_value() == "Séance tenue en présence du trésorier."
    assert page.locator("#id_abs_report").is_checked()
    assert presence.input_value() == "excused"
    assert page.locator("#id_date").input_value() == date
    assert seances(committed_member) == []  # nothing was recorded by the lost POST

    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(SEANCE_PAGE)
    assert seances(committed_member) == [
        ("Salle des mariages", "Séance tenue en présence du trésorier.")
    ]
    assert "Salle des mariages" not in stored(page)
    # The form opened again is empty: nothing stale is restored.
    watch.visit(f"{url}{FORM}")
    assert page.locator("#id_place").input_value() == ""
    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_have_count(0)
    assert not watch.violations(), "\n".join(watch.violations())
    assert not watch.errors, "\n".join(watch.errors)


def test_a_password_is_never_kept(page, live_server_port, committed_member):
    """The draft waits through a failed sign-in without the password typed there; the password
    change form sent after the session ended leaves no password behind either."""
    watch = signed_in_on_form(page, live_server_port)
    url = member_url(live_server_port)
    page.locator("#id_notes").fill("Note à garder")
    end_session()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/connexion/\?"))
    page.get_by_label("Identifiant (adresse e-mail)").fill(DIRECTOR)
    page.get_by_label("Mot de passe").fill("Pas-le-bon-mot-de-passe-1")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert").filter(has_text="incorrect")).to_be_visible()
    kept = stored(page)
    assert "Note à garder" in kept  # the séance's draft still waits for the sign-in
    assert "Pas-le-bon-mot-de-passe-1" not in kept and DIRECTOR not in kept

    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{url}{FORM}")
    watch.visit(f"{url}/compte/mot-de-passe/")
    page.locator("input[type=password]").nth(0).fill(PASSWORD)
    page.locator("input[type=password]").nth(1).fill("Nouveau-secret-2026-xyz")
    page.locator("input[type=password]").nth(2).fill("Nouveau-secret-2026-xyz")
    end_session()
    page.get_by_role("button", name="Changer le mot de passe").click()
    page.wait_for_url(re.compile(r"/connexion/\?"))
    kept = stored(page)
    assert PASSWORD not in kept and "Nouveau-secret-2026-xyz" not in kept, kept
    assert "Note à garder" not in kept  # restored once, then dropped


def test_the_script_comes_from_self_without_violation(page, live_server_port, committed_member):
    """Loaded deferred from the site's own static files on the portal and in a member space (not
    in Wagtail's admin, which has its own); it runs, and what it adds trips no directive."""
    watch = Watch(page)
    for url in (base(live_server_port), member_url(live_server_port)):
        watch.visit(f"{url}/connexion/")
        script = page.locator("script[src$='/union/forms.js']")
        expect(script).to_have_count(1)
        assert script.get_attribute("src") == "/static/union/forms.js"
        assert script.get_attribute("defer") is not None
        loaded = page.evaluate(
            "performance.getEntriesByType('resource')"
            ".filter(e => e.name.endsWith('/static/union/forms.js')).map(e => e.responseStatus)"
        )
        assert loaded == [200], loaded
    watch.visit(f"{base(live_server_port)}/admin/login/")
    expect(page.locator("script[src$='/union/forms.js']")).to_have_count(0)

    sign_in(watch, member_url(live_server_port), DIRECTOR)
    watch.visit(f"{member_url(live_server_port)}{FORM}")
    page.locator("#id_place").fill("Salle B")
    page.evaluate(WATCH_SUBMITS)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(SEANCE_PAGE)
    seen = json.loads(page.evaluate("sessionStorage.getItem('test-submits')"))
    assert seen[0]["status"] == [BUSY], seen
    found = watch.violations()
    assert not found, "\n".join(found)
    assert not watch.errors, "\n".join(watch.errors)

"""Session 18: the Content-Security-Policy in Chromium. Representative pages of the portal, of a
member space, of the Wagtail admin (the project's screens and Wagtail's editor) and the API docs,
filled with the demo's data (test_axe_admin's), must load without a single violation, render,
and keep their JavaScript working; the hand-over from the portal to a member space must pass
form-action.

A violation is caught twice: the `securitypolicyviolation` events of every frame (an init
script) and Chromium's console message (« Refused to … because it violates the following
Content Security Policy directive … »)."""

# ruff: noqa: F811 (test_axe_admin's fixtures, imported below, are arguments of the tests)

import pytest

from knowledge_base.models import GuidePage
from tests.browser.conftest import serve_static
from tests.browser.test_axe import DIRECTOR, VIEWPORTS, audit
from tests.browser.test_axe_admin import (  # noqa: F401 (its fixtures, used by name)
    ORGANISER,
    UNION_ADMIN,
    admin_demo,
    sessions,
    signed_in,
)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(`${e.effectiveDirective} bloque ${e.blockedURI || 'inline'}`
        + ` (${e.sourceFile || document.location.href}:${e.lineNumber}) ${e.sample || ''}`);
});
"""


# A page answered with an error status on purpose (a form sent back with its errors: 400); the
# status of every visit is checked by Watch.visit.
DOCUMENT_STATUS = "Failed to load resource: the server responded with a status of 400"
# Not the policy's doing: the table block's Handsontable has no French translation loaded by
# Wagtail, and says so in the editor's console, with or without a policy.
KNOWN_ERRORS = ('Language with code "fr" was not found',)


class Watch:
    """What a page reports while it is used: CSP violations, console errors, script errors."""

    def __init__(self, page, refused_on_purpose: tuple[str, ...] = ()):
        self.page = page
        # Addresses the policy refuses by design: their refusals are not violations here.
        self.refused_on_purpose = refused_on_purpose
        self.console_csp, self.errors = [], []
        page.add_init_script(LISTEN)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"exception : {error}"))
        page.route("**/static/**", serve_static)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.console_csp.append(f"{self.page.url} : {message.text}")
        elif (
            message.type == "error"
            and not message.text.startswith(DOCUMENT_STATUS)
            and not any(known in message.text for known in KNOWN_ERRORS)
        ):
            self.errors.append(f"{self.page.url} : {message.text}")

    def violations(self) -> list[str]:
        from_events = [
            line for frame in self.page.frames for line in frame.evaluate("window.__csp || []")
        ]
        return [
            line
            for line in from_events + self.console_csp
            if not any(address in line for address in self.refused_on_purpose)
        ]

    def violations_awaited(self, seconds: float = 15) -> list[str]:
        """The violations, once there is one: a refusal is reported some time after the act,
        later on a loaded machine. Empty after `seconds` without any."""
        for _ in range(int(seconds / 0.25)):
            if found := self.violations():
                return found
            self.page.wait_for_timeout(250)
        return self.violations()

    def visit(self, url: str, heading: str | None = None, status: int = 200):
        response = self.page.goto(url)
        assert response.status == status, f"{url} : {response.status}"
        self.page.wait_for_load_state("networkidle")
        self.assert_rendered(heading)
        found = self.violations()
        assert not found, f"{url} :\n" + "\n".join(found)

    def assert_rendered(self, heading: str | None) -> None:
        """The page drew its main heading (its stylesheet and content are there)."""
        h1 = self.page.get_by_role("heading", level=1).first
        h1.wait_for()
        if heading is not None:
            assert heading in h1.inner_text(), (self.page.url, h1.inner_text())


def base(port: int, host: str = "localhost") -> str:
    return f"http://{host}:{port}"


def sign_in(watch: Watch, url: str, email: str) -> None:
    watch.visit(f"{url}/connexion/")
    watch.page.get_by_label("Identifiant (adresse e-mail)").fill(email)
    watch.page.get_by_label("Mot de passe").fill(PASSWORD)
    watch.page.get_by_role("button", name="Se connecter").click()
    watch.page.wait_for_load_state("networkidle")


def test_the_listener_sees_a_violation(page, live_server_port, admin_demo):
    """Guards against a test that sees nothing: a style="" attribute slipped into a portal
    page is refused (style-src 'self') and reported."""
    watch = Watch(page)
    watch.visit(f"{base(live_server_port)}/membres/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<img src=\"https://example.org/t.gif\">')"
    )
    for _ in range(60):  # both refusals, each reported in its own time (15 s at most)
        found = " ".join(watch.violations())
        if "style-src-attr" in found and "img-src" in found:
            break
        page.wait_for_timeout(250)
    assert "style-src-attr" in found and "img-src" in found, found


def portal_pages(paths: dict) -> dict[str, tuple[str, str | None]]:
    """Path and expected heading (None: any)."""
    return {
        "accueil": ("/", None),
        "guide": (paths["guide"], None),
        "evenements": ("/evenements/", None),
        "evenement": (paths["event"], "Atelier début de mandat"),
        "indicateur": ("/indicateurs/TP60/", None),
        "portrait-commune": ("/indicateurs/communes/93010/", "Bondy"),
        "comparaison": ("/indicateurs/communes/93010/TP60/?avec=93048", None),
        "connexion": ("/connexion/", None),
    }


def test_portal_pages_load_without_violation(page, live_server_port, admin_demo):
    watch = Watch(page)
    for name, (path, heading) in portal_pages(admin_demo.paths).items():
        watch.visit(f"{base(live_server_port)}{path}", heading)
        # The portrait draws its position charts among 3 published values at least (session
        # 19), more than this small demo has: the indicator and comparison pages draw theirs.
        if name in ("indicateur", "comparaison"):
            assert page.locator("svg.abs-chart").count(), f"{name} : pas de graphique"
        if name == "evenement":  # its registration form, sent with errors, comes back
            page.get_by_role("textbox", name="Nom", exact=True).fill("Durand")
            page.get_by_role("textbox", name="Adresse e-mail", exact=True).fill("durand@exemple")
            page.get_by_role("button", name="S'inscrire").click()
            page.wait_for_load_state("networkidle")
            assert "adresse e-mail valide" in page.content()
            assert not watch.violations(), "\n".join(watch.violations())
    assert not watch.errors, "\n".join(watch.errors)


def test_member_space_pages_load_without_violation(page, live_server_port, admin_demo):
    watch = Watch(page)
    member = base(live_server_port, "bondy.localhost")
    sign_in(watch, member, DIRECTOR)
    for path in ("/", "/abs/", "/abs/portrait/", "/abs/comparaison/TP60/", "/activite/"):
        watch.visit(f"{member}{path}")
        if path == "/abs/comparaison/TP60/":  # the portrait's need 3 published values
            assert page.locator("svg.abs-chart").count(), f"{path} : pas de graphique"
    assert not watch.errors, "\n".join(watch.errors)


def test_the_hand_over_from_the_portal_passes_form_action(page, live_server_port, admin_demo):
    """« Mes espaces » posts on the portal, which redirects to the member host: Chromium checks
    that redirect against form-action (hence *.PLATFORM_DOMAIN:* in it)."""
    watch = Watch(page)
    sign_in(watch, base(live_server_port), DIRECTOR)
    page.get_by_role("button", name="CCAS de Bondy", exact=False).first.click()
    # On the member host, the hand-over link's page: one more form, on that host; accessible
    # (axe, at every width, and no sideways scrolling on a phone).
    confirm = page.get_by_role("button", name="Ouvrir l'espace du CCAS de Bondy")
    confirm.wait_for()
    audit(page)
    page.set_viewport_size(VIEWPORTS["bureau"])
    confirm.click()
    page.wait_for_url(f"{base(live_server_port, 'bondy.localhost')}/")
    watch.assert_rendered("CCAS de Bondy")
    assert not watch.violations(), "\n".join(watch.violations())


def test_form_action_self_alone_would_block_the_hand_over(
    page, live_server_port, admin_demo, settings
):
    """Why form-action names the member hosts: with 'self' alone, the redirect is refused."""
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'"]}
    watch = Watch(page)
    sign_in(watch, base(live_server_port), DIRECTOR)
    page.get_by_role("button", name="CCAS de Bondy", exact=False).first.click()
    assert "form-action" in " ".join(watch.violations_awaited())
    assert not page.url.startswith(base(live_server_port, "bondy.localhost"))


def test_the_api_docs_render_without_violation(page, live_server_port, admin_demo):
    # Redoc's « API docs by Redocly » logo comes from Redocly's CDN: the docs' policy refuses it
    # on purpose (a visitor's address would go there, audit A12), and its link is hidden. That
    # refusal is the only one allowed.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    watch = Watch(page, refused_on_purpose=(logo,))
    for url in (base(live_server_port), base(live_server_port, "bondy.localhost")):
        watch.visit(f"{url}/api/docs/", "Documentation de l'API")  # the page's own header
        # Redoc drew the API's title and the operations (its JavaScript ran, its styles
        # applied), still without another violation.
        page.get_by_role("heading", level=1, name="API Maillage").wait_for()
        assert page.locator("[data-section-id]").count() > 5
        assert page.locator('a[href="https://redocly.com/redoc/"]').is_hidden()
        assert not watch.violations(), "\n".join(watch.violations())
    assert not watch.errors, "\n".join(watch.errors)


def door_pages(paths: dict) -> dict[str, str]:
    upcoming = paths["upcoming"]
    return {
        "inscriptions": f"inscriptions/{upcoming}/",
        "accueil": f"inscriptions/accueil/{upcoming}/",
        "communes": f"inscriptions/{upcoming}/communes/",
        "emargement": f"inscriptions/emargement/{paths['scan_waiting']}/",
    }


def test_the_seminars_admin_screens_have_no_inline_style(signed_in, live_server_port, admin_demo):
    """The admin's policy keeps style-src 'self': these screens' styles are in seminars/admin.css
    (they were in <style> blocks and style="" attributes)."""
    page = signed_in(ORGANISER)
    watch = Watch(page)
    for name, path in door_pages(admin_demo.paths).items():
        watch.visit(f"{base(live_server_port)}/admin/{path}")
        if name == "emargement":  # the desk's big button keeps its size, from the stylesheet
            button = page.locator(".button.scan-action").first
            size = button.evaluate(
                "b => [getComputedStyle(b).paddingLeft, getComputedStyle(b).fontSize]"
            )
            assert [float(value.removesuffix("px")) for value in size] == [
                pytest.approx(2 * 1.4 * 13.6),
                pytest.approx(1.4 * 13.6),
            ], size
    assert not watch.errors, "\n".join(watch.errors)


def test_the_wagtail_admin_works_under_its_policy(signed_in, live_server_port, admin_demo):
    """The dashboard, then a guide in the page editor: Wagtail's scripts run (a StreamField
    block is added), its live preview opens in its frame; no violation, no script error."""
    page = signed_in(UNION_ADMIN)
    watch = Watch(page)
    admin = f"{base(live_server_port)}/admin"
    watch.visit(f"{admin}/")
    guide = GuidePage.objects.get(slug="conduire-analyse-besoins-sociaux")
    watch.visit(f"{admin}/pages/{guide.pk}/edit/", guide.title)
    # Wagtail's editor initialised: its StreamField's « insert a block » buttons are drawn.
    add = page.locator("button.c-sf-add-button").first
    add.wait_for()
    blocks = page.locator("[data-streamfield-child]").count()
    add.click()
    page.locator(".w-combobox__option").first.click()
    # A locator's wait, not wait_for_function: its string predicate is polled through eval,
    # which the admin's policy refuses whenever the block is not there at the first look.
    page.locator("[data-streamfield-child]").nth(blocks).wait_for(state="attached")
    # The live preview: an admin view in a frame of the admin (frame-ancestors 'self').
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    preview = page.frame_locator("#w-preview-iframe").locator("h1").first
    preview.wait_for(state="attached")  # drawn at a phone's width, scaled: not "visible"
    page.wait_for_timeout(500)
    assert not watch.violations(), "\n".join(watch.violations())
    assert guide.title in preview.text_content()
    page.wait_for_timeout(500)
    assert not watch.violations(), "\n".join(watch.violations())
    assert not watch.errors, "\n".join(watch.errors)


def test_more_wagtail_screens_work_under_its_policy(signed_in, live_server_port, admin_demo):
    """Wagtail's other screens an administrator uses: the multiple uploads (jQuery file upload),
    snippets, users, workflows, reports, collections, settings, and an event's editor (its
    ateliers' InlinePanel, the date and time pickers): drawn, no violation, no script error."""
    from seminars.models import SeminarPage

    page = signed_in(UNION_ADMIN)
    watch = Watch(page)
    admin = f"{base(live_server_port)}/admin"
    event = SeminarPage.objects.live().order_by("pk").first()
    for path in (
        "/images/multiple/add/",
        "/documents/multiple/add/",
        "/snippets/",
        "/users/",
        "/workflows/list/",
        "/reports/site-history/",
        "/collections/",
        f"/pages/{event.pk}/edit/",
    ):
        watch.visit(f"{admin}{path}")
    # The event's editor: a new atelier's date picker opens (InlinePanel + its inline script).
    ateliers = page.locator("input[name$='starts_at']").count()
    page.locator("#id_ateliers-ADD").click()
    page.locator("input[name$='starts_at']").nth(ateliers).wait_for(state="attached")
    page.locator("input[name$='starts_at']").last.click()
    page.locator(".xdsoft_datetimepicker:visible").first.wait_for()
    page.wait_for_timeout(300)
    assert not watch.violations(), "\n".join(watch.violations())
    assert not watch.errors, "\n".join(watch.errors)

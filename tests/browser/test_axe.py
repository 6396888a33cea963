"""Automated accessibility audit: axe-core's WCAG 2.0, 2.1 and 2.2 rules, levels A and AA, on the
main pages of the portal and of a member space, filled with the demo's own data.

axe finds what a machine can (contrast, names of fields and buttons, landmarks, ids, tables…),
part of the RGAA only; keyboard paths and focus are tested in the other browser tests.
The stylesheets are served (see `serve_static`): contrast is measured on the real colours.
"""

import io
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Max
from django_tenants.utils import schema_context
from wagtail.models import Page

from abs_shared import demo as abs_demo
from abs_shared.models import DEMO_SOURCE, ReferenceValue
from knowledge_base import demo as kb_demo
from knowledge_base.models import ExperiencePage, GlossaryTerm, GuidePage
from seminars import demo as seminars_demo
from seminars.links import make_token, page_path
from seminars.models import PRESENT, Evaluation, ProceedingsPage, Registration, SeminarPage
from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member
from tenants.workspace import demo as workspace_demo
from tenants.workspace.models import Document
from tenants.workspace.services import add_document, delete_document
from tests.browser.conftest import serve_static
from tests.conftest import PASSWORD, run_committed
from union import demo as union_demo
from union.models import AuditEntry, UnionSettings

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

# The WCAG 2.0, 2.1 and 2.2 success criteria of levels A and AA (RGAA 4 follows WCAG 2.1 AA; 2.2
# adds the targets' size, 2.5.8), plus the axe "best-practice" rules that check RGAA criteria on
# headings (9.1) and landmarks (12.6); the other best-practice rules are advice, not criteria.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "rules": {
        rule: {"enabled": True}
        for rule in (
            "heading-order",
            "page-has-heading-one",
            "empty-heading",
            "landmark-one-main",
            "landmark-unique",
            "landmark-no-duplicate-banner",
            "landmark-no-duplicate-contentinfo",
            "landmark-no-duplicate-main",
            "landmark-banner-is-top-level",
            "landmark-contentinfo-is-top-level",
            "landmark-main-is-top-level",
        )
    },
    "resultTypes": ["violations"],
}
# A desktop and a phone: wide tables scroll on a phone only, and must then be reachable with the
# keyboard (axe "scrollable-region-focusable").
VIEWPORTS = {"bureau": {"width": 1280, "height": 800}, "téléphone": {"width": 375, "height": 800}}
DIRECTOR = "direction@bondy.axe.test"
PUBLISHERS = ("93010", "93048")  # Bondy, Montreuil: demo experiences and ABS values of their own


@dataclass
class Demo:
    """What the audit created, to find its pages and to remove it afterwards."""

    members: list = field(default_factory=list)
    new_pages: list = field(default_factory=list)  # every page it created
    new_terms: list = field(default_factory=list)
    document_id: int | None = None
    paths: dict = field(default_factory=dict)
    # Rows the loaders add without a page or a member to hang on: removed by id afterwards, or
    # the tests that later run in the same database would find them (audit entries, users).
    last_audit_id: int = 0
    users_before: set = field(default_factory=set)
    # The union's identity as it was: the demo fills it (footer, legal pages), then it is put back.
    identity_before: dict = field(default_factory=dict)


def build_demo() -> Demo:
    """The demo's loaders, on two members instead of the whole département (each is a schema)."""
    out = io.StringIO()
    demo = Demo()
    demo.last_audit_id = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    demo.users_before = set(get_user_model().objects.values_list("pk", flat=True))
    pages_before = set(Page.objects.values_list("pk", flat=True))
    terms_before = set(GlossaryTerm.objects.values_list("pk", flat=True))
    for insee in PUBLISHERS:
        demo.members.append(onboard_member(insee))
        connection.set_schema_to_public()
    bondy = demo.members[0]
    director = grant_membership(bondy, DIRECTOR, Membership.Role.DIRECTOR, password=PASSWORD).user
    with schema_context(bondy.schema_name):
        workspace_demo._profile(bondy, publish=True)
        workspace_demo._board(bondy, breaks=None)
        workspace_demo._activity(bondy, years=3)
        upload = SimpleUploadedFile("compte-rendu-ca.pdf", b"%PDF-1.4\n%%EOF\n")
        demo.document_id = add_document(bondy, "Compte rendu du CA", upload, actor=director).pk
    connection.set_schema_to_public()
    identity = UnionSettings.load()
    demo.identity_before = {f.name: getattr(identity, f.name) for f in UnionSettings._meta.fields}
    union_demo.load_identity(out)
    kb_demo.load(out)
    seminars_demo.load(out)
    abs_demo.load(out)
    connection.set_schema_to_public()

    demo.new_pages = list(Page.objects.exclude(pk__in=pages_before).values_list("pk", flat=True))
    demo.new_terms = list(GlossaryTerm.objects.exclude(pk__in=terms_before).values_list("pk"))
    upcoming = SeminarPage.objects.get(slug="atelier-debut-de-mandat")
    past = SeminarPage.objects.get(slug="seminaire-abs-2026")
    registration = upcoming.registrations.filter(status=Registration.Status.CONFIRMED).first()
    # Checked in at an event that is over, not answered yet: the questionnaire is open to them.
    answered = Evaluation.objects.values("registration_id")
    present = past.registrations.filter(PRESENT).exclude(pk__in=answered).order_by("pk").first()
    demo.paths = {
        # The guide with every kind of block: figures, legal references, a table, steps, a FAQ.
        "guide": page_path(GuidePage.objects.get(slug="conduire-analyse-besoins-sociaux")),
        # Two legal references side by side: their landmarks must be told apart.
        "guide-2": page_path(GuidePage.objects.get(slug="composer-conseil-administration-ccas")),
        "experience": page_path(ExperiencePage.objects.live().order_by("pk").first()),
        "event": page_path(upcoming),
        "member_register": f"/evenements/{upcoming.pk}/inscrire/",  # on a member host
        "member_cancel": (  # the demo's registration made by Bondy's CCAS
            f"/evenements/{upcoming.pk}/inscriptions/"
            f"{upcoming.registrations.get(source=Registration.Source.MEMBER).pk}/desinscrire/"
        ),
        "proceedings": page_path(ProceedingsPage.objects.child_of(past).get()),
        "manage": f"/evenements/inscription/{make_token(registration)}/",
        "evaluate": f"/evenements/inscription/{make_token(present)}/avis/",
    }
    return demo


def remove_demo(demo: Demo) -> None:
    bondy = demo.members[0]
    with schema_context(bondy.schema_name):
        document = Document.objects.filter(pk=demo.document_id).first()
        if document:
            delete_document(bondy, document, actor=None)
    connection.set_schema_to_public()
    # Every page it created, at any depth: under a section that was there before (the events'
    # index a committed test left), its events were left behind, with their registrations, and
    # the next demo built in that database (tests/union/test_readme_urls_s28.py) found them.
    Registration.objects.filter(seminar_id__in=demo.new_pages).delete()
    for page in Page.objects.filter(pk__in=demo.new_pages).order_by("depth"):
        if Page.objects.filter(pk=page.pk).exists():  # not deleted with its parent
            page.specific.delete()
    GlossaryTerm.objects.filter(pk__in=[pk for (pk,) in demo.new_terms]).delete()
    ReferenceValue.objects.filter(source=DEMO_SOURCE).delete()
    get_user_model().objects.exclude(pk__in=demo.users_before).delete()
    for member in demo.members:
        MemberCCAS.objects.get(pk=member.pk).delete(force_drop=True)
    AuditEntry.objects.filter(pk__gt=demo.last_audit_id).delete()
    UnionSettings(**demo.identity_before).save()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        built = run_committed(build_demo)
    yield built
    with django_db_blocker.unblock():
        run_committed(remove_demo, built)


def report(where: str, violations: list[dict]) -> str:
    """One paragraph per rule: id, impact, what it asks, where, and where to read more."""
    lines = [f"{len(violations)} règle(s) d'accessibilité non respectée(s) sur {where} :"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}) : {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    · {target}\n      {node['failureSummary'].replace(chr(10), ' ')}")
    return "\n".join(lines)


# WCAG 1.4.10 (reflow): at 320 CSS px nothing scrolls sideways but a wide table inside its own
# box ({% scrollable %}); axe does not check it.
REFLOW = {"width": 320, "height": 800}


def audit(browser_page, rules_off: tuple[str, ...] = ()) -> None:
    """axe on a desktop and a phone, then the reflow check; `rules_off`: rules not run on this
    page (each caller says why)."""
    options = AXE_OPTIONS
    if rules_off:
        rules = {**AXE_OPTIONS["rules"], **{rule: {"enabled": False} for rule in rules_off}}
        options = {**AXE_OPTIONS, "rules": rules}
    failures = []
    for name, size in VIEWPORTS.items():
        browser_page.set_viewport_size(size)
        violations = Axe().run(browser_page, options=options).response["violations"]
        if violations:
            failures.append(report(f"{browser_page.url} ({name})", violations))
    browser_page.set_viewport_size(REFLOW)
    width = browser_page.evaluate("document.documentElement.scrollWidth")
    if width > REFLOW["width"]:
        failures.append(f"{browser_page.url} : {width} px de large à 320 px (défilement latéral)")
    assert not failures, "\n\n".join(failures)


def open_page(browser_page, url: str) -> None:
    browser_page.route("**/static/**", serve_static)
    response = browser_page.goto(url)
    assert response.status == 200, f"{url} : {response.status}"


PORTAL_PAGES = {
    "accueil": lambda paths: "/",
    "connexion": lambda paths: "/connexion/",
    "annuaire": lambda paths: "/membres/",
    "glossaire": lambda paths: "/glossaire/",
    "guides": lambda paths: "/guides/",
    "guide": lambda paths: paths["guide"],
    "guide-2": lambda paths: paths["guide-2"],
    "experiences": lambda paths: "/experiences/",
    "experience": lambda paths: paths["experience"],
    "recherche": lambda paths: "/recherche/?q=budget",
    "indicateurs": lambda paths: "/indicateurs/",
    "indicateur": lambda paths: "/indicateurs/TP60/",
    "portrait-commune": lambda paths: "/indicateurs/communes/93010/",
    "comparaison": lambda paths: "/indicateurs/communes/93010/TP60/?avec=93048",
    "intercommunalites": lambda paths: "/indicateurs/intercommunalites/",
    "calendrier": lambda paths: "/evenements/",
    "calendrier-mois": lambda paths: "/evenements/?vue=mois",
    "mes-inscriptions": lambda paths: "/evenements/mes-inscriptions/",
    "evenement": lambda paths: paths["event"],
    "actes": lambda paths: paths["proceedings"],
    "inscription-personnelle": lambda paths: paths["manage"],
    "questionnaire": lambda paths: paths["evaluate"],
    "donnees-personnelles": lambda paths: "/donnees-personnelles/",
    "mentions-legales": lambda paths: "/mentions-legales/",
    "accessibilite": lambda paths: "/accessibilite/",
    "contact": lambda paths: "/contact/",
}


def test_the_audit_sees_a_violation(page):
    """Guards against an audit that checks nothing (rules renamed, axe not injected)."""
    page.set_content('<html lang="fr"><title>Essai</title><main><h1>Essai</h1><input></main>')
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert [violation["id"] for violation in violations] == ["label"]


def test_the_audit_sees_a_page_wider_than_a_phone(page):
    """Guards the reflow check: a page that scrolls sideways at 320 px fails the audit."""
    page.set_content(
        '<html lang="fr"><title>Essai</title><main><h1>Essai</h1>'
        '<p style="width: 400px">Trop large</p></main>'  # + the body's 8 px margin
    )
    with pytest.raises(AssertionError, match="408 px de large à 320 px"):
        audit(page)


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_portal_page(page, live_server_port, demo, name):
    open_page(page, f"http://localhost:{live_server_port}{PORTAL_PAGES[name](demo.paths)}")
    audit(page)


def test_the_api_docs(page, live_server_port):
    """/api/docs/, linked from every page's footer: Redoc (drf-spectacular) in the site's page,
    templates/drf_spectacular/redoc.html, with its <main>, header and link back to the portal.
    Audited once Redoc has drawn the operations. « heading-order » is off for this page only:
    Redoc itself writes each operation's « Authorizations: » as an <h5> right under the
    operation's <h2>, and no setting changes its markup (the accessibility statement,
    /accessibilite/, lists it among the non-conformities)."""
    open_page(page, f"http://localhost:{live_server_port}/api/docs/")
    page.wait_for_selector("redoc .api-content h2")
    audit(page, rules_off=("heading-order",))


def test_the_commune_portrait_fits_a_laptop_and_keeps_its_indicators_in_view(
    page, live_server_port, demo
):
    """Its twelve columns fit a 1280 px screen without a sideways scroll; on a phone the table
    scrolls under its first column, which stays where it is."""
    page.set_viewport_size(VIEWPORTS["bureau"])
    open_page(page, f"http://localhost:{live_server_port}/indicateurs/communes/93010/")
    table = page.get_by_role("region", name="Portrait de Bondy : indicateurs publiés")
    assert table.evaluate("element => element.scrollWidth - element.clientWidth") <= 0

    page.set_viewport_size(VIEWPORTS["téléphone"])
    indicator = table.get_by_role("rowheader", name="Taux de pauvreté au seuil de 60 % (%)")
    value = table.get_by_role("cell", name="hausse", exact=False).first
    left, value_left = indicator.bounding_box()["x"], value.bounding_box()["x"]
    table.evaluate("element => { element.scrollLeft = 300 }")
    assert indicator.bounding_box()["x"] == pytest.approx(left, abs=1)
    assert value.bounding_box()["x"] == pytest.approx(value_left - 300, abs=1)


def test_registration_form_with_its_errors(page, live_server_port, demo):
    """The event page after a refused registration: error summary, messages beside the fields."""
    open_page(page, f"http://localhost:{live_server_port}{demo.paths['event']}")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Durand")
    page.get_by_role("textbox", name="Adresse e-mail", exact=True).fill("durand@exemple")
    page.get_by_role("button", name="S'inscrire").click()
    page.wait_for_load_state()
    assert "adresse e-mail valide" in page.content()
    audit(page)


def test_questionnaire_with_its_errors(page, live_server_port, demo):
    """The questionnaire sent empty: the radio groups' errors are announced and tied to them."""
    open_page(page, f"http://localhost:{live_server_port}{demo.paths['evaluate']}")
    page.get_by_role("button", name="Envoyer mon avis").click()
    page.wait_for_load_state()
    assert "Choisissez une réponse." in page.content()
    audit(page)


def test_a_member_host_404_searches_the_portal(page, live_server_port, demo):
    """A member host's « Page introuvable » has the portal's search box: audited, and its form
    reaches the portal's /recherche/ in a real browser (the CSP's form-action allows it)."""
    base = f"http://bondy.localhost:{live_server_port}"
    open_page(page, f"{base}/connexion/")
    page.get_by_label("Identifiant (adresse e-mail)").fill(DIRECTOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    response = page.goto(f"{base}/nimportequoi/")
    assert response.status == 404
    audit(page)
    page.get_by_label("Rechercher sur le portail").fill("budget")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.wait_for_url(f"http://localhost:{live_server_port}/recherche/?q=budget")


MEMBER_PAGES = [
    "/connexion/",
    "/",
    "/profil/",
    "/profil/modifier/",
    "/conseil/",
    "/conseil/seances/",
    "/conseil/seances/ajouter/",
    "/activite/",
    "/activite/saisir/",
    "/activite/importer/",
    "/activite/domiciliation/",
    "/equipe/",
    "/documents/",
    "/abs/",
    "/experiences/",
    "member_register",  # a path of the demo (Demo.paths)
    "member_cancel",
]


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_member_workspace_page(page, live_server_port, demo, path):
    base = f"http://bondy.localhost:{live_server_port}"
    open_page(page, f"{base}/connexion/")
    if path == "/connexion/":
        audit(page)
        return
    page.get_by_label("Identifiant (adresse e-mail)").fill(DIRECTOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    open_page(page, f"{base}{demo.paths.get(path, path)}")
    audit(page)


def test_the_member_menu_holds_on_one_row_of_a_laptop_screen(page, live_server_port, demo):
    """The director's eight menu links (« Équipe » last) on one row at 1280 px; « Mon compte »
    sits with « Se déconnecter » in the account menu, the journal is reached from « Équipe »."""
    base = f"http://bondy.localhost:{live_server_port}"
    page.set_viewport_size(VIEWPORTS["bureau"])
    open_page(page, f"{base}/connexion/")
    page.get_by_label("Identifiant (adresse e-mail)").fill(DIRECTOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    nav = page.get_by_role("navigation", name="Navigation principale")
    links = nav.locator("ul:not(.nav-portal)").get_by_role("link")
    tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
    assert links.count() == 8 and links.last.inner_text() == "Équipe"
    assert len(tops) == 1
    # The portal's four links (session 36) on their own row, below.
    portal = nav.locator("ul.nav-portal").get_by_role("link")
    portal_tops = {round(box["y"]) for box in (link.bounding_box() for link in portal.all())}
    assert portal.count() == 4 and len(portal_tops) == 1 and min(portal_tops) > min(tops)

"""Accessibility audit of the project's own screens in the Wagtail admin, filled with the demo's
data: the event organisers' (registrations, check-in, manual add, import, communes to check,
figures, opinions, year report, message to registrants), the union admins' (members, ABS
reference values, the ABS catalogue, the knowledge base's reports) and the e-mail queue's warning.

The same axe rules as the portal's audit (tests/browser/test_axe.py: WCAG 2.0, 2.1 and 2.2 A and
AA, headings and landmarks), at a desktop's and a phone's width, with the stylesheets served.
The whole page is audited, Wagtail's own chrome (sidebar, header, breadcrumbs, messages)
included: nothing is excluded, as Wagtail's markup raises no violation of these rules today. If
an upgrade of Wagtail brings one we cannot fix, scope the audit to our content (`Axe().run(page,
context={"include": [".nice-padding"]}, …)`: `main_content`'s box in
wagtailadmin/generic/base.html) and say which rule and region in a comment here.
The keyboard path through the registrations' filters and the check-in button is tested last.
"""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seminars.check_in import check_in_code
from seminars.models import Registration, SeminarPage
from seminars.services import RegistrationData, register_person, resolve_commune, set_check_in
from seminars.tasks import send_registration_email
from tests.browser.conftest import serve_static, sign_in
from tests.browser.test_axe import AXE_OPTIONS, VIEWPORTS, build_demo, remove_demo, report
from tests.browser.test_focus_visible import RINGS, contrast, rgb
from tests.conftest import PASSWORD, run_committed
from union import roles
from union.settings.base import TASK_BACKENDS

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

ORGANISER = "organisatrice@union.axe.test"
UNION_ADMIN = "administratrice@union.axe.test"
Status = Registration.Status


def build_admin_demo():
    """The demo (test_axe's, removed the same way), then the upcoming event as on its day: full,
    two people waiting, two checked in, a commune to check (the demo's « Aulnay-sous-Boi »); and
    an event organiser and a union admin to sign in."""
    demo = build_demo()
    for email, group in ((ORGANISER, roles.EVENT_ORGANISER), (UNION_ADMIN, roles.UNION_ADMIN)):
        user = get_user_model().objects.create_user(email, email, PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    upcoming = SeminarPage.objects.get(slug="atelier-debut-de-mandat")
    confirmed = upcoming.registrations.filter(status=Status.CONFIRMED).order_by("pk")
    SeminarPage.objects.filter(pk=upcoming.pk).update(seats=confirmed.count())
    upcoming.refresh_from_db()
    for nom, commune in (("Lemoine", "Pantin"), ("Ouattara", "Bobigny")):
        register_person(
            upcoming,
            RegistrationData(
                nom=nom,
                prenom="Inès",
                email=f"ines.{nom.lower()}@exemple.fr",
                commune=resolve_commune(commune),
                fonction="maire_adjoint",
                atelier_ids=[],
                consent=True,
            ),
            source=Registration.Source.MANUAL,
            notify=False,
        )
    for registration in confirmed[:2]:
        set_check_in(registration, True)
    past = SeminarPage.objects.get(slug="seminaire-abs-2026")
    not_checked_in = confirmed.filter(checked_in_at__isnull=True).last()
    demo.paths.update(
        upcoming=upcoming.pk,
        past=past.pk,
        past_year=past.start.year,
        atelier=upcoming.ateliers.order_by("starts_at").first().pk,
        registration=not_checked_in.pk,
        scan_code=check_in_code(not_checked_in),
        scan_waiting=check_in_code(upcoming.registrations.get(nom="Ouattara")),
        member=demo.members[0].pk,
    )
    return demo


@pytest.fixture(scope="module")
def admin_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        built = run_committed(build_admin_demo)
    yield built
    with django_db_blocker.unblock():
        run_committed(remove_demo, built)


@pytest.fixture(scope="module")
def sessions(browser, live_server_port, admin_demo):
    """Each person's signed-in browser state (cookies), signed in once for the module."""
    states = {}

    def state(email: str) -> dict:
        if email not in states:
            context = browser.new_context(locale="fr-FR")
            page = context.new_page()
            page.route("**/static/**", serve_static)
            sign_in(page, f"http://localhost:{live_server_port}", email)
            states[email] = context.storage_state()
            context.close()
        return states[email]

    return state


@pytest.fixture
def signed_in(browser, sessions):
    """`signed_in(email)`: a new browser page, signed in as that person."""
    contexts = []

    def open_as(email: str):
        context = browser.new_context(locale="fr-FR", storage_state=sessions(email))
        contexts.append(context)
        page = context.new_page()
        page.route("**/static/**", serve_static)
        return page

    yield open_as
    for context in contexts:
        context.close()


# Those that end (a spinner's never does), waited for 2 s at most (a paused one never finishes).
FINITE_ANIMATIONS_DONE = """() => Promise.race([
    Promise.all(document.getAnimations()
        .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
        .map(a => a.finished.catch(() => null))),
    new Promise(resolve => setTimeout(resolve, 2000)),
])"""


def audit_admin(page) -> None:
    """The axe rules of the portal's audit on the whole page, desktop and phone; fails with one
    paragraph per rule broken (test_axe.report). No reflow check at 320 px as test_axe.audit
    makes: Wagtail's `<main>` hides what overflows sideways (`overflow-x: hidden`), so the page
    never scrolls, and a listing wider than a phone (Wagtail's or ours) is cut off instead."""
    failures = []
    for name, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        # Wagtail's messages fade in: axe measured a half-drawn green banner (3.15:1).
        page.evaluate(FINITE_ANIMATIONS_DONE)
        violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
        if violations:
            failures.append(report(f"{page.url} ({name})", violations))
    assert not failures, "\n\n".join(failures)


# The tables wider than the screen that are neither in view nor in a box that scrolls sideways:
# Wagtail's <main> hides what overflows, so their far columns (check-in, « Modifier ») were cut
# off on a phone and out of a finger's reach.
CUT_OFF_TABLES = """() => [...document.querySelectorAll('main table')].filter(table => {
    if (table.getBoundingClientRect().right <= window.innerWidth + 1) return false;
    const box = table.closest('.table-scroll, #listing-results');
    return !(box && getComputedStyle(box).overflowX === 'auto'
             && box.getBoundingClientRect().right <= window.innerWidth + 1);
}).map(table => (table.querySelector('caption') || table).textContent.trim().slice(0, 60))"""


def assert_tables_reachable(page) -> None:
    """At 320 px, each table fits or scrolls in its own box: ours ({% scrollable %}) and
    Wagtail's listings (their results box, union/static/css/admin.css)."""
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(CUT_OFF_TABLES) == [], page.url


def admin_url(port: int, path: str) -> str:
    return f"http://localhost:{port}/admin/{path}"


def go(page, url: str, status: int = 200) -> None:
    """Open `url`, which must answer `status` itself (a sign-in page instead would pass axe)."""
    response = page.goto(url)
    assert response.status == status, f"{url} : {response.status}"
    assert page.url == url, f"{url} : redirigé vers {page.url}"


def submitted(page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).first.click()
    page.wait_for_load_state()


# Path under /admin/inscriptions/ (from the demo's paths), and texts the page must show: the
# states the audit is meant to see.
ORGANISER_PAGES = {
    "evenements": (lambda p: "", ["Atelier début de mandat", "Passés"]),
    "inscriptions": (
        lambda p: f"{p['upcoming']}/",
        ["Liste d'attente", "à vérifier", "Présent(e) à", 'name="present" value="1"'],
    ),
    "inscriptions-filtrees": (
        lambda p: f"{p['upcoming']}/?status=confirmed&commune=Bondy&fonction=&atelier=",
        ["Présent(e) à", "filtres appliqués"],
    ),
    "inscriptions-filtre-refuse": (
        lambda p: f"{p['upcoming']}/?atelier=999999&flagged=on",
        ["Un filtre n'a pas pu être appliqué", "à vérifier"],
    ),
    # One atelier's waiting list (the demo has one person on it): its rows' buttons.
    "inscriptions-liste-atelier": (
        lambda p: f"{p['upcoming']}/?atelier_waiting={p['atelier']}",
        ["Retirer de la liste d'attente", "Écrire aux personnes de cette liste d'attente"],
    ),
    "inscriptions-evenement-passe": (
        lambda p: f"{p['past']}/",
        ["Envoyer les attestations par e-mail", "Voir la synthèse"],
    ),
    "ajouter": (lambda p: f"{p['upcoming']}/ajouter/", ["Département ou région"]),
    "modifier": (
        lambda p: f"{p['upcoming']}/{p['registration']}/modifier/?query=status%3Dconfirmed",
        ["Enregistrer les modifications"],
    ),
    "importer": (lambda p: f"{p['upcoming']}/importer/", ["Colonnes attendues"]),
    "communes": (lambda p: f"{p['upcoming']}/communes/", ["Aulnay-sous-Boi"]),
    "chiffres": (lambda p: f"{p['upcoming']}/chiffres/", ["Besoins particuliers"]),
    "avis": (lambda p: f"{p['past']}/avis/", ["Satisfaction par question"]),
    "avis-a-venir": (lambda p: f"{p['upcoming']}/avis/", ["Le questionnaire ouvrira"]),
    "bilan": (lambda p: f"bilan/?annee={p['past_year']}", ["Rencontres de"]),
    "bilan-annee-inconnue": (lambda p: "bilan/?annee=1990", ["Aucun événement en « 1990 »"]),
    "emargement": (lambda p: f"emargement/{p['scan_code']}/", ["Émarger "]),
    "emargement-liste-d-attente": (
        lambda p: f"emargement/{p['scan_waiting']}/",
        ["n'a pas de place confirmée"],
    ),
    "annuler": (
        lambda p: f"{p['upcoming']}/{p['registration']}/annuler/?query=status%3Dconfirmed",
        ["Oui, annuler l'inscription"],
    ),
    "ecrire": (lambda p: f"{p['upcoming']}/ecrire/", ["Destinataires"]),
    "annuler-evenement": (
        lambda p: f"{p['upcoming']}/annuler-evenement/",
        ["Oui, annuler l'événement", "recevront un e-mail"],
    ),
}


def test_the_admin_audit_sees_a_violation_in_our_content(signed_in, live_server_port, admin_demo):
    """Guards against an audit that skips our part of the page: an unlabelled field added to
    the registrations list fails it."""
    page = signed_in(ORGANISER)
    go(page, admin_url(live_server_port, f"inscriptions/{admin_demo.paths['upcoming']}/"))
    page.locator(".nice-padding form.filters").evaluate(
        "form => form.append(document.createElement('input'))"
    )
    with pytest.raises(AssertionError, match="- label "):
        audit_admin(page)


@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_page(signed_in, live_server_port, admin_demo, name):
    path, expected = ORGANISER_PAGES[name]
    page = signed_in(ORGANISER)
    go(page, admin_url(live_server_port, f"inscriptions/{path(admin_demo.paths)}"))
    content = page.content().replace("&nbsp;", "\u00a0")  # Playwright writes U+00A0 as &nbsp;
    assert not [text for text in expected if text not in content], name
    audit_admin(page)
    assert_tables_reachable(page)


def test_manual_add_with_its_errors(signed_in, live_server_port, admin_demo):
    """Names and commune missing, an address without its domain: the error summary, one link
    a field, above the form."""
    page = signed_in(ORGANISER)
    go(page, admin_url(live_server_port, f"inscriptions/{admin_demo.paths['upcoming']}/ajouter/"))
    page.get_by_role("textbox", name="Adresse e-mail").fill("durand@exemple")
    submitted(page, "Ajouter")
    assert "L'inscription n'est pas enregistrée" in page.content()
    audit_admin(page)


IMPORT_REFUSED = "Nom;Prénom;Commune;Fonction\nDurand;Aïcha;Bondy;astronaute\n;Jean;Pantin;maire\n"


def test_import_of_a_refused_file(signed_in, live_server_port, admin_demo):
    """A file whose lines are wrong: the table of errors, by line."""
    page = signed_in(ORGANISER)
    go(page, admin_url(live_server_port, f"inscriptions/{admin_demo.paths['upcoming']}/importer/"))
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(
        {"name": "liste.csv", "mimeType": "text/csv", "buffer": IMPORT_REFUSED.encode()}
    )
    submitted(page, "Importer")
    assert "Rien n'a été importé : " in page.content().replace("&nbsp;", "\u00a0")
    audit_admin(page)


def test_import_without_a_file_and_an_unknown_area(signed_in, live_server_port, admin_demo):
    """The form itself refused (two errors): the error summary."""
    page = signed_in(ORGANISER)
    go(page, admin_url(live_server_port, f"inscriptions/{admin_demo.paths['upcoming']}/importer/"))
    page.get_by_label("Département ou région par défaut").fill("Atlantide")
    submitted(page, "Importer")
    assert page.locator(".error-summary li").count() == 2
    audit_admin(page)


def test_flagged_commune_with_an_unknown_code(signed_in, live_server_port, admin_demo):
    page = signed_in(ORGANISER)
    go(page, admin_url(live_server_port, f"inscriptions/{admin_demo.paths['upcoming']}/communes/"))
    page.get_by_role("textbox", name="code INSEE").first.fill("99999")
    submitted(page, "Corriger")
    assert "Code INSEE inconnu" in page.content()
    audit_admin(page)


def test_email_to_registrants_with_its_errors(signed_in, live_server_port, admin_demo):
    page = signed_in(ORGANISER)
    go(page, admin_url(live_server_port, f"inscriptions/{admin_demo.paths['upcoming']}/ecrire/"))
    page.get_by_label("Inscriptions confirmées").uncheck()
    submitted(page, "Envoyer")
    assert "Le message n'est pas envoyé" in page.content()
    audit_admin(page)


# admin_views.explained: a wrong address is an admin page saying why, with the way back.
PROBLEM_PAGES = {
    "code-inconnu": (lambda p: "emargement/inconnu/", 404, "Code d'émargement inconnu"),
    "format-inconnu": (lambda p: f"{p['upcoming']}/export/?format=doc", 400, "Format inconnu"),
}


@pytest.mark.parametrize("name", PROBLEM_PAGES)
def test_organiser_problem_page(signed_in, live_server_port, admin_demo, name):
    path, status, text = PROBLEM_PAGES[name]
    page = signed_in(ORGANISER)
    go(page, admin_url(live_server_port, f"inscriptions/{path(admin_demo.paths)}"), status)
    assert text in page.content()
    audit_admin(page)


@pytest.fixture
def stalled_queue(settings):
    """The e-mail queue as when no worker runs: real e-mails queued in PostgreSQL 40 minutes ago
    (the live server runs in this process, with these settings)."""
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}

    def queue_emails():
        for number in range(3):
            send_registration_email.enqueue(number, "confirmed")
        DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=40))

    run_committed(queue_emails)  # committed: the live server reads them on its own connection
    yield
    run_committed(DBTaskResult.objects.all().delete)


@pytest.mark.parametrize("path", ["", "inscriptions/"])
def test_the_stalled_queue_warning(signed_in, live_server_port, admin_demo, stalled_queue, path):
    """The admin's home (our « Envoi des e-mails » panel) and the events list warn that the
    e-mails no longer leave."""
    page = signed_in(ORGANISER)
    go(page, admin_url(live_server_port, path))
    assert "Les e-mails ne partent plus." in page.content()
    audit_admin(page)


UNION_ADMIN_PAGES = {
    "membres": "membres/",
    "membres-recherche": "membres/?q=Bondy",
    "ajouter-un-membre": "membres/ajouter/",
    "references-abs": "abs/references/",
    "catalogue-abs": "abs_indicators/",
    "guides-a-relire": "reports/guides-a-relire/",
    "tableaux-a-completer": "reports/tableaux-a-completer/",
}


@pytest.mark.parametrize("name", UNION_ADMIN_PAGES)
def test_union_admin_page(signed_in, live_server_port, admin_demo, name):
    page = signed_in(UNION_ADMIN)
    go(page, admin_url(live_server_port, UNION_ADMIN_PAGES[name]))
    audit_admin(page)
    assert_tables_reachable(page)
    if name == "membres":  # the status select's label, for screen readers only, stays unseen
        box = page.locator("label.visually-hidden").first.bounding_box()
        assert box["width"] <= 1 and box["height"] <= 1


def test_member_page_status_confirmation_and_admin_home(signed_in, live_server_port, admin_demo):
    """The union's view of a member (its people in a table), the status change's confirmation
    step and the admin home's panel « Membres de l'union »."""
    page = signed_in(UNION_ADMIN)
    member = admin_demo.paths["member"]
    for path in (f"membres/{member}/", f"membres/{member}/statut/?status=suspended", ""):
        go(page, admin_url(live_server_port, path))
        audit_admin(page)
        assert_tables_reachable(page)


def test_member_add_with_its_errors(signed_in, live_server_port, admin_demo):
    page = signed_in(UNION_ADMIN)
    go(page, admin_url(live_server_port, "membres/ajouter/"))
    submitted(page, "Créer l'espace du membre")
    assert page.locator(".has-error").count()
    audit_admin(page)


REFERENCES_REFUSED = "level;code;indicator;year;value\nregion;99;INCONNU;1800;abc\n"


def test_reference_import_of_a_refused_file(signed_in, live_server_port, admin_demo):
    page = signed_in(UNION_ADMIN)
    go(page, admin_url(live_server_port, "abs/references/"))
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(
        {"name": "references.csv", "mimeType": "text/csv", "buffer": REFERENCES_REFUSED.encode()}
    )
    submitted(page, "Importer")
    assert "Fichier refusé" in page.content()
    audit_admin(page)


def test_reference_import_without_a_file(signed_in, live_server_port, admin_demo):
    page = signed_in(UNION_ADMIN)
    go(page, admin_url(live_server_port, "abs/references/"))
    submitted(page, "Importer")
    assert page.locator(".error-summary li").count() == 1
    audit_admin(page)


def focused(page) -> dict:
    """The focused element: its id, accessible text, and focus rings (test_focus_visible)."""
    rings = page.evaluate(RINGS)
    rings["id"] = page.evaluate("() => document.activeElement.id")
    return rings


def assert_focus_visible(rings: dict) -> None:
    """A solid outline of 2 px at least, standing out from the background (3:1, WCAG 1.4.11);
    Wagtail's ring is 3 px of its focus colour."""
    style, width, colour = rings["outline"]
    assert style == "solid" and float(width.removesuffix("px")) >= 2, rings
    assert contrast(rgb(colour), rgb(rings["background"])) >= 3, rings


def tab_to(page, wanted, limit: int = 200) -> dict:
    """Press Tab until `wanted(focused element)`; fails if the keyboard never gets there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        rings = focused(page)
        if wanted(rings):
            return rings
    raise AssertionError(f"Jamais atteint au clavier en {limit} tabulations")


def test_filters_and_check_in_with_the_keyboard(signed_in, live_server_port, admin_demo):
    """From the top of the registrations list, the keyboard reaches each filter in order, then
    the check-in button of a person; every focus shows; Enter filters, then checks in."""
    page = signed_in(ORGANISER)
    page.set_viewport_size(VIEWPORTS["bureau"])
    url = admin_url(live_server_port, f"inscriptions/{admin_demo.paths['upcoming']}/")
    go(page, url)

    rings = tab_to(page, lambda rings: rings["id"] == "id_status")
    order = [rings["id"]]
    assert_focus_visible(rings)
    for _ in range(5):
        page.keyboard.press("Tab")
        rings = focused(page)
        assert_focus_visible(rings)
        order.append(rings["id"])
        if rings["id"] == "id_commune":
            page.keyboard.type("Bondy")
    assert order == [
        "id_status",
        "id_commune",
        "id_fonction",
        "id_atelier",
        "id_atelier_waiting",
        "id_flagged",
    ]
    page.keyboard.press("Tab")
    rings = focused(page)
    assert rings["text"] == "Filtrer"
    assert_focus_visible(rings)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "commune=Bondy" in page.url

    rings = tab_to(page, lambda rings: rings["text"].startswith("Émarger "))
    assert_focus_visible(rings)
    name = rings["text"].removeprefix("Émarger ").strip()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The demo's event is weeks ahead: checking in now asks first.
    with page.expect_navigation():
        page.get_by_role("button", name="Oui, émarger").click()
    assert "commune=Bondy" in page.url  # back to the list as it was filtered
    assert page.get_by_text(f"{name} : présent(e).").is_visible()

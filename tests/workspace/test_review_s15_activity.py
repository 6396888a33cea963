"""Review 15: the activity figures and the dashboard as a director reads them.

Key figures instead of sums of unlike figures, the dashboard's last complete year, neutral
evolutions, table cells and captions that keep their layout, a heading per pole, the catalogue's
order, and the dashboard's to-dos (ABS drafts, latest documents, last year not entered).
"""

import csv
import io
import re
import threading
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.workspace import activity
from tenants.workspace.models import Document
from tenants.workspace.templatetags.workspace_tags import evolution
from tests.conftest import make_person, member_client
from tests.workspace.conftest import add_figures

pytestmark = pytest.mark.django_db

DOMICILIATION = "Élection de domicile"
# A year of figures as the reviewer's: the domiciliation and the optional aid poles add up to
# 6 919 and 2 060 when every line is summed.
DOMICILIATION_2025 = {
    "Courriers reçus": 5230,
    "Demandes d'élection de domicile": 652,
    "Domiciliations actives au 31 décembre": 412,
    "Élections de domicile accordées": 530,
    "Radiations": 70,
    "Refus d'élection de domicile": 25,
}


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def row_of(soup, header: str):
    """The dashboard's row of a pole (its header starts with the pole's name)."""
    return next(
        th.parent for th in soup.select("tbody th[scope=row]") if th.get_text().startswith(header)
    )


@pytest.fixture
def reviewed(two_members):
    """Bondy: 2024 and 2025 of three poles whose lines count different things. Montreuil: other
    figures under the same primary keys."""
    bondy, montreuil = two_members
    figures = []
    for year, scale in ((2024, 1), (2025, 2)):
        figures += [
            (year, DOMICILIATION, category, count if year == 2025 else count // 2, None)
            for category, count in DOMICILIATION_2025.items()
        ]
        figures += [
            (year, "Aides facultatives", "Dossiers examinés", 1337 // (3 - scale), None),
            (year, "Aides facultatives", "Aides accordées", 723 // (3 - scale), Decimal("900")),
            (year, "Secours", "Transports", 10 * scale, Decimal("500.00") * scale),
            (year, "Secours", "Obsèques", 4 * scale, Decimal("3000.00")),
            (year, "Secours", "Commissions de secours", 22, None),  # meetings, not aids
        ]
    add_figures(bondy, *figures)
    add_figures(
        montreuil,
        (2025, DOMICILIATION, "Domiciliations actives au 31 décembre", 9, None),
        (2025, DOMICILIATION, "Courriers reçus", 99999, None),
    )
    return (
        member_client(bondy, make_person(bondy, "dir@bondy.test")),
        member_client(montreuil, make_person(montreuil, "dir@montreuil.test")),
    )


# --- 1. A pole shows its key figure, never a sum of unlike figures ----------------------------


def test_a_pole_shows_its_key_figure_never_a_sum_of_unlike_figures(reviewed, bondy):
    bondy_client, montreuil_client = reviewed
    dashboard = soup_of(bondy_client.get("/"))
    card = dashboard.find(id="activite").parent
    assert "Chiffre clé de chaque pôle en 2025" in text_of(card.caption)
    domiciliation = text_of(row_of(card, DOMICILIATION))
    # Active domiciliations, 412 (206 in 2024: +100 %), not 6 919 letters + requests + …
    assert "Domiciliations actives au 31 décembre" in domiciliation
    assert "412" in domiciliation and "+100,0 %" in domiciliation
    assert "6 919" not in text_of(card).replace("\u202f", " ")
    # Aid granted, 723 (361 in 2024), not 2 060 files examined + aid granted.
    optional = text_of(row_of(card, "Aides facultatives"))
    assert "Aides accordées" in optional and "723" in optional
    # Secours adds up its aids (same unit), not the relief committee's meetings.
    secours = text_of(row_of(card, "Secours"))
    assert "Secours accordés (total)" in secours and re.search(r"\b28\b", secours)
    assert "+100,0 %" in secours  # 28 aids against 14; 50 with the meetings against 36

    report = soup_of(bondy_client.get("/activite/?annee=2025"))
    footer = next(th for th in report.find_all("th") if th.get_text().startswith("Total Secours"))
    assert "hors Commissions de secours" in text_of(footer)
    # A pole whose lines count different things has no « Total » row.
    assert report.find("th", string=re.compile(f"^Total {DOMICILIATION}")) is None
    assert "Total Aides facultatives" not in report.get_text()

    rows = list(
        csv.reader(
            io.StringIO(
                bondy_client.get("/activite/export.csv?annee=2025").content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    summaries = {
        row[0]: row
        for row in rows[1:]
        if len(row) > 1 and row[1].startswith(("Secours accordés", "Chiffre"))
    }
    assert summaries[DOMICILIATION][1:3] == [
        "Chiffre clé du pôle : Domiciliations actives au 31 décembre",
        "412",
    ]
    assert summaries["Aides facultatives"][2] == "723"
    assert summaries["Secours"][1:3] == [
        "Secours accordés (total) (hors Commissions de secours)",
        "28",
    ]

    data = bondy_client.get("/api/v1/activity/?year=2025").json()
    totals = {total["pole"]: total["count"] for total in data["totals"]}
    assert totals == {DOMICILIATION: 412, "Aides facultatives": 723, "Secours": 28}

    years, trends = _trends(bondy)
    assert years == [2024, 2025]
    assert {t.pole: t.values for t in trends}[DOMICILIATION] == [206, 412]

    # Montreuil, same ids: its own key figure, none of Bondy's.
    other = soup_of(montreuil_client.get("/")).find(id="activite").parent
    row = text_of(row_of(other, DOMICILIATION))
    assert re.search(r"\b9\b", row) and "99" not in row and "412" not in text_of(other)


def _trends(member):
    with schema_context(member.schema_name):
        return activity.pole_trends()


def test_a_pole_of_the_members_own_is_added_up_only_when_nothing_can_differ(bondy):
    add_figures(
        bondy,
        (2025, "Logement", "Ménages relogés", 12, None),
        (2025, "Logement", "Nuitées d'hôtel", 340, Decimal("15000.00")),
        (2025, "Épicerie sociale", "Familles inscrites", 85, None),
        (2025, "Secours", "Transports", 3, None),
        (2025, "Secours", "Aides au logement", 7, None),  # not in the catalogue: unit unknown
    )
    with schema_context(bondy.schema_name):
        report = activity.activity_report(2025, today=date(2026, 3, 1))
    totals = {t.pole: t for t in report.totals}
    # Two of its own categories: nothing says they count the same thing; no key figure.
    assert (totals["Logement"].measure, totals["Logement"].count) == ("", None)
    # One category: it stands for the pole.
    assert (totals["Épicerie sociale"].measure, totals["Épicerie sociale"].count) == (
        "Familles inscrites",
        85,
    )
    assert (totals["Secours"].count, totals["Secours"].left_out) == (3, ["Aides au logement"])


def test_a_missing_figure_withholds_only_the_key_figure_it_makes(bondy):
    add_figures(
        bondy,
        (2024, DOMICILIATION, "Domiciliations actives au 31 décembre", 400, None),
        (2024, DOMICILIATION, "Courriers reçus", 5000, None),
        (2025, DOMICILIATION, "Domiciliations actives au 31 décembre", 440, None),
    )
    with schema_context(bondy.schema_name):
        report = activity.activity_report(2025, today=date(2026, 3, 1))
    (total,) = report.totals
    # The letters are missing, but the key figure is the people domiciled: still compared.
    assert report.missing == [(DOMICILIATION, "Courriers reçus")]
    assert (total.comparable, total.count_evolution_pct) == (True, Decimal("10.0"))


# --- 2. The dashboard shows the last complete year --------------------------------------------


def test_one_figure_for_the_new_year_keeps_the_last_complete_year(two_members):
    bondy, montreuil = two_members
    year = timezone.localdate().year
    for member in two_members:
        add_figures(
            member,
            (year - 2, "Accueil", "Personnes reçues à l'accueil", 1000, None),
            (year - 1, "Accueil", "Personnes reçues à l'accueil", 1100, None),
            (year - 2, "RSA", "Accompagnements RSA", 40, None),
            (year - 1, "RSA", "Accompagnements RSA", 50, None),
        )
    bondy_client = member_client(bondy, make_person(bondy, "agent@bondy.test", "agent"))
    entered = bondy_client.post(
        f"/activite/saisir/?annee={year}",
        {
            "year": year,
            "pole": "Accueil",
            "category": "Personnes reçues à l'accueil",
            "count": "90",
        },
    )
    assert entered.status_code == 302

    card = soup_of(bondy_client.get("/")).find(id="activite").parent
    assert card.h2.get_text() == f"Activité {year - 1}"
    assert "+10,0 %" in text_of(row_of(card, "Accueil")) and "+25,0 %" in text_of(card)
    assert f"{year - 1} est complète" in text_of(card)
    note = text_of(card.find(class_="notice-warn"))
    assert f"Saisie de {year} en cours : 1 chiffre saisi jusqu'ici" in note
    assert card.find(class_="notice-warn").find("a", href=f"/activite/?annee={year}")

    # Montreuil (same ids) entered nothing for this year: no note.
    other = soup_of(member_client(montreuil, make_person(montreuil, "m@montreuil.test")).get("/"))
    card = other.find(id="activite").parent
    assert card.h2.get_text() == f"Activité {year - 1}" and card.find(class_="notice-warn") is None


def test_a_past_year_is_the_dashboards_once_every_figure_has_its_counterpart(bondy):
    add_figures(
        bondy,
        (2024, "Accueil", "Personnes reçues à l'accueil", 1000, None),
        (2024, "Accueil", "Appels téléphoniques", 3000, None),
        (2025, "Accueil", "Personnes reçues à l'accueil", 1200, None),
    )
    march = date(2026, 3, 2)
    with schema_context(bondy.schema_name):
        overview = activity.activity_overview(march)
        assert (overview.report.year, overview.complete) == (2024, True)
        (entry,) = overview.entering
        assert (entry.year, entry.entered, entry.missing, entry.over) == (2025, 1, 1, True)
        assert entry.note == "1 chiffre saisi ; 1 chiffre de 2024 n'a pas encore d'équivalent."
        # Calls stopped: entered as 0, the year is complete and becomes the dashboard's.
        add_figures(bondy, (2025, "Accueil", "Appels téléphoniques", 0, None))
        overview = activity.activity_overview(march)
        assert (overview.report.year, overview.entering) == (2025, [])


def test_without_a_complete_year_the_latest_is_shown_and_not_said_complete(bondy):
    add_figures(bondy, (2026, "RSA", "Accompagnements RSA", 4, None))
    with schema_context(bondy.schema_name):
        overview = activity.activity_overview(date(2026, 6, 1))
    assert (overview.report.year, overview.complete, overview.entering) == (2026, False, [])
    assert overview.report.in_progress


@pytest.mark.parametrize(
    "today, overdue",
    [(date(2026, 1, 20), None), (date(2026, 2, 1), 2025), (date(2026, 11, 3), 2025)],
)
def test_last_year_not_entered_is_said_once_january_is_over(bondy, today, overdue):
    add_figures(bondy, (2024, "RSA", "Accompagnements RSA", 40, None))
    with schema_context(bondy.schema_name):
        assert activity.activity_overview(today).overdue_year == overdue


def test_the_dashboard_says_last_year_is_not_entered_with_a_link(two_members, monkeypatch):
    bondy, montreuil = two_members
    add_figures(bondy, (2024, "RSA", "Accompagnements RSA", 40, None))
    add_figures(montreuil, (2025, "RSA", "Accompagnements RSA", 40, None))
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, *args: date(2026, 3, 2) if value is None else real_localdate(value),
    )
    agent = soup_of(member_client(bondy, make_person(bondy, "a@bondy.test", "agent")).get("/"))
    note = agent.find(id="activite").parent.find(class_="notice-warn")
    assert "Les chiffres de 2025 ne sont pas encore saisis." in text_of(note)
    assert note.find("a", href="/activite/saisir/?annee=2025") is not None
    assert note.find("a", href="/activite/importer/") is not None
    # A viewer, who cannot enter them, is told without the links.
    viewer = soup_of(member_client(bondy, make_person(bondy, "v@bondy.test", "viewer")).get("/"))
    note = viewer.find(id="activite").parent.find(class_="notice-warn")
    assert "pas encore saisis" in text_of(note) and note.find("a") is None
    # Montreuil has its 2025: nothing to say.
    other = soup_of(member_client(montreuil, make_person(montreuil, "m@montreuil.test")).get("/"))
    assert other.find(id="activite").parent.find(class_="notice-warn") is None


# --- 3. Evolutions: no colour for good or bad -------------------------------------------------


def test_evolutions_are_neutral_arrow_sign_and_word():
    rise, fall, flat = (str(evolution(Decimal(v))) for v in ("12.5", "-3.0", "0"))
    for html in (rise, fall, flat):
        assert 'class="evolution"' in html and "evolution-" not in html
    assert "↑" in rise and "+12,5\u00a0%" in rise and "(hausse)" in rise
    assert "↓" in fall and "−3,0\u00a0%" in fall and "(baisse)" in fall
    assert "→" in flat and "(stable)" in flat
    css = workspace_css()
    assert ".evolution-up" not in css and ".evolution-down" not in css
    assert re.search(r"\.evolution\s*\{[^}]*color:\s*inherit", css)


def workspace_css() -> str:
    return Path(settings.BASE_DIR, "tenants/workspace/static/workspace/workspace.css").read_text()


# --- 4 and 5. Table cells stay table cells; captions wrap; a heading per pole -----------------


def test_the_actions_rule_leaves_table_cells_alone():
    css = re.sub(r"/\*.*?\*/", "", workspace_css(), flags=re.S)
    flex_rules = re.findall(r"([^{}]*)\{[^}]*display:\s*flex", css)
    actions = [selector.strip() for selector in flex_rules if ".actions" in selector]
    assert actions == [".actions:not(td)"]


def test_each_pole_has_its_heading_in_report_order(reviewed):
    bondy_client, _ = reviewed
    soup = soup_of(bondy_client.get("/activite/?annee=2025"))
    headings = [h2.get_text() for h2 in soup.main.find_all("h2")]
    assert headings[:3] == [DOMICILIATION, "Aides facultatives", "Secours"]
    for section in soup.select("section.pole-section"):
        heading = section.find("h2")
        assert section.find("caption").get_text() == heading.get_text()
        assert "Chiffre clé" in section.find(class_="measure").get_text()


# --- 6. The catalogue's order within a pole ---------------------------------------------------


def test_categories_follow_the_catalogues_order(reviewed, bondy):
    bondy_client, _ = reviewed
    add_figures(bondy, (2025, DOMICILIATION, "Autres démarches", 3, None))  # the member's own
    soup = soup_of(bondy_client.get("/activite/?annee=2025"))
    section = soup.find("h2", string=DOMICILIATION).find_parent("section")
    assert [th.get_text() for th in section.select("tbody th")] == [
        "Demandes d'élection de domicile",
        "Élections de domicile accordées",
        "Refus d'élection de domicile",
        "Radiations",
        "Domiciliations actives au 31 décembre",
        "Courriers reçus",
        "Autres démarches",
    ]
    secours = soup.find("h2", string="Secours").find_parent("section")
    assert [th.get_text() for th in secours.select("tbody th")] == [
        "Transports",
        "Obsèques",
        "Commissions de secours",
    ]


# --- 7. The dashboard as a to-do list ---------------------------------------------------------


def test_abs_drafts_lead_a_director_to_the_validation(two_members):
    from tests.abs_shared.conftest import observe

    bondy, montreuil = two_members
    observe(bondy, "TP60", 2021, "18.5")
    observe(bondy, "CHOM", 2021, "12.0")
    director = soup_of(member_client(bondy, make_person(bondy, "d@bondy.test")).get("/"))
    panel = director.find("h2", string="Indicateurs ABS").parent
    button = panel.find("a", class_="button")
    assert button is not None and button["href"] == "/abs/?etat=brouillon"
    assert "valider" in button.get_text()
    agent = soup_of(member_client(bondy, make_person(bondy, "a@bondy.test", "agent")).get("/"))
    panel = agent.find("h2", string="Indicateurs ABS").parent
    assert panel.find("a", class_="button") is None
    assert "La direction valide les brouillons" in text_of(panel)
    # Montreuil has no draft: nothing to validate, no button.
    other = soup_of(member_client(montreuil, make_person(montreuil, "d@montreuil.test")).get("/"))
    assert other.find("h2", string="Indicateurs ABS").parent.find("a", class_="button") is None


def test_the_three_latest_documents_are_listed_under_the_count(two_members):
    bondy, montreuil = two_members
    now = timezone.now()
    titles = ["Budget primitif", "Règlement des aides", "PV du CA de mars", "Convention CAF"]
    for member, names in ((bondy, titles), (montreuil, ["Document de Montreuil"])):
        with schema_context(member.schema_name):
            for age, title in enumerate(reversed(names)):
                document = Document.objects.create(
                    title=title, file=ContentFile(b"%PDF", name=f"doc{age}.pdf")
                )
                Document.objects.filter(pk=document.pk).update(
                    uploaded_at=now - timedelta(days=len(names) - age)
                )
    with schema_context(bondy.schema_name):
        newest = Document.objects.get(title="Budget primitif")
    soup = soup_of(member_client(bondy, make_person(bondy, "v@bondy.test", "viewer")).get("/"))
    card = soup.find(id="identite").parent
    assert "Documents (4)" in text_of(card)
    items = card.select("ul.recent-documents li")
    assert [li.a.get_text() for li in items] == titles[:3]
    assert items[0].a["href"] == f"/documents/{newest.pk}/"
    assert "déposé le" in text_of(items[0])
    assert "Document de Montreuil" not in text_of(card)


# --- 4 and 5 in a browser: cells stay cells at 1280 px, captions readable at 375 px -----------


@pytest.mark.browser
def test_action_cells_and_captions_in_a_browser(reviewed):
    from tests.browser.conftest import chromium_path, launch_chromium, serve_static

    path = chromium_path()
    if path is None:
        pytest.skip("Chromium introuvable.")
    bondy_client, _ = reviewed
    pages = {
        "/activite/?annee=2025": bondy_client.get("/activite/?annee=2025").content,
        "/": bondy_client.get("/").content,
    }
    displays, overflows, failures = {}, {}, []

    def serve(route):
        url = route.request.url
        if "/static/" in url:
            return serve_static(route)
        html = pages.get(url.split("bondy.test", 1)[1])
        if html is None:
            return route.fulfill(status=404)
        return route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")

    def look():
        from playwright.sync_api import sync_playwright

        for browser in launch_chromium(sync_playwright, path):
            for width in (1280, 375):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                page.route("**/*", serve)
                page.goto("http://bondy.test/activite/?annee=2025")
                displays[width] = set(
                    page.eval_on_selector_all(
                        "td.actions", "cells => cells.map(c => getComputedStyle(c).display)"
                    )
                )
                for address in pages:
                    page.goto(f"http://bondy.test{address}")
                    # Each caption ends within its scrolling frame: nothing cut at the right.
                    # (Captions hidden on screen, under a heading that says the same, aside.)
                    overflows[address, width] = page.eval_on_selector_all(
                        ".table-scroll caption",
                        """captions => captions.filter(c => c.clientWidth > 1).map(c => {
                            const frame = c.closest('.table-scroll').getBoundingClientRect();
                            const range = document.createRange();
                            range.selectNodeContents(c);
                            return range.getBoundingClientRect().right - frame.right;
                        })""",
                    )
                context.close()

    def run():
        try:
            look()
        except Exception as error:  # said in the test's thread
            failures.append(error)

    # A thread of its own: the browser tests' session Chromium may run an event loop in this
    # one, where Playwright's sync API refuses to start another.
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not failures, failures
    assert all(overflows.values()) and max(max(o) for o in overflows.values()) <= 1, overflows
    assert displays == {1280: {"table-cell"}, 375: {"table-cell"}}

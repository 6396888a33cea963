"""The member dashboard: identity, compliance, latest activity, other apps' panels."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from tests.workspace.conftest import add_figures, make_board

pytestmark = pytest.mark.django_db


def test_dashboard_sums_up_the_member(bondy, clients):
    make_board(bondy, elected=4, appointed=5)
    add_figures(
        bondy,
        (2024, "Secours", "Transports", 10, Decimal("100.00")),
        (2025, "Secours", "Transports", 15, Decimal("90.00")),
    )
    page = clients["viewer"].get("/").content.decode()
    assert "CCAS de Bondy" in page and "Seine-Saint-Denis" in page
    assert "1 point à corriger" in page and "4 élus et 5 nommés" in page
    assert "Activité 2025" in page and "+50,0\u00a0%" in page and "−10,0\u00a0%" in page


def test_empty_member_dashboard(bondy, clients):
    page = clients["agent"].get("/").content.decode()
    assert "Aucune mandature saisie." in page and "Aucun chiffre d'activité." in page
    assert 'href="/activite/importer/"' in page


@pytest.fixture
def panel_template(tmp_path, settings):
    """fake/panel.html, the template of the panels below."""
    template_dir = tmp_path / "templates"
    (template_dir / "fake").mkdir(parents=True)
    (template_dir / "fake" / "panel.html").write_text("<p>Séminaires à venir : {{ count }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]


def test_panels_are_rendered_and_failures_left_out(bondy, clients, monkeypatch, panel_template):
    from tenants.workspace import views

    monkeypatch.setattr(
        views,
        "PANELS",
        [
            "tests.workspace.test_dashboard.good_panel",
            "tests.workspace.test_dashboard.empty_panel",
            "tests.workspace.test_dashboard.broken_panel",
            "no_such_app.dashboard.panel",
        ],
    )
    response = clients["viewer"].get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h2" in page and "Prochains séminaires" in page and "Séminaires à venir : 3" in page
    assert page.count('id="panel-') == 1


def test_cards_with_a_wide_table_come_last_and_span_two_columns(
    bondy, clients, monkeypatch, panel_template
):
    """At three columns, the activity card and a panel that says `wide` take two (CSS
    .card-wide); narrow panels come first so that no hole is left beside them."""
    from tenants.workspace import views

    monkeypatch.setattr(
        views,
        "PANELS",
        ["tests.workspace.test_dashboard.wide_panel", "tests.workspace.test_dashboard.good_panel"],
    )
    make_board(bondy, elected=4, appointed=5)
    add_figures(bondy, (2025, "Secours", "Transports", 15, Decimal("90.00")))
    page = BeautifulSoup(clients["viewer"].get("/").content, "html.parser")
    cards = [
        (card.h2.get_text(strip=True), "card-wide" in card["class"])
        for card in page.select(".dashboard > section.card")
    ]
    assert cards == [
        ("Identité", False),
        ("Conseil d'administration", False),
        ("Prochains séminaires", False),
        ("Activité 2025", True),
        ("Tableau large", True),
    ]
    ids = [card["aria-labelledby"] for card in page.select(".dashboard > section.card")]
    assert len(set(ids)) == len(ids)  # each card named by its own heading


def wide_panel(request):
    return {**good_panel(request), "title": "Tableau large", "wide": True}


def good_panel(request):
    return {
        "title": "Prochains séminaires",
        "template": "fake/panel.html",
        "context": {"count": 3},
    }


def empty_panel(request):
    return None


def broken_panel(request):
    raise RuntimeError("panel bug")

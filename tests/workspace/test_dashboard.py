"""The member dashboard: identity, compliance, latest activity, other apps' panels."""

from decimal import Decimal

import pytest

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
    assert "1 point à corriger" in page and "4 élu(s) et 5 nommé(s)" in page
    assert "Activité 2025" in page and "+50,0\u00a0%" in page and "−10,0\u00a0%" in page


def test_empty_member_dashboard(bondy, clients):
    page = clients["agent"].get("/").content.decode()
    assert "Aucune mandature saisie." in page and "Aucun chiffre d'activité." in page
    assert 'href="/activite/importer/"' in page


def test_panels_are_rendered_and_failures_left_out(bondy, clients, monkeypatch, tmp_path, settings):
    from tenants.workspace import views

    template_dir = tmp_path / "templates"
    (template_dir / "fake").mkdir(parents=True)
    (template_dir / "fake" / "panel.html").write_text("<p>Séminaires à venir : {{ count }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]
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
    assert "<h2" in page and "Prochains séminaires" in page and "Séminaires à venir : 3" in page
    assert page.count('id="panel-') == 1


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

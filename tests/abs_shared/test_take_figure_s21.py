"""Session 21: « Reprendre ce chiffre » types the activity report's figure in place when a script
runs (abs_shared/static/abs_shared/take_figure.js), so that the rest of what was typed on the DOMIC
value form stays; the link that reloads the form stays as the way without a script.

Here: the page carries what the script needs (the figure and its field, the status line, the
script file, no inline script). The browser half is tests/browser/test_take_figure_s21.py."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

from tests.abs_shared.conftest import observe
from tests.conftest import make_person, member_client
from tests.workspace.conftest import add_figures

pytestmark = pytest.mark.django_db

DOMICILIATION = "Élection de domicile"
ACTIVE = "Domiciliations actives au 31 décembre"
SCRIPT = "/static/abs_shared/take_figure.js"
# Every page's own script (forms sent once, session 38): not this feature's.
SITE_SCRIPT = "/static/union/forms.js"
ANNOUNCE = "Chiffre repris du rapport d'activité 2025 (1\u202f412) : vérifiez-le, puis enregistrez."


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def take_link(page: BeautifulSoup):
    (link,) = page.find_all("a", string="Reprendre ce chiffre")
    return link


def test_the_form_carries_what_the_script_needs(two_members):
    bondy, montreuil = two_members
    add_figures(bondy, (2025, DOMICILIATION, ACTIVE, 1412, None))
    add_figures(montreuil, (2025, DOMICILIATION, ACTIVE, 57, None))
    mine, theirs = observe(bondy, "DOMIC", 2025, 398), observe(montreuil, "DOMIC", 2025, 61)
    assert mine.pk == theirs.pk  # the collision
    client = member_client(bondy, make_person(bondy, "d@bondy.test"))

    for path, indicator in (
        (f"/abs/observations/{mine.pk}/modifier/", "DOMIC"),
        ("/abs/observations/ajouter/?indicateur=DOMIC&annee=2025", "DOMIC"),
    ):
        page = soup_of(client.get(path))
        link = take_link(page)
        # The no-script way stays: a link that reloads the form with the figure.
        assert "reprendre=activite" in link["href"]
        # The figure as the field takes it, the field, the year and indicator it belongs to.
        assert link["data-take-figure"] == "1412"
        field = page.find(id=link["data-take-field"])
        assert field.name == "input" and field["name"] == "value"
        assert link["data-take-year"] == "2025" and link["data-take-indicator"] == indicator
        # The polite status line, in the page from the start, empty until the script speaks.
        status = page.find(id=link["data-take-status"])
        assert status["role"] == "status" and status.get_text() == ""
        assert link["data-take-announce"] == ANNOUNCE
        # The script is a file of the site (script-src 'self'), never inline.
        scripts = page.find_all("script")
        assert [script.get("src") for script in scripts] == [SITE_SCRIPT, SCRIPT]
        assert all(not script.get_text().strip() for script in scripts)
        assert finders.find("abs_shared/take_figure.js")

    # The reloaded form says the same sentence, the number the French way.
    page = soup_of(client.get(f"/abs/observations/{mine.pk}/modifier/?reprendre=activite"))
    assert page.find("p", attrs={"role": "note"}, string=ANNOUNCE)

    # Montreuil's form, at the same address, carries Montreuil's figure only.
    theirs_page = soup_of(
        member_client(montreuil, make_person(montreuil, "d@montreuil.test")).get(
            f"/abs/observations/{theirs.pk}/modifier/"
        )
    )
    assert take_link(theirs_page)["data-take-figure"] == "57"
    assert "1412" not in str(theirs_page) and "1\u202f412" not in str(theirs_page)


def test_no_script_where_no_figure_is_offered(bondy):
    """Another indicator, or a DOMIC year without a report: no link, no script, no status."""
    add_figures(bondy, (2025, DOMICILIATION, ACTIVE, 412, None))
    tp60 = observe(bondy, "TP60", 2025, 20)
    other_year = observe(bondy, "DOMIC", 2023, 300)
    client = member_client(bondy, make_person(bondy, "d@bondy.test"))
    for path in (
        f"/abs/observations/{tp60.pk}/modifier/",
        f"/abs/observations/{other_year.pk}/modifier/",
    ):
        page = soup_of(client.get(path))
        scripts = [script.get("src") for script in page.find_all("script")]
        assert scripts == [SITE_SCRIPT] and not page.find(attrs={"data-take-figure": True})
        assert not page.find(attrs={"role": "status"})

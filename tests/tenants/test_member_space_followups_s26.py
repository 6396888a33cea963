"""Session 26, five follow-ups of the review of Bondy's member space. What was wrong, each with
its test:

- PUT /api/v1/profile/ took « ABCDE » as the postal code the profile page refuses (it reached
  the members' directory), and refused « www.ccas-bondy.fr » that the page takes;
- /activite/ (and its exports, and the API's report) opened on the latest year with any figure
  (one figure typed for this year) while the dashboard shows the last complete year;
- the préfet's domiciliation page read only the pole « Élection de domicile »: a CCAS whose
  pole is « Domiciliation » saw every line « non saisi »;
- « Renouveler le conseil » with a nommé who has no association category (older data) was
  refused with a message that named nobody;
- correcting the capitals or accents of a CCAS's own category was silently undone.

Real requests on a real PostgreSQL; two members whose primary keys collide where it matters."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.workspace.models import ActivityFigure, BoardMandate, BoardMember, Profile
from tests.conftest import make_person, member_client, plain
from tests.workspace.conftest import add_figures, make_board

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def director_of(member):
    return member_client(member, make_person(member, f"direction@{member.slug}.test"))


def agent_of(member):
    return member_client(member, make_person(member, f"agent@{member.slug}.test", "agent"))


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return plain(BeautifulSoup(response.content.decode(), "html.parser").get_text(" "))


# --- 1. The profile API applies the profile page's rules ----------------------------------

PROFILE = {"legal_name": "CCAS de Bondy", "kind": "CCAS", "postal_code": "93140"}


def test_the_profile_api_refuses_the_postal_code_the_page_refuses(two_members):
    bondy, montreuil = two_members
    agent = agent_of(bondy)
    for typed in ("ABCDE", "931", "9314O"):
        response = agent.put(
            "/api/v1/profile/", {**PROFILE, "postal_code": typed}, content_type="application/json"
        )
        assert response.status_code == 400, typed
        assert response.json() == {"postal_code": ["Le code postal compte cinq chiffres."]}
    with schema_context(bondy.schema_name):
        assert Profile.objects.get().postal_code == "93140"
    # What the page takes, the API takes, as the page stores it.
    body = {**PROFILE, "postal_code": " 93140 ", "website": "www.ccas-bondy.fr"}
    response = agent.put("/api/v1/profile/", body, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["postal_code"] == "93140"
    assert response.json()["website"] == "https://www.ccas-bondy.fr"
    # An e-mail address the page refuses is refused, on its field, in French.
    response = agent.put(
        "/api/v1/profile/", {**PROFILE, "email": "ccas@"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"email": ["Saisissez une adresse e-mail valide."]}
    # A PUT without the contact fields leaves them as they are.
    response = agent.put(
        "/api/v1/profile/", {"legal_name": "CCAS de Bondy"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["website"] == "https://www.ccas-bondy.fr"
    with schema_context(montreuil.schema_name):
        assert not Profile.objects.filter(website__contains="bondy").exists()


# --- 2. /activite/ opens on the dashboard's year --------------------------------------------


def test_the_activity_page_and_its_exports_open_on_the_dashboards_year(bondy):
    last, before = THIS_YEAR - 1, THIS_YEAR - 2
    add_figures(
        bondy,
        (before, "Accueil", "Personnes reçues à l'accueil", 900, None),
        (before, "Accueil", "Appels téléphoniques", 3000, None),
        (last, "Accueil", "Personnes reçues à l'accueil", 1000, None),
        (last, "Accueil", "Appels téléphoniques", 3100, None),
        # A single figure typed for this year: the year is being entered.
        (THIS_YEAR, "Accueil", "Personnes reçues à l'accueil", 80, None),
    )
    client = director_of(bondy)
    home = page_text(client.get("/"))
    assert f"Activité {last}" in home
    text = page_text(client.get("/activite/"))
    assert f"Rapport d'activité {last}" in text
    assert f"Rapport d'activité {THIS_YEAR}" not in text
    # ?annee= still opens the year asked for.
    assert f"Rapport d'activité {THIS_YEAR}" in page_text(
        client.get(f"/activite/?annee={THIS_YEAR}")
    )
    # The exports without a year, and the API's report without one, give the same year.
    response = client.get("/activite/export.csv")
    assert response.status_code == 200
    assert f"-{last}.csv" in response["Content-Disposition"]
    assert client.get("/api/v1/activity/").json()["year"] == last
    assert client.get(f"/api/v1/activity/?year={THIS_YEAR}").json()["year"] == THIS_YEAR


# --- 3. The domiciliation page reads the pole « Domiciliation » -----------------------------


def test_the_domiciliation_page_finds_a_pole_named_domiciliation(two_members):
    bondy, montreuil = two_members
    year = THIS_YEAR - 1
    add_figures(
        bondy,
        (year, "Domiciliation", "Demandes d'élection de domicile", 120, None),
        (year, "Domiciliation", "Radiations", 9, None),
        (year, "DOMICILIATIONS", "Domiciliations actives au 31 décembre", 412, None),
    )
    add_figures(montreuil, (year, "Domiciliation", "Demandes d'élection de domicile", 7, None))
    client = director_of(bondy)
    response = client.get(f"/activite/domiciliation/?annee={year}")
    text = page_text(response)
    assert "Demandes d'élection de domicile 120" in text
    assert "Domiciliations actives au 31 décembre 412" in text
    assert "Radiations 9" in text and "3 chiffres manquants" in text
    # The missing ones are entered under the CCAS's own pole, where the others are.
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    links = [a["href"] for a in soup.select("a") if a.get_text().startswith("Saisir")]
    assert links and all("pole=Domiciliation&" in href for href in links)
    csv = client.get(f"/activite/domiciliation/?annee={year}&format=csv").content.decode()
    assert "Demandes d'élection de domicile;120" in csv


# --- 4. Renewing the board with a nommé without a category ----------------------------------


def test_renewal_with_a_nomme_without_category_names_him_and_keeps_the_form(bondy):
    mandate = make_board(bondy)
    with schema_context(bondy.schema_name):
        # Entered before a nommé had to name the category of association he represents.
        BoardMember.objects.filter(last_name__in=["Asso1", "Asso2"]).update(category="")
        seats = {m.last_name: m.pk for m in mandate.members.all()}
    client = director_of(bondy)
    ticked = [str(seats[name]) for name in ("Asso1", "Asso2", "Asso3", "Conseil0")]
    response = client.post(
        "/conseil/renouveler/",
        {"label": "2026-2032", "start": "2026-04-01", "reappointed": ticked},
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    # Said next to the ticked boxes (and in the summary above the form).
    error = plain(soup.select_one("#id_reappointed_error").get_text(" "))
    assert "Nommé1 Asso1 et Nommé2 Asso2" in error
    assert "Nommé3" not in error and "Conseil0" not in error
    assert "sans catégorie d'association" in error
    # What to do: complete the seat in the current mandate, or untick it.
    assert "mandature 2020-2026" in error and "décochez" in error
    assert error in plain(soup.select_one(".error-summary").get_text(" "))
    checked = sorted(box["value"] for box in soup.select("input[name=reappointed][checked]"))
    assert checked == sorted(ticked)
    assert soup.select_one("input[name=label]")["value"] == "2026-2032"
    with schema_context(bondy.schema_name):
        assert BoardMandate.objects.count() == 1
        assert BoardMandate.objects.get().end is None


# --- 5. Correcting the spelling of a CCAS's own category ------------------------------------


def own_category_in_two_years(bondy, montreuil) -> ActivityFigure:
    """Bondy's own « Jardins partages » in the last two years, Montreuil's last year (the same
    primary key); Bondy's figure of last year."""
    last, before = THIS_YEAR - 1, THIS_YEAR - 2
    add_figures(
        bondy,
        (before, "Animations", "Jardins partages", 10, None),
        (last, "Animations", "Jardins partages", 12, None),
    )
    add_figures(montreuil, (last, "Animations", "Jardins partages", 3, None))
    with schema_context(bondy.schema_name):
        return ActivityFigure.objects.get(year=last)


def test_correcting_the_capitals_of_an_own_category_renames_it(two_members):
    bondy, montreuil = two_members
    last, before = THIS_YEAR - 1, THIS_YEAR - 2
    figure = own_category_in_two_years(bondy, montreuil)
    client = agent_of(bondy)
    response = client.post(
        f"/activite/{figure.pk}/",
        {"year": last, "pole": "Animations", "category": "Jardins Partagés", "count": "12"},
    )
    assert response.status_code == 302
    message = plain(str(list(get_messages(response.wsgi_request))[-1]))
    assert "« Jardins Partagés »" in message and str(before) in message
    with schema_context(bondy.schema_name):
        assert set(ActivityFigure.objects.values_list("year", "category")) == {
            (before, "Jardins Partagés"),
            (last, "Jardins Partagés"),
        }
    # The two years still compare.
    report = client.get(f"/api/v1/activity/?year={last}").json()
    assert report["figures"][0]["previous_count"] == 10
    with schema_context(montreuil.schema_name):
        assert ActivityFigure.objects.get().category == "Jardins partages"


def test_a_new_figure_typed_in_another_spelling_says_which_one_it_takes(bondy):
    add_figures(bondy, (THIS_YEAR - 2, "Animations", "Jardins partagés", 10, None))
    client = agent_of(bondy)
    response = client.post(
        "/activite/saisir/",
        {"year": THIS_YEAR - 1, "pole": "animations", "category": "JARDINS PARTAGÉS", "count": "5"},
    )
    assert response.status_code == 302
    message = plain(str(list(get_messages(response.wsgi_request))[-1]))
    assert "« Jardins partagés »" in message
    with schema_context(bondy.schema_name):
        assert ActivityFigure.objects.filter(category="Jardins partagés").count() == 2

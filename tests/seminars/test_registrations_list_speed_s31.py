"""Session 31, the organisers' registrations list at 400 rows (H12): it took some 450 ms to render
on the benchmark (bench/bench_registrations_list.py), two includes and the filters' query string
re-encoded four times on each row. Now the rows are written out in the list's template, with the
query string and the CSRF field computed once for the page. What must not change: the queries do
not grow with the rows, and every row's actions still post and lead where they should, with the
page's CSRF field accepted by Django's check (a client that enforces it)."""

import re
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from seminars.models import Registration
from tests.conftest import plain
from tests.seminars.conftest import make_seminar, organiser
from tests.seminars.test_review_s27_scale import seed_registrations

pytestmark = pytest.mark.django_db

Status = Registration.Status
ATELIERS = (("Atelier A", 1, 2, 100), ("Atelier B", 1, 2, 100), ("Atelier C", 4, 2, 100))


def signed_in() -> Client:
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(organiser())
    return client


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def queries(client: Client, url: str) -> int:
    """The queries of a GET of `url`, after a first one (a process's caches filled)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    connection.set_schema_to_public()
    return len(captured)


@pytest.mark.parametrize("days", [0.01, 10])  # the event's day (the desk's layout), ten days ahead
def test_the_list_queries_do_not_grow_with_its_rows(days):
    """5 rows or 40: the same number of queries, on the full list, the desk's layout and the
    list filtered by status and atelier."""
    small = make_seminar("Petite journée", seats=400, days_ahead=days, ateliers=ATELIERS)
    big = make_seminar("Grand congrès", seats=400, days_ahead=days, ateliers=ATELIERS)
    seed_registrations(small, 5)
    seed_registrations(big, 40)
    client = signed_in()
    counts = {}
    for seminar in (small, big):
        atelier = seminar.ateliers.order_by("starts_at", "sort_order").first()
        for layout, suffix in (
            ("full", ""),
            ("desk", "?accueil=1"),
            ("filtered", f"?status=confirmed&atelier={atelier.pk}"),
        ):
            url = f"/admin/inscriptions/{seminar.pk}/{suffix}"
            counts.setdefault(layout, []).append(queries(client, url))
    for layout, (five, forty) in counts.items():
        assert five == forty, (layout, five, forty)


def form_fields(form) -> dict:
    return {field["name"]: field.get("value", "") for field in form.select("input[name]")}


def row(page: BeautifulSoup, registration: Registration):
    found = page.find("tr", id=f"r-{registration.pk}")
    assert found is not None, registration
    return found


def link(tr, word: str) -> str:
    """The address of the row's link button whose text starts with `word`."""
    for a in tr.select("a.button"):
        if a.get_text(" ", strip=True).split(" ")[0] == word:
            return a["href"]
    raise AssertionError(f"no « {word} » in row {tr['id']}")


def button(tr, label: str):
    """The form of the row's button whose visible text starts with `label`."""
    for form in tr.select("form"):
        if plain(form.button.find(string=True, recursive=False) or "").startswith(label):
            return form
    raise AssertionError(f"no « {label} » in row {tr['id']}")


def test_every_row_keeps_its_actions_and_they_work():
    """On the event's day, the list filtered by a name typed at the desk (`?q=nom`): each row
    has its actions (« Émarger » for the confirmed, « Confirmer malgré la jauge » for those
    waiting, « Modifier », « Renvoyer le lien », « Annuler » but for the cancelled); each form
    carries the filters and a CSRF token Django accepts, each link `?query=` the filters; and
    each one does what it says, back at the same filtered list."""
    # Begun an hour ago: the event's day at any hour (starting in a quarter of an hour, it was
    # tomorrow's from 23 h 45 in Paris, and the desk's « Confirmer et émarger » was not there).
    seminar = make_seminar("Journée", seats=400, days_ahead=-1 / 24, hours=8, ateliers=ATELIERS)
    seed_registrations(seminar, 12)
    client = signed_in()
    listed = f"/admin/inscriptions/{seminar.pk}/"
    back = f"{listed}?q=nom"
    page = soup(client.get(back))
    people = list(seminar.registrations.order_by("pk"))
    assert len(page.select("tr[id^=r-]")) == len(people) == 12
    tokens = {field["value"] for field in page.select("input[name=csrfmiddlewaretoken]")}
    assert len(tokens) == 1 and "" not in tokens
    for registration in people:
        tr = row(page, registration)
        for form in tr.select("form"):
            assert form_fields(form)["query"] == "q=nom"
            assert form_fields(form)["csrfmiddlewaretoken"] in tokens
        links = {
            a.get_text(" ", strip=True).split(" ")[0]: a["href"] for a in tr.select("a.button")
        }
        if registration.status == Status.CANCELLED:
            assert "Modifier" not in links and "Annuler" not in links
            continue
        assert links["Modifier"] == f"{listed}{registration.pk}/modifier/?query={quote('q=nom')}"
        assert links["Annuler"] == f"{listed}{registration.pk}/annuler/?query={quote('q=nom')}"
        button(tr, "Renvoyer le lien")
        if registration.status == Status.CONFIRMED:
            button(tr, "Annuler l'émargement" if registration.checked_in_at else "Émarger")
        else:
            button(tr, "Confirmer malgré la jauge")
            button(tr, "Confirmer et émarger")

    def post(form) -> str:
        response = client.post(form["action"], form_fields(form))
        assert response.status_code == 302, response.status_code
        return response["Location"]

    arriving = next(r for r in people if r.status == Status.CONFIRMED and not r.checked_in_at)
    assert post(button(row(page, arriving), "Émarger")) == f"{back}#r-{arriving.pk}"
    arriving.refresh_from_db()
    assert arriving.checked_in_at is not None

    waiting = next(r for r in people if r.status == Status.WAITLISTED)
    post(button(row(page, waiting), "Confirmer malgré la jauge"))
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED

    told = next(r for r in people if r.status == Status.CONFIRMED and r.pk != arriving.pk)
    assert post(button(row(page, told), "Renvoyer le lien")) == back
    assert f"Lien personnel envoyé à {told.prenom} {told.nom}" in plain(
        soup(client.get(back)).get_text()
    )

    edited = next(r for r in people if r.status == Status.CONFIRMED and r.pk not in {told.pk})
    edit_page = soup(client.get(link(row(page, edited), "Modifier")))
    assert edit_page.find("input", attrs={"name": "nom"})["value"] == edited.nom

    leaving = next(
        r for r in people if r.status == Status.CONFIRMED and r.pk not in {arriving.pk, edited.pk}
    )
    confirm = soup(client.get(link(row(page, leaving), "Annuler")))
    assert post(confirm.find("form", action=re.compile("/annuler/$"))) == back
    leaving.refresh_from_db()
    assert leaving.status == Status.CANCELLED

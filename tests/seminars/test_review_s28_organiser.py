"""Session 28, the organisers' screens after five years (H3): 120 events a year of 60 to 400
registrations. The events' list shows the upcoming events and the past ones by page, a title
search kept from page to page; the registrations list and the door list build each row's
addresses without a reverse() per link (the same addresses)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse as django_reverse

from seminars import admin_views
from tests.conftest import host_client, plain
from tests.seminars.conftest import make_seminar, organiser
from tests.seminars.test_review_s27_scale import seed_registrations


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def listed_titles(page: BeautifulSoup, caption: str) -> list[str]:
    """The events' titles of the table whose caption starts with `caption`."""
    for table in page.select("table.listing"):
        if plain(table.caption.get_text()).startswith(caption):
            return [a.get_text() for a in table.select("tbody th a")]
    raise AssertionError(f"no table « {caption} »")


@pytest.fixture
def five_years(db, monkeypatch):
    """Seven past events (the latest first: « Passée 06 » … « Passée 00 »), two to come, pages
    of three past events."""
    monkeypatch.setattr(admin_views, "PAST_PAGE_SIZE", 3, raising=False)
    for n in range(7):
        make_seminar(f"Passée {n:02d}", days_ahead=-700 + 100 * n)
    make_seminar("Journée des CCAS à venir", days_ahead=60)
    make_seminar("Atelier à venir", days_ahead=20)
    return host_client("localhost", organiser())


def test_event_list_pages_past_events_and_keeps_upcoming_first(five_years):
    """An organiser in year five got some 600 rows; now the upcoming events (the nearest
    first), then the latest past events, a count of the others and the way to them."""
    client = five_years
    first = soup(client.get("/admin/inscriptions/"))
    assert listed_titles(first, "À venir") == ["Atelier à venir", "Journée des CCAS à venir"]
    assert listed_titles(first, "Passés") == ["Passée 06", "Passée 05", "Passée 04"]
    text = plain(first.get_text())
    assert "Passés (7), page 1 sur 3" in text
    assert "4 autres événements passés sur les autres pages." in text
    older = first.find("a", rel="next")
    assert older.get_text() == "Événements plus anciens"
    assert older["href"] == "?passes=2#passes"
    last = soup(client.get("/admin/inscriptions/?passes=3"))
    assert listed_titles(last, "Passés") == ["Passée 00"]
    assert listed_titles(last, "À venir") == ["Atelier à venir", "Journée des CCAS à venir"]
    assert last.find("a", rel="prev")["href"] == "?passes=2#passes"
    assert last.find("a", rel="next") is None
    # A page asked that does not exist: the last one, as the public calendar; a word: the first.
    assert listed_titles(soup(client.get("/admin/inscriptions/?passes=99")), "Passés") == [
        "Passée 00"
    ]
    assert listed_titles(soup(client.get("/admin/inscriptions/?passes=abc")), "Passés")[0] == (
        "Passée 06"
    )


def test_event_list_search_is_kept_across_pages(five_years):
    """« Passée 0 » finds the seven; accents and case ignored (« PASSEE »); the pages keep the
    search."""
    client = five_years
    make_seminar("Autre rencontre", days_ahead=-50)
    page = soup(client.get("/admin/inscriptions/?q=PASSEE+0"))
    assert listed_titles(page, "Passés") == ["Passée 06", "Passée 05", "Passée 04"]
    assert listed_titles(page, "À venir") == []
    text = plain(page.get_text())
    assert "Événements dont le titre contient « PASSEE 0 » : 0 à venir, 7 passés." in text
    assert page.find("input", attrs={"name": "q"})["value"] == "PASSEE 0"
    following = page.find("a", rel="next")["href"]
    assert following == "?q=PASSEE+0&passes=2#passes"
    second = soup(client.get("/admin/inscriptions/" + following.split("#")[0]))
    assert listed_titles(second, "Passés") == ["Passée 03", "Passée 02", "Passée 01"]
    assert "Autre rencontre" not in plain(second.get_text())
    ccas = soup(client.get("/admin/inscriptions/?q=ccas"))
    assert listed_titles(ccas, "À venir") == ["Journée des CCAS à venir"]
    assert listed_titles(ccas, "Passés") == []


@pytest.mark.parametrize("size", [2, 8])
def test_event_list_queries_and_rows_stay_flat(
    db, monkeypatch, size, django_assert_max_num_queries
):
    """More past events and registrations: the same queries, the same rows rendered."""
    monkeypatch.setattr(admin_views, "PAST_PAGE_SIZE", 3, raising=False)
    for n in range(size):
        seed_registrations(make_seminar(f"Passée {n:02d}", seats=400, days_ahead=-400 + n), 12)
    seed_registrations(make_seminar("À venir", seats=400, days_ahead=30), 12)
    client = host_client("localhost", organiser())
    client.get("/admin/inscriptions/")
    with django_assert_max_num_queries(26):  # as before the pages (24 and slack)
        page = soup(client.get("/admin/inscriptions/?passes=1"))
    assert len(page.select("table.listing tbody tr")) == 1 + min(3, size)
    past = page.select("table.listing")[1]
    counts = [td.get_text() for td in past.select("tbody td:nth-of-type(2)")]
    assert counts and all(count == "6 / 400" for count in counts)  # 12 seeded: half confirmed


def reverse(name: str, args: list) -> str:
    return django_reverse(name, urlconf="union.urls_public", args=args)


def action_urls(page: BeautifulSoup) -> set[str]:
    """Every form's action and link of the rows (`tr[id^=r-]`)."""
    found = set()
    for row in page.select("tr[id^=r-]"):
        found |= {form["action"] for form in row.select("form")}
        found |= {a["href"].split("?")[0] for a in row.select("a") if "/inscriptions/" in a["href"]}
    return found


@pytest.mark.parametrize("days", [0.01, 10])
def test_rows_addresses_are_the_reversed_ones(db, days):
    """Each row's « Émarger », « Présent(e) à l'atelier », « Confirmer malgré la jauge »,
    « Modifier », « Renvoyer le lien », « Annuler », « Attestation » post or lead where
    reverse() says, on the list (today: the desk's layout; in ten days: the full list) and on
    the door list."""
    seminar = make_seminar(
        "Journée", seats=400, days_ahead=days, ateliers=(("Atelier A", 1, 2, 100),)
    )
    if days > 1:
        seminar.start = seminar.start.replace(year=seminar.start.year - 1)  # started: attestations
        seminar.end = seminar.start.replace(hour=23, minute=58)
        seminar.save()
    seed_registrations(seminar, 12)
    client = host_client("localhost", organiser())
    expected = set()
    for registration in seminar.registrations.all():
        args = [seminar.pk, registration.pk]
        expected.add(reverse("seminars_admin:check_in", args=args))
        if registration.status != "cancelled":
            expected.add(reverse("seminars_admin:edit", args=args))
            expected.add(reverse("seminars_admin:cancel", args=args))
            expected.add(reverse("seminars_admin:resend_link", args=args))
        if registration.status == "confirmed" and registration.checked_in_at:
            expected.add(reverse("seminars_admin:certificate", args=args))
    found = action_urls(soup(client.get(f"/admin/inscriptions/{seminar.pk}/")))
    if days < 1:  # the desk's layout: no attestation yet; a check-in form on most rows
        expected = {url for url in expected if "/attestation/" not in url}
    assert found <= expected
    assert {re.sub(r"/\d+/[a-z]+/$", "", url) for url in found} <= {
        f"/admin/inscriptions/{seminar.pk}"
    }
    kinds = {url.rsplit("/", 2)[1] for url in found}
    assert {"emargement", "modifier", "annuler", "lien"} <= kinds
    assert ("attestation" in kinds) == (days > 1)
    door = action_urls(soup(client.get(f"/admin/inscriptions/accueil/{seminar.pk}/")))
    assert door and door == {
        reverse("seminars_admin:door_check_in", args=[seminar.pk, int(url.rsplit("/", 3)[1])])
        for url in door
    }


@pytest.mark.parametrize("size", [3, 30])
def test_lists_reverse_urls_once_per_page_not_per_row(db, monkeypatch, size):
    """400 rows took about a second, a third of it in reverse() for each link of each row: the
    number of reverse() calls no longer grows with the rows (measured with 3 and 30)."""
    import django.urls

    # Begun an hour ago: the event's day at any hour (test_registrations_list_speed_s31).
    seminar = make_seminar(
        "Journée", seats=400, days_ahead=-1 / 24, hours=8, ateliers=(("A", 1, 2, 100),)
    )
    seed_registrations(seminar, size)
    client = host_client("localhost", organiser())
    client.get("/admin/inscriptions/")
    calls = []
    real = django.urls.reverse  # as the {% url %} tag imports it, at each call
    monkeypatch.setattr(django.urls, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))
    for url in (
        f"/admin/inscriptions/{seminar.pk}/",
        f"/admin/inscriptions/{seminar.pk}/?accueil=1",
        f"/admin/inscriptions/accueil/{seminar.pk}/",
    ):
        calls.clear()
        assert client.get(url).status_code == 200
        assert len(calls) < 60, (url, len(calls))

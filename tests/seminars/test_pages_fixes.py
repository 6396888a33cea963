"""Fixes on the seminar pages: flagged communes form, admin previews, invitation links, site search,
copies, bad query parameters and atelier times on multi-day events. Real HTTP through the test
client, as a browser or an organiser in the Wagtail admin would send it."""

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from seminars.ics import seminar_ics
from seminars.links import event_path, manage_path, page_path
from seminars.models import Atelier, SeminarPage, Visibility
from seminars.services import register_person
from tests.conftest import host_client
from tests.seminars.conftest import make_index, make_seminar, organiser, person
from tests.seminars.test_proceedings import make_proceedings

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def admin_url(name: str, *args) -> str:
    return reverse(f"wagtailadmin_pages:{name}", args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF)


def hrefs(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*)"', html)]


# 1. Communes à vérifier ----------------------------------------------------------------------


class FormFields(HTMLParser):
    """The fields of each <form>, in document order: (name, type, value, checked)."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1].append(
                (
                    attrs["name"],
                    attrs.get("type", "text"),
                    attrs.get("value", ""),
                    "checked" in attrs,
                )
            )


def browser_post_data(html: str, registration_pk: int, radio: str, typed: str = "") -> dict:
    """What a browser submits from the row of `registration_pk`: the hidden fields, the radio
    button `radio` checked, every text input (empty ones too) with `typed` in it."""
    parser = FormFields()
    parser.feed(html)
    (fields,) = [
        f for f in parser.forms if ("registration", "hidden", str(registration_pk), False) in f
    ]
    data: dict[str, list[str]] = {}
    for name, kind, value, _checked in fields:
        if kind == "radio":
            if value == radio:
                data.setdefault(name, []).append(value)
        elif kind == "text":
            data.setdefault(name, []).append(typed)
        else:
            data.setdefault(name, []).append(value)
    return data


def test_a_checked_suggestion_fixes_the_commune_as_a_browser_posts_it(organiser_client, seminar):
    registration, _ = register_person(seminar, person(1, commune="Aubervillier"))
    url = f"/admin/inscriptions/{seminar.pk}/communes/"
    page = organiser_client.get(url).content.decode()
    assert "Aubervilliers (93001)" in page
    response = organiser_client.post(url, browser_post_data(page, registration.pk, "93001"))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.commune_id, registration.commune_status) == ("93001", "matched")


def test_a_typed_insee_code_wins_over_the_checked_suggestion(organiser_client, seminar):
    registration, _ = register_person(seminar, person(1, commune="Aubervillier"))
    url = f"/admin/inscriptions/{seminar.pk}/communes/"
    page = organiser_client.get(url).content.decode()
    data = browser_post_data(page, registration.pk, "93001", typed="93010")
    assert organiser_client.post(url, data).status_code == 302
    registration.refresh_from_db()
    assert registration.commune_id == "93010"


# 2. Previews in the Wagtail admin -------------------------------------------------------------


def edit_form_data(seminar, ateliers: list[dict]) -> dict:
    local = timezone.localtime
    return nested_form_data(
        {
            "title": seminar.title,
            "slug": seminar.slug,
            "kind": seminar.kind,
            "start": f"{local(seminar.start):%Y-%m-%d %H:%M}",
            "end": f"{local(seminar.end):%Y-%m-%d %H:%M}",
            "summary": "Résumé en cours de rédaction.",
            "venue_name": seminar.venue_name,
            "seats": "50",
            "visibility": seminar.visibility,
            "programme": streamfield([]),
            "speakers": streamfield([]),
            "ateliers": inline_formset(
                ateliers, initial=seminar.ateliers.count() if seminar.pk else 0
            ),
            "evaluation_questions": inline_formset([]),
            "comments": inline_formset([]),
        }
    )


def test_an_organiser_previews_an_event_being_edited_and_its_draft(seminar):
    client = host_client("localhost", organiser())
    local = timezone.localtime
    ateliers = [
        {
            "id": str(a.pk),
            "title": f"{a.title} (modifié)",
            "starts_at": f"{local(a.starts_at):%Y-%m-%d %H:%M}",
            "ends_at": f"{local(a.ends_at):%Y-%m-%d %H:%M}",
            "room": "",
            "seats": str(a.seats),
            "description": "",
        }
        for a in seminar.ateliers.order_by("sort_order")
    ]
    new_start = local(seminar.start)  # within the event, checked since test_review_s19_admin
    ateliers.append(
        {
            "title": "Atelier ajouté",
            "starts_at": f"{new_start:%Y-%m-%d %H:%M}",
            "ends_at": f"{new_start + timedelta(hours=1):%Y-%m-%d %H:%M}",
            "room": "",
            "seats": "5",
            "description": "",
        }
    )
    url = admin_url("preview_on_edit", seminar.pk)
    state = client.post(url, edit_form_data(seminar, ateliers)).json()
    assert state == {"is_valid": True, "is_available": True}
    preview = client.get(url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Atelier A (modifié)" in html and "Atelier ajouté" in html
    assert "Résumé en cours de rédaction." in html
    assert f"/evenements/ics/{seminar.pk}.ics" in hrefs(html)
    assert page_path(seminar.get_parent()) in hrefs(html)

    seminar.save_revision()  # the draft: a revision, its ateliers in memory
    draft = client.get(admin_url("view_draft", seminar.pk))
    assert draft.status_code == 200
    assert "Atelier C" in draft.content.decode()


def test_an_organiser_previews_a_new_event_before_saving_it(seminar):
    client = host_client("localhost", organiser())
    start = timezone.localtime(seminar.start)
    end = start + timedelta(hours=2)  # the atelier below fits in it (test_review_s19_admin.py)
    new = SeminarPage(title="Nouvelle réunion", slug="", kind=seminar.kind, start=start, end=end)
    new.venue_name, new.visibility = "Mairie", Visibility.INVITATION
    atelier = {
        "title": "Atelier en projet",
        "starts_at": f"{start:%Y-%m-%d %H:%M}",
        "ends_at": f"{start + timedelta(hours=1):%Y-%m-%d %H:%M}",
        "room": "",
        "seats": "5",
        "description": "",
    }
    url = admin_url("preview_on_add", "seminars", "seminarpage", seminar.get_parent().pk)
    assert client.post(url, edit_form_data(new, [atelier])).json()["is_valid"] is True
    preview = client.get(url)  # no pk: no seat counts, no .ics link yet
    assert preview.status_code == 200
    assert "Atelier en projet" in preview.content.decode()


def test_an_organiser_previews_the_calendar(seminar):
    client = host_client("localhost", organiser())
    index = seminar.get_parent().specific
    index.save_revision()
    for url in (admin_url("view_draft", index.pk), admin_url("view_draft", index.pk) + "?vue=mois"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "/evenements/calendrier.ics" in hrefs(html)
        assert page_path(seminar) in hrefs(html)


# 3. Invitation-only events: every link carries the key -------------------------------------------


@pytest.fixture
def private(db):
    return make_seminar(
        "Commission restreinte",
        visibility=Visibility.INVITATION,
        ateliers=(("Atelier unique", 1, 2, 5),),
    )


def test_event_path_adds_the_key_to_invitation_only_events_only(private, seminar):
    assert event_path(seminar) == page_path(seminar)
    assert event_path(private) == f"{page_path(private)}?invitation={private.invitation_key}"


def test_the_personal_page_links_to_the_invitation_only_event(portal, private):
    registration, _ = register_person(private, person(1), notify=False)
    html = portal.get(manage_path(registration)).content.decode()
    assert event_path(private) in hrefs(html)
    assert portal.get(event_path(private)).status_code == 200
    assert portal.get(page_path(private)).status_code == 404


def test_emails_and_ics_of_an_invitation_only_event_open_its_page(
    portal, private, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register_person(private, person(1))
    (message,) = mailoutbox
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    page_line = next(line for line in message.body.splitlines() if "Page de l'événement" in line)
    page_url = page_line.split(" : ", 1)[1].strip()
    assert page_url == base + event_path(private)
    assert portal.get(page_url.removeprefix(base)).status_code == 200
    for content in (message.attachments[0][1], seminar_ics(private)):
        (event,) = Calendar.from_ical(content).walk("VEVENT")
        assert str(event["URL"]) == base + event_path(private)


def test_proceedings_of_an_invitation_only_event_need_its_key_and_link_back_with_it(
    portal, private
):
    proceedings = make_proceedings(private)
    event_html = portal.get(event_path(private)).content.decode()
    (to_proceedings,) = [h for h in hrefs(event_html) if h.startswith(page_path(proceedings))]
    back = hrefs(portal.get(to_proceedings).content.decode())
    assert event_path(private) in back
    assert portal.get(event_path(private)).status_code == 200
    # Without the key, the proceedings are as invisible as the event.
    assert portal.get(page_path(proceedings)).status_code == 404
    assert portal.get(page_path(proceedings) + "?invitation=faux").status_code == 404


# 4. Site search --------------------------------------------------------------------------------


def test_the_site_search_never_shows_invitation_only_events_nor_their_proceedings(portal):
    public = make_seminar("Séminaire ouvert", summary="Le quotient familial zébulon.")
    members = make_seminar(
        "Commission des membres",
        summary="Le quotient familial zébulon.",
        visibility=Visibility.MEMBERS,
    )
    private = make_seminar(
        "Réunion confidentielle",
        summary="Le quotient familial zébulon.",
        visibility=Visibility.INVITATION,
    )
    proceedings = make_proceedings(private)
    html = portal.get("/recherche/", {"q": "zébulon"}).content.decode()
    assert public.title in html and members.title in html
    assert private.title not in html and private.invitation_key not in html
    html = portal.get("/recherche/", {"q": "domiciliation"}).content.decode()
    assert proceedings.title not in html
    public_proceedings = make_proceedings(public)
    html = portal.get("/recherche/", {"q": "domiciliation"}).content.decode()
    assert public_proceedings.title in html


# 5. Copies -------------------------------------------------------------------------------------


def test_a_copied_event_gets_a_fresh_invitation_key(portal, private):
    private.save_revision()
    copy = private.copy(
        to=make_index(), update_attrs={"title": "Commission 2027", "slug": "commission-2027"}
    ).specific
    assert copy.invitation_key and copy.invitation_key != private.invitation_key
    assert copy.get_latest_revision_as_object().invitation_key == copy.invitation_key
    copy.get_latest_revision().publish()
    copy.refresh_from_db()
    old_link = f"{page_path(copy)}?invitation={private.invitation_key}"
    assert portal.get(old_link).status_code == 404
    assert portal.get(event_path(copy)).status_code == 200


# 6. Bad query parameters -----------------------------------------------------------------------


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "abc", "2026-05-01", ""])
def test_an_impossible_month_shows_the_current_one(portal, month):
    make_seminar()
    response = portal.get("/evenements/", {"mois": month})
    assert response.status_code == 200
    today = timezone.localdate()
    assert f"?mois={today.replace(day=1) - timedelta(days=1):%Y-%m}" in (response.content.decode())


def test_bad_ids_in_the_admin_and_the_api_are_404(organiser_client, seminar):
    base = f"/admin/inscriptions/{seminar.pk}/"
    for atelier in ("abc", "1.5", "-1", "٣"):
        assert organiser_client.get(f"{base}export/", {"atelier": atelier}).status_code == 404
    api = f"/api/v1/seminars/{seminar.pk}/registrations/export"
    assert organiser_client.get(api, {"format": "csv", "atelier": "abc"}).status_code == 404
    for value in ("abc", "", "99999999999999999999"):
        response = organiser_client.post(f"{base}communes/", {"registration": value, "code": "1"})
        assert response.status_code == 404


def test_a_non_ascii_invitation_key_is_404(portal, private):
    assert portal.get(page_path(private), {"invitation": "clé"}).status_code == 404
    assert portal.get(f"/evenements/ics/{private.pk}.ics", {"invitation": "é"}).status_code == 404


# 7. Atelier times on multi-day events ----------------------------------------------------------


def two_day_event():
    seminar = make_seminar("Congrès 2027")
    seminar.start = datetime(2027, 5, 12, 9, 0, tzinfo=PARIS)
    seminar.end = datetime(2027, 5, 13, 17, 0, tzinfo=PARIS)
    seminar.registration_closes = datetime(2027, 5, 1, tzinfo=PARIS)
    seminar.save()
    first = Atelier.objects.create(
        page=seminar,
        title="Atelier du mercredi",
        starts_at=datetime(2027, 5, 12, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2027, 5, 12, 11, 0, tzinfo=PARIS),
        seats=5,
    )
    second = Atelier.objects.create(
        page=seminar,
        title="Atelier du jeudi",
        starts_at=datetime(2027, 5, 13, 14, 0, tzinfo=PARIS),
        ends_at=datetime(2027, 5, 13, 16, 0, tzinfo=PARIS),
        seats=5,
    )
    return seminar, first, second


def test_atelier_times_carry_their_date_on_a_multi_day_event(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, first, second = two_day_event()
    html = portal.get(page_path(seminar)).content.decode()
    assert "<td>mer. 12 mai, 9\u00a0h\u00a0– 11\u00a0h</td>" in html  # the "Horaire" column
    # The form; « 14 h – 16 h » with no-break spaces (union.formats.time_span).
    assert (
        "Atelier du jeudi – jeu. 13 mai, 14\u00a0h\u00a0– 16\u00a0h (5 places disponibles)" in html
    )
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = register_person(seminar, person(1, ateliers=[second.pk]))
    assert "- Atelier du jeudi (jeu. 13 mai, 14\u00a0h\u00a0– 16\u00a0h)" in mailoutbox[0].body
    manage = portal.get(manage_path(registration)).content.decode()
    # The personal page lists each atelier with its time (and room: test_review_s15_public.py).
    assert "Atelier du jeudi – jeu. 13 mai, 14\u00a0h\u00a0– 16\u00a0h" in manage
    assert (
        "Atelier du mercredi – mer. 12 mai, 9\u00a0h\u00a0– 11\u00a0h (5 places disponibles)"
        in manage
    )


def test_a_one_day_event_keeps_the_short_times(portal):
    seminar = make_seminar("Journée 2027")
    seminar.start = datetime(2027, 5, 12, 9, 0, tzinfo=PARIS)
    seminar.end = datetime(2027, 5, 12, 17, 0, tzinfo=PARIS)
    seminar.save()
    for hour in (9, 14):
        Atelier.objects.create(
            page=seminar,
            title=f"Atelier de {hour} h",
            starts_at=datetime(2027, 5, 12, hour, 0, tzinfo=PARIS),
            ends_at=datetime(2027, 5, 12, hour + 2, 0, tzinfo=PARIS),
            seats=5,
        )
    html = portal.get(page_path(seminar)).content.decode()
    assert "<td>14\u00a0h\u00a0– 16\u00a0h</td>" in html
    assert "Atelier de 9 h – 9\u00a0h\u00a0– 11\u00a0h (5 places disponibles)" in html
    assert "mai," not in html


def test_an_evening_ending_after_midnight_is_one_day(portal):
    seminar = make_seminar("Soirée")
    seminar.start = datetime(2027, 6, 18, 19, 0, tzinfo=PARIS)
    seminar.end = datetime(2027, 6, 19, 1, 0, tzinfo=PARIS)
    seminar.save()
    Atelier.objects.create(
        page=seminar,
        title="Table ronde",
        starts_at=datetime(2027, 6, 18, 20, 0, tzinfo=PARIS),
        ends_at=datetime(2027, 6, 18, 21, 30, tzinfo=PARIS),
        seats=5,
    )
    assert (
        "<td>20\u00a0h\u00a0– 21\u00a0h\u00a030</td>"
        in portal.get(page_path(seminar)).content.decode()
    )


def _registration_fact(html: str) -> str | None:
    found = re.search(r"<dt>Inscriptions</dt><dd>(.*?)</dd>", html, re.S)
    return found and found.group(1)


def test_the_event_page_says_until_when_one_can_register_and_change(portal):
    seminar = make_seminar("Journée des présidents")
    seminar.start = datetime(2027, 3, 10, 9, 0, tzinfo=PARIS)
    seminar.end = datetime(2027, 3, 10, 17, 0, tzinfo=PARIS)
    seminar.registration_closes = datetime(2027, 3, 5, 18, 0, tzinfo=PARIS)
    seminar.changes_until = datetime(2027, 3, 8, 12, 0, tzinfo=PARIS)
    seminar.save()
    assert _registration_fact(portal.get(page_path(seminar)).content.decode()) == (
        "jusqu'au vendredi 5 mars 2027 à 18\u00a0h ; changement d'ateliers ou désinscription "
        "jusqu'au lundi 8 mars 2027 à 12\u00a0h"
    )

    # Without dates, both end when the event starts: said once.
    seminar.registration_closes = seminar.changes_until = None
    seminar.save()
    assert _registration_fact(portal.get(page_path(seminar)).content.decode()) == (
        "jusqu'au mercredi 10 mars 2027 à 9\u00a0h"
    )

    seminar.registration_opens = timezone.now() + timedelta(days=3)
    seminar.save()
    html = portal.get(page_path(seminar)).content.decode()
    assert _registration_fact(html).startswith("à partir du ")
    assert "Les inscriptions ouvriront le" in html

    seminar.registration_opens = None
    seminar.registration_closes = timezone.now() - timedelta(hours=1)
    seminar.save()
    html = portal.get(page_path(seminar)).content.decode()
    assert _registration_fact(html) is None
    assert "Les inscriptions sont closes." in html

"""« Chiffres » of an event over, with people checked in at the event and at its ateliers: the
Présents columns and the summary « … présents sur … inscrits confirmés (… %) ; … absents. » are
shown, each table has its caption and headers, axe finds nothing (desktop and phone), and on a
375 px phone the page does not scroll sideways (a table wider than the screen scrolls in its own
box, {% scrollable %}).

The admin audit's page of « Chiffres » (test_axe_admin, ORGANISER_PAGES["chiffres"]) is the
demo's event to come; this is the same audit after the day, on a light event of its own (no
demo: test_axe_admin's module fixture is not shared)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import expect

from seminars.attendance import set_atelier_presence
from seminars.models import Atelier, Registration, SeminarPage
from seminars.services import RegistrationData, register_person, resolve_commune, set_check_in
from tests.browser.conftest import serve_static, sign_in
from tests.browser.test_axe_admin import admin_url, assert_tables_reachable, audit_admin, go
from tests.browser.test_check_in_phone_s16 import SIDEWAYS
from tests.conftest import run_committed
from tests.seminars.conftest import make_seminar, organiser
from union.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

ORGANISER = "chiffres.s24@union.test"
PHONE = {"width": 375, "height": 800}
TITLE = "Rencontres de l'action sociale : accès aux droits et domiciliation"
# A word wider than the phone in the admin's big title (« Chiffres – … »).
LONG_WORD_TITLE = (
    "Rencontres départementales de l'action sociale : accès aux droits et domiciliation"
)
# Long names of communes and fonctions: the tables' widest cells.
PEOPLE = [
    ("Da Silva-Fernandes", "Marie-Hélène", "Montreuil", "directeur_ccas"),
    ("Dupont", "Jean", "Bondy", "maire"),
    ("Nguyễn", "Thị Minh Khai", "Aulnay-sous-Bois", "dgs"),
    ("Ouattara", "Inès", "Pierrefitte-sur-Seine", "conseiller_municipal"),
    ("Émond", "Sébastien", "Le Pré-Saint-Gervais", "maire_adjoint"),
]


def build_past_event() -> dict:
    """An event held three days ago, over two days, « Accès aux droits » given on each; three
    of five people came, one of them to both ateliers of her choice; an organiser to sign in."""
    last_audit = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    user = organiser(email=ORGANISER)
    seminar = make_seminar(
        TITLE,
        hours=32,
        seats=40,
        ateliers=(
            ("Accès aux droits", 1, 2, 20),
            ("Accès aux droits", 25, 2, 20),
            ("Domiciliation : les obligations du CCAS", 4, 2, 25),
        ),
    )
    first, second, domiciliation = seminar.ateliers.order_by("sort_order")
    registrations = []
    for number, (nom, prenom, commune, fonction) in enumerate(PEOPLE):
        data = RegistrationData(
            nom=nom,
            prenom=prenom,
            email=f"{slugify(prenom)}.{number}@mairie-exemple.fr",
            commune=resolve_commune(commune),
            fonction=fonction,
            atelier_ids=[(first, second)[number % 2].pk, domiciliation.pk],
            needs="Repas sans gluten" if number == 2 else "",
            consent=True,
        )
        registration, _ = register_person(
            seminar, data, source=Registration.Source.MANUAL, notify=False
        )
        registrations.append(registration)
    shift = timezone.now() - timedelta(days=3) - seminar.start
    SeminarPage.objects.filter(pk=seminar.pk).update(
        start=seminar.start + shift, end=seminar.end + shift
    )
    for atelier in (first, second, domiciliation):
        Atelier.objects.filter(pk=atelier.pk).update(
            starts_at=atelier.starts_at + shift, ends_at=atelier.ends_at + shift
        )
    da_silva, dupont, nguyen = registrations[:3]
    set_atelier_presence(da_silva, first, True, actor=user)
    set_atelier_presence(da_silva, domiciliation, True, actor=user)
    set_atelier_presence(dupont, second, True, actor=user)
    set_check_in(nguyen, True, actor=user)
    return {"seminar": seminar.pk, "user": user.pk, "last_audit": last_audit}


def remove_past_event(built: dict) -> None:
    from django.contrib.auth import get_user_model

    Registration.objects.filter(seminar_id=built["seminar"]).delete()
    SeminarPage.objects.get(pk=built["seminar"]).delete()
    AuditEntry.objects.filter(pk__gt=built["last_audit"]).delete()
    get_user_model().objects.filter(pk=built["user"]).delete()


@pytest.fixture
def past_event():
    built = run_committed(build_past_event)
    yield built
    run_committed(remove_past_event, built)


@pytest.fixture
def signed_in(page, live_server_port, past_event):
    """The organiser's page, signed in (a light fixture of its own, no demo)."""
    page.route("**/static/**", serve_static)
    sign_in(page, f"http://localhost:{live_server_port}", ORGANISER)
    return page


# Each table's caption, and whether every header is a <th> with its scope: the columns' in
# <thead>, each row's first cell in <tbody>.
TABLES = """() => [...document.querySelectorAll('main table')].map(table => ({
    caption: table.caption ? table.caption.textContent.trim() : '',
    columns: [...table.querySelectorAll('thead th')].map(th => th.scope),
    rowHeaders: [...table.querySelectorAll('tbody tr')].filter(tr => tr.cells.length > 1)
        .map(tr => tr.cells[0].tagName + ':' + (tr.cells[0].getAttribute('scope') || '')),
}))"""


def test_the_figures_of_a_past_event_on_a_phone(signed_in, live_server_port, past_event):
    page = signed_in
    page.set_viewport_size(PHONE)
    go(page, admin_url(live_server_port, f"inscriptions/{past_event['seminar']}/chiffres/"))

    summary = " ".join(page.locator("main p strong").first.inner_text().split())
    assert summary == "3 présents sur 5 inscrits confirmés (60 %) ; 2 absents."
    tables = page.evaluate(TABLES)
    captions = [table["caption"] for table in tables]
    assert captions[:4] == [
        "Membres et non-membres (inscrits confirmés et présents)",
        "Par fonction",
        "Par commune",
        "Par atelier",
    ], captions
    assert captions[4].startswith("Besoins particuliers")
    for table in tables:
        assert table["columns"] and set(table["columns"]) == {"col"}, table
        assert set(table["rowHeaders"]) == {"TH:row"}, table
    atelier_headers = page.locator("table", has=page.locator("caption", has_text="Par atelier"))
    expect(atelier_headers.locator("thead th")).to_have_text(
        ["Atelier", "Inscrits confirmés", "Présents", "Places"]
    )
    # The same atelier on two days, told apart by its slot (seminars.models.atelier_names).
    rows = atelier_headers.locator("tbody th[scope=row]").all_inner_texts()
    assert len(rows) == 3 and rows[0] != rows[2], rows
    assert rows[0].startswith("Accès aux droits – ") and rows[2].startswith("Accès aux droits – ")

    sideways = page.evaluate(SIDEWAYS)
    assert sideways["scrollWidth"] <= sideways["width"], sideways
    assert sideways["escaping"] == [], sideways
    for scroller in page.locator("main .table-scroll").all():
        box = scroller.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box

    audit_admin(page)  # desktop, then phone
    assert_tables_reachable(page)  # 320 px


def sideways_on_a_phone(page, port: int, seminar: int) -> dict:
    page.set_viewport_size(PHONE)
    go(page, admin_url(port, f"inscriptions/{seminar}/chiffres/"))
    return page.evaluate(SIDEWAYS)


def test_a_long_word_of_the_title_stays_on_a_phone(signed_in, live_server_port, past_event):
    run_committed(
        lambda: SeminarPage.objects.filter(pk=past_event["seminar"]).update(title=LONG_WORD_TITLE)
    )
    sideways = sideways_on_a_phone(signed_in, live_server_port, past_event["seminar"])
    assert sideways["scrollWidth"] <= sideways["width"] and not sideways["escaping"], sideways

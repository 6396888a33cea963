"""The organisers' registrations list on a 375 px phone, after the event: the page did not fit the
screen (its content 440 px wide), the button « Envoyer les attestations par e-mail… » and the
« Communes à vérifier seulement » check box were off to the right. Each filter's label now sits
above its own box, as wide as the screen, the check box beside its label (as the members list's
filters, union/static/css/admin.css `.member-filters`), and the button's text wraps; on a laptop
the filters still share a row. A light event of its own (no demo: test_axe_admin's module
fixture is not shared)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.text import slugify

from seminars.models import Atelier, Registration, SeminarPage
from seminars.services import RegistrationData, register_person, resolve_commune, set_check_in
from tests.browser.conftest import serve_static, sign_in
from tests.browser.test_axe_admin import admin_url, audit_admin, go
from tests.browser.test_check_in_phone_s16 import SIDEWAYS
from tests.browser.test_stats_past_event_s24 import remove_past_event
from tests.conftest import run_committed
from tests.seminars.conftest import make_seminar, organiser
from union.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

ORGANISER = "inscriptions.telephone.s24@union.test"
PHONE = {"width": 375, "height": 800}
LAPTOP = {"width": 1280, "height": 800}
PEOPLE = [
    ("Da Silva-Fernandes", "Marie-Hélène", "Montreuil"),
    ("Dupont", "Jean", "Bondy"),
    ("Ouattara", "Inès", "Pierrefitte-sur-Seine"),
    ("Émond", "Sébastien", "Aubervilier"),  # a commune to check
]


def build_past_event() -> dict:
    """An event over since yesterday, « Accès aux droits » given twice; three people came
    (their attestations to send), one typed a commune to check; an organiser to sign in."""
    last_audit = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    user = organiser(email=ORGANISER)
    seminar = make_seminar(
        "Rencontres de l'action sociale : accès aux droits et domiciliation",
        hours=8,
        seats=40,
        ateliers=(("Accès aux droits", 1, 2, 20), ("Accès aux droits", 4, 2, 20)),
    )
    ateliers = list(seminar.ateliers.order_by("sort_order"))
    registrations = []
    for number, (nom, prenom, commune) in enumerate(PEOPLE):
        data = RegistrationData(
            nom=nom,
            prenom=prenom,
            email=f"{slugify(prenom)}.{number}@mairie-exemple.fr",
            commune=resolve_commune(commune),
            fonction="directeur_ccas",
            atelier_ids=[ateliers[number % 2].pk],
            consent=True,
        )
        registration, _ = register_person(
            seminar, data, source=Registration.Source.MANUAL, notify=False
        )
        registrations.append(registration)
    shift = timezone.now() - timedelta(days=1, hours=8) - seminar.start
    SeminarPage.objects.filter(pk=seminar.pk).update(
        start=seminar.start + shift, end=seminar.end + shift
    )
    for atelier in ateliers:
        Atelier.objects.filter(pk=atelier.pk).update(
            starts_at=atelier.starts_at + shift, ends_at=atelier.ends_at + shift
        )
    for registration in registrations[:3]:
        set_check_in(registration, True, actor=user)
    return {"seminar": seminar.pk, "user": user.pk, "last_audit": last_audit}


@pytest.fixture
def signed_in(page, live_server_port):
    """The organiser's page, signed in, and the event's id."""
    built = run_committed(build_past_event)
    page.route("**/static/**", serve_static)
    sign_in(page, f"http://localhost:{live_server_port}", ORGANISER)
    yield page, built["seminar"]
    run_committed(remove_past_event, built)


def box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_on_a_phone_the_list_fits_the_screen(signed_in, live_server_port):
    page, seminar = signed_in
    page.set_viewport_size(PHONE)
    go(page, admin_url(live_server_port, f"inscriptions/{seminar}/"))

    sideways = page.evaluate(SIDEWAYS)
    assert sideways["scrollWidth"] <= sideways["width"], sideways
    assert sideways["escaping"] == [], sideways

    send = page.get_by_role("button", name="Envoyer les attestations par e-mail (3 personnes)")
    button = send.bounding_box()
    assert button["x"] >= 0 and button["x"] + button["width"] <= PHONE["width"], button

    form = box(page, "form.filters")
    for field in ("q", "status", "commune", "fonction", "atelier"):
        label, control = box(page, f"label[for='id_{field}']"), box(page, f"#id_{field}")
        assert control["y"] >= label["y"] + label["height"] - 1, field  # under its label
        assert abs(control["x"] - label["x"]) <= 1, field  # aligned with it
        assert control["width"] >= form["width"] - 2, field  # the whole row
        assert control["x"] + control["width"] <= PHONE["width"], field
    checkbox, its_label = box(page, "#id_flagged"), box(page, "label[for='id_flagged']")
    assert 0 <= checkbox["x"] and checkbox["x"] + checkbox["width"] <= PHONE["width"], checkbox
    assert its_label["x"] + its_label["width"] <= PHONE["width"], its_label
    middle = checkbox["y"] + checkbox["height"] / 2
    assert its_label["y"] <= middle <= its_label["y"] + its_label["height"]  # on its line
    submit = box(page, "form.filters button[type='submit']")
    assert submit["x"] + submit["width"] <= PHONE["width"]
    audit_admin(page)  # desktop, then phone


def test_on_a_laptop_the_filters_share_a_row(signed_in, live_server_port):
    page, seminar = signed_in
    page.set_viewport_size(LAPTOP)
    go(page, admin_url(live_server_port, f"inscriptions/{seminar}/"))
    search, status = box(page, "#id_q"), box(page, "#id_status")
    assert abs(search["y"] - status["y"]) <= 2 and status["x"] > search["x"] + search["width"]
    form = box(page, "form.filters")
    for selector in ("#id_atelier", "#id_flagged", "form.filters button[type='submit']"):
        control = box(page, selector)
        assert control["x"] + control["width"] <= form["x"] + form["width"], selector

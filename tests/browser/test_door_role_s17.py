"""The welcome desk of a volunteer (group « Accueil des participants ») on a phone, in a real
browser: the day's events, the door list without e-mails nor needs, « Présent(e) à l'atelier »
beside each person (which checks her in at the event too), back at her row; the pages pass the
admin's accessibility audit."""

import re

import pytest
from playwright.sync_api import expect

from seminars.door_access import DOOR_STAFF
from seminars.models import SeminarIndexPage
from seminars.services import RegistrationData, register_person, resolve_commune
from tests.browser.conftest import serve_static, sign_in
from tests.browser.test_axe_admin import audit_admin
from tests.browser.test_check_in_phone_s16 import SIDEWAYS, remove_desk
from tests.conftest import run_committed
from tests.seminars.conftest import make_seminar, organiser
from union.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

VOLUNTEER = "benevole.s17@commune.test"
PHONE = {"width": 375, "height": 667}


def build_desk() -> dict:
    last_audit = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    had_index = SeminarIndexPage.objects.exists()
    user = organiser(DOOR_STAFF, VOLUNTEER)
    seminar = make_seminar(
        "Journée des élus : l'action sociale de proximité",
        days_ahead=-1 / 24,
        hours=8,
        seats=40,
        ateliers=(("Le budget du CCAS en pratique", 0.5, 2, 20), ("Domiciliation", 4, 2, 20)),
    )
    budget = seminar.ateliers.get(title__startswith="Le budget")
    for number, (nom, prenom) in enumerate(
        [("Da Silva-Fernandes", "Marie-Hélène"), ("Émond", "Sébastien")]
    ):
        register_person(
            seminar,
            RegistrationData(
                nom=nom,
                prenom=prenom,
                email=f"personne{number}@mairie-exemple.fr",
                commune=resolve_commune("Bondy"),
                fonction="maire_adjoint",
                atelier_ids=[budget.pk],
                needs="Repas sans gluten",
            ),
            notify=False,
        )
    return {
        "seminar": seminar.pk,
        "user": user.pk,
        "last_audit": last_audit,
        "had_index": had_index,
    }


@pytest.fixture
def desk():
    built = run_committed(build_desk)
    yield built
    run_committed(remove_desk, built)


def test_a_volunteer_marks_someone_at_an_atelier_on_a_phone(page, live_server_port, desk):
    page.route("**/static/**", serve_static)
    page.set_viewport_size(PHONE)
    sign_in(page, f"http://localhost:{live_server_port}", VOLUNTEER)

    page.goto(f"http://localhost:{live_server_port}/admin/inscriptions/accueil/")
    audit_admin(page)
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name=re.compile("Journée des élus")).click()
    page.wait_for_load_state()
    expect(page.get_by_text("Présents 0")).to_be_visible()
    assert "mairie-exemple.fr" not in page.content() and "gluten" not in page.content()
    audit_admin(page)
    page.set_viewport_size(PHONE)
    assert page.evaluate(SIDEWAYS)["scrollWidth"] <= PHONE["width"]

    button = page.get_by_role(
        "button",
        name="Présent(e) à l'atelier « Le budget du CCAS en pratique » : Sébastien Émond",
    )
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_url(re.compile(r"#r-\d+$"))
    expect(
        page.get_by_text(
            "Sébastien Émond : présent(e) à l'atelier « Le budget du CCAS en pratique »"
        )
    ).to_be_visible()
    expect(page.get_by_text("Présents 1")).to_be_visible()  # at the event too
    expect(
        page.get_by_role("button", name="Annuler l'émargement de Sébastien Émond")
    ).to_be_attached()
    audit_admin(page)

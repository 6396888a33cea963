"""Session 16 leftovers on the public side of events: a person corrects their commune on their
personal page (the event page's matcher and « Vouliez-vous dire : » step), the invitation and
broken-link pages always give an address to write to (the union's when the event has none), and
the demo's events certify a training duration."""

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.utils import timezone

from seminars import demo
from seminars.certificates import describe_dates
from seminars.links import SALT, manage_path, page_path
from seminars.models import Registration, SeminarPage, Visibility
from seminars.services import cancel_registration, register_person
from tests.seminars.conftest import make_seminar, person
from union.models import AuditEntry, UnionSettings

pytestmark = pytest.mark.django_db
UNION_EMAIL = "contact@union.test"
ORGANISER_EMAIL = "evenements@union.test"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def main_text(response) -> str:
    """The text of the page's <main> (the footer gives the union's address on every page)."""
    main = soup_of(response).find("main")
    return " ".join(main.get_text(" ").split())


def flagged_registration(seminar, typed: str = "xyzzy") -> Registration:
    registration, _ = register_person(seminar, person(1, commune=typed), notify=False)
    assert registration.commune_status == "flagged"
    return registration


def commune_section(response):
    return soup_of(response).find("section", attrs={"aria-labelledby": "ma-commune"})


def fix(commune: str, **answer) -> dict:
    return {"action": "commune", "commune": commune, **answer}


def flagged_list(organiser_client, seminar) -> str:
    return organiser_client.get(f"/admin/inscriptions/{seminar.pk}/communes/").content.decode()


# 1. « Corriger ma commune » on the personal page -----------------------------------------------


def test_a_commune_not_recognised_is_corrected_by_the_person(portal, organiser_client):
    seminar = make_seminar(organiser_email=ORGANISER_EMAIL)
    registration = flagged_registration(seminar)
    url = manage_path(registration)
    assert "xyzzy" in flagged_list(organiser_client, seminar)

    page = portal.get(url)
    section = commune_section(page)
    assert section.find("h2").get_text() == "Corriger ma commune"
    form = section.find("form")
    assert form["method"] == "post" and form["action"] == "#ma-commune"
    assert form.find("input", id="id_commune")["value"] == "xyzzy"  # as registered
    assert form.find("label", attrs={"for": "id_commune"})
    assert form.find("button", attrs={"name": "action", "value": "commune"})
    # The notice beside the commune says to correct it below, no longer to write to someone.
    notice = soup_of(page).find("p", class_="message-warning")
    assert "Si c'est une erreur de frappe, corrigez-la ci-dessous." in notice.get_text()
    assert notice.find("a", href="#ma-commune").get_text() == "Corriger ma commune"
    assert "écrivez à" not in notice.get_text()

    response = portal.post(url, fix("Bondy"))
    assert response.status_code == 302 and response["Location"] == url
    registration.refresh_from_db()
    assert (registration.commune_id, registration.commune_status) == ("93010", "matched")
    assert (registration.commune_typed, registration.commune_suggestions) == ("Bondy", [])
    shown = portal.get(url)
    text = main_text(shown)
    assert "Votre commune est enregistrée : Bondy." in text
    assert "Nous n'avons pas reconnu" not in text and "à vérifier" not in text
    assert commune_section(shown).find("h2").get_text() == "Modifier ma commune"
    # The organisers' « Communes à vérifier » no longer lists it.
    assert "Aucune commune à vérifier" in flagged_list(organiser_client, seminar)
    # Audited as the organisers' edits are: the field's name, never its value.
    entry = AuditEntry.objects.get(action="seminar.registration.edited")
    assert entry.actor is None
    assert entry.details == {
        "seminar": seminar.pk,
        "registration": registration.pk,
        "fields": ["commune"],
        "by": "registrant",
    }
    assert "Bondy" not in str(entry.details)


def test_a_commune_close_to_official_ones_is_asked_about_first(portal, organiser_client):
    seminar = make_seminar()
    registration = flagged_registration(seminar)
    url = manage_path(registration)
    typed = "Aulnay sous bios"

    asked = portal.post(url, fix(typed))
    assert asked.status_code == 400
    registration.refresh_from_db()
    assert (registration.commune_typed, registration.commune_status) == ("xyzzy", "flagged")
    soup = soup_of(asked)
    assert soup.find("title").get_text().startswith("Erreur – ")
    section = commune_section(asked)
    group = section.find("fieldset", id="id_commune_choice_group")
    assert group.find("legend").get_text(strip=True) == "Vouliez-vous dire :"
    labels = [label.get_text(" ", strip=True) for label in group.find_all("label")]
    assert labels[0] == "Aulnay-sous-Bois (93)"
    assert labels[-1] == f"Garder « {typed} » tel que saisi"
    summary = section.find(class_="error-summary")
    assert "Votre commune n'est pas encore enregistrée" in summary.get_text()
    assert summary.find("a")["href"] == "#id_commune_choice_0"
    assert section.find("input", id="id_commune")["value"] == typed  # what was typed is kept
    assert section.find("input", attrs={"name": "commune_checked"})["value"] == typed
    assert not AuditEntry.objects.filter(action="seminar.registration.edited").exists()

    chosen = portal.post(url, fix(typed, commune_checked=typed, commune_choice="93005"))
    assert chosen.status_code == 302
    registration.refresh_from_db()
    assert (registration.commune_id, registration.commune_status) == ("93005", "matched")
    assert registration.commune_typed == typed  # kept beside the commune chosen
    assert "Votre commune est enregistrée : Aulnay-sous-Bois." in main_text(portal.get(url))
    assert "Aucune commune à vérifier" in flagged_list(organiser_client, seminar)


def test_a_commune_kept_as_typed_stays_flagged_as_typed(portal, organiser_client):
    seminar = make_seminar(organiser_email=ORGANISER_EMAIL)
    registration = flagged_registration(seminar)
    url = manage_path(registration)
    typed = "Aulnay sous bios"
    kept = portal.post(url, fix(typed, commune_checked=typed, commune_choice="saisie"))
    assert kept.status_code == 302
    registration.refresh_from_db()
    assert (registration.commune_status, registration.commune_typed) == ("flagged", typed)
    assert registration.commune_id is None
    assert registration.commune_suggestions[0] == {"code": "93005", "nom": "Aulnay-sous-Bois"}
    text = main_text(portal.get(url))
    assert (
        f"Votre commune est enregistrée telle que saisie, « {typed} » : l'équipe de l'union la "
        "vérifiera." in text
    )
    assert f"Nous n'avons pas reconnu la commune « {typed} »" in text
    listed = flagged_list(organiser_client, seminar)
    assert typed in listed and "xyzzy" not in listed
    assert AuditEntry.objects.get(action="seminar.registration.edited").details["fields"] == [
        "commune"
    ]

    # Left as shown, it is asked about again with its suggestions, nothing written meanwhile.
    again = portal.post(url, fix(typed))
    assert again.status_code == 400
    assert commune_section(again).find("fieldset", id="id_commune_choice_group")


def test_a_recognised_commune_may_be_changed_and_left_as_it_was(portal):
    seminar = make_seminar()
    registration, _ = register_person(seminar, person(1, commune="ST DENIS"), notify=False)
    assert registration.commune_id == "93066"
    url = manage_path(registration)
    section = commune_section(portal.get(url))
    assert section.find("h2").get_text() == "Modifier ma commune"
    assert section.find("input", id="id_commune")["value"] == "Saint-Denis"  # the official name

    unchanged = portal.post(url, fix("Saint-Denis"))
    assert unchanged.status_code == 302
    assert "Votre commune n'a pas changé : Saint-Denis." in main_text(portal.get(url))
    registration.refresh_from_db()
    assert (registration.commune_id, registration.commune_typed) == ("93066", "ST DENIS")
    assert not AuditEntry.objects.filter(action="seminar.registration.edited").exists()

    assert portal.post(url, fix("Pantin")).status_code == 302
    registration.refresh_from_db()
    assert (registration.commune_id, registration.commune_status) == ("93055", "matched")

    # An empty commune is refused on the field; nothing changes.
    empty = portal.post(url, fix(""))
    assert empty.status_code == 400
    errors = commune_section(empty).find("ul", id="id_commune_error").get_text()
    assert errors == "Indiquez votre commune : son nom ou son code INSEE."
    registration.refresh_from_db()
    assert registration.commune_id == "93055"


def test_a_members_only_event_refuses_a_commune_that_is_not_a_members(portal, bondy):
    seminar = make_seminar(visibility=Visibility.MEMBERS, organiser_email=ORGANISER_EMAIL)
    registration = flagged_registration(seminar)  # a flagged commune is the organisers' to check
    url = manage_path(registration)
    refused = portal.post(url, fix("Pantin"))
    assert refused.status_code == 400
    section = commune_section(refused)
    error = section.find("ul", id="id_commune_error").get_text(" ")
    assert "réservé aux communes membres" in error and "/membres/" in error
    assert section.find("input", id="id_commune")["value"] == "Pantin"  # kept as typed
    registration.refresh_from_db()
    assert (registration.commune_typed, registration.commune_status) == ("xyzzy", "flagged")

    assert portal.post(url, fix("Bondy")).status_code == 302  # Bondy's CCAS is a member
    registration.refresh_from_db()
    assert registration.commune_id == "93010"


def test_after_the_cut_off_or_once_cancelled_there_is_no_form(portal, union_email):
    seminar = make_seminar()  # no organiser's address: the union's is given
    registration = flagged_registration(seminar)
    url = manage_path(registration)
    seminar.changes_until = timezone.now() - timedelta(hours=1)
    seminar.save()
    page = portal.get(url)
    assert commune_section(page) is None
    assert "Corriger ma commune" not in main_text(page)
    assert f"Si c'est une erreur de frappe, écrivez à {UNION_EMAIL}." in main_text(page)
    refused = portal.post(url, fix("Bondy"), follow=True)
    assert "Les modifications ne sont plus possibles pour cet événement." in main_text(refused)
    registration.refresh_from_db()
    assert (registration.commune_typed, registration.commune_status) == ("xyzzy", "flagged")

    other = make_seminar("Autre journée")
    cancelled = flagged_registration(other)
    cancel_registration(cancelled)
    cancelled_url = manage_path(cancelled)
    assert commune_section(portal.get(cancelled_url)) is None
    portal.post(cancelled_url, fix("Bondy"))
    cancelled.refresh_from_db()
    assert cancelled.commune_status == "flagged"
    assert not AuditEntry.objects.filter(action="seminar.registration.edited").exists()


# 2. Always an address to write to ---------------------------------------------------------------


@pytest.fixture
def union_email() -> str:
    identity = UnionSettings.load()
    identity.email = UNION_EMAIL
    identity.save()
    return UNION_EMAIL


def invitation_only(title: str = "Réunion confidentielle", **fields) -> SeminarPage:
    return make_seminar(title, visibility=Visibility.INVITATION, **fields)


def test_an_invitation_page_without_an_organiser_gives_the_unions_address(portal, union_email):
    seminar = invitation_only()
    response = portal.get(page_path(seminar) + "?invitation=mauvaise-cle")
    assert response.status_code == 404
    main = soup_of(response).find("main")
    assert main.find("a", href=f"mailto:{UNION_EMAIL}")
    assert f"ou écrivez à l'union, {UNION_EMAIL}" in main_text(response)

    # The event's own organiser comes first.
    organised = invitation_only("Autre réunion", organiser_email="a@b.test")
    page = portal.get(page_path(organised))
    assert soup_of(page).find("main").find("a", href="mailto:a@b.test")
    assert UNION_EMAIL not in main_text(page)


def test_without_any_address_the_invitation_page_leads_to_the_contact_page(portal):
    UnionSettings.objects.update(email="")
    response = portal.get(page_path(invitation_only()))
    assert response.status_code == 404
    main = soup_of(response).find("main")
    assert main.find("a", href="/contact/")
    assert not main.find("a", href=lambda href: href and href.startswith("mailto:"))


def test_a_broken_link_of_no_known_event_gives_the_unions_address(portal, union_email):
    response = portal.get("/evenements/inscription/bogus/")
    assert response.status_code == 404
    assert soup_of(response).find("main").find("a", href=f"mailto:{UNION_EMAIL}")
    assert f"Pour toute question, écrivez à l'union, {UNION_EMAIL}" in main_text(response)


def test_a_broken_link_of_an_event_without_organiser_gives_the_unions_address(portal, union_email):
    seminar = make_seminar()  # no organiser_email
    registration, _ = register_person(seminar, person(1), notify=False)
    token = signing.dumps({"r": registration.pk, "e": "ancienne@exemple.fr"}, salt=SALT)
    response = portal.get(f"/evenements/inscription/{token}/")
    assert response.status_code == 404
    main = soup_of(response).find("main")
    assert main.find("a", href=f"/evenements/{seminar.pk}/nouveau-lien/")
    assert main.find("a", href=f"mailto:{UNION_EMAIL}")


def test_an_expired_link_without_any_address_leads_to_the_contact_page(portal, settings):
    UnionSettings.objects.update(email="")
    seminar = make_seminar()
    registration, _ = register_person(seminar, person(1), notify=False)
    url = manage_path(registration)
    settings.SEMINAR_LINK_MAX_AGE = -1  # every link has expired
    response = portal.get(url)
    assert response.status_code == 410
    main = soup_of(response).find("main")
    assert main.find("a", href="/contact/")
    assert "son adresse figure sur la page de l'événement" not in main_text(response)


# 3. The demo's events certify a training duration -----------------------------------------------


def test_the_demo_certifies_six_hours_thirty_and_stays_idempotent(bondy):
    demo.load(io.StringIO())
    past = SeminarPage.objects.get(slug="seminaire-abs-2026")
    day = timedelta(hours=6, minutes=30)
    assert past.attested_duration == day
    assert past.attested_duration < past.end - past.start  # the lunch is not counted
    assert "(durée de formation : 6 h 30)" in describe_dates(past)
    assert SeminarPage.objects.get(slug="atelier-debut-de-mandat").attested_duration == day

    # A demo loaded before the field existed gets it when run again, published (the admin edits
    # the latest revision); after that, running it again changes nothing.
    SeminarPage.objects.filter(slug="seminaire-abs-2026").update(attested_duration=None)
    demo.load(io.StringIO())
    past.refresh_from_db()
    assert past.attested_duration == day
    assert past.get_latest_revision_as_object().attested_duration == day
    revisions = past.revisions.count()
    demo.load(io.StringIO())
    assert past.revisions.count() == revisions
    assert SeminarPage.objects.filter(slug="seminaire-abs-2026").count() == 1

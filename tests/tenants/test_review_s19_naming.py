"""Review of session 19 (the union's administration of its members): a member's name after « de »
and « à » (« de la direction du CCAS de Bagnolet », « à l'UDCCAS de… »), the name typed for a new
direction in its invitation e-mail and in the success message. Real HTTP through the test client,
real e-mails."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from tenants.models import MemberCCAS, Membership
from tenants.naming import at_body, of_body
from tenants.services import set_member_status
from tests.conftest import make_member, make_person

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def bagnolet(db) -> MemberCCAS:
    return make_member("93006")


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response) -> str:
    return " ".join(soup_of(response).get_text(" ").split())


@pytest.mark.parametrize(
    "name, of, at",
    [
        ("CCAS de Bagnolet", "du CCAS de Bagnolet", "au CCAS de Bagnolet"),
        ("CCAS d'Aubervilliers", "du CCAS d'Aubervilliers", "au CCAS d'Aubervilliers"),
        ("CIAS Est Ensemble", "du CIAS Est Ensemble", "au CIAS Est Ensemble"),
        (
            "UDCCAS de Seine-Saint-Denis",
            "de l'UDCCAS de Seine-Saint-Denis",
            "à l'UDCCAS de Seine-Saint-Denis",
        ),
        ("Union départementale", "de l'Union départementale", "à l'Union départementale"),
        ("Le Collectif solidaire", "du Collectif solidaire", "au Collectif solidaire"),
        ("Les Restos", "des Restos", "aux Restos"),
        ("Maison des solidarités", "de Maison des solidarités", "à Maison des solidarités"),
    ],
)
def test_a_body_s_name_after_de_and_a(name, of, at):
    assert (of_body(name), at_body(name)) == (of, at)


def test_naming_a_direction_says_du_ccas_and_the_name_typed(
    bagnolet, admin, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.PLATFORM_NAME = "UDCCAS de Seine-Saint-Denis"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/admin/membres/{bagnolet.pk}/direction/",
            {"email": "camille@bagnolet.test", "first_name": "Camille", "last_name": "Revue-B"},
            follow=True,
        )
    assert (
        "Camille Revue-B (camille@bagnolet.test) fait désormais partie de la direction du CCAS "
        "de Bagnolet ; un lien pour choisir son mot de passe lui est envoyé." in text_of(response)
    )
    (message,) = mailoutbox
    assert message.body.startswith("Bonjour Camille Revue-B,\n")
    assert (
        "Un accès à l'UDCCAS de Seine-Saint-Denis pour l'espace membre « CCAS de Bagnolet » "
        "vient de vous être ouvert." in message.body
    )

    # Without a name typed, the address alone, and « Bonjour, ».
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/admin/membres/{bagnolet.pk}/direction/", {"email": "dir2@bagnolet.test"}, follow=True
        )
    assert "dir2@bagnolet.test fait désormais partie de la direction du CCAS de Bagnolet" in (
        text_of(response)
    )
    (message,) = [m for m in mailoutbox if m.to == ["dir2@bagnolet.test"]]  # Camille is told too
    assert message.body.startswith("Bonjour,\n")


def test_the_invitation_sent_again_says_a_l_udccas_and_the_name(
    bagnolet, admin, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.PLATFORM_NAME = "UDCCAS de Seine-Saint-Denis"
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            f"/admin/membres/{bagnolet.pk}/direction/",
            {"email": "camille@bagnolet.test", "first_name": "Camille", "last_name": "Revue-B"},
        )
    membership = Membership.objects.get(member=bagnolet, user__email="camille@bagnolet.test")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/membres/{bagnolet.pk}/personnes/{membership.pk}/renvoyer/")
    (message,) = mailoutbox
    assert message.body.startswith("Bonjour Camille Revue-B,\n")
    assert "Voici un nouveau lien pour accéder à l'UDCCAS de Seine-Saint-Denis et à" in (
        message.body
    )
    assert "à UDCCAS" not in message.body


def test_refusals_name_the_member_with_du(bagnolet, admin):
    make_person(bagnolet, "dir@bagnolet.test")
    response = admin.post(
        f"/admin/membres/{bagnolet.pk}/direction/", {"email": "dir@bagnolet.test"}
    )
    summary = soup_of(response).find(class_="error-summary").get_text()
    assert "dir@bagnolet.test fait déjà partie de la direction du CCAS de Bagnolet." in summary

    pending = Membership.objects.get(member=bagnolet, user__email="dir@bagnolet.test")
    set_member_status(bagnolet, MemberCCAS.Status.SUSPENDED)
    response = admin.post(
        f"/admin/membres/{bagnolet.pk}/direction/", {"email": "autre@bagnolet.test"}
    )
    assert "L'espace du CCAS de Bagnolet est fermé (suspendu) : réactivez le membre" in (
        text_of(response)
    )
    response = admin.post(
        f"/admin/membres/{bagnolet.pk}/personnes/{pending.pk}/renvoyer/", follow=True
    )
    assert "L'espace du CCAS de Bagnolet est fermé : réactivez le membre avant de renvoyer" in (
        text_of(response)
    )


def test_member_screens_say_du_ccas(bagnolet, admin):
    listing = soup_of(admin.get("/admin/membres/"))
    hidden = [span.get_text() for span in listing.select("button .visually-hidden")]
    assert " le statut du CCAS de Bagnolet" in hidden
    assert not any("statut de CCAS" in text for text in hidden)

    response = admin.post("/admin/membres/ajouter/", {"commune": "93006", "kind": "CCAS"})
    links = [a.get_text() for a in soup_of(response).find_all("a")]
    assert "Voir la fiche du CCAS de Bagnolet" in links


def test_each_line_of_the_listing_names_its_own_member(bagnolet, montreuil, admin):
    """Two members (schemas cloned from one template): each line's hidden text names its own."""
    listing = soup_of(admin.get("/admin/membres/"))
    hidden = {span.get_text() for span in listing.select("button .visually-hidden")}
    assert {" le statut du CCAS de Bagnolet", " le statut du CCAS de Montreuil"} <= hidden

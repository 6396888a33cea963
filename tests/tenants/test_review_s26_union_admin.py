"""Review s26, the union's administrator managing its members in the Wagtail admin
(/admin/membres/), walked over HTTP with the test client.

1. A status change of a member without a direction (none named, or only deactivated accounts)
   said « Sa direction en est informée par e-mail » while no e-mail left; its confirmation page
   promised one too.
2. « Ajouter un membre » with the address of someone who already has an account (the director
   of another CCAS) sent her nothing: neither a set-password link nor the space's address; a
   deactivated account was named to the direction silently, no e-mail, no word (« Inviter une
   direction » refuses it).
3. The list's search missed « Épinay-sur-Seine » typed « epinay » (accents, case, hyphens).
4. The list's « Direction : dernière connexion » gave a deactivated director's last sign-in
   while the active direction never came (the home panel listed it as « jamais connectée »)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.utils import timezone

from tenants.models import MemberCCAS, Membership
from tests.conftest import PASSWORD, make_member, make_person, plain

pytestmark = pytest.mark.django_db
User = get_user_model()


def page_text(response) -> str:
    return plain(BeautifulSoup(response.content.decode(), "html.parser").get_text(" "))


def messages_of(response) -> list[str]:
    return [plain(str(message.message)) for message in response.context["messages"]]


def deactivate(user) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


# --- 1. No direction, no e-mail: the message says so ---------------------------------------------


def test_a_status_change_without_a_direction_does_not_claim_an_e_mail(
    bondy, admin, django_capture_on_commit_callbacks, mailoutbox
):
    gone = make_person(bondy, "ancienne@bondy.test")
    deactivate(gone)  # her account was deactivated: she no longer counts as a direction
    confirm = page_text(admin.get(f"/admin/membres/{bondy.pk}/statut/?status=suspended"))
    assert "Sa direction en sera informée par e-mail" not in confirm
    assert "Ce membre n'a pas de direction (compte actif) : aucun e-mail ne partira." in confirm

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/admin/membres/{bondy.pk}/statut/",
            {"status": "suspended", "confirmed": "1"},
            follow=True,
        )
    assert mailoutbox == []
    (message,) = messages_of(response)
    assert message == (
        "CCAS de Bondy : suspendu. Aucun e-mail n'est parti : ce membre n'a pas de direction "
        "(compte actif)."
    )


def test_a_status_change_with_a_direction_still_says_it_is_told(
    bondy, admin, django_capture_on_commit_callbacks, mailoutbox
):
    make_person(bondy, "dir@bondy.test")
    confirm = page_text(admin.get(f"/admin/membres/{bondy.pk}/statut/?status=suspended"))
    assert "Sa direction en sera informée par e-mail, avec les coordonnées de l'union." in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/admin/membres/{bondy.pk}/statut/",
            {"status": "suspended", "confirmed": "1"},
            follow=True,
        )
    assert [message.to for message in mailoutbox] == [["dir@bondy.test"]]
    assert messages_of(response) == [
        "CCAS de Bondy : suspendu. Sa direction en est informée par e-mail."
    ]


# --- 2. Onboarding names the direction as « Inviter une direction » does -----------------------


def test_onboarding_with_an_existing_account_tells_her_where_the_space_is(
    admin, django_capture_on_commit_callbacks, mailoutbox
):
    """The director of another CCAS, who already has a password, now directs the new member."""
    User.objects.create_user("nadia@exemple.test", "nadia@exemple.test", PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/membres/ajouter/",
            {"commune": "93048", "kind": "CCAS", "director_email": " Nadia@Exemple.test"},
            follow=True,
        )
    member = MemberCCAS.objects.get(commune_id="93048")
    assert Membership.objects.get(member=member).is_director
    (mail,) = mailoutbox
    assert mail.to == ["nadia@exemple.test"]
    assert "accès à l'espace « CCAS de Montreuil »" in mail.subject
    assert "http://montreuil.localhost/" in mail.body
    assert messages_of(response)[0] == (
        "Le CCAS de Montreuil a rejoint l'union. nadia@exemple.test fait partie de sa "
        "direction ; elle a déjà un compte : un e-mail lui indique l'adresse de l'espace."
    )


def test_onboarding_with_a_new_address_says_the_link_is_sent(
    admin, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/membres/ajouter/",
            {"commune": "93048", "kind": "CCAS", "director_email": "dir@montreuil.test"},
            follow=True,
        )
    (mail,) = mailoutbox
    assert mail.to == ["dir@montreuil.test"] and "choisissez votre mot de passe" in mail.subject
    assert messages_of(response)[0] == (
        "Le CCAS de Montreuil a rejoint l'union. dir@montreuil.test fait partie de sa "
        "direction ; un lien pour choisir son mot de passe lui est envoyé."
    )


def test_onboarding_refuses_a_deactivated_account_and_creates_nothing(
    admin, django_capture_on_commit_callbacks, mailoutbox
):
    User.objects.create_user("partie@exemple.test", "partie@exemple.test", is_active=False)
    typed = {"commune": "93048", "kind": "CCAS", "director_email": "partie@exemple.test"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/admin/membres/ajouter/", typed)
    assert response.status_code == 200
    assert not MemberCCAS.objects.filter(commune_id="93048").exists()
    assert mailoutbox == []
    errors = page_text(response)
    assert (
        "Le compte partie@exemple.test est désactivé : réactivez-le d'abord (Paramètres › "
        "Utilisateurs), ou laissez ce champ vide et invitez la direction plus tard." in errors
    )
    form = BeautifulSoup(response.content.decode(), "html.parser")
    assert form.find("input", attrs={"name": "director_email"})["value"] == "partie@exemple.test"


# --- 3. The list's search reads names as people type them -------------------------------------


def test_the_members_search_ignores_accents_case_and_hyphens(admin):
    make_member("93031")  # Épinay-sur-Seine
    for typed in ("epinay", "EPINAY SUR SEINE", "Épinay-sur", "93031", "ccas d'epinay"):
        text = page_text(admin.get("/admin/membres/", {"q": typed}))
        assert "CCAS d'Épinay-sur-Seine" in text, typed
        assert plain(f"1 membre (recherche « {typed} »)") in text, typed
    assert "Aucun membre." in page_text(admin.get("/admin/membres/", {"q": "bondy"}))


def test_the_members_search_finds_a_cias_by_its_intercommunality(admin):
    make_member("93010", kind=MemberCCAS.Kind.CIAS)  # Est Ensemble
    text = page_text(admin.get("/admin/membres/", {"q": "est-ensemble"}))
    assert plain("1 membre (recherche « est-ensemble »)") in text


# --- 4. The direction's last sign-in is the active direction's ---------------------------------


def test_the_list_gives_the_active_direction_s_last_sign_in(bondy, admin):
    former = make_person(bondy, "ancienne@bondy.test")
    Membership.objects.filter(user=former).update(
        last_signed_in_at=timezone.now() - timedelta(days=3)
    )
    deactivate(former)
    make_person(bondy, "nouvelle@bondy.test")  # named after, never came
    soup = BeautifulSoup(admin.get("/admin/membres/").content.decode(), "html.parser")
    row = soup.find("a", string="CCAS de Bondy").find_parent("tr")
    cells = [plain(cell.get_text(" ")) for cell in row.find_all("td")]
    assert cells[3] == "jamais"  # « Direction : dernière connexion »

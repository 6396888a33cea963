"""A member CCAS registers people of its commune for the union's events, from its own space."""

import html

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from seminars.models import Registration, Visibility
from seminars.services import register_person
from tests.conftest import make_person, member_client
from tests.seminars.conftest import make_seminar, person
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def _form(**fields) -> dict:
    return {
        "nom": "Durand",
        "prenom": "Lucie",
        "email": "",
        "commune": "Bondy",
        "fonction": "conseiller_municipal",
        **fields,
    }


def test_a_director_registers_an_elected_official_without_an_email(two_members):
    bondy, montreuil = two_members
    seminar = make_seminar("Atelier début de mandat", ateliers=(("Budget", 1, 2, 10),))
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)

    dashboard = client.get("/").content.decode()
    register_url = f"/evenements/{seminar.pk}/inscrire/"
    assert f'href="{register_url}"' in dashboard
    page = client.get(register_url).content.decode()
    assert 'value="Bondy"' in page  # the member's commune, typed for them
    assert 'name="consent"' not in page  # nobody consents for someone else
    atelier = seminar.ateliers.get()

    response = client.post(register_url, _form(ateliers=[atelier.pk]), follow=True)
    assert "Lucie Durand est inscrit(e) à « Atelier début de mandat »." in response.content.decode()
    registration = Registration.objects.get(seminar=seminar)
    assert (registration.source, registration.commune_id, registration.status) == (
        Registration.Source.MEMBER,
        "93010",
        Registration.Status.CONFIRMED,
    )
    assert registration.registered_by == bondy  # so Bondy, and only Bondy, may withdraw it
    assert list(registration.ateliers.all()) == [atelier] and not registration.consent
    assert mail.outbox == []  # no address, no e-mail
    assert AuditEntry.objects.get(action="seminar.registration.added").actor == director
    assert "Lucie Durand (Conseiller" in client.get("/").content.decode()
    # Montreuil's space never shows Bondy's registrant.
    other = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))
    assert "Durand" not in other.get("/").content.decode()


def test_with_an_email_the_person_gets_the_confirmation_and_link(
    bondy, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Séminaire ABS")
    agent = make_person(bondy, "agent@bondy.test", "agent")
    client = member_client(bondy, agent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/evenements/{seminar.pk}/inscrire/", _form(email="lucie.durand@exemple.fr"))
        register_person(seminar, person(2))  # registers themselves
    message, own = mail.outbox
    assert "CCAS de votre commune" not in own.body
    assert message.to == ["lucie.durand@exemple.fr"]
    assert (
        "Votre inscription à « Séminaire ABS » est confirmée. L'équipe du CCAS de Bondy vous a "
        "inscrit(e) ;" in message.body
    )


def test_errors_keep_what_was_typed_and_register_nothing(bondy):
    seminar = make_seminar("Séminaire ABS")
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    response = client.post(f"/evenements/{seminar.pk}/inscrire/", _form(fonction=""))
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", attrs={"name": "nom"})["value"] == "Durand"
    assert soup.title.get_text().startswith("Erreur")
    assert not Registration.objects.exists()


def test_who_may_register_and_for_which_events(bondy):
    seminar = make_seminar("Séminaire ABS")
    url = f"/evenements/{seminar.pk}/inscrire/"
    viewer = member_client(bondy, make_person(bondy, "lecture@bondy.test", "viewer"))
    assert viewer.get(url).status_code == 403
    assert viewer.post(url, _form()).status_code == 403
    assert 'inscrire/"' not in viewer.get("/").content.decode()
    assert member_client(bondy).get(url).status_code == 302  # to the login page
    assert not Registration.objects.exists()

    director = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    private = make_seminar("Commission sur invitation", visibility=Visibility.INVITATION)
    past = make_seminar("Séminaire passé", days_ahead=-30)
    for hidden in (private, past):
        assert director.get(f"/evenements/{hidden.pk}/inscrire/").status_code == 404
    closed = make_seminar("Journée close", registration_closes=timezone.now())
    page = director.get(f"/evenements/{closed.pk}/inscrire/").content.decode()
    assert "Les inscriptions à cet événement ne sont pas ouvertes." in page
    director.post(f"/evenements/{closed.pk}/inscrire/", _form())
    assert not Registration.objects.exists()


def test_a_full_event_puts_them_on_the_waiting_list(bondy):
    seminar = make_seminar("Petite commission", seats=1)
    register_person(seminar, person(1))
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    page = client.get(f"/evenements/{seminar.pk}/inscrire/").content.decode()
    assert "Inscrire en liste d'attente" in page
    response = client.post(f"/evenements/{seminar.pk}/inscrire/", _form())
    assert response.status_code == 302
    dashboard = html.unescape(client.get("/").content.decode())
    assert "Lucie Durand est inscrit(e) à « Petite commission » en liste d'attente." in dashboard
    assert Registration.objects.get(nom="Durand").status == Registration.Status.WAITLISTED


def test_a_commune_not_recognised_is_kept_and_the_member_is_told(bondy):
    seminar = make_seminar("Séminaire ABS")
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    response = client.post(f"/evenements/{seminar.pk}/inscrire/", _form(commune="Xyzzy"))
    assert response.status_code == 302
    dashboard = html.unescape(client.get("/").content.decode())
    assert (
        "Lucie Durand est inscrit(e) à « Séminaire ABS ». La commune « Xyzzy » n'est pas "
        "reconnue : l'union la vérifiera." in dashboard
    )
    registration = Registration.objects.get(nom="Durand")
    assert (registration.commune_typed, registration.commune_status) == ("Xyzzy", "flagged")
    assert "Lucie Durand (Conseiller(ère) municipal(e), Xyzzy)" in dashboard  # as typed

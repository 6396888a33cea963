"""The organisers' registrations list: its order, its filters when one is wrong, and cancelling
after a confirmation page, through real HTTP on the portal host."""

import pytest
from django.utils import timezone

from seminars.models import Registration
from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def base(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/"


def names_in_page(page: str, names: list[str]) -> list[str]:
    """`names` in the order they appear in the page."""
    return sorted(names, key=page.index)


def test_confirmed_first_then_the_waiting_list_in_its_order_then_cancelled(organiser_client):
    seminar = make_seminar(seats=2)
    for number, nom in enumerate(["Zola", "Abel", "Weil", "Camus", "Bazin", "Arendt"], 1):
        register_person(seminar, person(number, nom=nom), notify=False)
    # Zola and Abel confirmed; Weil, Camus, Bazin, Arendt waiting in that order. Then Arendt
    # cancels, as does Abel whose seat goes to Weil, the first waiting.
    for nom in ("Arendt", "Abel"):
        registration = Registration.objects.get(nom=nom)
        organiser_client.post(f"{base(seminar)}{registration.pk}/annuler/")
    statuses = dict(Registration.objects.values_list("nom", "status"))
    assert statuses["Weil"] == "confirmed" and statuses["Abel"] == "cancelled"
    page = organiser_client.get(base(seminar)).content.decode()
    order = ["WEIL", "ZOLA", "CAMUS", "BAZIN", "ABEL", "ARENDT"]
    assert names_in_page(page, order) == order
    # Filtered by status, the waiting list keeps its order (not the names').
    page = organiser_client.get(base(seminar), {"status": "waitlisted"}).content.decode()
    assert names_in_page(page, ["CAMUS", "BAZIN"]) == ["CAMUS", "BAZIN"]


def test_a_wrong_filter_is_shown_in_error_and_the_others_still_apply(organiser_client, seminar):
    a = seminar.ateliers.get(title="Atelier A")
    register_person(seminar, person(1, nom="Zola", fonction="dgs", ateliers=[a.pk]), notify=False)
    register_person(seminar, person(2, nom="Abel", fonction="maire"), notify=False)
    abel = Registration.objects.get(nom="Abel")
    Registration.objects.filter(pk=abel.pk).update(status="cancelled", cancelled_at=timezone.now())

    response = organiser_client.get(base(seminar), {"status": "confirmed", "fonction": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "ZOLA" in page and "ABEL" not in page  # the status filter still applies
    assert "« x » n&#x27;est pas une valeur possible : ce filtre n&#x27;est pas appliqué." in page
    assert 'id="id_fonction_error"' in page and 'aria-invalid="true"' in page
    assert "Un filtre n'a pas pu être appliqué" in page

    # A stale atelier id (deleted since the link was copied), with a valid status.
    response = organiser_client.get(base(seminar), {"status": "cancelled", "atelier": "999999"})
    page = response.content.decode()
    assert "ABEL" in page and "ZOLA" not in page
    assert "Cet atelier n&#x27;existe pas ou plus dans cet événement" in page
    assert 'id="id_atelier_error"' in page

    # Valid filters together, no error shown.
    page = organiser_client.get(base(seminar), {"atelier": a.pk, "fonction": "dgs"}).content
    assert b"ZOLA" in page and b"ABEL" not in page and b"errorlist" not in page


def test_cancelling_asks_first_then_keeps_the_filters(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar(seats=1)
    register_person(seminar, person(1, nom="Zola"), notify=False)
    register_person(seminar, person(2, nom="Abel"), notify=False)
    zola = Registration.objects.get(nom="Zola")
    listing = organiser_client.get(base(seminar), {"fonction": "maire"}).content.decode()
    confirm_url = f"{base(seminar)}{zola.pk}/annuler/?query=fonction%3Dmaire"
    assert f'href="{confirm_url}"' in listing
    # The list's button is a link to a confirmation page: nothing happens on GET.
    response = organiser_client.get(confirm_url)
    assert response.status_code == 200
    page = response.content.decode()
    zola.refresh_from_db()
    assert zola.status == "confirmed" and mailoutbox == []
    assert "Annuler l&#x27;inscription de Prénom1 Zola ?" in page
    assert "personne1@exemple.fr" in page
    assert "première personne en liste d'attente" in page
    assert 'name="query" value="fonction=maire"' in page
    assert 'class="button serious">Oui, annuler l\'inscription' in page
    assert f'href="{base(seminar)}?fonction=maire"' in page  # « Non » goes back to the list
    assert "wagtailadmin" in page or "w-header" in page  # the Wagtail admin's look

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"{base(seminar)}{zola.pk}/annuler/", {"query": "fonction=maire"}
        )
    assert response.status_code == 302
    assert response["Location"] == f"{base(seminar)}?fonction=maire"
    zola.refresh_from_db()
    assert zola.status == "cancelled"
    assert Registration.objects.get(nom="Abel").status == "confirmed"
    assert sorted(m.to[0] for m in mailoutbox) == ["personne1@exemple.fr", "personne2@exemple.fr"]
    # Already cancelled: back to the list, nothing sent again.
    again = organiser_client.get(confirm_url)
    assert again.status_code == 302 and again["Location"] == f"{base(seminar)}?fonction=maire"
    assert len(mailoutbox) == 2


def test_the_carried_query_string_stays_on_the_list(organiser_client, seminar):
    register_person(seminar, person(1, nom="Zola"), notify=False)
    zola = Registration.objects.get(nom="Zola")
    response = organiser_client.post(
        f"{base(seminar)}{zola.pk}/annuler/", {"query": "x=1#//ailleurs.example/\r\nSet-Cookie: a"}
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{base(seminar)}?") and "#" not in location
    assert "\n" not in location and "//ailleurs" not in location.split("?")[0]


def test_a_registration_without_e_mail_is_said_so(organiser_client, seminar):
    register_person(seminar, person(1, nom="Zola", email=""), notify=False)
    zola = Registration.objects.get(nom="Zola")
    page = organiser_client.get(f"{base(seminar)}{zola.pk}/annuler/").content.decode()
    assert "pas d'adresse e-mail" in page
    assert "Personne n'attend" in page


@pytest.mark.parametrize("atelier", ["²", "9" * 5000, "9" * 25, "abc"])
def test_an_odd_atelier_id_in_the_export_address_is_a_404(organiser_client, seminar, atelier):
    organiser_client.raise_request_exception = False
    response = organiser_client.get(
        f"/admin/inscriptions/{seminar.pk}/export/", {"format": "csv", "atelier": atelier}
    )
    assert response.status_code == 404

"""Session 31: the union's member screens.

« Ajouter un membre » bounds the joining date (not before 1 January 1950, not after today) and
keeps what was typed; recording a departure says only what is true for this member (with or
without a direction) and gives the archive's last day; a status the member already has is
said in plain French."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from tenants.models import MemberCCAS
from tenants.services import set_member_status
from tests.conftest import PASSWORD, host_client, make_person
from union import roles
from union.formats import long_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    user = get_user_model().objects.create_user(
        "admin@union.test", "admin@union.test", PASSWORD, first_name="Alice", last_name="Admin"
    )
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return host_client("localhost", user)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response) -> str:
    return " ".join(soup_of(response).get_text(" ").split())


# --- 3. The joining date -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, shown",
    [("01/01/1850", "1850-01-01"), ("1850-01-01", "1850-01-01"), ("31/12/1949", "1949-12-31")],
)
def test_a_joining_date_before_1950_is_refused_and_kept(admin, typed, shown):
    response = admin.post(
        "/admin/membres/ajouter/", {"commune": "Bondy", "kind": "CCAS", "joined_on": typed}
    )
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Erreur – ")
    assert "Date d'adhésion trop ancienne : au plus tôt le 1er janvier 1950." in " ".join(
        soup.find(class_="error-summary").get_text().split()
    )
    field = soup.find("input", attrs={"name": "joined_on"})
    assert field["value"] == shown
    assert field["min"] == "1950-01-01" and field["max"] == str(timezone.localdate())
    assert not MemberCCAS.objects.exists()


def test_a_joining_date_in_the_future_is_refused(admin):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = admin.post(
        "/admin/membres/ajouter/",
        {"commune": "Bondy", "kind": "CCAS", "joined_on": tomorrow.strftime("%d/%m/%Y")},
    )
    today = long_date(timezone.localdate(), weekday=False)
    assert f"Date d'adhésion dans le futur : au plus tard aujourd'hui, le {today}." in text_of(
        response
    )
    assert not MemberCCAS.objects.exists()


def test_the_first_of_january_1950_is_accepted(admin):
    response = admin.post(
        "/admin/membres/ajouter/", {"commune": "Bondy", "kind": "CCAS", "joined_on": "01/01/1950"}
    )
    assert response.status_code == 302
    assert str(MemberCCAS.objects.get().joined_on) == "1950-01-01"


# --- 4. Recording a departure ------------------------------------------------------------------


def _until() -> str:
    return long_date(timezone.localdate() + timedelta(days=30), weekday=False)


def test_a_departure_without_a_direction_says_nobody_can_download(admin, bondy):
    page = text_of(admin.get(f"/admin/membres/{bondy.pk}/statut/?status=left"))
    assert "Ce membre n'a pas de direction (compte actif) : aucun e-mail ne partira." in page
    assert "l'e-mail lui donne" not in page
    assert "sa direction pourra encore se connecter" not in page
    assert "personne ne pourra les télécharger" in page
    assert f"(ici jusqu'au {_until()} inclus)" in page
    assert "invitez d'abord sa direction depuis la fiche du membre" in page


def test_a_departure_with_a_direction_gives_the_deadline(admin, bondy):
    make_person(bondy, "direction@bondy.test")
    page = text_of(admin.get(f"/admin/membres/{bondy.pk}/statut/?status=left"))
    assert "Sa direction en sera informée par e-mail" in page
    assert (
        f"pendant 30 jours après le départ, jusqu'au {_until()} inclus, sa direction pourra "
        "encore se connecter"
    ) in page
    assert "l'e-mail lui donne le lien et cette date" in page
    assert "personne ne pourra" not in page


# --- 5. A status the member already has ---------------------------------------------------------


def test_a_status_already_held_reads_as_french(admin, bondy):
    response = admin.get(f"/admin/membres/{bondy.pk}/statut/?status=active", follow=True)
    assert "Le CCAS de Bondy est déjà actif." in text_of(response)
    set_member_status(bondy, MemberCCAS.Status.SUSPENDED)
    response = admin.get(f"/admin/membres/{bondy.pk}/statut/?status=suspended", follow=True)
    assert "Le CCAS de Bondy est déjà suspendu." in text_of(response)

"""Members' names in French ("CCAS d'Aubervilliers", "CCAS du Blanc-Mesnil") and the pages that
quote them."""

import importlib

import pytest
from django.apps import apps
from django.core import mail

from tenants.models import MemberCCAS
from tenants.naming import ccas_name, of_place
from tenants.services import OnboardingError, onboard_member, set_member_status
from tests.conftest import make_member, make_person, member_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "insee, name",
    [
        ("93010", "CCAS de Bondy"),
        ("93001", "CCAS d'Aubervilliers"),
        ("93031", "CCAS d'Épinay-sur-Seine"),
        ("93007", "CCAS du Blanc-Mesnil"),
        ("93045", "CCAS des Lilas"),
        ("93027", "CCAS de La Courneuve"),
        ("93039", "CCAS de L'Île-Saint-Denis"),
        ("91691", "CCAS d'Yerres"),
        ("64260", "CCAS d'Hendaye"),  # mute h
        ("78311", "CCAS de Houilles"),  # aspirated h
    ],
)
def test_onboarding_names_the_ccas_in_french(insee, name):
    member = make_member(insee)
    assert member.name == name
    page = member_client(member).get("/connexion/").content.decode()
    assert f"Espace membre — {name}".replace("'", "&#x27;") in page


def test_a_typed_name_is_kept_and_a_cias_is_named_after_its_intercommunality():
    assert make_member("93001", name="Centre d'action sociale d'Aubervilliers").name == (
        "Centre d'action sociale d'Aubervilliers"
    )
    assert make_member("93010", kind=MemberCCAS.Kind.CIAS).name == "CIAS Est Ensemble"


def test_already_member_refusal_reads_in_french():
    make_member("93007")
    with pytest.raises(OnboardingError, match="^Le CCAS du Blanc-Mesnil \\(93007\\) est déjà"):
        onboard_member("93007")


@pytest.mark.parametrize(
    "place, expected",
    [
        ("Le Pré-Saint-Gervais", "du Pré-Saint-Gervais"),
        ("Les Pavillons-sous-Bois", "des Pavillons-sous-Bois"),
        ("Lempdes", "de Lempdes"),  # "Le" only as a word
        ("Lesparre-Médoc", "de Lesparre-Médoc"),
        ("Yvetot", "d'Yvetot"),
        ("Ajaccio", "d'Ajaccio"),
        ("Œting", "d'Œting"),
    ],
)
def test_elision_and_contraction(place, expected):
    assert of_place(place) == expected
    assert ccas_name(place) == f"CCAS {expected}"


def test_migration_renames_only_the_old_generated_names():
    migration = importlib.import_module("tenants.migrations.0003_french_member_names")
    aubervilliers = make_member("93001")
    blanc_mesnil = make_member("93007")
    bondy = make_member("93010")
    lilas = make_member("93045")
    MemberCCAS.objects.filter(pk=aubervilliers.pk).update(name="CCAS de Aubervilliers")
    MemberCCAS.objects.filter(pk=blanc_mesnil.pk).update(name="CCAS de Le Blanc-Mesnil")
    MemberCCAS.objects.filter(pk=lilas.pk).update(name="C.C.A.S. de Les Lilas")  # typed by hand
    cias = make_member("93048", kind=MemberCCAS.Kind.CIAS)

    migration.rename_generated_names(apps, None)

    names = dict(MemberCCAS.objects.values_list("pk", "name"))
    assert names[aubervilliers.pk] == "CCAS d'Aubervilliers"
    assert names[blanc_mesnil.pk] == "CCAS du Blanc-Mesnil"
    assert names[bondy.pk] == "CCAS de Bondy"
    assert names[lilas.pk] == "C.C.A.S. de Les Lilas"
    assert names[cias.pk] == "CIAS Est Ensemble"


def test_pages_quoting_the_name_read_correctly_for_any_name():
    member = make_member("93007")
    stranger = make_person(make_member("93010"), "dir@bondy.test")
    director = make_person(member, "dir@blanc-mesnil.test")
    client = member_client(member, director)
    propose = client.get("/experiences/proposer/").content.decode()
    assert "menée par votre structure (CCAS du Blanc-Mesnil)" in propose
    experiences = client.get("/experiences/").content.decode()
    assert "CCAS du Blanc-Mesnil" in experiences and "par CCAS" not in experiences
    forbidden = member_client(member, stranger).get("/").content.decode()
    assert "cet espace membre (CCAS du Blanc-Mesnil)" in forbidden
    assert "de CCAS" not in forbidden


def test_set_password_email_quotes_the_name(django_capture_on_commit_callbacks):
    member = make_member("93001")
    with django_capture_on_commit_callbacks(execute=True):
        from tenants.services import grant_membership

        grant_membership(member, "nouvelle@aubervilliers.test", "agent")
    assert "l'espace membre « CCAS d'Aubervilliers »" in mail.outbox[-1].body


@pytest.mark.parametrize(
    "status, sentence, wrong",
    [
        (
            MemberCCAS.Status.SUSPENDED,
            "Cet espace est suspendu par l'union. Ses données sont conservées.",
            "a quitté",
        ),
        (
            MemberCCAS.Status.LEFT,
            "Ce membre a quitté l'union : son espace est fermé. Ses données sont conservées.",
            "suspendu",
        ),
    ],
)
def test_closed_space_says_why_in_one_sentence(status, sentence, wrong):
    member = make_member("93055")
    director = make_person(member, "dir@pantin.test")
    set_member_status(member, status)
    response = member_client(member, director).get("/")
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 403
    assert sentence in page and wrong not in page
    assert "Espace membre — CCAS de Pantin" in page
    assert "est actuellement" not in page


def test_directory_link_names_the_space_without_a_broken_article(portal):
    make_member("93007")
    page = portal.get("/membres/").content.decode()
    assert 'Espace<span class="visually-hidden"> membre — CCAS du Blanc-Mesnil</span>' in page
    assert "de CCAS" not in page

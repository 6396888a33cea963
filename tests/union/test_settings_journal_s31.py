"""Session 31 audit, the union's settings and journal: the legal details typed in the admin
(SIRET, RNA, phones, accessibility audit) are checked and stored as the pages show them, and the
accessibility statement follows the RGAA's wording; the union's audit journal in the Django admin
speaks French (columns, filters, actions, search). Real HTTP through the test client."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import host_client
from union.audit import record_audit
from union.demo import DEMO_IDENTITY
from union.models import UnionSettings

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser(
        "admin@union.test", "admin@union.test", "motdepasse-de-test-42"
    )


def settings_form(**changes) -> dict:
    """The whole settings form as the admin posts it: the demo's identity, with `changes`."""
    data = {
        "name": DEMO_IDENTITY["name"],
        "legal_form": "Association régie par la loi du 1er juillet 1901",
        "siret": "",
        "rna": DEMO_IDENTITY["rna"],
        "address": DEMO_IDENTITY["address"],
        "phone": DEMO_IDENTITY["phone"],
        "email": DEMO_IDENTITY["email"],
        "opening_hours": DEMO_IDENTITY["opening_hours"],
        "publication_director": DEMO_IDENTITY["publication_director"],
        "publication_director_role": DEMO_IDENTITY["publication_director_role"],
        "host_name": DEMO_IDENTITY["host_name"],
        "host_address": DEMO_IDENTITY["host_address"],
        "host_phone": DEMO_IDENTITY["host_phone"],
        "accessibility_audit_date": "",
        "accessibility_auditor": "",
        "accessibility_rate": "",
        "accessibility_statement_date": "",
    }
    data.update(changes)
    return data


def post_settings(superuser, **changes):
    settings = UnionSettings.load()
    client = host_client("localhost", superuser)
    url = f"/admin/settings/union/unionsettings/{settings.pk}/"
    return client.post(url, settings_form(**changes))


def field_errors(response) -> dict[str, str]:
    """The errors of the form, by field name: the text of the field's wrapper, whitespace
    collapsed (the wrapper holds the label, the input and its error)."""
    page = soup(response)
    errors = {}
    for name in settings_form():
        field = page.find(attrs={"name": name})
        wrapper = field.find_parent(attrs={"data-field-wrapper": True}) if field else None
        error = wrapper.find(class_="error-message") if wrapper else None
        if error is not None:
            errors[name] = words(error)
    return errors


# --- 1. The legal details -----------------------------------------------------------------------


def test_malformed_legal_details_are_refused_with_french_errors(superuser):
    future = timezone.localdate() + datetime.timedelta(days=1)
    response = post_settings(
        superuser,
        siret="123 456",
        rna="X12",
        phone="abc",
        host_phone="12",
        accessibility_audit_date=future.isoformat(),
        accessibility_rate="101",
    )
    assert response.status_code == 200  # the form again, not saved
    errors = field_errors(response)
    assert errors["siret"].startswith("Un numéro SIRET compte 14 chiffres")
    assert errors["rna"] == " ".join(
        "Un numéro RNA s'écrit « W » suivi de 9 chiffres (ex. : W931234567).".split()
    )
    assert errors["phone"].startswith("Numéro de téléphone invalide")
    assert errors["host_phone"].startswith("Numéro de téléphone invalide")
    assert errors["accessibility_audit_date"].startswith("Cette date est dans le futur")
    assert errors["accessibility_rate"] == "Un taux de conformité va de 0 à 100 %."
    settings = UnionSettings.load()
    assert settings.siret == "" and settings.accessibility_audit_date is None


def test_a_siret_with_a_wrong_key_is_refused_but_la_postes_rule_is_kept(superuser):
    from union.models import validate_siret

    errors = field_errors(post_settings(superuser, siret="123 456 789 00012"))
    assert errors["siret"].startswith("Ce numéro SIRET n'existe pas")
    validate_siret("356 000 000 49837")  # La Poste: digits adding up to a multiple of 5
    validate_siret("35600000000048")  # La Poste's head office: a right Luhn key
    with pytest.raises(ValidationError):
        validate_siret("35600000049838")


def test_right_legal_details_are_stored_as_the_pages_show_them(superuser, portal):
    audited = timezone.localdate() - datetime.timedelta(days=10)
    response = post_settings(
        superuser,
        siret="732 829 320 00074",
        rna="w 930 000 000",
        phone="01.48.30.12.34",
        host_phone="+33 1 48 30 12 35",
        accessibility_audit_date=audited.isoformat(),
        accessibility_rate="100",
    )
    assert response.status_code == 302, field_errors(response)
    settings = UnionSettings.load()
    assert settings.siret == "73282932000074"
    assert settings.rna == "W930000000"
    assert settings.phone == "01 48 30 12 34"
    assert settings.host_phone == "01 48 30 12 35"
    notice = words(soup(portal.get("/mentions-legales/")))
    assert "SIRET 73282932000074" in notice and "Numéro RNA W930000000" in notice
    assert "Maillage est totalement conforme" in words(soup(portal.get("/accessibilite/")))


def test_an_audit_needs_its_date_and_its_rate(superuser):
    errors = field_errors(post_settings(superuser, accessibility_rate="80"))
    assert errors["accessibility_audit_date"].startswith("Un audit a une date et un taux")
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    errors = field_errors(post_settings(superuser, accessibility_audit_date=yesterday))
    assert errors["accessibility_rate"].startswith("Un audit a une date et un taux")


@pytest.mark.parametrize(
    ("rate", "audited_days_ago", "status"),
    [
        (100, 10, "totalement conforme"),
        (50, 10, "partiellement conforme"),
        (49, 10, "non conforme"),
        (100, None, "non conforme"),  # no audit
        (100, 3 * 366, "non conforme"),  # an audit older than three years
        (100, -30, "non conforme"),  # a future date typed before the admin refused them
    ],
)
def test_the_accessibility_statement_says_what_the_rgaa_allows(
    portal, rate, audited_days_ago, status
):
    settings = UnionSettings.load()
    settings.accessibility_rate = rate
    settings.accessibility_audit_date = (
        None
        if audited_days_ago is None
        else timezone.localdate() - datetime.timedelta(days=audited_days_ago)
    )
    settings.save()
    text = words(soup(portal.get("/accessibilite/")))
    assert f"Maillage est {status} avec le RGAA 4.1.2." in text
    assert ("Un audit réalisé le" in text) == (status != "non conforme" or rate == 49)


# --- 4. The union's journal in the Django admin --------------------------------------------------


def test_the_unions_journal_speaks_french(superuser, bondy):
    actor = get_user_model().objects.create_user("equipe@union.test", "equipe@union.test", "x")
    record_audit("member.status", actor=actor, member=bondy, target=bondy.name)
    record_audit("account.created", actor=actor, target="nouveau@union.test")
    record_audit("some.unknown_code", target="x")
    client = host_client("localhost", superuser)
    page = soup(client.get("/django-admin/union/auditentry/"))

    headers = [words(th) for th in page.select("#result_list thead th")]
    assert headers == ["Date", "Action", "Auteur", "Membre", "Objet"]
    actions = [words(td) for td in page.select("#result_list td.field-action_text")]
    assert sorted(actions) == [
        "Compte créé",
        "Membre inscrit sur la plateforme",  # Bondy's onboarding
        "Statut d'adhésion modifié",
        "some.unknown_code",
    ]
    filters = [words(summary) for summary in page.select("#changelist-filter details summary")]
    assert filters == ["Par action", "Par membre"]
    choices = [words(a) for a in page.select("#changelist-filter details ul")[0].select("a")]
    assert choices == [
        "Tout",
        "Compte créé",
        "Membre inscrit sur la plateforme",
        "some.unknown_code",
        "Statut d'adhésion modifié",
    ]
    assert words(page.find(id="changelist-search-form")) == (
        "Rechercher dans les entrées du journal de l'union"
    )
    assert "member.status" not in words(page.find(id="result_list"))

    # The filter by action keeps its rows only.
    filtered = soup(client.get("/django-admin/union/auditentry/?action=member.status"))
    rows = [words(td) for td in filtered.select("#result_list td.field-action_text")]
    assert rows == ["Statut d'adhésion modifié"]

"""Profile: edit with services, publication in the portal directory, API."""

import pytest
from django_tenants.utils import schema_context

from tenants.models import PublicMemberProfile
from tenants.workspace.models import Profile
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

PROFILE_POST = {
    "legal_name": "Centre communal d'action sociale de Bondy",
    "kind": "CCAS",
    "address": "1 place de la mairie",
    "postal_code": "93140",
    "city": "Bondy",
    "phone": "01 48 50 00 00",
    "email": "ccas@bondy.test",
    "website": "",
    "director_name": "Dominique Martin",
    "opening_hours": "Lundi-vendredi 9h-12h",
    "services-TOTAL_FORMS": "3",
    "services-INITIAL_FORMS": "0",
    "services-0-kind": "epicerie",
    "services-0-description": "Produits à 10 % du prix",
    "services-1-kind": "other",
    "services-1-label": "Jardins partagés",
    "services-2-kind": "",
}


def test_profile_starts_from_what_the_union_knows(bondy, clients):
    page = clients["viewer"].get("/profil/").content.decode()
    assert "CCAS de Bondy" in page and "93140" in page


def test_agent_edits_profile_and_services(bondy, clients):
    response = clients["agent"].post("/profil/modifier/", PROFILE_POST)
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        profile = Profile.objects.get()
        assert profile.director_name == "Dominique Martin"
        assert [s.display_label for s in profile.services.all()] == [
            "Épicerie sociale",
            "Jardins partagés",
        ]
    assert AuditEntry.objects.filter(action="profile.updated", member=bondy).exists()


def test_profile_errors_keep_what_was_typed(bondy, clients):
    data = {**PROFILE_POST, "postal_code": "931", "services-1-label": ""}
    response = clients["agent"].post("/profil/modifier/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le code postal compte cinq chiffres." in page
    assert "Donnez un intitulé au service « Autre »." in page
    assert "Dominique Martin" in page and "Produits à 10 % du prix" in page


def test_publication_in_the_directory(bondy, clients, portal):
    clients["agent"].post("/profil/modifier/", PROFILE_POST)
    assert "Dominique" not in portal.get("/membres/").content.decode()
    # Agents can't publish.
    assert clients["agent"].post("/profil/", {"name": "on"}).status_code == 403
    clients["director"].post("/profil/", {"name": "on", "services": "on"})
    page = portal.get("/membres/").content.decode()
    assert "Centre communal d&#x27;action sociale de Bondy" in page
    assert "Jardins partagés" in page
    assert "01 48 50 00 00" not in page  # contact not chosen
    clients["director"].post("/profil/", {"contact": "on"})
    page = portal.get("/membres/").content.decode()
    assert "01 48 50 00 00" in page and "Jardins partagés" not in page
    # Later edits follow what is published.
    clients["agent"].post("/profil/modifier/", {**PROFILE_POST, "phone": "01 02 03 04 05"})
    assert "01 02 03 04 05" in portal.get("/membres/").content.decode()
    clients["director"].post("/profil/", {})
    assert not PublicMemberProfile.objects.filter(member=bondy).exists()
    assert AuditEntry.objects.filter(action="profile.publication").count() == 3


def test_profile_api(bondy, clients):
    data = clients["viewer"].get("/api/v1/profile/").json()
    assert data["legal_name"] == "CCAS de Bondy" and data["services"] == []
    body = {
        "legal_name": "CCAS de Bondy",
        "kind": "CCAS",
        "phone": "01 00 00 00 00",
        "services": [{"kind": "domiciliation", "description": "Sur rendez-vous"}],
    }
    response = clients["agent"].put("/api/v1/profile/", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["services"] == [
        {"kind": "domiciliation", "label": "", "description": "Sur rendez-vous"}
    ]
    bad = clients["agent"].put(
        "/api/v1/profile/",
        {**body, "services": [{"kind": "accueil"}, {"kind": "accueil"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "deux fois" in str(bad.json())


def test_a_postal_code_is_five_digits_0_to_9(bondy, clients):
    """The profile took « 9314² » (str.isdigit counts « ² » as a digit): it would have been
    published in the directory. The board members' rule now, digits 0 to 9."""
    response = clients["agent"].post("/profil/modifier/", {**PROFILE_POST, "postal_code": "9314²"})
    assert response.status_code == 200
    assert "Le code postal compte cinq chiffres." in response.content.decode()
    assert 'value="9314²"' in response.content.decode()
    with schema_context(bondy.schema_name):
        assert Profile.objects.get().postal_code == "93140"

"""A profile saved again as it was writes nothing and leaves no « Profil modifié » line in the
journal (an API client's PUT of what it just read, the form sent back unchanged); a change names
its fields."""

import pytest
from django_tenants.utils import schema_context

from tenants.journal.models import JournalEntry
from tests.workspace.test_profile import PROFILE_POST

pytestmark = pytest.mark.django_db


def journal_lines(member) -> list[dict]:
    """The member's own journal keeps the details (the union's trail does not)."""
    with schema_context(member.schema_name):
        return list(
            JournalEntry.objects.filter(action="profile.updated")
            .order_by("pk")
            .values_list("details", flat=True)
        )


def test_an_api_put_of_what_was_read_writes_no_journal_line(bondy, clients):
    first = {
        "legal_name": "CCAS de Bondy",
        "kind": "CCAS",
        "phone": "01 00 00 00 00",
        "services": [
            {"kind": "other", "label": "Jardins partagés", "description": ""},
            {"kind": "domiciliation", "label": "", "description": "Sur rendez-vous"},
        ],
    }
    agent = clients["agent"]
    assert agent.put("/api/v1/profile/", first, content_type="application/json").status_code == 200
    assert len(journal_lines(bondy)) == 1
    read = agent.get("/api/v1/profile/").json()
    again = agent.put("/api/v1/profile/", read, content_type="application/json")
    assert again.status_code == 200 and again.json() == read
    # The same services in another order are the same services.
    shuffled = {**first, "services": list(reversed(first["services"]))}
    agent.put("/api/v1/profile/", shuffled, content_type="application/json")
    assert len(journal_lines(bondy)) == 1
    agent.put(
        "/api/v1/profile/", {**read, "phone": "01 11 11 11 11"}, content_type="application/json"
    )
    (_first, change) = journal_lines(bondy)
    assert change["fields"] == ["téléphone"]


def test_the_form_sent_back_unchanged_writes_no_journal_line(bondy, clients):
    agent = clients["agent"]
    assert agent.post("/profil/modifier/", PROFILE_POST).status_code == 302
    # The form as the page now renders it: its two services are initial forms.
    assert (
        'name="services-INITIAL_FORMS" value="2"' in agent.get("/profil/modifier/").content.decode()
    )
    as_shown = {**PROFILE_POST, "services-INITIAL_FORMS": "2"}
    assert agent.post("/profil/modifier/", as_shown).status_code == 302
    assert len(journal_lines(bondy)) == 1
    services_changed = {**as_shown, "services-0-description": "Produits à 20 % du prix"}
    assert agent.post("/profil/modifier/", services_changed).status_code == 302
    assert journal_lines(bondy)[-1]["fields"] == ["services"]
    journal = clients["director"].get("/journal/")
    assert journal.status_code == 200
    assert "champs modifiés : services" in " ".join(journal.content.decode().split())

"""Union staff edit the catalogue and import references in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from abs_shared.models import Indicator, ReferenceValue
from tests.abs_shared.conftest import write_file
from tests.conftest import PASSWORD, host_client
from union import roles
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def staff(group: str):
    email = f"{group[:5].lower()}@union.test"
    user = get_user_model().objects.create_user(email, email, PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return host_client("localhost", user)


NEW_INDICATOR = {
    "code": "APA",
    "label": "Bénéficiaires de l'APA à domicile",
    "definition": "",
    "unit": "count",
    "decimals": "0",
    "source": "Département",
    "polarity": "neutral",
    "theme": "Personnes âgées",
    "break_after": "",
    "break_notes": "",
    "position": "20",
}


def test_editor_adds_and_edits_an_indicator():
    client = staff(roles.EDITOR)
    assert client.get("/admin/abs_indicators/").status_code == 200
    refused = client.post("/admin/abs_indicators/new/", {**NEW_INDICATOR, "code": "Apa 2"})
    assert refused.status_code == 200 and not Indicator.objects.filter(code="Apa 2").exists()
    assert "majuscules et chiffres, sans espace" in refused.content.decode()
    assert "Bénéficiaires de l&#x27;APA à domicile" in refused.content.decode()  # kept
    response = client.post("/admin/abs_indicators/new/", NEW_INDICATOR)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Indicator.objects.get(code="APA").source == "Département"
    edit = client.get("/admin/abs_indicators/edit/TP60/").content.decode()
    assert 'name="code"' not in edit  # the code is fixed once created
    assert "Taux de pauvreté" in edit


def test_moderators_cannot_edit_the_catalogue():
    client = staff(roles.MODERATOR)
    response = client.get("/admin/abs_indicators/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/abs/references/").status_code in (302, 403)


def test_reference_import_in_the_admin(tmp_path):
    client = staff(roles.UNION_ADMIN)
    good = write_file(
        tmp_path, "refs.csv", "level;code;indicator;year;value\nfrance;FRM;CHOM;2021;12,4\n"
    )
    with good.open("rb") as handle:
        response = client.post(
            "/admin/abs/references/", {"file": handle, "source": "INSEE RP 2021"}
        )
    assert response.status_code == 302
    ref = ReferenceValue.objects.get()
    assert str(ref.value) == "12.4000" and ref.source == "INSEE RP 2021"
    assert AuditEntry.objects.filter(action="abs.references.import").exists()
    bad = write_file(
        tmp_path, "bad.csv", "level;code;indicator;year;value\nfrance;FRM;CHOM;deux;12\n"
    )
    with bad.open("rb") as handle:
        refused = client.post("/admin/abs/references/", {"file": handle})
    page = refused.content.decode()
    assert refused.status_code == 400 and "Erreur – " in page
    assert "rien n'a été importé" in page and "deux" in page
    assert ReferenceValue.objects.count() == 1


def test_reference_import_refuses_a_file_over_the_limit(tmp_path, monkeypatch):
    # The limit (50 Mo) lowered to 1 kB: the same check, without writing 50 Mo in each run.
    monkeypatch.setattr("abs_shared.admin_views.MAX_REFERENCE_BYTES", 1024)
    client = staff(roles.UNION_ADMIN)
    rows = "".join(f"france;FRM;CHOM;{year};12,4\n" for year in range(1990, 2026))
    big = write_file(tmp_path, "refs.csv", "level;code;indicator;year;value\n" + rows * 2)
    with big.open("rb") as handle:
        response = client.post("/admin/abs/references/", {"file": handle})
    assert response.status_code == 400
    assert "Le fichier dépasse 50 Mo (" in response.content.decode()
    assert not ReferenceValue.objects.exists()

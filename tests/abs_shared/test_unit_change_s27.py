"""Session 27: a value a member typed before the union changed its indicator's unit is neither
validated nor published until the member saves it again. The union may change a unit while
nothing is published (its catalogue form), but cannot read members' drafts: 8 households typed
as an « effectif » went out as 8 % (and a count under 11 as a rate escapes the secret).

Real requests through the member's pages on a real PostgreSQL; two members whose primary keys
collide (the same indicator, the same observation id)."""

import pytest
from bs4 import BeautifulSoup

from abs_shared.models import Indicator, PublishedValue
from tests.abs_shared.conftest import observations_of, observe
from tests.abs_shared.test_abs_followups_s26 import edit_data
from tests.abs_shared.test_admin import NEW_INDICATOR, staff
from tests.conftest import make_person, member_client
from union import roles

pytestmark = pytest.mark.django_db

LEFT_OUT = (
    "1 valeur laissée de côté, l'union ayant changé l'unité de l'indicateur depuis la saisie : "
    "« Bénéficiaires de l'APA à domicile » (2024)."
)


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(page.get_text(" ").split())


def change_unit_to_percent(editor):
    response = editor.post("/admin/abs_indicators/edit/APA/", edit_data("APA", unit="percent"))
    assert response.status_code == 302
    assert Indicator.objects.get(code="APA").unit == Indicator.Unit.PERCENT


@pytest.fixture
def editor():
    """The union's editor, who has added a count indicator (nothing published: its unit may
    still change)."""
    client = staff(roles.EDITOR)
    assert client.post("/admin/abs_indicators/new/", NEW_INDICATOR).status_code == 302
    return client


def directors(bondy, montreuil):
    return (
        member_client(bondy, make_person(bondy, "direction@bondy.test")),
        member_client(montreuil, make_person(montreuil, "direction@montreuil.test")),
    )


def test_a_draft_typed_before_the_unit_changed_is_not_validated_until_saved_again(
    two_members, editor
):
    bondy, montreuil = two_members
    observe(bondy, "APA", 2024, 8)  # 8 bénéficiaires, an « effectif »
    change_unit_to_percent(editor)
    observe(montreuil, "APA", 2024, "12.5")  # typed after: a rate, same observation id
    bondy_client, montreuil_client = directors(bondy, montreuil)

    page = text_of(bondy_client.get("/abs/"))
    assert "unité changée depuis la saisie : à vérifier" in page
    assert "unité changée" not in text_of(montreuil_client.get("/abs/"))

    page = text_of(bondy_client.post("/abs/valider/", {"selection-year": "2024"}, follow=True))
    assert LEFT_OUT in page
    assert "Vérifiez chacune dans la nouvelle unité et enregistrez-la de nouveau" in page
    assert [obs.state for obs in observations_of(bondy)] == ["draft"]
    # Montreuil's value, typed in the new unit, validates.
    montreuil_client.post("/abs/valider/", {"selection-year": "2024"})
    assert [obs.state for obs in observations_of(montreuil)] == ["validated"]

    # Its form says what changed; saved again (checked in the new unit), it validates.
    (observation,) = observations_of(bondy)
    form = text_of(bondy_client.get(f"/abs/observations/{observation.pk}/modifier/"))
    assert "saisie en « effectif », désormais en « % »" in form
    response = bondy_client.post(
        f"/abs/observations/{observation.pk}/modifier/", {"value": "3,2", "source": "CD93"}
    )
    assert response.status_code == 302
    bondy_client.post("/abs/valider/", {"selection-year": "2024"})
    assert [(obs.state, obs.unit) for obs in observations_of(bondy)] == [("validated", "percent")]


def test_a_value_validated_before_the_unit_changed_is_not_published(two_members, editor):
    bondy, montreuil = two_members
    observe(bondy, "APA", 2024, 8)
    bondy_client, _ = directors(bondy, montreuil)
    bondy_client.post("/abs/valider/", {"selection-year": "2024"})
    change_unit_to_percent(editor)

    page = text_of(bondy_client.post("/abs/publier/", {"selection-year": "2024"}, follow=True))
    assert LEFT_OUT in page
    assert "Aucune valeur validée à publier (2024)" in page
    assert not PublishedValue.objects.filter(indicator_id="APA").exists()
    # The API's publication leaves it out too.
    response = bondy_client.post(
        "/api/v1/observations/publish", {"year": 2024}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json() == {"published": 0}
    assert not PublishedValue.objects.filter(indicator_id="APA").exists()

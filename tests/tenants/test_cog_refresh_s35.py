"""A COG refresh marks the communes and EPCI the new vintage no longer lists as former (session
35, audit A17 #1): their rows stay (members and registrations point at them, PROTECT), but the
matcher leads their name and code to the commune that absorbed them, a new member cannot be
created on them, and `import_cog` names who still points at them."""

from io import StringIO

import pytest
from django.core.management import call_command

from seminars.models import Registration
from tenants.cog import data_dir
from tenants.matching import CommuneIndex, reset_index
from tenants.models import Commune, Intercommunality, MemberCCAS
from tenants.services import OnboardingError, onboard_member
from tests.conftest import make_member
from tests.seminars.conftest import make_seminar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    """The process-wide index must not keep the rows these tests add and roll back."""
    reset_index()
    yield
    reset_index()


def leave_pierrefitte_behind() -> Commune:
    """The row a vintage older than 2025 left: Pierrefitte-sur-Seine, since merged into
    Saint-Denis (93066), with Saint-Denis's groupings, and an EPCI since dissolved."""
    saint_denis = Commune.objects.get(code="93066")
    Intercommunality.objects.create(
        siren="200000093", nom="Communauté dissoute", kind=Intercommunality.Kind.CC
    )
    return Commune.objects.create(
        code="93059",
        nom="Pierrefitte-sur-Seine",
        departement_id="93",
        region_id="11",
        population=30000,
        codes_postaux=["93380"],
        epci_id=saint_denis.epci_id,
        ept_id=saint_denis.ept_id,
        match_key="pierrefitte sur seine",
    )


def refresh_cog() -> str:
    out = StringIO()
    call_command("import_cog", "--path", str(data_dir()), stdout=out)
    return out.getvalue()


def test_a_commune_the_vintage_no_longer_lists_becomes_former_and_leads_to_saint_denis():
    leave_pierrefitte_behind()
    member = make_member("93059")
    Registration.objects.create(
        seminar=make_seminar(),
        nom="Durand",
        prenom="Alice",
        email="alice@exemple.fr",
        commune_id="93059",
        fonction="maire",
    )

    # And rows flagged former by an earlier refresh, listed again by this vintage.
    Commune.objects.filter(code="93010").update(current=False)
    Intercommunality.objects.filter(siren="200057875").update(current=False)

    output = refresh_cog()  # once in this file: a whole COG load takes about a minute

    assert Commune.objects.get(code="93010").current is True
    assert Intercommunality.objects.get(siren="200057875").current is True
    pierrefitte = Commune.objects.get(code="93059")  # kept: a member points at it
    assert pierrefitte.current is False
    assert Intercommunality.objects.get(siren="200000093").current is False
    assert Commune.objects.get(code="93066").current is True
    assert (
        "Ne figurent plus dans ce millésime, marqués anciens et conservés pour ce qui les "
        "désigne encore\u00a0: 1 commune et 1 EPCI/EPT.\n"
    ) in output
    assert f"  - {member.name} (Pierrefitte-sur-Seine, 93059)\n" in output
    assert "1 inscription à un événement désigne une commune ancienne." in output

    # The matcher: its name and its code lead to the commune that absorbed it.
    index = CommuneIndex.from_database()
    for typed in ("Pierrefitte-sur-Seine", "93059", "pierrefitte sur seine"):
        result = index.match(typed, "93", "departement")
        assert result.status == "matched", (typed, result.as_dict())
        assert result.commune.code == "93066", typed
    assert "93059" not in index.by_code
    # A CIAS of Plaine Commune (Saint-Denis's EPT) serves current communes only.
    plaine_commune = MemberCCAS(kind=MemberCCAS.Kind.CIAS, intercommunality_id=pierrefitte.ept_id)
    covered = set(plaine_commune.covered_communes().values_list("code", flat=True))
    assert "93066" in covered and "93059" not in covered


def flag_former(pierrefitte: Commune) -> None:
    """What refresh_cog leaves (the test above), without loading the whole COG again."""
    Commune.objects.filter(pk=pierrefitte.pk).update(current=False)
    Intercommunality.objects.filter(siren="200000093").update(current=False)
    reset_index()


def test_a_new_member_on_a_former_commune_is_refused_naming_the_current_one():
    flag_former(leave_pierrefitte_behind())
    with pytest.raises(OnboardingError) as refused:
        onboard_member("93059")
    assert str(refused.value) == (
        "Pierrefitte-sur-Seine (93059) est une ancienne commune, aujourd'hui partie de "
        "Saint-Denis (93066). Utilisez le code 93066."
    )
    assert not MemberCCAS.objects.filter(commune_id="93059").exists()
    # Nor a CIAS of a dissolved EPCI.
    with pytest.raises(OnboardingError) as refused:
        onboard_member("93066", kind=MemberCCAS.Kind.CIAS, epci_siren="200000093")
    assert "Communauté dissoute (SIREN 200000093) ne figure plus" in str(refused.value)
    # A former code the database never held (a fresh load) leads to the same advice.
    with pytest.raises(OnboardingError) as refused:
        onboard_member("74011")  # Annecy-le-Vieux, part of Annecy since 2017
    assert str(refused.value) == (
        "Le code INSEE 74011 est celui d'une ancienne commune, aujourd'hui partie d'Annecy "
        "(74010). Utilisez le code 74010."
    )


def test_former_communes_are_neither_served_by_a_cias_nor_offered_to_fix_a_registration():
    """A former commune keeps the groupings of its last vintage: a CIAS of Plaine Commune does
    not serve it (members-only events, the experiences' filter), and an organiser correcting a
    flagged commune cannot pick it."""
    from knowledge_base.listing import communes_served_by
    from seminars.services import member_communes
    from tests.conftest import host_client
    from tests.seminars.conftest import organiser

    pierrefitte = leave_pierrefitte_behind()
    flag_former(pierrefitte)
    cias = make_member("93066", kind=MemberCCAS.Kind.CIAS, epci_siren=pierrefitte.ept_id)
    served = set(
        communes_served_by(MemberCCAS.objects.filter(pk=cias.pk)).values_list("pk", flat=True)
    )
    assert "93066" in served and "93059" not in served
    members = set(member_communes().values_list("code", flat=True))
    assert "93066" in members and "93059" not in members

    seminar = make_seminar()
    flagged = Registration.objects.create(
        seminar=seminar,
        nom="Durand",
        prenom="Alice",
        email="alice@exemple.fr",
        commune_typed="Pierefite",
        commune_status=Registration.CommuneStatus.FLAGGED,
        fonction="maire",
    )
    response = host_client("localhost", organiser()).post(
        f"/admin/inscriptions/{seminar.pk}/communes/",
        {"registration": flagged.pk, "code": "93059"},
    )
    assert "Choisissez la commune" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.commune_id is None and flagged.commune_status == "flagged"

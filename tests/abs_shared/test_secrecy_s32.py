"""Session 32's statistical-secrecy audit: the portrait of a commune whose CCAS is no member
showed its territories' totals of counts (RSA households, domiciliations), which every other page
leaves out: a territory's total minus its communes' published counts gives a secret count away."""

import pytest

from abs_shared.models import FRANCE_CODE, Indicator, ReferenceValue
from tenants.models import MemberCCAS
from tests.abs_shared.conftest import observe_and_publish, pool_member, pool_value
from tests.abs_shared.test_cias_counts_and_choices import EST_ENSEMBLE
from tests.abs_shared.test_review_s29_exports import csv_rows, pdf_text, xlsx_rows
from tests.abs_shared.test_review_session14 import director_of, page_text, row_of
from tests.conftest import host_client, make_member, plain

pytestmark = pytest.mark.django_db


@pytest.fixture
def paris_rate_and_count(db):
    """Paris's territories (Paris's CCAS is no member): a rate and a count, each with values."""
    count = Indicator.objects.filter(unit=Indicator.Unit.COUNT).order_by("code").first()
    for level, code, rate, total in (
        ("france", FRANCE_CODE, "14.5", "1987654"),
        ("region", "11", "15.6", "234567"),
        ("departement", "75", "16.2", "43219"),
    ):
        ReferenceValue.objects.create(
            level=level, code=code, indicator_id="TP60", year=2021, value=rate, source="INSEE"
        )
        ReferenceValue.objects.create(
            level=level, code=code, indicator=count, year=2021, value=total, source="CAF"
        )
    return count


def test_the_portrait_and_its_files_never_show_a_territorys_count(portal, paris_rate_and_count):
    count = paris_rate_and_count
    page = portal.get("/indicateurs/communes/75056/").content.decode()
    assert "Taux de pauvreté" in page  # the rate is shown…
    assert count.label not in page  # …the count's totals are not
    for total in ("43 219", "43\u202f219", "43\u00a0219", "234 567", "1 987 654"):
        assert total not in page

    csv_text = "\n".join(
        ";".join(row) for row in csv_rows(portal.get("/indicateurs/communes/75056/?export=csv"))
    )
    assert "Taux de pauvreté" in csv_text and count.label not in csv_text
    cells = [
        cell
        for row in xlsx_rows(portal.get("/indicateurs/communes/75056/?export=xlsx"))
        for cell in row
    ]
    assert 16.2 in cells and 43219 not in cells and 43219.0 not in cells
    pdf = pdf_text(portal.get("/indicateurs/communes/75056/?export=pdf"))
    assert "16,2" in pdf and "43 219" not in pdf and count.label not in pdf


# --- a CIAS's count the portal hides is marked in the CIAS's own space ----------------------


def test_a_cias_sees_which_of_its_counts_the_portal_hides(bondy):
    """Est Ensemble's CIAS publishes 1207 RSA households for 2021, Pantin's CCAS « s »: the
    portal shows the CIAS's count as « s » (1207 minus Bondy's and Montreuil's published counts
    would give Pantin's away). Its own pages and files said 1207 with no mark."""
    cias = make_member("93053", kind=MemberCCAS.Kind.CIAS, epci_siren=EST_ENSEMBLE)
    observe_and_publish(cias, "RSA", 2021, 1207)
    observe_and_publish(bondy, "RSA", 2021, 500)
    pool_value(pool_member("93048"), "RSA", 2021, 700)
    pool_value(pool_member("93055"), "RSA", 2021, "s")
    portal = csv_rows(
        host_client("localhost").get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/?export=csv")
    )
    assert row_of(portal, "Foyers")[2] == "s"

    client = director_of(cias, "cias-est-ensemble")
    listing = plain(page_text(client.get("/abs/?annee=2021")))
    assert "1 207 (publiée comme secrète : « s » sur le portail)" in listing.replace("\u202f", " ")
    rows = csv_rows(client.get("/abs/portrait/?annee=2021&export=csv"))
    assert row_of(rows, "Foyers")[rows[1].index("Valeur")].endswith("(secret sur le portail)")

    # Bondy's count (a CCAS, primary keys colliding with the CIAS's schema) stays unmarked.
    bondy_rows = csv_rows(director_of(bondy, "bondy").get("/abs/portrait/?annee=2021&export=csv"))
    assert (
        "secret sur le portail" not in row_of(bondy_rows, "Foyers")[bondy_rows[1].index("Valeur")]
    )

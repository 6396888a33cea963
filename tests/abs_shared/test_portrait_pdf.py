"""The portrait as a PDF (`?export=pdf`), for a CCAS's board: the page's values, references and
change in words, secrets as « s », counts alone, the year asked, the member's own drafts marked
and never another member's, and the document's metadata. Read back with pypdf."""

import io
import re

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from abs_shared.models import DEMO_SOURCE, Indicator
from abs_shared.presenters import CHANGE_HEADER, COUNT_NOTE
from tenants.models import MemberCCAS
from tests.abs_shared.conftest import (
    observe,
    observe_and_publish,
    pool_member,
    pool_value,
    reference,
)
from tests.conftest import host_client, make_person, member_client
from union.formats import long_date

pytestmark = pytest.mark.django_db

CIAS = MemberCCAS.Kind.CIAS
EST_ENSEMBLE = "200057875"
SECRET = "43.21"  # Bondy's DEP100 2021, published over 8 households: pooled as secret
SECRET_SHOWN = ("43,2", "43.2")
COUNT_TOTAL = 987654  # the département's RSA households: a count's reference, never shown


@pytest.fixture
def bondy_pool(db):
    """Bondy: TP60 2020 26 and 2021 27.14, DEP100 2021 secret, RSA (a count) 2021 1648, MED
    2021 19215; Montreuil beside it. References of the département (93) and France."""
    bondy, montreuil = pool_member("93010"), pool_member("93048")
    pool_value(bondy, "TP60", 2020, 26)
    pool_value(bondy, "TP60", 2021, "27.14")
    pool_value(bondy, "DEP100", 2021, SECRET, denominator=8)
    pool_value(bondy, "RSA", 2021, 1648)
    pool_value(bondy, "MED", 2021, 19215)
    pool_value(montreuil, "TP60", 2021, 20)
    pool_value(montreuil, "DEP100", 2021, "35.5")
    pool_value(montreuil, "RSA", 2021, 2400)
    reference("departement", "93", "TP60", 2020, "27.6")
    reference("departement", "93", "TP60", 2021, "28.4")
    reference("france", "FRM", "TP60", 2021, "14.5")
    reference("departement", "93", "DEP100", 2021, "31.7")
    reference("departement", "93", "RSA", 2021, COUNT_TOTAL)
    return bondy


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    """The document's text, thousands separators (narrow no-break spaces) as plain spaces."""
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[\u202f\u00a0]", " ", text)


def flat(text: str) -> str:
    """Line breaks of wrapped cells and paragraphs as spaces, to find a phrase."""
    return " ".join(text.split())


def test_the_commune_portrait_as_a_pdf(portal, bondy_pool):
    response = portal.get("/indicateurs/communes/93010/?export=pdf")
    reader = pdf_of(response)
    assert 'filename="portrait-93010.pdf"' in response["Content-Disposition"]
    text = flat(text_of(reader))
    assert "Portrait de Bondy" in text
    assert "dernière année disponible de chaque indicateur" in text
    # The page's sentence saying what Bondy is compared with.
    assert re.search(r"comparée aux communes de [\d ]+ à [\d ]+ habitants\.", text)
    # A table per theme, with the page's columns.
    assert "Revenus et pauvreté" in text
    assert "Évolution depuis l'année publiée précédente" in text and "Seine-Saint-Denis" in text
    assert "Médiane des membres" in text and "Rang parmi les membres" in text
    # Values, references and the change, in French formats.
    assert "27,1" in text and "28,4" in text and "14,5" in text
    assert "hausse de 1,1 pt depuis 2020" in text
    assert "19 215" in text
    # Notes: change, counts, secrecy, sources; when and by what it was produced.
    assert flat(COUNT_NOTE) in text
    assert "« s » : secret statistique" in text
    assert "Sources des valeurs : test." in text
    produced = f"Document produit le {long_date(timezone.localdate(), weekday=False)}"
    assert produced in text and f"Maillage – {settings.PLATFORM_NAME}" in text
    assert "Données de démonstration" not in text  # not the demo: no demo notice


def test_a_secret_prints_s_and_its_number_never(portal, bondy_pool):
    text = flat(text_of(pdf_of(portal.get("/indicateurs/communes/93010/?export=pdf"))))
    # Its row: label and source, year, « s », no change; then the département's 31,7 (no gap:
    # the page has none either).
    assert "prestations (%) – Source : test 2021 s – n.d. 31,7" in text
    assert not any(shown in text for shown in SECRET_SHOWN)


def test_a_count_has_no_reference_total(portal, bondy_pool):
    text = text_of(pdf_of(portal.get("/indicateurs/communes/93010/?export=pdf")))
    assert "1 648" in text
    assert "987 654" not in text and "987654" not in text
    # Nor Montreuil's count, nor a median or rank among members for a count.
    assert "2 400" not in text


def test_the_year_asked_is_the_years_values(portal, bondy_pool):
    response = portal.get("/indicateurs/communes/93010/?annee=2020&export=pdf")
    reader = pdf_of(response)
    assert 'filename="portrait-93010-2020.pdf"' in response["Content-Disposition"]
    assert reader.metadata.title == "Portrait de Bondy, 2020"
    text = flat(text_of(reader))
    assert "Portrait de Bondy, 2020" in text and "valeurs de 2020" in text
    assert "26,0" in text and "27,6" in text  # Bondy's 2020 and the département's
    assert "27,1" not in text and "28,4" not in text  # not 2021's
    assert "n.d." in text  # an indicator without a value in 2020


def test_a_year_without_values_is_ignored_and_leaves_no_message(portal, bondy_pool):
    text = text_of(pdf_of(portal.get("/indicateurs/communes/93010/?annee=1990&export=pdf")))
    assert "27,1" in text  # each indicator's latest year
    page = portal.get("/indicateurs/communes/93010/").content.decode()
    assert "ignorée" not in page  # the file carried no message for the next page


def test_the_pages_offer_the_pdf_for_the_year_shown(portal, bondy_pool):
    page = portal.get("/indicateurs/communes/93010/").content.decode()
    assert '<a href="?export=pdf" download>Télécharger le portrait (PDF)</a>' in page
    page = portal.get("/indicateurs/communes/93010/?annee=2020").content.decode()
    assert '<a href="?annee=2020&amp;export=pdf" download>Télécharger le portrait (PDF)</a>' in page


def test_the_documents_metadata(portal, bondy_pool):
    reader = pdf_of(portal.get("/indicateurs/communes/93010/?export=pdf"))
    assert reader.metadata.title == "Portrait de Bondy"
    assert reader.metadata.author == settings.PLATFORM_NAME
    assert "commune 93010" in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_the_header_row_is_repeated_on_each_page(portal, db):
    """Fourteen indicators without a theme: one table (« Autres indicateurs »), longer than the
    first page."""
    Indicator.objects.update(theme="")
    bondy = pool_member("93010")
    for indicator in Indicator.objects.all():
        pool_value(bondy, indicator.code, 2021, 1500)
    reader = pdf_of(portal.get("/indicateurs/communes/93010/?export=pdf"))
    pages = [flat(page.extract_text()) for page in reader.pages]
    assert len(pages) >= 2
    assert "Autres indicateurs" in pages[0] and "Autres indicateurs" not in pages[1]
    # The table goes on over the second page, under its header again.
    assert pages[1].startswith(f"Indicateur Année Valeur {flat(CHANGE_HEADER)}")
    assert "Position parmi les membres" not in pages[0]


def test_a_portrait_without_values_says_so(portal, db):
    pool_member("93066")  # a member that has published nothing yet (a non-member is said apart)
    reader = pdf_of(portal.get("/indicateurs/communes/93066/?export=pdf"))
    text = flat(text_of(reader))
    assert "Portrait de Saint-Denis" in text
    assert "Saint-Denis n'a encore publié aucun indicateur." in text
    reader = pdf_of(portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/?export=pdf"))
    assert "Le CIAS d'Est Ensemble n'a encore publié aucun indicateur." in flat(text_of(reader))
    # An unknown commune has no page, and no PDF.
    assert portal.get("/indicateurs/communes/99999/?export=pdf").status_code == 404


def test_the_intercommunality_portrait_as_a_pdf(portal, db):
    cias = pool_member("93010", CIAS, EST_ENSEMBLE)
    pool_value(cias, "TP60", 2021, 40)
    pool_value(pool_member("93066", CIAS, "200057867"), "TP60", 2021, 30)
    pool_value(pool_member("93010"), "TP60", 2021, 25)  # Bondy's CCAS: never in it
    reference("epci", EST_ENSEMBLE, "TP60", 2021, 22)
    response = portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/?export=pdf")
    reader = pdf_of(response)
    assert f'filename="portrait-{EST_ENSEMBLE}.pdf"' in response["Content-Disposition"]
    text = flat(text_of(reader))
    assert "Portrait d'Est Ensemble" in text
    assert "jamais à celles des communes" in text
    assert "40,0" in text and "22,0" in text and "Médiane des CIAS" in text
    assert "25,0" not in text
    assert f"intercommunalité, SIREN {EST_ENSEMBLE}" in reader.metadata.subject


def test_demo_values_carry_the_demo_notice(portal, bondy):
    observe_and_publish(bondy, "TP60", 2021, 27, source=DEMO_SOURCE)
    text = flat(text_of(pdf_of(portal.get("/indicateurs/communes/93010/?export=pdf"))))
    assert "Données de démonstration : les valeurs affichées sont fictives" in text
    assert f"Sources des valeurs : {DEMO_SOURCE}." in text


def test_the_member_space_pdf_marks_its_drafts_and_never_shows_the_others(two_members):
    bondy, montreuil = two_members
    bondy_draft = observe(bondy, "TP60", 2021, "31.4159")
    montreuil_draft = observe(montreuil, "TP60", 2021, "22.2222")
    assert bondy_draft.pk == montreuil_draft.pk  # the collision
    observe_and_publish(bondy, "TP60", 2020, 26)
    bondy_host = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    montreuil_host = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))

    page = bondy_host.get("/abs/portrait/").content.decode()
    assert "Télécharger le portrait (PDF)</a>" in page and "marquée « brouillon »" in page

    reader = pdf_of(bondy_host.get("/abs/portrait/?export=pdf"))
    text = flat(text_of(reader))
    assert "31,4 (brouillon)" in text
    assert "hausse de 5,4 pt depuis 2020 (brouillon)" in text
    assert "Document de travail : 1 valeur de ce portrait n'est pas encore publiée" in text
    assert "22,2" not in text
    assert "document de travail" in reader.metadata.subject

    text = flat(text_of(pdf_of(montreuil_host.get("/abs/portrait/?export=pdf"))))
    assert "22,2 (brouillon)" in text
    assert "31,4" not in text and "26,0" not in text

    # The year asked in the member space too.
    text = flat(text_of(pdf_of(bondy_host.get("/abs/portrait/?annee=2020&export=pdf"))))
    assert "26,0" in text and "31,4" not in text and "Document de travail" not in text

    # Nobody else gets the member's PDF; the portal's holds the published value only.
    assert member_client(bondy).get("/abs/portrait/?export=pdf").status_code == 302
    assert (
        montreuil_host.get("/abs/portrait/?export=pdf", HTTP_HOST=bondy.domain_name).status_code
        == 403
    )
    portal_text = flat(
        text_of(pdf_of(host_client("localhost").get("/indicateurs/communes/93010/?export=pdf")))
    )
    assert "26,0" in portal_text and "31,4" not in portal_text

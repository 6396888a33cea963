"""Session 31 audit: an experience's audiences read as a French sentence, « Utile surtout aux
agents, directeurs et directrices », not « aux Agents, Directeurs et directrices »."""

import pytest

from knowledge_base.models.pages import _inside_sentence
from tests.conftest import plain
from tests.knowledge_base.conftest import make_experience

pytestmark = pytest.mark.django_db


def audiences_said(portal, slug: str) -> str:
    html = plain(portal.get(f"/experiences/{slug}/").content.decode())
    return html.split("<dt>Utile surtout aux</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_the_audiences_are_lower_case_inside_the_sentence_with_et(kb_tree, bondy, portal):
    _, experiences = kb_tree
    make_experience(
        experiences,
        bondy,
        "Un bureau de domiciliation ouvert le soir",
        audiences=["agents", "directeurs"],
    )
    make_experience(experiences, bondy, "Une épicerie mobile", audiences=["elus"])
    make_experience(
        experiences,
        bondy,
        "Un accueil partagé",
        audiences=["elus", "agents", "partenaires"],
    )
    said = audiences_said(portal, "un-bureau-de-domiciliation-ouvert-le-soir")
    assert said == "agents, directeurs et directrices"
    assert audiences_said(portal, "une-epicerie-mobile") == "élus"
    assert audiences_said(portal, "un-accueil-partage") == "élus, agents et partenaires"


def test_an_acronym_keeps_its_capitals():
    assert _inside_sentence("CCAS et CIAS") == "CCAS et CIAS"
    assert _inside_sentence("DGS") == "DGS"
    assert _inside_sentence("Élus") == "élus"
    assert _inside_sentence("A") == "a"

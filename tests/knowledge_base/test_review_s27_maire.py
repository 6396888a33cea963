"""Session 27, the public portal read by a maire (no account), on a phone and a desktop.

- « CCAS moins de 1500 habitants »: French writes « 1 500 » (thousands apart, often with a
  no-break space), which PostgreSQL reads as two words, '1' and '500'; the '1500' typed matched
  none of them. The guide answering the question (« Un CCAS de moins de 1 500 habitants doit-il
  faire une ABS ? ») was lost among the pages holding any one word. A number of four digits or
  more typed whole now also finds it written with its thousands apart.
- The maire of Gagny, whose social action is his intercommunality's CIAS, typed « Gagny » in
  the ABS portraits: his commune's portrait said « Gagny n'a encore publié aucun indicateur. »
  and nothing else, though the CIAS of Grand Paris Grand Est publishes values for the whole
  intercommunality, Gagny included. The commune's portrait now leads to that intercommunality's.
  And the maire of a commune that is no member read the same « n'a encore publié », as if his
  CCAS had values waiting: the page now says that neither his CCAS nor a CIAS of his
  intercommunality is a member of the union.
"""

import pytest
from bs4 import BeautifulSoup

from tenants.models import MemberCCAS
from tests.abs_shared.conftest import pool_member, pool_value
from tests.conftest import plain
from tests.knowledge_base.conftest import make_guide

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    return [a.get_text() for a in BeautifulSoup(html, "html.parser").select("h3 > a")]


@pytest.fixture
def threshold_guides(kb_tree):
    index, _ = kb_tree
    make_guide(
        index,
        "Conduire l'analyse des besoins sociaux",
        summary="Un CCAS de moins de 1\u00a0500 habitants doit-il faire une ABS\u00a0? Oui.",
    )
    make_guide(
        index,
        "Composer le conseil d'administration",
        summary="Le CCAS est présidé par le maire ; habitants et associations y siègent.",
    )
    return index


@pytest.mark.parametrize("typed", ["CCAS moins de 1500 habitants", "CCAS moins de 1 500 habitants"])
def test_a_number_typed_whole_finds_it_written_with_thousands_apart(
    threshold_guides, portal, typed
):
    html = portal.get("/recherche/", {"q": typed}).content.decode()
    assert titles(html) == ["Conduire l'analyse des besoins sociaux"]
    assert "Aucun résultat ne contient tous les mots" not in html
    # The snippet marks the number as the page writes it.
    snippet = BeautifulSoup(html, "html.parser").select_one(".kb-snippet")
    assert "1 500" in plain(" ".join(m.get_text() for m in snippet.find_all("mark")))


def test_the_guides_keyword_filter_finds_the_number_too(threshold_guides, portal):
    html = portal.get("/guides/", {"q": "1500 habitants"}).content.decode()
    assert titles(html) == ["Conduire l'analyse des besoins sociaux"]


GRAND_PARIS_GRAND_EST = "200058790"  # EPT; its CIAS seated in Noisy-le-Grand (93051)


def text_of(response) -> str:
    return plain(BeautifulSoup(response.content.decode(), "html.parser").main.get_text(" "))


def test_a_commune_served_by_a_cias_leads_to_its_intercommunality_portrait(portal):
    cias = pool_member("93051", MemberCCAS.Kind.CIAS, GRAND_PARIS_GRAND_EST)
    pool_value(cias, "TP60", 2021, 20)
    response = portal.get("/indicateurs/communes/", {"q": "Gagny"}, follow=True)
    assert response.redirect_chain[-1][0] == "/indicateurs/communes/93032/"
    page = BeautifulSoup(response.content.decode(), "html.parser")
    link = page.main.find("a", href=f"/indicateurs/intercommunalites/{GRAND_PARIS_GRAND_EST}/")
    assert link is not None and plain(link.get_text()) == "Portrait de Grand Paris Grand Est"
    assert (
        "Le CIAS de Grand Paris Grand Est publie les indicateurs de toute son "
        "intercommunalité, dont Gagny" in text_of(response)
    )


def test_a_commune_that_is_no_member_is_not_said_to_have_published_nothing_yet(portal):
    pool_member("93010")  # Bondy is a member, with nothing published
    bondy = text_of(portal.get("/indicateurs/communes/93010/"))
    assert "Bondy n'a encore publié aucun indicateur." in bondy
    paris = text_of(portal.get("/indicateurs/communes/75056/"))
    assert "n'a encore publié" not in paris
    assert (
        plain(
            "Aucun indicateur publié pour Paris : ni son CCAS ni un CIAS de son intercommunalité ne "
            "sont membres de l'union."
        )
        in paris
    )

"""Proceedings pages: content, consented participants only, found by the site search."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page

from seminars.links import manage_path, page_path
from seminars.models import ProceedingsPage, Registration, SeminarPage
from seminars.services import cancel_registration, register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def make_proceedings(seminar) -> ProceedingsPage:
    proceedings = ProceedingsPage(
        title=f"Actes – {seminar.title}",
        slug="actes",
        preamble="<p>La journée a réuni les élus autour de l'analyse des besoins sociaux.</p>",
        interventions=[
            {
                "type": "intervention",
                "value": {
                    "speaker_name": "Hélène Fictive",
                    "role": "Vice-présidente",
                    "organisation": "CCAS de Bondy",
                    "quote": "Le diagnostic partagé change la façon de décider.",
                    "text": "<p>Une intervention sur la domiciliation et le non-recours.</p>",
                },
            }
        ],
        syntheses=[
            {
                "type": "synthesis",
                "value": {
                    "atelier": "Atelier A",
                    "question": "Comment mobiliser les partenaires ?",
                    "key_points": ["Conventions avec la CAF"],
                    "proposals": ["Un comité de suivi annuel"],
                },
            }
        ],
        conclusion="<p>Rendez-vous au prochain séminaire.</p>",
    )
    seminar.add_child(instance=proceedings)
    return proceedings


def test_proceedings_show_content_and_only_consenting_confirmed_participants(portal):
    seminar = make_seminar("Séminaire ABS", days_ahead=-10, seats=2)
    register_person(seminar, person(1, nom="Publique", consent=True))
    register_person(seminar, person(2, nom="Discrete", consent=False))
    waiting, _ = register_person(seminar, person(3, nom="Attente", consent=True))
    proceedings = make_proceedings(seminar)
    page = portal.get(page_path(proceedings)).content.decode()
    assert "Hélène Fictive" in page and "Le diagnostic partagé change" in page
    assert "Conventions avec la CAF" in page and "Un comité de suivi annuel" in page
    assert "PUBLIQUE" in page and "DISCRETE" not in page and "ATTENTE" not in page
    assert "<caption>Liste des participants" in page
    event_page = portal.get(page_path(seminar)).content.decode()
    assert "Lire les actes" in event_page
    cancel_registration(waiting)


def test_the_site_search_finds_proceedings_by_their_text():
    seminar = make_seminar("Séminaire ABS", days_ahead=-10)
    proceedings = make_proceedings(seminar)
    found = Page.objects.live().public().search("domiciliation")
    assert proceedings.pk in [page.pk for page in found]
    assert proceedings.pk in [p.pk for p in Page.objects.live().search("partenaires")]


def test_the_proceedings_of_an_unpublished_event_go_with_it(portal):
    seminar = make_seminar("Séminaire retiré", days_ahead=-10)
    proceedings = make_proceedings(seminar)
    path = page_path(proceedings)
    assert portal.get(path).status_code == 200
    assert path in portal.get("/recherche/", {"q": "domiciliation"}).content.decode()
    seminar.unpublish()
    assert portal.get(path).status_code == 404
    assert path not in portal.get("/recherche/", {"q": "domiciliation"}).content.decode()


def test_the_calendar_links_past_events_to_their_published_proceedings(portal):
    with_actes = make_seminar("Séminaire annuel 2025", days_ahead=-300)
    proceedings = make_proceedings(with_actes)
    draft_only = make_seminar("Journée d'étude 2025", days_ahead=-200)
    make_proceedings(draft_only).unpublish()
    make_seminar("Commission 2025", days_ahead=-100)

    listing = BeautifulSoup(portal.get("/evenements/").content, "html.parser")
    links = {
        item.h3.get_text(strip=True): [a["href"] for a in item.select(".event-meta a")]
        for item in listing.select(".event-list li")
    }
    assert links == {
        "Séminaire annuel 2025": [page_path(proceedings)],
        "Journée d'étude 2025": [],
        "Commission 2025": [],
    }


def test_a_participant_leaves_or_joins_the_published_list_from_their_page_even_after(portal):
    seminar = make_seminar("Séminaire passé")
    registration, _ = register_person(seminar, person(1, nom="Lefèvre"))
    proceedings = make_proceedings(seminar)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        start=seminar.start - timedelta(days=60), end=seminar.end - timedelta(days=60)
    )
    manage = manage_path(registration)
    page = portal.get(manage).content.decode()
    assert "Les modifications ne sont plus possibles en ligne" in page
    assert 'value="withdraw_consent"' in page
    assert "LEFÈVRE" in portal.get(page_path(proceedings)).content.decode()

    response = portal.post(manage, {"action": "withdraw_consent"}, follow=True)
    assert "Vous ne figurez plus dans la liste" in response.content.decode()
    assert 'value="give_consent"' in response.content.decode()
    assert "LEFÈVRE" not in portal.get(page_path(proceedings)).content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED and not registration.consent

    portal.post(manage, {"action": "give_consent"})
    assert "LEFÈVRE" in portal.get(page_path(proceedings)).content.decode()

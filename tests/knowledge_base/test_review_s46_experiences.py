"""Session 46's review of the knowledge base (helper session, read-only): an experience published
at the address of the title the moderators had rejected, decision e-mails naming the first title
and reaching a former agent but not the member's direction, an erased proposer shown by her
technical address, and a suspended member's experience linking to an empty directory. Each fixed
finding with its test."""

import pytest
from django.core import mail

from knowledge_base.models import ExperiencePage, Theme
from tenants.admin_views import status_consequence
from tenants.models import MemberCCAS, Membership
from tenants.services import revoke_membership
from tests.conftest import make_person, member_client
from tests.knowledge_base.conftest import make_experience
from tests.knowledge_base.test_workflow import FORM, _act, make_staff, proposal  # noqa: F401
from union.account_erasure import erase_account

pytestmark = pytest.mark.django_db

NAMED = "Le relogement de Mme Fatima Benali après l'incendie"
CORRECTED = "Un relogement d'urgence après un incendie"


def form(**changes) -> dict:
    return {**FORM, "themes": [Theme.objects.get(slug="acces-aux-droits").pk], **changes}


def revise(bondy, user, page, capture, **changes):
    with capture(execute=True):
        response = member_client(bondy, user).post(
            f"/experiences/{page.pk}/modifier/", form(**changes)
        )
    assert response.status_code == 302


def mails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


# --- F1: the address kept the title the moderators had rejected --------------------------------


def test_a_corrected_title_gives_the_published_address(
    proposal,  # noqa: F811
    bondy,
    portal,
    django_capture_on_commit_callbacks,
):
    _page, agent, moderator = proposal
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        member_client(bondy, agent).post("/experiences/proposer/", form(title=NAMED))
    page = ExperiencePage.objects.get(title=NAMED)
    page = _act(moderator, page, "reject", "Retirez le nom de la personne du titre.", capture)
    revise(bondy, agent, page, capture, title=CORRECTED)
    page = _act(moderator, page, "approve", "", capture)
    assert page.live and page.title == CORRECTED
    assert page.slug == "un-relogement-durgence-apres-un-incendie"
    assert "benali" not in page.url_path
    for address in ("/sitemap.xml", "/flux/rss/", "/api/v1/experiences/"):
        assert "benali" not in portal.get(address).content.decode().lower(), address
    assert portal.get(page.url_path.replace("/accueil", "", 1)).status_code == 200


def test_a_published_experience_keeps_its_address(kb_tree, bondy):
    _, experiences = kb_tree
    page = make_experience(
        experiences, bondy, "Une épicerie solidaire", themes=["acces-aux-droits"]
    )
    slug = page.slug
    page.title = "Une épicerie solidaire itinérante"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.slug == slug  # links already shared keep working


# --- F2 and F3: whom the decision reaches, with which title ----------------------------------


def test_a_decision_after_a_revision_names_the_current_title(
    proposal,  # noqa: F811
    bondy,
    django_capture_on_commit_callbacks,
):
    page, agent, moderator = proposal
    capture = django_capture_on_commit_callbacks
    page = _act(moderator, page, "reject", "Titre trop vague.", capture)
    new_title = "Un stand d'accès aux droits le samedi au marché Suzanne-Buisson"
    revise(bondy, agent, page, capture, title=new_title)
    mail.outbox.clear()
    _act(moderator, page, "reject", "Ajoutez le budget.", capture)
    [message] = mails_to(agent)
    assert "Suzanne-Buisson" in message.body
    assert "Des permanences d'accès aux droits au marché" not in message.body


def test_the_decision_reaches_the_direction_and_not_a_former_agent(
    proposal,  # noqa: F811
    bondy,
    django_capture_on_commit_callbacks,
):
    page, agent, moderator = proposal
    director = make_person(bondy, "direction@bondy.test")
    mail.outbox.clear()
    _act(moderator, page, "reject", "Précisez le budget.", django_capture_on_commit_callbacks)
    assert len(mails_to(agent)) == 1 and len(mails_to(director)) == 1
    assert "Précisez le budget." in mails_to(director)[0].body

    revise(bondy, agent, page, django_capture_on_commit_callbacks)
    revoke_membership(Membership.objects.get(user=agent, member=bondy))
    mail.outbox.clear()
    _act(moderator, page, "reject", "Retirez les noms.", django_capture_on_commit_callbacks)
    assert mails_to(agent) == []
    assert len(mails_to(director)) == 1


def test_a_director_who_proposed_gets_one_email(kb_tree, bondy, django_capture_on_commit_callbacks):
    moderator = make_staff("moderateur@union.test")
    director = make_person(bondy, "direction@bondy.test")
    with django_capture_on_commit_callbacks(execute=True):
        member_client(bondy, director).post("/experiences/proposer/", form())
    page = ExperiencePage.objects.get(title=FORM["title"])
    mail.outbox.clear()
    _act(moderator, page, "approve", "", django_capture_on_commit_callbacks)
    assert len(mails_to(director)) == 1
    assert "est publiée" in mails_to(director)[0].subject


# --- F4: an erased proposer was shown by her technical address ---------------------------------


def test_an_erased_proposer_reads_compte_efface(proposal, bondy):  # noqa: F811
    _page, agent, _moderator = proposal
    director = make_person(bondy, "direction@bondy.test")
    erase_account(agent, actor=None)
    listing = member_client(bondy, director).get("/experiences/").content.decode()
    assert "efface.invalid" not in listing
    assert "compte effacé" in listing


# --- F5: a suspended member's experience linked to an empty directory ---------------------------


def test_no_directory_link_for_a_member_no_longer_active(kb_tree, bondy, portal):
    _, experiences = kb_tree
    page = make_experience(
        experiences, bondy, "Une épicerie solidaire", themes=["acces-aux-droits"]
    )
    address = page.url_path.replace("/accueil", "", 1)
    assert "annuaire des membres</a>" in portal.get(address).content.decode()
    bondy.status = MemberCCAS.Status.SUSPENDED
    bondy.save()
    shown = portal.get(address).content.decode()
    assert shown.count("Une épicerie solidaire") >= 1
    assert "annuaire des membres</a>" not in shown
    said = status_consequence(MemberCCAS.Status.SUSPENDED, 2)
    assert "ses expériences publiées restent en ligne, sans lien vers l'annuaire" in said


# --- Remark: a link to a code's contents promised the article to a screen reader ---------------


def test_a_link_to_a_codes_contents_says_so(kb_tree, portal):
    from bs4 import BeautifulSoup

    from tests.knowledge_base.conftest import make_guide
    from tests.knowledge_base.test_review_panel_s31 import legal_reference, words

    guides, _experiences = kb_tree
    make_guide(
        guides,
        "Les sommaires",
        body=[
            legal_reference("https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006074069/"),
            legal_reference("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031728734"),
        ],
    )
    page = BeautifulSoup(portal.get("/guides/les-sommaires/").content.decode(), "html.parser")
    paragraphs = [words(a.parent) for a in page.select(".kb-legal a")]
    assert paragraphs == [
        "Sommaire du code sur Légifrance : Code de l'action sociale et des familles "
        "(cherchez-y l'article L123-6)",
        "Lire le texte officiel : article L123-6 du Code de l'action sociale et des familles "
        "sur Légifrance",
    ]


def test_two_experiences_corrected_to_one_title_are_both_published(
    kb_tree, bondy, django_capture_on_commit_callbacks
):
    """r5 (the review of this session's fix): the corrected slug lived only in the revision,
    so a sibling corrected to the same title took it too, and its approval answered 500."""
    capture = django_capture_on_commit_callbacks
    moderator = make_staff("moderateur@union.test")
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    pages = []
    for title in ("Une première fiche", "Une seconde fiche"):
        with capture(execute=True):
            member_client(bondy, agent).post("/experiences/proposer/", form(title=title))
        page = ExperiencePage.objects.get(title=title)
        pages.append(_act(moderator, page, "reject", "Titre à revoir.", capture))
    for page in pages:
        revise(bondy, agent, page, capture, title="Un titre commun")
    first, second = (_act(moderator, page, "approve", "", capture) for page in pages)
    assert first.live and second.live
    assert {first.slug, second.slug} == {"un-titre-commun", "un-titre-commun-2"}

"""Review of session 14: what a member hears of their proposal, French search, legal article
numbers, empty tables, login to a members-only guide, commune filter, editorial checks,
glossary, feeds, API and search extracts."""

import datetime
import html as html_module
import json
import re

import pytest
from django.core import mail
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from knowledge_base.models import ExperiencePage, GlossaryTerm
from tenants.models import Membership
from tests.conftest import host_client, make_person, member_client
from tests.knowledge_base.conftest import (
    edit_guide_in_admin,
    make_experience,
    make_guide,
    make_staff,
)
from tests.knowledge_base.test_workflow import (
    FORM,
    _act,
    _sent_back,
    proposal,  # noqa: F401 (fixture)
)
from union import roles

pytestmark = pytest.mark.django_db


# --- 1. The member hears of a publication however it happens -------------------------------


def _experience_form(page: ExperiencePage, **changes) -> dict:
    """The Wagtail editor's form of an experience, as it stands (its latest revision)."""
    page = page.get_latest_revision_as_object()
    data = {
        "title": page.title,
        "slug": page.slug,
        "member": page.member_id,
        "summary": page.summary,
        "start_date": f"{page.start_date:%Y-%m-%d}" if page.start_date else "",
        **{name: getattr(page, name) for name in ExperiencePage.NARRATIVE_FIELDS},
        "contact_name": page.contact_name,
        "contact_role": page.contact_role,
        "contact_email": page.contact_email,
        "contact_phone": page.contact_phone,
        "comments": inline_formset([]),
        **changes,
    }
    # Lists stay out of nested_form_data (it would split them into « themes-0 »…).
    return {
        **nested_form_data(data),
        "themes": [theme.pk for theme in page.themes.all()],
        "audiences": page.audiences,
    }


def _to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_publish_button_emails_the_proposer_once(
    proposal,  # noqa: F811
    bondy,
    django_capture_on_commit_callbacks,
):
    """« Publier » in the editor cancels the workflow (not « approved »): the member is told."""
    page, agent, moderator = proposal
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = host_client("localhost", moderator).post(
            f"/admin/pages/{page.pk}/edit/", _experience_form(page, **{"action-publish": "1"})
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.live
    assert WorkflowState.objects.for_instance(page).get().status == "cancelled"
    [email] = _to("agent@bondy.test")
    assert "publiée" in email.subject
    assert "/experiences/des-permanences-dacces-aux-droits-au-marche/" in email.body
    assert "Publiée" in member_client(bondy, agent).get("/experiences/").content.decode()
    # A later correction published by the union is not news to the member.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision_as_object().save_revision(user=moderator).publish(user=moderator)
    assert not _to("agent@bondy.test")


def test_approval_emails_the_proposer_once_with_the_comment(
    proposal,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    page, _agent, moderator = proposal
    mail.outbox.clear()
    _act(moderator, page, "approve", "Très claire.", django_capture_on_commit_callbacks)
    [email] = _to("agent@bondy.test")
    assert "publiée" in email.subject and "Très claire." in email.body


def test_cancelled_workflow_is_withdrawn_and_can_be_sent_again(
    proposal,  # noqa: F811
    bondy,
    django_capture_on_commit_callbacks,
):
    page, agent, moderator = proposal
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = host_client("localhost", moderator).post(
            f"/admin/pages/{page.pk}/edit/",
            _experience_form(page, **{"action-cancel-workflow": "1"}),
        )
    assert response.status_code == 302
    assert WorkflowState.objects.for_instance(page).get().status == "cancelled"
    [email] = _to("agent@bondy.test")
    assert "retirée de la relecture" in email.subject and "Modifier et renvoyer" in email.body
    client = member_client(bondy, agent)
    listing = client.get("/experiences/").content.decode()
    assert "Retirée de la relecture par l&#x27;union" in listing and "Brouillon" not in listing
    assert f'href="/experiences/{page.pk}/modifier/"' in listing
    assert client.get(f"/experiences/{page.pk}/modifier/").status_code == 200
    from knowledge_base.models import Theme

    revised = {**FORM, "themes": [Theme.objects.get(slug="acces-aux-droits").pk]}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/experiences/{page.pk}/modifier/", revised)
    assert response.status_code == 302
    states = WorkflowState.objects.for_instance(page).order_by("created_at")
    assert [state.status for state in states] == ["cancelled", "in_progress"]
    assert _to("moderateur@union.test")  # asked to review again
    assert "En cours de modération" in client.get("/experiences/").content.decode()


# --- 5. The member sees the title they sent back ---------------------------------------------


def test_revised_title_shows_in_the_members_list_and_panel(
    proposal,  # noqa: F811
    bondy,
    django_capture_on_commit_callbacks,
):
    page, agent, _moderator = _sent_back(proposal, django_capture_on_commit_callbacks)
    from knowledge_base.models import Theme

    client = member_client(bondy, agent)
    new_title = "Un stand d'accès aux droits au marché du samedi"
    revised = {
        **FORM,
        "title": new_title,
        "themes": [Theme.objects.get(slug="acces-aux-droits").pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/experiences/{page.pk}/modifier/", revised).status_code == 302
    escaped = new_title.replace("'", "&#x27;")
    listing = client.get("/experiences/").content.decode()
    assert escaped in listing and FORM["title"].replace("'", "&#x27;") not in listing
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from knowledge_base.dashboard import panel

    request = RequestFactory().get("/", HTTP_HOST=bondy.domain_name)
    request.tenant, request.user = bondy, agent
    context = panel(request)
    html = render_to_string(context["template"], context["context"])
    assert escaped in html


def test_only_writers_see_modify_link_for_a_viewer(
    proposal,  # noqa: F811
    bondy,
    django_capture_on_commit_callbacks,
):
    page, _agent, _moderator = _sent_back(proposal, django_capture_on_commit_callbacks)
    reader = make_person(bondy, "lecteur@bondy.test", Membership.Role.VIEWER)
    listing = member_client(bondy, reader).get("/experiences/").content.decode()
    assert "À modifier" in listing and "/modifier/" not in listing


# --- 2. Masculine, feminine, singular and plural find each other -----------------------------


@pytest.fixture
def french_guides(kb_tree):
    guides, _ = kb_tree
    handicap = make_guide(
        guides,
        "Le conseil d'administration",
        summary="Un représentant des associations de personnes handicapées siège au conseil.",
        themes=["gouvernance-du-ccas"],
    )
    isolement = make_guide(
        guides,
        "Rompre l'isolement",
        summary="Des appels de convivialité pour les aînés isolés du quartier.",
        themes=["seniors-et-isolement"],
    )
    return handicap, isolement


def _titles(response) -> list[str]:
    return [hit.page.title for hit in response.context["page_obj"].object_list]


@pytest.mark.parametrize("query", ["handicapées", "handicapés", "handicapes", "handicapee"])
def test_every_form_of_handicape_finds_the_guide(french_guides, portal, query):
    handicap, _ = french_guides
    response = portal.get("/recherche/", {"q": query})
    assert _titles(response) == [handicap.title]
    assert not response.context["any_word"]
    assert "<mark>handicapées</mark>" in response.content.decode()
    listing = portal.get("/guides/", {"q": query})
    assert [page.title for page in listing.context["items"]] == [handicap.title]


@pytest.mark.parametrize(
    "query", ["isolées", "isolés", "isolees", "aînées isolées", "ainees", "aînés isolés"]
)
def test_feminine_and_plural_forms_find_the_masculine_text(french_guides, portal, query):
    _, isolement = french_guides
    response = portal.get("/recherche/", {"q": query})
    assert _titles(response) == [isolement.title] and not response.context["any_word"]
    listing = portal.get("/guides/", {"q": query})
    assert [page.title for page in listing.context["items"]] == [isolement.title]


def test_stop_words_are_still_ignored(french_guides, portal):
    _, isolement = french_guides
    response = portal.get("/recherche/", {"q": "des aînés"})
    assert _titles(response) == [isolement.title] and not response.context["any_word"]


# --- 3. Legal article numbers -----------------------------------------------------------------


def _legal(article: str) -> dict:
    return {
        "type": "legal_reference",
        "value": {"code": "CASF", "article": article, "summary": "Ce que dit le texte.", "url": ""},
    }


@pytest.fixture
def legal_guides(kb_tree):
    guides, _ = kb_tree
    composition = make_guide(
        guides, "Composer le conseil", body=[_legal("L123-6")], themes=["gouvernance-du-ccas"]
    )
    fonctionnement = make_guide(
        guides, "Faire fonctionner le conseil", body=[_legal("L. 123-7")], themes=[]
    )
    return composition, fonctionnement


@pytest.mark.parametrize("query", ["L123-6", "article L123-6", "l123-6", "L. 123-6"])
def test_a_legal_article_number_finds_the_page_citing_it(legal_guides, portal, query):
    composition, _ = legal_guides
    response = portal.get("/recherche/", {"q": query})
    assert _titles(response) == [composition.title] and not response.context["any_word"]
    listing = portal.get("/guides/", {"q": query})
    assert [page.title for page in listing.context["items"]] == [composition.title]


def test_an_article_written_with_a_dot_is_found_by_its_number(legal_guides, portal):
    _, fonctionnement = legal_guides
    response = portal.get("/recherche/", {"q": "R123-7 L123-7"})
    assert _titles(response) == [fonctionnement.title]


# --- 4. An empty table is not published --------------------------------------------------------

EMPTY_TABLE = "Ce tableau est vide : remplissez-le ou supprimez le bloc."


@pytest.fixture
def editor_client():
    return host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))


@pytest.fixture
def draft_guide(kb_tree):
    guides, _ = kb_tree
    return make_guide(guides, "Le conseil d'administration", live=False)


def _body_errors(response) -> list[str]:
    error = response.context["form"].errors.as_data()["body"][0]
    return [message for block_error in error.block_errors.values() for message in block_error]


@pytest.mark.parametrize(
    "value",
    [
        "null",  # the table editor never filled
        json.dumps(
            {
                "table_caption": "Composition",
                "table_header_choice": "row",
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "data": [[None, ""], ["", " "]],
            }
        ),
    ],
)
def test_an_empty_table_cannot_be_published(draft_guide, editor_client, value):
    response = edit_guide_in_admin(editor_client, draft_guide, [("table", value)])
    assert response.status_code == 200
    assert _body_errors(response) == [EMPTY_TABLE]
    draft_guide.refresh_from_db()
    assert not draft_guide.live
    # A draft may keep it.
    draft = edit_guide_in_admin(editor_client, draft_guide, [("table", value)], publish=False)
    assert draft.status_code == 302


def test_the_table_block_description_names_its_title_field():
    from knowledge_base.blocks.reference import TableBlock

    description = str(TableBlock().meta.description)
    assert "légende" not in description and "Titre du tableau" in description


# --- 6. A members-only guide says why to log in -----------------------------------------------


@pytest.fixture
def private_guide(kb_tree):
    from wagtail.models import PageViewRestriction

    guides, _ = kb_tree
    page = make_guide(guides, "Les cent premiers jours d'un mandat", themes=["gouvernance-du-ccas"])
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page


NOTICE = (
    "Le guide « Les cent premiers jours d&#x27;un mandat » est réservé aux membres de l&#x27;union "
    "et à son équipe : connectez-vous. Pas de compte ? Demandez-le à la direction de votre CCAS "
    "ou à l&#x27;union."
)


def test_the_login_page_says_the_guide_is_for_members(private_guide, portal):
    response = portal.get(f"/guides/{private_guide.slug}/")
    assert response.status_code == 302 and response["Location"].startswith("/connexion/?next=")
    login = portal.get(response["Location"])
    assert NOTICE in login.content.decode()


@pytest.mark.parametrize(
    "next_url",
    [
        "",
        "/guides/",  # public
        "/guides/inconnu/",
        "//evil.example/guides/les-cent-premiers-jours-dun-mandat/",
        "https://evil.example/guides/les-cent-premiers-jours-dun-mandat/",
    ],
)
def test_the_login_page_says_nothing_for_other_next(private_guide, portal, next_url):
    html = portal.get("/connexion/", {"next": next_url}).content.decode()
    assert "est réservé" not in html and "Les cent premiers jours" not in html


def test_restricted_guides_are_marked_on_cards_and_page(private_guide, kb_tree):
    guides, _ = kb_tree
    make_guide(guides, "Un guide public", themes=["gouvernance-du-ccas"])
    client = host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))
    listing = client.get("/guides/").content.decode()
    assert listing.count("Réservé aux personnes connectées") == 1
    page = client.get(f"/guides/{private_guide.slug}/").content.decode()
    assert "Réservé aux personnes connectées" in page
    assert (
        "Réservé aux personnes connectées"
        not in client.get("/guides/un-guide-public/").content.decode()
    )


# --- 7. A commune name carried by several communes, only one with experiences ------------------


def test_commune_name_resolves_to_the_only_one_with_experiences(kb_tree, montreuil, portal):
    _, experiences = kb_tree
    make_experience(experiences, montreuil, "Une épicerie mobile", themes=["acces-aux-droits"])
    response = portal.get("/experiences/", {"commune": "Montreuil"})
    assert not response.context["form"].errors
    assert [page.title for page in response.context["items"]] == ["Une épicerie mobile"]


def test_an_ambiguous_commune_lists_those_with_experiences_first(kb_tree, portal):
    from tests.conftest import make_member

    _, experiences = kb_tree
    # Saint-Denis (93) has an experience; La Réunion's Saint-Denis (974) is the most populated.
    saint_denis = make_member("93066")
    make_experience(experiences, saint_denis, "Un jardin partagé", themes=["acces-aux-droits"])
    response = portal.get("/experiences/", {"commune": "St Denis"})
    assert not response.context["form"].errors
    assert [page.title for page in response.context["items"]] == ["Un jardin partagé"]


# --- 8. A review date in the future -----------------------------------------------------------


def test_a_review_date_in_the_future_is_refused(draft_guide, editor_client):
    draft_guide.last_reviewed = datetime.date(2099, 1, 1)
    response = edit_guide_in_admin(
        editor_client, draft_guide, [("heading", {"text": "Les étapes", "level": "h2"})]
    )
    assert response.status_code == 200
    assert response.context["form"].errors["last_reviewed"] == [
        "La date de relecture ne peut pas être dans le futur."
    ]


# --- 9. One glossary entry per acronym --------------------------------------------------------


@pytest.mark.parametrize("acronym", ["ccas", "C.C.A.S.", "C C A S", "CCAS"])
def test_an_acronym_written_differently_is_refused(editor_client, acronym):
    GlossaryTerm.objects.create(acronym="CCAS", expansion="centre communal d'action sociale")
    response = editor_client.post(
        "/admin/snippets/knowledge_base/glossaryterm/add/",
        {"acronym": acronym, "expansion": "autre", "definition": ""},
    )
    assert response.status_code == 200
    assert (
        "Ce sigle est déjà dans le glossaire sous la forme « CCAS » : modifiez cette entrée "
        "plutôt que d'en créer une seconde."
    ) in html_module.unescape(response.content.decode())
    assert GlossaryTerm.objects.count() == 1


def test_glossary_anchors_are_unique(portal):
    for acronym in ("CCAS", "ccas", "C.C.A.S."):  # entered before the rule
        GlossaryTerm.objects.create(acronym=acronym, expansion="centre communal d'action sociale")
    html = portal.get("/glossaire/").content.decode()
    ids = re.findall(r'\bid="([^"]*)"', html)
    assert len(ids) == len(set(ids)), ids
    assert {"ccas", "ccas-2", "ccas-3"} <= set(ids)


# --- 10. An acronym of the glossary searched ---------------------------------------------------


@pytest.mark.parametrize("query", ["RSA", "rsa", "R.S.A."])
def test_searching_an_acronym_shows_its_glossary_entry(kb_tree, portal, query):
    GlossaryTerm.objects.create(acronym="RSA", expansion="revenu de solidarité active")
    html = portal.get("/recherche/", {"q": query}).content.decode()
    assert re.search(
        r'<abbr title="revenu de solidarité active">RSA</abbr>\u00a0: revenu de solidarité active — '
        r'<a href="/glossaire/#rsa">voir le glossaire</a>',
        html,
    ), html


# --- 11. A guide is published with a theme ----------------------------------------------------


def test_a_guide_without_theme_cannot_be_published(draft_guide, editor_client):
    body = [("heading", {"text": "Les étapes", "level": "h2"})]
    response = edit_guide_in_admin(editor_client, draft_guide, body, themes=[])
    assert response.status_code == 200
    [error] = response.context["form"].errors["themes"]
    assert error.startswith("Cochez au moins un thème avant de publier")
    draft = edit_guide_in_admin(editor_client, draft_guide, body, themes=[], publish=False)
    assert draft.status_code == 302
    html = editor_client.get(f"/admin/pages/{draft_guide.pk}/edit/").content.decode()
    assert "Au moins un thème pour publier" in html and "À qui la page sert surtout" in html


# --- 12. « Demander des modifications » needs a comment ---------------------------------------


def test_requesting_changes_without_comment_is_refused(
    proposal,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.urls import reverse

    from tenants.services import portal_urlconf

    page, _agent, moderator = proposal
    state = WorkflowState.objects.for_instance(page).get(status="in_progress")
    assert type(state.current_task_state.task.specific).__name__ == "ModerationTask"
    with portal_urlconf():
        url = reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "reject", state.current_task_state.pk],
        )
    client = host_client("localhost", moderator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"comment": "  "}, headers={"x-requested-with": "XMLHttpRequest"}
        )
    assert "Dites au membre ce qu" in html_module.unescape(response.content.decode())
    state.refresh_from_db()
    assert state.status == "in_progress" and not _to("agent@bondy.test")
    # The editor's « Demander des modifications » asks the same form first.
    with portal_urlconf():
        collect = reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=[page.pk, "reject", state.current_task_state.pk],
        )
    response = client.post(collect, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    assert '"step": "success"' not in response.content.decode()
    _act(moderator, page, "reject", "Précisez le budget.", django_capture_on_commit_callbacks)
    assert WorkflowState.objects.for_instance(page).get().status == "needs_changes"


def test_migration_converts_the_group_approval_task_in_place(db):
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.db import connection
    from wagtail.models import GroupApprovalTask, Task, Workflow, WorkflowTask

    migration = importlib.import_module("knowledge_base.migrations.0004_moderation_task")
    moderators = Group.objects.get(name=roles.MODERATOR)
    old = GroupApprovalTask.objects.create(name=migration.TASK_NAME)
    old.groups.add(moderators)
    workflow = Workflow.objects.create(name="Ancien circuit")
    WorkflowTask.objects.create(workflow=workflow, task=old, sort_order=0)

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.to_moderation_task(apps, editor)
    task = Task.objects.get(pk=old.pk).specific
    assert type(task).__name__ == "ModerationTask"
    assert list(task.groups.all()) == [moderators]
    assert workflow.tasks.get().pk == old.pk
    assert not GroupApprovalTask.objects.filter(pk=old.pk).exists()


# --- 13. The feed tells updates --------------------------------------------------------------


def test_feed_items_are_dated_and_identified_by_their_last_publication(kb_tree, portal):
    import feedparser

    guides, _ = kb_tree
    page = make_guide(guides, "Un guide mis à jour", themes=["gouvernance-du-ccas"])
    page.first_published_at = page.first_published_at - datetime.timedelta(days=30)
    page.save(update_fields=["first_published_at"])
    [entry] = feedparser.parse(portal.get("/flux/rss/").content).entries
    published = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    assert abs(published - page.last_published_at) < datetime.timedelta(seconds=1)
    assert entry.id.startswith("http://localhost/guides/un-guide-mis-a-jour/#maj-")
    first_id = entry.id
    page.summary = "Mis à jour."
    page.save_revision().publish()
    [entry] = feedparser.parse(portal.get("/flux/rss/").content).entries
    assert entry.id != first_id
    atom = feedparser.parse(portal.get("/flux/atom/").content).entries[0]
    assert atom.id == entry.id


# --- 14. The FAQ block is a section of the table of contents ----------------------------------


def test_faq_heading_has_an_id_and_is_in_the_table_of_contents(kb_tree, portal):
    guides, _ = kb_tree
    body = [
        {"type": "heading", "value": {"text": "Les démarches", "level": "h2"}},
        {
            "type": "faq",
            "value": {
                "title": "Questions fréquentes",
                "items": [{"question": "Quand ?", "answer": "<p>Toujours.</p>"}],
            },
        },
    ]
    page = make_guide(guides, "Un guide avec FAQ", body=body, themes=["domiciliation"])
    html = portal.get(f"/guides/{page.slug}/").content.decode()
    assert '<h2 id="questions-frequentes" class="kb-faq-title">Questions fréquentes</h2>' in html
    assert '<a href="#questions-frequentes">Questions fréquentes</a>' in html
    assert [entry["anchor"] for entry in page.toc] == ["les-demarches", "questions-frequentes"]


# --- 15. A theme's slug comes from its name ---------------------------------------------------


def test_a_theme_without_slug_gets_one_from_its_name(editor_client):
    from knowledge_base.models import Theme

    form = editor_client.get("/admin/snippets/knowledge_base/theme/add/").content.decode()
    assert 'data-controller="w-slug"' in form and "w-sync" in form
    Theme.objects.create(name="Aidants", slug="aide-aux-aidants")  # the slug is taken
    response = editor_client.post(
        "/admin/snippets/knowledge_base/theme/add/",
        {"name": "Aide aux aidants", "slug": "", "description": "", "sort_order": 0},
    )
    assert response.status_code == 302
    assert Theme.objects.get(name="Aide aux aidants").slug == "aide-aux-aidants-2"
    response = editor_client.post(
        "/admin/snippets/knowledge_base/theme/add/",
        {"name": "Petite enfance (0-3 ans)", "slug": "", "description": "", "sort_order": 0},
    )
    assert Theme.objects.get(name="Petite enfance (0-3 ans)").slug == "petite-enfance-0-3-ans"


# --- 16. Telephone numbers ---------------------------------------------------------------------

PHONE_ERROR = "Saisissez un numéro de téléphone"


@pytest.mark.parametrize("phone", ["01 48", "appeler le standard", "01 48 00 00 00 poste 12"])
def test_a_contact_phone_that_is_no_number_is_refused(kb_tree, bondy, phone):
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    data = {**FORM, "themes": [], "contact_phone": phone}
    html = member_client(bondy, agent).post("/experiences/proposer/", data).content.decode()
    assert PHONE_ERROR in html


@pytest.mark.parametrize(
    ("phone", "valid"),
    [
        ("01 48 00 00 00", True),
        ("+33 (0)1 48.00.00-00", True),
        ("0148000000", True),
        ("01 48 00", False),
        ("01-48-00-00-00 ext", False),
        ("33+1 48 00 00 00", False),
    ],
)
def test_contact_card_phone(phone, valid):
    from django.core.exceptions import ValidationError

    from knowledge_base.blocks.reference import ContactCardBlock

    block = ContactCardBlock()
    value = block.to_python({"name": "Pôle ressources", "phone": phone})
    if valid:
        block.clean(value)
    else:
        with pytest.raises(ValidationError):
            block.clean(value)


# --- 17. The API's département filter ----------------------------------------------------------


def test_api_departement_without_experiences_is_empty_not_an_error(kb_tree, bondy, portal):
    _, experiences = kb_tree
    make_experience(experiences, bondy, "Un frigo solidaire", themes=["acces-aux-droits"])
    paris = portal.get("/api/v1/experiences/", {"departement": "75"})
    assert paris.status_code == 200 and paris.json()["count"] == 0
    assert portal.get("/api/v1/experiences/", {"departement": "93"}).json()["count"] == 1
    unknown = portal.get("/api/v1/experiences/", {"departement": "999"})
    assert unknown.status_code == 400
    assert "Département inconnu : « 999 »." in unknown.content.decode()


# --- 18. Search extracts -----------------------------------------------------------------------


def test_an_extract_cut_mid_sentence_starts_with_an_ellipsis(kb_tree, portal):
    guides, _ = kb_tree
    words = " ".join(f"mot{n}" for n in range(60))
    make_guide(
        guides,
        "Un long guide",
        summary=f"Une phrase très longue avec {words} puis la domiciliation arrive enfin ici.",
        themes=["domiciliation"],
    )
    html = portal.get("/recherche/", {"q": "domiciliation"}).content.decode()
    assert re.search(r'<p class="kb-snippet">… [^<]*<mark>domiciliation</mark>', html), html


def test_an_extract_from_the_start_has_no_ellipsis(kb_tree, portal):
    guides, _ = kb_tree
    make_guide(
        guides,
        "Un court guide",
        summary="Domiciliation des personnes sans domicile stable, en bref.",
        themes=[],
    )
    html = portal.get("/recherche/", {"q": "domiciliation"}).content.decode()
    assert '<p class="kb-snippet"><mark>Domiciliation</mark> des personnes sans domicile' in html


def test_table_cells_are_separated_in_extracts(kb_tree):
    from knowledge_base.search import page_text

    guides, _ = kb_tree
    table = {
        "table_caption": "Composition",
        "table_header_choice": "row",
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "data": [["Collège", "Minimum"], ["Élus", "4"]],
    }
    page = make_guide(guides, "Un tableau", body=[{"type": "table", "value": table}], themes=[])
    assert "Composition : Collège · Minimum ; Élus · 4." in page_text(page)


# --- 19. The union's name, and long words in titles ---------------------------------------------


def test_the_acknowledgement_names_the_union_with_its_article(settings):
    from union.formats import of_union

    assert of_union("UDCCAS de Seine-Saint-Denis") == "de l'UDCCAS de Seine-Saint-Denis"
    assert of_union("Union départementale des CCAS") == "de l'Union départementale des CCAS"
    assert of_union("Le Collectif des CCAS") == "du Collectif des CCAS"
    assert of_union("Fédération des CCAS") == "de Fédération des CCAS"


def test_the_acknowledgement_email_says_de_l_union(
    proposal,  # noqa: F811
    settings,
):
    from union.formats import of_union

    [email] = [m for m in _to("agent@bondy.test") if "reçue" in m.subject]
    assert f"Les modérateurs {of_union(settings.PLATFORM_NAME)} vont la relire" in email.body
    assert f"Les modérateurs de {settings.PLATFORM_NAME}" not in email.body


def test_page_titles_shrink_on_a_phone_and_hyphenate():
    from pathlib import Path

    from django.conf import settings as django_settings

    css = (Path(django_settings.BASE_DIR) / "union/static/css/maillage.css").read_text()
    [rule] = re.findall(r"^h1 \{[^}]*\}", css, re.MULTILINE)
    assert "clamp(" in rule and "hyphens: auto" in rule
    base = (Path(django_settings.BASE_DIR) / "templates/base.html").read_text()
    assert '<html lang="fr">' in base

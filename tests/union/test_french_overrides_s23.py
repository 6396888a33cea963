"""Session 23: the Wagtail admin in proper French (locale/, LOCALE_PATHS). Wagtail 8's French
writes « Modifier cet item », « Ajouter un(e) actes », « Modification de Événement », « Le(la)
utilisateur n'a pas pu être créé(e) », and puts an ordinary space, or none, before « ? » and « : »,
so a line can open on the mark: the screens the union staff use say it the French way, with a
no-break space (U+00A0) before « ? » and « : » and inside « ».

The « Nouveau: Événement » of page titles is built in Python (`f"{title}: {subtitle}"`):
union.apps replaces that one method (last test). Left to Wagtail (built in templates without
translation): « Site name », « True »…"""

import io
import json
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import translation
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Workflow

from knowledge_base.models import ModerationTask
from knowledge_base.services import TASK_NAME, WORKFLOW_NAME, ensure_index_pages
from tests.conftest import PASSWORD, host_client
from tests.knowledge_base.conftest import make_guide
from tests.seminars.conftest import make_seminar
from union import roles

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def admin(db):
    user = get_user_model().objects.create_superuser(
        "admin@union.test", "admin@union.test", PASSWORD
    )
    return host_client("localhost", user)


@pytest.fixture
def site(db):
    """A guide (published: its history has a line), an event, the moderation workflow."""
    guides, _ = ensure_index_pages()
    guide = make_guide(guides, "Guide de la domiciliation", themes=["gouvernance-du-ccas"])
    return SimpleNamespace(guides=guides, guide=guide, seminar=make_seminar("Journée des élus"))


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def json_strings(html: str) -> list[str]:
    """The strings of the JSON that Wagtail hands its scripts in data-* attributes (the
    StreamField blocks' labels and help texts, which the browser renders)."""
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        for name, value in tag.attrs.items():
            if name.startswith("data-") and isinstance(value, str) and value[:1] in "[{":
                try:
                    walk(json.loads(value))
                except ValueError:
                    pass
    return found


def test_the_page_editor_names_the_page_type_without_broken_french(site, admin):
    """« Modification de Événement » had neither the elision nor a lower case."""
    for page, page_type in ((site.seminar, "Événement"), (site.guide, "Guide pratique")):
        body = text_of(admin.get(f"/admin/pages/{page.pk}/edit/"))
        soup = BeautifulSoup(body, "html.parser")
        assert soup.title.get_text().startswith(f"Modification ({page_type})")
        heading = soup.find("h1").get_text(" ", strip=True)  # read by screen readers
        assert heading.startswith(f"Modification ({page_type})")
        assert "Modification de " not in body


def test_the_site_history_offers_to_edit_an_element(site, admin):
    body = text_of(admin.get("/admin/reports/site-history/"))
    links = BeautifulSoup(body, "html.parser").find_all("a", title="Modifier cet élément")
    assert links
    assert "cet item" not in body


def test_a_task_lists_its_workflows_with_the_colon_held_by_its_word(site, admin):
    task = ModerationTask.objects.get(name=TASK_NAME)
    body = text_of(admin.get(f"/admin/workflows/tasks/edit/{task.pk}/"))
    assert f"<strong>Utilisée dans les workflows actifs suivants{NBSP}:</strong>" in body
    assert WORKFLOW_NAME.replace("'", "&#x27;") in body


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("/admin/abs_indicators/", "indicateur"),
        ("/admin/pages/usage/knowledge_base/guidepage/", "guide pratique"),
        ("/admin/pages/usage/seminars/proceedingspage/", "actes"),
    ],
)
def test_the_add_buttons_of_listings_name_what_they_add(site, admin, url, label):
    body = text_of(admin.get(url))
    text = " ".join(BeautifulSoup(body, "html.parser").get_text(" ").split(" "))
    assert f"Ajouter{NBSP}: {label}" in text
    assert "un(e)" not in body


def test_a_refused_form_says_so_in_french(site, admin):
    body = text_of(admin.post("/admin/users/new/", {}))
    assert f"Création impossible (utilisateur){NBSP}: le formulaire contient des erreurs." in body
    body = text_of(admin.post("/admin/abs_indicators/edit/POP/", {}))
    expected = f"Enregistrement impossible (indicateur){NBSP}: le formulaire contient des erreurs."
    assert expected in body
    assert "Le(la)" not in body


def png() -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), "teal").save(buffer, "PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name="photo.png")


def test_the_confirmations_and_forms_hold_question_marks_and_colons_to_their_word(site, admin):
    group = Group.objects.get(name=roles.EDITOR)
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    task = ModerationTask.objects.get(name=TASK_NAME)
    collection = Collection.get_first_root_node().get_children().first()
    document = get_document_model().objects.create(
        title="Un PDF", file=ContentFile(b"%PDF-1.4 x", name="un.pdf")
    )
    image = get_image_model().objects.create(title="Une photo", file=png())
    guide = site.guide.pk
    screens = [
        (
            f"/admin/pages/{guide}/delete/",
            f"Êtes-vous sûr(e) de vouloir supprimer cette page{NBSP}?",
        ),
        (f"/admin/pages/{guide}/unpublish/", f"de vouloir dépublier cette page{NBSP}?"),
        (f"/admin/pages/{guide}/copy/", f"Souhaitez-vous également publier sa copie{NBSP}?"),
        (f"/admin/groups/delete/{group.pk}/", f"de vouloir supprimer ce groupe{NBSP}?"),
        (f"/admin/workflows/disable/{workflow.pk}/", f"de vouloir désactiver ce workflow{NBSP}?"),
        (f"/admin/workflows/tasks/disable/{task.pk}/", f"désactiver cette tâche{NBSP}?"),
        ("/admin/sites/", f"Par défaut{NBSP}?"),
        (f"/admin/documents/edit/{document.pk}/", f"Modifier le document{NBSP}:"),
        (f"/admin/collections/{collection.pk}/", f"Statut actuel{NBSP}: Public"),
        (f"/admin/images/{image.pk}/", f"Formats acceptés{NBSP}: AVIF, GIF"),
        (f"/admin/images/{image.pk}/", f"Taille maximale{NBSP}: "),
    ]
    for url, expected in screens:
        body = text_of(admin.get(url))
        assert expected in body, url
        assert expected.replace(NBSP, " ") not in body, url
    # The upload of several images: the message its script shows for a file of another type.
    strings = json_strings(text_of(admin.get("/admin/images/multiple/add/")))
    refused = [text for text in strings if text.startswith("Format d'image non")]
    assert refused == [
        f"Format d'image non accepté. Formats acceptés{NBSP}: AVIF, GIF, JPG, JPEG, PNG, WEBP."
    ]


def test_the_guide_editor_table_block_asks_which_cells_are_headers(site, admin):
    body = text_of(admin.get(f"/admin/pages/{site.guide.pk}/edit/"))
    strings = json_strings(body)
    assert f"Quelles cellules devraient être affichées comme en-têtes{NBSP}?" in strings
    assert not [text for text in strings if "entête ?" in text]


@pytest.mark.parametrize(
    ("english", "french"),
    [
        (
            "Supported formats: %(supported_formats)s.",
            f"Formats acceptés{NBSP}: %(supported_formats)s.",
        ),
        (
            "The %(model_name)s could not be saved due to errors.",
            f"Enregistrement impossible (%(model_name)s){NBSP}: le formulaire contient des erreurs.",
        ),
        (
            "Constraint “%(name)s” is violated.",
            f"La contrainte «{NBSP}%(name)s{NBSP}» n’est pas respectée.",
        ),
    ],
)
def test_catalogue_strings_out_of_the_walked_screens(english, french):
    with translation.override("fr"):
        assert translation.gettext(english) == french


@pytest.mark.parametrize("count", [1, 2, 1000000])
def test_plural_messages_keep_their_quotes_and_question_marks(count):
    with translation.override("fr"):
        role = translation.ngettext(
            "%(num_parent_objects)d user has been assigned as %(role)s",
            "%(num_parent_objects)d users have been assigned as %(role)s",
            count,
        )
        delete = translation.gettext(
            "Are you sure you want to delete %(count)s %(snippet_type_name)s?"
        )
    text = role % {"num_parent_objects": count, "role": "Éditeurs"}
    assert text.startswith(f"Le rôle «{NBSP}Éditeurs{NBSP}» a été attribué à {count} utilisateur")
    assert delete.endswith(f"%(snippet_type_name)s{NBSP}?")


def test_admin_titles_hold_their_colon_with_a_no_break_space(site, admin):
    """Wagtail joins title and subtitle in Python as « Nouveau: Événement »; union.apps puts a
    no-break space before the colon, in the tab's title and the page's heading."""
    index = site.seminar.get_parent()
    body = text_of(admin.get(f"/admin/pages/add/seminars/seminarpage/{index.pk}/"))
    soup = BeautifulSoup(body, "html.parser")
    assert soup.title.get_text().startswith("Nouveau\u00a0: Événement")
    assert "Nouveau: " not in body
    edit = BeautifulSoup(text_of(admin.get(f"/admin/pages/{site.seminar.pk}/edit/")), "html.parser")
    assert edit.title.get_text().startswith("Modification (Événement)\u00a0: Journée des élus")
    history = text_of(admin.get(f"/admin/pages/{site.guide.pk}/history/"))
    assert "Historique\u00a0: Guide de la domiciliation" in history

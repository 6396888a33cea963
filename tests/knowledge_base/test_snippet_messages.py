"""Themes and glossary terms given twice: the editor reads a French sentence naming the field,
not Django's « Un objet Thème avec ce champ Slug existe déjà. »."""

import html

import pytest

from knowledge_base.models import GlossaryTerm, Theme
from tests.conftest import host_client
from tests.knowledge_base.conftest import make_staff
from union import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))


def test_a_theme_slug_or_name_given_twice_is_refused_in_french(editor):
    taken = Theme.objects.create(name="Accès aux droits bis", slug="acces-aux-droits-bis")
    response = editor.post(
        "/admin/snippets/knowledge_base/theme/add/",
        {"name": "Autre nom", "slug": taken.slug, "description": "", "sort_order": 0},
    )
    assert response.status_code == 200  # Wagtail re-shows the form
    content = html.unescape(response.content.decode())
    assert (
        "Un thème porte déjà ce slug (identifiant dans les adresses) : choisissez-en un autre."
        in content
    )
    assert "avec ce champ" not in content
    response = editor.post(
        "/admin/snippets/knowledge_base/theme/add/",
        {"name": taken.name, "slug": "autre-slug", "description": "", "sort_order": 0},
    )
    assert "Un thème porte déjà ce nom : choisissez-en un autre." in html.unescape(
        response.content.decode()
    )
    assert Theme.objects.filter(name="Autre nom").count() == 0


def test_an_acronym_already_in_the_glossary_is_refused_in_french(editor):
    GlossaryTerm.objects.create(acronym="UDAF", expansion="union départementale")
    response = editor.post(
        "/admin/snippets/knowledge_base/glossaryterm/add/",
        {"acronym": "UDAF", "expansion": "autre chose", "definition": ""},
    )
    content = html.unescape(response.content.decode())
    assert "Ce sigle est déjà dans le glossaire sous la forme « UDAF »" in content
    assert "avec ce champ" not in content
    assert GlossaryTerm.objects.filter(acronym="UDAF").count() == 1

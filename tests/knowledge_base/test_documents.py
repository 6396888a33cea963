"""Documents attached to guides follow the privacy of the pages that use them."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.conftest import host_client, make_person
from tests.knowledge_base.conftest import make_document, make_guide, make_staff
from union import roles

pytestmark = pytest.mark.django_db


def download_block(document) -> list[dict]:
    return [
        {"type": "document", "value": {"document": document.pk, "title": "", "description": ""}}
    ]


@pytest.fixture
def documents(kb_tree):
    guides, _ = kb_tree
    public_doc, private_doc, staff_doc = (
        make_document(name) for name in ("modele-public", "modele-reserve", "note-interne")
    )
    make_guide(guides, "Un guide public", body=download_block(public_doc))
    members_only = make_guide(guides, "Un guide réservé", body=download_block(private_doc))
    PageViewRestriction.objects.create(page=members_only, restriction_type="login")
    staff_only = make_guide(guides, "Une note interne", body=download_block(staff_doc))
    restriction = PageViewRestriction.objects.create(page=staff_only, restriction_type="groups")
    restriction.groups.set(Group.objects.filter(name__in=roles.UNION_GROUPS))
    return public_doc, private_doc, staff_doc


def test_documents_of_private_guides_are_not_served_to_those_who_cannot_read_them(
    documents, portal, bondy
):
    public_doc, private_doc, staff_doc = documents
    assert portal.get(public_doc.download_url).status_code == 200
    refused = portal.get(private_doc.download_url)
    assert refused.status_code == 302
    assert refused["Location"].startswith("/connexion/?next=")
    assert portal.get(staff_doc.download_url).status_code == 302

    member = host_client("localhost", make_person(bondy, "direction@bondy.test"))
    assert member.get(private_doc.download_url).status_code == 200  # "personnes connectées"
    assert member.get(staff_doc.download_url).status_code == 403  # the union's groups only
    editor = host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))
    assert editor.get(staff_doc.download_url).status_code == 200


def test_a_document_also_used_on_a_public_guide_stays_public(documents, kb_tree, portal):
    _, private_doc, _ = documents
    make_guide(kb_tree[0], "Un autre guide public", body=download_block(private_doc))
    assert portal.get(private_doc.download_url).status_code == 200


def test_a_document_used_on_no_page_is_served(kb_tree, portal):
    assert portal.get(make_document("sans-page").download_url).status_code == 200


def test_a_document_in_a_private_collection_waits_there_unseen(kb_tree, portal, bondy):
    """What the editors' documentation advises for a confidential file not yet in a page:
    Wagtail's collection privacy, which the download honours."""
    private = Collection.get_first_root_node().add_child(name="Confidentiel")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    document = make_document("budget-previsionnel")
    document.collection = private
    document.save()
    refused = portal.get(document.download_url)
    assert refused.status_code == 302 and refused["Location"].startswith("/connexion/?next=")
    member = host_client("localhost", make_person(bondy, "direction@bondy.test"))
    assert member.get(document.download_url).status_code == 200


def test_the_document_of_a_password_page_is_served_once_the_password_is_given(kb_tree, portal):
    document = make_document("compte-rendu")
    guide = make_guide(kb_tree[0], "Un guide à mot de passe", body=download_block(document))
    restriction = PageViewRestriction.objects.create(
        page=guide, restriction_type="password", password="conseil2026"
    )
    assert portal.get(document.download_url).status_code == 302  # not yet
    form = f"/_util/authenticate_with_password/{restriction.pk}/{guide.pk}/"
    answer = portal.post(form, {"password": "conseil2026", "return_url": "/"})
    assert answer.status_code == 302
    assert portal.get(document.download_url).status_code == 200

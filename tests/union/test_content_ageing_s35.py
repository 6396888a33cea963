"""Audit A17: links already given out keep working as the portal's content ages.

- an event whose slug changed: Wagtail's automatic redirect keeps the invitation key (and any
  other query string) of the old link;
- a document whose file was replaced (« Remplacer le fichier »): its old address leads to the
  current file, through the same privacy checks;
- proceedings whose downloads' documents were all deleted: no empty « Téléchargements ».

Real HTTP through the test client, as a guest's browser or an editor in the Wagtail admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from seminars.links import event_path, page_path
from seminars.models import Visibility
from tenants.services import portal_urlconf
from tests.conftest import host_client, make_person
from tests.knowledge_base.conftest import make_document
from tests.seminars.conftest import make_seminar
from tests.seminars.test_proceedings import make_proceedings
from tests.union.test_admin_lockdown_s16 import staff
from union import roles
from union.services import ensure_union_groups

pytestmark = pytest.mark.django_db

Document = get_document_model()


# --- 2. A renamed event's redirect keeps the invitation key ------------------------------------


@pytest.fixture
def renamed_private_event(django_capture_on_commit_callbacks):
    """An invitation-only event whose slug an organiser changed after the invitations went out:
    Wagtail stored a redirect from the old path (WAGTAILREDIRECTS_AUTO_CREATE, once the
    publication commits; the portal's URLconf, as in the admin's request)."""
    event = make_seminar("Réunion CAF", visibility=Visibility.INVITATION)
    old_link = event_path(event)
    event.slug = "reunion-partenaires-caf"
    with portal_urlconf(), django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    event.refresh_from_db()
    assert Redirect.objects.filter(redirect_page=event, automatically_created=True).exists()
    return event, old_link


def test_the_old_invitation_link_of_a_renamed_event_keeps_its_key(portal, renamed_private_event):
    event, old_link = renamed_private_event
    assert "/reunion-caf/?invitation=" in old_link
    response = portal.get(old_link)
    assert response.status_code == 301
    assert response["Location"] == event_path(event)  # the new path, with the key
    followed = portal.get(response["Location"])
    assert followed.status_code == 200
    assert "Événement sur invitation" not in followed.content.decode()


def test_the_old_link_of_a_renamed_page_keeps_its_filters(portal, renamed_private_event):
    """Any query string goes along (a filtered listing saved in a bookmark), as given."""
    event, old_link = renamed_private_event
    old_path = old_link.split("?")[0]
    response = portal.get(old_path + "?invitation=" + event.invitation_key + "&utm_source=lettre")
    assert response["Location"] == (
        f"{page_path(event)}?invitation={event.invitation_key}&utm_source=lettre"
    )
    # Without a query string, the redirect is as Wagtail gives it.
    assert portal.get(old_path)["Location"] == page_path(event)


def test_a_redirect_with_a_query_of_its_own_is_left_as_the_editor_wrote_it(portal):
    Redirect.objects.create(old_path="/ancien-formulaire", redirect_link="/contact/?sujet=adhesion")
    response = portal.get("/ancien-formulaire/?invitation=abc")
    assert response["Location"] == "/contact/?sujet=adhesion"
    # A redirect stored for one exact query string answers that one only, as written.
    Redirect.objects.create(old_path="/guides?theme=ancien", redirect_link="/guides/")
    assert portal.get("/guides/?theme=ancien")["Location"] == "/guides/"


# --- 4. A replaced document's old address leads to the current file ----------------------------


def replace_file(document, filename: str):
    """An editor replaces the document's file in the Wagtail admin (« Remplacer le fichier »)."""
    ensure_union_groups()
    editor = host_client("localhost", staff(roles.EDITOR, "editrice@union.test"))
    upload = SimpleUploadedFile(filename, b"%PDF-1.4 version 2026", content_type="application/pdf")
    response = editor.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": document.title, "file": upload, "collection": document.collection_id},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    with portal_urlconf():
        document.download_url = document.url
    return document


def test_the_old_address_of_a_replaced_document_redirects_to_the_new_file(portal):
    document = make_document("convention-2025")
    old_url = document.download_url
    assert old_url.endswith("/convention-2025.pdf")
    assert portal.get(old_url).status_code == 200
    replace_file(document, "convention-2026.pdf")
    new_url = document.download_url
    assert new_url.startswith(f"/documents/{document.pk}/") and new_url.endswith(
        "/convention-2026.pdf"
    )

    response = portal.get(old_url)
    assert response.status_code == 302
    assert response["Location"] == new_url
    served = portal.get(new_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF-1.4 version 2026"


def test_an_unknown_document_is_still_a_404(portal):
    assert portal.get("/documents/999999/convention-2025.pdf").status_code == 404


def test_the_old_address_of_a_private_document_shows_nothing_to_a_stranger(portal, bondy):
    """The privacy checks run before the redirect: the new file name is not given away."""
    private = Collection.get_first_root_node().add_child(name="Confidentiel")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    document = make_document("budget-2025")
    document.collection = private
    document.save()
    old_url = document.download_url
    replace_file(document, "budget-2026.pdf")

    refused = portal.get(old_url)
    assert refused.status_code == 302
    assert refused["Location"].startswith("/connexion/?next=")
    assert "budget-2026" not in refused["Location"]
    member = host_client("localhost", make_person(bondy, "direction@bondy.test"))
    answer = member.get(old_url)
    assert answer.status_code == 302 and answer["Location"] == document.download_url
    assert member.get(document.download_url).status_code == 200


# --- 5. Proceedings whose documents were deleted -----------------------------------------------


def download(document) -> dict:
    return {"type": "download", "value": {"document": document.pk, "title": ""}}


def test_proceedings_without_any_document_left_show_no_downloads_section(portal):
    event = make_seminar("Séminaire 2024", days_ahead=-400)
    kept, deleted = make_document("diaporama"), make_document("compte-rendu")
    proceedings = make_proceedings(event)
    proceedings.downloads = [download(kept), download(deleted)]
    proceedings.save_revision().publish()

    deleted.delete()
    html = portal.get(page_path(proceedings)).content.decode()
    assert "Téléchargements" in html and "diaporama" in html and "compte-rendu" not in html

    kept.delete()
    html = portal.get(page_path(proceedings)).content.decode()
    assert "Téléchargements" not in html and 'id="telechargements"' not in html
    assert "Interventions" in html  # the rest of the proceedings is there

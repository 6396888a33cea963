"""Session 18 review: organisers and moderators may not replace the guides' images and documents.

Each holds « choose » on the whole collection tree (to illustrate their pages with any image or
document) but adds and changes only in their own collection, « Événements » or « Expériences
des membres »; editors and administrators keep the whole tree. Everything goes through the
Wagtail admin over HTTP, as a browser would."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission

from tests.conftest import host_client
from tests.union.test_admin_lockdown_s16 import staff
from union import roles
from union.services import ensure_union_groups

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()
EVENTS = "Événements"
EXPERIENCES = "Expériences des membres"
# (group, its own collection, another group's collection)
SCOPED = [
    pytest.param(roles.EVENT_ORGANISER, EVENTS, EXPERIENCES, id="organisatrice"),
    pytest.param(roles.MODERATOR, EXPERIENCES, EVENTS, id="moderateur"),
]


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name: str = "guide.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 contenu", content_type="application/pdf")


def root() -> Collection:
    return Collection.get_first_root_node()


def collection(name: str) -> Collection:
    """One of the union's collections, which `setup_platform` (ensure_union_groups) created."""
    return root().get_children().get(name=name)


def make_image(title: str, where: Collection, owner=None):
    upload = png(f"{title}.png")
    return Image.objects.create(
        title=title,
        file=ImageFile(upload, name=upload.name),
        collection=where,
        uploaded_by_user=owner,
    )


def make_document(title: str, where: Collection, owner=None):
    return Document.objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.4 contenu", name=f"{title}.pdf"),
        collection=where,
        uploaded_by_user=owner,
    )


def client_for(group: str, email: str):
    return host_client("localhost", staff(group, email))


def refused(response) -> bool:
    """Wagtail answers an edit it does not allow with its admin home and « Sorry, you do not
    have permission to access this area. », not a 403 (except to XMLHttpRequest)."""
    return response.status_code == 302 and response.url == "/admin/"


def offered_collections(html: str, field: str = "collection") -> list[str] | None:
    """Names of the collections an upload form offers, None when it has no collection field
    (Wagtail hides it when a single collection is allowed, and uploads there)."""
    select = BeautifulSoup(html, "html.parser").find("select", attrs={"name": field})
    if select is None:
        return None
    return [
        o.get_text(strip=True).lstrip("↳ ").strip()
        for o in select.find_all("option")
        if o.get("value")
    ]


# --- 1. Uploading: into one's own collection only ----------------------------------------------


@pytest.mark.parametrize(("group", "own", "other"), SCOPED)
def test_a_scoped_role_uploads_into_its_own_collection_only(group, own, other):
    client = client_for(group, "equipe@union.test")

    for url in ("/admin/images/add/", "/admin/images/multiple/add/", "/admin/documents/add/"):
        page = client.get(url)
        assert page.status_code == 200, url
        # A single allowed collection: no choice offered, and certainly not the root.
        assert offered_collections(page.content.decode()) in (None, [own]), url

    response = client.post("/admin/images/add/", {"title": "Affiche", "file": png()})
    assert response.status_code == 302 and response.url.startswith("/admin/images/")
    image = Image.objects.get(title="Affiche")
    assert image.collection == collection(own)

    # Asking for another collection (a crafted POST) is not honoured: no field, no choice.
    client.post(
        "/admin/documents/add/",
        {"title": "Programme", "file": pdf(), "collection": root().pk},
    )
    assert Document.objects.get(title="Programme").collection == collection(own)
    client.post(
        "/admin/images/add/",
        {"title": "Autre", "file": png(), "collection": collection(other).pk},
    )
    assert Image.objects.get(title="Autre").collection == collection(own)


@pytest.mark.parametrize(("group", "own", "other"), SCOPED)
def test_the_page_editor_s_chooser_uploads_into_its_own_collection(group, own, other):
    """The image chooser of the page editor: every image to pick (choose on the root reaches
    each collection), the upload tab without the root, the upload landing in its collection."""
    editor = staff(roles.EDITOR, "editrice@union.test")
    illustration = make_image("Illustration du guide", root(), editor)
    elsewhere = make_image("Photo d’une autre équipe", collection(other), editor)
    client = client_for(group, "equipe@union.test")

    modal = client.get("/admin/images/chooser/", headers={"x-requested-with": "XMLHttpRequest"})
    assert modal.status_code == 200
    html = json.loads(modal.content)["html"]
    assert illustration.title in html and elsewhere.title in html
    assert offered_collections(html, "image-chooser-upload-collection") in (None, [own])
    docs_modal = client.get(
        "/admin/documents/chooser/", headers={"x-requested-with": "XMLHttpRequest"}
    )
    docs_html = json.loads(docs_modal.content)["html"]
    assert offered_collections(docs_html, "document-chooser-upload-collection") in (None, [own])

    uploaded = client.post(
        "/admin/images/chooser/create/",
        {"image-chooser-upload-title": "Salle du séminaire", "image-chooser-upload-file": png()},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert uploaded.status_code == 200
    assert json.loads(uploaded.content)["step"] in ("chosen", "select_format")
    assert Image.objects.get(title="Salle du séminaire").collection == collection(own)


# --- 2. Editing, replacing, deleting: own collection only ----------------------------------------


@pytest.mark.parametrize(("group", "own", "other"), SCOPED)
def test_a_scoped_role_cannot_replace_a_guide_s_image_or_document(group, own, other):
    editor = staff(roles.EDITOR, "editrice@union.test")
    images = [make_image("Illustration du guide", root(), editor)]
    images.append(make_image("Photo d’une autre équipe", collection(other), editor))
    documents = [make_document("Guide du budget", root(), editor)]
    documents.append(make_document("Document d’une autre équipe", collection(other), editor))
    client = client_for(group, "equipe@union.test")

    for image in images:
        stored = image.file.name
        assert refused(client.get(f"/admin/images/{image.pk}/")), image
        answer = client.post(f"/admin/images/{image.pk}/", {"title": "Remplacée", "file": png()})
        assert refused(answer), image
        assert refused(client.post(f"/admin/images/{image.pk}/delete/")), image
        image.refresh_from_db()
        assert image.title != "Remplacée" and image.file.name == stored
    for document in documents:
        stored = document.file.name
        assert refused(client.get(f"/admin/documents/edit/{document.pk}/")), document
        answer = client.post(
            f"/admin/documents/edit/{document.pk}/", {"title": "Remplacé", "file": pdf()}
        )
        assert refused(answer), document
        assert refused(client.post(f"/admin/documents/delete/{document.pk}/")), document
        document.refresh_from_db()
        assert document.title != "Remplacé" and document.file.name == stored
    assert Image.objects.filter(pk__in=[i.pk for i in images]).count() == 2
    assert Document.objects.filter(pk__in=[d.pk for d in documents]).count() == 2

    # The listings show only what one may change: nothing of the guides.
    listing = client.get("/admin/images/").content.decode()
    assert "Illustration du guide" not in listing
    listing = client.get("/admin/documents/").content.decode()
    assert "Guide du budget" not in listing


@pytest.mark.parametrize(("group", "own", "other"), SCOPED)
def test_a_scoped_role_edits_what_its_collection_holds(group, own, other):
    """Its own collection is the team's: an image a colleague uploaded there is editable."""
    colleague = staff(group, "collegue@union.test")
    image = make_image("Photo de la journée", collection(own), colleague)
    document = make_document("Programme de la journée", collection(own), colleague)
    client = client_for(group, "equipe@union.test")

    for url in (f"/admin/images/{image.pk}/", f"/admin/documents/edit/{document.pk}/"):
        page = client.get(url)
        assert page.status_code == 200, url
        # Nowhere else to move it to: a file cannot leave for the guides' collection.
        assert offered_collections(page.content.decode()) in (None, [own]), url
    answer = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": "Programme définitif", "file": pdf(), "collection": root().pk},
    )
    assert answer.status_code == 302 and not refused(answer)
    document.refresh_from_db()
    assert (document.title, document.collection) == ("Programme définitif", collection(own))


def test_an_old_upload_of_an_organiser_in_the_root_is_no_longer_hers_to_replace():
    """Wagtail lets whoever may add in a collection change what they uploaded there: once the
    organisers no longer add in the root, what one of them put there before stays put."""
    organiser = staff(roles.EVENT_ORGANISER, "orga@union.test")
    image = make_image("Ancienne affiche", root(), organiser)
    client = host_client("localhost", organiser)
    assert refused(client.get(f"/admin/images/{image.pk}/"))


# --- 3. Editors and administrators: the whole tree ---------------------------------------------


@pytest.mark.parametrize("group", [roles.EDITOR, roles.UNION_ADMIN])
def test_editors_and_administrators_edit_every_collection(group):
    organiser = staff(roles.EVENT_ORGANISER, "orga@union.test")
    client = client_for(group, "equipe@union.test")
    places = [root(), collection(EVENTS), collection(EXPERIENCES)]
    for index, where in enumerate(places):
        image = make_image(f"Image {index}", where, organiser)
        document = make_document(f"Document {index}", where, organiser)
        assert client.get(f"/admin/images/{image.pk}/").status_code == 200, where
        answer = client.post(
            f"/admin/documents/edit/{document.pk}/",
            {"title": f"Revu {index}", "file": pdf(), "collection": where.pk},
        )
        assert answer.status_code == 302 and not refused(answer), where
        document.refresh_from_db()
        assert document.title == f"Revu {index}"
    offered = offered_collections(client.get("/admin/images/add/").content.decode())
    assert offered is not None
    assert {root().name, EVENTS, EXPERIENCES} <= set(offered)


# --- 4. setup_platform takes the root back, idempotently ---------------------------------------


def _media_permissions(group: Group) -> set[tuple[str, str]]:
    return set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "collection__name", "permission__codename"
        )
    )


def test_ensure_union_groups_takes_back_the_root_and_changes_nothing_the_second_time():
    organisers = Group.objects.get(name=roles.EVENT_ORGANISER)
    moderators = Group.objects.get(name=roles.MODERATOR)
    # As before session 18: add and change on the root collection, hence on every image.
    for codename in ("change_image", "add_document", "delete_image"):
        for group in (organisers, moderators):
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root(),
                permission=Permission.objects.get(
                    codename=codename, content_type__app_label__in=["wagtailimages", "wagtaildocs"]
                ),
            )

    ensure_union_groups()
    first = {name: _media_permissions(Group.objects.get(name=name)) for name in roles.UNION_GROUPS}
    ensure_union_groups()
    second = {name: _media_permissions(Group.objects.get(name=name)) for name in roles.UNION_GROUPS}

    assert first == second
    assert [c.name for c in root().get_children().filter(name__in=[EVENTS, EXPERIENCES])] in (
        [EVENTS, EXPERIENCES],
        [EXPERIENCES, EVENTS],
    )
    every = {"add", "change", "choose"}
    for name, own in ((roles.EVENT_ORGANISER, EVENTS), (roles.MODERATOR, EXPERIENCES)):
        held = first[name]
        assert {codename for where, codename in held if where == root().name} == {
            "choose_image",
            "choose_document",
        }, name
        assert {codename for where, codename in held if where == own} == {
            f"{action}_{kind}" for action in every for kind in ("image", "document")
        }, name
        assert {where for where, _ in held} == {root().name, own}, name
    for name in (roles.EDITOR, roles.UNION_ADMIN):
        assert {codename for where, codename in first[name] if where == root().name} >= {
            f"{action}_{kind}" for action in every for kind in ("image", "document")
        }, name

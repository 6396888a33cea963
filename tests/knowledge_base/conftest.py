"""Builders of the knowledge base: the two index pages, guides and experiences, published the
real way (a revision, then publish)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from knowledge_base.models import ExperiencePage, GuidePage, Theme
from knowledge_base.services import ensure_index_pages
from tenants.services import portal_urlconf
from union import roles

PASSWORD = "motdepasse-de-test-42"


@pytest.fixture
def kb_tree(db):
    """(guide index, experience index) under the home page."""
    return ensure_index_pages()


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def publish(page, user=None):
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def make_guide(
    index,
    title: str,
    *,
    summary: str = "Un guide.",
    themes=(),
    audiences=(),
    body=None,
    last_reviewed=None,
    live: bool = True,
) -> GuidePage:
    page = GuidePage(
        title=title,
        slug=slugify(title),
        summary=summary,
        audiences=list(audiences),
        last_reviewed=last_reviewed or datetime.date.today(),
        body=body or [{"type": "rich_text", "value": f"<p>{summary}</p>"}],
        live=False,
    )
    index.add_child(instance=page)
    page.themes.set([theme(slug) for slug in themes])
    page.save()
    return publish(page) if live else page


def make_experience(
    index,
    member,
    title: str,
    *,
    summary: str = "Une expérience.",
    themes=(),
    audiences=(),
    live: bool = True,
    **fields,
) -> ExperiencePage:
    page = ExperiencePage(
        title=title,
        slug=slugify(title),
        summary=summary,
        member=member,
        audiences=list(audiences),
        context=fields.pop("context", "Le contexte."),
        description=fields.pop("description", "L'action."),
        live=False,
        **fields,
    )
    index.add_child(instance=page)
    page.themes.set([theme(slug) for slug in themes])
    page.save()
    return publish(page) if live else page


def make_staff(email: str, group_name: str = roles.MODERATOR):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def make_document(title: str):
    """A PDF document, with its `download_url` on the portal (where documents are served)."""
    document = get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4 contenu", name=f"{title}.pdf")
    )
    with portal_urlconf():
        document.download_url = document.url
    return document


def edit_guide_in_admin(
    client, page: GuidePage, body: list[tuple], *, publish: bool = True, themes=None
):
    """Edit the guide in the Wagtail admin with `body` (StreamField blocks as (type, value)),
    and press Publish (or « Enregistrer le brouillon »). Returns the admin's response.

    `themes`: slugs; by default the guide's own, or « Gouvernance du CCAS » when it has none
    (a guide is published with at least one theme)."""
    if themes is None:
        themes = [theme.slug for theme in page.themes.all()] or ["gouvernance-du-ccas"]
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "last_reviewed": f"{page.last_reviewed:%Y-%m-%d}",
            "authors": inline_formset([]),
            "comments": inline_formset([]),
            "body": streamfield(body),
        }
    )
    data["themes"] = [theme(slug).pk for slug in themes]  # a list: kept out of nested_form_data
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(f"/admin/pages/{page.pk}/edit/", data)

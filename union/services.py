"""Platform-level set-up: the member template schema and the union's groups."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.utils.html import strip_tags
from django_tenants.utils import schema_exists

from union import roles

# Wagtail page permissions of each union group, held on the whole page tree (the root page) or,
# for the groups in PAGE_PERMISSION_SCOPES, only on the index pages of one type and what lies
# under them: an organiser edits the events, a moderator the experiences, neither the guides nor
# the home page.
PAGE_PERMISSIONS = {
    roles.UNION_ADMIN: [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
    roles.EDITOR: ["add_page", "change_page", "publish_page", "lock_page"],
    roles.MODERATOR: ["change_page", "publish_page", "lock_page", "unlock_page"],
    roles.EVENT_ORGANISER: ["add_page", "change_page", "publish_page"],
}
PAGE_PERMISSION_SCOPES = {
    roles.EVENT_ORGANISER: "seminars.SeminarIndexPage",
    roles.MODERATOR: "knowledge_base.ExperienceIndexPage",
}
# Created by Wagtail's first migrations, in English, next to the union's French groups: removed
# while nobody is in them and no page or collection restriction names them.
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")
# Wagtail's image and document permissions, held on collections and inherited by their
# children. Editors and administrators hold them all on the root collection (every image and
# document). The groups of COLLECTION_SCOPES choose anywhere, to illustrate their pages with
# any image, but add and change only in their own child collection, so that an organiser
# cannot replace a guide's PDF or illustration. Deleting is changing in Wagtail
# (CollectionOwnershipPermissionPolicy): `delete_image` and `delete_document` exist but are
# never consulted, hence never granted.
COLLECTION_PERMISSIONS = [
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
]
CHOOSE_PERMISSIONS = ["choose_image", "choose_document"]
MEDIA_APPS = ["wagtailimages", "wagtaildocs"]
COLLECTION_SCOPES = {
    roles.EVENT_ORGANISER: "Événements",
    roles.MODERATOR: "Expériences des membres",
}


def ensure_template_schema() -> str:
    """Create the (empty) template schema new members are cloned from; migrate it afterwards."""
    name = settings.TENANT_BASE_SCHEMA
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    return name


def ensure_union_groups() -> dict[str, Group]:
    """The four union roles as groups, with Wagtail admin access and page permissions, where
    PAGE_PERMISSION_SCOPES says; Wagtail's unused English groups removed. Idempotent: run by
    every `setup_platform`, it also takes back the whole-tree permissions that organisers and
    moderators held before they were scoped: pages, and images and documents (their own
    collections, COLLECTION_SCOPES, are made here)."""
    from wagtail.models import Collection, GroupPagePermission, Page

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    groups = {}
    for name in roles.UNION_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        if name in PAGE_PERMISSION_SCOPES:
            GroupPagePermission.objects.filter(group=group, page=root_page).delete()
            for page in _scope_pages(name):
                _grant_page_permissions(group, page)
        elif root_page is not None:
            _grant_page_permissions(group, root_page)
        if root_collection is not None:
            _grant_collection_permissions(group, root_collection)
        groups[name] = group
    # Union admins run the Django admin too: every model permission.
    groups[roles.UNION_ADMIN].permissions.add(*Permission.objects.all())
    remove_unused_wagtail_groups()
    retire_workflows_nobody_can_approve()
    return groups


def _grant_collection_permissions(group: Group, root_collection) -> None:
    """A group of COLLECTION_SCOPES: choose on the root, everything in its own collection (made
    if missing), and its other image and document permissions on the root taken back, as they
    were granted before session 18. Any other group: everything on the root."""
    from wagtail.models import GroupCollectionPermission

    media = Permission.objects.filter(content_type__app_label__in=MEDIA_APPS)
    if group.name not in COLLECTION_SCOPES:
        _grant_media_permissions(group, root_collection, COLLECTION_PERMISSIONS)
        return
    GroupCollectionPermission.objects.filter(
        group=group, collection=root_collection, permission__in=media
    ).exclude(permission__codename__in=CHOOSE_PERMISSIONS).delete()
    _grant_media_permissions(group, root_collection, CHOOSE_PERMISSIONS)
    own = ensure_child_collection(root_collection, COLLECTION_SCOPES[group.name])
    _grant_media_permissions(group, own, COLLECTION_PERMISSIONS)


def _grant_media_permissions(group: Group, collection, codenames: list[str]) -> None:
    from wagtail.models import GroupCollectionPermission

    for permission in Permission.objects.filter(
        content_type__app_label__in=MEDIA_APPS, codename__in=codenames
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def ensure_child_collection(parent, name: str):
    """The child collection of `parent` called `name`, created if missing. Found by its name:
    one renamed in the admin is no longer the union's, and the next `setup_platform` makes a
    new one."""
    existing = parent.get_children().filter(name=name).first()
    return existing if existing is not None else parent.add_child(name=name)


def _scope_pages(group_name: str):
    from django.apps import apps

    return apps.get_model(PAGE_PERMISSION_SCOPES[group_name]).objects.all()


def _grant_page_permissions(group: Group, page) -> None:
    from wagtail.models import GroupPagePermission

    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS[group.name]
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_scoped_page_permissions(sender, instance, created: bool = False, **kwargs) -> None:
    """post_save of an index page in PAGE_PERMISSION_SCOPES: a new one (the demo's, one added
    in the admin after `setup_platform`) gives its group the permissions at once."""
    if not created or kwargs.get("raw"):
        return
    for name, scope in PAGE_PERMISSION_SCOPES.items():
        if scope != instance._meta.label:
            continue
        group = Group.objects.filter(name=name).first()
        if group is not None:  # no group yet: ensure_union_groups will grant them
            _grant_page_permissions(group, instance)


def remove_unused_wagtail_groups() -> list[str]:
    """Delete Wagtail's default English groups that nobody uses; their names."""
    from wagtail.models import CollectionViewRestriction, PageViewRestriction

    removed = []
    for group in Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS):
        if (
            group.user_set.exists()
            or PageViewRestriction.objects.filter(groups=group).exists()
            or CollectionViewRestriction.objects.filter(groups=group).exists()
        ):
            continue
        removed.append(group.name)
        group.delete()
    return removed


def retire_workflows_nobody_can_approve() -> list[str]:
    """Deactivate the workflows whose every task is a group approval with no group left: Wagtail's
    own « Moderators approval », made by its first migrations on the root page for its English
    « Moderators » group, which remove_unused_wagtail_groups deletes. It applied to every page
    without a workflow of its own (guides, events, the home page): an editor's « Soumettre à la
    modération » then waited on a task that no one but a superuser could approve. Pages keep
    being published by those who may publish; a workflow the union set up, or gave approvers to,
    is left alone. Submissions stuck in one are cancelled (back to draft, history kept). Returns
    the names of the workflows retired."""
    from wagtail.models import GroupApprovalTask, Workflow

    retired = []
    for workflow in Workflow.objects.filter(active=True).prefetch_related("workflow_tasks__task"):
        tasks = [workflow_task.task.specific for workflow_task in workflow.workflow_tasks.all()]
        if tasks and all(
            type(task) is GroupApprovalTask and not task.groups.exists() for task in tasks
        ):
            workflow.deactivate()
            retired.append(workflow.name)
    return retired


# The names Wagtail and our first migration gave the site and the root page: the explorer's
# breadcrumb started with « Root », and the admin home of a colleague whose pages are in a
# section read « 6 Pages créées dans Maillage ».
DEFAULT_SITE_NAMES = ("", "Maillage")
DEFAULT_ROOT_TITLES = ("Root",)
ROOT_TITLE = "Racine"


def name_site_and_root() -> None:
    """The Wagtail site named after the union (PLATFORM_NAME, as in every page's header and
    e-mail) and the root page « Racine ». A name or title an administrator chose (Paramètres ›
    Sites, or renaming the root) is kept: only the defaults are replaced."""
    from wagtail.models import Page, Site

    Site.objects.filter(site_name__in=DEFAULT_SITE_NAMES).update(site_name=settings.PLATFORM_NAME)
    Page.objects.filter(depth=1, title__in=DEFAULT_ROOT_TITLES).update(
        title=ROOT_TITLE, draft_title=ROOT_TITLE
    )


# Where Wagtail's first migration put the site: localhost, port 80.
DEFAULT_SITE_ADDRESS = {"hostname": "localhost", "port": 80}


def point_site_at_base_url() -> None:
    """The Wagtail site at the address people use (WAGTAILADMIN_BASE_URL): Wagtail builds the
    full address of a page from it (page.full_url: « Voir la page » in the approval e-mail, the
    RSS feeds' guids), which read http://localhost/… in production before (audit of session 32).
    An address an administrator chose (Paramètres › Sites) is kept: only the default is moved."""
    from wagtail.models import Site

    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    port = base.port or (443 if base.scheme == "https" else 80)
    if Site.objects.filter(**DEFAULT_SITE_ADDRESS).update(hostname=base.hostname, port=port):
        Site.clear_site_root_paths_cache()  # update() sends no signal to Wagtail's own clearing


@transaction.atomic
def ensure_section_page(model, *, slug: str, title: str, intro: str):
    """The portal's section page of `model` (guides, experiences, events), created under the home
    page and published if there is none yet; `intro` is its HTML introduction, also shown as
    text on the home page's section card and in search engines. Idempotent."""
    from union.models import HomePage

    page = model.objects.first()
    if page is None:
        page = model(title=title, slug=slug, intro=intro, search_description=strip_tags(intro))
        HomePage.objects.first().add_child(instance=page)
        page.save_revision().publish()
    return page


def index_home_page() -> None:
    """Put the home page in the search index: the migration that creates it bypasses Wagtail's
    save signals, so a new installation would otherwise never find its text."""
    from wagtail.search.index import insert_or_update_object

    from union.models import HomePage

    home = HomePage.objects.first()
    if home is not None:
        insert_or_update_object(home)

"""Platform-level set-up: the member template schema and the union's groups."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django_tenants.utils import schema_exists

from union import roles

# Wagtail page permissions each union group holds on the whole page tree.
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
COLLECTION_PERMISSIONS = [
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
]


def ensure_template_schema() -> str:
    """Create the (empty) template schema new members are cloned from; migrate it afterwards."""
    name = settings.TENANT_BASE_SCHEMA
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    return name


def ensure_union_groups() -> dict[str, Group]:
    """The four union roles as groups, with Wagtail admin access and page permissions. Idempotent."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    groups = {}
    for name in roles.UNION_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in PAGE_PERMISSIONS[name]:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission
            )
        if root_collection is not None:
            for codename in COLLECTION_PERMISSIONS:
                permission = Permission.objects.get(
                    codename=codename, content_type__app_label__in=["wagtailimages", "wagtaildocs"]
                )
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        groups[name] = group
    # Union admins run the Django admin too: every model permission.
    groups[roles.UNION_ADMIN].permissions.add(*Permission.objects.all())
    return groups


def index_home_page() -> None:
    """Put the home page in the search index: the migration that creates it bypasses Wagtail's
    save signals, so a new installation would otherwise never find its text."""
    from wagtail.search.index import insert_or_update_object

    from union.models import HomePage

    home = HomePage.objects.first()
    if home is not None:
        insert_or_update_object(home)

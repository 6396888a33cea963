from django.apps import AppConfig


class UnionConfig(AppConfig):
    name = "union"
    verbose_name = "Union (portail et comptes)"

    def ready(self):
        from django.db.models.signals import post_save

        from union.services import PAGE_PERMISSION_SCOPES, grant_scoped_page_permissions

        # A new events or experiences index page gives its union group the page permissions at
        # once (union.services.PAGE_PERMISSION_SCOPES); ensure_union_groups, run by
        # setup_platform, only sees the index pages that exist then.
        for label in PAGE_PERMISSION_SCOPES.values():
            post_save.connect(
                grant_scoped_page_permissions,
                sender=label,
                dispatch_uid=f"union_scoped_page_permissions_{label}",
            )

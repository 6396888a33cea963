from django.apps import AppConfig


def french_header_title(view) -> str:
    """« Nouveau : Événement » (a no-break space before the colon) where Wagtail writes
    « Nouveau: Événement »."""
    title, subtitle = view.get_page_title(), view.get_page_subtitle()
    return f"{title}\u00a0: {subtitle}" if subtitle else title


class UnionConfig(AppConfig):
    name = "union"
    verbose_name = "Union (portail et comptes)"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_save, pre_save
        from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

        from union import checks
        from union.services import PAGE_PERMISSION_SCOPES, grant_scoped_page_permissions
        from union.tokens import note_credentials_change, revoke_on_credentials_change

        # Wagtail joins an admin screen's title and subtitle in Python, untranslated, as
        # « Nouveau: Événement »; French puts a (no-break) space before the colon. Every admin
        # <title> and header goes through this method (tests/union/test_french_overrides_s23.py).
        WagtailAdminTemplateMixin.get_header_title = french_header_title

        # UNION_DEPARTEMENT, an unknown code refused at startup once the COG is loaded.
        checks.register()

        # A new password or a deactivated account revokes the person's API tokens.
        pre_save.connect(
            note_credentials_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="union_note_credentials_change",
        )
        post_save.connect(
            revoke_on_credentials_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="union_revoke_api_tokens",
        )

        # A new events or experiences index page gives its union group the page permissions at
        # once (union.services.PAGE_PERMISSION_SCOPES); ensure_union_groups, run by
        # setup_platform, only sees the index pages that exist then.
        for label in PAGE_PERMISSION_SCOPES.values():
            post_save.connect(
                grant_scoped_page_permissions,
                sender=label,
                dispatch_uid=f"union_scoped_page_permissions_{label}",
            )

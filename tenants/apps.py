from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Membres et référentiel géographique"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_save

        from tenants.sessions import end_sessions_of_closed_account

        # A deactivated account loses its sessions: a reactivation must not revive them.
        post_save.connect(
            end_sessions_of_closed_account,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="tenants_end_sessions_of_closed_account",
        )

from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "tenants.journal"
    label = "journal"
    verbose_name = "Journal des modifications (schéma du membre)"

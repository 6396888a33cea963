from django.apps import AppConfig


class LocalConfig(AppConfig):
    name = "abs_shared.local"
    label = "abs_local"
    verbose_name = "ABS du membre (schéma du membre)"

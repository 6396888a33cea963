from django.apps import AppConfig


class AbsSharedConfig(AppConfig):
    name = "abs_shared"
    verbose_name = "ABS mutualisée"

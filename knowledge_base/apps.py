from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KnowledgeBaseConfig(AppConfig):
    name = "knowledge_base"
    verbose_name = "Base de connaissances"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from knowledge_base import document_privacy, signals

        signals.connect()
        document_privacy.connect()
        post_migrate.connect(signals.on_post_migrate, sender=self, dispatch_uid="kb_post_migrate")

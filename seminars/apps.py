from django.apps import AppConfig


class SeminarsConfig(AppConfig):
    name = "seminars"
    verbose_name = "Séminaires et ateliers"

    def ready(self):
        from wagtail.signals import page_published

        from seminars.models import SeminarPage

        page_published.connect(_promote_on_publish, sender=SeminarPage)


def _promote_on_publish(sender, instance, **kwargs):
    # Seats may have been added: the waiting list moves without the organiser doing anything.
    from seminars.services import promote_after_edit

    promote_after_edit(instance)

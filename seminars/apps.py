from django.apps import AppConfig


class SeminarsConfig(AppConfig):
    name = "seminars"
    verbose_name = "Séminaires et ateliers"

    def ready(self):
        from django.db.models.signals import pre_save
        from wagtail.signals import page_published

        from seminars.models import SeminarPage

        page_published.connect(_promote_on_publish, sender=SeminarPage)
        pre_save.connect(_remember_live_version, sender=SeminarPage)
        page_published.connect(_tell_registrants_on_publish, sender=SeminarPage)


def _promote_on_publish(sender, instance, **kwargs):
    # Seats may have been added: the waiting list moves without the organiser doing anything.
    from seminars.services import promote_after_edit

    promote_after_edit(instance)


def _remember_live_version(sender, instance, update_fields=None, **kwargs):
    # Publishing saves the whole page (a revision saves only its own columns): the row is still
    # the version live until now, the one registrants' calendars hold. Read before it goes.
    instance.published_before = None
    if instance.pk is None or update_fields is not None:
        return
    live = sender.objects.filter(pk=instance.pk, live=True).first()
    if live is not None:
        instance.published_before = live.when_and_where()


def _tell_registrants_on_publish(sender, instance, revision=None, **kwargs):
    # The event moved (its times, its place): whoever is registered is told, with the calendar
    # file that moves it in their agenda (services.notify_event_change).
    from seminars.services import notify_event_change

    before = getattr(instance, "published_before", None)
    instance.published_before = None  # told once
    if before:
        notify_event_change(instance, before, actor=getattr(revision, "user", None))

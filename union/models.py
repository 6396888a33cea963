"""The portal's home page, the audit trail and the warnings before an unused account closes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The union's home page: the root of the public page tree."""

    intro = models.CharField("accroche", max_length=300, blank=True)
    body = RichTextField("présentation", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from tenants.models import MemberCCAS

        context["member_count"] = MemberCCAS.objects.filter(status=MemberCCAS.Status.ACTIVE).count()
        context["sections"] = self.get_children().live().public().specific()
        context.update(latest_portal_news())
        return context


def latest_portal_news(count: int = 3) -> dict:
    """What a visitor of the home page looks for first: the next events and the newest content."""
    # Imported here: these apps' models import union (audit, roles) at load time.
    from abs_shared.models import PublishedValue
    from knowledge_base.models import ExperiencePage, GuidePage
    from seminars.models import SeminarPage, Visibility

    return {
        "upcoming_events": SeminarPage.objects.live()
        .public()
        .filter(visibility=Visibility.PUBLIC, end__gte=timezone.now())
        .order_by("start")[:count],
        "latest_guides": GuidePage.objects.live().public().order_by("-first_published_at")[:count],
        "latest_experiences": ExperiencePage.objects.live()
        .public()
        .select_related("member__commune")
        .order_by("-first_published_at")[:count],
        "publishing_communes": PublishedValue.objects.of_communes()
        .values("commune")
        .distinct()
        .count(),
    }


class AuditEntry(models.Model):
    """Who did what, when, in which member space. Secrets are masked before they get here."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    member = models.ForeignKey(
        "tenants.MemberCCAS", on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=100, db_index=True)
    target = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal d'audit"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"


class InactivityWarning(models.Model):
    """The e-mail telling someone that their unused account will be deactivated
    (union.account_retention). It counts for one period of inactivity only: a sign-in after
    `warned_at` voids it, and the row is deleted when the account is deactivated, so that an
    account the union reactivates is warned again before it can be deactivated again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inactivity_warning",
        verbose_name="compte",
    )
    warned_at = models.DateTimeField("averti le")

    class Meta:
        verbose_name = "avertissement d'inactivité"
        verbose_name_plural = "avertissements d'inactivité"

    def __str__(self) -> str:
        return f"{self.user} averti le {self.warned_at:%Y-%m-%d}"

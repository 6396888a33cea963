"""« Aide de l'équipe de l'union » (`/admin/aide/`, menu « Aide » of the Wagtail admin): the
staff's own guide to this platform, in French, in place of Wagtail's English guides
(union.wagtail_hooks.remove_wagtail_english_help).

One page for everyone who signs into the admin: each section says whom it is for, and the
sections of the reader's own roles are marked, so that a colleague can also read what the others
do (an organiser who wonders who resends a failed e-mail). The steps name the real screens and
their labels (templates of seminars/, tenants/, knowledge_base/ and Wagtail's French
translation); the figures that a setting decides (review age, days a failed e-mail is kept) are
read from the settings rather than written down."""

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from union import roles

HELP_TITLE = "Aide de l'équipe de l'union"
# seminars.door_access.DOOR_STAFF; not imported: the help page must not load the seminars app's
# admin machinery for a menu label.
DOOR_STAFF = "Accueil des participants"
EVERYONE = (*roles.UNION_GROUPS, DOOR_STAFF)


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    groups: tuple[str, ...]  # who does it (union groups); administrators do everything

    @property
    def audience(self) -> str:
        names = [name for name in self.groups if name != roles.UNION_ADMIN]
        if set(self.groups) >= set(EVERYONE):
            return "toute l'équipe"
        return ", ".join([*names, roles.UNION_ADMIN]) if names else roles.UNION_ADMIN


SECTIONS = (
    Section("roles", "Qui voit quoi", EVERYONE),
    Section("guide", "Publier un guide pratique", (roles.EDITOR, roles.UNION_ADMIN)),
    Section("relecture", "Relire les guides « à relire »", (roles.EDITOR, roles.UNION_ADMIN)),
    Section("experience", "Publier l'expérience d'un membre", (roles.MODERATOR, roles.UNION_ADMIN)),
    Section(
        "evenement",
        "Créer un événement et ses ateliers",
        (roles.EVENT_ORGANISER, roles.UNION_ADMIN),
    ),
    Section(
        "inscriptions",
        "Ouvrir les inscriptions",
        (roles.EVENT_ORGANISER, roles.UNION_ADMIN),
    ),
    Section(
        "import",
        "Importer une liste et vérifier les communes",
        (roles.EVENT_ORGANISER, roles.UNION_ADMIN),
    ),
    Section(
        "accueil",
        "Le jour J : l'accueil et l'émargement",
        (roles.EVENT_ORGANISER, DOOR_STAFF, roles.UNION_ADMIN),
    ),
    Section(
        "exports",
        "Feuilles d'émargement, exports et attestations",
        (roles.EVENT_ORGANISER, roles.UNION_ADMIN),
    ),
    Section("message", "Écrire aux inscrits", (roles.EVENT_ORGANISER, roles.UNION_ADMIN)),
    Section(
        "actes",
        "Publier les actes d'un événement",
        (roles.EVENT_ORGANISER, roles.EDITOR, roles.UNION_ADMIN),
    ),
    Section("membres", "Ajouter un membre, changer son statut", (roles.UNION_ADMIN,)),
    Section("direction", "Inviter la direction d'un CCAS membre", (roles.UNION_ADMIN,)),
    Section("emails", "Renvoyer les e-mails non remis", (roles.UNION_ADMIN,)),
)


def groups_of(user) -> set[str]:
    """The reader's staff groups; a superuser counts as an administrator (union.roles)."""
    if user.is_superuser:
        return {roles.UNION_ADMIN}
    return set(user.groups.filter(name__in=EVERYONE).values_list("name", flat=True))


def _index_links() -> dict[str, str]:
    """Where the guides, the experiences and the events are in the page tree (their pages'
    ids differ from one installation to the next); "" for one not created yet."""
    from knowledge_base.models import ExperienceIndexPage, GuideIndexPage
    from seminars.models import SeminarIndexPage

    links = {}
    for name, model in (
        ("guides", GuideIndexPage),
        ("experiences", ExperienceIndexPage),
        ("events", SeminarIndexPage),
    ):
        index = model.objects.first()
        links[f"{name}_explore"] = reverse("wagtailadmin_explore", args=[index.pk]) if index else ""
        links[f"{name}_add"] = (
            reverse("wagtailadmin_pages:add_subpage", args=[index.pk]) if index else ""
        )
    return links


def staff_help(request):
    """The guide; Wagtail's admin access check is applied by register_admin_urls (anyone who
    may sign into the admin reads it)."""
    mine = groups_of(request.user)
    is_admin = roles.UNION_ADMIN in mine
    sections = [
        {"section": section, "mine": is_admin or bool(mine & set(section.groups))}
        for section in SECTIONS
    ]
    from tenants.workspace.archive import DEPARTURE_ARCHIVE_DAYS  # the view only, not the menu

    review_days = settings.KB_REVIEW_MAX_AGE_DAYS
    return render(
        request,
        "union/admin/help.html",
        {
            "page_title": HELP_TITLE,
            "header_icon": "help",
            "sections": sections,
            "my_groups": sorted(mine),
            "review_days": review_days,
            "review_months": round(review_days / 30.4),
            "failed_email_days": settings.FAILED_EMAIL_KEEP_DAYS,
            "reminder_days": settings.SEMINAR_REMINDER_DAYS,
            "archive_days": DEPARTURE_ARCHIVE_DAYS,
            "union_departement": settings.UNION_DEPARTEMENT,
            "platform_name": settings.PLATFORM_NAME,
            **_index_links(),
        },
    )

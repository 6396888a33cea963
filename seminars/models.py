"""Séminaires et ateliers (public schema): the events' pages, their ateliers, the registrations and
the proceedings ("actes")."""

import functools
import hashlib
import secrets
from collections import Counter
from datetime import UTC, time, timedelta
from urllib.parse import urlencode

from django.db import connection, models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from seminars import blocks
from seminars.durations import HoursMinutesField, describe_duration
from tenants.matching import compact, fold
from union.formats import TIME_SPACE, french_time, time_span
from union.page_paths import FreeAddressPageForm
from union.panels import NamedAddInlinePanel


class Kind(models.TextChoices):
    SEMINAIRE = "seminaire", "Séminaire"
    ATELIER_DEBUT_MANDAT = "atelier_debut_mandat", "Atelier début de mandat"
    ATELIER_THEMATIQUE = "atelier_thematique", "Atelier thématique"
    JOURNEE_ETUDE = "journee_etude", "Journée d'étude"
    COMMISSION = "commission", "Commission"
    CONGRES = "congres", "Congrès"


class Fonction(models.TextChoices):
    MAIRE = "maire", "Maire"
    MAIRE_ADJOINT = "maire_adjoint", "Maire adjoint(e) / adjoint(e) au maire"
    CONSEILLER_MUNICIPAL = "conseiller_municipal", "Conseiller(ère) municipal(e)"
    PRESIDENT_CCAS = "president_ccas", "Président(e) de CCAS"
    VICE_PRESIDENT_CCAS = "vice_president_ccas", "Vice-président(e) de CCAS"
    MEMBRE_CA = "membre_ca", "Membre du conseil d'administration"
    DIRECTEUR_CCAS = "directeur_ccas", "Directeur(trice) de CCAS"
    DGS = "dgs", "Directeur(trice) général(e) des services"
    AGENT_ACTION_SOCIALE = "agent_action_sociale", "Responsable / agent d'action sociale"
    CHARGE_MISSION = "charge_mission", "Chargé(e) de mission"
    PARTENAIRE = "partenaire", "Partenaire"
    AUTRE = "autre", "Autre"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    MEMBERS = "members", "Réservé aux membres de l'union"
    INVITATION = "invitation", "Sur invitation (lien personnel)"


def new_invitation_key() -> str:
    return secrets.token_urlsafe(24)


def invitation_mark(event_pk: int, key: str) -> str:
    """What a visitor's session keeps of an invitation she opened (SeminarPage.open_invitation):
    the event and a fingerprint of its key, so that renewing the key (services.
    renew_invitation_key) also closes the files to sessions opened with the old one."""
    return f"{event_pk}:{hashlib.sha256(key.encode()).hexdigest()[:16]}"


# The days around an event on which checking people in is expected (SeminarPage.check_in_days).
CHECK_IN_EARLY_DAYS = 1
CHECK_IN_LATE_DAYS = 7


class PortalPreviewMixin:
    """Previews render under the portal URLconf, as the portal serves the page. Wagtail builds a
    preview request that skips URL resolution, so the default (member) URLconf stays active and
    `{% url %}` or `page.url` would fail or come out empty. The response is rendered inside."""

    def serve_preview(self, request, mode_name):
        from tenants.services import portal_urlconf

        with portal_urlconf():
            response = super().serve_preview(request, mode_name)
            if callable(getattr(response, "render", None)):
                response.render()
        return response


class SeminarIndexPage(PortalPreviewMixin, Page):
    """The calendar of the union's events (/evenements/): upcoming list, month view, past events."""

    intro = RichTextField("introduction", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["union.HomePage"]
    subpage_types = ["seminars.SeminarPage"]
    max_count = 1
    base_form_class = FreeAddressPageForm  # not « /sante/ » nor « /contact/ »: union.page_paths

    class Meta:
        verbose_name = "calendrier des événements"
        verbose_name_plural = "calendriers des événements"

    def get_context(self, request, *args, **kwargs):
        from seminars.links import portal_path
        from seminars.views import calendar_context

        context = super().get_context(request, *args, **kwargs)
        context.update(calendar_context(self, request))
        feed = portal_path("ics_feed")
        if context["kind"]:
            feed += "?" + urlencode({"type": context["kind"]})
        context["feed_url"] = feed
        # Subscribing takes an absolute address: webcal:// opens the phone's or the computer's
        # calendar app on it; the http(s) one is for pasting into Google Agenda or Outlook.
        context["feed_address"] = request.build_absolute_uri(feed)
        context["feed_webcal"] = f"webcal://{request.get_host()}{feed}"
        context["feed_google"] = "https://calendar.google.com/calendar/render?" + urlencode(
            {"cid": context["feed_webcal"]}
        )
        return context


class SeminarPageForm(WagtailAdminPageForm):
    """The event's editor (add and edit views, previews). Atelier.clean checks an atelier
    against its event through `atelier.page`; modelcluster's formsets give that only to the
    ateliers already saved, so one added in this form escaped the check until the next save
    refused it. Every atelier form gets the event as typed: the page form validates first and
    writes the submitted start, end and seats on this same instance, which the ateliers'
    validation then reads."""

    def is_valid(self):
        ateliers = self.formsets.get("ateliers")
        if ateliers is not None:
            for form in ateliers.forms:
                form.instance.page = self.instance
        return super().is_valid()


class SeminarPage(PortalPreviewMixin, Page):
    """One event: a seminar, a workshop, a study day, a commission or a congress.

    Seats are counted from confirmed registrations; the page never stores a counter, so that
    publishing an old revision cannot reset it.
    """

    kind = models.CharField("type d'événement", max_length=30, choices=Kind.choices)
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    # Élus hand the attestation in as proof of training hours: end − start would count the lunch.
    attested_duration = HoursMinutesField(
        "durée de formation attestée (heures et minutes)",
        null=True,
        blank=True,
        help_text="Le temps de formation effectif, pauses et repas exclus, par exemple « 6 h 30 » : "
        "l'attestation de présence l'indique. Laissée vide, l'attestation donne les horaires "
        "sans durée.",
    )
    venue_name = models.CharField("lieu", max_length=200, blank=True)
    venue_address = models.TextField("adresse", blank=True)
    access_notes = models.TextField(
        "accès", blank=True, help_text="Transports, stationnement, accessibilité du lieu."
    )
    audience = models.CharField(
        "public visé", max_length=300, blank=True, help_text="Par exemple : élus nouvellement élus"
    )
    summary = models.TextField("résumé", blank=True)
    programme = StreamField(blocks.programme_blocks(), blank=True, verbose_name="programme")
    speakers = StreamField(blocks.speaker_blocks(), blank=True, verbose_name="intervenants")
    seats = models.PositiveIntegerField("nombre de places", default=50)
    registration_opens = models.DateTimeField("ouverture des inscriptions", null=True, blank=True)
    registration_closes = models.DateTimeField("clôture des inscriptions", null=True, blank=True)
    changes_until = models.DateTimeField(
        "modifications possibles jusqu'au",
        null=True,
        blank=True,
        help_text="Après cette date, le lien personnel ne permet plus de modifier ni d'annuler. "
        "Par défaut : le début de l'événement.",
    )
    visibility = models.CharField(
        "visibilité", max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    invitation_key = models.CharField(max_length=64, default=new_invitation_key, editable=False)
    # A copy (next year's edition) gets a fresh key: the old invitation must not open it; nor is
    # it cancelled because this one was.
    exclude_fields_in_copy = ["invitation_key", "cancelled_at", "cancellation_message"]
    organiser_name = models.CharField("contact organisateur", max_length=150, blank=True)
    organiser_email = models.EmailField("e-mail de contact", blank=True)
    organiser_phone = models.CharField("téléphone de contact", max_length=30, blank=True)
    # « Annuler l'événement » (services.cancel_event): not in the editor's form, and kept from
    # the database by with_content_json, so that publishing an older revision, or a draft
    # opened before the cancellation, does not bring a cancelled event back.
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True, editable=False)
    cancellation_message = models.TextField(
        "message de l'annulation", blank=True, editable=False, default="", db_default=""
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading="Dates"),
        FieldPanel("attested_duration"),
        FieldPanel("summary"),
        FieldPanel("audience"),
        MultiFieldPanel(
            [FieldPanel("venue_name"), FieldPanel("venue_address"), FieldPanel("access_notes")],
            heading="Lieu",
        ),
        FieldPanel("programme"),
        FieldPanel("speakers"),
        MultiFieldPanel(
            [
                HelpPanel(
                    "Les inscriptions confirmées ne dépassent jamais le nombre de places : au-delà, "
                    "les personnes sont placées en liste d'attente, dans l'ordre d'arrivée."
                ),
                FieldPanel("seats"),
                FieldRowPanel(
                    [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
                ),
                FieldPanel("changes_until"),
                FieldPanel("visibility"),
            ],
            heading="Inscriptions",
        ),
        NamedAddInlinePanel(
            "ateliers",
            heading="Ateliers",
            # Lowercase: Wagtail writes « {label|capfirst} 1 » above each.
            label="atelier",
            add_label="Ajouter un atelier",
            help_text="Deux ateliers dont les horaires se chevauchent ne peuvent pas être choisis "
            "par la même personne.",
        ),
        NamedAddInlinePanel(
            "evaluation_questions",
            heading="Questions ajoutées au questionnaire",
            label="question",
            add_label="Ajouter une question",
            help_text="Le questionnaire de satisfaction pose toujours les trois questions "
            "habituelles (appréciation générale, utilité, organisation), une note par atelier "
            "choisi et trois commentaires ; les questions ajoutées ici viennent après, dans cet "
            "ordre. Corriger l'intitulé d'une question garde ses réponses ; supprimer une "
            "question supprime ses réponses.",
        ),
        MultiFieldPanel(
            [
                FieldPanel("organiser_name"),
                FieldPanel("organiser_email"),
                FieldPanel("organiser_phone"),
            ],
            heading="Contact",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("venue_name"),
        index.SearchField("programme"),
        index.FilterField("start"),
        index.FilterField("kind"),
        index.FilterField("visibility"),
    ]
    parent_page_types = ["seminars.SeminarIndexPage"]
    subpage_types = ["seminars.ProceedingsPage"]
    base_form_class = SeminarPageForm

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"

    def clean(self):
        """Every error of the event's dates and seats at once, each on its field, in French: an
        organiser corrects them in one go rather than discovering them one save after another."""
        from django.core.exceptions import ValidationError

        super().clean()
        errors: dict[str, list[str]] = {}

        def refuse(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        dated = bool(self.start and self.end)
        if dated and self.end < self.start:
            refuse("end", "La fin doit suivre le début.")
        if self.attested_duration is not None:
            duration_error = self.attested_duration_error()
            if duration_error:
                refuse("attested_duration", duration_error)
        opens, closes = self.registration_opens, self.registration_closes
        if opens and closes and closes < opens:
            refuse("registration_closes", "La clôture doit suivre l'ouverture des inscriptions.")
        if dated and opens and opens >= self.end:
            refuse(
                "registration_opens",
                "L'ouverture des inscriptions doit précéder la fin de l'événement "
                f"({_moment(self.end)}).",
            )
        if dated and closes and closes > self.end:
            refuse(
                "registration_closes",
                "La clôture des inscriptions ne peut pas suivre la fin de l'événement "
                f"({_moment(self.end)}) : personne ne s'inscrit à un événement passé.",
            )
        if dated and self.changes_until and self.changes_until > self.end:
            refuse(
                "changes_until",
                "La date limite des modifications ne peut pas suivre la fin de l'événement "
                f"({_moment(self.end)}) : après, une inscription ne s'annule plus et ses ateliers "
                "ne changent plus (présences, attestations).",
            )
        if dated and self.expire_at and self.expire_at < self.end:
            # Wagtail's scheduled unpublishing runs without any admin hook: an event that
            # vanished before its end would leave its registrants expecting it, their links
            # leading nowhere (wagtail_hooks refuses the same by hand).
            refuse(
                "expire_at",
                "La date d'expiration dépublierait l'événement avant sa fin "
                f"({_moment(self.end)}), sans prévenir les inscrits. Pour qu'il n'ait pas lieu, "
                "annulez-le (« Annuler l'événement » dans ses inscriptions) : ils sont "
                "prévenus.",
            )
        if self.seats is not None:
            if self.seats < 1:
                refuse("seats", "Indiquez au moins une place.")
            elif self.pk:
                seats_error = seats_below_confirmed(
                    self.seats, self.confirmed_count(), saved_seats(SeminarPage, self.pk)
                )
                if seats_error:
                    refuse("seats", seats_error)
        if errors:
            raise ValidationError(errors)

    def attested_duration_error(self) -> str:
        """Why the attested duration cannot be certified, or "": it is more than nothing and no
        more than the event's span."""
        if self.attested_duration <= timedelta(0):
            return "La durée de formation attestée doit être positive, par exemple « 6 h 30 »."
        if self.start and self.end and self.attested_duration > elapsed(self.start, self.end):
            span = describe_duration(elapsed(self.start, self.end))
            return (
                f"La durée de formation attestée ne peut pas dépasser celle de l'événement "
                f"({span} entre le début et la fin)."
            )
        return ""

    # Kept from the database whatever the revision says (with_content_json).
    PAGE_WIDE_FIELDS = ("cancelled_at", "cancellation_message", "invitation_key")

    def with_content_json(self, content):
        """A revision as a page, with the cancellation and the invitation key of the page as they
        are now: the event was cancelled for everyone (e-mails sent, calendars updated), and a
        renewed key shut the old link out; no revision undoes either."""
        page = super().with_content_json(content)
        for name in self.PAGE_WIDE_FIELDS:
            setattr(page, name, getattr(self, name))
        return page

    def when_and_where(self) -> dict:
        """What a registrant's calendar holds of the event: its times and its place, and each
        atelier's times and room (by id: [start, end, room]), as JSON (task arguments;
        services.event_changes compares two)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "venue": self.location_line,
            "ateliers": {
                str(atelier.pk): [
                    atelier.starts_at.isoformat(),
                    atelier.ends_at.isoformat(),
                    atelier.room,
                ]
                for atelier in self.ateliers.all()
                if atelier.pk and atelier.starts_at and atelier.ends_at
            },
        }

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    def registration_state(self, now=None) -> str:
        """ "open", "not_yet" or "closed". Always closed once the event has ended, whatever
        closing date was typed (the form refuses one after the end; older pages may have it)."""
        now = now or timezone.now()
        if self.is_cancelled or self.has_ended(now) or now >= self.registration_deadline():
            return "closed"
        if self.registration_opens and now < self.registration_opens:
            return "not_yet"
        return "open"

    def registration_deadline(self):
        """Registrations close at `registration_closes`, or when the event starts."""
        return self.registration_closes or self.start

    def has_ended(self, now=None) -> bool:
        return self.end <= (now or timezone.now())

    def changes_deadline(self):
        """The start, or the date the organisers chose, never after the end (a date saved before
        clean() refused it): after the event, cancelling would lose an attestation and give a
        seat away, changing ateliers would change those it certifies."""
        if self.changes_until is None:
            return self.start
        return min(self.changes_until, self.end) if self.end else self.changes_until

    def is_event_day(self, now=None) -> bool:
        """Whether today (local time) is one of the event's days: the organisers' list then
        opens on the welcome desk (the list first, search and check-in)."""
        today = timezone.localdate(now or timezone.now())
        return timezone.localdate(self.start) <= today <= timezone.localdate(self.end)

    def check_in_days(self) -> tuple:
        """The local dates on which checking people in is expected: from the day before the
        event (a welcome desk set up the evening before) to a week after its end (the paper sheet
        typed in late). Outside them the organisers' screens ask for a confirmation: a check-in
        weeks before the event is a slip, and its attestation would be dated before the event."""
        return (
            timezone.localdate(self.start) - timedelta(days=CHECK_IN_EARLY_DAYS),
            timezone.localdate(self.end) + timedelta(days=CHECK_IN_LATE_DAYS),
        )

    def check_in_expected(self, now=None) -> bool:
        first, last = self.check_in_days()
        return first <= timezone.localdate(now or timezone.now()) <= last

    def has_started(self, now=None) -> bool:
        return self.start <= (now or timezone.now())

    def changes_open(self, now=None) -> bool:
        """Whether registrations may still be changed or withdrawn (the person's link, the
        member CCAS that registered them). Never for a cancelled event: nothing to change."""
        return not self.is_cancelled and (now or timezone.now()) < self.changes_deadline()

    @property
    def waiting_promise(self) -> str:
        """What someone on the event's waiting list is promised (her registration's answer, her
        page, her e-mail): once the registrants can no longer withdraw (registrations may stay
        open past the cut-off), only an organiser's withdrawal frees a seat."""
        if self.changes_open():
            return "Nous vous écrirons dès qu'une place se libère."
        return (
            "Les inscrits ne peuvent plus se désinscrire : une place ne se libérera que si "
            "l'équipe de l'union retire une inscription, et nous vous l'écririons alors."
        )

    def confirmed_count(self) -> int:
        return self.registrations.filter(status=Registration.Status.CONFIRMED).count()

    @cached_property
    def has_ateliers(self) -> bool:
        """Whether there are ateliers to choose: the personal page, the answers to registering
        and the e-mails offer to « changer d'ateliers » only then (one query per instance)."""
        return self.ateliers.exists()

    @cached_property
    def atelier_labels(self) -> dict[int, str]:
        """Atelier id -> its name in organisers' lists (atelier_names): its title, with its slot
        when another atelier has the same. One query per instance (Atelier.label reads it)."""
        return atelier_names(self.ateliers.all(), self)

    def atelier_label(self, atelier) -> str:
        """One atelier's name from atelier_labels (Atelier.label reads it through the event):
        for ateliers not read through this instance, with no query each."""
        return self.atelier_labels.get(atelier.pk, atelier.title)

    @property
    def location_line(self) -> str:
        """« Salle des fêtes, 12 rue de la Paix, 93140 Bondy »: the venue and its address on one
        line, for the e-mails' « Lieu : » and the .ics's LOCATION. The address is typed on several
        lines (street, postcode and town), which the admin's textarea sends as CRLF: the text
        e-mail broke the line after the street, the HTML ran « Paix 93140 » together, and
        LOCATION kept a "\r" before a stray comma; an event without a venue name began the line
        with a comma."""
        return ", ".join(part for part in (self.venue_name.strip(), self.address_line) if part)

    @property
    def address_line(self) -> str:
        """The address alone on one line (its typed lines joined by commas)."""
        lines = self.venue_address.splitlines()
        return ", ".join(line.strip() for line in lines if line.strip())

    @property
    def map_url(self) -> str:
        """The address on OpenStreetMap (a search, so that nothing needs geocoding here), for
        « Voir l'adresse sur une carte » on the event's page, the personal page and the HTML
        e-mails; "" without an address. A link only: no map is embedded, nothing loads from
        elsewhere."""
        lines = [line.strip() for line in self.venue_address.splitlines() if line.strip()]
        if not lines:
            return ""
        return "https://www.openstreetmap.org/search?" + urlencode({"query": ", ".join(lines)})

    def seats_left(self) -> int:
        # Lists annotate "confirmed" to count every event in one query.
        confirmed = getattr(self, "confirmed", None)
        return max(0, self.seats - (self.confirmed_count() if confirmed is None else confirmed))

    def over_capacity(self) -> int:
        """How many people organisers confirmed beyond the seats (« Confirmer malgré la jauge »,
        a walk-in checked in at the door); 0 within them."""
        confirmed = getattr(self, "confirmed", None)
        return max(0, (self.confirmed_count() if confirmed is None else confirmed) - self.seats)

    def invitation_ok(self, key: str | None) -> bool:
        if self.visibility != Visibility.INVITATION:
            return True
        # Bytes: compare_digest refuses non-ASCII str, which anyone can put in the query string.
        return bool(key) and secrets.compare_digest(str(key).encode(), self.invitation_key.encode())

    def open_invitation(self, request) -> bool:
        """Whether the request carries this event's invitation key (always, for an event not on
        invitation); one that does is remembered in the visitor's session, so that the files its
        pages link to (a programme's document, the proceedings' downloads) are served to her,
        and to nobody else (knowledge_base.wagtail_hooks, invitation_opened)."""
        if not self.invitation_ok(request.GET.get("invitation")):
            return False
        if self.visibility == Visibility.INVITATION and hasattr(request, "session"):
            opened = request.session.get(INVITATIONS_OPENED, [])
            mark = invitation_mark(self.pk, self.invitation_key)
            if mark not in opened:
                request.session[INVITATIONS_OPENED] = [*opened, mark]
        return True

    def get_sitemap_urls(self, request=None):
        # An invitation-only event's page opens only with its key (and says noindex).
        return super().get_sitemap_urls(request) if self.is_listed else []

    @property
    def is_listed(self) -> bool:
        return self.visibility != Visibility.INVITATION

    def serve(self, request, *args, **kwargs):
        from seminars.views import serve_seminar

        return serve_seminar(self, request, super().serve, *args, **kwargs)

    def get_context(self, request, *args, form=None, **kwargs):
        """Also used by Wagtail's previews (no serve(), a revision's ateliers in memory)."""
        from seminars.views import event_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_context(self, request, form))
        return context

    def get_proceedings(self):
        return ProceedingsPage.objects.child_of(self).live().first()


# What a registration reads of its event (RegistrationList.post, register_person). Any other field
# still loads on first access, with one query.
REGISTRATION_FIELDS = (
    "title",
    "start",
    "end",
    "seats",
    "registration_opens",
    "registration_closes",
    "changes_until",
    "visibility",
    "invitation_key",
    "cancelled_at",
)


@functools.cache
def _live_event_sql() -> str:
    query = SeminarPage.objects.live().only(*REGISTRATION_FIELDS).filter(pk=0).order_by().query
    sql, params = query.sql_with_params()
    if params != (0,):  # the primary key must be the query's only parameter
        raise RuntimeError(f"Paramètres inattendus pour la recherche d'un événement : {params}")
    return sql


def live_event(pk: int) -> "SeminarPage | None":
    """The live event `pk` as a page carrying REGISTRATION_FIELDS, or None.

    The registration API's hot path. Compiling this Wagtail page query (two tables, page
    ordering) took Django over fifteen times as long as running it, and was the largest part of
    a registration's CPU (docs/seminars.md): the SQL is compiled once per process, by Django's
    own compiler, and the row becomes a page as the ORM would make it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_live_event_sql(), [pk])
        row = cursor.fetchone()
        columns = [column.name for column in cursor.description]
    return None if row is None else SeminarPage.from_db(connection.alias, columns, row)


@functools.cache
def _restricted_sql() -> str:
    restriction, page = PageViewRestriction._meta.db_table, Page._meta.db_table
    return (
        f"SELECT 1 FROM {restriction} r JOIN {page} restricted ON restricted.id = r.page_id "
        f"JOIN {page} p ON p.path LIKE restricted.path || '%%' WHERE p.id = %s LIMIT 1"
    )


def behind_view_restriction(pk: int) -> bool:
    """Whether a Wagtail view restriction (login, password, groups) on page `pk` or above it
    hides it: Wagtail's own rule (PageQuerySet.public: the page or an ancestor restricted), the
    one listed_events, the detail and the .ics follow. On the registration API's hot path (as
    live_event): one query, its SQL written once, where Wagtail's queryset cost two and its
    compilation."""
    with connection.cursor() as cursor:
        cursor.execute(_restricted_sql(), [pk])
        return cursor.fetchone() is not None


class Atelier(Orderable):
    """A workshop inside an event, with its own time slot and seats."""

    page = ParentalKey(SeminarPage, on_delete=models.CASCADE, related_name="ateliers")
    title = models.CharField("intitulé", max_length=200)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    room = models.CharField("salle", max_length=100, blank=True)
    seats = models.PositiveIntegerField("places", default=20)
    description = models.TextField("description", blank=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("room"), FieldPanel("seats")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "atelier"

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        """Its name in organisers' lists and messages (SeminarPage.atelier_labels): no query for
        an atelier read through its event (`seminar.ateliers…` shares the event's instance);
        otherwise two, its event and its ateliers, so not in a loop over prefetched ones."""
        return self.page.atelier_label(self)

    def clean(self):
        """Every error at once, each on its field: the slot inside the event's dates, no more
        seats than the event has (the event's seats bound everyone anyway)."""
        from django.core.exceptions import ValidationError

        errors: dict[str, list[str]] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = ["La fin de l'atelier doit suivre son début."]
        event = self._event()
        if event is not None and event.start and event.end:
            if self.starts_at and not event.start <= self.starts_at < event.end:
                errors.setdefault("starts_at", []).append(
                    "L'atelier doit commencer pendant l'événement, entre le "
                    f"{_moment(event.start)} et le {_moment(event.end)}."
                )
            if self.ends_at and not event.start < self.ends_at <= event.end:
                errors.setdefault("ends_at", []).append(
                    f"L'atelier doit finir au plus tard à la fin de l'événement, le "
                    f"{_moment(event.end)}."
                )
        if self.seats is not None:
            if self.seats < 1:
                errors["seats"] = ["Indiquez au moins une place."]
            elif event is not None and event.seats and self.seats > event.seats:
                errors["seats"] = [
                    f"Un atelier ne peut pas avoir plus de places que l'événement ({event.seats})."
                ]
            elif self.pk:
                seats_error = seats_below_confirmed(
                    self.seats, self.confirmed_count(), saved_seats(Atelier, self.pk)
                )
                if seats_error:
                    errors["seats"] = [seats_error]
        if errors:
            raise ValidationError(errors)

    def _event(self) -> "SeminarPage | None":
        """The event as the organiser is editing it (the page form's values, in memory), if any."""
        try:
            return self.page
        except SeminarPage.DoesNotExist:
            return None

    def overlaps(self, other: "Atelier") -> bool:
        """Half-open slots: one ending at 11:00 does not overlap one starting at 11:00."""
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def confirmed_count(self) -> int:
        return self.registrations.filter(status=Registration.Status.CONFIRMED).count()


def saved_seats(model, pk) -> int | None:
    """The seats as saved before this edit, None for something not saved yet."""
    return model.objects.filter(pk=pk).values_list("seats", flat=True).first()


def seats_below_confirmed(seats: int, confirmed: int, saved: int | None = None) -> str | None:
    """The organiser's error when seats would drop below the people already confirmed: nobody
    is moved to the waiting list behind their back, the organiser cancels whom they choose.

    `saved`: the seats before this edit. People confirmed over capacity (« Confirmer malgré la
    jauge ») leave more confirmed than seats: the event is still edited with its seats unchanged,
    and they may not go down any further."""
    if seats >= confirmed or (saved is not None and seats >= saved):
        return None
    floor = confirmed if saved is None else min(confirmed, saved)
    people = (
        "1 personne est déjà confirmée"
        if confirmed == 1
        else (f"{confirmed} personnes sont déjà confirmées")
    )
    return (
        f"{people} : le nombre de places ne peut pas descendre sous {floor}. "
        "Annulez d'abord des inscriptions depuis la liste des inscrits."
    )


def _moment(value) -> str:
    """A date and time in an error message: « 14/01/2027 à 17 h », local time (french_time)."""
    local = timezone.localtime(value)
    return f"{local:%d/%m/%Y} à {french_time(local)}"


WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
WEEKDAYS_SHORT = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def elapsed(start, end) -> timedelta:
    """The time that passes from `start` to `end`. Two aware datetimes sharing one tzinfo (the
    admin form's and the API's, both in the union's TIME_ZONE) subtract as wall clocks: a night across
    the October change would last an hour less, one across the March change an hour more."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def slots_need_date(seminar, ateliers=None) -> bool:
    """Whether atelier times carry their date: the event lasts 24 hours or more, or its ateliers
    fall on different days. (Start and end on different dates is not enough: an evening that ends
    after midnight is one day.) `ateliers`: all the event's ateliers when the caller has them."""
    if seminar.start and seminar.end and elapsed(seminar.start, seminar.end) >= timedelta(days=1):
        return True
    if ateliers is None:
        ateliers = seminar.ateliers.all()  # in memory for a preview or a revision
    days = {timezone.localdate(a.starts_at) for a in ateliers if a.starts_at}
    return len(days) > 1


# An evening that runs past midnight is one day (slots_need_date): an event that ends before this
# hour the morning after its start belongs to its first day only (the calendar's month).
NIGHT_ENDS = time(6)


def event_last_day(start, end):
    """The last local date an event occupies: its end's, or its start's for a night that ends
    before NIGHT_ENDS the next morning (23 h – 1 h is one evening, not two days)."""
    starts, ends = timezone.localtime(start), timezone.localtime(end)
    if (
        ends.date() == starts.date() + timedelta(days=1)
        and ends - starts < timedelta(days=1)
        and ends.time() < NIGHT_ENDS
    ):
        return starts.date()
    return ends.date()


def atelier_slot(atelier, with_date: bool) -> str:
    """An atelier's time, « 9 h – 11 h 30 », or « mar. 12 mai, 9 h – 11 h 30 » on a multi-day
    event (`with_date` from `slots_need_date`); « mar. 12 mai, 22 h – mer. 13 mai, 1 h » over
    midnight. The one label of the page, the form, the e-mails, the attestation and the
    attendance sheet's title (union.formats.time_span: no-break spaces inside each time and
    before the dash)."""
    if not (atelier.starts_at and atelier.ends_at):  # a preview of an atelier being typed
        return ""
    starts, ends = timezone.localtime(atelier.starts_at), timezone.localtime(atelier.ends_at)
    if not with_date:
        return time_span(starts, ends)

    def day(moment) -> str:
        number = "1er" if moment.day == 1 else moment.day
        return f"{WEEKDAYS_SHORT[moment.weekday()]} {number} {MONTHS[moment.month - 1]}"

    if starts.date() == ends.date():
        return f"{day(starts)}, {time_span(starts, ends)}"
    return f"{day(starts)}, {french_time(starts)}{TIME_SPACE}– {day(ends)}, {french_time(ends)}"


def with_slots(ateliers, seminar, event_ateliers=None) -> list:
    """`ateliers` as a list, each with `slot` (`atelier_slot`) for templates. `event_ateliers`:
    all the event's ateliers when `ateliers` is a subset (one person's); fetched otherwise."""
    ateliers = list(ateliers)
    with_date = slots_need_date(seminar, event_ateliers)
    for atelier in ateliers:
        atelier.slot = atelier_slot(atelier, with_date)
    return ateliers


def title_key(title: str) -> str:
    """An atelier's title as a typed list reads it: accents, case, spaces and punctuation
    ignored (the commune matcher's folding), « Accès aux droits » = « ACCES AUX DROITS »."""
    return compact(fold(title))


def titled_with_slot(atelier, with_date: bool) -> str:
    """« Accès aux droits – jeu. 4 décembre, 14 h – 16 h »: how atelier_names tells
    an atelier from another of the same title, and a name the import reads back."""
    return f"{atelier.title} – {atelier_slot(atelier, with_date)}"


def atelier_names(ateliers, seminar) -> dict[int, str]:
    """Each atelier's name where organisers read the event's ateliers in a list (« Chiffres »,
    the list's filter, the desk, the attendance sheets, the opinions, the exports and the
    import): its title, and its time slot (atelier_slot) when another atelier has the same
    title, the same atelier given on two days, or morning and afternoon:
    « Accès aux droits – jeu. 4 décembre, 14 h – 16 h »,
    « Accès aux droits – ven. 5 décembre, 14 h – 16 h »;
    its room too when title and slot still repeat (two groups at once). Titles repeat as the
    import reads them (`title_key`: accents, case, spaces and punctuation ignored), so that each
    name reads back as its own atelier. `ateliers`: all the event's. Returns id -> name."""
    ateliers = list(ateliers)
    with_date = slots_need_date(seminar, ateliers)

    def repeated(names: dict[int, str]) -> set[int]:
        keys = Counter(title_key(name) for name in names.values())
        return {pk for pk, name in names.items() if keys[title_key(name)] > 1}

    names = {a.pk: a.title for a in ateliers}
    same_title = repeated(names)
    for atelier in ateliers:
        slot = atelier_slot(atelier, with_date)
        if atelier.pk in same_title and slot:
            names[atelier.pk] = titled_with_slot(atelier, with_date)
    still = repeated(names)
    for atelier in ateliers:
        if atelier.pk in still and atelier.room:
            names[atelier.pk] = f"{names[atelier.pk]}, {atelier.room}"
    return names


def with_taken(ateliers: models.QuerySet) -> models.QuerySet:
    """Ateliers annotated with their confirmed registrations ("taken"), in starting order."""
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return ateliers.annotate(taken=models.Count("registrations", filter=confirmed)).order_by(
        "starts_at", "sort_order"
    )


def position_label(position: int | None) -> str:
    """ "1re", "2e"… as French writes a rank in a queue; "" for none."""
    if position is None:
        return ""
    return "1re" if position == 1 else f"{position}e"


class Registration(models.Model):
    """One person registered for one event. No account: the person acts through a signed link.

    The commune is matched with the foundation's matcher; text that cannot be matched is kept as
    typed (`commune_typed`) and flagged with suggestions for the organiser.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmée"
        WAITLISTED = "waitlisted", "Liste d'attente"
        CANCELLED = "cancelled", "Annulée"

    class CommuneStatus(models.TextChoices):
        MATCHED = "matched", "Reconnue"
        FLAGGED = "flagged", "À vérifier"

    class Source(models.TextChoices):
        FORM = "form", "Formulaire"
        API = "api", "API"
        IMPORT = "import", "Import"
        MANUAL = "manual", "Ajout par l'organisateur"
        MEMBER = "member", "Inscription par un CCAS membre"
        # Someone who turned up unregistered, added at the welcome desk (door_views.door_add).
        DOOR = "door", "Ajout à l'accueil"

    seminar = models.ForeignKey(SeminarPage, on_delete=models.CASCADE, related_name="registrations")
    nom = models.CharField(max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    # Stored lower-cased; empty for imported lists without e-mails.
    email = models.EmailField("e-mail", blank=True)
    # Optional, for the organisers to call someone on the morning of the event; stored as
    # seminars.phones.normalise_phone writes it (« 06 12 34 56 78 », « +32 2 123 45 67 »).
    phone = models.CharField("téléphone", max_length=30, blank=True, default="", db_default="")
    commune = models.ForeignKey(
        "tenants.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commune_typed = models.CharField("commune saisie", max_length=200, blank=True)
    commune_status = models.CharField(
        max_length=10, choices=CommuneStatus.choices, default=CommuneStatus.MATCHED
    )
    commune_suggestions = models.JSONField(default=list, blank=True)
    fonction = models.CharField(max_length=30, choices=Fonction.choices)
    fonction_text = models.CharField(
        "fonction saisie", max_length=200, blank=True, help_text="Texte libre (« autre », import)."
    )
    ateliers = models.ManyToManyField(Atelier, blank=True, related_name="registrations")
    needs = models.TextField("besoins (accessibilité, alimentation)", blank=True)
    consent = models.BooleanField("accepte de figurer dans la liste publiée", default=False)
    status = models.CharField(max_length=12, choices=Status.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    # The member CCAS or CIAS whose director or agent registered the person (source « member »):
    # that member may withdraw the registration, whatever the person's commune.
    registered_by = models.ForeignKey(
        "tenants.MemberCCAS",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inscrite par le membre",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField("présence émargée le", null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # When the attestation de présence was queued for e-mailing (sent once, see certificates).
    certificate_sent_at = models.DateTimeField(null=True, blank=True)
    # The questionnaire de satisfaction's reminder, sent once (see evaluations.remind_to_answer).
    evaluation_reminded_at = models.DateTimeField(null=True, blank=True)
    # When the last e-mail that anyone typing the address can cause (an update through the public
    # form or API, a new link) was queued, or is due: see services.queue_public_notice.
    public_notice_at = models.DateTimeField(null=True, blank=True)
    # When « Pas de place libérée » was queued to someone still waiting once the event had
    # started (services.send_no_seat_notices): once.
    no_seat_sent_at = models.DateTimeField(null=True, blank=True)
    # How many e-mails bringing the personal link were queued (services.LINK_KINDS): an imported
    # person was sent none, and the first « Renvoyer le lien » gives her link, not a new one.
    links_sent = models.PositiveIntegerField(default=0, db_default=0)
    # When the retention period anonymised it (seminars.retention).
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription"
        ordering = ["nom", "prenom"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "email"],
                condition=~Q(email=""),
                name="one_registration_per_email",
            )
        ]
        indexes = [models.Index(fields=["seminar", "status"])]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom} ({self.get_status_display()})"

    @property
    def commune_label(self) -> str:
        return self.commune.nom if self.commune_id else self.commune_typed

    @property
    def published_commune(self) -> str:
        """The commune as the published list of participants shows it: only one matched to the
        official list; a flagged one was typed by hand and may be misspelt (« Aulnay-sous-Boi »)."""
        if self.commune_id and self.commune_status == self.CommuneStatus.MATCHED:
            return self.commune.nom
        return ""

    @property
    def commune_not_recognised(self) -> str:
        """What the person is told of a commune the matcher did not recognise (the page after
        registering, the personal page, the e-mails); "" once it is recognised or corrected."""
        if self.commune_status != self.CommuneStatus.FLAGGED:
            return ""
        return (
            f"Nous n'avons pas reconnu la commune « {self.commune_typed} » : l'équipe de "
            "l'union la vérifiera."
        )

    @property
    def source_label(self) -> str:
        """How the registration came, naming the member that made it (« Inscription par un
        membre : CCAS de Bondy »): select_related("registered_by") where many rows read it."""
        if self.registered_by_id:
            return f"Inscription par un membre : {self.registered_by.name}"
        return self.get_source_display()

    def waiting_position(self) -> int | None:
        """Rank on the waiting list, in the order seats go to people (promote_waiting's)."""
        if self.status != self.Status.WAITLISTED:
            return None
        return waiting_positions(self.seminar_id).get(self.pk)

    @property
    def waiting_position_label(self) -> str:
        return position_label(self.waiting_position())

    @property
    def was_present(self) -> bool:
        """Checked in on the day with a seat: what an attestation de présence certifies."""
        return self.status == self.Status.CONFIRMED and self.checked_in_at is not None

    @property
    def calendar_file_available(self) -> bool:
        """A seat held in an event still to come: what « Ajouter à mon agenda (.ics) » of the
        personal page offers (views.download_personal_ics), not for someone waiting or cancelled,
        a cancelled event or one over."""
        return (
            self.status == self.Status.CONFIRMED
            and not self.seminar.is_cancelled
            and not self.seminar.has_ended()
        )

    @property
    def certificate_available(self) -> bool:
        """The person gets their attestation once the event is over: it certifies that they
        took part in the whole of it (organisers may still print one earlier, to sign)."""
        return self.was_present and self.seminar.has_ended()

    @property
    def fonction_label(self) -> str:
        if self.fonction == Fonction.AUTRE and self.fonction_text:
            return self.fonction_text
        return self.get_fonction_display()


# Registration.was_present as a query: confirmed and checked in.
PRESENT = Q(status=Registration.Status.CONFIRMED, checked_in_at__isnull=False)


class AtelierPresence(models.Model):
    """One person seen in one atelier (« Présent(e) à l'atelier »), marked at the door or in the
    atelier's room: what the attestation and the atelier's attendance sheet certify once such
    presences are recorded for an event. The person may have chosen another atelier, or none:
    people change rooms on the day. Undone by deleting the row (seminars.attendance)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="atelier_presences"
    )
    atelier = models.ForeignKey(Atelier, on_delete=models.CASCADE, related_name="presences")
    checked_in_at = models.DateTimeField("présence émargée le", default=timezone.now)

    class Meta:
        verbose_name = "présence à un atelier"
        verbose_name_plural = "présences aux ateliers"
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "atelier"], name="one_presence_per_atelier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} – {self.atelier}"


class AtelierWaiting(models.Model):
    """A confirmed person's place on the waiting list of a full atelier (« Liste d'attente de
    l'atelier », from her personal page). When a seat frees there, the first of its list gets it
    and leaves the atelier she held at the same time, if any (services.give_freed_atelier_seats):
    a person in atelier B who would rather be in A, full, keeps B until A has room.

    Someone waiting for the event itself chooses full ateliers directly (promote_waiting waits
    for them too): this list is for those who already have their seat."""

    # Their foreign keys also cascade in the database (migration 0020): the previous version's
    # code, which serves during an upgrade and after a rollback, knows nothing of this table and
    # would be refused when it deletes a registration or an atelier with people waiting.
    # (DB_CASCADE cannot be used: Registration and Atelier are deleted by Python's cascade.)
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="atelier_waits"
    )
    atelier = models.ForeignKey(Atelier, on_delete=models.CASCADE, related_name="waiting")
    # Also the list's order: an organiser's « Placer en tête » (services.put_first_on_atelier_list)
    # sets it just before the first's.
    joined_at = models.DateTimeField("en liste d'attente depuis le", default=timezone.now)

    class Meta:
        verbose_name = "place en liste d'attente d'un atelier"
        verbose_name_plural = "listes d'attente des ateliers"
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "atelier"], name="one_wait_per_atelier")
        ]

    def __str__(self) -> str:
        return f"{self.registration} – {self.atelier} (liste d'attente)"


class RegistrationsListNotice(models.Model):
    """When « Retrouver mes inscriptions » last e-mailed an address the list of its
    registrations (services.send_registrations_list): at most one such e-mail per address per
    PUBLIC_NOTICE_INTERVAL, whoever types it. Keyed by a keyed digest of the normalised address
    (services.lookup_digest), never the address; rows older than the interval are deleted as new
    ones are written, so the table holds only the last ten minutes."""

    address_digest = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "envoi de « Retrouver mes inscriptions »"
        verbose_name_plural = "envois de « Retrouver mes inscriptions »"

    def __str__(self) -> str:
        return f"{self.address_digest[:8]}… ({self.sent_at:%Y-%m-%d %H:%M})"


def waiting_queue(seminar_id: int) -> models.QuerySet:
    """The event's waiting list in the order seats go to people: by arrival on the list."""
    return Registration.objects.filter(
        seminar_id=seminar_id, status=Registration.Status.WAITLISTED
    ).order_by("waitlisted_at", "pk")


def waiting_positions(seminar_id: int) -> dict[int, int]:
    """Registration id -> rank on the waiting list, in one query."""
    ids = waiting_queue(seminar_id).values_list("pk", flat=True)
    return {pk: rank for rank, pk in enumerate(ids, start=1)}


def atelier_waiting_list_ranks(seminar_id: int) -> dict[int, list[tuple[int, int]]]:
    """Registration id -> [(atelier id, rank)] on the event's atelier waiting lists
    (AtelierWaiting), in the order she joined them; ranks counted among confirmed people, those
    services.give_freed_atelier_seats serves. One query."""
    waits = AtelierWaiting.objects.filter(
        atelier__page_id=seminar_id, registration__status=Registration.Status.CONFIRMED
    ).order_by("joined_at", "pk")
    ranks: dict[int, list[tuple[int, int]]] = {}
    taken: Counter = Counter()
    for registration_id, atelier_id in waits.values_list("registration_id", "atelier_id"):
        taken[atelier_id] += 1
        ranks.setdefault(registration_id, []).append((atelier_id, taken[atelier_id]))
    return ranks


class Rating(models.IntegerChoices):
    """The four-level scale of French training evaluations: no middle, people have to lean."""

    VERY_GOOD = 4, "Très satisfaisant"
    GOOD = 3, "Satisfaisant"
    POOR = 2, "Peu satisfaisant"
    BAD = 1, "Pas satisfaisant"


class Evaluation(models.Model):
    """A participant's opinion of an event (« questionnaire de satisfaction »), given through
    their signed link once it has ended. Organisers read them without names: people answer more
    frankly, and the union needs the overall picture, not who said what."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="evaluation"
    )
    overall = models.PositiveSmallIntegerField("appréciation générale", choices=Rating.choices)
    usefulness = models.PositiveSmallIntegerField(
        "utilité pour votre mandat ou votre fonction", choices=Rating.choices
    )
    organisation = models.PositiveSmallIntegerField(
        "organisation et accueil", choices=Rating.choices
    )
    best = models.TextField("ce qui vous a été le plus utile", blank=True)
    improve = models.TextField("ce qui serait à améliorer", blank=True)
    wishes = models.TextField("thèmes souhaités pour de prochaines rencontres", blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "avis de participant"
        verbose_name_plural = "avis des participants"

    def __str__(self) -> str:
        return f"Avis sur {self.registration.seminar}"


class AtelierRating(models.Model):
    """How a participant rated one of the ateliers they chose."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="atelier_ratings"
    )
    atelier = models.ForeignKey(Atelier, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)

    class Meta:
        verbose_name = "note d'un atelier"
        verbose_name_plural = "notes des ateliers"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "atelier"], name="one_rating_per_atelier")
        ]

    def __str__(self) -> str:
        return f"{self.atelier} : {self.get_rating_display()}"


class EvaluationQuestion(Orderable):
    """A question an event's organisers add to its questionnaire, after the standard ones:
    a rating on the same scale, or a free answer."""

    class Kind(models.TextChoices):
        RATING = "rating", "Note (de « Très satisfaisant » à « Pas satisfaisant »)"
        TEXT = "text", "Réponse libre"

    page = ParentalKey(SeminarPage, on_delete=models.CASCADE, related_name="evaluation_questions")
    text = models.CharField("question", max_length=250)
    kind = models.CharField("type de réponse", max_length=10, choices=Kind, default=Kind.RATING)
    required = models.BooleanField(
        "réponse obligatoire",
        default=False,
        help_text="Sans réponse, le questionnaire n'est pas enregistré.",
    )

    panels = [FieldPanel("text"), FieldRowPanel([FieldPanel("kind"), FieldPanel("required")])]

    class Meta(Orderable.Meta):
        verbose_name = "question ajoutée"
        verbose_name_plural = "questions ajoutées"

    def __str__(self) -> str:
        return self.text

    @property
    def is_rating(self) -> bool:
        return self.kind == self.Kind.RATING


class EvaluationAnswer(models.Model):
    """A participant's answer to an added question: a rating or a text, by the question's kind.
    Deleting the question deletes its answers; rewording it keeps them."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        EvaluationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = "réponse à une question ajoutée"
        verbose_name_plural = "réponses aux questions ajoutées"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question} : {self.get_rating_display() if self.rating else self.text}"


def listed_event_paths(request=None) -> set[str]:
    """The tree paths of the live events not on invitation, read once per request: the sitemap
    asks it for every proceedings page (one query each for the parent event, before)."""
    cached = getattr(request, "_listed_event_paths", None)
    if cached is None:
        cached = set(
            SeminarPage.objects.live()
            .exclude(visibility=Visibility.INVITATION)
            .values_list("path", flat=True)
        )
        if request is not None:
            request._listed_event_paths = cached
    return cached


class ProceedingsPage(PortalPreviewMixin, Page):
    """The proceedings ("actes") of an event, published as a child of its SeminarPage."""

    preamble = RichTextField("préambule", blank=True)
    interventions = StreamField(
        blocks.intervention_blocks(), blank=True, verbose_name="interventions"
    )
    syntheses = StreamField(
        blocks.synthesis_blocks(), blank=True, verbose_name="synthèses des ateliers"
    )
    conclusion = RichTextField("conclusion", blank=True)
    downloads = StreamField(blocks.download_blocks(), blank=True, verbose_name="téléchargements")
    show_participants = models.BooleanField(
        "publier la liste des participants",
        default=True,
        help_text="Seules les personnes qui l'ont accepté à l'inscription y figurent, et, dès "
        "qu'une présence a été émargée pour l'événement, seulement les personnes émargées. Une "
        "commune non reconnue (à vérifier) n'est pas publiée : « – » à sa place.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("preamble"),
        FieldPanel("interventions"),
        FieldPanel("syntheses"),
        FieldPanel("conclusion"),
        FieldPanel("downloads"),
        FieldPanel("show_participants"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("preamble"),
        index.SearchField("interventions"),
        index.SearchField("syntheses"),
        index.SearchField("conclusion"),
    ]
    parent_page_types = ["seminars.SeminarPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    def clean(self):
        """One synthesis per atelier: two on the same one (a copy pasted and not renamed) gave
        the reader two versions of its proposals."""
        from django.core.exceptions import ValidationError

        super().clean()
        named = Counter(
            fold(block.value["atelier"]) for block in self.syntheses if block.value["atelier"]
        )
        twice = [
            block.value["atelier"]
            for block in self.syntheses
            if named[fold(block.value["atelier"])] > 1
        ]
        if twice:
            raise ValidationError(
                {
                    "syntheses": f"Deux synthèses portent sur l'atelier « {twice[0]} » : une "
                    "synthèse par atelier (rassemblez-les)."
                }
            )

    class Meta:
        verbose_name = "actes"
        verbose_name_plural = "actes"

    @property
    def available_downloads(self) -> list:
        """The download blocks whose document still exists: Wagtail lets a document used here
        be deleted, and its block then renders nothing (seminars/blocks/download.html); the
        page shows « Téléchargements » only above at least one."""
        return [block for block in self.downloads if block.value.get("document")]

    @cached_property
    def is_listed(self) -> bool:
        """As its event: the proceedings of an invitation-only event are for those with the key
        (no « index » for search engines, no Open Graph carrying the key: page_meta)."""
        return self.get_parent().specific.is_listed

    def get_sitemap_urls(self, request=None):
        # Its event's path: proceedings are its only child (parent_page_types).
        event_path = self.path[: -self.steplen]
        listed = event_path in listed_event_paths(request)
        return super().get_sitemap_urls(request) if listed else []

    def serve(self, request, *args, **kwargs):
        # The proceedings of an invitation-only event are as private as the event itself, and
        # go with it when it is unpublished (Wagtail's routing does not check the parents).
        event = self.get_parent().specific
        if not event.live or not event.open_invitation(request):
            raise Http404("Actes introuvables.")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from seminars.links import event_path

        context = super().get_context(request, *args, **kwargs)
        seminar = self.get_parent().specific
        context["seminar"] = seminar
        # Only readers with the key get here for an invitation-only event (serve), or a preview.
        context["seminar_url"] = event_path(seminar)
        context["participants"] = published_participants(seminar) if self.show_participants else []
        return context


# The invitation-only events whose key the visitor's session has shown (SeminarPage.open_invitation).
INVITATIONS_OPENED = "seminars_invitations_opened"


def invitation_opened(request, pages) -> bool:
    """Whether one of `pages` (a queryset of live pages) is, or lies under, a live invitation-only
    event whose current key this visitor opened it with (SeminarPage.open_invitation)."""
    opened = getattr(request, "session", {}).get(INVITATIONS_OPENED)
    if not opened:
        return False
    # Marks written before keys were fingerprinted are bare ids: never read again (opening the
    # page with its key writes a new one).
    marks = {mark for mark in opened if isinstance(mark, str)}
    event_pks = {int(mark.split(":", 1)[0]) for mark in marks}
    events = SeminarPage.objects.live().filter(pk__in=event_pks, visibility=Visibility.INVITATION)
    return any(
        invitation_mark(event.pk, event.invitation_key) in marks
        and pages.descendant_of(event, inclusive=True).exists()
        for event in events
    )


def published_participants(seminar: SeminarPage) -> models.QuerySet:
    """Who the proceedings list: confirmed people who consented, and, once check-in has been
    used for the event (anyone present), only those checked in: people who did not come did not
    take part. Without any check-in (the organisers did not use it) the confirmed stand for the
    participants, as in the year report (annual_report.participants)."""
    people = seminar.registrations.filter(status=Registration.Status.CONFIRMED, consent=True)
    if seminar.registrations.filter(PRESENT).exists():
        people = people.filter(checked_in_at__isnull=False)
    return people.select_related("commune").order_by("nom", "prenom")

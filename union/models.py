"""The portal's home page, the union's identity (site settings), the audit trail and the warnings
before an unused account closes."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from seminars.phones import normalise_phone


class HomePage(Page):
    """The union's home page: the root of the public page tree."""

    intro = models.CharField("accroche", max_length=300, blank=True)
    body = RichTextField("présentation", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil"
        verbose_name_plural = "pages d'accueil"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from tenants.models import MemberCCAS

        context["member_count"] = MemberCCAS.objects.filter(status=MemberCCAS.Status.ACTIVE).count()
        context["sections"] = self.get_children().live().public().specific()
        context["departement_name"] = union_departement_name()
        context.update(latest_portal_news())
        return context


def union_departement_name() -> str:
    """The name of the union's département (« Seine-Saint-Denis »), from the COG: a visitor on a
    phone must see at once whose union this is, whatever the editors named the home page."""
    from tenants.models import Departement

    return (
        Departement.objects.filter(code=settings.UNION_DEPARTEMENT)
        .values_list("nom", flat=True)
        .first()
        or ""
    )


def latest_portal_news(count: int = 3) -> dict:
    """What a visitor of the home page looks for first: the next events and the newest content."""
    # Imported here: these apps' models import union (audit, roles) at load time.
    from abs_shared.models import PublishedValue
    from knowledge_base.models import ExperiencePage, GuidePage
    from seminars.views import listed_events

    # Members-only events too, as the calendar lists them (their card says who may come); never
    # invitation-only ones. listed_events() counts the confirmed seats: a card says « Complet ».
    upcoming_events = list(listed_events().filter(end__gte=timezone.now())[:count])
    return {
        "upcoming_events": upcoming_events,
        "next_event": next((e for e in upcoming_events if e.start >= timezone.now()), None),
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


class AccessibilityStatus(models.TextChoices):
    """The three mentions the RGAA allows (RGAA 4.1, « obligations »)."""

    FULL = "totalement conforme", "totalement conforme"
    PARTIAL = "partiellement conforme", "partiellement conforme"
    NONE = "non conforme", "non conforme"


# La Poste's establishments share the SIREN 356 000 000 and follow their own rule: the sum of the
# SIRET's digits is a multiple of 5 (INSEE), the Luhn key aside.
LA_POSTE_SIREN = "356000000"


def siret_digits(value: str) -> str:
    """The SIRET as stored: its 14 digits, without the spaces people type (« 123 456 789 00012 »)."""
    return re.sub(r"\s+", "", value or "")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def validate_siret(value: str) -> None:
    """14 digits (spaces allowed) whose Luhn key is right; La Poste's by its own rule."""
    digits = siret_digits(value)
    if not digits:
        return
    if not re.fullmatch(r"\d{14}", digits):
        raise ValidationError(
            "Un numéro SIRET compte 14 chiffres (les 9 du SIREN, puis les 5 de l'établissement) : "
            "recopiez-le depuis l'avis de situation au répertoire Sirene.",
            code="invalid_siret",
        )
    if digits.startswith(LA_POSTE_SIREN):
        valid = sum(int(char) for char in digits) % 5 == 0 or luhn_valid(digits)
    else:
        valid = luhn_valid(digits)
    if not valid:
        raise ValidationError(
            "Ce numéro SIRET n'existe pas : sa clé de contrôle ne correspond pas. Un chiffre est "
            "sans doute faux ou inversé.",
            code="invalid_siret",
        )


def rna_code(value: str) -> str:
    """The RNA number as stored: « W » and nine digits, spaces removed, the W upper-case."""
    return re.sub(r"\s+", "", value or "").upper()


def validate_rna(value: str) -> None:
    code = rna_code(value)
    if code and not re.fullmatch(r"W\d{9}", code):
        raise ValidationError(
            "Un numéro RNA s'écrit « W » suivi de 9 chiffres (ex. : W931234567).",
            code="invalid_rna",
        )


def validate_phone(value: str) -> None:
    """A phone number as the rest of the platform reads them (seminars.phones)."""
    normalise_phone(value)


@deconstructible
class NotInFutureValidator:
    """A date that has happened: an audit « réalisé le 31 décembre 2030 » cannot be."""

    message = "Cette date est dans le futur : saisissez celle à laquelle l'audit a été réalisé."

    def __call__(self, value) -> None:
        if value is not None and value > timezone.localdate():
            raise ValidationError(self.message, code="future_date")

    def __eq__(self, other) -> bool:
        return isinstance(other, NotInFutureValidator)

    def __hash__(self) -> int:
        return hash(NotInFutureValidator)


# Django formats a validator's message with its limit: %% is a per cent sign.
RATE_MESSAGE = "Un taux de conformité va de 0 à 100 %%."


@register_setting(icon="site")
class UnionSettings(BaseGenericSetting):
    """Who publishes the portal and how to reach them: the footer of every page, the legal notice
    (/mentions-legales/), the accessibility statement (/accessibilite/) and /contact/.

    One row for the whole platform (a generic setting, not a per-site one): member hosts are not
    Wagtail sites, and their footer names the same union."""

    name = models.CharField(
        "dénomination",
        max_length=250,
        blank=True,
        help_text="Nom complet de l'union, tel que dans ses statuts (ex. : Union départementale "
        "des centres communaux d'action sociale de …). Vide : le nom de la plateforme.",
    )
    legal_form = models.CharField(
        "forme juridique",
        max_length=150,
        blank=True,
        default="Association régie par la loi du 1er juillet 1901",
    )
    siret = models.CharField(
        "numéro SIRET",
        max_length=20,
        blank=True,
        validators=[validate_siret],
        help_text="14 chiffres ; les espaces sont permis.",
    )
    rna = models.CharField(
        "numéro RNA",
        max_length=20,
        blank=True,
        validators=[validate_rna],
        help_text="Numéro du répertoire national des associations (W suivi de 9 chiffres).",
    )
    address = models.TextField("adresse postale", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField("adresse e-mail de contact", blank=True)
    opening_hours = models.CharField(
        "horaires",
        max_length=250,
        blank=True,
        help_text="Quand on peut appeler ou passer (ex. : du lundi au vendredi, de 9 h à 12 h 30 "
        "et de 14 h à 17 h).",
    )
    publication_director = models.CharField(
        "directeur ou directrice de la publication",
        max_length=150,
        blank=True,
        help_text="Prénom et nom : en général la présidente ou le président de l'union.",
    )
    publication_director_role = models.CharField(
        "sa fonction", max_length=150, blank=True, help_text="Ex. : présidente de l'union."
    )
    host_name = models.CharField(
        "hébergeur", max_length=200, blank=True, help_text="Raison sociale de l'hébergeur du site."
    )
    host_address = models.TextField("adresse de l'hébergeur", blank=True)
    host_phone = models.CharField(
        "téléphone de l'hébergeur", max_length=30, blank=True, validators=[validate_phone]
    )
    accessibility_audit_date = models.DateField(
        "date de l'audit d'accessibilité",
        null=True,
        blank=True,
        validators=[NotInFutureValidator()],
        help_text="Vide tant qu'aucun audit de conformité au RGAA n'a été fait : le site est "
        "alors déclaré « non conforme », comme le RGAA l'exige.",
    )
    accessibility_auditor = models.CharField("audit réalisé par", max_length=200, blank=True)
    accessibility_rate = models.PositiveSmallIntegerField(
        "taux de conformité (%)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0, RATE_MESSAGE), MaxValueValidator(100, RATE_MESSAGE)],
        help_text="Part des critères du RGAA respectés, selon l'audit.",
    )
    accessibility_statement_date = models.DateField(
        "date de la déclaration d'accessibilité", null=True, blank=True
    )

    panels = [
        MultiFieldPanel(
            [
                HelpPanel(
                    "Affiché en pied de chaque page et sur les pages « Contact » et « Mentions "
                    "légales »."
                ),
                FieldPanel("name"),
                FieldPanel("legal_form"),
                FieldRowPanel([FieldPanel("siret"), FieldPanel("rna")]),
            ],
            heading="L'union",
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("opening_hours"),
            ],
            heading="Coordonnées",
        ),
        MultiFieldPanel(
            [
                HelpPanel(
                    "La loi (LCEN, article 6) demande le nom du directeur ou de la directrice de "
                    "la publication, et le nom, l'adresse et le téléphone de l'hébergeur."
                ),
                FieldRowPanel(
                    [FieldPanel("publication_director"), FieldPanel("publication_director_role")]
                ),
                FieldPanel("host_name"),
                FieldPanel("host_address"),
                FieldPanel("host_phone"),
            ],
            heading="Mentions légales",
        ),
        MultiFieldPanel(
            [
                HelpPanel(
                    "L'état de conformité affiché découle de l'audit : « totalement conforme » à "
                    "100 %, « partiellement conforme » à partir de 50 %, « non conforme » en "
                    "dessous ou sans audit. Un audit vaut trois ans."
                ),
                FieldRowPanel(
                    [FieldPanel("accessibility_audit_date"), FieldPanel("accessibility_rate")]
                ),
                FieldPanel("accessibility_auditor"),
                FieldPanel("accessibility_statement_date"),
            ],
            heading="Déclaration d'accessibilité",
        ),
    ]

    class Meta:
        verbose_name = "identité et coordonnées de l'union"
        verbose_name_plural = "identité et coordonnées de l'union"

    @property
    def display_name(self) -> str:
        return self.name or settings.PLATFORM_NAME

    def clean(self):
        """Stored as the pages show them: the SIRET's 14 digits, the RNA's upper-case W, the
        phones in pairs (« 01 48 30 12 34 »). A value the field validators refused is left as
        typed, with its error."""
        super().clean()
        self.siret = siret_digits(self.siret)
        self.rna = rna_code(self.rna)
        for name in ("phone", "host_phone"):
            try:
                setattr(self, name, normalise_phone(getattr(self, name)))
            except ValidationError:
                pass
        has_date = self.accessibility_audit_date is not None
        if has_date != (self.accessibility_rate is not None):
            missing = "accessibility_rate" if has_date else "accessibility_audit_date"
            raise ValidationError(
                {
                    missing: "Un audit a une date et un taux de conformité : remplissez les deux, "
                    "ou aucun."
                }
            )

    @property
    def phone_uri(self) -> str:
        """« tel:+33100000000 »: a phone dials a French number written « 01 00 00 00 00 »."""
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        if digits.startswith("0") and len(digits) == 10:
            digits = f"+33{digits[1:]}"
        return f"tel:{digits}" if digits else ""

    def audit_valid(self, today=None) -> bool:
        """An audit counts for three years (RGAA: the statement is renewed at least that often)."""
        if self.accessibility_audit_date is None or self.accessibility_rate is None:
            return False
        today = today or timezone.localdate()
        audited = self.accessibility_audit_date
        if audited > today:  # typed before the admin refused future dates
            return False
        try:
            expires = audited.replace(year=audited.year + 3)
        except ValueError:  # 29 February
            expires = audited.replace(year=audited.year + 3, day=28)
        return today < expires

    def accessibility_status(self, today=None) -> str:
        """The RGAA's mention: without an audit in force, « non conforme », whatever was tested."""
        if not self.audit_valid(today):
            return AccessibilityStatus.NONE
        if self.accessibility_rate >= 100:
            return AccessibilityStatus.FULL
        if self.accessibility_rate >= 50:
            return AccessibilityStatus.PARTIAL
        return AccessibilityStatus.NONE

    def missing_legal_fields(self) -> list[str]:
        """What the legal notice still lacks, named as the admin form names it (for the union's
        staff, who see it on the page)."""
        required = (
            "address",
            "phone",
            "email",
            "publication_director",
            "host_name",
            "host_address",
            "host_phone",
        )
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in required
            if not getattr(self, name)
        ]


class AuditEntry(models.Model):
    """Who did what, when, in which member space. Secrets are masked before they get here."""

    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="auteur",
    )
    member = models.ForeignKey(
        "tenants.MemberCCAS",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="membre",
    )
    action = models.CharField("action", max_length=100, db_index=True)
    target = models.CharField("objet", max_length=300, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    class Meta:
        # The plural reads in Django's sentences: « Rechercher dans les entrées du journal… ».
        verbose_name = "entrée du journal de l'union"
        verbose_name_plural = "entrées du journal de l'union"
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

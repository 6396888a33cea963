"""A member's private workspace (tenant schema). Nothing here leaves the member's schema.

Only what a director explicitly publishes (tenants.models.PublicMemberProfile) is copied to public.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django_tenants.files.storage import TenantFileSystemStorage

DOCUMENT_FOLDER = "documents/"
FILE_NAME_MAX_LENGTH = 100  # Document.file's max_length (Django's default for a FileField)
# What the storage adds to a name already taken: "_" and seven random characters.
TAKEN_NAME_ROOM = 8
MAX_EXTENSION_LENGTH = 20  # after the last dot; longer is refused by the upload form
UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f/\\:*?"<>|]')


def fitting_file_name(filename: str, room: int) -> str:
    """`filename` cut to `room` characters, its extension kept: the storage otherwise refuses a
    long name whose part before the first dot is too short to be cut (a 400 page)."""
    if len(filename) <= room:
        return filename
    stem, dot, extension = filename.rpartition(".")
    if not dot or not stem or len(extension) + 2 > room:
        return filename[:room]
    return stem[: room - len(extension) - 1] + "." + extension


def document_upload_to(instance: "Document", filename: str) -> str:
    room = FILE_NAME_MAX_LENGTH - len(DOCUMENT_FOLDER) - TAKEN_NAME_ROOM
    return DOCUMENT_FOLDER + fitting_file_name(filename, room)


class Document(models.Model):
    """A file a member keeps in its space: stored per tenant, served only to its people."""

    class Category(models.TextChoices):
        # The kinds of papers a CCAS files (what its board, its budget and the law ask for).
        BOARD = "conseil", "Conseil d'administration (délibérations, procès-verbaux)"
        BUDGET = "budget", "Budget et finances"
        RULES = "reglements", "Règlements et procédures"
        ABS = "abs", "Analyse des besoins sociaux"
        REPORTS = "rapports", "Rapports d'activité"
        AGREEMENTS = "conventions", "Conventions et partenariats"
        OTHER = "autres", "Autres"

    title = models.CharField("titre", max_length=200)
    # « Autres » for the documents filed before categories existed: nothing is guessed for them.
    # Defaults in the database too, so that code of the previous release still inserts during a
    # rolling update (docs/operations.md: additive migrations).
    category = models.CharField(
        "catégorie",
        max_length=20,
        choices=Category.choices,
        default=Category.OTHER,
        db_default=Category.OTHER,
    )
    description = models.TextField("description", blank=True, default="", db_default="")
    document_date = models.DateField(
        "date du document",
        null=True,
        blank=True,
        help_text="Facultative : date de la séance, de la signature ou de la publication.",
    )
    file = models.FileField(
        "fichier",
        upload_to=document_upload_to,
        storage=TenantFileSystemStorage(),
        max_length=FILE_NAME_MAX_LENGTH,
    )
    # Public table; no database constraint across schemas (people are deactivated, not deleted).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The last « Remplacer le fichier »: the document keeps its title, its place and its link.
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    replaced_at = models.DateTimeField("fichier remplacé le", null=True, blank=True)

    class Meta:
        verbose_name = "document"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def file_name(self) -> str:
        """The stored file's name, without the member's folder."""
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        """ "pdf", "xlsx"… in lower case; "" when the name has none."""
        stem, dot, extension = self.file_name.rpartition(".")
        return extension.lower() if dot and stem else ""

    @property
    def download_name(self) -> str:
        """The name a download or a tab gets: the document's title, not the stored name (which
        the storage suffixes, "pv_a1B2c3D.pdf", and which a replacement changes), with the
        file's extension. Characters that file systems refuse become spaces."""
        name = " ".join(UNSAFE_IN_FILE_NAMES.sub(" ", self.title).split())[:150] or "document"
        return f"{name}.{self.extension}" if self.extension else name

    @property
    def file_format(self) -> str:
        """ "PDF", "XLSX"…: what the file will open with, from its name."""
        extension = self.extension
        return extension.upper() if extension and len(extension) <= 5 else "fichier"

    @property
    def file_size(self) -> int | None:
        """Bytes, or None when the file is missing from the storage (listed, not fatal)."""
        try:
            return self.file.size
        except OSError:
            return None


class TeamInvitation(models.Model):
    """One invitation e-mail sent to a person of the team (the first one or « Renvoyer
    l'invitation »), so that the team page can say when, for those who never signed in.

    Kept in the member's schema: the team page is the member's, and public tables never point
    into a schema. Invitations sent by the union (onboarding) have no row: the team page falls
    back to the membership's date."""

    # Public table; no database constraint across schemas (people are deactivated, not deleted).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField("envoyée le", auto_now_add=True, db_index=True)
    # True when the e-mail held a link to choose a password (the account had none).
    with_password_link = models.BooleanField(default=False)
    # The name the direction typed (« Inviter une personne »): what the team sees of the person
    # until she signs in to the space (services.team_name), whether the address had an account
    # of the platform or not. "" when she typed none; None on rows from before it was kept.
    first_name = models.CharField("prénom saisi", max_length=150, null=True, blank=True)
    last_name = models.CharField("nom saisi", max_length=150, null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.sent_at:%Y-%m-%d %H:%M}"

    @property
    def typed_name(self) -> str | None:
        """« Prénom Nom » as typed ("" if nothing was); None if the row predates typed names."""
        if self.first_name is None and self.last_name is None:
            return None
        return f"{self.first_name or ''} {self.last_name or ''}".strip()


# --- Profile ---------------------------------------------------------------------------------


class Profile(models.Model):
    """The CCAS/CIAS as it presents itself: one row per member schema (see Profile.load)."""

    class Kind(models.TextChoices):
        CCAS = "CCAS", "CCAS (centre communal d'action sociale)"
        CIAS = "CIAS", "CIAS (centre intercommunal d'action sociale)"

    legal_name = models.CharField("raison sociale", max_length=200)
    kind = models.CharField("nature", max_length=4, choices=Kind.choices, default=Kind.CCAS)
    address = models.CharField("adresse", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    website = models.URLField("site internet", blank=True)
    director_name = models.CharField("directeur ou directrice", max_length=200, blank=True)
    opening_hours = models.TextField(
        "horaires d'ouverture",
        blank=True,
        help_text="Par exemple : lundi-vendredi 9h-12h, 14h-17h.",
    )
    # What the director chose to show in the portal's members directory.
    publish_name = models.BooleanField("publier le nom dans l'annuaire", default=False)
    publish_services = models.BooleanField("publier les services dans l'annuaire", default=False)
    publish_contact = models.BooleanField(
        "publier les coordonnées dans l'annuaire",
        default=False,
        help_text="Adresse, téléphone, adresse électronique, site et horaires.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Always True and unique: at most one profile per schema, even under concurrent first visits.
    singleton = models.BooleanField(default=True, editable=False, unique=True)

    class Meta:
        verbose_name = "profil"

    def __str__(self) -> str:
        return self.legal_name

    @property
    def publishes_anything(self) -> bool:
        return self.publish_name or self.publish_services or self.publish_contact


class Service(models.Model):
    """A service the CCAS runs, with a short description."""

    class Kind(models.TextChoices):
        ACCUEIL = "accueil", "Accueil"
        EPICERIE = "epicerie", "Épicerie sociale"
        SENIORS = "seniors", "Pôle seniors"
        REUSSITE = "reussite", "Réussite éducative"
        DOMICILIATION = "domiciliation", "Domiciliation"
        RESIDENCE = "residence", "Résidence autonomie / EHPAD"
        PETITE_ENFANCE = "petite_enfance", "Petite enfance"
        OTHER = "other", "Autre"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField("service", max_length=20, choices=Kind.choices)
    label = models.CharField(
        "intitulé", max_length=100, blank=True, help_text="Obligatoire pour « Autre »."
    )
    description = models.CharField("description courte", max_length=500, blank=True)

    class Meta:
        verbose_name = "service"
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind"],
                condition=~models.Q(kind="other"),
                name="one_service_of_each_kind",
            )
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if self.kind == self.Kind.OTHER:
            return self.label or self.get_kind_display()
        return self.get_kind_display()


# --- Board (conseil d'administration) --------------------------------------------------------


class BoardMandate(models.Model):
    """One mandate of the board (usually the municipal term, e.g. 2020-2026)."""

    label = models.CharField("mandature", max_length=50, help_text="Par exemple : 2020-2026.")
    start = models.DateField("début")
    end = models.DateField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "mandature"
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.label


# A French postal address holds six lines at most (norme NF Z10-011, La Poste): the name and the
# « code postal COMMUNE » line leave four to the street, its number and its complements.
MAX_STREET_LINES = 4


def validate_postal_lines(value: str) -> None:
    if len([line for line in value.splitlines() if line.strip()]) > MAX_STREET_LINES:
        raise ValidationError(
            "L'adresse tient en quatre lignes au plus : La Poste en lit six avec le nom et "
            "la ligne du code postal et de la commune.",
            code="too_many_lines",
        )


validate_postal_code = RegexValidator(
    r"\A[0-9]{5}\Z", "Le code postal compte cinq chiffres.", code="postal_code"
)


class BoardMember(models.Model):
    """A seat on the board within one mandate. Replacements are new rows; nothing is deleted."""

    class Seat(models.TextChoices):
        PRESIDENT = "president", "Président(e) de droit (maire)"
        ELECTED = "elected", "Élu(e) du conseil municipal"
        APPOINTED = "appointed", "Nommé(e) par le maire"

    class Category(models.TextChoices):
        FAMILY = "family", "Associations familiales (UDAF)"
        INCLUSION = "inclusion", "Insertion et lutte contre les exclusions"
        ELDERLY = "elderly", "Retraités et personnes âgées"
        DISABILITY = "disability", "Personnes handicapées"
        OTHER = "other", "Autre"

    mandate = models.ForeignKey(BoardMandate, on_delete=models.CASCADE, related_name="members")
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    seat = models.CharField("siège", max_length=10, choices=Seat.choices)
    is_vice_president = models.BooleanField("vice-président(e)", default=False)
    association = models.CharField(
        "association", max_length=200, blank=True, help_text="Pour les membres nommés."
    )
    category = models.CharField(
        "catégorie d'association", max_length=12, choices=Category.choices, blank=True
    )
    start = models.DateField("début du mandat")
    end = models.DateField("fin du mandat", null=True, blank=True)
    # Where « Envoyer la convocation » writes to (meetings.convene_board). The member's own
    # data: never published, never in the union's trail. Defaults in the database too, so that
    # code of the previous release still inserts during a rolling update.
    email = models.EmailField(
        "adresse électronique",
        blank=True,
        default="",
        db_default="",
        help_text="Facultative : pour lui envoyer les convocations aux séances. Jamais publiée.",
    )
    # Where a convocation on paper goes (convocation_pdf prints it in the window of a DL
    # envelope): the same rules as the e-mail address, never published, never in the union's
    # trail, database defaults for a rolling update.
    postal_address = models.TextField(
        "adresse postale",
        blank=True,
        default="",
        db_default="",
        validators=[validate_postal_lines],
        help_text="Facultative : appartement, bâtiment ou résidence, puis numéro et voie, "
        "une ligne chacun. Pour les convocations papier. Jamais publiée.",
    )
    postal_code = models.CharField(
        "code postal",
        max_length=5,
        blank=True,
        default="",
        db_default="",
        validators=[validate_postal_code],
        help_text="Facultatif : pour les convocations papier. Jamais publié.",
    )
    city = models.CharField(
        "commune",
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text="Facultative : pour les convocations papier. Jamais publiée.",
    )

    # The postal address's fields, in the order an envelope reads them (the form's fieldset).
    POSTAL_FIELDS = ("postal_address", "postal_code", "city")

    class Meta:
        verbose_name = "membre du conseil d'administration"
        verbose_name_plural = "membres du conseil d'administration"
        # Président(e) first, then élus, then nommés (not the alphabetical order of the codes).
        ordering = [
            models.Case(
                models.When(seat="president", then=models.Value(0)),
                models.When(seat="elected", then=models.Value(1)),
                default=models.Value(2),
            ),
            "last_name",
            "first_name",
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def sits_on(self, day) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    @property
    def street_lines(self) -> list[str]:
        """The postal address's lines as typed, empty ones left out."""
        return [line.strip() for line in self.postal_address.splitlines() if line.strip()]

    @property
    def has_postal_address(self) -> bool:
        """Enough to post a letter: a street line and a commune."""
        return bool(self.street_lines and self.city.strip())


class BoardMeeting(models.Model):
    """A séance of the board. CASF R123-16 to R123-18: at least one séance a quarter; the
    convocation, with the agenda, sent three days at least before; the board deliberates only
    when the majority of its members in office attends, unless it meets again after a séance
    that lacked it. The rules are read in meetings.py."""

    date = models.DateField("date de la séance")
    time = models.TimeField("heure", null=True, blank=True)
    # Its length goes to the members' calendars (the convocation's .ics); without it, two hours.
    end_time = models.TimeField(
        "heure de fin prévue",
        null=True,
        blank=True,
        help_text="Facultative : elle figure sur la convocation et dans l'agenda des membres "
        "(deux heures sans elle).",
    )
    place = models.CharField("lieu", max_length=200, blank=True)
    convened_on = models.DateField("convocation adressée le", null=True, blank=True)
    reconvened = models.BooleanField(
        "nouvelle convocation faute de quorum",
        default=False,
        help_text="Le conseil réuni de nouveau après une séance sans quorum délibère quel que "
        "soit le nombre de membres présents.",
    )
    agenda = models.TextField("ordre du jour", blank=True, help_text="Un point par ligne.")
    abs_report = models.BooleanField(
        "rapport d'analyse des besoins sociaux présenté",
        default=False,
        help_text="Cochez si le rapport d'ABS a été présenté au conseil lors de cette séance "
        "(CASF R123-1).",
    )
    notes = models.TextField("observations", blank=True)
    # The séance's procès-verbal, a document of the space (category « conseil »): filed once
    # under Documents, found from the séance. A document deleted leaves the séance without one.
    minutes = models.ForeignKey(
        "Document",
        verbose_name="procès-verbal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="minutes_of",
    )
    # The last « Envoyer la convocation » (meetings.convene_board): a second sending asks first.
    convocation_sent_at = models.DateTimeField("convocation envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "séance du conseil d'administration"
        verbose_name_plural = "séances du conseil d'administration"
        ordering = ["-date", "-time", "-pk"]

    def __str__(self) -> str:
        return f"Séance du {self.date:%d/%m/%Y}"

    @property
    def upcoming(self) -> bool:
        """After today: a séance whose convocation can still be sent."""
        return self.date > timezone.localdate()

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class ConvocationSending(models.Model):
    """One « Envoyer la convocation » of a séance (meetings.convene_board), kept on the séance:
    what a director shows when a board member contests a deliberation. Names and addresses are
    copied as they were on that day (a seat edited later does not rewrite the record), and the
    sender is kept as a name, never a link to the public user table (the schema stays whole in
    the member's archive, and a person removed from the team leaves the record intact). Every
    column defaults in the database too (docs/operations.md: additive migrations)."""

    meeting = models.ForeignKey(
        BoardMeeting, on_delete=models.CASCADE, related_name="convocation_sendings"
    )
    sent_at = models.DateTimeField("envoyée le", default=timezone.now, db_default=Now())
    sent_by = models.CharField("envoyée par", max_length=200, blank=True, default="", db_default="")
    message = models.TextField("message", blank=True, default="", db_default="")
    # [{"name": …, "email": …}] of the members convened by e-mail.
    convened = models.JSONField("convoqués par courriel", default=list, db_default=[])
    # Names of the members in office without an address, to convene by other means.
    to_convene_otherwise = models.JSONField(
        "à convoquer par un autre moyen", default=list, db_default=[]
    )
    documents = models.JSONField("documents joints", default=list, db_default=[])
    # A paper convocation noted on the séance (meetings.record_paper_convocation): the members
    # it was handed or posted to and the day; empty for an e-mail sending.
    on_paper = models.JSONField(
        "convoqués sur papier (remise ou envoi postal)", default=list, db_default=[]
    )
    paper_date = models.DateField("convocation papier remise ou postée le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi de convocation"
        verbose_name_plural = "envois de convocation"
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"Convocation du {self.sent_at:%d/%m/%Y %H:%M} ({self.meeting})"


class MeetingAttendance(models.Model):
    """Whether one member of the board attended a séance; a member prevented gives a written
    proxy (pouvoir) to another, who holds one at most (CASF R123-16)."""

    class Presence(models.TextChoices):
        PRESENT = "present", "Présent(e)"
        PROXY = "proxy", "Représenté(e) (pouvoir donné)"
        EXCUSED = "excused", "Excusé(e)"
        ABSENT = "absent", "Absent(e)"

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="attendance")
    board_member = models.ForeignKey(
        BoardMember, on_delete=models.CASCADE, related_name="attendance"
    )
    presence = models.CharField("présence", max_length=10, choices=Presence.choices)
    proxy_holder = models.ForeignKey(
        BoardMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proxies_held",
        verbose_name="pouvoir donné à",
    )

    class Meta:
        verbose_name = "présence à une séance"
        verbose_name_plural = "présences aux séances"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "board_member"], name="one_attendance_per_meeting_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.board_member} – {self.get_presence_display()}"


# --- Activity report -------------------------------------------------------------------------


class ActivityFigure(models.Model):
    """One yearly figure of the activity report: a count and/or an amount in euros."""

    year = models.PositiveSmallIntegerField("année", db_index=True)
    pole = models.CharField("pôle", max_length=100)
    category = models.CharField("catégorie", max_length=150)
    count = models.PositiveIntegerField("nombre", null=True, blank=True)
    amount = models.DecimalField(
        "montant (€)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = "chiffre d'activité"
        verbose_name_plural = "chiffres d'activité"
        ordering = ["year", "pole", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "pole", "category"], name="one_figure_per_year_pole_category"
            ),
            models.CheckConstraint(
                condition=models.Q(count__isnull=False) | models.Q(amount__isnull=False),
                name="figure_has_count_or_amount",
                violation_error_message="Indiquez un nombre, un montant ou les deux.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.pole} · {self.category}"

"""Public schema: the official geography, the members (tenants), their domains and who may enter them."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.dispatch import receiver
from django_tenants.models import DomainMixin, TenantMixin


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.nom


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"


def departement_sort_key(code: str) -> tuple[str, str]:
    """Départements in INSEE order, where Corsica's 2A and 2B stand for the former 20: 19, 2A,
    2B, 21 … 95, 971 (a plain sort of the codes puts them after 29)."""
    code = code.upper()
    return ("20" if code in ("2A", "2B") else code[:2], code)


class Intercommunality(models.Model):
    """An EPCI à fiscalité propre (CC, CA, CU, métropole) or an EPT of the Métropole du Grand Paris."""

    class Kind(models.TextChoices):
        CC = "CC", "Communauté de communes"
        CA = "CA", "Communauté d'agglomération"
        CU = "CU", "Communauté urbaine"
        METRO = "METRO", "Métropole"
        MET69 = "MET69", "Métropole de Lyon"
        EPT = "EPT", "Établissement public territorial"

    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField(max_length=200)
    kind = models.CharField("nature", max_length=5, choices=Kind.choices)
    population = models.PositiveIntegerField("population municipale", default=0)
    # False once a COG vintage no longer lists it (merged, dissolved): the row stays, since
    # members point at it (PROTECT); import_cog names them.
    current = models.BooleanField("actuelle", default=True, db_default=True)

    class Meta:
        verbose_name = "intercommunalité"
        verbose_name_plural = "intercommunalités"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class Commune(models.Model):
    """A commune of the Code officiel géographique: a current one, or (`current` False) one a
    later vintage no longer lists, merged into another, kept for the rows that point at it."""

    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=200)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    population = models.PositiveIntegerField("population municipale", default=0)
    codes_postaux = ArrayField(models.CharField(max_length=5), default=list, blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    epci = models.ForeignKey(
        Intercommunality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        limit_choices_to={"kind__in": ["CC", "CA", "CU", "METRO", "MET69"]},
    )
    ept = models.ForeignKey(
        Intercommunality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ept_communes",
        limit_choices_to={"kind": "EPT"},
        help_text="Établissement public territorial (Métropole du Grand Paris).",
    )
    # Name folded for matching (no accents, case, punctuation; "st" -> "saint").
    match_key = models.CharField(max_length=200, db_index=True)
    # False once a COG vintage no longer lists it (a merger): members and registrations may
    # still point at it (PROTECT), so import_cog flags it and names them instead of deleting.
    # The matcher and the lists to pick from know current communes only.
    current = models.BooleanField("actuelle", default=True, db_default=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["nom"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.departement_id})"

    @property
    def intercommunality(self) -> "Intercommunality | None":
        """The closest grouping: the EPT inside the Métropole du Grand Paris, else the EPCI."""
        return self.ept or self.epci

    @property
    def intercommunality_sirens(self) -> list[str]:
        """The SIREN of its EPCI and of its EPT (inside the Métropole du Grand Paris), those it
        has: a CIAS of either serves it."""
        return [siren for siren in (self.epci_id, self.ept_id) if siren]


class CommuneAlias(models.Model):
    """A former or delegated commune name that now leads to a current commune (mergers)."""

    match_key = models.CharField(max_length=200, db_index=True)
    nom = models.CharField(max_length=200)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name = "ancien nom de commune"
        verbose_name_plural = "anciens noms de communes"

    def __str__(self) -> str:
        return f"{self.nom} → {self.commune_id}"


class MemberCCAS(TenantMixin):
    """A member of the union: a CCAS (one commune) or a CIAS (one intercommunality). The tenant."""

    class Kind(models.TextChoices):
        CCAS = "CCAS", "CCAS"
        CIAS = "CIAS", "CIAS"

    class Status(models.TextChoices):
        ACTIVE = "active", "Actif"
        SUSPENDED = "suspended", "Suspendu"
        LEFT = "left", "A quitté l'union"

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField(unique=True, max_length=50)
    kind = models.CharField("nature", max_length=4, choices=Kind.choices, default=Kind.CCAS)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="members", verbose_name="commune"
    )
    intercommunality = models.ForeignKey(
        Intercommunality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="Pour un CIAS : l'intercommunalité couverte.",
    )
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField("adhésion le")
    created_at = models.DateTimeField(auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = "membre"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune"], condition=models.Q(kind="CCAS"), name="one_ccas_per_commune"
            ),
            # A CIAS is the intercommunality's own body: a second one for the same
            # intercommunality is a mistake (the directory showed two identical names).
            models.UniqueConstraint(
                fields=["intercommunality"],
                condition=models.Q(kind="CIAS"),
                name="one_cias_per_intercommunality",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_cias(self) -> bool:
        return self.kind == self.Kind.CIAS

    @property
    def population(self) -> int:
        """The population it serves: its intercommunality's for a CIAS, not its seat commune's."""
        if self.is_cias and self.intercommunality_id:
            return self.intercommunality.population
        return self.commune.population

    def covered_communes(self) -> "models.QuerySet[Commune]":
        """The communes whose people this member serves: its own for a CCAS; for a CIAS, every
        commune of its intercommunality (EPCI, or EPT in the Métropole du Grand Paris): current
        ones only, since a former commune (merged) keeps the groupings of its last vintage; a CIAS
        of a former EPCI thus covers none, and import_cog names it."""
        if self.kind == self.Kind.CIAS and self.intercommunality_id:
            return Commune.objects.filter(
                models.Q(epci_id=self.intercommunality_id)
                | models.Q(ept_id=self.intercommunality_id),
                current=True,
            )
        return Commune.objects.filter(code=self.commune_id)

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Clone the migrated template, and stop there.

        django-tenants follows the clone with a whole faked `migrate` of the new schema, although
        the clone already holds the template's migration records: with every app's post_migrate
        handlers that doubled the onboarding time (measured 140 ms of 270). When the template is
        missing or has a pending migration, django-tenants' own path runs instead.
        """
        from django_tenants.clone import CloneSchema
        from django_tenants.utils import schema_exists

        from union.migration_executor import schemas_with_pending_migrations

        base = self.get_base_schema()
        usable = sync_schema and base and schema_exists(base)
        if not usable or schemas_with_pending_migrations([base]):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        CloneSchema().clone_schema(base, self.schema_name, self.clone_mode)
        connection.set_schema_to_public()
        return True

    @property
    def domain_name(self) -> str:
        return f"{self.slug}.{settings.PLATFORM_DOMAIN}"


class Domain(DomainMixin):
    class Meta:
        verbose_name = "domaine"


class MembershipQuerySet(models.QuerySet):
    def opening_the_space(self):
        """The accesses that let their person in: an active account that is not the union's
        (tenants.services.is_union_staff_account, which the member host refuses whatever its
        access: union.middleware). Whoever counts a member's direction or team (the last
        director, « Membres sans direction », « Écrire aux membres », « Mes espaces ») counts
        these, not an access the union's account keeps from before and that opens nothing."""
        from union.roles import UNION_GROUPS

        return self.filter(
            user__is_active=True, user__is_staff=False, user__is_superuser=False
        ).exclude(user__groups__name__in=UNION_GROUPS)


class Membership(models.Model):
    """Which member spaces a person may enter, and as what."""

    class Role(models.TextChoices):
        DIRECTOR = "director", "Directeur ou directrice"
        AGENT = "agent", "Agent"
        VIEWER = "viewer", "Lecture seule"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(MemberCCAS, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Per space, not per account: User.last_login is one date for all of a person's spaces (and
    # the portal), so a team could not tell whether she ever came *here*, and would learn of her
    # sign-ins elsewhere. Set by note_member_sign_in (below) on every login on this member's host.
    last_signed_in_at = models.DateTimeField("dernière connexion à l'espace", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "accès à un espace membre"
        verbose_name_plural = "accès aux espaces membres"
        constraints = [
            models.UniqueConstraint(fields=["user", "member"], name="one_membership_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.member} ({self.get_role_display()})"

    @property
    def can_write(self) -> bool:
        return self.role in (self.Role.DIRECTOR, self.Role.AGENT)

    @property
    def is_director(self) -> bool:
        return self.role == self.Role.DIRECTOR


@receiver(user_logged_in, dispatch_uid="tenants_note_member_sign_in")
def note_member_sign_in(sender, request, user, **kwargs):
    """Any login on a member host (the login form, the portal's hand-over, whatever comes next)
    counts for that space, and a login on the portal for none: the host's tenant says which.
    The portal's tenant is django-tenants' FakeTenant; a request built outside the middleware
    (Django's test client's force_login) has none."""
    member = getattr(request, "tenant", None)
    if isinstance(member, MemberCCAS):
        from tenants.services import record_member_sign_in
        from tenants.sessions import MEMBER_KEY

        record_member_sign_in(user, member)
        # Which space the session is for: removing the person from that team ends it
        # (tenants.sessions), and not her sessions on the portal or in her other spaces.
        session = getattr(request, "session", None)
        if session is not None:
            session[MEMBER_KEY] = member.pk


class HandoverLink(models.Model):
    """A single-use ticket that logs a portal user into one of their member spaces.

    Cookies are host-only, so moving from the portal to <slug>.<domain> needs either this or a
    second login. The signed token carries the nonce; the row makes it single-use.
    """

    nonce = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    member = models.ForeignKey(MemberCCAS, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lien de passage vers un espace membre"
        verbose_name_plural = "liens de passage vers les espaces membres"

    def __str__(self) -> str:
        return f"{self.user} → {self.member} ({'utilisé' if self.used_at else 'valide'})"


class PublicMemberProfile(models.Model):
    """What a member's director chose to publish in the portal's members directory.

    A copy written by tenants.workspace.services.set_profile_publication from the member's private
    profile; only the parts the director ticked are filled; the row is deleted when nothing is
    published any more. Public tables never point into a member schema, hence the copy.
    """

    member = models.OneToOneField(
        MemberCCAS, on_delete=models.CASCADE, related_name="public_profile"
    )
    name = models.CharField("nom publié", max_length=200, blank=True)
    # [{"label": str, "description": str}, ...]
    services = models.JSONField("services publiés", default=list, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    website = models.URLField("site internet", blank=True)
    opening_hours = models.TextField("horaires d'ouverture", blank=True)
    published_at = models.DateTimeField("publié le")

    class Meta:
        verbose_name = "fiche publique d'un membre"
        verbose_name_plural = "fiches publiques des membres"

    def __str__(self) -> str:
        return self.name or str(self.member)

    @property
    def has_contact(self) -> bool:
        return bool(self.address or self.phone or self.email or self.website or self.opening_hours)

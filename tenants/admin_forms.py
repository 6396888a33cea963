"""Forms of the union's member-management screens (Wagtail admin)."""

from datetime import date, datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from tenants.fields import AreaHintField
from tenants.matching import fold, match_in_union
from tenants.models import Intercommunality, MemberCCAS, Membership
from tenants.services import MembershipError, refuse_union_staff_as_direction
from union.formats import long_date
from union.user_forms import address_fits_username

# No member joined the union before this day: an earlier date is a typing slip (1850 for 1950).
EARLIEST_JOINING = date(1950, 1, 1)


class DayPicker(forms.DateInput):
    """The browser's date picker, which reads ISO dates only: a date typed the French way
    (02/12/2026) and refused is shown again in the picker rather than lost."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def format_value(self, value):
        if isinstance(value, str):
            try:
                return datetime.strptime(value.strip(), "%d/%m/%Y").date().isoformat()
            except ValueError:
                return value
        return super().format_value(value)


class OnboardMemberForm(forms.Form):
    commune = forms.CharField(
        label="Commune",
        max_length=200,
        help_text="Nom de la commune (tel que saisi) ou code INSEE ; pour un CIAS, sa commune "
        "siège.",
    )
    hint = AreaHintField(
        label="Département ou région (facultatif)",
        help_text="Pour départager des homonymes : un code (93) ou un nom (Seine-Saint-Denis) ; "
        "par défaut, le département de l'union.",
    )
    kind = forms.ChoiceField(label="Nature", choices=MemberCCAS.Kind.choices, initial="CCAS")
    epci = forms.CharField(
        label="Intercommunalité (CIAS)",
        max_length=200,
        required=False,
        help_text="Pour un CIAS : le SIREN (9 chiffres) ou le nom de l'intercommunalité qu'il "
        "couvre. Vide : celle de sa commune siège (l'établissement public territorial dans la "
        "Métropole du Grand Paris).",
    )
    joined_on = forms.DateField(
        label="Date d'adhésion",
        widget=DayPicker(attrs={"min": EARLIEST_JOINING.isoformat()}),
        required=False,
        help_text="Vide : aujourd'hui.",
        error_messages={
            "invalid": "Date d'adhésion invalide : jour, mois et année (ex. 02/12/2026).",
        },
    )
    director_email = forms.EmailField(
        label="E-mail de la direction",
        required=False,
        validators=[address_fits_username],
        help_text="Elle recevra un lien à usage unique pour choisir son mot de passe (ou, si "
        "elle a déjà un compte, l'adresse de l'espace). Vide : vous pourrez l'inviter plus "
        "tard depuis la fiche du membre.",
    )

    def clean_joined_on(self):
        joined_on = self.cleaned_data.get("joined_on")
        if joined_on is None:
            return joined_on
        if joined_on < EARLIEST_JOINING:
            raise forms.ValidationError(
                "Date d'adhésion trop ancienne : au plus tôt le "
                f"{long_date(EARLIEST_JOINING, weekday=False)}.",
                code="too_early",
            )
        today = timezone.localdate()
        if joined_on > today:
            raise forms.ValidationError(
                "Date d'adhésion dans le futur : au plus tard aujourd'hui, le "
                f"{long_date(today, weekday=False)}.",
                code="too_late",
            )
        return joined_on

    def clean_director_email(self):
        email = self.cleaned_data["director_email"].strip().lower()
        if email:
            account = get_user_model().objects.filter(email__iexact=email).first()
            if account is not None and not account.is_active:
                # As « Inviter une direction »: no e-mail would reach her, and she could not
                # sign in; the member is not created on a name that cannot act.
                raise forms.ValidationError(
                    f"Le compte {email} est désactivé : réactivez-le d'abord (Paramètres › "
                    "Utilisateurs), ou laissez ce champ vide et invitez la direction plus tard."
                )
            try:
                refuse_union_staff_as_direction(account)
            except MembershipError as error:
                raise forms.ValidationError(str(error)) from None
        return email

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["joined_on"].initial = timezone.localdate
        self.fields["joined_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        # French day-first dates too, where no date picker fills the ISO form.
        self.fields["joined_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.get("commune")
        if not typed or "hint" in self.errors:
            return cleaned
        result = match_in_union(typed, cleaned.get("hint"))
        if result.status == "matched":
            cleaned["insee"] = result.commune.code
            self._clean_intercommunality(cleaned, result.commune)
            return cleaned
        choices = ", ".join(f"{c.nom} ({c.departement}, {c.code})" for c in result.suggestions[:5])
        if result.status == "ambiguous":
            self.add_error(
                "commune",
                f"Plusieurs communes portent ce nom : {choices}. Précisez le département ou le code INSEE.",
            )
        else:
            hint = f" Vouliez-vous dire : {choices} ?" if choices else ""
            self.add_error("commune", f"Commune introuvable.{hint}")
        return cleaned

    def _clean_intercommunality(self, cleaned, commune_ref) -> None:
        """The CIAS's intercommunality: typed (SIREN or name, as `add_member --epci` takes a
        SIREN) or its seat's; a seat outside the one typed is a mistake."""
        typed = (cleaned.get("epci") or "").strip()
        cleaned["epci_siren"] = None
        if cleaned.get("kind") != MemberCCAS.Kind.CIAS:
            if typed:
                self.add_error("epci", "Seul un CIAS est rattaché à une intercommunalité.")
            return
        if not typed:
            return
        grouping, error = find_intercommunality(typed)
        if error:
            self.add_error("epci", error)
            return
        seat = commune_ref.code
        if not grouping.communes.filter(code=seat).exists() and not (
            grouping.ept_communes.filter(code=seat).exists()
        ):
            self.add_error(
                "epci",
                f"{commune_ref.nom} ({seat}) n'appartient pas à l'intercommunalité "
                f"{grouping.nom} (SIREN {grouping.siren}) : vérifiez la commune siège.",
            )
            return
        cleaned["epci_siren"] = grouping.siren


def find_intercommunality(typed: str) -> tuple[Intercommunality | None, str]:
    """An intercommunality from its SIREN or its name (accents, case and hyphens aside), or the
    French reason none could be chosen."""
    typed = typed.strip()
    if typed.replace(" ", "").isdigit():
        siren = typed.replace(" ", "")
        found = Intercommunality.objects.filter(siren=siren).first()
        if found is None:
            return None, f"Aucune intercommunalité n'a le SIREN « {typed} »."
        return found, ""
    key = fold(typed)
    groupings = list(Intercommunality.objects.all())
    exact = [g for g in groupings if fold(g.nom) == key]
    candidates = exact or [g for g in groupings if key and key in fold(g.nom)]
    if len(candidates) == 1:
        return candidates[0], ""
    if not candidates:
        return None, f"Intercommunalité introuvable : « {typed} ». Indiquez son SIREN."
    listed = ", ".join(f"{g.nom} ({g.siren})" for g in candidates[:5])
    more = " …" if len(candidates) > 5 else ""
    return None, f"Plusieurs intercommunalités correspondent : {listed}{more}. Indiquez le SIREN."


class MemberStatusForm(forms.Form):
    # Chosen on the page before (the list's or the member's drop-down): carried, not shown.
    status = forms.ChoiceField(
        label="Nouveau statut", choices=MemberCCAS.Status.choices, widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label="Motif (facultatif)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Gardé au journal d'audit de l'union ; il n'est pas envoyé au membre.",
    )


class InviteDirectionForm(forms.Form):
    email = forms.EmailField(
        label="E-mail de la personne",
        validators=[address_fits_username],
        error_messages={
            "required": "Indiquez l'adresse e-mail de la personne.",
            "invalid": "Adresse e-mail invalide (exemple : prenom.nom@ccas-ville.fr).",
        },
    )
    first_name = forms.CharField(label="Prénom (facultatif)", max_length=150, required=False)
    last_name = forms.CharField(label="Nom (facultatif)", max_length=150, required=False)


ROLE_CHOICES = Membership.Role.choices

"""Forms of the union's member-management screens (Wagtail admin)."""

from django import forms

from tenants.fields import AreaHintField
from tenants.matching import match_in_union
from tenants.models import MemberCCAS, Membership


class OnboardMemberForm(forms.Form):
    commune = forms.CharField(
        label="Commune",
        max_length=200,
        help_text="Nom de la commune (tel que saisi) ou code INSEE.",
    )
    hint = AreaHintField(
        label="Département ou région (facultatif)",
        help_text="Pour départager des homonymes : un code (93) ou un nom (Seine-Saint-Denis) ; "
        "par défaut, le département de l'union.",
    )
    kind = forms.ChoiceField(label="Nature", choices=MemberCCAS.Kind.choices, initial="CCAS")
    director_email = forms.EmailField(
        label="E-mail de la direction",
        required=False,
        help_text="Elle recevra un lien à usage unique pour choisir son mot de passe.",
    )

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.get("commune")
        if not typed or "hint" in self.errors:
            return cleaned
        result = match_in_union(typed, cleaned.get("hint"))
        if result.status == "matched":
            cleaned["insee"] = result.commune.code
            return cleaned
        choices = ", ".join(f"{c.nom} ({c.departement}, {c.code})" for c in result.suggestions[:5])
        if result.status == "ambiguous":
            self.add_error(
                "commune",
                f"Plusieurs communes portent ce nom : {choices}. Précisez le département ou le code INSEE.",
            )
        else:
            hint = f" Vouliez-vous dire : {choices} ?" if choices else ""
            self.add_error("commune", f"Commune introuvable.{hint}")
        return cleaned


class MemberStatusForm(forms.Form):
    status = forms.ChoiceField(label="Statut", choices=MemberCCAS.Status.choices)


ROLE_CHOICES = Membership.Role.choices

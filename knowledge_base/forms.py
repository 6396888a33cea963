"""The member's form to propose an experience."""

from django import forms
from django.forms.models import fields_for_model

from knowledge_base.models import Audience, ExperiencePage, Theme
from knowledge_base.validators import validate_phone

PROPOSAL_FIELDS = [
    "title",
    "summary",
    "themes",
    "audiences",
    "start_date",
    *ExperiencePage.NARRATIVE_FIELDS,
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
]


class ExperienceProposalForm(forms.Form):
    """Fields of a "fiche d'expérience" a director or agent fills in; the member is the host's.

    A plain Form built from the page model's fields: a page is only validated by Wagtail once
    it has a place in the tree, which services.propose_experience gives it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                ExperiencePage,
                fields=PROPOSAL_FIELDS,
                labels={"title": "Titre de l'expérience"},
                help_texts={
                    "title": "Ce qui a été fait, en une ligne (ex. : « Une épicerie solidaire "
                    "mobile pour les quartiers sans commerce »).",
                    "summary": "Deux ou trois phrases pour donner envie de lire la fiche.",
                },
                widgets={
                    "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                    "summary": forms.Textarea(attrs={"rows": 3}),
                    **{
                        name: forms.Textarea(attrs={"rows": 5})
                        for name in ExperiencePage.NARRATIVE_FIELDS
                    },
                },
            )
        )
        self.fields["themes"] = forms.ModelMultipleChoiceField(
            label="Thèmes",
            queryset=Theme.objects.all(),
            widget=forms.CheckboxSelectMultiple,
            help_text="Un ou plusieurs thèmes.",
        )
        self.fields["audiences"] = forms.MultipleChoiceField(
            label="Utile surtout aux",
            choices=Audience.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        # A model field's validators run with the page's own checks, not with this form's.
        self.fields["contact_phone"].validators.append(validate_phone)
        self.fields["contact_phone"].help_text = "Ex. : 01 48 00 00 00"
        # The contact block is shown on the portal with the published experience (and kept in
        # its revisions): said where it is typed, under its first field.
        self.fields["contact_name"].help_text = (
            "Publié sur le portail de l'union avec l'expérience : préférez une adresse et un "
            "téléphone de service."
        )
        self.order_fields(PROPOSAL_FIELDS)

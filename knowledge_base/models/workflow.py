"""The moderation task of experiences: Wagtail's group approval, where « Demander des
modifications » requires a comment (the member reads it to know what to change)."""

from django import forms
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask


class RequestChangesForm(TaskStateCommentForm):
    comment = forms.CharField(
        label="Commentaire pour le membre",
        widget=forms.Textarea({"rows": 3}),
        help_text="Ce qu'il faut modifier : le membre le reçoit par courriel et le lit dans son "
        "espace.",
        error_messages={
            "required": "Dites au membre ce qu'il faut modifier : ce commentaire lui est envoyé "
            "avec la demande."
        },
    )

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(self.fields["comment"].error_messages["required"])
        return comment


class ModerationTask(AbstractGroupApprovalTask):
    """Wagtail's GroupApprovalTask (same actions, same groups), with a required comment on
    « Demander des modifications ». The « Modération de l'union » workflow's task was converted
    in place by migration 0004 (same task id: its task states and history stay)."""

    def get_form_for_action(self, action):
        if action == "reject":
            return RequestChangesForm
        return super().get_form_for_action(action)

    @classmethod
    def get_description(cls):
        return (
            "Les membres des groupes choisis valident ; pour demander des modifications, ils "
            "écrivent un commentaire, envoyé à l'auteur."
        )

    class Meta:
        verbose_name = "validation par un groupe (commentaire obligatoire pour les modifications)"
        verbose_name_plural = "validations par un groupe (commentaire obligatoire)"

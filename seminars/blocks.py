"""StreamField blocks of seminars and proceedings: one module, one place that assembles each stream.

Every block has an icon, a template, a preview value and a description (ARCHITECTURE convention 3).
"""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class ProgrammeItemBlock(blocks.StructBlock):
    time = blocks.CharBlock(
        label="Horaire", max_length=30, help_text="Par exemple 9 h 30 – 10 h 15"
    )
    title = blocks.CharBlock(label="Intitulé", max_length=200)
    description = blocks.TextBlock(label="Description", required=False)
    speakers = blocks.CharBlock(label="Intervenants", max_length=300, required=False)

    class Meta:
        icon = "time"
        label = "Séquence du programme"
        template = "seminars/blocks/programme_item.html"
        description = "Un moment de la journée : horaire, intitulé, intervenants."
        preview_value = {
            "time": "9 h 30 – 10 h 15",
            "title": "Ouverture et présentation de la journée",
            "speakers": "La présidente de l'union",
        }


class SpeakerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label="Nom", max_length=150)
    role = blocks.CharBlock(label="Fonction", max_length=200, required=False)
    organisation = blocks.CharBlock(label="Organisation ou commune", max_length=200, required=False)

    class Meta:
        icon = "user"
        label = "Intervenant"
        template = "seminars/blocks/speaker.html"
        description = "Une personne qui intervient : nom, fonction, organisation."
        preview_value = {"name": "Claire Martin", "role": "Directrice", "organisation": "CCAS"}


class InterventionBlock(blocks.StructBlock):
    speaker_name = blocks.CharBlock(label="Nom de l'intervenant", max_length=150)
    role = blocks.CharBlock(label="Fonction", max_length=200, required=False)
    organisation = blocks.CharBlock(label="Organisation ou commune", max_length=200, required=False)
    quote = blocks.TextBlock(label="Citation mise en avant", required=False)
    text = blocks.RichTextBlock(label="Texte de l'intervention")

    class Meta:
        icon = "openquote"
        label = "Intervention"
        template = "seminars/blocks/intervention.html"
        description = "Le propos d'un intervenant, avec une phrase citée."
        preview_value = {
            "speaker_name": "Claire Martin",
            "role": "Directrice",
            "organisation": "CCAS de Bondy",
            "quote": "L'ABS est d'abord un outil de dialogue.",
            "text": "<p>Texte de l'intervention.</p>",
        }


class OptionalListBlock(blocks.ListBlock):
    """A list that may stay empty: its items are not required, and those left blank are
    dropped when the page is saved (an empty bullet would show in the proceedings)."""

    def clean(self, value):
        value = super().clean(value)
        kept = [child for child in value.bound_blocks if str(child.value or "").strip()]
        return blocks.list_block.ListValue(self, bound_blocks=kept)


class SynthesisBlock(blocks.StructBlock):
    atelier = blocks.CharBlock(label="Atelier", max_length=200)
    question = blocks.TextBlock(label="Question traitée")
    key_points = blocks.ListBlock(blocks.CharBlock(max_length=500), label="Points clés")
    # Optional: a synthesis is added with no proposal, and an item left empty is dropped, not
    # refused (« Champ requis. » blocked publishing the proceedings).
    proposals = OptionalListBlock(
        blocks.CharBlock(max_length=500, required=False), label="Propositions", default=[]
    )

    class Meta:
        icon = "list-ul"
        label = "Synthèse d'atelier"
        template = "seminars/blocks/synthesis.html"
        description = "La synthèse d'un atelier : question, points clés, propositions."
        preview_value = {
            "atelier": "Atelier 1",
            "question": "Comment associer les habitants ?",
            "key_points": ["Aller vers les publics", "S'appuyer sur les associations"],
            "proposals": ["Créer un comité d'usagers"],
        }


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Document")
    title = blocks.CharBlock(label="Intitulé (facultatif)", max_length=200, required=False)

    class Meta:
        icon = "doc-full"
        label = "Téléchargement"
        template = "seminars/blocks/download.html"
        description = "Un document à télécharger (support, diaporama, compte rendu)."


def programme_blocks() -> list:
    return [
        ("item", ProgrammeItemBlock()),
        ("text", blocks.RichTextBlock(label="Texte", icon="pilcrow")),
    ]


def speaker_blocks() -> list:
    return [("speaker", SpeakerBlock())]


def intervention_blocks() -> list:
    return [("intervention", InterventionBlock())]


def synthesis_blocks() -> list:
    return [("synthesis", SynthesisBlock())]


def download_blocks() -> list:
    return [("download", DownloadBlock())]

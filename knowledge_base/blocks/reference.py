"""Reference blocks of a guide: legal reference, document download, contact card, table."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock as BaseTableBlock
from wagtail.documents.blocks import DocumentChooserBlock

LEGAL_CODES = [
    ("CASF", "Code de l'action sociale et des familles"),
    ("CGCT", "Code général des collectivités territoriales"),
    ("CSS", "Code de la sécurité sociale"),
    ("CCH", "Code de la construction et de l'habitation"),
    ("CSP", "Code de la santé publique"),
    ("CT", "Code du travail"),
    ("CC", "Code civil"),
    ("CRPA", "Code des relations entre le public et l'administration"),
    ("LOI", "Loi ou décret (hors code)"),
]


class LegalReferenceBlock(blocks.StructBlock):
    code = blocks.ChoiceBlock(label="Code", choices=LEGAL_CODES, default="CASF")
    article = blocks.CharBlock(label="Article ou référence", max_length=80)
    summary = blocks.TextBlock(label="Ce que dit le texte, en bref")
    url = blocks.URLBlock(label="Lien vers le texte officiel (Légifrance)", required=False)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["code_label"] = dict(LEGAL_CODES).get(value["code"], value["code"])
        return context

    class Meta:
        icon = "doc-full"
        template = "knowledge_base/blocks/legal_reference.html"
        label = "Référence juridique"
        description = "Un article de loi ou de règlement résumé, avec le lien vers le texte."
        preview_value = {
            "code": "CASF",
            "article": "L123-6",
            "summary": "Le conseil d'administration du CCAS est présidé par le maire et comprend, "
            "en nombre égal, des membres élus par le conseil municipal et des membres nommés "
            "par le maire.",
            "url": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031728734",
        }


class DocumentDownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Document")
    title = blocks.CharBlock(label="Intitulé (sinon celui du document)", required=False)
    description = blocks.TextBlock(label="Description", required=False)

    class Meta:
        icon = "download"
        template = "knowledge_base/blocks/document.html"
        label = "Document à télécharger"
        description = (
            "Un modèle, une fiche ou un formulaire à télécharger, avec son format et son poids."
        )
        preview_value = {"title": "Modèle de règlement intérieur", "description": ""}


class ContactCardBlock(blocks.StructBlock):
    name = blocks.CharBlock(label="Nom", max_length=150)
    role = blocks.CharBlock(label="Fonction", max_length=150, required=False)
    organisation = blocks.CharBlock(label="Organisme", max_length=200, required=False)
    email = blocks.EmailBlock(label="Courriel", required=False)
    phone = blocks.CharBlock(label="Téléphone", max_length=30, required=False)

    class Meta:
        icon = "user"
        template = "knowledge_base/blocks/contact_card.html"
        label = "Carte de contact"
        description = "Une personne ressource à joindre sur le sujet du guide."
        preview_value = {
            "name": "Pôle ressources de l'union",
            "role": "Conseil aux CCAS",
            "organisation": "Union départementale des CCAS",
            "email": "ressources@udccas.example",
            "phone": "",
        }


class TableBlock(BaseTableBlock):
    """Wagtail's table with a caption (required by our accessibility rules) and header cells."""

    def __init__(self, **kwargs):
        kwargs.setdefault("table_options", {"contextMenu": True, "startRows": 3, "startCols": 3})
        super().__init__(**kwargs)

    class Meta:
        icon = "table"
        template = "knowledge_base/blocks/table.html"
        label = "Tableau"
        description = (
            "Un tableau de données ; renseignez sa légende et choisissez ses lignes ou colonnes "
            "d'en-tête."
        )
        preview_value = {
            "table_caption": "Composition du conseil d'administration",
            "table_header_choice": "both",
            "first_row_is_table_header": True,
            "first_col_is_header": True,
            "data": [
                ["Collège", "Minimum", "Maximum"],
                ["Élus du conseil municipal", "4", "8"],
                ["Membres nommés par le maire", "4", "8"],
            ],
        }

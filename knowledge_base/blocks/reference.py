"""Reference blocks of a guide: legal reference, document download, contact card (its phone
written the French way, with a tel: link), table (shown without the empty trailing rows and
columns of the editor's grid)."""

import copy
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.admin.telepath import register
from wagtail.contrib.table_block.blocks import TableBlock as BaseTableBlock
from wagtail.contrib.table_block.blocks import TableInput, TableInputAdapter
from wagtail.documents.blocks import DocumentChooserBlock

from knowledge_base.validators import validate_phone
from seminars.phones import display_phone, tel_uri

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


def source_name(url: str) -> str:
    """Where the link leads, as its text says it: « Légifrance » for legifrance.gouv.fr (and its
    sub-domains), otherwise the host without « www. » (« eur-lex.europa.eu »,
    « journal-officiel.gouv.fr »). Editors may link an official text elsewhere (a circular on a
    ministry's bulletin, a European regulation): the reader is told where they are going."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if host == "legifrance.gouv.fr" or host.endswith(".legifrance.gouv.fr"):
        return "Légifrance"
    return host


def leads_to_whole_code(url: str) -> bool:
    """Whether `url` is a Légifrance code's table of contents (/codes/texte_lc/…, /codes/id/…),
    not one of its articles (/codes/article_lc/…): the link then says so, rather than promising
    the article to a screen reader (WCAG 2.4.4)."""
    return source_name(url) == "Légifrance" and urlsplit(url).path.startswith(
        ("/codes/texte_lc/", "/codes/id/")
    )


class LegalReferenceBlock(blocks.StructBlock):
    code = blocks.ChoiceBlock(label="Code", choices=LEGAL_CODES, default="CASF")
    article = blocks.CharBlock(label="Article ou référence", max_length=80)
    summary = blocks.TextBlock(label="Ce que dit le texte, en bref")
    url = blocks.URLBlock(
        label="Lien vers le texte officiel (Légifrance)",
        required=False,
        help_text="L'adresse de l'article lui-même (sur Légifrance, ouvrez l'article puis copiez "
        "son adresse) : celle du sommaire du code oblige le lecteur à chercher l'article.",
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["code_label"] = dict(LEGAL_CODES).get(value["code"], value["code"])
        context["source_name"] = source_name(value.get("url") or "")
        context["whole_code"] = leads_to_whole_code(value.get("url") or "")
        return context

    @staticmethod
    def display_text(value) -> str:
        """The block as the page shows it (its template), for search extracts: « Code de
        l'action sociale et des familles, article L. 111-2 : <summary> ». Unlike
        get_searchable_content, none of the words added for the index only."""
        article = str(value.get("article") or "").strip()
        code = value.get("code")
        reference = (
            article if code == "LOI" else f"{dict(LEGAL_CODES).get(code, code)}, article {article}"
        )
        summary = " ".join(str(value.get("summary") or "").split())
        return f"{reference} : {summary}" if summary else reference

    def get_searchable_content(self, value):
        """What the page shows (« Code de l'action sociale et des familles, article L123-6 »),
        and the article number written the way a search reads it (« L. 123-6 » → « L123-6 »)."""
        from knowledge_base.query import LEGAL_ARTICLE, legal_reference

        content = super().get_searchable_content(value)
        article = str(value.get("article") or "")
        numbers = [legal_reference(*match.groups()) for match in LEGAL_ARTICLE.finditer(article)]
        extra = [] if value.get("code") == "LOI" else ["article"]
        return [*content, *extra, *(n for n in numbers if n not in content)]

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

    def get_searchable_content(self, value):
        """The title and description, and the document's own title when the page shows it
        (no title of the block): « Modèle de convention » finds the guide that offers it.
        A renamed document re-indexes its guides (`signals.on_document_saved`)."""
        content = super().get_searchable_content(value)
        document = value.get("document")
        if document is not None and not str(value.get("title") or "").strip():
            content.insert(0, document.title)
        return content

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
    phone = blocks.CharBlock(
        label="Téléphone", max_length=30, required=False, validators=[validate_phone]
    )

    def get_context(self, value, parent_context=None):
        """The phone as the French write it (« 01 48 30 12 34 »), whatever was typed (dots,
        no spaces, +33), and its tel: link; the stored value is left as typed."""
        context = super().get_context(value, parent_context)
        context["phone_display"] = display_phone(value.get("phone") or "")
        context["phone_href"] = tel_uri(value.get("phone") or "")
        return context

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


class CaptionedTableInput(TableInput):
    """Wagtail's table editor, whose caption field we name « Titre du tableau » (see below)."""


class CaptionedTableInputAdapter(TableInputAdapter):
    """The editor's wording comes from these strings: Wagtail's French says « Légende », which
    editors take for optional; we call it a title and say that it is required."""

    def js_args(self, widget):
        options, strings = super().js_args(widget)
        strings = {
            **strings,
            "Table caption": "Titre du tableau (obligatoire)",
            "A heading that identifies the overall topic of the table, and is useful for "
            "screen reader users.": "Ce que montre le tableau, en quelques mots : les lecteurs "
            "d'écran l'annoncent avant les cellules.",
        }
        return [options, strings]


register(CaptionedTableInputAdapter(), CaptionedTableInput)

# Header choices of Wagtail's editor; "col" is what Wagtail's to_python gives tables stored
# before Wagtail 6 with a header column, while the editor itself sends "column".
ROW_HEADER_CHOICES = {"row", "both"}
COLUMN_HEADER_CHOICES = {"column", "col", "both"}


def has_text(cells) -> bool:
    return any(str(cell or "").strip() for cell in cells)


# The right-click menu of the table editor: Wagtail's items (DEFAULT_TABLE_OPTIONS), in French.
# Handsontable 6.2.2, which Wagtail ships, has no French language pack (asking for "fr" only
# logs « Language with code "fr" was not found »), but takes each item's name in the `items`
# form of `contextMenu`; a "---------" value is Handsontable's separator.
TABLE_CONTEXT_MENU = {
    "items": {
        "row_above": {"name": "Insérer une ligne au-dessus"},
        "row_below": {"name": "Insérer une ligne en dessous"},
        "separator_1": "---------",
        "col_left": {"name": "Insérer une colonne à gauche"},
        "col_right": {"name": "Insérer une colonne à droite"},
        "separator_2": "---------",
        "remove_row": {"name": "Supprimer la ligne"},
        "remove_col": {"name": "Supprimer la colonne"},
        "separator_3": "---------",
        "undo": {"name": "Annuler"},
        "redo": {"name": "Rétablir"},
    }
}


def _last_used(cells: list[tuple[int, int]], merges: list[dict], axis: str) -> int:
    """The highest row (axis "row") or column ("col") index holding text or covered by a merged
    cell; -1 when there is none."""
    index = 0 if axis == "row" else 1
    span = "rowspan" if axis == "row" else "colspan"
    ends = [cell[index] for cell in cells]
    ends += [int(merge[axis]) + max(int(merge.get(span) or 1), 1) - 1 for merge in merges]
    return max(ends, default=-1)


def trimmed_table(value):
    """The table without its fully empty trailing rows and columns, for display only: Wagtail's
    editor starts with a grid (startRows × startCols) whose unused rows and columns would be
    published as empty cells, which screen readers announce one by one. Cells inside a merged
    cell count as used, so that a merge is never cut; the stored value is left untouched."""
    if not value or not value.get("data"):
        return value
    data = [list(row or []) for row in value["data"]]
    filled = [
        (row_index, col_index)
        for row_index, row in enumerate(data)
        for col_index, cell in enumerate(row)
        if str(cell or "").strip()
    ]
    merges = [merge for merge in value.get("mergeCells") or [] if isinstance(merge, dict)]
    last_row = _last_used(filled, merges, "row")
    last_col = _last_used(filled, merges, "col")
    if last_row < 0 or last_col < 0:
        return value  # nothing to show: left as it is (publishing refuses an empty table)
    trimmed = dict(value)
    trimmed["data"] = [row[: last_col + 1] for row in data[: last_row + 1]]
    return trimmed


class TableBlock(BaseTableBlock):
    """Wagtail's table with a required caption (« Titre du tableau ») and a filled header row or
    column: screen readers announce the caption, and read each cell with its header."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "table_options",
            {
                "contextMenu": copy.deepcopy(TABLE_CONTEXT_MENU),
                # Handsontable's own language: the French words are the menu's names above.
                "language": "en-US",
                "startRows": 3,
                "startCols": 3,
            },
        )
        super().__init__(**kwargs)

    @cached_property
    def field(self):
        return forms.CharField(
            widget=CaptionedTableInput(table_options=self.table_options), **self.field_options
        )

    def clean(self, value):
        if value and value.get("table_header_choice") == "col":
            # Wagtail's clean only knows "column": a header column stored before Wagtail 6 would
            # be lost on the next save.
            value["table_header_choice"] = "column"
        # A draft may stay incomplete (Wagtail defers required checks); publishing may not.
        if not self.is_deferred_validation and self.is_empty_table(value):
            # Stored as null, it would vanish from the page (and show in « Tableaux à
            # compléter »).
            raise ValidationError("Ce tableau est vide : remplissez-le ou supprimez le bloc.")
        if value and not self.is_deferred_validation:
            errors = []
            if not str(value.get("table_caption") or "").strip():
                errors.append(
                    "Donnez un titre au tableau (« Titre du tableau ») : les lecteurs d'écran "
                    "l'annoncent avant son contenu."
                )
            if not self.has_header_cells(value):
                errors.append(
                    "Choisissez une ligne ou une colonne d'en-tête, et remplissez-la : chaque "
                    "cellule est lue avec son en-tête."
                )
            if errors:
                raise ValidationError(errors)
        return super().clean(value)

    def render(self, value, context=None):
        return super().render(trimmed_table(value), context)

    def get_searchable_content(self, value):
        """The cells, and the caption the page shows above them (Wagtail's indexes the cells
        only: « Exemple de budget annuel » would not find the guide that shows it)."""
        caption = str((value or {}).get("table_caption") or "").strip()
        return [*([caption] if caption else []), *super().get_searchable_content(value)]

    @staticmethod
    def is_empty_table(value) -> bool:
        """No table at all (the editor never opened: null), or not one filled cell."""
        return not value or not any(has_text(row or []) for row in value.get("data") or [])

    @staticmethod
    def has_header_cells(value) -> bool:
        choice = value.get("table_header_choice")
        rows = [row for row in value.get("data") or [] if row]
        header_row = rows[0] if rows and choice in ROW_HEADER_CHOICES else []
        header_column = [row[0] for row in rows] if choice in COLUMN_HEADER_CHOICES else []
        return has_text(header_row) or has_text(header_column)

    class Meta:
        icon = "table"
        template = "knowledge_base/blocks/table.html"
        label = "Tableau"
        description = (
            "Un tableau de données ; donnez-lui un titre (« Titre du tableau ») et choisissez "
            "sa ligne ou sa colonne d'en-tête."
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

"""Text blocks of a guide: rich text, heading, key figure, steps or checklist, callout, FAQ."""

import re
from collections.abc import Iterable
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.text import slugify
from wagtail import blocks

RICH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]

# The headings of a rich text: the editor offers h3 and h4; an h2 may come from content stored
# before the features were narrowed, or written through code. Wagtail stores and renders them
# as plain <hN data-block-key="…">…</hN>, never nested.
RICH_TEXT_HEADING = re.compile(r"<(h[234])\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
ID_ATTRIBUTE = re.compile(r"""\s+id\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)


def rich_text_headings(html: str) -> list[tuple[str, str]]:
    """(level, text) of each h2, h3 and h4 of a rich text's HTML, in order; the text as read
    (tags removed, entities decoded), so that it slugs as a heading block's text does."""
    return [
        (match.group(1).lower(), " ".join(unescape(strip_tags(match.group(3))).split()))
        for match in RICH_TEXT_HEADING.finditer(str(html))
    ]


def with_heading_ids(html: str, anchors: Iterable[str]) -> str:
    """`html` whose h2, h3 and h4 carry `anchors` as their ids, in order (an id already there
    is replaced: the page's anchors are the ones known to be unique)."""
    remaining = iter(anchors)

    def add_id(match: re.Match) -> str:
        anchor = next(remaining, None)
        if anchor is None:
            return match.group(0)
        tag, attributes, content = match.groups()
        attributes = ID_ATTRIBUTE.sub("", attributes)
        return f'<{tag} id="{escape(anchor)}"{attributes}>{content}</{tag}>'

    return RICH_TEXT_HEADING.sub(add_id, str(html))


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_FEATURES)
        super().__init__(**kwargs)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # The page gives the ids of this text's headings (unique over the whole page, see
        # GuidePage.body_blocks); alone (block preview), the text is the only one of its page.
        anchors = context.get("rich_text_anchors")
        if anchors is None:
            anchors = heading_anchors([text for _, text in rich_text_headings(value.source)])
        context["anchors"] = anchors
        return context

    class Meta:
        icon = "pilcrow"
        template = "knowledge_base/blocks/rich_text.html"
        label = "Texte"
        description = "Paragraphes, listes et liens."
        preview_value = (
            "<p>Le CCAS anime une action générale de prévention et de développement social "
            "dans la commune, en liaison étroite avec les institutions publiques et privées.</p>"
        )


# Ids the guide's page already uses (base.html's skip-link target, the table of contents'
# title): a heading « Contenu » must not steal the skip link.
PAGE_IDS = ("contenu", "kb-toc-title")


def heading_anchors(
    texts: list[str], *, taken: Iterable[str] = (), first_rank: int = 1
) -> list[str]:
    """The anchors of a page's headings, in order, one per heading and all different, so that
    each link of the table of contents leads to its own heading: the slug of the text,
    « section-N » (N: the heading's rank, counted from `first_rank`) when the text has nothing
    to slug (punctuation only), then -2, -3… when an anchor is already taken (by the page, by
    `taken` or by an earlier heading)."""
    taken = set(PAGE_IDS) | set(taken)
    anchors: list[str] = []
    for rank, text in enumerate(texts, start=first_rank):
        base = slugify(text) or f"section-{rank}"
        anchor, repeat = base, 1
        while anchor in taken:
            repeat += 1
            anchor = f"{base}-{repeat}"
        taken.add(anchor)
        anchors.append(anchor)
    return anchors


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Titre", max_length=150)
    level = blocks.ChoiceBlock(
        label="Niveau",
        choices=[("h2", "Section (niveau 2)"), ("h3", "Sous-section (niveau 3)")],
        default="h2",
        search_index=False,  # layout, not content: keep "Section (niveau 2)" out of snippets
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # The page gives its heading's anchor (unique among the page's headings, see
        # GuidePage.body_blocks); alone (block preview), the heading is the first of its page.
        context["anchor"] = context.get("heading_anchor") or heading_anchors([value["text"]])[0]
        return context

    class Meta:
        icon = "title"
        template = "knowledge_base/blocks/heading.html"
        label = "Intertitre"
        description = "Un titre de section ; les titres de niveau 2 forment le sommaire du guide."
        preview_value = {"text": "Constituer le conseil d'administration", "level": "h2"}


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label="Chiffre", max_length=30)
    unit = blocks.CharBlock(label="Unité", max_length=40, required=False)
    label = blocks.CharBlock(label="Ce que mesure ce chiffre", max_length=200)
    source = blocks.CharBlock(label="Source", max_length=200, required=False)

    class Meta:
        icon = "pick"
        template = "knowledge_base/blocks/key_figure.html"
        label = "Chiffre clé"
        description = "Un chiffre mis en avant, avec son unité et sa source."
        preview_value = {
            "value": "1 500",
            "unit": "habitants",
            "label": "seuil à partir duquel une commune doit avoir un CCAS",
            "source": "CASF, art. L123-4",
        }


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Étape", max_length=200)
    text = blocks.TextBlock(label="Précisions", required=False)


class StepsBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        label="Présentation",
        choices=[("steps", "Étapes numérotées"), ("checklist", "Liste de contrôle")],
        default="steps",
        search_index=False,
    )
    title = blocks.CharBlock(label="Titre", max_length=150, required=False)
    items = blocks.ListBlock(StepBlock(), label="Éléments", min_num=1)

    class Meta:
        icon = "list-ol"
        template = "knowledge_base/blocks/steps.html"
        label = "Étapes ou liste de contrôle"
        description = "Une démarche pas à pas, ou les points à vérifier avant d'agir."
        preview_value = {
            "style": "steps",
            "title": "Ouvrir la domiciliation",
            "items": [
                {"title": "Désigner un référent", "text": "Un agent formé et son suppléant."},
                {"title": "Préparer le registre", "text": ""},
            ],
        }


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label="Nature",
        choices=[("info", "À savoir"), ("tip", "Conseil"), ("warning", "Attention")],
        default="info",
        search_index=False,
    )
    title = blocks.CharBlock(label="Titre", max_length=150, required=False)
    text = RichTextBlock(label="Texte", features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "warning"
        template = "knowledge_base/blocks/callout.html"
        label = "Encadré"
        description = "Une information à ne pas manquer : à savoir, conseil ou mise en garde."
        preview_value = {
            "kind": "warning",
            "title": "Délai",
            "text": "<p>Le rapport d'activité de la domiciliation est adressé au préfet "
            "avant le 31 janvier.</p>",
        }


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="Question", max_length=250)
    answer = RichTextBlock(label="Réponse", features=["bold", "italic", "link", "ul", "ol"])


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=150, default="Questions fréquentes")
    items = blocks.ListBlock(FaqItemBlock(), label="Questions", min_num=1)

    class Meta:
        icon = "help"
        template = "knowledge_base/blocks/faq.html"
        label = "Questions fréquentes"
        description = "Des questions et leurs réponses, repliées en accordéon."
        preview_value = {
            "title": "Questions fréquentes",
            "items": [
                {
                    "question": "Le CCAS peut-il refuser une domiciliation ?",
                    "answer": "<p>Seulement si la personne n'a pas de lien avec la commune.</p>",
                }
            ],
        }

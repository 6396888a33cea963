"""The one place that assembles the guide body's StreamField blocks."""

from knowledge_base.blocks.reference import (
    ContactCardBlock,
    DocumentDownloadBlock,
    LegalReferenceBlock,
    TableBlock,
)
from knowledge_base.blocks.text import (
    CalloutBlock,
    FaqBlock,
    HeadingBlock,
    KeyFigureBlock,
    RichTextBlock,
    StepsBlock,
)

GUIDE_BODY_BLOCKS = [
    ("heading", HeadingBlock()),
    ("rich_text", RichTextBlock()),
    ("key_figure", KeyFigureBlock()),
    ("steps", StepsBlock()),
    ("legal_reference", LegalReferenceBlock()),
    ("callout", CalloutBlock()),
    ("faq", FaqBlock()),
    ("document", DocumentDownloadBlock()),
    ("contact", ContactCardBlock()),
    ("table", TableBlock()),
]

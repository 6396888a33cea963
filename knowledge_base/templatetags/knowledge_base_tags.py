from django import template
from django.utils.safestring import mark_safe

from knowledge_base.blocks.text import with_heading_ids
from knowledge_base.glossary import mark_acronyms

register = template.Library()


@register.filter
def with_glossary(html) -> str:
    """{{ page.body|with_glossary }}: render, then mark the first use of each acronym."""
    return mark_safe(mark_acronyms(str(html)))


@register.filter(name="with_heading_ids")
def with_heading_ids_filter(html, anchors) -> str:
    """{{ value|richtext|with_heading_ids:anchors }}: a rich text's headings get their ids."""
    return mark_safe(with_heading_ids(str(html), anchors or ()))

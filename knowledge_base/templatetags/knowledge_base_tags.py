from django import template
from django.utils.safestring import mark_safe

from knowledge_base.glossary import mark_acronyms

register = template.Library()


@register.filter
def with_glossary(html) -> str:
    """{{ page.body|with_glossary }}: render, then mark the first use of each acronym."""
    return mark_safe(mark_acronyms(str(html)))

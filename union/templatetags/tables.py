"""`{% scrollable %}<table>…</table>{% endscrollable %}`: a table wider than the screen scrolls
inside its own box instead of the whole page (WCAG 1.4.10, reflow at 320 px); the box is a
region named after the table's caption (or the label given: `{% scrollable "Totaux" %}`) and
can take the keyboard's focus, to be scrolled without a mouse (2.1.1)."""

import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.DOTALL)


@register.tag
def scrollable(parser, token):
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("scrollable takes at most one label")
    label = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endscrollable",))
    parser.delete_first_token()
    return ScrollableNode(nodelist, label)


class ScrollableNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist, self.label = nodelist, label

    def render(self, context) -> str:
        table = self.nodelist.render(context)
        if self.label is not None:
            name = format_html("{}", self.label.resolve(context))
        else:
            # The caption as rendered: escaped text, whose tags (a visually hidden span) go;
            # a quote typed in the template itself is not escaped yet.
            caption = CAPTION.search(table)
            text = " ".join(strip_tags(caption[1]).split()) if caption else ""
            name = mark_safe(text.replace('"', "&quot;"))
        return format_html(
            '<div class="table-scroll" tabindex="0" role="region" aria-label="{}">{}</div>',
            name,
            mark_safe(table),
        )

"""{% scrollable %}: a table in a focusable region named after its caption (WCAG 1.4.10, 2.1.1)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load tables %}" + source).render(Context(context))


def test_the_region_is_named_after_the_caption_as_rendered():
    html = render(
        '{% scrollable %}<table><caption>Inscrits "d\'{{ commune }}" '
        '<span class="visually-hidden">(2)</span></caption></table>{% endscrollable %}',
        commune="Aulnay & <Sevran>",
    )
    assert html.startswith(
        '<div class="table-scroll" tabindex="0" role="region" '
        'aria-label="Inscrits &quot;d\'Aulnay &amp; &lt;Sevran&gt;&quot; (2)"><table>'
    )
    assert html.endswith("</table></div>")


def test_a_label_given_wins_and_is_escaped():
    html = render(
        "{% scrollable label %}<table><caption>Long titre</caption></table>{% endscrollable %}",
        label='Totaux "par" pôle',
    )
    assert 'aria-label="Totaux &quot;par&quot; pôle"' in html


def test_two_labels_are_refused():
    with pytest.raises(TemplateSyntaxError):
        render('{% scrollable "a" "b" %}{% endscrollable %}')

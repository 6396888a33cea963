"""The boxes of the HTML e-mails, written once (their frame: templates/union/email/layout.html).

    {% load email_tags %}
    {% email_card %}<p>…the facts: date, place, login…</p>{% end_email_card %}
    {% email_quote %}{{ comment|linebreaksbr }}{% end_email_quote %}

Inline styles only (mail clients drop <style>), a table with role="presentation" for the card.
Colours: the card on #f3f5f8 with a #c4cad3 border, the quote's bar #0b4f9c (the links' blue).
The content is rendered by the calling template, escaped there (autoescape stays on in e-mails).
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_block_tag(end_name="end_email_card")
def email_card(content):
    """A grey card for the facts of an e-mail (identifiers, an event's date and place)."""
    return format_html(
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="margin:0 0 16px;background-color:#f3f5f8;border:1px solid #c4cad3">'
        '<tr><td style="padding:12px 16px">{}</td></tr></table>',
        content,
    )


@register.simple_block_tag(end_name="end_email_quote")
def email_quote(content):
    """Someone's own words quoted in an e-mail (a moderator's or reviewer's comment)."""
    return format_html(
        '<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:4px solid #0b4f9c;'
        'background-color:#f3f5f8">{}</blockquote>',
        content,
    )

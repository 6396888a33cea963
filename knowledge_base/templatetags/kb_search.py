"""The public search page's « Accès direct » (knowledge_base.search.promoted_results)."""

from django import template

from knowledge_base.search import promoted_results

register = template.Library()


@register.simple_tag(takes_context=True)
def search_promotions(context, query):
    """The search promotions of `query` the visitor may follow, in the admin's order."""
    return promoted_results(query or "", context.get("request"))

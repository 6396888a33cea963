"""The first use of a known acronym in a text becomes <abbr title="expansion">."""

import re

from django.core.cache import cache
from django.utils.html import escape
from django.utils.text import slugify

from knowledge_base.models.snippets import GLOSSARY_CACHE_KEY, GlossaryTerm, acronym_key
from union.slugs import first_free

# Inside these elements an acronym is left alone (already marked up, or code, or a heading).
SKIP_TAGS = {"abbr", "a", "code", "pre", "script", "style", "h1", "h2", "h3", "h4"}
TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
CACHE_SECONDS = 300


def glossary_terms() -> dict[str, str]:
    """{acronym: expansion}, cached; saving or deleting a term clears the cache."""
    terms = cache.get(GLOSSARY_CACHE_KEY)
    if terms is None:
        terms = dict(GlossaryTerm.objects.values_list("acronym", "expansion"))
        cache.set(GLOSSARY_CACHE_KEY, terms, CACHE_SECONDS)
    return terms


def _pattern(acronyms) -> re.Pattern | None:
    if not acronyms:
        return None
    # Longest first so that "CCAS" wins over "CA"; case-sensitive, whole words only.
    alternatives = "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def mark_acronyms(html: str, terms: dict[str, str] | None = None) -> str:
    """Wrap the first occurrence of each glossary acronym found in the text of `html`."""
    terms = glossary_terms() if terms is None else terms
    pattern = _pattern(terms)
    if pattern is None or not html:
        return html
    seen: set[str] = set()
    skip_depth = 0
    out = []

    def replace(match: re.Match) -> str:
        acronym = match.group(1)
        if acronym in seen:
            return acronym
        seen.add(acronym)
        return f'<abbr title="{escape(terms[acronym])}">{acronym}</abbr>'

    for part in TAG.split(html):
        if part.startswith("<"):
            name = TAG_NAME.match(part)
            if name and name.group(2).lower() in SKIP_TAGS and not part.endswith("/>"):
                skip_depth += -1 if name.group(1) else 1
                skip_depth = max(skip_depth, 0)
            out.append(part)
        elif skip_depth or not part.strip():
            out.append(part)
        else:
            out.append(pattern.sub(replace, part))
    return "".join(out)


def glossary_anchors(terms: list[GlossaryTerm]) -> dict[int, str]:
    """{term pk: id of its entry on /glossaire/}, unique on the page: the slug of the acronym,
    « sigle-N » when it slugs to nothing, « -2 », « -3 »… on a repeat (entries older than the
    rule that refuses « ccas » beside « CCAS »), never a letter heading's « lettre-X »."""
    taken = {f"lettre-{slugify(term.acronym[:1])}" for term in terms if term.acronym}
    anchors = {}
    for rank, term in enumerate(terms, start=1):
        base = slugify(term.acronym) or f"sigle-{rank}"
        anchor = first_free(base, taken.__contains__)
        taken.add(anchor)
        anchors[term.pk] = anchor
    return anchors


def glossary_entries_for(query: str) -> list[tuple[GlossaryTerm, str]]:
    """(term, anchor) of the glossary entries the query names (« RSA », « rsa », « R.S.A. »),
    shown above the search results."""
    keys = {acronym_key(word) for word in query.split()} - {""}
    if not keys:
        return []
    terms = list(GlossaryTerm.objects.order_by("acronym"))
    anchors = glossary_anchors(terms)
    return [(term, anchors[term.pk]) for term in terms if acronym_key(term.acronym) in keys]

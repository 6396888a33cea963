"""The glossary: sigles and words of the trade. A sigle's first use in a text becomes
<abbr title="expansion">; a term is explained on /glossaire/ only; the search page shows the
entries a query names."""

import re
import unicodedata

from django.core.cache import cache
from django.utils.html import escape
from django.utils.text import slugify

from knowledge_base.models.snippets import (
    GLOSSARY_CACHE_KEY,
    GlossaryKind,
    GlossaryTerm,
    acronym_key,
)
from knowledge_base.query import query_words
from union.slugs import first_free

# Inside these elements a sigle is left alone (already marked up, or code, or a heading).
SKIP_TAGS = {"abbr", "a", "code", "pre", "script", "style", "h1", "h2", "h3", "h4"}
TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
CACHE_SECONDS = 300
# Entries shown above the search results at most (« action sociale » names five sigles).
MAX_SEARCH_ENTRIES = 5
# Letter heading of the entries that do not begin with a letter (« 115 »).
OTHER_LETTER = "0-9"
# Left out when a query and an entry are compared word by word: « délégation de signature » is
# « délégation signature », « conseil d'administration » is « conseil administration ».
STOP_WORDS = {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou"}
STOP_WORDS |= {"un", "une", "sur", "par", "pour"}


def glossary_terms() -> dict[str, str]:
    """{sigle: expansion}, cached; saving or deleting an entry clears the cache. Terms are not
    in it: an ordinary word, capitalised at the start of a sentence, is never marked up."""
    terms = cache.get(GLOSSARY_CACHE_KEY)
    if terms is None:
        terms = dict(
            GlossaryTerm.objects.filter(kind=GlossaryKind.SIGLE).values_list("acronym", "expansion")
        )
        cache.set(GLOSSARY_CACHE_KEY, terms, CACHE_SECONDS)
    return terms


def _pattern(acronyms) -> re.Pattern | None:
    if not acronyms:
        return None
    # Longest first so that "CCAS" wins over "CA"; case-sensitive, whole words only.
    alternatives = "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def mark_acronyms(html: str, terms: dict[str, str] | None = None) -> str:
    """Wrap the first occurrence of each glossary sigle found in the text of `html`."""
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


def fold(text: str) -> str:
    """Lower case without accents or ligatures: « Élection » → « election », « Œuvre » →
    « oeuvre ». French dictionary order and the search compare these."""
    text = (text or "").replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def sort_key(text: str) -> tuple[str, str, str]:
    """French alphabetical order: accents, case and punctuation aside (« É » with « E »,
    « CA » before « CAF » before « Conseil d'administration »), then the accented form after the
    plain one, as dictionaries do."""
    folded = fold(text)
    # « C.C.A.S. » is one word, sorted with « CCAS ».
    return (" ".join(re.findall(r"[a-z0-9]+", folded.replace(".", ""))), folded, text)


def letter_of(text: str) -> str:
    """The letter heading of an entry: « Élection » under E; a number under « 0-9 »."""
    words = sort_key(text)[0]
    return words[0].upper() if words[:1].isalpha() else OTHER_LETTER


def sorted_terms() -> list[GlossaryTerm]:
    """Every entry, sigles and terms together, in French alphabetical order (one query)."""
    terms = list(GlossaryTerm.objects.all())
    terms.sort(key=lambda term: (*sort_key(term.acronym), term.pk))
    return terms


def glossary_anchors(terms: list[GlossaryTerm]) -> dict[int, str]:
    """{term pk: id of its entry on /glossaire/}, unique on the page: the slug of the entry,
    « entree-N » when it slugs to nothing, « -2 », « -3 »… on a repeat (entries older than the
    rule that refuses « ccas » beside « CCAS »), never a letter heading's « lettre-X ». `terms`
    in the page's order (`sorted_terms`), so that the search links to the same ids."""
    taken = {f"lettre-{slugify(letter_of(term.acronym))}" for term in terms if term.acronym}
    anchors = {}
    for rank, term in enumerate(terms, start=1):
        base = slugify(term.acronym) or f"entree-{rank}"
        anchor = first_free(base, taken.__contains__)
        taken.add(anchor)
        anchors[term.pk] = anchor
    return anchors


def glossary_letters() -> dict[str, list[GlossaryTerm]]:
    """{letter: entries} for /glossaire/, in order, each entry with its `anchor`."""
    terms = sorted_terms()
    anchors = glossary_anchors(terms)
    letters: dict[str, list[GlossaryTerm]] = {}
    for term in terms:
        term.anchor = anchors[term.pk]
        letters.setdefault(letter_of(term.acronym), []).append(term)
    return letters


def _content_words(text: str) -> tuple[str, ...]:
    """The words that carry meaning, folded, a plural « s » dropped: « les Aides facultatives »
    → ('aide', 'facultative'); « Vice-président(e) » → ('vice', 'president')."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    return tuple(
        word[:-1] if len(word) > 3 and word.endswith("s") else word
        for word in words
        if len(word) > 1 and word not in STOP_WORDS
    )


# At most this many words of a query between two words of an entry it names: « aide sociale
# facultative » names « Aide facultative », « membre du conseil élu » « Membre élu »; words far
# apart in a long query belong to other things.
MAX_GAP = 2


def contains_phrase(words: tuple[str, ...], phrase: tuple[str, ...], max_gap: int = 0) -> bool:
    """`phrase` appears in `words`, its words in order, at most `max_gap` words between two of
    them (none by default: side by side). A one-word phrase is simply one of the words."""
    if not phrase:
        return False

    def rest_from(position: int, index: int) -> bool:
        # phrase[index] sits at `position`: the next word within max_gap words after it.
        if index == len(phrase) - 1:
            return True
        stop = min(len(words), position + 2 + max_gap)
        return any(
            words[after] == phrase[index + 1] and rest_from(after, index + 1)
            for after in range(position + 1, stop)
        )

    return any(word == phrase[0] and rest_from(start, 0) for start, word in enumerate(words))


# What may surround a sigle typed in a query: « (RSA) », « RSA, », « "RSA" ».
SIGLE_PUNCTUATION = ",;:!?()«»\"'"
DOTTED_SIGLE = re.compile(r"(?:\w\.)+\w?")  # « A.B.S. », « R.S.A »


def typed_words(text: str) -> tuple[str, ...]:
    """The words of a query that carry meaning, however typed: an elided article, the dots of
    a sigle, case, accents and a plural aside (« l'A.B.S. » → ('abs',), « Les indicateurs » →
    ('indicateur',)). The search's « Accès direct » compares queries by these."""
    words = (word.strip(SIGLE_PUNCTUATION) for word in query_words(text))
    return _content_words(
        " ".join(word.replace(".", "") if DOTTED_SIGLE.fullmatch(word) else word for word in words)
    )


def sigle_expansions(words: list[str]) -> dict[str, str]:
    """{word: expansion} for the words of a query that are glossary sigles, however typed
    (« RSA », « rsa », « R.S.A. »), as the glossary entries above the results read them: the
    search also looks for the expansion, which a guide may write out instead."""
    by_key = {acronym_key(sigle): expansion for sigle, expansion in glossary_terms().items()}
    found = {}
    for word in words:
        expansion = by_key.get(acronym_key(word.strip(SIGLE_PUNCTUATION)))
        if expansion:
            found[word] = expansion
    return found


def _match_rank(term: GlossaryTerm, query: str, words: tuple[str, ...]) -> int | None:
    """How closely the query names the entry: 0 exactly, 1 the entry inside a longer query (its
    words in order, a word or two between them allowed: `contains_phrase` with MAX_GAP), 2 the query
    inside the entry; None when it does not."""
    if term.kind == GlossaryKind.SIGLE:
        # A sigle is named by itself, however typed (« RSA », « rsa », « R.S.A. »), never by a
        # word that folds to it (« ça » is not « CA »).
        key = acronym_key(term.acronym)
        # query_words: « l'ABS », « d’UDAF » name the sigle too.
        typed = {acronym_key(word.strip(SIGLE_PUNCTUATION)) for word in query_words(query)}
        if key and (key == acronym_key(query) or key in typed):
            return 0
        # Or by several words of its expansion (« besoins sociaux » → ABS); one word would
        # name too many (« action »).
        if len(words) >= 2 and contains_phrase(_content_words(term.expansion), words):
            return 2
        return None
    head = _content_words(term.acronym)
    if head and head == words:
        return 0
    if contains_phrase(words, head, MAX_GAP):
        return 1
    if contains_phrase(head, words) or (
        len(words) >= 2 and contains_phrase(_content_words(term.expansion), words)
    ):
        return 2
    return None


def glossary_entries_for(query: str) -> list[tuple[GlossaryTerm, str]]:
    """(entry, anchor) of the glossary entries the query names, shown above the search results:
    a sigle however typed (« RSA », « r.s.a. »), a term or part of one (« délégation de
    signature », « Delegation »), several words of a sigle's expansion (« besoins sociaux »
    → ABS); accents, case and plurals aside. One query, matched in Python: the glossary is a
    few hundred entries at most."""
    words = _content_words(query)
    if not words and not acronym_key(query):
        return []
    terms = sorted_terms()
    anchors = glossary_anchors(terms)
    ranked = []
    for order, term in enumerate(terms):
        rank = _match_rank(term, query, words)
        if rank is not None:
            ranked.append((rank, order, term))
    ranked.sort(key=lambda item: item[:2])
    return [(term, anchors[term.pk]) for _, _, term in ranked[:MAX_SEARCH_ENTRIES]]

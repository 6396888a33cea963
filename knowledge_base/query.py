"""What a French search query means: the words typed, with their masculine, feminine, singular
and plural forms, and legal article numbers (« L123-6 ») kept whole.

Why forms and not a better configuration: `maillage_french` runs `unaccent` before the French
stemmer, so that « epicerie » finds « épicerie »; but the stemmer then no longer sees the
accented endings it strips (é, ée, és, ées), and « handicapées » stems to 'handicape' while
« handicapés » stems to 'handicap' (the same happens with `french` on unaccented text; a
PostgreSQL mapping cannot stem first and unaccent after, the stemmer ends the chain). So each
word of the query also looks for its other forms: « handicapés » looks for « handicapé »,
« handicapée », « handicapées »… and finds every one of them, whatever the document wrote.
Nothing changes in the index: no `update_index` is needed.
"""

import re
import unicodedata

from django.conf import settings
from django.db import connection
from wagtail.search.query import And, Or, Phrase, PlainText

from union.formats import french_number

# « L123-6 », « R. 123-7 », « D 312-1-2 », « article L123-6 »: one reference, never « L123 » and
# « 6 » searched apart (PostgreSQL reads « L123-6 » as 'l123' followed by '-6').
LEGAL_ARTICLE = re.compile(r"(?<![\w-])([LRD])\.?\s?(\d+(?:-\d+)+)(?![\w-])", re.IGNORECASE)
# « 1 500 », « 12 000 », « 1 000 000 » (a space, a no-break space or a narrow one between the
# thousands): one number, which a page may write glued (« 1500 »). Never « 2024 300 » (a year
# then a count), « 2,5 100 » nor « 0 500 ».
SPACED_NUMBER = re.compile(r"(?<![\w.,])[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+(?![\w.,])")
WORD = re.compile(r"^\w+$")
# An elided article or pronoun glued to the word it stands before (« l'ABS », « d’accueil »,
# « qu'un »), with either apostrophe: the word is what is searched, as « ABS » would be. Never
# inside a word (« aujourd'hui », « presqu'île »).
ELISION = re.compile(r"^(?:qu|[ldjnscmt])['\u2019](?=\w)", re.IGNORECASE)
# Gendered and plural endings, longest first, compared without accents.
GENDER_ENDINGS = ("ees", "ee", "es", "e")
GENDER_FORMS = ("e", "é", "ée", "és", "ées", "es")
MIN_STEM = 3


def search_config() -> str:
    return settings.WAGTAILSEARCH_BACKENDS["default"].get("SEARCH_CONFIG") or "simple"


def plain(text: str) -> str:
    """Lower case without accents (« Aînées » → « ainees »)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def legal_reference(letter: str, number: str) -> str:
    """« l », « 123-6 » → « L123-6 »."""
    return f"{letter.upper()}{number}"


def grouped_number(word: str) -> str:
    """« 1500 » → « 1 500 »: French writes a number of four digits or more with its thousands
    apart (a space or a no-break space), which PostgreSQL reads as two words, '1' and '500',
    never as the '1500' a visitor types. "" for anything else (and for « 0800 », not a
    quantity)."""
    if not (word.isascii() and word.isdigit()) or len(word) < 4 or word.startswith("0"):
        return ""
    return french_number(int(word), thousands=" ")


def candidate_forms(word: str) -> list[str]:
    """The word and its other possible forms (gender, number), before asking PostgreSQL which
    of them mean something."""
    forms = [word]
    folded = plain(word)
    if len(folded) < MIN_STEM or not WORD.match(word):
        return forms
    forms.append(word[:-1] if folded.endswith("s") else f"{word}s")
    for ending in GENDER_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= MIN_STEM:
            base = word[: -len(ending)]
            forms.extend(base + form for form in GENDER_FORMS)
            break
    return list(dict.fromkeys(forms))


def lexemes_of(words: list[str]) -> dict[str, str]:
    """The lexemes each word gives with the search configuration ("" for a stop word), in one
    query."""
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.word, array_to_string(tsvector_to_array(to_tsvector(%s::regconfig, t.word)),"
            " ' ') FROM unnest(%s::text[]) AS t(word)",
            [search_config(), words],
        )
        return dict(cursor.fetchall())


def glued_numbers(text: str) -> str:
    """« moins de 1 500 habitants » → « moins de 1500 habitants »: a number typed with its
    thousands apart is one word, which build_query searches glued and spaced (grouped_number),
    never as any '1' and any '500' of a page."""
    return SPACED_NUMBER.sub(lambda match: re.sub(r"\s", "", match.group()), text)


def query_words(text: str) -> list[str]:
    """The words of a query, as typed, besides its legal references and without an elided
    article (« l'ABS » is « ABS », ELISION); a number with its thousands apart is one word
    (glued_numbers)."""
    text = glued_numbers(LEGAL_ARTICLE.sub(" ", text))
    words = (ELISION.sub("", word) for word in re.split(r"[\s\-]+", text))
    return [word for word in words if word]


def query_terms(text: str) -> tuple[list[str], list[list[str]]]:
    """(legal references, forms of each other word) of a query. A stop word keeps only itself
    (PostgreSQL drops it, as before); a word's forms are those that give another lexeme."""
    references = [legal_reference(*match.groups()) for match in LEGAL_ARTICLE.finditer(text)]
    words = query_words(text)
    candidates = {word: candidate_forms(word) for word in words}
    lexemes = lexemes_of(sorted({form for forms in candidates.values() for form in forms}))
    terms = []
    for word in words:
        if not lexemes.get(word):
            terms.append([word])
            continue
        seen, forms = set(), []
        for form in candidates[word]:
            lexeme = lexemes.get(form)
            if lexeme and lexeme not in seen:
                seen.add(lexeme)
                forms.append(form)
        terms.append(forms)
    return references, terms


def build_query(text: str, operator: str = "and", also: dict[str, str] | None = None):
    """The Wagtail search query for `text`: every word (`operator="and"`) or any word ("or"),
    each in any of its forms; a legal article number as a phrase. `also` gives a phrase a typed
    word also stands for (a sigle's expansion: « RSA » finds « revenu de solidarité active »,
    written out in a guide). `text` itself when it holds no word."""
    references, terms = query_terms(text)
    also = also or {}
    parts = [Phrase(reference) for reference in references]
    for forms in terms:  # forms[0] is the word as typed
        alternatives = [PlainText(form) for form in forms]
        if forms[0] in also:
            alternatives.append(Phrase(also[forms[0]]))
        if grouped_number(forms[0]):  # « 1500 » also finds « 1 500 », as French writes it
            alternatives.append(Phrase(grouped_number(forms[0])))
        parts.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    if not parts:
        return text
    if len(parts) == 1:
        return parts[0]
    return And(parts) if operator == "and" else Or(parts)


def site_query(text: str, operator: str = "and"):
    """build_query for the site's searches (the search page, the guides' and experiences'
    filters): a glossary sigle also finds its expansion."""
    from knowledge_base.glossary import sigle_expansions  # the glossary's models load later

    return build_query(text, operator, also=sigle_expansions(query_words(text)))


def quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def headline_tsquery(text: str, also: dict[str, str] | None = None) -> str:
    """A `to_tsquery` text marking, in a snippet, every form of every word of the query, and
    the words of the phrases they also stand for (build_query's `also`)."""
    references, terms = query_terms(text)
    phrases = [word for phrase in (also or {}).values() for word in query_words(phrase)]
    words = [*references, *(f for fs in terms for f in fs), *phrases]
    marked = [quote(term) for term in dict.fromkeys(words)]
    # A typed 1500 marks the 1 and the 500 of 1 500 side by side, never every 1 of the text.
    numbers = [grouped_number(forms[0]) for forms in terms if grouped_number(forms[0])]
    marked += ["(" + " <-> ".join(map(quote, number.split())) + ")" for number in numbers]
    return " | ".join(marked)

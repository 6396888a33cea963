"""Site search over every live page the visitor may read, in French, with highlighted snippets."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import fuzz, process
from wagtail.models import Page
from wagtail.search import index

from knowledge_base.glossary import (
    SIGLE_PUNCTUATION,
    contains_phrase,
    fold,
    sigle_expansions,
    typed_words,
)
from knowledge_base.listing import visible_to
from knowledge_base.models.snippets import GlossaryTerm, acronym_key
from knowledge_base.query import (
    LEGAL_ARTICLE,
    headline_tsquery,
    plain,
    query_words,
    quote,
    site_query,
)

MAX_QUERY_LENGTH = 200
MAX_HITS = 200  # results pages beyond the twentieth are not read: ask for a narrower search
FRAGMENT_DELIMITER = " … "
SNIPPET_OPTIONS = (
    f"MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter='{FRAGMENT_DELIMITER}'"
)
# ts_headline marks words with these; they cannot occur in escaped text.
START, STOP = "\x02", "\x03"


@dataclass
class SearchHit:
    page: Page
    type_label: str
    snippet: SafeString


def clean_query(raw: str) -> str:
    """Trim, collapse spaces and cap the length; control characters are dropped. A no-break
    space (« 1 500 », « épicerie solidaire » pasted from a document) or a tab is a
    space: Python counts them as unprintable, and dropping them glued two words into one."""
    text = "".join(" " if ch.isspace() else ch for ch in raw if ch.isprintable() or ch.isspace())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def page_text(page: Page) -> str:
    """The text a snippet is cut from: our pages say it; pages of other apps (e.g. seminar
    proceedings) are read through the search fields they declare."""
    text_of = getattr(page, "search_text", None)
    if callable(text_of):
        return text_of()
    parts = [page.search_description]
    for search_field in page.get_search_fields():
        if not isinstance(search_field, index.SearchField) or search_field.field_name == "title":
            continue
        try:
            page._meta.get_field(search_field.field_name)
        except FieldDoesNotExist:
            continue
        # get_value() already gives the field's searchable content: a list of texts for rich
        # text and StreamFields (asking the field again fails on StreamFields' lists).
        value = search_field.get_value(page)
        texts = value if isinstance(value, (list, tuple)) else [value]
        parts.extend(strip_tags(str(text)) for text in texts if text)
    return " ".join(part for part in parts if part) or page.title


def snippet_tsquery(query: str) -> str:
    """headline_tsquery, plus the number of each legal article of the query on its own: a
    snippet is cut from the text the page shows (« L. 111-2 »), where PostgreSQL reads « 111 »
    and « -2 », never the « l111-2 » that only the index holds."""
    numbers = [number for _letter, number in LEGAL_ARTICLE.findall(query)]
    marked = headline_tsquery(query, sigle_expansions(query_words(query)))
    return " | ".join(part for part in [marked, *map(quote, numbers)] if part)


def headlines(texts: list[str], query: str) -> list[SafeString]:
    """One PostgreSQL ts_headline per text, in a single query, with the site's search config,
    marking every form of the query's words; the text is escaped before the <mark> tags go
    in."""
    if not texts:
        return []
    config = settings.WAGTAILSEARCH_BACKENDS["default"].get("SEARCH_CONFIG") or "simple"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_headline(%s::regconfig, t.text, to_tsquery(%s::regconfig, %s), "
            "%s) FROM unnest(%s::text[]) WITH ORDINALITY AS t(text, n) ORDER BY t.n",
            [
                config,
                config,
                snippet_tsquery(query),
                f"{SNIPPET_OPTIONS}, StartSel={START}, StopSel={STOP}",
                texts,
            ],
        )
        rows = [row[0] for row in cursor.fetchall()]
    return [
        mark_safe(
            escape(with_ellipses(row, text)).replace(START, "<mark>").replace(STOP, "</mark>")
        )
        for row, text in zip(rows, texts, strict=True)
    ]


SENTENCE_END = (".", "!", "?", "…", ":", ";", " »")
WORD_CHARACTER = re.compile(r"\w")


def with_ellipses(headline: str, text: str) -> str:
    """« … » before an extract that starts in the middle of a sentence of `text`, and after one
    that stops before the end of the text."""
    plain_headline = headline.replace(START, "").replace(STOP, "")
    fragments = plain_headline.split(FRAGMENT_DELIMITER)
    first, last = fragments[0].strip(), fragments[-1].strip()
    if not first:
        return headline
    start = text.find(first)
    if start > 0 and not text[:start].rstrip().endswith(SENTENCE_END):
        headline = f"… {headline.lstrip()}"
    end = text.rfind(last)
    if end >= 0 and WORD_CHARACTER.search(text[end + len(last) :]):
        headline = f"{headline.rstrip()} …"
    return headline


def without_unlisted_pages(pages):
    """Pages that exist only for those holding a link are never found: invitation-only events
    (reached with their `?invitation=` key) and what lies under them (their proceedings); nor
    the proceedings of an unpublished event. Members-only events stay searchable: they are listed
    in the calendar too."""
    from seminars.models import SeminarPage, Visibility

    hidden = SeminarPage.objects.filter(Q(visibility=Visibility.INVITATION) | Q(live=False))
    for event in hidden.only("path", "depth"):
        pages = pages.not_descendant_of(event, inclusive=True)
    return pages


@dataclass
class SiteSearch:
    """What a search found, and how, so the results page can say it: `any_word` when no page held
    every word and the hits hold at least one; `truncated` when more than MAX_HITS matched."""

    hits: list[SearchHit] = field(default_factory=list)
    any_word: bool = False
    truncated: bool = False


def searchable_pages(request=None):
    """Every live page but the root that the visitor may read and find (search_site,
    search_vocabulary)."""
    return without_unlisted_pages(visible_to(Page.objects.exclude(depth=1), request))


# A glossary sigle typed in capitals (« CAF », « RSA ») is read as the sigle. The French configuration
# unaccents before stemming, so the index reads « café » as 'caf', the lexeme of « CAF »: a
# search for the Caisse d'allocations familiales found the « café des aidants ». PostgreSQL
# cannot tell them apart without an accented copy of every text in the index (a reindex), so
# the few hits are read again here.
TYPED_SIGLE = re.compile(r"^[A-Z]{2,8}$")
# How much longer than the sigle a look-alike may be (« café », « cafés »), folded.
LOOKALIKE_EXTRA_LETTERS = 3


@dataclass(frozen=True)
class TypedSigle:
    sigle: str
    expansion: str  # its glossary expansion

    def is_lookalike(self, word: str) -> bool:
        """A word of a page the index confuses with the sigle, and a reader never would:
        « café » for « CAF » (its folded form starts with the sigle's, its accents or ending
        differ); never the sigle itself, in any case, nor its plural."""
        folded, sigle = fold(word), self.sigle.lower()
        return (
            folded.startswith(sigle)
            and len(folded) <= len(sigle) + LOOKALIKE_EXTRA_LETTERS
            and word.lower() not in (sigle, f"{sigle}s")
        )

    def is_named_in(self, text: str) -> bool:
        """The sigle as a word of its own (any case, accents count), or its expansion."""
        if re.search(rf"(?<!\w){re.escape(self.sigle)}s?(?!\w)", text, re.IGNORECASE):
            return True
        return fold(" ".join(self.expansion.split())) in fold(
            " ".join(text.replace("\u2019", "'").split())
        )


def typed_sigles(query: str) -> list[TypedSigle]:
    """The query's glossary sigles typed in capitals, with their expansion; a word that another
    word of the query would also find (« CAF café ») is left alone. Only the glossary's:
    a word typed in capitals is often a plain word without its accents (« EPICERIE »,
    « SOCIAL »), which must find « épicerie » and « sociale » as in lower case."""
    words = query_words(query)
    expansions = sigle_expansions(words)
    sigles = [
        word
        for word in words
        if word in expansions and TYPED_SIGLE.match(word.strip(SIGLE_PUNCTUATION))
    ]
    others = [fold(word) for word in words if word not in sigles]
    return [
        TypedSigle(sigle.strip(SIGLE_PUNCTUATION), expansions[sigle])
        for sigle in sigles
        if not any(other.startswith(fold(sigle)) for other in others)
    ]


def without_lookalikes(pages: list, sigles: list[TypedSigle]) -> list:
    """The pages that name every typed sigle, or at least hold no word the index confuses
    with it: a page found through « café » alone when « CAF » was typed is dropped."""
    if not sigles:
        return pages
    kept = []
    for page in pages:
        text = f"{page.title} {page_text(page)}"
        words = WORD_IN_TEXT.findall(text)
        if all(
            sigle.is_named_in(text) or not any(map(sigle.is_lookalike, words)) for sigle in sigles
        ):
            kept.append(page)
    return kept


def search_site(query: str, request=None) -> SiteSearch:
    """Up to MAX_HITS hits for `query`, best first (the caller paginates)."""
    query = clean_query(query)
    if not query:
        return SiteSearch()
    pages = searchable_pages(request)
    sigles = typed_sigles(query)
    # One more than shown: whether there were more is said on the page, never left silent.
    results = list(pages.specific().search(site_query(query, "and"))[: MAX_HITS + 1])
    results = without_lookalikes(results, sigles)
    any_word = False
    if not results:
        # Every word did not match: fall back to any word, still ranked.
        results = list(pages.specific().search(site_query(query, "or"))[: MAX_HITS + 1])
        results = without_lookalikes(results, sigles)
        any_word = bool(results)
    return SiteSearch(
        hits=[
            SearchHit(page=page, type_label=page._meta.verbose_name, snippet=mark_safe(""))
            for page in results[:MAX_HITS]
        ],
        any_word=any_word,
        truncated=len(results) > MAX_HITS,
    )


# How close (rapidfuzz ratio, folded) a word of the pages must be to a typed word that found
# nothing to be offered instead: « domiciliaton » (one letter missed) scores 96, « epicrie » 93.
SUGGESTION_SCORE = 85
MIN_SUGGESTED_LENGTH = 4
WORD_IN_TEXT = re.compile(r"[^\W\d_]+")  # letters only: « d'urgence » is « d » and « urgence »


def search_vocabulary(request=None) -> dict[str, str]:
    """{word folded: word as written, lower case} of the titles and descriptions of the pages
    the visitor may read, and of the glossary (its entries are written for the search too):
    never a word of a page they could not open."""
    pages = searchable_pages(request)
    texts = [text for pair in pages.values_list("title", "search_description") for text in pair]
    texts += [
        text for pair in GlossaryTerm.objects.values_list("acronym", "expansion") for text in pair
    ]
    vocabulary = {}
    for text in texts:
        for word in WORD_IN_TEXT.findall(text or ""):
            if len(word) >= MIN_SUGGESTED_LENGTH:
                vocabulary.setdefault(plain(word), word.lower())
    return vocabulary


def spelling_suggestion(query: str, request=None) -> str:
    """« Vouliez-vous dire « domiciliation » ? » for a query that found nothing: each word is
    replaced by the closest word of search_vocabulary. Only called when no page holds any of the
    words, so none of them is a word the pages use. "" when nothing is close enough, or when the
    suggestion would find nothing either (a glossary word no page uses)."""
    vocabulary = search_vocabulary(request)

    def closest(match: re.Match) -> str:
        word = match.group(0)
        folded = plain(word)
        if len(folded) < MIN_SUGGESTED_LENGTH or folded in vocabulary:
            return word
        found = process.extractOne(
            folded, vocabulary.keys(), scorer=fuzz.ratio, score_cutoff=SUGGESTION_SCORE
        )
        return vocabulary[found[0]] if found else word

    query = clean_query(query)
    suggestion = WORD_IN_TEXT.sub(closest, query)
    if plain(suggestion) == plain(query):
        return ""
    return suggestion if search_site(suggestion, request).hits else ""


@dataclass
class Promotion:
    """An « Accès direct » entry above the results: a page, or an address outside the page
    tree (the ABS comparisons, /indicateurs/, are Django views, not Wagtail pages)."""

    title: str
    url: str
    description: str


def names_promotion(promoted: str, query: str, words: tuple[str, ...]) -> bool:
    """Whether `query` (normalised as Wagtail does, and its `words`: typed_words) answers a
    promotion's query string: the same string (Wagtail's own rule); the same words however
    typed (case, accents, plural, articles, « A.B.S. »); for the ABS comparisons, their words
    among others too (« indicateurs ABS », « ABS 2024 »), since the union promotes them under
    these words whatever else is typed."""
    if promoted == query:
        return True
    promoted_words = typed_words(promoted)
    if not promoted_words:
        return False
    return promoted_words == words or (
        promoted in ABS_PROMOTION_QUERIES and contains_phrase(words, promoted_words)
    )


INDICATOR_DESCRIPTION = (
    "Indicateur de l'analyse des besoins sociaux\u00a0: sa définition et les valeurs que les "
    "CCAS et CIAS membres publient, commune par commune."
)


def indicator_promotions(query: str, words: tuple[str, ...]) -> list[Promotion]:
    """The page of the ABS indicator a query names (/indicateurs/<CODE>/): its code however
    typed (« RSA », « tp60 »), its label, or two words or more of its label side by side
    (« taux de pauvreté » for « Taux de pauvreté au seuil de 60 % »); one word alone
    (« taux », « part ») would name too many."""
    from abs_shared.models import Indicator

    key = acronym_key(query)
    found = []
    for indicator in Indicator.objects.order_by("position", "code"):
        label = typed_words(indicator.label)
        if (
            indicator.code == key
            or label == words
            or (len(words) >= 2 and contains_phrase(label, words))
        ):
            url = reverse(
                "abs_indicator",
                kwargs={"code": indicator.code},
                urlconf=settings.PUBLIC_SCHEMA_URLCONF,
            )
            found.append(
                Promotion(title=indicator.label, url=url, description=INDICATOR_DESCRIPTION)
            )
    return found


def promoted_results(query: str, request=None) -> list[Promotion]:
    """The search promotions (Wagtail's « Promotions de recherche », admin menu « Paramètres »)
    this query answers (names_promotion), in their order: a promoted page only while the
    visitor may read it; then the page of an ABS indicator the query names. Each address once.
    Read-only: Wagtail's own template tag creates a Query row for every search typed."""
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.search.utils import normalise_query_string

    query = clean_query(query)
    if not query:
        return []
    normalised, words = normalise_query_string(query), typed_words(query)
    # Every promotion is read (a union promotes a few dozen queries at most) and compared in
    # Python: a visitor types « les indicateurs », the union promoted « indicateurs ».
    promotions = [
        promotion
        for promotion in SearchPromotion.objects.select_related("query", "page").order_by(
            "sort_order", "pk"
        )
        if names_promotion(promotion.query.query_string, normalised, words)
    ]
    page_ids = [promotion.page_id for promotion in promotions if promotion.page_id]
    readable = set(
        visible_to(Page.objects.filter(pk__in=page_ids), request).values_list("pk", flat=True)
    )
    found = []
    for promotion in promotions:
        if promotion.page_id:
            if promotion.page_id not in readable:
                continue
            url = promotion.page.get_url(request)
            title = promotion.page.title
        else:
            url, title = promotion.external_link_url, promotion.external_link_text or ""
        if url and title:
            found.append(Promotion(title=title, url=url, description=promotion.description))
    found += indicator_promotions(query, words)
    # « indicateurs ABS » answers two promotions of the same address: one link, the first.
    unique: dict[str, Promotion] = {}
    for promotion in found:
        unique.setdefault(promotion.url, promotion)
    return list(unique.values())


# The ABS comparisons are found under these words (knowledge_base.demo).
ABS_PROMOTION_QUERIES = ("abs", "analyse des besoins sociaux", "indicateurs")
ABS_PROMOTION_TITLE = "Indicateurs de l'analyse des besoins sociaux (ABS)"
ABS_PROMOTION_DESCRIPTION = (
    "Les indicateurs que les CCAS et CIAS membres publient, comparés à leur territoire : "
    "le portrait de chaque commune et de chaque intercommunalité."
)


def ensure_abs_promotions(base_url: str) -> int:
    """« Accès direct » to the ABS comparisons (/indicateurs/ on the portal at `base_url`) for
    ABS_PROMOTION_QUERIES, created where missing: a promotion the union changed or removed in
    the admin is left as it is. Returns how many were created."""
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    url = base_url.rstrip("/") + "/indicateurs/"
    created = 0
    for words in ABS_PROMOTION_QUERIES:
        query = Query.get(words)
        if query.editors_picks.exists():
            continue
        SearchPromotion.objects.create(
            query=query,
            external_link_url=url,
            external_link_text=ABS_PROMOTION_TITLE,
            description=ABS_PROMOTION_DESCRIPTION,
            sort_order=0,
        )
        created += 1
    return created


MARKED = re.compile(r"<mark>([^<]*)</mark>")


def unmark_lookalikes(snippet: SafeString, sigles: list[TypedSigle]) -> SafeString:
    """ts_headline marks « café » for « CAF » (the same lexeme): the mark is taken off."""
    if not sigles:
        return snippet

    def unmark(match: re.Match) -> str:
        word = match.group(1)
        return word if any(sigle.is_lookalike(word) for sigle in sigles) else match.group(0)

    return mark_safe(MARKED.sub(unmark, snippet))


def add_snippets(hits: list[SearchHit], query: str) -> list[SearchHit]:
    """Fill the snippets of the hits on the page being shown only."""
    query = clean_query(query)
    sigles = typed_sigles(query)
    for hit, snippet in zip(
        hits, headlines([page_text(hit.page) for hit in hits], query), strict=True
    ):
        hit.snippet = unmark_lookalikes(snippet, sigles)
    return hits

"""The « Documents » page's list, read by pages (audit A18, session 36).

Ten years of a space's papers are a few thousand documents: the page used to read them all, sort
them by category in Python and render each row with a stat() of its file (1.4 MB, 1.6 s for
2,000). Now PostgreSQL filters, orders and counts, and the page renders PAGE_SIZE rows."""

from itertools import groupby

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When

from tenants.workspace.models import Document

PAGE_SIZE = 50  # as the journal's (/journal/) and the directory's (/membres/) pages

# The sections' order on the page, the categories' own: board papers first.
CATEGORY_ORDER = Case(
    *(
        When(category=value, then=Value(rank))
        for rank, value in enumerate(Document.Category.values)
    ),
    output_field=IntegerField(),
)


def listed_documents(category: str = "") -> QuerySet:
    """The documents the page lists (one category, or all of them section by section), in the
    page's order: by date of the document, the undated last, then the latest uploaded. The
    primary key settles ties, so that no row falls between two pages."""
    documents = Document.objects.select_related("uploaded_by", "replaced_by")
    if category:
        documents = documents.filter(category=category)
    return documents.order_by(
        CATEGORY_ORDER, F("document_date").desc(nulls_last=True), "-uploaded_at", "-pk"
    )


def count_by_category() -> dict[str, int]:
    """Every category's number of documents in the space (not in the page shown)."""
    rows = Document.objects.order_by().values_list("category").annotate(n=Count("pk"))
    return dict(rows.values_list("category", "n"))


def read_page(documents: QuerySet, number) -> Page:
    """The page asked for (`?page=`): the first when it is not a number, the last when it is
    past the end (a link kept from a longer list), never an error."""
    return Paginator(documents, PAGE_SIZE).get_page(number)


def page_number_of(documents: QuerySet, pk: int) -> int:
    """The page of `documents` that shows the document `pk` (after an upload: where it landed,
    which is not the first page for a document dated years ago). One query of identifiers."""
    position = list(documents.values_list("pk", flat=True)).index(pk)
    return position // PAGE_SIZE + 1


def sections_of(page: Page, counts: dict[str, int], category: str = "") -> list[dict]:
    """The page's rows grouped by category, in the categories' order. `continued`: the section
    began on a previous page (its heading says « suite »)."""
    first_row = page.start_index() - 1
    shown_before = 0  # rows of the categories listed before this one, over the whole list
    starts = {}
    for value in Document.Category.values:
        if not category or value == category:
            starts[value] = shown_before
            shown_before += counts.get(value, 0)
    labels = dict(Document.Category.choices)
    sections = []
    for value, rows in groupby(page.object_list, key=lambda document: document.category):
        rows = list(rows)
        sections.append(
            {
                "value": value,
                "label": labels.get(value, value),  # a code no release knows: shown as is
                "documents": rows,
                "continued": not sections and first_row > starts.get(value, first_row),
            }
        )
    return sections

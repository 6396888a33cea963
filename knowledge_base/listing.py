"""Filtering, sorting and paginating guides and experiences.

The index pages, the API and the feeds share this module so that a filter means the same
everywhere. Filters live in the query string: a filtered list can be bookmarked and shared.
"""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Model, Q, QuerySet, prefetch_related_objects
from wagtail.models import Page, PageViewRestriction

from knowledge_base.models import Audience, ExperiencePage, KnowledgePage, Theme
from tenants.matching import match_commune
from tenants.models import Commune, Departement

SORT_DATE = "date"
SORT_RELEVANCE = "pertinence"


class ListingFilterForm(forms.Form):
    """The filters of a listing; every field is optional and travels in the URL."""

    q = forms.CharField(label="Mots-clés", required=False, max_length=200)
    theme = forms.MultipleChoiceField(
        label="Thèmes", required=False, widget=forms.CheckboxSelectMultiple
    )
    match = forms.ChoiceField(
        label="Combiner les thèmes",
        required=False,
        choices=[("any", "au moins un des thèmes cochés"), ("all", "tous les thèmes cochés")],
    )
    audience = forms.ChoiceField(
        label="Public", required=False, choices=[("", "Tous les publics"), *Audience.choices]
    )
    commune = forms.CharField(
        label="Commune",
        required=False,
        max_length=100,
        help_text="Nom ou code INSEE de la commune du CCAS.",
    )
    departement = forms.ChoiceField(label="Département", required=False)
    sort = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[(SORT_DATE, "les plus récents"), (SORT_RELEVANCE, "pertinence")],
    )

    def __init__(self, data=None, *, with_places: bool = True, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["theme"].choices = [
            (theme.slug, theme.name) for theme in Theme.objects.only("slug", "name")
        ]
        if with_places:
            self.fields["departement"].choices = [("", "Tous les départements")] + [
                (d.code, str(d))
                for d in Departement.objects.filter(
                    communes__members__experiences__live=True
                ).distinct()
            ]
        else:
            del self.fields["commune"]
            del self.fields["departement"]

    def clean_commune(self) -> str:
        """A commune typed by a human: resolved with the official-name matcher, kept as an
        INSEE code; an unknown or ambiguous name is an error that names suggestions."""
        typed = self.cleaned_data.get("commune", "").strip()
        if not typed:
            return ""
        result = match_commune(typed)
        if result.commune is not None:
            return result.commune.code
        if result.suggestions:
            names = ", ".join(c.nom for c in result.suggestions[:3])
            raise forms.ValidationError(
                f"Commune « {typed} » ambiguë ou inconnue. Vouliez-vous dire : {names} ?"
            )
        raise forms.ValidationError(f"Commune inconnue : « {typed} ».")


@dataclass
class Filters:
    q: str = ""
    themes: list[str] = field(default_factory=list)
    match_all: bool = False
    audience: str = ""
    commune: str = ""
    departement: str = ""
    sort: str = SORT_DATE

    @classmethod
    def from_form(cls, form: ListingFilterForm) -> "Filters":
        data = form.cleaned_data if form.is_valid() else {}
        return cls(
            q=data.get("q", "").strip(),
            themes=list(data.get("theme") or []),
            match_all=data.get("match") == "all",
            audience=data.get("audience", ""),
            commune=data.get("commune", ""),
            departement=data.get("departement", ""),
            sort=data.get("sort") or (SORT_RELEVANCE if data.get("q") else SORT_DATE),
        )


def visible_to(queryset: QuerySet, request) -> QuerySet:
    """Live pages the requester may read: public ones, plus restricted ones whose restriction
    accepts them (logged-in members, union staff), as Wagtail itself decides when serving."""
    queryset = queryset.live()
    if request is None or not request.user.is_authenticated:
        return queryset.public()
    for restriction in PageViewRestriction.objects.select_related("page"):
        if not restriction.accept_request(request):
            queryset = queryset.not_descendant_of(restriction.page, inclusive=True)
    return queryset


def theme_page_ids(model: type[Model], slugs: list[str]):
    """Subquery: ids of `model` pages carrying any of the themes `slugs`."""
    field = model._meta.get_field("themes")
    return field.remote_field.through.objects.filter(theme__slug__in=slugs).values(
        field.m2m_column_name()
    )


def filter_pages(queryset: QuerySet, filters: Filters):
    """Apply the filters and the sort. Returns a QuerySet, or SearchResults when there is text."""
    model = queryset.model
    if filters.themes:
        if filters.match_all:
            for slug in filters.themes:
                queryset = queryset.filter(pk__in=theme_page_ids(model, [slug]))
        else:
            queryset = queryset.filter(pk__in=theme_page_ids(model, filters.themes))
    if filters.audience:
        queryset = queryset.filter(audiences__contains=[filters.audience])
    if issubclass(model, ExperiencePage):
        if filters.commune:
            queryset = queryset.filter(member__commune_id=filters.commune)
        if filters.departement:
            queryset = queryset.filter(member__commune__departement_id=filters.departement)
    by_date = queryset.order_by("-last_published_at", "-pk")
    if filters.q:
        # Search within the filtered set: Wagtail filters search results only on FilterFields,
        # and `id` is one, so the ORM filters travel as a subquery.
        scope = model.objects.filter(pk__in=queryset.values("pk"))
        if filters.sort == SORT_RELEVANCE:
            return scope.search(filters.q, operator="and")
        return scope.order_by("-last_published_at").search(
            filters.q, operator="and", order_by_relevance=False
        )
    if filters.sort == SORT_RELEVANCE and filters.themes:
        # Without text, relevance is how many of the requested themes a page carries.
        return queryset.annotate(
            matching_themes=Count("themes", filter=Q(themes__slug__in=filters.themes))
        ).order_by("-matching_themes", "-last_published_at", "-pk")
    return by_date


def prefetch_cards(pages: list[KnowledgePage]) -> list[KnowledgePage]:
    """What a result card shows (themes, commune), in a fixed number of queries."""
    by_model: dict[type, list] = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, group in by_model.items():
        lookups = ["themes"]
        if issubclass(model, ExperiencePage):
            lookups.append("member__commune__departement")
        prefetch_related_objects(group, *lookups)
    return pages


def listing_context(index_page: Page, request) -> dict:
    """Context of an index page: the filter form, one page of results, the shareable URL."""
    is_experiences = index_page.listing_kind == "experiences"
    form = ListingFilterForm(request.GET or None, with_places=is_experiences)
    filters = Filters.from_form(form) if request.GET else Filters()
    model = index_page.child_model()
    queryset = visible_to(model.objects.child_of(index_page), request)
    if is_experiences:
        queryset = queryset.select_related("member__commune__departement")
    # A filter we cannot apply (unknown commune...) shows its error and no results rather
    # than a silently wider list.
    results = filter_pages(queryset, filters) if not form.is_bound or form.is_valid() else []
    paginator = Paginator(results, settings.KB_LISTING_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    items = prefetch_cards(list(page_obj.object_list))
    communes = []
    if is_experiences:
        communes = (
            Commune.objects.filter(members__experiences__live=True).distinct().order_by("nom")
        )
    return {
        "form": form,
        "filters": filters,
        "selected_themes": request.GET.getlist("theme"),
        "page_obj": page_obj,
        "items": items,
        "result_count": paginator.count,
        "is_filtered": bool(
            request.GET.get("q")
            or any(request.GET.get(key) for key in ("theme", "audience", "commune", "departement"))
        ),
        "communes": communes,
    }

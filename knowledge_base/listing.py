"""Filtering, sorting and paginating guides and experiences.

The index pages, the API and the feeds share this module so that a filter means the same
everywhere. Filters live in the query string: a filtered list can be bookmarked and shared.
"""

import re
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Model, Q, QuerySet, prefetch_related_objects
from wagtail.models import Page, PageViewRestriction

from knowledge_base.models import Audience, ExperiencePage, GuidePage, KnowledgePage, Theme
from knowledge_base.query import site_query
from tenants.matching import CommuneRef, match_commune, prefer_listed
from tenants.models import Commune, Departement, MemberCCAS

SORT_DATE = "date"
SORT_RELEVANCE = "pertinence"
# "Montreuil (93)": a commune name followed by its département, as the suggestions show it.
NAME_WITH_DEPARTEMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<departement>\d{2,3}|2[AB])\)$", re.I)
MAX_LISTED_COMMUNES = 6


def commune_label(commune: CommuneRef) -> str:
    """ "Montreuil (93)", as the suggestions show it (str() of a Commune gives the same)."""
    return f"{commune.nom} ({commune.departement})"


def list_communes(communes: list[CommuneRef]) -> str:
    labels = [commune_label(commune) for commune in communes[:MAX_LISTED_COMMUNES]]
    return ", ".join(labels) + (", …" if len(communes) > MAX_LISTED_COMMUNES else "")


class ListingFilterForm(forms.Form):
    """The filters of a listing; every field is optional and travels in the URL.

    A value that is not among the choices (a renamed theme in an old link...) is an error shown
    next to its filter, never a silently empty or wider list.
    """

    q = forms.CharField(label="Mots-clés", required=False, max_length=200)
    theme = forms.MultipleChoiceField(
        label="Thèmes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Thème inconnu : « %(value)s »."},
    )
    match = forms.ChoiceField(
        label="Combiner les thèmes",
        required=False,
        choices=[("any", "au moins un des thèmes cochés"), ("all", "tous les thèmes cochés")],
        error_messages={"invalid_choice": "Choix inconnu : « %(value)s »."},
    )
    audience = forms.ChoiceField(
        label="Public",
        required=False,
        choices=[("", "Tous les publics"), *Audience.choices],
        error_messages={"invalid_choice": "Public inconnu : « %(value)s »."},
    )
    commune = forms.CharField(
        label="Commune",
        required=False,
        max_length=100,
        help_text="Nom de la commune du CCAS, suivi de son département si le nom est porté par "
        "plusieurs communes (ex. : Montreuil (93)), ou son code INSEE.",
    )
    departement = forms.ChoiceField(
        label="Département",
        required=False,
        error_messages={
            "invalid_choice": "Aucune expérience à afficher pour le département « %(value)s »."
        },
    )
    sort = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[(SORT_DATE, "les plus récents"), (SORT_RELEVANCE, "pertinence")],
        error_messages={"invalid_choice": "Tri inconnu : « %(value)s »."},
    )

    def __init__(
        self,
        data=None,
        *,
        experiences: QuerySet | None = None,
        any_departement: bool = False,
        **kwargs,
    ):
        """`experiences`: those the requester may see, whose communes the place filters offer;
        None for a listing without place filters (guides). `any_departement`: every
        département is a valid filter (the API: one without experiences gives no results, only
        a code that is no département is an error); the page offers only those with some."""
        super().__init__(data, **kwargs)
        self.fields["theme"].choices = [
            (theme.slug, theme.name) for theme in Theme.objects.only("slug", "name")
        ]
        if experiences is None:
            del self.fields["commune"]
            del self.fields["departement"]
            self.communes = Commune.objects.none()
            return
        # Only places of experiences the visitor can see: a private or unpublished experience
        # must not reveal, through a filter choice, that its CCAS wrote something.
        self.communes = communes_served_by(
            MemberCCAS.objects.filter(experiences__in=experiences.values("pk"))
        )
        departements = Departement.objects.all()
        if any_departement:
            self.fields["departement"].error_messages["invalid_choice"] = (
                "Département inconnu : « %(value)s »."
            )
        else:
            departements = departements.filter(communes__in=self.communes.values("pk")).distinct()
        self.fields["departement"].choices = [("", "Tous les départements")] + [
            (d.code, str(d)) for d in departements
        ]

    def clean_commune(self) -> str:
        """A commune typed by a human or picked among the suggestions (« Montreuil (93) »),
        resolved with the official-name matcher and kept as an INSEE code. An unknown or
        ambiguous name is an error that lists the communes it could be."""
        typed = self.cleaned_data.get("commune", "").strip()
        if not typed:
            return ""
        name, departement = typed, None
        with_departement = NAME_WITH_DEPARTEMENT.match(typed)
        if with_departement:
            name, departement = with_departement["name"], with_departement["departement"].upper()
        # Only the communes that have experiences to show count (in the département typed, if
        # any): « Montreuil » is the one of the 93 when no other Montreuil has any, « Epinay »
        # Épinay-sur-Seine rather than the former commune now in Mesnil-en-Ouche (27).
        listed = self.communes.filter(departement_id=departement) if departement else self.communes
        listed = set(listed.values_list("code", flat=True))
        # « (93) » is a département here, never the région with the same code (PACA).
        result = prefer_listed(match_commune(name, departement, level="departement"), listed)
        commune = result.commune
        if commune is not None and departement in (None, commune.departement):
            return commune.code
        if result.status == "ambiguous":
            # A filter takes the one commune with experiences the name may mean, even by the
            # start of its name (« saint ouen »: Saint-Ouen-sur-Seine, not those of the 41
            # and 80); several are offered, first.
            meant = [commune for commune in result.suggestions if commune.code in listed]
            if len(meant) == 1:
                return meant[0].code
            raise forms.ValidationError(
                f"Plusieurs communes s'appellent « {name} » : précisez laquelle, par exemple "
                f"{list_communes(result.suggestions)}."
            )
        if commune is not None:  # a unique name, but not in the département typed
            raise forms.ValidationError(
                f"Aucune commune « {name} » dans le département {departement} : "
                f"vouliez-vous dire {commune_label(commune)} ?"
            )
        if result.suggestions:
            raise forms.ValidationError(
                f"Commune inconnue : « {typed} ». Vouliez-vous dire : "
                f"{list_communes(result.suggestions)} ?"
            )
        raise forms.ValidationError(f"Commune inconnue : « {typed} ».")


def communes_served_by(members: QuerySet) -> QuerySet:
    """Communes where `members` act: a CCAS's commune, and every commune of a CIAS's
    intercommunality (EPCI or EPT), not only its seat."""
    cias = members.filter(kind=MemberCCAS.Kind.CIAS).values("intercommunality")
    # A CIAS's current communes only: a former one (merged) keeps its last groupings.
    by_cias = (Q(epci__in=cias) | Q(ept__in=cias)) & Q(current=True)
    return Commune.objects.filter(Q(pk__in=members.values("commune")) | by_cias)


def members_serving(communes: QuerySet) -> QuerySet:
    """Members acting in any of `communes`: their CCAS (or a CIAS seated there) and the CIAS
    whose intercommunality contains them. The reverse of communes_served_by."""
    cias = Q(kind=MemberCCAS.Kind.CIAS)
    return MemberCCAS.objects.filter(
        Q(commune__in=communes)
        | cias & Q(intercommunality__in=communes.values("epci"))
        | cias & Q(intercommunality__in=communes.values("ept"))
    )


def applied_sort(requested: str, q: str, themes: list[str]) -> str:
    """The order filter_pages really uses: relevance needs words or themes to rank by; without
    a requested order, a search is by relevance and a plain list by date."""
    sort = requested or (SORT_RELEVANCE if q else SORT_DATE)
    return sort if sort == SORT_DATE or q or themes else SORT_DATE


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
        # The valid fields of an invalid form still say what the visitor chose.
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        q = data.get("q", "").strip()
        themes = list(data.get("theme") or [])
        return cls(
            q=q,
            themes=themes,
            match_all=data.get("match") == "all",
            audience=data.get("audience", ""),
            commune=data.get("commune", ""),
            departement=data.get("departement", ""),
            sort=applied_sort(data.get("sort", ""), q, themes),
        )


def visible_to(queryset: QuerySet, request) -> QuerySet:
    """Live pages the requester may read: public ones, plus restricted ones whose restriction
    accepts them (logged-in members, union staff), as Wagtail itself decides when serving."""
    queryset = queryset.live()
    if request is None:
        return queryset.public()
    passed_passwords = getattr(request, "session", {}).get(
        PageViewRestriction.passed_view_restrictions_session_key
    )
    if not request.user.is_authenticated and not passed_passwords:
        return queryset.public()  # nothing restricted can accept them: no need to ask each one
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
        # A CIAS's experience belongs to every commune of its intercommunality, not only to
        # its seat: filter on the members serving the place rather than on the member's commune.
        if filters.commune:
            communes = Commune.objects.filter(pk=filters.commune)
            queryset = queryset.filter(member__in=members_serving(communes))
        if filters.departement:
            communes = Commune.objects.filter(departement_id=filters.departement)
            queryset = queryset.filter(member__in=members_serving(communes))
    by_date = queryset.order_by("-last_published_at", "-pk")
    if filters.q:
        # Search within the filtered set: Wagtail filters search results only on FilterFields,
        # and `id` is one, so the ORM filters travel as a subquery.
        scope = model.objects.filter(pk__in=queryset.values("pk"))
        query = site_query(filters.q, "and")
        if filters.sort == SORT_RELEVANCE:
            return scope.search(query)
        return scope.order_by("-last_published_at").search(query, order_by_relevance=False)
    if filters.sort == SORT_RELEVANCE and filters.themes:
        # Without text, relevance is how many of the requested themes a page carries.
        return queryset.annotate(
            matching_themes=Count("themes", filter=Q(themes__slug__in=filters.themes))
        ).order_by("-matching_themes", "-last_published_at", "-pk")
    return by_date


def members_only_paths() -> list[str]:
    """Tree paths of the pages restricted to logged-in people (themselves and what is below)."""
    return list(
        PageViewRestriction.objects.filter(
            restriction_type__in=[PageViewRestriction.LOGIN, PageViewRestriction.GROUPS]
        ).values_list("page__path", flat=True)
    )


def prefetch_cards(
    pages: list[KnowledgePage], communes_served: bool = False
) -> list[KnowledgePage]:
    """What a result card shows (themes, commune), in a fixed number of queries; with
    `communes_served`, the communes of a CIAS's intercommunality too (the API lists them)."""
    by_model: dict[type, list] = {}
    restricted = members_only_paths()
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
        page.members_only = any(page.path.startswith(path) for path in restricted)
    for model, group in by_model.items():
        lookups = ["themes"]
        if issubclass(model, ExperiencePage):
            lookups.append("member__commune__departement")
            if communes_served:
                lookups += [
                    "member__intercommunality__communes",
                    "member__intercommunality__ept_communes",
                ]
        prefetch_related_objects(group, *lookups)
    return pages


def listing_context(index_page: Page, request) -> dict:
    """Context of an index page: the filter form, one page of results, the shareable URL."""
    is_experiences = index_page.listing_kind == "experiences"
    model = index_page.child_model()
    queryset = visible_to(model.objects.child_of(index_page), request)
    form = ListingFilterForm(request.GET or None, experiences=queryset if is_experiences else None)
    filters = Filters.from_form(form) if request.GET else Filters()
    if is_experiences:
        queryset = queryset.select_related("member__commune__departement")
    # A filter we cannot apply (unknown commune, theme...) shows its error and no results rather
    # than a wider list.
    results = filter_pages(queryset, filters) if not form.is_bound or form.is_valid() else []
    paginator = Paginator(results, settings.KB_LISTING_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    items = prefetch_cards(list(page_obj.object_list))
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
        "communes": form.communes.order_by("nom", "departement_id") if is_experiences else [],
    }


def latest_guides_on(theme_slug: str, limit: int = 3) -> list[tuple[str, str]]:
    """(title, path on the portal) of the latest public guides of a theme, for a member space's
    page on the same subject (the domiciliation report leads to the union's guides on
    domiciliation). Public ones only: the link must open for whoever follows it."""
    from tenants.services import portal_urlconf  # tenants imports the knowledge base's models

    guides = (
        GuidePage.objects.live()
        .public()
        .filter(pk__in=theme_page_ids(GuidePage, [theme_slug]))
        .order_by("-last_published_at", "-pk")[:limit]
    )
    found = []
    with portal_urlconf():  # page addresses exist in the portal's URLconf only
        for guide in guides:
            parts = guide.get_url_parts()
            if parts and parts[2]:
                found.append((guide.title, parts[2]))
    return found

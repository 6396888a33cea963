"""GET /api/v1/guides/ and /api/v1/experiences/: published, public pages only."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from knowledge_base.listing import Filters, ListingFilterForm, filter_pages, prefetch_cards
from knowledge_base.models import ExperiencePage, GuidePage
from knowledge_base.services import public_page_url
from tenants.api import CommuneRefSerializer, IntercommunalityRefSerializer


class ThemeRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class KnowledgePageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    summary = serializers.CharField()
    themes = ThemeRefSerializer(many=True, source="themes.all")
    audiences = serializers.ListField(child=serializers.CharField())
    first_published_at = serializers.DateTimeField()
    last_published_at = serializers.DateTimeField()

    def get_url(self, page) -> str:
        return public_page_url(page, self.context.get("request"))


class GuideSerializer(KnowledgePageSerializer):
    last_reviewed = serializers.DateField(allow_null=True)


class ServedIntercommunalitySerializer(IntercommunalityRefSerializer):
    commune_count = serializers.IntegerField(help_text="Nombre de communes couvertes")
    communes = CommuneRefSerializer(many=True, help_text="Communes couvertes, par nom")


def commune_ref(commune) -> dict:
    return {"code": commune.code, "nom": commune.nom, "departement": commune.departement_id}


class ExperienceSerializer(KnowledgePageSerializer):
    start_date = serializers.DateField(allow_null=True)
    member = serializers.CharField(source="member.name")
    commune = serializers.SerializerMethodField()
    intercommunality = serializers.SerializerMethodField()

    @extend_schema_field(
        CommuneRefSerializer(help_text="La commune du CCAS ; pour un CIAS, sa commune siège")
    )
    def get_commune(self, page) -> dict:
        return commune_ref(page.member.commune)

    @extend_schema_field(
        ServedIntercommunalitySerializer(
            allow_null=True,
            help_text="Pour un CIAS : l'intercommunalité où il agit et ses communes ; null pour "
            "un CCAS",
        )
    )
    def get_intercommunality(self, page) -> dict | None:
        grouping = page.served_intercommunality
        if grouping is None:
            return None
        communes = page.served_communes
        return {
            "siren": grouping.siren,
            "nom": grouping.nom,
            "kind": grouping.kind,
            "commune_count": len(communes),
            "communes": [commune_ref(commune) for commune in communes],
        }


FILTER_PARAMETERS = [
    OpenApiParameter("theme", str, many=True, description="Slug d'un thème (répétable)."),
    OpenApiParameter("match", str, enum=["any", "all"], description="Un des thèmes, ou tous."),
    OpenApiParameter("audience", str, enum=["elus", "directeurs", "agents", "partenaires"]),
    OpenApiParameter("q", str, description="Recherche plein texte en français."),
    OpenApiParameter("sort", str, enum=["date", "pertinence"]),
]
PLACE_PARAMETERS = [
    OpenApiParameter("commune", str, description="Nom ou code INSEE de la commune."),
    OpenApiParameter("departement", str, description="Code du département."),
]


class KnowledgePageList(generics.ListAPIView):
    model = GuidePage
    with_places = False

    def get_queryset(self):
        queryset = self.model.objects.live().public()
        experiences = queryset if self.with_places else None
        form = ListingFilterForm(
            self.request.query_params, experiences=experiences, any_departement=True
        )
        if not form.is_valid():
            raise ValidationError(form.errors)
        return filter_pages(queryset, Filters.from_form(form))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is None:
            return None
        return prefetch_cards(list(page), communes_served=self.with_places)


@extend_schema(parameters=FILTER_PARAMETERS)
class GuideList(KnowledgePageList):
    """Published public practice guides, newest first (or by relevance with `q`)."""

    serializer_class = GuideSerializer


@extend_schema(parameters=FILTER_PARAMETERS + PLACE_PARAMETERS)
class ExperienceList(KnowledgePageList):
    """Published public experiences of member CCAS, newest first (or by relevance with `q`)."""

    model = ExperiencePage
    with_places = True
    serializer_class = ExperienceSerializer

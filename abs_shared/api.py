"""Public API of the ABS: the catalogue, comparisons and series of published values."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from abs_shared.comparisons import (
    Overrides,
    Subject,
    commune_subject,
    compare,
    load_commune,
    load_intercommunality,
    series,
)
from abs_shared.models import CATALOGUE_FIELDS, Indicator
from tenants.models import Commune, Intercommunality


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = CATALOGUE_FIELDS


class IndicatorList(generics.ListAPIView):
    """The indicator catalogue (not paginated: a few dozen rows)."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.all()
    pagination_class = None


class SeriesQuery(serializers.Serializer):
    """One subject: a commune (its CCAS's values) or an intercommunality (its CIAS's)."""

    commune = serializers.CharField(help_text="Code INSEE de la commune", required=False)
    intercommunality = serializers.CharField(
        help_text="SIREN de l'intercommunalité (valeurs de son CIAS), au lieu de commune",
        required=False,
    )
    indicator = serializers.CharField(help_text="Code de l'indicateur (catalogue)")

    def validate_commune(self, code: str) -> Subject:
        try:
            return commune_subject(load_commune(code.strip()))
        except Commune.DoesNotExist:
            raise serializers.ValidationError(f"Commune « {code} » inconnue.") from None

    def validate_intercommunality(self, siren: str) -> Subject:
        try:
            return load_intercommunality(siren.strip())
        except Intercommunality.DoesNotExist:
            raise serializers.ValidationError(f"Intercommunalité « {siren} » inconnue.") from None

    def validate(self, data: dict) -> dict:
        given = [data[key] for key in ("commune", "intercommunality") if key in data]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"commune": "Indiquez soit commune (code INSEE), soit intercommunality (SIREN)."}
            )
        data["subject"] = given[0]
        return data

    def validate_indicator(self, code: str) -> Indicator:
        indicator = Indicator.objects.filter(code=code.strip().upper()).first()
        if indicator is None:
            raise serializers.ValidationError(f"Indicateur « {code} » absent du catalogue.")
        return indicator


class ComparisonQuery(SeriesQuery):
    year = serializers.IntegerField(min_value=1990, max_value=2100, help_text="Année")


QUERY_PARAMETERS = [
    OpenApiParameter("commune", str, description="Code INSEE de la commune"),
    OpenApiParameter(
        "intercommunality",
        str,
        description="SIREN de l'intercommunalité (valeurs de son CIAS), au lieu de commune",
    ),
    OpenApiParameter("indicator", str, description="Code de l'indicateur", required=True),
]


class PooledReadView(APIView):
    """Reads the public pool; a member host's view adds the member's own values (overrides)."""

    query_class = SeriesQuery

    def get_overrides(self, request, subject: Subject) -> Overrides | None:
        return None

    def read(self, request):
        query = self.query_class(data=request.query_params)
        if not query.is_valid():
            return None, Response({"errors": query.errors}, status=400)
        data = query.validated_data
        return (data, self.get_overrides(request, data["subject"])), None


class ComparisonView(PooledReadView):
    """A commune's value against its territories, the members and the communes of its size; or an
    intercommunality's (its CIAS's) against its territories and the other CIAS (`peers`: null)."""

    query_class = ComparisonQuery

    @extend_schema(
        parameters=QUERY_PARAMETERS + [OpenApiParameter("year", int, required=True)],
        responses={200: dict},
    )
    def get(self, request):
        parsed, error = self.read(request)
        if error:
            return error
        data, overrides = parsed
        return Response(compare(data["subject"], data["indicator"], data["year"], overrides))


class SeriesView(PooledReadView):
    """A commune's (or an intercommunality's) values over the years beside its territories; series
    breaks listed."""

    @extend_schema(parameters=QUERY_PARAMETERS, responses={200: dict})
    def get(self, request):
        parsed, error = self.read(request)
        if error:
            return error
        data, overrides = parsed
        return Response(series(data["subject"], data["indicator"], overrides))


class IndicatorDetail(generics.RetrieveAPIView):
    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.all()
    lookup_field = "code"

    def get_object(self):
        return get_object_or_404(Indicator, code=self.kwargs["code"].upper())

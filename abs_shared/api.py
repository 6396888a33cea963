"""Public API of the ABS: the catalogue, comparisons and series of published values."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
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
from abs_shared.models import CATALOGUE_FIELDS, Indicator, ReferenceValue, ValueStatus
from abs_shared.presenters import MIN_PUBLISHERS, too_few
from tenants.matching import read_cog_codes
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
        # Read as the commune matcher reads a code: « 2a004 » is Ajaccio, a municipal
        # arrondissement's (75111) its city's, whose CCAS serves it.
        insee = code.strip().upper()
        insee = read_cog_codes().arrondissements.get(insee, insee)
        try:
            return commune_subject(load_commune(insee))
        except Commune.DoesNotExist:
            raise serializers.ValidationError(f"Commune « {code} » inconnue.") from None

    def validate_intercommunality(self, siren: str) -> Subject:
        try:
            return load_intercommunality(siren.strip())
        except Intercommunality.DoesNotExist:
            raise serializers.ValidationError(f"Intercommunalité « {siren} » inconnue.") from None

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
            raise serializers.ValidationError(f"Indicateur « {code} » absent du catalogue.")
        return indicator


class ComparisonQuery(SeriesQuery):
    year = serializers.IntegerField(min_value=1990, max_value=2100, help_text="Année")


QUERY_PARAMETERS = [
    OpenApiParameter(
        "commune", str, description="Code INSEE de la commune (ou bien intercommunality)"
    ),
    OpenApiParameter(
        "intercommunality",
        str,
        description="SIREN de l'intercommunalité (valeurs de son CIAS), au lieu de commune",
    ),
    OpenApiParameter("indicator", str, description="Code de l'indicateur", required=True),
]


# --- Response shapes (abs_shared.comparisons.compare and series) -----------------------------
# Factories: a serializer class takes its fields out of the dict it is built from, and fields keep
# their declaration order, so each shape gets fresh fields.


def _status():
    return serializers.ChoiceField(
        ValueStatus.choices,
        help_text="value : un nombre ; secret : secret statistique ; missing : n.d.",
    )


# How every figure of the ABS answers is rounded (comparisons._number), as the pages round.
ROUNDING = "4 décimales au plus, arrondi au plus proche (une demie vers le haut)"


def _value():
    return serializers.FloatField(
        allow_null=True, help_text=f"null si secret ou manquant ; {ROUNDING}"
    )


class AbsCommuneRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code INSEE")
    nom = serializers.CharField()


class AbsIntercommunalityRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="SIREN")
    nom = serializers.CharField()


class AbsSubjectSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["commune", "intercommunality"])
    code = serializers.CharField(help_text="Code INSEE ou SIREN")
    nom = serializers.CharField()


class AbsIndicatorRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.ChoiceField(Indicator.Unit.choices)


def _header_fields() -> dict:
    """How a result names its subject (comparisons.Subject.shape) and its indicator."""
    return {
        "commune": AbsCommuneRefSerializer(
            required=False,
            help_text="La commune (avec `?commune=`) ; absent pour une intercommunalité",
        ),
        "intercommunality": AbsIntercommunalityRefSerializer(
            required=False,
            help_text="L'intercommunalité (avec `?intercommunality=`) ; absent pour une commune",
        ),
        "subject": AbsSubjectSerializer(help_text="Le sujet, commune ou intercommunalité"),
        "indicator": AbsIndicatorRefSerializer(),
    }


def _reference_head() -> dict:
    return {
        "level": serializers.ChoiceField(
            ReferenceValue.Level.choices,
            help_text="Territoire de référence, du plus proche au plus large",
        ),
        "code": serializers.CharField(
            help_text="SIREN, code du département ou de la région, FRM (France métropolitaine) "
            "ou FR (France entière, pour une commune d'un DROM)"
        ),
        "nom": serializers.CharField(),
    }


WITHHELD = f"null quand too_few (moins de {MIN_PUBLISHERS} valeurs)"


def _summary(name: str, **kwargs):
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(help_text="Valeurs numériques (hors secrets)"),
            "too_few": serializers.BooleanField(
                help_text=f"true : moins de {MIN_PUBLISHERS} valeurs numériques (count), trop "
                "peu pour situer une valeur ; min, q1, median, q3, max et rank sont alors null, "
                "comme les pages n'en montrent aucun"
            ),
            "min": serializers.FloatField(allow_null=True, help_text=WITHHELD),
            "q1": serializers.FloatField(allow_null=True, help_text=WITHHELD),
            "median": serializers.FloatField(allow_null=True, help_text=WITHHELD),
            "q3": serializers.FloatField(allow_null=True, help_text=WITHHELD),
            "max": serializers.FloatField(allow_null=True, help_text=WITHHELD),
            "rank": serializers.IntegerField(
                allow_null=True,
                help_text="1 = le plus fragile (le plus inégalitaire pour un indicateur "
                "d'inégalités, polarity higher_unequal) ; null pour un indicateur neutre, un "
                "effectif, "
                f"sans valeur, ou quand too_few (moins de {MIN_PUBLISHERS} valeurs)",
            ),
        },
        **kwargs,
    )


STATISTICS = ("min", "q1", "median", "q3", "max", "rank")


def situated(stats: dict | None) -> dict | None:
    """A group's statistics as the API gives them: the pages' rule (presenters.too_few) with
    its reason, `too_few`; below MIN_PUBLISHERS values, only `count` (« rang 1 sur 1 », the
    median of two values situate nothing, and an answer must not say more than the page)."""
    if stats is None:
        return None
    few = too_few(stats)
    shown = {"count": stats["count"], "too_few": few}
    shown.update({key: None if few else stats[key] for key in STATISTICS})
    return shown


def situated_comparison(result: dict) -> dict:
    """compare()'s result with its members' and peers' statistics `situated`."""
    return result | {"members": situated(result["members"]), "peers": situated(result["peers"])}


def _secret_in_pool():
    # Only ever true, and only on the member's own host: absent everywhere else, so that the
    # portal's answers do not even say which secrets are someone's own number.
    return serializers.BooleanField(
        required=False,
        help_text="Sur l'hôte du membre seulement, et seulement true : sa propre valeur, "
        "publiée comme secrète (« s » sur le portail) ; absent sinon",
    )


def _point_fields() -> dict:
    return {"year": serializers.IntegerField(), "value": _value(), "status": _status()}


COMPARISON_OUT = inline_serializer(
    "Comparison",
    {
        **_header_fields(),
        "year": serializers.IntegerField(),
        "value": _value(),
        "status": _status(),
        "draft": serializers.BooleanField(
            help_text="Valeur non publiée du membre (sur son hôte, pour ses personnes)"
        ),
        "secret_in_pool": _secret_in_pool(),
        "source": serializers.CharField(),
        "references": inline_serializer(
            "ComparisonReference",
            {
                **_reference_head(),
                "value": _value(),
                "status": _status(),
                "gap": serializers.FloatField(
                    allow_null=True, help_text=f"Écart, dans l'unité de l'indicateur ; {ROUNDING}"
                ),
                "ratio": serializers.FloatField(
                    allow_null=True,
                    help_text=f"Valeur divisée par celle du territoire ; {ROUNDING}",
                ),
                "source": serializers.CharField(),
            },
            many=True,
            help_text="Vide pour un effectif : un effectif ne se compare pas au total d'un "
            "territoire (et ce total permettrait de retrouver un effectif secret)",
        ),
        "members": _summary(
            "ComparisonMembers",
            allow_null=True,
            help_text="Parmi les membres (CCAS pour une commune, CIAS pour une "
            "intercommunalité) ; null pour un effectif, qui ne se classe pas",
        ),
        "peers": _summary(
            "ComparisonPeers",
            allow_null=True,
            help_text="Parmi les communes de la même tranche de population ; null pour une "
            "intercommunalité ou un effectif",
        ),
        "secret_count": serializers.IntegerField(help_text="Valeurs secrètes, comptées à part"),
        "population_band": serializers.CharField(help_text="Vide pour une intercommunalité"),
    },
)
SERIES_OUT = inline_serializer(
    "Series",
    {
        **_header_fields(),
        "breaks": serializers.ListField(
            child=serializers.IntegerField(),
            help_text="Années après lesquelles la série est rompue",
        ),
        "points": inline_serializer(
            "SeriesPoint",
            {
                **_point_fields(),
                "draft": serializers.BooleanField(),
                "secret_in_pool": _secret_in_pool(),
            },
            many=True,
        ),
        "references": inline_serializer(
            "SeriesReference",
            {
                **_reference_head(),
                "points": inline_serializer("SeriesReferencePoint", _point_fields(), many=True),
            },
            many=True,
            help_text="Vide pour un effectif",
        ),
    },
)
QUERY_ERRORS = inline_serializer(
    "AbsQueryErrors",
    {
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Messages en français, par paramètre",
        )
    },
)


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
        responses={200: COMPARISON_OUT, 400: QUERY_ERRORS},
    )
    def get(self, request):
        parsed, error = self.read(request)
        if error:
            return error
        data, overrides = parsed
        result = compare(data["subject"], data["indicator"], data["year"], overrides)
        return Response(situated_comparison(result))


class SeriesView(PooledReadView):
    """A commune's (or an intercommunality's) values over the years beside its territories; series
    breaks listed."""

    @extend_schema(parameters=QUERY_PARAMETERS, responses={200: SERIES_OUT, 400: QUERY_ERRORS})
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

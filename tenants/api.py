"""Public API: members and the commune matcher."""

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.matching import UnknownArea, match_in_union
from tenants.models import Intercommunality, MemberCCAS
from tenants.services import member_url


class CommuneRefSerializer(serializers.Serializer):
    """A commune as the API names it (members, experiences)."""

    code = serializers.CharField(help_text="Code INSEE")
    nom = serializers.CharField()
    departement = serializers.CharField(help_text="Code du département")


class IntercommunalityRefSerializer(serializers.Serializer):
    siren = serializers.CharField()
    nom = serializers.CharField()
    kind = serializers.ChoiceField(Intercommunality.Kind.choices)


class MemberSerializer(serializers.ModelSerializer):
    commune = serializers.SerializerMethodField()
    intercommunality = serializers.SerializerMethodField()
    # MemberCCAS.population: the people it serves, its intercommunality's for a CIAS (the seat
    # commune's was given, a fifth of Grand Paris Grand Est's for its CIAS).
    population = serializers.IntegerField(
        read_only=True,
        help_text="Population servie : celle de la commune pour un CCAS, celle de "
        "l'intercommunalité pour un CIAS",
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = MemberCCAS
        fields = [
            "slug",
            "name",
            "kind",
            "commune",
            "intercommunality",
            "population",
            "joined_on",
            "url",
        ]

    @extend_schema_field(CommuneRefSerializer)
    def get_commune(self, member) -> dict:
        commune = member.commune
        return {"code": commune.code, "nom": commune.nom, "departement": commune.departement_id}

    @extend_schema_field(
        IntercommunalityRefSerializer(
            allow_null=True,
            help_text="L'intercommunalité du CIAS, ou celle de la commune ; null sans",
        )
    )
    def get_intercommunality(self, member) -> dict | None:
        grouping = member.intercommunality or member.commune.intercommunality
        return (
            {"siren": grouping.siren, "nom": grouping.nom, "kind": grouping.kind}
            if grouping
            else None
        )

    def get_url(self, member) -> str:
        return member_url(member, "/", self.context.get("request"))


class MemberList(generics.ListAPIView):
    """Active members of the union."""

    serializer_class = MemberSerializer
    queryset = (
        MemberCCAS.objects.filter(status=MemberCCAS.Status.ACTIVE)
        .select_related("commune", "commune__epci", "commune__ept", "intercommunality")
        .order_by("commune__nom")
    )


CommuneMatchSerializer = inline_serializer(
    "CommuneMatch",
    {
        "status": serializers.ChoiceField(["matched", "ambiguous", "unknown"]),
        "results": inline_serializer(
            "CommuneCandidate",
            {
                "code": serializers.CharField(),
                "nom": serializers.CharField(),
                "departement": serializers.CharField(),
                "population": serializers.IntegerField(),
                "score": serializers.FloatField(),
            },
            many=True,
        ),
    },
)


class CommuneMatch(APIView):
    """Match a typed commune name (or INSEE code) to the official list, best first."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="Nom saisi ou code INSEE"),
            OpenApiParameter(
                "hint",
                str,
                description="Département ou région, code (93, 2A) ou nom (Seine-Saint-Denis) ; "
                "par défaut, le département de l'union (UNION_DEPARTEMENT). 400 s'il ne désigne "
                "ni l'un ni l'autre",
            ),
        ],
        responses=CommuneMatchSerializer,
    )
    def get(self, request):
        typed = request.query_params.get("q", "")
        if not typed.strip():
            return Response({"q": ["Indiquez un nom de commune (paramètre q)."]}, status=400)
        try:
            result = match_in_union(typed, request.query_params.get("hint"))
        except UnknownArea as error:
            return Response({"hint": [str(error)]}, status=400)
        return Response(result.as_dict())

"""Member-host API of the ABS: the member's observations, and comparisons with its own drafts.

Import, validation, publication and retraction are for the host member's director only. On the
member host, comparisons and series of what its values describe (a CCAS: its commune; a CIAS: its
intercommunality, `?intercommunality=<SIREN>`) include its unpublished values for its people;
anyone else, and any other commune or intercommunality, gets the published values only.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from abs_shared.api import ComparisonView, SeriesView
from abs_shared.comparisons import is_member_subject
from abs_shared.local import services
from abs_shared.local.models import Observation
from abs_shared.models import Indicator
from abs_shared.tabular import ImportRejected, year_error
from tenants.access import IsDirectorOfHost, IsMemberOfHost, has_member_role
from tenants.workspace.forms import MAX_IMPORT_BYTES  # the activity import's limit, 5 Mo
from union.api_errors import without_type_names
from union.api_schema import IMPORT_ERRORS


class OwnValuesMixin:
    def get_overrides(self, request, subject):
        if has_member_role(request) and is_member_subject(request.tenant, subject):
            return services.own_points(request.tenant)
        return None


class MemberComparisonView(OwnValuesMixin, ComparisonView):
    pass


class MemberSeriesView(OwnValuesMixin, SeriesView):
    pass


class ObservationSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator_id")
    published = serializers.BooleanField(source="is_published")
    # The pool still holds an older version: republish (or retract) to bring it in line.
    changed_since_publication = serializers.BooleanField(read_only=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "indicator",
            "year",
            "value",
            "status",
            "numerator",
            "denominator",
            "source",
            "comment",
            "state",
            "published",
            "updated_at",
            "validated_at",
            "published_at",
            "pooled_at",
            "changed_since_publication",
        ]


class ObservationList(generics.ListAPIView):
    """The member's observations, drafts included (its people only)."""

    serializer_class = ObservationSerializer
    permission_classes = [IsMemberOfHost]
    queryset = Observation.objects.all()


class ObservationImport(APIView):
    """Import a CSV/XLSX file (template or INSEE layout) as drafts; all or nothing. Agents
    import too, as on the page (`/abs/importer/`): drafts wait for the direction's validation."""

    permission_classes = [IsMemberOfHost]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={
            201: inline_serializer(
                "ObservationsImported",
                {
                    "imported": serializers.IntegerField(
                        help_text="Valeurs importées (brouillons)"
                    ),
                    "blank_insee_columns": serializers.ListField(
                        child=serializers.CharField(),
                        help_text="Colonnes d'un fichier de l'INSEE dont la cellule vide a été "
                        "lue comme « secret » (l'INSEE laisse vide une valeur calculée sur trop "
                        "peu de ménages) ; vide pour le modèle de Maillage",
                    ),
                },
            ),
            400: IMPORT_ERRORS,
        },
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {
                    "errors": [
                        {
                            "line": 0,
                            "column": "file",
                            "message": "Fichier manquant (champ « file »).",
                        }
                    ]
                },
                status=400,
            )
        if upload.size > MAX_IMPORT_BYTES:  # as the page's form, and the activity import
            return Response(
                {"errors": [{"line": 0, "column": "file", "message": "Le fichier dépasse 5 Mo."}]},
                status=400,
            )
        try:
            summary = services.import_observations_summary(
                request.tenant, upload, actor=request.user
            )
        except ImportRejected as rejected:
            return Response({"errors": [error.as_dict() for error in rejected.errors]}, status=400)
        return Response(
            {"imported": summary.count, "blank_insee_columns": list(summary.blank_insee_columns)},
            status=201,
        )


class SelectionSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, allow_null=True)
    indicators = serializers.ListField(
        child=serializers.CharField(), required=False, allow_empty=True
    )

    def validate_year(self, year: int | None) -> int | None:
        # The entry form's and the imports' range and words (no value can exist outside it).
        if year is not None and (error := year_error(year)):
            raise serializers.ValidationError(error)
        return year

    def validate_indicators(self, codes: list[str]) -> list[str]:
        codes = [code.strip().upper() for code in codes]
        known = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(
                f"Indicateurs absents du catalogue : {', '.join(unknown)}."
            )
        return codes


class SelectionAction(APIView):
    """POST {"year", "indicators": [codes]}; no year: every year, no indicators: all of them."""

    permission_classes = [IsDirectorOfHost]
    action_name = ""

    def act(self, member, **selection) -> int:
        raise NotImplementedError

    @extend_schema(request=SelectionSerializer)
    def post(self, request):
        selection = SelectionSerializer(data=request.data)
        if not selection.is_valid():
            # Answered here in the `{"errors": …}` shape ABS clients read, so the exception
            # handler's rewording of DRF's type-naming messages is applied here.
            return Response({"errors": without_type_names(selection.errors)}, status=400)
        count = self.act(
            request.tenant,
            year=selection.validated_data.get("year"),
            indicators=selection.validated_data.get("indicators") or None,
            actor=request.user,
        )
        return Response({self.action_name: count})


def selection_schema(action_name: str, name: str):
    """{action_name: n}, or 400 {"errors": {field: [messages]}}."""
    return extend_schema_view(
        post=extend_schema(
            responses={
                200: inline_serializer(
                    name, {action_name: serializers.IntegerField(help_text="Observations")}
                ),
                400: inline_serializer(
                    f"{name}Errors",
                    {
                        "errors": serializers.DictField(
                            child=serializers.ListField(child=serializers.CharField())
                        )
                    },
                ),
            }
        )
    )


@selection_schema("validated", "ObservationsValidated")
class ObservationValidate(SelectionAction):
    action_name = "validated"
    act = staticmethod(services.validate_observations)


@selection_schema("published", "ObservationsPublished")
class ObservationPublish(SelectionAction):
    action_name = "published"
    act = staticmethod(services.publish_observations)


@selection_schema("retracted", "ObservationsRetracted")
class ObservationRetract(SelectionAction):
    action_name = "retracted"
    act = staticmethod(services.retract_observations)

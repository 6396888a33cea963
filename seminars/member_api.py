"""API of seminars on a member host (/api/v1/ of <slug>.PLATFORM_DOMAIN): the union's upcoming
events with the people registered the member sees (its commune's or intercommunality's, and those
it registered), and the member registering or withdrawing someone,
as its web page does (seminars.member_views.register_for_member): same events, same form, same
service. Any role reads; a director or an agent registers (IsMemberOfHost)."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from seminars.api import (
    REGISTRATION_OUT,
    EventCancelled,
    RegistrationInSerializer,
    SeminarSerializer,
    check_object_body,
    check_registration_open,
    events_with_seats,
    form_data_from_body,
    register_from_form,
)
from seminars.dashboard import member_registrants
from seminars.forms import MemberRegistrationForm
from seminars.member_views import withdrawable_by
from seminars.models import Registration
from seminars.services import cancel_registration
from seminars.views import find_upcoming_event, upcoming
from tenants.access import IsMemberOfHost


def prefetch_member_registrants(member) -> Prefetch:
    """Each event's registrations the member sees (member_registrants: not the cancelled ones,
    as the dashboard), as `member_registrations`: never the people of other members."""
    people = member_registrants(member).prefetch_related("ateliers")
    return Prefetch("registrations", queryset=people, to_attr="member_registrations")


def member_form_data(request) -> dict:
    """The body as the member's form reads it; without a commune, the member's own (its INSEE
    code: a name may be shared by several communes). A `consent` sent is ignored: the form has
    none (nobody consents for someone else)."""
    data = form_data_from_body(request.data)
    data["commune"] = data["commune"] or request.tenant.commune_id
    return data


class MemberRegistrantSerializer(serializers.ModelSerializer):
    ateliers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    commune = serializers.SerializerMethodField(help_text="Code INSEE et nom, ou null")
    registered_by_member = serializers.SerializerMethodField(
        help_text="Inscription faite par ce membre : il peut la retirer jusqu'à la date limite "
        "des modifications"
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "nom",
            "prenom",
            "commune",
            "fonction",
            "fonction_text",
            "status",
            "ateliers",
            "registered_by_member",
        ]

    def get_commune(self, registration) -> dict | None:
        commune = registration.commune
        return {"code": commune.code, "nom": commune.nom} if commune else None

    def get_registered_by_member(self, registration) -> bool:
        return registration.registered_by_id == self.context["request"].tenant.pk


class MemberSeminarSerializer(SeminarSerializer):
    registrations = MemberRegistrantSerializer(
        source="member_registrations",
        many=True,
        read_only=True,
        help_text="Les personnes inscrites (confirmées ou en liste d'attente) de la commune du "
        "membre (de toutes les communes de son intercommunalité pour un CIAS) et celles qu'il a "
        "inscrites, jamais les autres",
    )

    class Meta(SeminarSerializer.Meta):
        # The portal's public fields, and who of the member's people is registered.
        fields = [*SeminarSerializer.Meta.fields, "registrations"]


class MemberSeminarList(generics.ListAPIView):
    """The union's upcoming events (public and members-only, never invitation-only), soonest
    first, each with the people registered this member sees (any role)."""

    serializer_class = MemberSeminarSerializer
    permission_classes = [IsMemberOfHost]

    def get_queryset(self):
        people = prefetch_member_registrants(self.request.tenant)
        return upcoming(events_with_seats()).prefetch_related(people)


class MemberRegistrationInSerializer(RegistrationInSerializer):
    """Documentation of the body; the rules are the member's web form's."""

    email = serializers.EmailField(
        required=False, help_text="Facultatif ; sans e-mail, aucune confirmation n'est envoyée"
    )
    commune = serializers.CharField(
        required=False,
        help_text="Nom saisi ou code INSEE ; par défaut la commune du membre",
    )
    consent = None  # the person gives it from their personal page
    invitation = None  # invitation-only events are not open to members' registrations


WRITERS_ONLY = OpenApiResponse(description="Rôle « lecture » ou personne d'un autre membre")


class MemberRegistrationCreate(APIView):
    permission_classes = [IsMemberOfHost]  # writes: director or agent

    @extend_schema(
        request=MemberRegistrationInSerializer,
        responses={
            201: REGISTRATION_OUT,
            200: OpenApiResponse(
                REGISTRATION_OUT, description="Même e-mail déjà inscrit : inscription mise à jour"
            ),
            400: OpenApiResponse(
                description="Erreurs par champ, en français (`non_field_errors` pour le "
                "formulaire entier, dont « Les inscriptions ne sont pas ouvertes pour cet "
                "événement. »)"
            ),
            403: WRITERS_ONLY,
            404: OpenApiResponse(
                description="Événement inconnu, passé, sur invitation ou non publié : "
                "« Événement introuvable. »"
            ),
        },
    )
    def post(self, request, pk: int):
        """Register someone of the commune for an upcoming event (director, agent), as the
        member space's page « Inscrire quelqu'un » does. Audited, the user as actor."""
        check_object_body(request)
        seminar = find_upcoming_event(pk)
        check_registration_open(seminar)
        form = MemberRegistrationForm(
            data=member_form_data(request), seminar=seminar, atelier_labels=False
        )
        return register_from_form(
            form, source=Registration.Source.MEMBER, actor=request.user, member=request.tenant
        )


CANCELLED_OUT = inline_serializer(
    "MemberRegistrationCancelled",
    {"id": serializers.IntegerField(), "status": serializers.CharField()},
)
TOO_LATE = "Les désinscriptions sont closes pour cet événement : écrivez à l'organisateur."


class MemberRegistrationCancel(APIView):
    permission_classes = [IsMemberOfHost]  # writes: director or agent

    @extend_schema(
        request=None,
        responses={
            200: CANCELLED_OUT,
            400: OpenApiResponse(
                description=f"Après la date limite des modifications : « {TOO_LATE} »"
            ),
            409: OpenApiResponse(description="Événement annulé (`detail`, en français)"),
            403: WRITERS_ONLY,
            404: OpenApiResponse(
                description="Événement introuvable, ou inscription que le membre n'a pas faite "
                "« Inscription introuvable. »"
            ),
        },
    )
    def post(self, request, pk: int, registration_pk: int):
        """Withdraw someone the member registered (director, agent), as the dashboard's link
        « désinscrire » does, until the event's cut-off for changes; the first person waiting
        gets the seat. Cancelling twice answers the same."""
        seminar = find_upcoming_event(pk)
        registration = (
            withdrawable_by(request.tenant, include_cancelled=True)
            .filter(seminar=seminar, pk=registration_pk)
            .first()
        )
        if registration is None:
            raise Http404("Inscription introuvable.")
        if registration.status != Registration.Status.CANCELLED:
            if seminar.is_cancelled:  # as registering for it: nothing to withdraw from
                raise EventCancelled()
            if not seminar.changes_open():
                raise ValidationError({"non_field_errors": [TOO_LATE]})
            registration = cancel_registration(
                registration, actor=request.user, member=request.tenant
            )
        return Response({"id": registration.pk, "status": registration.status})

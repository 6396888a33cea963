"""API of seminars (/api/v1/ on the portal): events, registrations, imports and attendance sheets;
for organisers, check-in (by registration or by the badge's signed code), the year report and the
reminder to answer the questionnaire, each through the service the admin uses.

Kinds and fonctions travel as codes (seminars.models.Kind, Fonction). Staff (union admins and
event organisers) authenticate with their session or a token (`/api/v1/auth/token/`).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from seminars.admin_views import attendance_response, can_organise
from seminars.annual_report import build_year_report, default_report_year, report_years
from seminars.check_in import off_day, read_check_in_code
from seminars.evaluations import (
    evaluation_closes,
    evaluations_open_state,
    remind_to_answer,
    summarise_evaluations,
)
from seminars.fonctions import map_fonction
from seminars.forms import NEEDS_LIMIT, EditRegistrationForm, RegistrationForm
from seminars.importer import import_registrations
from seminars.links import ics_path, page_path
from seminars.models import (
    Atelier,
    Fonction,
    Kind,
    Registration,
    SeminarPage,
    behind_view_restriction,
    live_event,
    with_taken,
)
from seminars.services import (
    EVENT_CANCELLED,
    RegistrationError,
    create_seminar,
    edit_refusal,
    register_person,
    registration_edit_values,
    set_check_in,
    update_registration,
)
from seminars.views import listed_events, registered_again_message
from tenants.matching import UnknownArea, read_area
from tenants.services import portal_url
from union.api_errors import OBJECT_EXPECTED
from union.api_schema import IMPORT_ERRORS
from union.formats import date_span, long_date
from union.params import parse_digits
from union.spreadsheets import ImportRejected
from union.stale_edits import StaleEdit, etag_of, if_match_version, stale_api_detail


class IsOrganiser(BasePermission):
    message = "Réservé aux organisateurs d'événements de l'union."

    def has_permission(self, request, view):
        return can_organise(request.user)


class IsOrganiserOrReadOnly(IsOrganiser):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or super().has_permission(request, view)


class PublicWriteStaffRead(IsOrganiser):
    """Anyone registers (POST) and may ask how (OPTIONS: the endpoint's description, which the
    README promises in OPTIONS answers); only organisers read the list."""

    def has_permission(self, request, view):
        return request.method in ("POST", "OPTIONS") or super().has_permission(request, view)


class AtelierSerializer(serializers.ModelSerializer):
    start = serializers.DateTimeField(source="starts_at")
    end = serializers.DateTimeField(source="ends_at")
    seats_left = serializers.SerializerMethodField()
    # Atelier.label: read from the event's ateliers, prefetched with it (events_with_seats).
    label = serializers.CharField(
        read_only=True,
        help_text="Le nom de l'atelier tel que l'affichent les pages : son intitulé, suivi de "
        "son horaire quand un autre atelier de l'événement a le même intitulé "
        "(« Accès aux droits – jeu. 4 décembre, 14 h – 16 h »), et de sa salle si "
        "l'horaire est aussi le même",
    )

    class Meta:
        model = Atelier
        fields = ["id", "title", "label", "start", "end", "room", "seats", "seats_left"]

    def get_seats_left(self, atelier) -> int:
        return max(0, atelier.seats - atelier.taken)


VENUE = inline_serializer(
    "Venue",
    {
        "name": serializers.CharField(),
        "address": serializers.CharField(),
        "access": serializers.CharField(),
    },
)
REGISTRATION_WINDOW = inline_serializer(
    "RegistrationWindow",
    {
        "state": serializers.ChoiceField(["open", "not_yet", "closed"]),
        "opens": serializers.DateTimeField(allow_null=True),
        "closes": serializers.DateTimeField(),
    },
)


class SeminarSerializer(serializers.ModelSerializer):
    venue = serializers.SerializerMethodField()
    seats_left = serializers.SerializerMethodField()
    registration = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()
    ateliers = serializers.SerializerMethodField()

    class Meta:
        model = SeminarPage
        fields = [
            "id",
            "title",
            "kind",
            "start",
            "end",
            "venue",
            "audience",
            "summary",
            "visibility",
            "seats",
            "seats_left",
            "registration",
            "url",
            "ics_url",
            "ateliers",
            "cancelled",
            "cancelled_at",
            "cancellation_message",
        ]
        read_only_fields = ["cancelled_at", "cancellation_message"]

    cancelled = serializers.SerializerMethodField(
        help_text="Événement annulé par ses organisateurs : il n'aura pas lieu, les inscriptions "
        "sont closes (`registration.state` : closed)."
    )

    def get_cancelled(self, page) -> bool:
        return page.is_cancelled

    @extend_schema_field(VENUE)
    def get_venue(self, page) -> dict:
        return {"name": page.venue_name, "address": page.venue_address, "access": page.access_notes}

    def get_seats_left(self, page) -> int:
        return page.seats_left()

    @extend_schema_field(REGISTRATION_WINDOW)
    def get_registration(self, page) -> dict:
        # Through DateTimeField, as `start` and `end`: in Paris time with its offset. Returned
        # raw, they were rendered in UTC (« …T23:30:00Z » for a close at 00:30 the next day).
        moment = serializers.DateTimeField().to_representation
        opens = page.registration_opens
        return {
            "state": page.registration_state(),
            "opens": moment(opens) if opens else None,
            "closes": moment(page.registration_closes or page.start),
        }

    def get_url(self, page) -> str:
        return portal_url(page_path(page))

    def get_ics_url(self, page) -> str:
        return portal_url(ics_path(page))

    @extend_schema_field(AtelierSerializer(many=True))
    def get_ateliers(self, page) -> list[dict]:
        return AtelierSerializer(page.ateliers.all(), many=True).data


TEXT_EXPECTED = "Texte attendu."


class TextField(serializers.CharField):
    """A JSON string only: DRF's CharField turns a number into its text (a title « 123 »)."""

    default_error_messages = {"invalid": TEXT_EXPECTED}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CodeField(serializers.ChoiceField):
    """A code sent as a JSON string: DRF's ChoiceField answered a list or an object with its
    Python text (« « ['x'] » n'est pas un choix valide. »)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(
                f"{TEXT_EXPECTED} Codes possibles : {', '.join(self.choice_strings_to_values)}."
            )
        return super().to_internal_value(data)


class SeminarCreateSerializer(serializers.Serializer):
    title = TextField(max_length=255)
    kind = CodeField(Kind.choices)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    venue = TextField(max_length=200, required=False, allow_blank=True, default="")
    seats = serializers.IntegerField(min_value=1, max_value=100000)

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": "La fin doit suivre le début."})
        return data


def events_with_seats(events=None):
    """`events` (by default the listed ones, listed_events) with their confirmed people counted
    and their ateliers' seats taken: what SeminarSerializer reads, in one query per list."""
    ateliers = with_taken(Atelier.objects.all())
    events = listed_events() if events is None else events
    return events.prefetch_related(Prefetch("ateliers", queryset=ateliers))


def readable_events(request):
    """The events `GET /api/v1/seminars/{id}/` shows this caller: the list's (public and
    members-only, live, without a view restriction); for organisers, also the live
    invitation-only ones, which they register people for without the key (_seminar_for)."""
    return events_with_seats(listed_events(invitations=can_organise(request.user)))


# DRF's BooleanField spellings (true/false, 1/0, yes/no, on/off, any case), and French oui/non.
TRUE_WORDS = {str(v).lower() for v in serializers.BooleanField.TRUE_VALUES} | {"oui"}
FALSE_WORDS = {str(v).lower() for v in serializers.BooleanField.FALSE_VALUES} | {"non"}


def boolean_parameter(request, name: str) -> bool:
    """`?name=` as a boolean (absent or empty: false); 400 in French for anything else."""
    raw = request.query_params.get(name, "").strip().lower()
    if raw in TRUE_WORDS:
        return True
    if not raw or raw in FALSE_WORDS:
        return False
    raise ValidationError({name: [f"Paramètre « {name} » invalide : true ou false."]})


def location_header(description: str) -> OpenApiParameter:
    """A 201's `Location` header in the schema: the created thing's own URL."""
    return OpenApiParameter(
        "Location",
        OpenApiTypes.URI,
        location=OpenApiParameter.HEADER,
        response=[201],
        description=description,
    )


EVENT_LOCATION_HEADER = location_header(
    "Adresse de l'événement créé (`GET /api/v1/seminars/{id}/`)"
)


class SeminarList(generics.ListCreateAPIView):
    """Events of the union (public and members-only; invitation-only events are never listed)."""

    serializer_class = SeminarSerializer
    permission_classes = [IsOrganiserOrReadOnly]

    def get_queryset(self):
        events = events_with_seats()
        if boolean_parameter(self.request, "upcoming"):
            events = events.filter(end__gte=timezone.now())
        return events

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "upcoming",
                bool,
                description="Seulement les événements à venir (true/false, 1/0, oui/non) ; "
                "une autre valeur : 400",
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=SeminarCreateSerializer,
        parameters=[EVENT_LOCATION_HEADER],
        responses={201: SeminarSerializer, 400: OpenApiResponse(description="Erreurs par champ")},
    )
    def post(self, request, *args, **kwargs):
        """Create and publish an event under the calendar page (organisers)."""
        incoming = SeminarCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            page = create_seminar(
                title=data["title"],
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                venue=data["venue"],
                seats=data["seats"],
                actor=request.user,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                # `detail` is one sentence, as in every other answer (docs/api.md).
                error.message_dict
                if hasattr(error, "error_dict")
                else {"detail": " ".join(error.messages)}
            ) from error
        page = events_with_seats().get(pk=page.pk)
        location = request.build_absolute_uri(reverse("api-seminar", args=[page.pk]))
        return Response(
            SeminarSerializer(page).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class SeminarDetail(APIView):
    """One event, as the list shows it: the URL that an event's 201 answers as `Location`."""

    permission_classes = [IsOrganiserOrReadOnly]

    @extend_schema(
        responses={
            200: SeminarSerializer,
            404: OpenApiResponse(
                description="Événement introuvable : inconnu, non publié, ou sur invitation "
                "(sauf pour les organisateurs)"
            ),
        },
    )
    def get(self, request, pk: int):
        """One event (public and members-only; invitation-only for organisers only), with its
        seats left, its ateliers and `cancelled`, exactly as in `GET /api/v1/seminars/`."""
        event = readable_events(request).filter(pk=pk).first()
        if event is None:
            # Never a 403: an event this caller may not read does not exist for them.
            raise Http404("Événement introuvable.")
        return Response(SeminarSerializer(event).data)


class CommuneSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField()


ATELIER_PRESENCE = inline_serializer(
    "AtelierPresence",
    {
        "id": serializers.IntegerField(help_text="Identifiant de l'atelier"),
        "present": serializers.BooleanField(
            help_text="true : présence à l'atelier émargée (« Présent(e) à l'atelier »)"
        ),
    },
    many=True,
)


class RegistrationSerializer(serializers.ModelSerializer):
    commune = serializers.SerializerMethodField()
    commune_suggestions = CommuneSerializer(many=True)
    ateliers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    # Beside `ateliers` (kept as it was for the existing clients): the ateliers chosen, and
    # those where the person was marked present without having chosen them, in starting order.
    ateliers_presence = serializers.SerializerMethodField(
        help_text="Par atelier choisi ou suivi, la présence émargée à l'atelier"
    )
    ateliers_waiting = serializers.SerializerMethodField(
        help_text="Ateliers complets sur la liste d'attente desquels la personne s'est placée "
        "(en s'inscrivant ou depuis sa page d'inscription), dans l'ordre où elle l'a fait"
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "nom",
            "prenom",
            "email",
            "commune",
            "commune_typed",
            "commune_status",
            "commune_suggestions",
            "fonction",
            "fonction_text",
            "status",
            "ateliers",
            "ateliers_presence",
            "ateliers_waiting",
            "phone",
            "needs",
            "consent",
            "checked_in_at",
            "created_at",
        ]

    @extend_schema_field(ATELIER_PRESENCE)
    def get_ateliers_presence(self, registration) -> list[dict]:
        present = {p.atelier_id: p.atelier for p in registration.atelier_presences.all()}
        ateliers = {a.pk: a for a in registration.ateliers.all()} | present
        ordered = sorted(ateliers.values(), key=lambda a: (a.starts_at, a.sort_order or 0, a.pk))
        return [{"id": a.pk, "present": a.pk in present} for a in ordered]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_ateliers_waiting(self, registration) -> list[int]:
        return [wait.atelier_id for wait in registration.atelier_waits.all()]

    @extend_schema_field(CommuneSerializer(allow_null=True))
    def get_commune(self, registration) -> dict | None:
        if registration.commune_id is None:
            return None
        return {"code": registration.commune.code, "nom": registration.commune.nom}


class RegistrationInSerializer(serializers.Serializer):
    """Documentation of the registration body; the rules are the portal form's, after the
    types are checked (form_data_from_body)."""

    nom = serializers.CharField(max_length=150)
    prenom = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    commune = serializers.CharField(max_length=200, help_text="Nom saisi ou code INSEE (texte)")
    fonction = serializers.ChoiceField(Fonction.choices, help_text="Code, ou libellé saisi")
    fonction_text = serializers.CharField(
        required=False, max_length=200, help_text="Obligatoire pour « autre »"
    )
    ateliers = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Identifiants des ateliers, des entiers : [3, 4]",
    )
    ateliers_waiting = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Identifiants d'ateliers complets dont la personne rejoint la liste d'attente, "
        "si son inscription est confirmée (sinon ignorés : elle attend une place à l'événement "
        "avec les ateliers choisis) ; elle garde ses ateliers, et un atelier qui a une place lui "
        "est donné à la place de celui du même créneau",
    )
    needs = serializers.CharField(required=False, max_length=NEEDS_LIMIT)
    consent = serializers.BooleanField(
        required=False,
        help_text="true ou false (un corps de formulaire : on, true, false, 1, 0, oui, non)",
    )
    invitation = serializers.CharField(required=False, help_text="Clé d'invitation")


PHONE_HELP = (
    "Facultatif : numéro français à 10 chiffres ou international (+ et indicatif) ; enregistré "
    "sous la forme « 06 12 34 56 78 », vu des seuls organisateurs"
)


class PublicRegistrationInSerializer(RegistrationInSerializer):
    """The portal's registration body: with the phone, which the members' API does not take."""

    phone = serializers.CharField(required=False, max_length=30, help_text=PHONE_HELP)


def commune_status_out() -> serializers.ChoiceField:
    """`commune_status` in the answers to registering: one enum in the schema for both."""
    return serializers.ChoiceField(
        Registration.CommuneStatus.choices,
        help_text="flagged : commune non reconnue, gardée telle que saisie ; l'équipe de "
        "l'union la vérifiera (dites-le à la personne ; une faute de frappe se corrige en "
        "renvoyant l'inscription avec la même adresse et le même nom, avant la date limite "
        "des modifications, ou en écrivant au contact de l'événement)",
    )


REGISTRATION_OUT = inline_serializer(
    "RegistrationCreated",
    {
        "id": serializers.IntegerField(),
        "status": serializers.ChoiceField(["confirmed", "waitlisted"]),
        "created": serializers.BooleanField(),
        "commune_status": commune_status_out(),
        "ateliers": serializers.ListField(child=serializers.IntegerField()),
        "ateliers_waiting": serializers.ListField(
            child=serializers.IntegerField(),
            help_text="Les listes d'attente d'ateliers où elle est, dans l'ordre où elle les a "
            "rejointes",
        ),
    },
)
REGISTRATION_UPDATED_OUT = inline_serializer(
    "RegistrationUpdated",
    {
        "created": serializers.BooleanField(),
        "commune_status": commune_status_out(),
        "detail": serializers.CharField(
            help_text="Ce que dit la page de l'événement : « Une inscription existait déjà avec "
            "cette adresse : elle est mise à jour avec ce que vous avez saisi. … »"
        ),
    },
)


LOCATION_HEADER = location_header(
    "Adresse de l'inscription créée (organisateurs : lecture et modification)"
)


def _event(pk: int) -> SeminarPage:
    """An event for its organisers (any state, as the admin's screens); 404 in French."""
    event = SeminarPage.objects.filter(pk=pk).first()
    if event is None:
        raise Http404("Événement introuvable.")
    return event


def _seminar_for(request, pk: int) -> SeminarPage:
    """The live event `pk` this caller may register people for; 404 in French otherwise. Behind
    a view restriction, for everyone, organisers included: `GET /api/v1/seminars/{id}/` answers
    404 for it and its page asks to sign in before its form. (live_event's SQL, compiled once,
    cannot carry the restrictions, which Wagtail reads each time it filters.)"""
    page = live_event(pk)
    if page is None or behind_view_restriction(pk):
        raise Http404("Événement introuvable.")
    if can_organise(request.user):
        return page
    key = request.data.get("invitation") if request.method == "POST" else None
    if not page.invitation_ok(key):
        # An invitation-only event does not exist for those without the key.
        raise Http404("Événement introuvable.")
    return page


ATELIER_IDS_EXPECTED = "Liste d'identifiants d'ateliers attendue, par exemple [3, 4]."
BOOLEAN_EXPECTED = "Booléen attendu : true ou false."
# The body's text fields, under the API's names.
TEXT_FIELDS = ("nom", "prenom", "email", "commune", "fonction", "fonction_text", "needs", "phone")


def _text(data, name: str, errors: dict) -> str:
    value = data.get(name)
    if value is None:  # absent or null: the form says whether it is required
        return ""
    if not isinstance(value, str):
        errors[name] = [TEXT_EXPECTED]
        return ""
    return value


def _consent(data, encoded: bool, errors: dict) -> bool:
    """JSON true or false; in a form-encoded body, the words of a checkbox or a boolean
    parameter ("on", "true", "false", "1", "0", "oui", "non"…). Absent, null or empty: false."""
    value = data.get("consent")
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if encoded and isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
    errors["consent"] = [BOOLEAN_EXPECTED]
    return False


def _atelier_ids(data, encoded: bool, errors: dict, name: str = "ateliers") -> list[str]:
    """A JSON list of integers; in a form-encoded body, the field repeated with digits."""
    if encoded:  # every value is text: digits only
        values = [value for value in data.getlist(name) if value != ""]
        if all(parse_digits(value, 18) is not None for value in values):
            return values
    else:
        values = data.get(name)
        if values is None:
            return []
        # bool is an int in Python, not an identifier.
        if isinstance(values, list) and all(
            isinstance(pk, int) and not isinstance(pk, bool) for pk in values
        ):
            return [str(pk) for pk in values]
    errors[name] = [ATELIER_IDS_EXPECTED]
    return []


def form_data_from_body(data) -> dict:
    """API body -> the portal form's fields (a typed fonction is mapped to its code).

    Each value's JSON type is checked first: the form would take the Python text of a list or
    an object for a name (« ['Liste', 'X'] » printed on attendance sheets), read a consent
    « peut-être » as a refusal and answer an object of ateliers with its Python text. A wrong
    type is a 400 per field in French, before anything is saved (also for the member host's
    API, whose form ignores `consent` but not a mistyped one)."""
    encoded = hasattr(data, "getlist")  # form-encoded or multipart: values are text
    errors: dict[str, list[str]] = {}
    text = {name: _text(data, name, errors) for name in TEXT_FIELDS}
    consent = _consent(data, encoded, errors)
    ateliers = _atelier_ids(data, encoded, errors)
    waiting = _atelier_ids(data, encoded, errors, "ateliers_waiting")
    if errors:
        raise ValidationError(errors)
    fonction, fonction_text = text["fonction"], text["fonction_text"]
    if fonction and fonction not in Fonction.values:
        fonction, fonction_text = map_fonction(fonction)
    # Only when sent (an empty list too: a PATCH's « none »): absent, the form leaves the
    # field out and reads no ateliers for it.
    lists = {"ateliers_waiting": waiting} if "ateliers_waiting" in data else {}
    return lists | {
        "nom": text["nom"],
        "prenom": text["prenom"],
        "email": text["email"],
        "commune": text["commune"],
        "fonction": fonction,
        "fonction_autre": fonction_text,
        "ateliers": ateliers,
        "needs": text["needs"],
        "consent": "on" if consent else "",
        "phone": text["phone"],
    }


class RegistrationList(APIView):
    permission_classes = [PublicWriteStaffRead]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=Registration.Status.values,
                description="Seulement les inscriptions de ce statut",
            )
        ],
        responses={
            200: RegistrationSerializer(many=True),
            400: OpenApiResponse(description="Statut inconnu (`status`), en français"),
        },
    )
    def get(self, request, pk: int):
        """Registrations of an event (organisers)."""
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in Registration.Status.values:
            known = ", ".join(Registration.Status.values)
            raise ValidationError(
                {"status": [f"Statut inconnu « {wanted} » : attendu parmi {known}."]}
            )
        seminar = _event(pk)
        registrations = (
            seminar.registrations.select_related("commune")
            .prefetch_related("ateliers", "atelier_presences__atelier", "atelier_waits")
            .order_by("nom", "prenom")
        )
        if wanted:
            registrations = registrations.filter(status=wanted)
        return Response(RegistrationSerializer(registrations, many=True).data)

    @extend_schema(
        request=PublicRegistrationInSerializer,
        parameters=[LOCATION_HEADER],
        responses={
            201: REGISTRATION_OUT,
            200: OpenApiResponse(
                REGISTRATION_UPDATED_OUT,
                description="Même e-mail, avant la date limite des modifications : "
                "inscription mise à jour, sans en dire le statut ni les ateliers (l'e-mail à "
                "l'adresse les donne)",
            ),
            400: OpenApiResponse(
                description="Erreurs par champ, en français (dont `email` : adresse déjà "
                "inscrite après la date limite des modifications)"
            ),
            409: OpenApiResponse(description="Événement annulé (`detail`, en français)"),
        },
    )
    def post(self, request, pk: int):
        """Register for an event (no account). Same rules as the form of the event page."""
        check_object_body(request)
        seminar = _seminar_for(request, pk)
        check_registration_open(seminar)
        form = RegistrationForm(
            data=form_data_from_body(request.data), seminar=seminar, atelier_labels=False
        )
        return register_from_form(
            form,
            source=Registration.Source.API,
            location=lambda registration: request.build_absolute_uri(
                reverse("api-seminar-registration", args=[seminar.pk, registration.pk])
            ),
        )


def check_object_body(request) -> None:
    """A registration's body is an object (JSON, or form-encoded); 400 in French otherwise."""
    if not hasattr(request.data, "get"):
        raise ValidationError({"non_field_errors": [OBJECT_EXPECTED]})


class EventCancelled(APIException):
    """409: registering for a cancelled event (services.cancel_event)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = EVENT_CANCELLED
    default_code = "event_cancelled"


def check_registration_open(seminar: SeminarPage) -> None:
    if seminar.is_cancelled:
        raise EventCancelled()
    if seminar.registration_state() != "open":
        raise ValidationError(
            {"non_field_errors": ["Les inscriptions ne sont pas ouvertes pour cet événement."]}
        )


def register_from_form(form, *, source: str, actor=None, member=None, location=None) -> Response:
    """Check a bound registration form (the web pages' rules) and register through
    register_person: 201 (200 when the e-mail's registration was updated) with what was saved,
    or 400 with the form's French errors under the API's field names. `location(registration)`:
    the registration's own URL, sent as the 201's `Location` (none where it has no URL of its
    own: a member host's API)."""
    if form.is_valid():
        data = form.to_data()
        try:
            registration, created = register_person(
                form.seminar, data, source=source, actor=actor, member=member
            )
        except RegistrationError as error:
            form.add_registration_errors(error)
        else:
            # A cancelled registration taken up starts from what was sent: a new one, as the
            # event page says (views.registered_text), whoever had it before.
            created = created or getattr(registration, "taken_up", False)
            if not created and source == Registration.Source.API:
                # Anyone who knows a registrant's name and address can post this: the answer
                # says what the event page says (views.registered_again_message), not her
                # status, the ateliers she kept nor her lists; the « Inscription mise à jour »
                # e-mail, to the address only, gives the whole result.
                said = registered_again_message(registration, data)
                body = {"created": False, "commune_status": registration.commune_status}
                return Response({**body, "detail": said}, status=200)
            body = {
                "id": registration.pk,
                "status": registration.status,
                "created": created,
                "commune_status": registration.commune_status,
                # What register_person set: the chosen ateliers, each once.
                "ateliers": sorted(set(form.cleaned_data.get("ateliers") or [])),
                "ateliers_waiting": [],
            }
            if form.cleaned_data.get("ateliers_waiting"):
                # A waited atelier with room was given at once, in place of one chosen: read
                # back, off the path of a registration that sends none.
                body["ateliers"] = sorted(registration.ateliers.values_list("pk", flat=True))
                waits = registration.atelier_waits.values_list("atelier_id", flat=True)
                body["ateliers_waiting"] = list(waits)
            if not created:
                return Response(body, status=200)
            headers = {"Location": location(registration)} if location else None
            return Response(body, status=201, headers=headers)
    return Response(form_errors(form), status=400)


def form_errors(form) -> dict[str, list[str]]:
    """A registration form's errors under the API's names (`fonction_text`,
    `non_field_errors`)."""
    errors = {
        ("fonction_text" if name == "fonction_autre" else name): list(messages)
        for name, messages in form.errors.items()
    }
    if "__all__" in errors:
        errors["non_field_errors"] = errors.pop("__all__")
    return errors


IMPORT_OUT = inline_serializer(
    "ImportResult",
    {
        "imported": serializers.IntegerField(help_text="Lignes importées"),
        "flagged": serializers.IntegerField(help_text="Dont commune à vérifier"),
        "confirmed": serializers.IntegerField(help_text="Dont inscriptions confirmées"),
        "waitlisted": serializers.IntegerField(help_text="Dont inscriptions en liste d'attente"),
        "ignored_columns": serializers.ListField(
            child=serializers.CharField(),
            help_text="Colonnes du fichier non lues, telles que titrées (« Horodateur »)",
        ),
        "left_cancelled": inline_serializer(
            "ImportLeftCancelled",
            {"line": serializers.IntegerField(), "name": serializers.CharField()},
            many=True,
            help_text="Lignes de personnes dont l'inscription est annulée : laissée annulée, "
            "non comptée dans `imported` (les réinscrire se fait une à une)",
        ),
        "interpreted_fonctions": inline_serializer(
            "InterpretedFonction",
            {
                "typed": serializers.CharField(help_text="Fonction telle que saisie"),
                "fonction": serializers.CharField(help_text="Code retenu, à vérifier"),
            },
            many=True,
            help_text="Fonctions saisies lues comme un code (une fois chacune) ; une fonction "
            "qu'aucune expression ne désigne sûrement est gardée telle que saisie sous « autre »",
        ),
    },
)


class RegistrationImport(APIView):
    permission_classes = [IsOrganiser]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=inline_serializer(
            "ImportUpload",
            {
                "file": serializers.FileField(),
                "hint": serializers.CharField(
                    required=False,
                    help_text="Département ou région par défaut, code (93) ou nom "
                    "(Seine-Saint-Denis), pour les lignes sans colonne Département ni Région ; "
                    "s'il ne désigne rien : 400, erreur en ligne 0 sans colonne, "
                    "« Département ou région inconnu (champ hint) : … »",
                ),
            },
        ),
        responses={200: IMPORT_OUT, 400: IMPORT_ERRORS},
    )
    def post(self, request, pk: int):
        """Import a CSV or XLSX list: all lines or none."""
        seminar = _event(pk)
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {
                    "errors": [
                        {"line": 0, "column": "", "message": "Joignez un fichier (champ file)."}
                    ]
                },
                status=400,
            )
        hint = request.data.get("hint") or None
        try:
            read_area(hint)
        except UnknownArea as error:
            # Not a file column « hint »: the request's field, beside the file.
            return Response(
                {"errors": [{"line": 0, "column": "", "message": error.sentence("hint")}]},
                status=400,
            )
        try:
            result = import_registrations(
                seminar,
                upload.read(),
                upload.name,
                hint=hint,
                actor=request.user,
            )
        except ImportRejected as failure:
            return Response({"errors": [e.as_dict() for e in failure.errors]}, status=400)
        return Response(
            {
                "imported": result.imported,
                "flagged": result.flagged,
                "confirmed": result.confirmed,
                "waitlisted": result.waitlisted,
                "ignored_columns": result.ignored_columns,
                "left_cancelled": [
                    {"line": line, "name": name} for line, name in result.left_cancelled
                ],
                "interpreted_fonctions": [
                    {"typed": typed, "fonction": code}
                    for typed, code in result.interpreted_fonctions
                ],
            }
        )


class IgnoreFormatParameter(BaseContentNegotiation):
    """`?format=` names the export's file format here, not DRF's renderer."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


EXPORT_FORMATS = ("csv", "xlsx", "pdf")


class RegistrationExport(APIView):
    permission_classes = [IsOrganiser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(EXPORT_FORMATS), required=True),
            OpenApiParameter("atelier", int, description="Feuille d'un atelier"),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="Format inconnu (`format`), en français"),
            404: OpenApiResponse(description="Événement ou atelier introuvable"),
        },
    )
    def get(self, request, pk: int):
        """The attendance sheet (feuille d'émargement), sorted by name."""
        seminar = _event(pk)
        fmt = request.query_params.get("format", "csv")
        if fmt not in EXPORT_FORMATS:
            # A wrong parameter, not a missing resource (the admin's 404 said « introuvable »).
            raise ValidationError({"format": [f"Format inconnu « {fmt} » : csv, xlsx ou pdf."]})
        return attendance_response(seminar, fmt, request.query_params.get("atelier"))


class RatingSummarySerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="Question (`overall`, `usefulness`, `organisation`) ou identifiant de l'atelier"
    )
    label = serializers.CharField()
    answers = serializers.IntegerField()
    satisfied_percent = serializers.IntegerField(
        allow_null=True, help_text="Part « Très satisfaisant » + « Satisfaisant », en %"
    )
    average = serializers.FloatField(allow_null=True, help_text="Note moyenne sur 4")
    counts = serializers.SerializerMethodField(help_text="Réponses par niveau, de 4 à 1")
    withheld = serializers.BooleanField(
        help_text="Atelier noté par moins de 3 personnes : réponses non détaillées (elles "
        "désigneraient les quelques personnes qui l'avaient choisi)"
    )

    def get_counts(self, summary) -> dict[str, int]:
        return {str(level): summary.counts[level] for level in sorted(summary.counts, reverse=True)}


class CommentsSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="`best`, `improve` ou `wishes`")
    label = serializers.CharField()
    texts = serializers.ListField(child=serializers.CharField())


class EvaluationSummarySerializer(serializers.Serializer):
    present = serializers.IntegerField(help_text="Personnes émargées")
    answers = serializers.IntegerField()
    response_percent = serializers.IntegerField(allow_null=True)
    questions = RatingSummarySerializer(many=True)
    ateliers = RatingSummarySerializer(many=True)
    comments = CommentsSerializer(many=True)
    # The event's own questions (EvaluationQuestion): ratings, then free answers.
    added_questions = RatingSummarySerializer(many=True)
    added_comments = CommentsSerializer(many=True)


class EvaluationSummaryView(APIView):
    permission_classes = [IsOrganiser]

    @extend_schema(responses={200: EvaluationSummarySerializer})
    def get(self, request, pk: int):
        """The participants' opinions of an event, without names (organisers)."""
        seminar = _event(pk)
        return Response(EvaluationSummarySerializer(summarise_evaluations(seminar)).data)


# --- Organisers: check-in, year report, reminder to answer the questionnaire ---------------------


class CheckInInSerializer(serializers.Serializer):
    present = serializers.BooleanField(
        default=True,
        help_text="true (par défaut) : présent(e) ; false : annuler l'émargement",
    )
    force = serializers.BooleanField(
        default=False,
        help_text="true : émarger aussi une personne sans place confirmée (liste d'attente, "
        "annulée ; elle n'aura pas d'attestation), ou en dehors des jours de l'événement (de la "
        "veille à une semaine après sa fin), comme l'admin après son avertissement",
    )


SEMINAR_REF = inline_serializer(
    "SeminarRef", {"id": serializers.IntegerField(), "title": serializers.CharField()}
)


class CheckedInSerializer(RegistrationSerializer):
    """The registration as the organisers' list shows it, and its event (a scanned badge may be
    another event's)."""

    seminar = serializers.SerializerMethodField()

    class Meta(RegistrationSerializer.Meta):
        fields = [*RegistrationSerializer.Meta.fields, "seminar"]

    @extend_schema_field(SEMINAR_REF)
    def get_seminar(self, registration) -> dict:
        return {"id": registration.seminar.pk, "title": registration.seminar.title}


CHECK_IN_RESPONSES = {
    200: CheckedInSerializer,
    400: OpenApiResponse(
        description="`present` ou `force` invalide ; ou, sans `force`, personne sans place "
        "confirmée (liste d'attente, annulée) ou émargement en dehors des jours de l'événement "
        "(de la veille à une semaine après sa fin) : l'admin émarge après un avertissement, "
        "l'API demande `force` (`detail`, en français)"
    ),
    404: OpenApiResponse(description="Événement, inscription ou code introuvable"),
}


def check_in_day_refusal(registration: Registration) -> str:
    """Why checking `registration` in today needs `force`: the admin's question outside the
    event's days (admin_views.check_in_question, check_in_confirm.html), in its words."""
    seminar = registration.seminar
    day = off_day(seminar)
    return (
        f"Nous sommes le {long_date(day.today, weekday=False)} : l'événement « {seminar.title} » "
        f"{day.when} ({date_span(seminar.start, seminar.end)}). On émarge d'ordinaire le jour de "
        f"l'événement (du {long_date(day.first, weekday=False)} au "
        f"{long_date(day.last, weekday=False)}, "
        "pour reporter une feuille d'émargement papier). Une présence émargée aujourd'hui compte "
        "comme une participation : elle donne une attestation de présence et figure dans le "
        f"bilan de l'année. Vérifiez l'événement, ou émargez {registration.prenom} "
        f"{registration.nom} quand même avec « force »: true."
    )


def _check_in(request, registration: Registration) -> Response:
    """Check in or undo it through the admin's service (audited, actor = the organiser). The
    admin's screens warn before checking in someone without a seat (no attestation would follow)
    or outside the event's days (SeminarPage.check_in_expected: a slip, or an attestation dated
    before the event), and let the organiser go on: with no screen to warn on, the API refuses
    unless asked with `force`, the warnings' answer. Undoing is never refused. Asking for the
    state the person is already in changes nothing (a badge scanned twice keeps its first
    time)."""
    incoming = CheckInInSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    present, force = incoming.validated_data["present"], incoming.validated_data["force"]
    if present and not force and registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            {
                "detail": f"{registration.prenom} {registration.nom} n'a pas de place confirmée "
                f"({registration.get_status_display().lower()}) : son émargement ne lui donnerait "
                "pas d'attestation de présence. Vérifiez son inscription, ou émargez-la quand "
                "même avec « force »: true."
            }
        )
    # As the admin (check_in_as_posted): asked only when someone is being checked in.
    checking_in = present and registration.checked_in_at is None
    if checking_in and not force and not registration.seminar.check_in_expected():
        raise ValidationError({"detail": check_in_day_refusal(registration)})
    if (registration.checked_in_at is not None) != present:
        set_check_in(registration, present, actor=request.user)
    return Response(CheckedInSerializer(registration).data)


def _with_list_fields(registrations):
    return registrations.select_related("seminar", "commune").prefetch_related(
        "ateliers", "atelier_presences__atelier", "atelier_waits"
    )


class RegistrationCheckIn(APIView):
    permission_classes = [IsOrganiser]

    @extend_schema(
        description="Émarger une personne le jour de l'événement (`present` : true, par défaut), "
        "ou annuler son émargement (false) ; organisateurs. Journalisé. Demander l'état où la "
        "personne est déjà ne change rien (l'heure du premier émargement est gardée).",
        request=CheckInInSerializer,
        responses=CHECK_IN_RESPONSES,
    )
    def post(self, request, pk: int, registration_id: int):
        """Check a person in on the day, or undo it (organisers)."""
        event = _event(pk)
        registration = _with_list_fields(event.registrations).filter(pk=registration_id).first()
        if registration is None:
            raise Http404("Inscription introuvable pour cet événement.")
        return _check_in(request, registration)


# The PATCH body's fields (the registration API's names) -> the edit form's fields they set. A
# fonction sent as a label sets the typed text too (form_data_from_body maps it).
EDITABLE = {
    "nom": ("nom",),
    "prenom": ("prenom",),
    "email": ("email",),
    "commune": ("commune",),
    "fonction": ("fonction", "fonction_autre"),
    "fonction_text": ("fonction_autre",),
    "ateliers": ("ateliers",),
    "ateliers_waiting": ("ateliers_waiting",),
    "needs": ("needs",),
    "consent": ("consent",),
    "phone": ("phone",),
}


class RegistrationPatchSerializer(RegistrationInSerializer):
    """Documentation of the PATCH body: the registration's fields, each optional (drf-spectacular
    documents a PATCH body as partial: « PatchedRegistrationPatch »); the rules are the admin's
    edit form's (EditRegistrationForm), after the types are checked."""

    email = serializers.EmailField(
        required=False, allow_blank=True, allow_null=True, help_text="Vide ou null : sans e-mail"
    )
    commune = serializers.CharField(
        max_length=200,
        help_text="Nom saisi ou code INSEE (texte) ; non reconnue : gardée et signalée",
    )
    ateliers = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Identifiants des ateliers, des entiers : [3, 4] ; remplace le choix",
    )
    ateliers_waiting = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Remplace ses listes d'attente d'ateliers (inscription confirmée seulement) : "
        "un atelier retiré l'en retire, un atelier ajouté l'y place en dernière position ; "
        "un atelier qui a une place lui est donné",
    )
    consent = serializers.BooleanField(required=False)
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=30, help_text=f"{PHONE_HELP} ; vide : retiré"
    )
    invitation = None  # an invitation key opens a registration, it is not one of its fields


def _edit_form_data(registration: Registration, body) -> dict:
    """The edit form's values: the registration's, with the fields the body sends (their JSON
    types checked first, as for a registration). An unknown field is a 400: ignored, a
    `status` or a typo would look accepted."""
    unknown = sorted(set(body) - set(EDITABLE))
    if unknown:
        known = ", ".join(EDITABLE)
        raise ValidationError(
            {
                name: [f"Champ inconnu ou non modifiable : modifiables : {known}."]
                for name in unknown
            }
        )
    checked = form_data_from_body(body)
    data = registration_edit_values(registration)
    if "ateliers_waiting" not in body:
        # Not sent: not replaced by the lists read here, before the lock (she may join or
        # leave one meanwhile from her page). The field is then left out (RegistrationForm).
        del data["ateliers_waiting"]
    kept_text = data["fonction_autre"]
    for name in body:
        for field in EDITABLE[name]:
            data[field] = checked[field]
    if "fonction_text" not in body and checked["fonction"] == registration.fonction:
        # The fonction sent as it is (« autre ») without a text keeps its text, as the admin's
        # form does by showing it.
        data["fonction_autre"] = checked["fonction_autre"] or kept_text
    return data


class RegistrationDetail(APIView):
    permission_classes = [IsOrganiser]

    @extend_schema(
        responses={
            200: RegistrationSerializer,
            404: OpenApiResponse(description="Événement introuvable, ou inscription d'un autre"),
        },
    )
    def get(self, request, pk: int, registration_id: int):
        """One registration of an event (organisers), as in the event's list: the URL that a
        registration's 201 answers as `Location`."""
        registration = _with_list_fields(_event(pk).registrations).filter(pk=registration_id)
        registration = registration.first()
        if registration is None:
            raise Http404("Inscription introuvable pour cet événement.")
        return _with_etag(Response(RegistrationSerializer(registration).data), registration)

    @extend_schema(
        description="Modifier une inscription (organisateurs), comme « Modifier » dans la liste "
        "de l'admin : les champs envoyés seulement, mêmes règles (adresse d'une autre "
        "inscription de l'événement refusée, ateliers de l'événement qui ne se chevauchent pas, "
        "places des ateliers pour une personne confirmée ; commune non reconnue gardée et "
        "signalée). Journalisé ; la personne reçoit l'e-mail « Inscription mise à jour ». Une "
        "inscription annulée ou anonymisée ne se modifie pas (409). Avec l'en-tête `If-Match` "
        "(l'`ETag` de la lecture), une inscription modifiée depuis par quelqu'un d'autre n'est "
        "pas écrasée : 412, rien n'est écrit.",
        request=RegistrationPatchSerializer,
        responses={
            200: RegistrationSerializer,
            400: OpenApiResponse(description="Erreurs par champ, en français"),
            404: OpenApiResponse(description="Événement introuvable, ou inscription d'un autre"),
            409: OpenApiResponse(description="Inscription annulée ou anonymisée (`detail`)"),
            412: OpenApiResponse(
                description="Modifiée depuis la lecture dont `If-Match` donne l'`ETag` "
                "(`detail` nomme les champs changés)"
            ),
        },
    )
    def patch(self, request, pk: int, registration_id: int):
        """Correct a registration (organisers): the fields sent, the admin's rules."""
        check_object_body(request)
        event = _event(pk)
        registration = (
            event.registrations.select_related("commune").filter(pk=registration_id).first()
        )
        if registration is None:
            raise Http404("Inscription introuvable pour cet événement.")
        refusal = edit_refusal(registration)
        if refusal:
            return Response({"detail": refusal}, status=status.HTTP_409_CONFLICT)
        form = EditRegistrationForm(
            data=_edit_form_data(registration, request.data),
            seminar=event,
            registration=registration,
            atelier_labels=False,
        )
        if form.is_valid():
            data = form.to_data()
            if "ateliers" not in request.data:
                data.atelier_ids = None  # kept as they are under the lock (update_registration)
            try:
                update_registration(
                    registration, data, actor=request.user, version=if_match_version(request)
                )
            except RegistrationError as error:
                form.add_registration_errors(error)
            except StaleEdit as stale:
                detail = stale_api_detail("Cette inscription a été modifiée", stale)
                return Response({"detail": detail}, status=status.HTTP_412_PRECONDITION_FAILED)
        if form.errors:
            return Response(form_errors(form), status=400)
        registration = _with_list_fields(event.registrations).get(pk=registration.pk)
        return _with_etag(Response(RegistrationSerializer(registration).data), registration)


def _with_etag(response: Response, registration: Registration) -> Response:
    """The registration's version (union.stale_edits) as `ETag`, for a later `If-Match`."""
    response["ETag"] = etag_of(registration_edit_values(registration))
    return response


class CodeCheckIn(APIView):
    permission_classes = [IsOrganiser]

    @extend_schema(
        description="Émarger avec le code signé d'un badge ou d'une page personnelle, tel que "
        "lu dans son code QR (la fin de l'adresse `/admin/inscriptions/emargement/<code>/`) ; "
        "mêmes règles que l'émargement d'une inscription. La réponse nomme l'événement "
        "(`seminar`) : vérifiez que le badge est celui du jour. Code inconnu ou altéré : 404.",
        request=CheckInInSerializer,
        responses=CHECK_IN_RESPONSES,
    )
    def post(self, request, code: str):
        """Check in with the signed code of a badge or a personal page, as read from its QR code
        (the last part of `/admin/inscriptions/emargement/<code>/`); same rules as by
        registration. The response names the event: check that the badge is today's."""
        registration = read_check_in_code(code)  # with its event and commune
        if registration is None:
            raise Http404("Code d'émargement inconnu : cherchez la personne dans la liste.")
        return _check_in(request, registration)


class ReportLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="event.pk")
    title = serializers.CharField(source="event.title")
    kind = serializers.CharField(source="event.kind")
    start = serializers.DateTimeField(source="event.start")
    end = serializers.DateTimeField(source="event.end")
    seats = serializers.IntegerField(source="event.seats")
    held = serializers.BooleanField(help_text="false : rencontre à venir, sans participants")
    confirmed = serializers.IntegerField(help_text="Inscrits confirmés")
    participants = serializers.SerializerMethodField(
        help_text="Personnes émargées, ou inscrits confirmés quand personne ne l'a été ; "
        "null pour une rencontre à venir"
    )
    checked_in = serializers.SerializerMethodField(
        help_text="false : personne n'a été émargé, les inscrits confirmés sont comptés ; null "
        "pour une rencontre à venir"
    )
    communes = serializers.SerializerMethodField(
        help_text="Communes représentées ; null pour une rencontre à venir"
    )
    answers = serializers.IntegerField(help_text="Avis reçus")
    satisfied = serializers.IntegerField(help_text="Dont satisfaits de la rencontre")
    satisfied_percent = serializers.IntegerField(allow_null=True)
    training_hours = serializers.SerializerMethodField(
        help_text="Heures de formation : participants × durée de formation attestée (6.5 pour "
        "6 h 30) ; null sans durée attestée ou pour une rencontre à venir"
    )
    ateliers_attended = serializers.SerializerMethodField(
        help_text="Par atelier, les personnes émargées à l'atelier, quand des présences par "
        "atelier ont été enregistrées ; vide sinon"
    )

    def get_training_hours(self, line) -> float | None:
        return None if line.training is None else round(line.training.total_seconds() / 3600, 2)

    @extend_schema_field(
        inline_serializer(
            "AtelierAttended",
            {"title": serializers.CharField(), "present": serializers.IntegerField()},
            many=True,
        )
    )
    def get_ateliers_attended(self, line) -> list[dict]:
        return [{"title": title, "present": present} for title, present in line.ateliers]

    def get_participants(self, line) -> int | None:
        return line.present if line.held else None

    def get_checked_in(self, line) -> bool | None:
        return line.checked_in if line.held else None

    def get_communes(self, line) -> int | None:
        return line.communes if line.held else None


class FonctionCountSerializer(serializers.Serializer):
    fonction = serializers.CharField(source="code", help_text="Code de la fonction")
    label = serializers.CharField()
    participations = serializers.IntegerField()


class YearReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    years = serializers.SerializerMethodField(
        help_text="Années ayant un événement, récentes d'abord"
    )
    held = serializers.IntegerField(source="held_count", help_text="Rencontres tenues")
    upcoming = serializers.IntegerField(source="upcoming_count", help_text="Rencontres à venir")
    participants = serializers.IntegerField(
        help_text="Participations (une personne venue à trois rencontres compte trois fois)"
    )
    communes = serializers.IntegerField(help_text="Communes représentées")
    member_communes_reached = serializers.IntegerField(
        help_text="Communes membres de l'union représentées"
    )
    member_communes = serializers.IntegerField(help_text="Communes membres de l'union")
    estimated = serializers.BooleanField(
        help_text="true : des rencontres sans émargement comptent leurs inscrits confirmés"
    )
    answers = serializers.IntegerField(help_text="Avis reçus")
    satisfied = serializers.IntegerField(help_text="Dont satisfaits de la rencontre")
    satisfied_percent = serializers.IntegerField(allow_null=True)
    training_hours = serializers.SerializerMethodField(
        help_text="Heures de formation des participations de l'année (rencontres à durée de "
        "formation attestée)"
    )
    by_fonction = FonctionCountSerializer(many=True, help_text="Participations par fonction")
    events = ReportLineSerializer(source="lines", many=True)

    def get_training_hours(self, report) -> float:
        return round(report.training.total_seconds() / 3600, 2)

    def get_years(self, _report) -> list[int]:
        return self.context["years"]


class YearReportView(APIView):
    permission_classes = [IsOrganiser]

    @extend_schema(
        description="Bilan des rencontres de l'année pour le rapport d'activité, les chiffres "
        "de `/admin/inscriptions/bilan/` : par rencontre (places, inscrits confirmés, "
        "participants, émargement, communes, avis) et pour l'année (participations, communes et "
        "communes membres représentées, fonctions, satisfaction) ; organisateurs.",
        parameters=[
            OpenApiParameter(
                "year",
                int,
                description="Année du bilan ; par défaut, la dernière année ayant une rencontre "
                "tenue (comme l'admin)",
            )
        ],
        responses={
            200: YearReportSerializer,
            400: OpenApiResponse(description="Année invalide ou sans événement (`year`)"),
        },
    )
    def get(self, request):
        """The year's events in figures, as `/admin/inscriptions/bilan/` (organisers)."""
        years = report_years()
        default = default_report_year()
        raw = request.query_params.get("year", "").strip()
        year = parse_digits(raw, 4) if raw else default
        if year is None:
            raise ValidationError(
                {"year": [f"Année invalide « {raw} » : quatre chiffres, par exemple {default}."]}
            )
        if year not in years and year != default:
            known = ", ".join(str(y) for y in years) or "aucune"
            raise ValidationError(
                {"year": [f"Aucun événement en « {raw} » : années possibles : {known}."]}
            )
        report = build_year_report(year)
        return Response(YearReportSerializer(report, context={"years": years}).data)


class EvaluationRemind(APIView):
    permission_classes = [IsOrganiser]

    @extend_schema(
        description="Relancer par e-mail, une fois chacune, les personnes présentes qui n'ont "
        "pas répondu au questionnaire de satisfaction (comme « Relancer » dans l'admin) ; "
        "organisateurs. Seulement pendant que le questionnaire est ouvert (de la fin de "
        "l'événement à trois mois après).",
        request=None,
        responses={
            200: inline_serializer(
                "EvaluationReminded",
                {
                    "reminded": serializers.IntegerField(
                        help_text="Personnes relancées (0 : toutes ont répondu ou ont déjà été "
                        "relancées)"
                    )
                },
            ),
            400: OpenApiResponse(description="Questionnaire pas encore ouvert, ou clos"),
        },
    )
    def post(self, request, pk: int):
        """Remind the people present who have not answered, once each (organisers)."""
        event = _event(pk)
        state = evaluations_open_state(event)
        if state == "not_ended":
            end = long_date(timezone.localtime(event.end), time=True)
            raise ValidationError(
                {
                    "detail": f"Le questionnaire ouvrira à la fin de l'événement, le {end} : "
                    "pas de relance avant."
                }
            )
        if state == "closed":
            closes = long_date(timezone.localtime(evaluation_closes(event)))
            raise ValidationError(
                {"detail": f"Le questionnaire est clos depuis le {closes} : plus de relance."}
            )
        return Response({"reminded": remind_to_answer(event, actor=request.user)})

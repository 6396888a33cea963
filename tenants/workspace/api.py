"""/api/v1/ of a member host: documents, profile, board, activity. Thin: services do the writes."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from tenants.access import IsMemberOfHost, has_member_role, sees_board_contacts
from tenants.models import MemberCCAS, Membership
from tenants.naming import person_name
from tenants.workspace import activity, meetings
from tenants.workspace.compliance import (
    CCAS_AUTHORITIES,
    board_authorities,
    current_mandate,
    is_past,
    mandate_compliance,
)
from tenants.workspace.forms import (
    MAX_IMPORT_BYTES,
    ProfileForm,
    postal_address_errors,
    postal_lines,
)
from tenants.workspace.models import (
    BoardMandate,
    BoardMember,
    Document,
    MeetingAttendance,
    Profile,
    Service,
)
from tenants.workspace.services import (
    BOARD_MEMBER_FIELDS,
    PROFILE_FIELDS,
    WorkspaceError,
    add_board_member,
    create_mandate,
    get_profile,
    import_activity,
    seat_clash_errors,
    seat_date_errors,
    update_profile,
)
from tenants.workspace.uploads import content_type_for
from union.api_schema import IMPORT_ERRORS
from union.params import parse_digits
from union.spreadsheets import ImportIssue, reported_issues
from union.stale_edits import (
    StaleEdit,
    etag_of,
    if_match_version,
    save_unless_changed,
    stale_api_detail,
)


def _person(user) -> str | None:
    # As the documents page names them: « Prénom Nom », else the address.
    return person_name(user) if user is not None else None


class DocumentSerializer(serializers.ModelSerializer):
    """What the documents page shows of a document, and where to fetch its file."""

    category_label = serializers.CharField(
        source="get_category_display",
        read_only=True,
        help_text="La catégorie en clair, comme sur la page",
    )
    file_format = serializers.CharField(
        read_only=True, help_text="« PDF », « XLSX »… (d'après le nom du fichier)"
    )
    content_type = serializers.SerializerMethodField(
        help_text="Le type sous lequel le fichier est servi par `url`"
    )
    size = serializers.SerializerMethodField(
        help_text="Taille du fichier en octets ; null s'il est introuvable dans le stockage"
    )
    uploaded_by = serializers.SerializerMethodField(
        help_text="Qui l'a déposé : prénom et nom, sinon son adresse ; null si inconnu"
    )
    replaced_by = serializers.SerializerMethodField(
        help_text="Qui a déposé la dernière version du fichier (« Remplacer le fichier »)"
    )
    url = serializers.SerializerMethodField(
        help_text="Adresse du fichier sur l'hôte du membre (même session ou jeton) : les PDF et "
        "les images s'y ouvrent dans le navigateur, le reste se télécharge"
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "category",
            "category_label",
            "description",
            "document_date",
            "file_format",
            "content_type",
            "size",
            "uploaded_at",
            "uploaded_by",
            "replaced_at",
            "replaced_by",
            "url",
        ]
        read_only_fields = fields  # a list: documents are filed on the page

    def get_content_type(self, document: Document) -> str:
        return content_type_for(document.file.name)

    def get_size(self, document: Document) -> int | None:
        return document.file_size

    def get_uploaded_by(self, document: Document) -> str | None:
        return _person(document.uploaded_by)

    def get_replaced_by(self, document: Document) -> str | None:
        return _person(document.replaced_by)

    def get_url(self, document: Document) -> str:
        path = reverse("member_document", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


def _category_choices() -> str:
    codes = Document.Category.values
    return f"{', '.join(codes[:-1])} ou {codes[-1]}"


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter(
                "category",
                str,
                enum=Document.Category.values,
                required=False,
                description="Seulement les documents de cette catégorie (son code)",
            )
        ],
        responses={
            200: DocumentSerializer(many=True),
            400: OpenApiResponse(description="Catégorie inconnue (`category`), en français"),
        },
    )
)
class DocumentList(generics.ListAPIView):
    """The host member's documents (its people only), newest upload first; `?category=<code>`
    keeps one category, as the page's « ?categorie= »."""

    serializer_class = DocumentSerializer
    permission_classes = [IsMemberOfHost]

    def get_queryset(self):
        documents = Document.objects.select_related("uploaded_by", "replaced_by").order_by(
            "-uploaded_at", "-pk"
        )
        category = self.request.query_params.get("category", "")
        if not category:
            return documents
        if category not in Document.Category.values:
            raise ValidationError(
                {"category": [f"Catégorie inconnue « {category[:50]} » : {_category_choices()}."]}
            )
        return documents.filter(category=category)


# --- Profile ---------------------------------------------------------------------------------


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["kind", "label", "description"]

    def validate(self, data):
        if data.get("kind") == Service.Kind.OTHER and not data.get("label"):
            raise serializers.ValidationError({"label": "Obligatoire pour « Autre »."})
        return data


class ProfileSerializer(serializers.ModelSerializer):
    services = ServiceSerializer(many=True, required=False)
    # Checked by the page's form (validate): « www.ccas.fr » is taken there, as https://….
    website = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Adresse du site ; sans « https:// », il est ajouté, comme sur la page",
    )

    class Meta:
        model = Profile
        fields = [
            *PROFILE_FIELDS,
            "services",
            "publish_name",
            "publish_services",
            "publish_contact",
            "updated_at",
        ]
        read_only_fields = ["publish_name", "publish_services", "publish_contact", "updated_at"]

    def validate_services(self, services):
        kinds = [s["kind"] for s in services if s["kind"] != Service.Kind.OTHER]
        if len(kinds) != len(set(kinds)):
            raise serializers.ValidationError("Un même service figure deux fois.")
        return services

    def validate(self, data):
        """The profile page's rules (forms.ProfileForm), not a copy of them: the postal code's
        five digits, « www.ccas.fr » read as https://www.ccas.fr… A field the PUT leaves out
        keeps its value, checked with the others as the page would."""
        given = [name for name in PROFILE_FIELDS if name in data]
        values = {name: getattr(self.instance, name, "") for name in PROFILE_FIELDS}
        values.update({name: data[name] for name in given})
        form = ProfileForm(data=values)
        if not form.is_valid():
            non_field = api_settings.NON_FIELD_ERRORS_KEY
            raise serializers.ValidationError(
                {
                    non_field if name == NON_FIELD_ERRORS else name: list(messages)
                    for name, messages in form.errors.items()
                }
            )
        return {**data, **{name: form.cleaned_data[name] for name in given}}


class ProfileView(APIView):
    """GET: the profile; PUT (director, agent): replace it, services included if given.

    Publication in the directory is chosen by the director in the web page."""

    permission_classes = [IsMemberOfHost]

    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return _with_etag(get_profile(request.tenant))

    @extend_schema(
        request=ProfileSerializer,
        responses={
            200: ProfileSerializer,
            412: OpenApiResponse(
                description="Modifié depuis la lecture dont `If-Match` donne l'`ETag` "
                "(`detail` nomme les champs changés)"
            ),
        },
        description="Remplacer le profil (direction, agents). Avec l'en-tête `If-Match` (l'`ETag` "
        "de la lecture), un profil modifié depuis par un collègue n'est pas écrasé : 412, "
        "rien n'est écrit, comme la page refuse un formulaire ouvert avant un changement.",
    )
    def put(self, request):
        profile = get_profile(request.tenant)
        # The fields left out keep their value: given their stored one, and checked whole (a
        # partial serializer would also leave the required fields of `services` unchecked).
        given = request.data if isinstance(request.data, dict) else request.data.dict()
        kept = {name: getattr(profile, name) for name in PROFILE_FIELDS if name not in given}
        serializer = ProfileSerializer(profile, data={**kept, **given})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services = data.pop("services", None)
        try:
            # The page's check (ProfileForm.save_unless_stale), with If-Match's version.
            profile = save_unless_changed(
                profile,
                if_match_version(request),
                ProfileForm(instance=profile).version_values,
                lambda: update_profile(request.tenant, data, services, actor=request.user),
            )
        except StaleEdit as stale:
            detail = stale_api_detail("Le profil a été modifié", stale)
            return Response({"detail": detail}, status=status.HTTP_412_PRECONDITION_FAILED)
        return _with_etag(profile)


def _with_etag(profile) -> Response:
    """The profile, with its version (the page form's, union.stale_edits) as `ETag`."""
    response = Response(ProfileSerializer(profile).data)
    response["ETag"] = etag_of(ProfileForm(instance=profile).version_values(profile))
    return response


# --- Board -----------------------------------------------------------------------------------


# How to reach a board member: for those who convene the board.
CONTACT_FIELDS = ("email", "postal_address", "postal_code", "city")


class BoardMemberSerializer(serializers.ModelSerializer):
    mandate = serializers.CharField(source="mandate.label", read_only=True)
    # The seat's name on this member's board (a CIAS's: the EPCI's authorities); `seat` keeps
    # its codes whatever the member.
    seat_label = serializers.SerializerMethodField(help_text="Libellé du siège, en français.")

    class Meta:
        model = BoardMember
        fields = ["id", "mandate", *BOARD_MEMBER_FIELDS, "seat_label"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The member whose host answers; none while the schema is generated (no database then).
        member = getattr(self.context.get("request"), "tenant", None)
        authorities = (
            board_authorities(member) if isinstance(member, MemberCCAS) else CCAS_AUTHORITIES
        )
        self.seat_labels = authorities.seat_labels
        seat = self.fields["seat"]
        seat.choices = [
            (code, self.seat_labels.get(code, label)) for code, label in seat.choices.items()
        ]

    def get_seat_label(self, board_member: BoardMember) -> str:
        return self.seat_labels.get(board_member.seat, board_member.seat)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        # As on the board page (tenants.access.sees_board_contacts): « lecture seule » reads the
        # board without the members' addresses.
        if request is not None and not sees_board_contacts(request):
            for name in CONTACT_FIELDS:
                data.pop(name, None)
        return data

    def validate_postal_address(self, value: str) -> str:
        return postal_lines(value)

    def validate(self, data):
        # A postal address goes out whole or not at all, as the page's form says.
        errors = postal_address_errors(
            data.get("postal_address", ""), data.get("postal_code", ""), data.get("city", "")
        )
        if errors:
            raise serializers.ValidationError(errors)
        # The mandate the seat joins (context); none yet: one opens on the seat's start.
        mandate = self.context.get("mandate")
        if mandate is not None:
            errors = seat_date_errors(mandate, data.get("start"), data.get("end"))
            if not errors:
                errors = seat_clash_errors(
                    mandate,
                    data.get("first_name", ""),
                    data.get("last_name", ""),
                    data.get("start"),
                    data.get("end"),
                )
            if errors:
                raise serializers.ValidationError(errors)
        return data


MANDATE_PARAMETER = OpenApiParameter(
    "mandate",
    int,
    required=False,
    description="Id d'une mandature (historique) ; par défaut la mandature en cours.",
)
UNKNOWN_MANDATE = OpenApiResponse(description="Mandature inconnue (`?mandate=`)")


def requested_mandate(request) -> BoardMandate | None:
    """The mandate named by `?mandate=<id>`, else the current one; 404 for an unknown id."""
    raw = request.query_params.get("mandate", "")
    if not raw:
        return current_mandate()
    pk = parse_digits(raw, 18)  # ids fit PostgreSQL's bigint
    if pk is None:
        raise NotFound("Mandature inconnue.")
    return get_object_or_404(BoardMandate, pk=pk)


@extend_schema_view(
    get=extend_schema(
        parameters=[MANDATE_PARAMETER],
        responses={200: BoardMemberSerializer(many=True), 404: UNKNOWN_MANDATE},
    )
)
class BoardMemberList(generics.ListCreateAPIView):
    """Members of the current mandate (or `?mandate=<id>`). POST seats someone on the current
    one (a mandate starting on that person's start date is opened if there is none yet)."""

    serializer_class = BoardMemberSerializer
    permission_classes = [IsMemberOfHost]
    pagination_class = None

    def get_queryset(self):
        mandate = requested_mandate(self.request)
        if mandate is None:
            return BoardMember.objects.none()
        return mandate.members.select_related("mandate")

    def create(self, request, *args, **kwargs):
        mandate = current_mandate()
        # As the board page (views._can_edit_board): an ended mandate is the board's history,
        # which only the direction changes.
        if (
            mandate is not None
            and is_past(mandate)
            and not has_member_role(request, (Membership.Role.DIRECTOR,))
        ):
            raise PermissionDenied(
                f"La mandature {mandate.label} est terminée : seule la direction modifie "
                "l'historique du conseil d'administration."
            )
        # Opening a mandature is the direction's, on the page as here (views.mandate_add).
        if mandate is None and not has_member_role(request, (Membership.Role.DIRECTOR,)):
            raise PermissionDenied(
                f"Aucune mandature en cours : seule la direction du {request.tenant.kind} ouvre "
                "une mandature ; vous saisirez ensuite les membres du conseil."
            )
        serializer = self.get_serializer(
            data=request.data, context={**self.get_serializer_context(), "mandate": mandate}
        )
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        try:
            # One write: a seat refused leaves no mandate opened for it behind.
            with transaction.atomic():
                if mandate is None:
                    start = values["start"]
                    mandate = create_mandate(
                        request.tenant, str(start.year), start, actor=request.user
                    )
                board_member = add_board_member(request.tenant, mandate, values, actor=request.user)
        except WorkspaceError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            BoardMemberSerializer(board_member, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


RULE_SCHEMA = inline_serializer(
    "BoardCompliance",
    {
        "compliant": serializers.BooleanField(),
        "rules": inline_serializer(
            "BoardRule",
            {
                "code": serializers.CharField(),
                "label": serializers.CharField(),
                "article": serializers.CharField(),
                "ok": serializers.BooleanField(),
                "detail": serializers.CharField(),
            },
            many=True,
        ),
    },
)


class BoardComplianceView(APIView):
    """The current board (or `?mandate=<id>`) checked against CASF L123-6 and R123-7; for a
    CIAS, the texts name the président of the EPCI and its council (R123-27)."""

    permission_classes = [IsMemberOfHost]

    @extend_schema(
        responses={200: RULE_SCHEMA, 404: UNKNOWN_MANDATE}, parameters=[MANDATE_PARAMETER]
    )
    def get(self, request):
        mandate = requested_mandate(request)
        return Response(mandate_compliance(mandate, member=request.tenant).as_dict())


MEETING_SCHEMA = inline_serializer(
    "BoardMeeting",
    {
        "id": serializers.IntegerField(),
        "date": serializers.DateField(),
        # "18:30", as the pages write it (README); not DRF's TimeField, whose format is HH:MM:SS.
        "time": serializers.RegexField(
            r"^\d{2}:\d{2}$",
            allow_null=True,
            help_text="Heure de la séance, « HH:MM » (18:30), heure locale de l'union ; null si elle "
            "n'est pas saisie",
        ),
        "end_time": serializers.RegexField(
            r"^\d{2}:\d{2}$",
            allow_null=True,
            help_text="Heure de fin prévue, « HH:MM » comme `time` ; null si elle n'est pas "
            "saisie (le rendez-vous .ics de la convocation dure alors deux heures)",
        ),
        "place": serializers.CharField(),
        "convened_on": serializers.DateField(allow_null=True),
        "reconvened": serializers.BooleanField(),
        "agenda": serializers.ListField(child=serializers.CharField()),
        "abs_report": serializers.BooleanField(),
        "minutes": serializers.IntegerField(
            allow_null=True,
            help_text="Le procès-verbal de la séance : l'id de son document (liste des "
            "documents de l'espace), null s'il n'est pas encore joint",
        ),
        "quorum": inline_serializer(
            "BoardMeetingQuorum",
            {
                "in_office": serializers.IntegerField(),
                "present": serializers.IntegerField(),
                "represented": serializers.IntegerField(),
                "unrecorded": serializers.IntegerField(),
                "needed": serializers.IntegerField(),
                "reached": serializers.BooleanField(allow_null=True),
                "text": serializers.CharField(),
            },
        ),
        "attendance": inline_serializer(
            "BoardMeetingAttendance",
            {
                "board_member": serializers.IntegerField(),
                "name": serializers.CharField(),
                "presence": serializers.ChoiceField(
                    choices=[code for code, _ in MeetingAttendance.Presence.choices]
                ),
                "proxy_holder": serializers.IntegerField(allow_null=True),
            },
            many=True,
        ),
    },
    many=True,
)


def _meeting(meeting, quorum) -> dict:
    return {
        "id": meeting.pk,
        "date": meeting.date.isoformat(),
        "time": meeting.time.strftime("%H:%M") if meeting.time else None,
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else None,
        "place": meeting.place,
        "convened_on": meeting.convened_on.isoformat() if meeting.convened_on else None,
        "reconvened": meeting.reconvened,
        "agenda": meeting.agenda_items,
        "abs_report": meeting.abs_report,
        "minutes": meeting.minutes_id,
        "quorum": {
            "in_office": quorum.in_office,
            "present": quorum.present,
            "represented": quorum.represented,
            "unrecorded": quorum.unrecorded,
            "needed": quorum.needed,
            "reached": quorum.reached,
            "text": quorum.text,
        },
        "attendance": [
            {
                "board_member": row.board_member_id,
                "name": row.board_member.full_name,
                "presence": row.presence,
                "proxy_holder": row.proxy_holder_id,
            }
            for row in meeting.attendance.all()
        ],
    }


class BoardMeetingList(APIView):
    """The board's séances, latest first, with their quorum (CASF R123-16 to R123-18) and the
    presences entered, as the séances' pages show them."""

    permission_classes = [IsMemberOfHost]

    @extend_schema(responses=MEETING_SCHEMA)
    def get(self, request):
        return Response([_meeting(m, q) for m, q in meetings.meetings_with_quorum()])


# --- Activity --------------------------------------------------------------------------------


def _pct(value):
    return None if value is None else float(value)


def _amount(value):
    return None if value is None else f"{value:.2f}"


def _line(line: activity.Line, with_category: bool) -> dict:
    data = {"pole": line.pole}
    if with_category:
        data["category"] = line.category
    data.update(
        {
            "count": line.count,
            "amount": _amount(line.amount),
            "previous_count": line.previous_count,
            "previous_amount": _amount(line.previous_amount),
            "count_evolution_pct": _pct(line.count_evolution_pct),
            "amount_evolution_pct": _pct(line.amount_evolution_pct),
        }
    )
    if not with_category:
        data["comparable"] = line.comparable
        # What the key figure counts, as the report and the dashboard name it.
        data["measure"] = line.measure or None
        data["summed"] = line.summed
        data["left_out"] = line.left_out
    return data


def _line_schema(name: str, with_category: bool):
    fields = {"pole": serializers.CharField()}
    if with_category:
        fields["category"] = serializers.CharField()
    fields.update(
        {
            "count": serializers.IntegerField(allow_null=True),
            "amount": serializers.DecimalField(14, 2, allow_null=True),
            "previous_count": serializers.IntegerField(allow_null=True),
            "previous_amount": serializers.DecimalField(14, 2, allow_null=True),
            "count_evolution_pct": serializers.FloatField(allow_null=True),
            "amount_evolution_pct": serializers.FloatField(allow_null=True),
        }
    )
    if not with_category:
        fields["comparable"] = serializers.BooleanField(
            help_text="false : le pôle n'a pas encore tous les chiffres de l'année précédente, "
            "ou l'année n'est pas terminée ; pas d'évolution"
        )
        fields["measure"] = serializers.CharField(
            allow_null=True,
            help_text="Ce que compte le chiffre clé du pôle, comme sur la page (« Domiciliations "
            "actives au 31 décembre », « Secours accordés (total) ») ; null : pas de chiffre clé "
            "(plusieurs catégories propres au CCAS ou au CIAS, rien ne dit qu'elles comptent la "
            "même chose), `count` et `amount` sont alors null",
        )
        fields["summed"] = serializers.BooleanField(
            help_text="true : le chiffre clé est le total des catégories du pôle qui comptent la "
            "même chose ; false : une seule catégorie"
        )
        fields["left_out"] = serializers.ListField(
            child=serializers.CharField(),
            help_text="Pour un total : les catégories de l'année qui n'y entrent pas (une autre "
            "unité, ou propres au CCAS ou au CIAS)",
        )
    return inline_serializer(name, fields, many=True)


REPORT_SCHEMA = inline_serializer(
    "ActivityReport",
    {
        "year": serializers.IntegerField(),
        "previous_year": serializers.IntegerField(),
        "figures": _line_schema("ActivityFigureLine", True),
        "totals": _line_schema("ActivityPoleTotal", False),
        "partial": serializers.BooleanField(
            help_text="true : année non terminée ou chiffres de l'année précédente pas encore "
            "saisis ; certaines évolutions sont alors absentes"
        ),
        "in_progress": serializers.BooleanField(help_text="true : l'année n'est pas terminée"),
        "missing": inline_serializer(
            "ActivityMissingFigure",
            {"pole": serializers.CharField(), "category": serializers.CharField()},
            many=True,
        ),
    },
)


class ActivityReportView(APIView):
    """One year's figures beside the year before, with totals per pole. Amounts are strings
    with two decimals (euros); evolutions are numbers with one decimal, null when the previous
    value is missing or zero, or when the two years are not comparable (`partial`: a year not
    over, `in_progress`; figures of the previous year not entered yet, `missing`, whose poles'
    totals are not `comparable`). Without `year`: the dashboard's year, the last complete one
    (over, with a counterpart for every figure of the year before), else the latest with
    figures."""

    permission_classes = [IsMemberOfHost]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False)],
        responses={
            200: REPORT_SCHEMA,
            404: OpenApiResponse(description="Aucun chiffre d'activité (sans `year`)"),
        },
    )
    def get(self, request):
        raw = request.query_params.get("year", "")
        asked = activity.read_year(raw)
        if raw and asked is None:
            return Response(
                {"detail": "Paramètre « year » invalide : une année, par exemple 2025."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        year = asked if raw else activity.dashboard_year()
        if year is None:
            return Response({"detail": "Aucun chiffre d'activité."}, status=404)
        report = activity.activity_report(year)
        return Response(
            {
                "year": report.year,
                "previous_year": report.previous_year,
                "figures": [_line(line, True) for line in report.figures],
                "totals": [_line(line, False) for line in report.totals],
                "partial": report.partial,
                "in_progress": report.in_progress,
                "missing": [
                    {"pole": pole, "category": category} for pole, category in report.missing
                ],
            }
        )


class ActivityImportView(APIView):
    """Multipart `file` (CSV or XLSX, columns année, pôle, catégorie, nombre, montant; the English
    year, pole, category, count, amount are accepted too). The whole file is checked first: 201
    {"imported": n}, or 400 {"errors": [{line, column, message}]} and nothing imported; `column`
    is the header as the file spells it (its French name when the column is missing)."""

    permission_classes = [IsMemberOfHost]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "ActivityImport", {"file": serializers.FileField()}
            )
        },
        responses={
            201: inline_serializer("ActivityImported", {"imported": serializers.IntegerField()}),
            400: IMPORT_ERRORS,
        },
    )
    def post(self, request):
        uploaded = request.FILES.get("file")
        if uploaded is None:
            return self._errors([ImportIssue(0, "file", "Joignez un fichier « file ».")])
        if uploaded.size > MAX_IMPORT_BYTES:
            return self._errors([ImportIssue(0, "file", "Le fichier dépasse 5 Mo.")])
        try:
            rows, errors = activity.parse_activity_file(uploaded.name, uploaded.read())
        except ValueError as error:
            return self._errors([ImportIssue(0, "file", str(error))])
        if errors:
            return self._errors(errors)
        imported = import_activity(request.tenant, rows, actor=request.user)
        return Response({"imported": imported.count}, status=status.HTTP_201_CREATED)

    @staticmethod
    def _errors(errors) -> Response:
        return Response(
            {"errors": [error.as_dict() for error in reported_issues(errors)]},
            status=status.HTTP_400_BAD_REQUEST,
        )

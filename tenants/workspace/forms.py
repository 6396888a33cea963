"""Forms of the member workspace (French labels; the writes go through services.py)."""

from pathlib import PurePath

from django import forms
from django.db import models
from django.db.models import F, Q
from django.forms import formset_factory
from django.utils import timezone
from django.utils.html import format_html

from tenants.models import Membership
from tenants.workspace import convocation_pdf
from tenants.workspace.activity import (
    FIRST_ACTIVITY_YEAR,
    TooLarge,
    activity_year_error,
    invalid_count_message,
    key_figure_name_error,
    latest_activity_year,
    parse_amount,
    parse_integer,
)
from tenants.workspace.compliance import BoardAuthorities, board_authorities, in_sentence
from tenants.workspace.meetings import (
    MAX_CONVOCATION_ATTACHMENTS_BYTES,
    Attendance,
    attendance_errors,
)
from tenants.workspace.models import (
    MAX_EXTENSION_LENGTH,
    ActivityFigure,
    BoardMandate,
    BoardMeeting,
    BoardMember,
    Document,
    MeetingAttendance,
    Profile,
    Service,
    validate_postal_code,
)
from tenants.workspace.services import (
    BOARD_MEMBER_FIELDS,
    MAX_DOCUMENT_BYTES,
    MEETING_FIELDS,
    PROFILE_FIELDS,
    mandate_errors,
    mandate_seat_errors,
    seat_clash_errors,
    seat_date_errors,
)
from tenants.workspace.uploads import ALLOWED_EXTENSIONS, accepted_formats, document_file_error
from union.formats import french_list, with_de
from union.stale_edits import CarriesVersion
from union.user_forms import address_fits_username

MAX_IMPORT_BYTES = 5 * 1024 * 1024
PUBLISHED_MARK = "Publié dans l'annuaire des membres"


def document_file_field(label: str = "Fichier") -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=f"20 Mo au plus. Formats acceptés : {accepted_formats()}.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{extension}" for extension in ALLOWED_EXTENSIONS)}
        ),
    )


def clean_document_file(uploaded):
    """The checks of a document's file (upload and replacement), French errors."""
    if uploaded.size > MAX_DOCUMENT_BYTES:
        raise forms.ValidationError("Le fichier dépasse 20 Mo.")
    # A long name is shortened when stored (models.fitting_file_name), but not its extension:
    # it says which program opens the file.
    extension = PurePath(uploaded.name).suffix[1:]
    if len(extension) > MAX_EXTENSION_LENGTH:
        raise forms.ValidationError(
            f"L'extension du nom du fichier (après le dernier point) compte "
            f"{len(extension)} caractères, {MAX_EXTENSION_LENGTH} au plus : renommez le "
            "fichier avant de le déposer."
        )
    if error := document_file_error(uploaded):
        raise forms.ValidationError(error)
    return uploaded


class DocumentDetailsForm(forms.Form):
    """What is said of a document: « Modifier », and the upload form's first fields."""

    title = forms.CharField(label="Titre", max_length=200)
    # Not required: a document filed without one goes to « Autres », as those filed before
    # categories existed.
    category = forms.ChoiceField(
        label="Catégorie",
        choices=Document.Category.choices,
        initial=Document.Category.OTHER,
        required=False,
    )
    document_date = forms.DateField(
        label="Date du document",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Facultative : date de la séance, de la signature ou de la publication.",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Facultative : ce que contient le document, à quoi il sert.",
    )

    def clean_category(self):
        return self.cleaned_data["category"] or Document.Category.OTHER


class DocumentForm(DocumentDetailsForm):
    file = document_file_field()

    def clean_file(self):
        return clean_document_file(self.cleaned_data["file"])


class DocumentReplaceForm(forms.Form):
    file = document_file_field("Nouveau fichier")

    def clean_file(self):
        return clean_document_file(self.cleaned_data["file"])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProfileForm(CarriesVersion, forms.ModelForm):
    class Meta:
        model = Profile
        fields = PROFILE_FIELDS
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{5}"}),
        }

    def __init__(self, *args, published: frozenset[str] | set[str] = frozenset(), **kwargs):
        """`published`: the fields the directory shows (services.published_profile_fields),
        marked in their help text, which their input is described by."""
        super().__init__(*args, **kwargs)
        for name in published:
            field = self.fields[name]
            field.help_text = format_html(
                '<span class="badge badge-public">{}</span>{}',
                PUBLISHED_MARK,
                format_html(" {}", field.help_text) if field.help_text else "",
            )

    version_labels = {"services": "Services"}

    def version_values(self, row: Profile) -> dict:
        """The profile's fields and its services (the page's formset): a colleague's change to
        either since the page was opened is not undone (union.stale_edits)."""
        values = super().version_values(row)
        values["services"] = [
            " – ".join(filter(None, (s.get_kind_display(), s.label, s.description)))
            for s in sorted(row.services.all(), key=lambda s: (s.kind, s.label, s.description))
        ]
        return values

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if code:
            # The board members' rule: five digits 0 to 9 (isdigit took « ² » for one).
            validate_postal_code(code)
        return code


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Service", choices=[("", "—")] + Service.Kind.choices, required=False
    )
    label = forms.CharField(label="Intitulé (si « Autre »)", max_length=100, required=False)
    description = forms.CharField(
        label="Description courte",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Service.Kind.OTHER and not data.get("label"):
            self.add_error("label", "Donnez un intitulé au service « Autre ».")
        if not data.get("kind") and (data.get("label") or data.get("description")):
            self.add_error("kind", "Choisissez le service décrit.")
        return data


class BaseServiceFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            kind = form.cleaned_data.get("kind")
            if kind and kind != Service.Kind.OTHER:
                if kind in seen:
                    raise forms.ValidationError(
                        f"Le service « {Service.Kind(kind).label} » figure deux fois."
                    )
                seen.add(kind)

    def services(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data.get("kind")]


ServiceFormSet = formset_factory(ServiceForm, formset=BaseServiceFormSet, extra=2, max_num=30)


class PublicationForm(forms.Form):
    name = forms.BooleanField(label="Publier le nom", required=False)
    services = forms.BooleanField(label="Publier les services et leur description", required=False)
    contact = forms.BooleanField(
        label="Publier les coordonnées (adresse, téléphone, courriel, site, horaires)",
        required=False,
    )


class MandateForm(forms.ModelForm):
    # Only when the mandate has seats: new dates must keep them within it, or move them with it
    # (services.mandate_seat_errors says why the director chooses).
    adjust_seats = forms.BooleanField(
        label="Ajuster les dates des membres du conseil",
        required=False,
        help_text="Un mandat qui commencerait avant la mandature commence avec elle ; un mandat "
        "qui finirait après elle finit avec elle.",
    )

    class Meta:
        model = BoardMandate
        fields = ["label", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}
        help_texts = {
            "start": "Le jour où le conseil est installé. Deux mandatures ne se chevauchent "
            "pas : celle-ci commence après la fin de la précédente.",
            "end": "Laissez vide tant que le conseil n'a pas été renouvelé.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read before the form copies the typed dates onto the instance.
        self.seats = list(self.instance.members.all()) if self.instance.pk else []
        if not self.seats:
            del self.fields["adjust_seats"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "La fin précède le début.")
        if start and not {"start", "end"} & set(self.errors):
            # Another mandate with this label, or on some of these days (services.mandate_errors).
            clash = mandate_errors(
                data.get("label", ""),
                start,
                end,
                BoardMandate.objects.all(),
                exclude=self.instance if self.instance.pk else None,
            )
            for name, message in clash.items():
                if name not in self.errors:
                    self.add_error(name, message)
        if start and not {"start", "end"} & set(self.errors):
            errors = mandate_seat_errors(
                self.seats, start, end, adjust=bool(data.get("adjust_seats"))
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return data


class FieldGroup:
    """Some of a form's visible fields, as includes/form_fields.html renders a form, for a
    fieldset of their own: without the hidden fields (the form's first include wrote them, and
    an id must not appear twice) nor the errors of the whole form (the summary says them)."""

    def __init__(self, fields: list):
        self.fields = fields

    def __bool__(self) -> bool:
        return bool(self.fields)

    def visible_fields(self) -> list:
        return self.fields

    def hidden_fields(self) -> list:
        return []

    def non_field_errors(self) -> list:
        return []


def postal_lines(text: str) -> str:
    """The street's lines as an address is written: one per line (a browser sends CR LF),
    without the spaces around them nor empty lines."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def postal_address_errors(street: str, postal_code: str, city: str) -> dict[str, str]:
    """French errors, by field, for a postal address begun but not complete: a letter goes out
    with the three or with none (the form and the member API)."""
    if not (street.strip() or postal_code or city.strip()):
        return {}
    missing = {
        "postal_address": "Indiquez le numéro et la voie (ou le lieu-dit).",
        "postal_code": "Indiquez le code postal : sans lui, La Poste ne distribue pas.",
        "city": "Indiquez la commune.",
    }
    given = {"postal_address": street.strip(), "postal_code": postal_code, "city": city.strip()}
    return {name: message for name, message in missing.items() if not given[name]}


class BoardMemberForm(CarriesVersion, forms.ModelForm):
    class Meta:
        model = BoardMember
        fields = BOARD_MEMBER_FIELDS
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "postal_address": forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
            "postal_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}
            ),
            "city": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "category": "Pour les membres nommés : la catégorie d'association représentée.",
            "end": "Laissez vide tant que la personne siège.",
            # The fieldset says it once for the three (templates/workspace/board_member_form.html).
            "postal_address": "Dans l'ordre de La Poste, une ligne chacun\u00a0: appartement, "
            "bâtiment ou résidence, puis numéro et voie (quatre lignes au plus).",
            "postal_code": "",
            "city": "",
        }
        labels = {
            "postal_address": "Adresse postale",
            "postal_code": "Code postal",
            "city": "Commune",
        }

    def __init__(
        self, *args, mandate: BoardMandate, authorities: BoardAuthorities | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.mandate = mandate
        # The seats as this member's board names them (a CIAS's: the EPCI's authorities).
        labels = (authorities or board_authorities()).seat_labels
        seat = self.fields["seat"]
        seat.choices = [(code, labels.get(code, label)) for code, label in seat.choices]
        if postal_code := self.fields.get("postal_code"):
            # « 93 140 » is read as typed (clean_postal_code joins it); the model's validator
            # then says in French what five digits are, rather than « 5 caractères au plus ».
            postal_code.validators = []
            postal_code.widget.attrs["maxlength"] = "6"

    postal_names = frozenset(BoardMember.POSTAL_FIELDS)

    @property
    def seat_fields(self) -> list:
        """The seat's fields; the address's come after them, in a fieldset (postal_part)."""
        return [field for field in self.visible_fields() if field.name not in self.postal_names]

    @property
    def postal_part(self) -> "FieldGroup":
        return FieldGroup(
            [field for field in self.visible_fields() if field.name in self.postal_names]
        )

    def clean_postal_address(self):
        return postal_lines(self.cleaned_data["postal_address"])

    def clean_postal_code(self):
        # Typed as people write it (« 93 140 »): La Poste reads the five digits together.
        return "".join(self.cleaned_data["postal_code"].split())

    def clean(self):
        data = super().clean()
        errors = postal_address_errors(
            data.get("postal_address", ""), data.get("postal_code", ""), data.get("city", "")
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        if data.get("seat") == BoardMember.Seat.APPOINTED and not data.get("category"):
            self.add_error("category", "Un membre nommé représente une catégorie d'association.")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "La fin du mandat précède son début.")
        for name, message in seat_date_errors(
            self.mandate, data.get("start"), data.get("end")
        ).items():
            if name not in self.errors:
                self.add_error(name, message)
        if not {"start", "end"} & set(self.errors):
            # The same person already seated on some of these days (services.seat_clash_errors).
            for name, message in seat_clash_errors(
                self.mandate,
                data.get("first_name", ""),
                data.get("last_name", ""),
                data.get("start"),
                data.get("end"),
                exclude=self.instance if self.instance.pk else None,
            ).items():
                self.add_error(name, message)
        return data


def reappointed_choice_label(seat: BoardMember, authorities: BoardAuthorities) -> str:
    """ "Nommé0 Asso0 – nommé(e) par le maire, Associations familiales (UDAF)": whom the box is
    for, and the seat they keep (named as `authorities`' board names it)."""
    parts = [in_sentence(authorities.seat_labels.get(seat.seat, seat.seat))]
    if seat.is_vice_president:
        parts.append("vice-président(e)")
    if seat.seat == BoardMember.Seat.APPOINTED and seat.category:
        parts.append(seat.get_category_display())
    return f"{seat.full_name} – {', '.join(parts)}"


class BoardRenewalForm(forms.Form):
    """« Renouveler le conseil »: the new mandate and who of the current board sits on it again.
    Clashes with other mandates and seats left outside are checked by services.renew_board
    (FieldErrors, put next to these fields by the view), in the same transaction as the write."""

    label = forms.CharField(label="Mandature", max_length=50, help_text="Par exemple : 2026-2032.")
    start = forms.DateField(label="Début", widget=DateInput())
    end = forms.DateField(
        label="Fin",
        required=False,
        widget=DateInput(),
        help_text="Laissez vide : elle se fixe au prochain renouvellement.",
    )
    reappointed = forms.MultipleChoiceField(
        label="Membres reconduits",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochez les membres du conseil actuel qui siègent dans le nouveau : ils y sont "
        "repris avec le même siège (et la même association) à partir du début de la nouvelle "
        "mandature. Les autres quittent le conseil avec la mandature actuelle. Le vice-président "
        "est élu par le nouveau conseil : corrigez-le ensuite au besoin.",
    )

    def __init__(
        self,
        *args,
        previous: BoardMandate,
        seats: list[BoardMember],
        authorities: BoardAuthorities | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.seats = {str(seat.pk): seat for seat in seats}
        authorities = authorities or board_authorities()
        # Plain text: the mandate's label is typed by the space's people (an agent's label
        # « <img onerror=…> » ran in the director's browser when this was marked safe).
        self.fields["start"].help_text = (
            "Le jour où le nouveau conseil d'administration est installé. La mandature "
            f"{previous.label} finit la veille (si elle n'a pas déjà pris fin)."
        )
        self.fields["reappointed"].choices = [
            (pk, reappointed_choice_label(seat, authorities)) for pk, seat in self.seats.items()
        ]
        if not seats:
            del self.fields["reappointed"]

    def clean_reappointed(self) -> list[BoardMember]:
        return [self.seats[pk] for pk in self.cleaned_data["reappointed"]]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "La fin précède le début.")
        return data


class ActivityFigureForm(CarriesVersion, forms.ModelForm):
    # Typed as people write numbers ("1 234", with a space or the no-break spaces that French
    # spreadsheets and this site write), parsed by the import's own parser, with its messages.
    count = forms.CharField(
        label="Nombre",
        required=False,
        help_text="Un entier, par exemple 1 234.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    # Typed as people write euros ("1 234,50"), parsed like the import does.
    amount = forms.CharField(
        label="Montant (€)",
        required=False,
        help_text="En euros, par exemple 1 234,50.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    class Meta:
        model = ActivityFigure
        fields = ["year", "pole", "category", "count", "amount"]
        widgets = {
            "pole": forms.TextInput(attrs={"list": "poles"}),
            "category": forms.TextInput(attrs={"list": "categories"}),
        }
        help_texts = {"pole": "Choisissez un pôle proposé ou saisissez le vôtre."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        # clean_year says the range in French; the model field's validators (0 to 32767) would
        # say Django's « Assurez-vous que cette valeur… » first for a year such as 99999.
        year.validators = []
        year.widget.attrs.update({"min": FIRST_ACTIVITY_YEAR, "max": self.max_year()})
        if self.instance.pk and self.instance.amount is not None and not self.is_bound:
            self.initial["amount"] = f"{self.instance.amount:.2f}".replace(".", ",")

    @staticmethod
    def max_year() -> int:
        return latest_activity_year()

    def clean_year(self):
        year = self.cleaned_data["year"]
        if error := activity_year_error(year, self.max_year()):
            raise forms.ValidationError(error)
        return year

    def clean_count(self):
        text = self.cleaned_data["count"].strip()
        if not text:
            return None
        try:
            return parse_integer(text)
        except TooLarge as error:
            raise forms.ValidationError(str(error)) from None
        except ValueError:
            raise forms.ValidationError(invalid_count_message(text)) from None

    def clean_amount(self):
        text = self.cleaned_data["amount"].strip()
        if not text:
            return None
        try:
            return parse_amount(text)
        except TooLarge as error:
            raise forms.ValidationError(str(error)) from None
        except ValueError:
            raise forms.ValidationError(
                "Montant invalide : des euros positifs, au plus deux décimales (ex. 1 234,50)."
            ) from None

    def clean(self):
        data = super().clean()
        pole, category = data.get("pole"), data.get("category")
        if pole and category and (refused := key_figure_name_error(pole, category)):
            self.add_error("category", refused)
        return data

    # Neither a count nor an amount: the model's CheckConstraint says so, in French, once.

    def validate_unique(self):
        # services.save_activity_figure compares spellings (case, accents) and says so in French.
        pass

    def validate_constraints(self):
        # Same for the unique (year, pole, category) constraint: Django's own sentence ("Un objet
        # Chiffre d'activité avec ces champs…") would say it first for an identical spelling.
        # Leaving "category" out skips that constraint and keeps the count-or-amount check.
        exclude = self._get_validation_exclusions() | {"category"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class ActivityImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV ou XLSX",
        help_text="Colonnes : année, pôle, catégorie, nombre, montant. Séparateur virgule ou "
        "point-virgule ; virgule ou point décimal ; 5 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("Le fichier dépasse 5 Mo.")
        if not uploaded.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError("Envoyez un fichier .csv ou .xlsx.")
        return uploaded


class InviteForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique", validators=[address_fits_username])
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    # Least privilege by default: without an initial value the browser selects the first choice,
    # « Directeur ou directrice », and a list left untouched would give full rights (the team,
    # publication to the directory). « Lecture seule » rather than « Agent »: an agent changes
    # the member's data, so entering it is a right the director grants on purpose; a wrong
    # reader costs nothing, and the role is changed in one click on this page.
    role = forms.ChoiceField(
        label="Rôle", choices=Membership.Role.choices, initial=Membership.Role.VIEWER
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=Membership.Role.choices)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(CarriesVersion, forms.ModelForm):
    """A séance and the presence of each member in office (`members`): for each, a list
    « presence_<pk> » and, for a member represented, « proxy_<pk> »: whom the proxy went to."""

    class Meta:
        model = BoardMeeting
        fields = MEETING_FIELDS
        widgets = {
            "date": DateInput(),
            "time": TimeInput(),
            "end_time": TimeInput(),
            "convened_on": DateInput(),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "convened_on": "Trois jours au moins avant la séance, avec l'ordre du jour.",
            "minutes": "Un document de l'espace de la catégorie « Conseil d'administration » : "
            "déposez-le d'abord dans Documents, puis choisissez-le ici.",
        }

    version_labels = {"attendance": "Présences"}

    def __init__(self, *args, members: list[BoardMember], seat_labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        self.seat_labels = seat_labels
        self._offer_board_documents()
        saved = {}
        if self.instance.pk:
            saved = {row.board_member_id: row for row in self.instance.attendance.all()}
        for member in members:
            row = saved.get(member.pk)
            self.fields[f"presence_{member.pk}"] = forms.ChoiceField(
                label=f"Présence {with_de(member.full_name)}",
                choices=[("", "Non renseigné")] + MeetingAttendance.Presence.choices,
                required=False,
                initial=row.presence if row else "",
            )
            self.fields[f"proxy_{member.pk}"] = forms.TypedChoiceField(
                label=f"Pouvoir {with_de(member.full_name)} donné à",
                choices=[("", "—")]
                + [(other.pk, other.full_name) for other in members if other.pk != member.pk],
                coerce=int,
                empty_value=None,
                required=False,
                initial=row.proxy_holder_id if row else "",
            )

    def _offer_board_documents(self) -> None:
        """The procès-verbal is chosen among the board's documents (the one already chosen
        stays offered if it was filed elsewhere since), the latest first, each with its date."""
        field = self.fields["minutes"]
        board = Q(category=Document.Category.BOARD)
        if self.instance.minutes_id:
            board |= Q(pk=self.instance.minutes_id)
        field.queryset = Document.objects.filter(board).order_by(
            F("document_date").desc(nulls_last=True), "title"
        )
        field.empty_label = "Aucun pour l'instant"
        field.label_from_instance = lambda document: (
            f"{document.title} ({document.document_date:%d/%m/%Y})"
            if document.document_date
            else document.title
        )

    @property
    def meeting_fields(self) -> list:
        return [self[name] for name in MEETING_FIELDS]

    @property
    def attendance_rows(self) -> list:
        """(member, seat label, presence field, proxy field) for the table of presences."""
        return [
            (
                member,
                self.seat_labels.get(member.seat, member.seat),
                self[f"presence_{member.pk}"],
                self[f"proxy_{member.pk}"],
            )
            for member in self.members
        ]

    def version_values(self, row) -> dict:
        values = super().version_values(row)
        values["attendance"] = sorted(
            (a.board_member_id, a.presence, a.proxy_holder_id) for a in row.attendance.all()
        )
        return values

    def attendance(self) -> dict[int, Attendance]:
        """The presences entered, by member pk (after is_valid)."""
        entered = {}
        for member in self.members:
            presence = self.cleaned_data.get(f"presence_{member.pk}")
            if presence:
                holder = self.cleaned_data.get(f"proxy_{member.pk}")
                entered[member.pk] = Attendance(presence, holder)
        return entered

    def clean(self):
        data = super().clean()
        day, convened_on = data.get("date"), data.get("convened_on")
        if day and convened_on and convened_on > day:
            self.add_error("convened_on", "La convocation est adressée avant la séance.")
        if error := end_time_error(data.get("time"), data.get("end_time")):
            self.add_error("end_time", error)
        names = {member.pk: member.full_name for member in self.members}
        for pk, message in attendance_errors(self.attendance(), names).items():
            self.add_error(f"proxy_{pk}", message)
        return data


def end_time_error(start, end) -> str:
    """Why a séance's end time is refused, in French, or ""."""
    if end is None:
        return ""
    if start is None:
        return "Indiquez d'abord l'heure de la séance : la fin se compte à partir d'elle."
    if end <= start:
        return "L'heure de fin suit l'heure de la séance (une séance se tient dans la journée)."
    return ""


# The convocation's cap (meetings.MAX_CONVOCATION_ATTACHMENTS_BYTES) as the page says it.
ATTACHMENTS_MO = MAX_CONVOCATION_ATTACHMENTS_BYTES // (1024 * 1024)


class PaperConvocationForm(forms.Form):
    """« Noter la convocation papier »: the day the letters were handed or posted and to whom
    (meetings.record_paper_convocation). `members`: those in office on the séance's day."""

    day = forms.DateField(
        label="Remise ou postée le", widget=DateInput(), initial=timezone.localdate
    )
    convened = forms.TypedMultipleChoiceField(
        label="Membres convoqués sur papier",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochés d'avance\u00a0: les membres sans adresse électronique.",
    )

    def __init__(self, *args, members: list[BoardMember], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {member.pk: member for member in members}
        field = self.fields["convened"]
        field.choices = [(member.pk, member.full_name) for member in members]
        # Those the letters « sans adresse » go to: not the président(e), who convenes.
        field.initial = [
            member.pk for member in convocation_pdf.letter_addressees(members, without_address=True)
        ]

    def chosen_members(self) -> list[BoardMember]:
        return [self.members[pk] for pk in self.cleaned_data["convened"]]


class ConvocationForm(forms.Form):
    """« Envoyer la convocation »: a short message of the sender's and documents of the space
    to attach (meetings.convene_board sends). `already_sent`: the convocation went before, so
    sending again is ticked on purpose."""

    message = forms.CharField(
        label="Message ajouté à la convocation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Facultatif : il suit la date et le lieu de la séance et précède l'ordre du jour.",
    )
    documents = forms.ModelMultipleChoiceField(
        label="Documents joints",
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Facultatif : documents de l'espace, « Conseil d'administration » "
        f"d'abord ({ATTACHMENTS_MO} Mo au plus en tout).",
    )
    again = forms.BooleanField(label="Envoyer de nouveau", required=False)

    def __init__(self, *args, already_sent: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The board's papers first (note explicative de synthèse, budget…), then the others.
        self.fields["documents"].queryset = Document.objects.order_by(
            models.Case(
                models.When(category=Document.Category.BOARD, then=models.Value(0)),
                default=models.Value(1),
            ),
            "-uploaded_at",
        )
        if not already_sent:
            del self.fields["again"]

    def clean_documents(self):
        documents = self.cleaned_data["documents"]
        # A row whose file is gone (a database restored without its media) would leave the
        # task failing after the séance was marked convened: refused here, by name.
        missing = [document.title for document in documents if document.file_size is None]
        if missing:
            raise forms.ValidationError(
                f"Fichier introuvable sur le serveur : {french_list(missing)}. Remplacez-le "
                "dans « Documents » ou ne le joignez pas."
            )
        total = sum(document.file_size for document in documents)
        if total > MAX_CONVOCATION_ATTACHMENTS_BYTES:
            weight = f"{total / 1024 / 1024:.1f}".replace(".", ",")
            raise forms.ValidationError(
                f"Les documents choisis pèsent {weight} Mo : {ATTACHMENTS_MO} Mo au plus en tout, "
                "au-delà les messageries les refusent. Envoyez les plus lourds autrement."
            )
        return documents

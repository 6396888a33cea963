"""Forms of seminars: the public registration form (also behind the API) and the organiser's forms."""

import unicodedata

from django import forms
from django.contrib.postgres.lookups import Unaccent
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, Lower, Replace
from django.forms.boundfield import BoundField

from seminars.evaluations import COMMENTS, QUESTIONS
from seminars.fonctions import typed_fonction
from seminars.models import (
    Fonction,
    Rating,
    Registration,
    atelier_slot,
    slots_need_date,
    with_taken,
)
from seminars.phones import PhoneField
from seminars.services import (
    ATELIER_WAITING_GROUP,
    PRESENT_GROUP,
    CommuneResolution,
    RegistrationData,
    RegistrationError,
    atelier_full_error,  # the services' own refusal of a full atelier, word for word
    check_atelier_choice,
    edit_commune_text,
    find_registration,
    message_recipients,
    registration_edit_values,
    resolve_commune,
)
from tenants.fields import AreaHintField
from tenants.matching import INSEE_CODE
from union.formats import long_date, plural
from union.mail import OWN_GREETING_RULE
from union.stale_edits import carry_version
from union.submit_once import new_form_id


class AtelierCheckboxes(forms.CheckboxSelectMultiple):
    """The ateliers' checkboxes; those in `disabled_values` (full ateliers) cannot be checked.

    Only a help for the person: the services refuse a full atelier whatever is posted."""

    disabled_values: frozenset = frozenset()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.disabled_values:
            option["selected"] = False
            option["attrs"].pop("checked", None)
            option["attrs"]["disabled"] = True
        return option


class AtelierBoundField(BoundField):
    """The ateliers' group, with `error_anchor`: where the error summary's link leads (the first
    box that can be checked: Django's `<id>_0` may be a full atelier's disabled box, which
    cannot take the focus; the group itself when every box is disabled)."""

    @property
    def error_anchor(self) -> str:
        if not self.auto_id:
            return ""
        disabled = self.field.widget.disabled_values
        for index, (value, _label) in enumerate(self.field.choices):
            if value not in disabled:
                return f"{self.auto_id}_{index}"
        return f"{self.auto_id}_group"


class AtelierChoiceField(forms.TypedMultipleChoiceField):
    bound_field_class = AtelierBoundField


class WaitingListField(AtelierChoiceField):
    """The full ateliers offered (`choices`), any atelier of the event accepted (`accepted`, ids
    as posted): one that found room between the page and the post is not refused as an unknown
    choice. Registering, it is given at once (services._join_waiting_lists); in an organiser's
    edit, the service refuses it in French, to be added to her ateliers instead
    (services._check_atelier_waits)."""

    accepted: frozenset = frozenset()

    def valid_value(self, value) -> bool:
        return str(value) in self.accepted or super().valid_value(value)


class CommuneBoundField(BoundField):
    """The commune, whose error, when its suggestions are asked about (confirm_commune), leads
    the error summary to the first of them: the answer is expected there."""

    @property
    def error_anchor(self) -> str:
        if getattr(self.form, "commune_to_confirm", False):
            return f"{self.form['commune_choice'].auto_id}_0"
        return ""


class CommuneField(forms.CharField):
    bound_field_class = CommuneBoundField


NEEDS_LIMIT = 1000


def needs_field(**kwargs) -> forms.CharField:
    """« Besoins particuliers », on the registration forms and the personal page (NeedsForm)."""
    return forms.CharField(
        **{
            "label": "Besoins particuliers (accessibilité, régime alimentaire)",
            "required": False,
            "max_length": NEEDS_LIMIT,
            "widget": forms.Textarea(attrs={"rows": 3}),
            "error_messages": {
                "max_length": "Au plus 1 000 caractères (actuellement %(show_value)s) : "
                "résumez l'essentiel, l'équipe de l'union pourra reprendre contact."
            },
            **kwargs,
        }
    )


class CommuneStepForm(forms.Form):
    """A commune typed by a person, matched, and asked about when not recognised but close to
    official ones (« Vouliez-vous dire : », confirm_commune): the registration form's commune
    (the event page, the API, the forms filled in for someone else) and the personal page's
    « Corriger ma commune » (CommuneCorrectionForm). After `is_valid()`, `commune_resolution`
    is what to register."""

    commune = CommuneField(
        label="Commune",
        max_length=200,
        help_text="La commune que vous représentez (nom ou code INSEE).",
    )
    # The second step for a commune not recognised (confirm_commune): the matcher's suggestions
    # and « keep it as typed », for the text in `commune_checked`.
    commune_choice = forms.CharField(
        label="Vouliez-vous dire :", required=False, widget=forms.RadioSelect
    )
    commune_checked = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, suggest_communes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggest_communes = suggest_communes
        if not suggest_communes:
            del self.fields["commune_choice"], self.fields["commune_checked"]
        self.commune_resolution = None
        self.commune_to_confirm = False

    def check_commune(self, cleaned: dict) -> None:
        """Match the commune typed (call from clean()); with `suggest_communes`, ask about it
        when it is not recognised but resembles official communes."""
        if cleaned.get("commune"):
            self.commune_resolution = self.match_commune(cleaned)
            if self.suggest_communes:
                self.confirm_commune(cleaned)

    def match_commune(self, cleaned: dict) -> CommuneResolution:
        # The organiser's form has a hint field (ManualRegistrationForm); the public one not.
        return resolve_commune(cleaned["commune"], cleaned.get("hint"))

    def confirm_commune(self, cleaned: dict) -> None:
        """A commune not recognised but close to official ones (« Aulnay sous bios ») is not
        saved at once: the form comes back, everything typed kept, asking « Vouliez-vous dire : »
        with the suggestions and « keep it as typed ». The answer counts for the text it was
        asked about (`commune_checked`): a commune typed again is matched again. A suggestion
        chosen registers that commune (its INSEE code), the typed text kept beside it; « keep »
        registers it flagged, for the organisers to check."""
        resolution = self.commune_resolution
        if resolution.code or not resolution.suggestions:
            return
        typed = cleaned["commune"]
        suggested = {s["code"]: s["nom"] for s in resolution.suggestions}
        self.fields["commune_choice"].widget.choices = [
            *((code, f"{nom} ({departement_of(code)})") for code, nom in suggested.items()),
            (KEEP_TYPED, f"Garder « {typed} » tel que saisi"),
        ]
        choice = cleaned.get("commune_choice")
        if cleaned.get("commune_checked") == typed:
            if choice == KEEP_TYPED:
                return
            if choice in suggested:
                self.commune_resolution = CommuneResolution(
                    choice, Registration.CommuneStatus.MATCHED, typed
                )
                return
        # Asked now, or asked about another text: the answer is for this one.
        data = self.data.copy()
        data["commune_checked"] = typed
        if cleaned.get("commune_checked") != typed:
            data.pop("commune_choice", None)
        self.data = data
        self.commune_to_confirm = True
        self.add_error(
            "commune",
            f"Nous n'avons pas reconnu la commune « {typed} » : choisissez l'une des communes "
            "proposées, ou gardez votre saisie (l'équipe de l'union la vérifiera).",
        )


class RegistrationForm(CommuneStepForm):
    """The rules of a registration, shared by the portal form and the API."""

    # The commune's fields come first in CommuneStepForm: shown after the e-mail.
    field_order = [
        "nom",
        "prenom",
        "email",
        "phone",
        "commune",
        "commune_choice",
        "commune_checked",
    ]

    # What « Autre » asks for: the person fills in the public form, someone else the others.
    # Not « Précisez votre fonction. »: the error summary writes « label : message », which
    # then said it twice.
    fonction_missing = "À écrire, puisque vous avez choisi « Autre »."
    fonction_autre_label = "Précisez votre fonction (si « Autre »)"

    # autocomplete: browsers fill in the person's own details (WCAG 1.3.5).
    nom = forms.CharField(
        label="Nom",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    prenom = forms.CharField(
        label="Prénom",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Vous y recevrez la confirmation et un lien pour gérer votre inscription.",
    )
    phone = PhoneField(
        help_text="Pour que l'équipe de l'union puisse vous joindre le jour de l'événement (un "
        "retard, un changement de salle) ; seuls les organisateurs le voient."
    )
    fonction = forms.ChoiceField(label="Fonction", choices=[("", "Choisissez…"), *Fonction.choices])
    fonction_autre = forms.CharField(label=fonction_autre_label, max_length=200, required=False)
    ateliers = AtelierChoiceField(
        label="Ateliers",
        coerce=int,
        required=False,
        widget=AtelierCheckboxes,
        help_text="Deux ateliers qui ont lieu en même temps ne peuvent pas être choisis ensemble.",
    )
    # The full ateliers, on the portal's form while the event has seats (removed from the
    # others; without a full atelier its group is not shown).
    ateliers_waiting = WaitingListField(
        label="Liste d'attente d'un atelier complet",
        coerce=int,
        required=False,
        widget=AtelierCheckboxes,
        help_text="Facultatif. Vous gardez les ateliers choisis ci-dessus ; si une place se "
        "libère dans l'atelier coché ici, elle vous est donnée (à la place de l'atelier choisi au "
        "même moment) et nous vous l'écrivons.",
    )
    # Limited here, for the page and the API alike (the column is a text without limit): a few
    # lines are enough to tell the team, and a 40,000-character text would go on every badge
    # list and export.
    needs = needs_field()
    consent = forms.BooleanField(
        label="J'accepte de figurer dans la liste des participants publiée avec les actes "
        "(nom, prénom, commune, fonction).",
        required=False,
    )

    def __init__(
        self,
        *args,
        seminar,
        atelier_labels: bool = True,
        seat_counts: bool = True,
        disable_full: bool = False,
        suggest_communes: bool = False,
        **kwargs,
    ):
        """`disable_full` (the portal's form): a full atelier cannot be checked while the event
        has seats (the registration would be refused); when the event is full, the person goes
        to the waiting list with any atelier, so none is disabled.

        `suggest_communes` (the portal's form): a commune not recognised that resembles official
        ones is asked about before anything is saved (confirm_commune). The API and the forms
        filled in for someone else keep it as typed and flagged.

        With `atelier_labels`, `ateliers_shown` is the event's `ateliers_with_seats`, for the
        page's table of ateliers to give the same seats without counting them again."""
        super().__init__(*args, suggest_communes=suggest_communes, **kwargs)
        self.seminar = seminar
        self.ateliers_shown = None
        self.fields["fonction_autre"].label = self.fonction_autre_label
        waiting = self.fields["ateliers_waiting"]
        if atelier_labels:  # shown to a person: times, room and seats left
            ateliers = self.ateliers_shown = ateliers_with_seats(seminar, counts=seat_counts)
            choices = atelier_choices(seminar, ateliers=ateliers)
            offers_lists = disable_full or self.offers_waiting_lists
            full = full_atelier_ids(ateliers) if offers_lists else set()
            # With no seat left in the event, the person waits for it with any atelier: a full
            # atelier is refused only while it has seats (a query only when one is full).
            event_has_seats = bool(full) and seminar.seats_left() > 0
            offered = self.waiting_lists_offered(full, event_has_seats) if offers_lists else set()
            if disable_full and event_has_seats:
                self.fields["ateliers"].widget.disabled_values = frozenset(full)
                # Said where the box cannot be ticked: what to do instead, and later.
                self.fields["ateliers"].help_text += (
                    FULL_ATELIER_HELP if offered else FULL_ATELIER_HELP_AFTER_CUT_OFF
                )
            waiting.choices = [(pk, label) for pk, label in choices if pk in offered]
            waiting.accepted = frozenset(str(pk) for pk, _ in choices)
            keep_waiting = offers_lists
        else:  # the API: the ids are only checked; without ateliers, nothing to check, no query
            keep_waiting = "ateliers_waiting" in self.data
            wanted = keep_waiting or self.data.get("ateliers")
            choices = list(seminar.ateliers.values_list("pk", "title")) if wanted else []
            waiting.choices = choices
        self.fields["ateliers"].choices = choices
        if not choices:
            del self.fields["ateliers"]
        if not (keep_waiting and choices):
            del self.fields["ateliers_waiting"]

    # Whether the form offers the atelier waiting lists: the organisers' add and edit do (the
    # portal's and a member's through `disable_full`).
    offers_waiting_lists = False

    def waiting_lists_offered(self, full: set[int], event_has_seats: bool) -> set[int]:
        """The ateliers whose waiting list the form offers: the full ones while the event has
        seats (with none, the person waits for the event itself, with any atelier), until the
        cut-off: after it nobody is moved (services.give_freed_atelier_seats)."""
        return full if event_has_seats and self.seminar.changes_open() else set()

    def clean(self):
        cleaned = super().clean()
        # A text refused already (too long) is not missing: one error, not two that disagree.
        if (
            cleaned.get("fonction") == Fonction.AUTRE
            and not cleaned.get("fonction_autre")
            and "fonction_autre" not in self.errors
        ):
            self.add_error("fonction_autre", self.fonction_missing)
        self.check_commune(cleaned)
        try:
            check_atelier_choice(self.seminar, cleaned.get("ateliers") or [])
        except RegistrationError as error:
            self.add_registration_errors(error)
        return cleaned

    def add_registration_errors(self, error: RegistrationError) -> None:
        for name, messages in error.errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def to_data(self) -> RegistrationData:
        cleaned = self.cleaned_data
        return RegistrationData(
            nom=cleaned["nom"],
            prenom=cleaned["prenom"],
            email=cleaned["email"],
            commune=self.commune_resolution,
            fonction=cleaned["fonction"],
            # The typed text is kept: "autre", or a label the API mapped to its code.
            fonction_text=cleaned.get("fonction_autre", ""),
            atelier_ids=cleaned.get("ateliers") or [],
            # None without the field (a PATCH that does not send it): her lists are kept.
            waiting_atelier_ids=cleaned.get("ateliers_waiting")
            if "ateliers_waiting" in self.fields
            else None,
            needs=cleaned.get("needs", ""),
            consent=cleaned.get("consent", False),
            phone=cleaned.get("phone", ""),
        )


# The value of « Garder « … » tel que saisi » among the suggested communes' INSEE codes.
KEEP_TYPED = "saisie"


FULL_ATELIER_HELP = (
    " Un atelier « complet » ne peut plus être choisi : choisissez-en un autre sur le "
    "même créneau, ou inscrivez-vous sans lui, et placez-vous sur sa liste d'attente (ci-dessous, "
    "ou plus tard depuis votre page d'inscription) : si une place s'y libère, elle vous est "
    "donnée et nous vous l'écrivons."
)
# Registrations may stay open after the cut-off of changes, when the lists no longer move.
FULL_ATELIER_HELP_AFTER_CUT_OFF = (
    " Un atelier « complet » ne peut plus être choisi : choisissez-en un autre sur le "
    "même créneau, ou inscrivez-vous sans lui."
)


def departement_of(code: str) -> str:
    """The département of a commune's INSEE code: « 93 », « 2A », « 971 » (overseas: three)."""
    return code[:3] if code.startswith("97") else code[:2]


def ateliers_with_seats(seminar, *, counts: bool = True) -> list:
    """The event's ateliers in starting order with their confirmed count ("taken") and the seats
    left ("left"), in one query.

    Without `counts` (a preview, a past event), or when the ateliers are in memory (a revision, a
    page being previewed: modelcluster's FakeQuerySet cannot annotate), `taken` and `left` are
    None: no seat count."""
    ateliers = seminar.ateliers.all()
    if counts and seminar.pk is not None and isinstance(ateliers, QuerySet):
        ateliers = list(with_taken(ateliers))
    else:
        ateliers = list(ateliers.order_by("starts_at", "sort_order"))
        for atelier in ateliers:
            atelier.taken = None
    for atelier in ateliers:
        atelier.left = None if atelier.taken is None else max(0, atelier.seats - atelier.taken)
    return ateliers


def full_atelier_ids(ateliers: list) -> set[int]:
    """Among `ateliers_with_seats`, those with no seat left (none when not counted)."""
    return {a.pk for a in ateliers if a.taken is not None and a.taken >= a.seats}


def atelier_choices(seminar, *, seat_counts: bool = True, ateliers: list | None = None) -> list:
    if ateliers is None:
        ateliers = ateliers_with_seats(seminar, counts=seat_counts)
    with_date = slots_need_date(seminar, ateliers)
    return [(atelier.pk, atelier_label(atelier, with_date)) for atelier in ateliers]


def atelier_label(atelier, with_date: bool = False) -> str:
    """« Atelier A – 9 h – 11 h, salle 2 (3 places disponibles) »: the seats left, said so (« 3
    places » read as the atelier's size); the date too on a multi-day event."""
    room = f", {atelier.room}" if atelier.room else ""
    availability = ""
    if atelier.left is not None:
        left = atelier.left
        availability = (
            f" ({plural(left, 'place disponible', 'places disponibles')})" if left else " (complet)"
        )
    return f"{atelier.title} – {atelier_slot(atelier, with_date)}{room}{availability}"


class OnBehalfRegistrationForm(RegistrationForm):
    """Someone registers another person, who may have no e-mail address known to them."""

    fonction_missing = "À écrire, puisque la fonction choisie est « Autre »."
    fonction_autre_label = "Précisez la fonction (si « Autre »)"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        self.fields[
            "email"
        ].help_text = "Facultatif. Sans e-mail, aucune confirmation n'est envoyée."
        self.fields[
            "commune"
        ].help_text = "La commune que la personne représente (nom ou code INSEE)."
        self.fields["phone"].help_text = (
            "Facultatif : pour joindre la personne le jour de l'événement ; seuls les "
            "organisateurs le voient."
        )
        if "ateliers_waiting" in self.fields:  # a member's form, the organisers' add
            self.fields["ateliers_waiting"].help_text = (
                "Facultatif. La personne garde les ateliers choisis ci-dessus ; si une place se "
                "libère dans l'atelier coché ici, elle lui est donnée (à la place de l'atelier "
                "choisi au même moment), et un e-mail le lui dit si elle a une adresse."
            )
        if "consent" in self.fields:
            # The organiser records what the person said (by e-mail, on a paper form).
            self.fields["consent"].label = (
                "La personne accepte de figurer dans la liste des participants publiée avec les "
                "actes (nom, prénom, commune, fonction)."
            )


class MemberRegistrationForm(OnBehalfRegistrationForm):
    """A member CCAS registers someone (usually of its commune). Nobody consents to the
    published list of participants for someone else: the person does it from their personal
    page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent"]
        # The person gives it herself, on her personal page, or to the organisers.
        del self.fields["phone"]


class ManualRegistrationForm(OnBehalfRegistrationForm):
    """The organiser adds someone: e-mail optional, commune hint allowed. « Présent(e)
    maintenant »: someone who turns up at the door, confirmed even beyond the seats and checked
    in (services.register_at_the_door)."""

    offers_waiting_lists = True
    hint = AreaHintField(label="Département ou région (facultatif)")
    # The hint beside the commune it helps read, not after the consent box.
    field_order = [*RegistrationForm.field_order[:5], "hint", *RegistrationForm.field_order[5:]]
    present_now = forms.BooleanField(
        label="Présent(e) maintenant : confirmer et émarger",
        required=False,
        help_text="Pour une personne arrivée à l'accueil : son inscription est confirmée, même "
        "au-delà de la jauge si l'événement est complet (la page le dira), et sa présence émargée.",
    )

    def clean(self):
        cleaned = super().clean()
        if "ateliers" in self.fields and "ateliers" not in self.errors:
            self.check_atelier_seats(cleaned)
        return cleaned

    def check_atelier_seats(self, cleaned: dict) -> None:
        """A full atelier refused with the form's other errors, not on a second submit once they
        are corrected (audit of session 31). A courtesy, on the seats counted for the labels'
        « (complet) »: the services' count under the event's lock stays the rule, and they
        refuse only what they would (register_person, update_registration): a new atelier for
        someone confirmed, or for someone new while the event has seats (with none left, she
        waits, for any atelier). An atelier the person holds is never full for her. The API's
        edit form counts no seats (atelier_labels=False): the service answers alone."""
        chosen = set(cleaned.get("ateliers") or [])
        if not chosen or self.ateliers_shown is None:
            return
        registration = self.registration_updated(cleaned)
        status = registration.status if registration is not None else None
        if status == Registration.Status.WAITLISTED:
            return
        held = set()
        if status == Registration.Status.CONFIRMED:
            held = set(registration.ateliers.values_list("pk", flat=True))
        elif self.seminar.seats_left() <= 0:
            return
        full = full_atelier_ids(self.ateliers_shown) & (chosen - held)
        if full:
            ateliers = [atelier for atelier in self.ateliers_shown if atelier.pk in full]
            self.add_registration_errors(atelier_full_error(self.seminar, ateliers))

    def registration_updated(self, cleaned: dict) -> Registration | None:
        """The registration the add would update, as register_person finds it
        (services.find_registration): the same address, or without one the same name and
        commune."""
        email = (cleaned.get("email") or "").strip().lower()
        nom, prenom = (cleaned.get("nom") or "").strip(), (cleaned.get("prenom") or "").strip()
        resolution = self.commune_resolution
        if not email and not (nom and prenom and resolution):
            return None
        typed = resolution.typed if resolution else ""
        return find_registration(
            self.seminar, email=email, nom=nom, prenom=prenom, commune_typed=typed
        )


class EditRegistrationForm(ManualRegistrationForm):
    """The organiser corrects a registration: the manual add's fields and rules, filled in with
    what is registered (`registration_edit_values`). The API's PATCH binds it with those values and the
    fields sent."""

    def __init__(self, *args, registration: Registration, **kwargs):
        kwargs.setdefault("initial", registration_edit_values(registration))
        self.registration = registration  # before the fields: waiting_lists_offered reads it
        super().__init__(*args, **kwargs)
        del self.fields["present_now"]  # the add's; checking in is the list's button
        if "ateliers_waiting" in self.fields:
            self.fields["ateliers_waiting"].help_text = (
                "Facultatif. Cochez un atelier pour placer la personne sur sa liste d'attente "
                "(en dernière position), décochez-le pour l'en retirer. Si une place s'y libère, "
                "elle lui est donnée à la place de l'atelier choisi au même moment, et un e-mail "
                "le lui dit si elle a une adresse."
                if self.seminar.changes_open()
                else "Depuis la date limite des modifications, une place libérée n'est plus "
                "donnée d'office : décochez un atelier pour retirer la personne de sa liste."
            )
        self.fields["email"].help_text = (
            "Facultatif. La personne reçoit à cette adresse l'e-mail « Inscription mise à "
            "jour » avec son lien personnel ; un lien reçu à une adresse remplacée ne fonctionne "
            "plus."
        )
        typed = typed_fonction(registration)
        if typed:
            # The fonction was read from this text (an import, the API): shown, so that a wrong
            # reading is seen and corrected.
            self.fields["fonction"].help_text = (
                f"Fonction saisie : « {typed} ». Si la fonction retenue ne convient pas, "
                "choisissez-en une autre, ou « Autre » en précisant la fonction."
            )

    def registration_updated(self, cleaned: dict) -> Registration:
        return self.registration

    def waiting_lists_offered(self, full: set[int], event_has_seats: bool) -> set[int]:
        """A confirmed person's lists, whether or not the event has seats: those she waits for,
        and until the cut-off the full ateliers she does not hold (after it nobody is moved:
        her lists can only be left). Nothing for someone waiting for the event itself: she may
        choose any atelier."""
        if self.registration.status != Registration.Status.CONFIRMED:
            return set()
        values = self.initial
        offered = set(values.get("ateliers_waiting", ()))
        if self.seminar.changes_open():
            offered |= full
        return offered - set(values.get("ateliers", ()))

    def carry_version(self) -> None:
        """The admin's form carries the version of what it shows (union.stale_edits): a save
        after the person, or another organiser, changed the registration is refused. The
        API's PATCH, without it, is not checked."""
        carry_version(self, registration_edit_values(self.registration))

    def match_commune(self, cleaned: dict) -> CommuneResolution:
        """A commune left as shown keeps its match, or its flag (commune_left_as_shown). A hint
        asks for a new match."""
        kept = commune_left_as_shown(self.registration, cleaned["commune"])
        if kept is not None and not cleaned.get("hint"):
            return kept
        return super().match_commune(cleaned)


class CommuneCorrectionForm(CommuneStepForm):
    """The registrant's « Corriger ma commune » (« Modifier ma commune » once recognised) on
    their personal page: the event page's matcher and « Vouliez-vous dire : » step
    (CommuneStepForm), filled in with the commune as registered. services.correct_commune
    saves `commune_resolution`."""

    def __init__(self, *args, registration: Registration, **kwargs):
        kwargs.setdefault("initial", {"commune": edit_commune_text(registration)})
        super().__init__(*args, suggest_communes=True, **kwargs)
        self.registration = registration
        self.fields["commune"].error_messages["required"] = (
            "Indiquez votre commune : son nom ou son code INSEE."
        )

    def clean(self):
        cleaned = super().clean()
        self.check_commune(cleaned)
        return cleaned

    def match_commune(self, cleaned: dict) -> CommuneResolution:
        """Left as shown, the commune keeps its match or its flag (commune_left_as_shown); a
        flagged one left as shown is asked about again with its suggestions."""
        kept = commune_left_as_shown(self.registration, cleaned["commune"])
        return kept if kept is not None else super().match_commune(cleaned)


def commune_left_as_shown(registration: Registration, typed: str) -> CommuneResolution | None:
    """The registration's commune as it is when `typed` is what the forms show of it
    (edit_commune_text), else None. Matched again, a commune that an organiser resolved by
    its INSEE code (« Communes à vérifier ») would be flagged once more, and a homonym chosen
    with a hint would move."""
    if typed != edit_commune_text(registration):
        return None
    return current_commune(registration)


def current_commune(registration: Registration) -> CommuneResolution:
    return CommuneResolution(
        registration.commune_id,
        registration.commune_status,
        registration.commune_typed,
        registration.commune_suggestions,
    )


class NeedsForm(forms.Form):
    """The registrant's « Mes besoins particuliers » on their personal page (services.set_needs):
    the one place where they are changed or removed, registering again with the field left
    blank keeps them."""

    needs = needs_field(
        help_text="Accessibilité, régime alimentaire… : seuls les organisateurs le lisent. "
        "Laissez vide pour les retirer."
    )


class ResendLinkForm(forms.Form):
    """ "Lost your link?": the address a new link goes to, if it is registered."""

    email = forms.EmailField(
        label="Adresse e-mail utilisée à l'inscription",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Saisissez une adresse e-mail valide.",
            "invalid": "Saisissez une adresse e-mail valide.",
        },
    )


class FindRegistrationsForm(ResendLinkForm):
    """« Retrouver mes inscriptions »: the address whose registrations to come are e-mailed, with
    their personal links, if it has any."""


class ManageAteliersForm(forms.Form):
    ateliers = AtelierChoiceField(
        label="Mes ateliers", coerce=int, required=False, widget=AtelierCheckboxes
    )

    def __init__(self, *args, seminar, registration=None, **kwargs):
        """A confirmed registrant cannot check a full atelier, except one they hold a seat in
        (change_ateliers refuses the others); someone waiting may wait for any atelier."""
        super().__init__(*args, **kwargs)
        # With their seats: the page's « Listes d'attente des ateliers » reads them too.
        ateliers = self.ateliers_shown = ateliers_with_seats(seminar)
        self.fields["ateliers"].choices = atelier_choices(seminar, ateliers=ateliers)
        if registration is not None and registration.status == Registration.Status.CONFIRMED:
            held = set(registration.ateliers.values_list("pk", flat=True))
            self.fields["ateliers"].widget.disabled_values = frozenset(
                full_atelier_ids(ateliers) - held
            )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV ou XLSX",
        # The import page lists the columns above the form (templates/seminars/admin/import.html).
        help_text="Ses colonnes sont décrites ci-dessus (« Colonnes attendues »).",
    )
    hint = AreaHintField(
        label="Département ou région par défaut (facultatif)",
        help_text="Aide à reconnaître les communes homonymes : un code (93) ou un nom "
        "(Seine-Saint-Denis). Une colonne Département ou Région du fichier l'emporte.",
    )


class CancelEventForm(forms.Form):
    """« Annuler l'événement »: the organiser's words to the people registered, which their
    e-mail, the event's page and its calendar entry carry (services.cancel_event)."""

    message = forms.CharField(
        label="Motif, et ce que vous proposez (report, autre date)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Facultatif. Chaque personne inscrite le lit dans son e-mail « Événement annulé », et il figure sur la page de l'événement.",
    )


class EmailRegistrantsForm(forms.Form):
    """The organiser's message: to the confirmed people and/or those waiting, or, once the event
    has started, to those who came (« Présents »); or only to one atelier's; or, first, a test to
    the organiser alone."""

    subject = forms.CharField(label="Objet", max_length=200)
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 8}),
        # The e-mail adds the greeting and the personal link (organiser_message.txt); the rule
        # for a message with its own greeting is the union's messages' (union.mail).
        help_text="Chaque e-mail commence par « Bonjour Prénom Nom, » et se termine par le lien "
        "personnel de la personne : écrivez le message sans formule d'appel. " + OWN_GREETING_RULE,
    )
    statuses = forms.MultipleChoiceField(
        label="Destinataires",
        choices=[
            (Registration.Status.CONFIRMED, "Inscriptions confirmées"),
            (Registration.Status.WAITLISTED, "Liste d'attente"),
            (PRESENT_GROUP, "Présents (personnes émargées)"),
            (ATELIER_WAITING_GROUP, "Listes d'attente des ateliers"),
        ],
        initial=[Registration.Status.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Cochez au moins un groupe de destinataires, les inscriptions "
            "confirmées par exemple."
        },
    )
    atelier = forms.TypedChoiceField(
        label="Atelier",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Pour écrire seulement aux personnes inscrites à un atelier (changement de "
        "salle, document à préparer) ; avec « Listes d'attente des ateliers », à celles de sa "
        "liste d'attente.",
        error_messages={"invalid_choice": "Cet atelier n'existe pas ou plus dans l'événement."},
    )
    # Made when the form is rendered: the same form posted twice sends once (union.submit_once).
    form_id = forms.CharField(required=False, widget=forms.HiddenInput, initial=new_form_id)
    test = forms.BooleanField(
        label="M'envoyer un test",
        required=False,
        help_text="Le message part seulement à votre adresse, tel qu'une personne destinataire "
        "le recevra, pour le relire : rien n'est envoyé aux inscrits.",
    )

    def __init__(self, *args, seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        groups = self.fields["statuses"]
        ateliers = list(seminar.ateliers.order_by("starts_at", "sort_order"))
        # Nobody came before the start, and the atelier lists serve until then: a box not shown
        # is refused by clean_statuses if posted.
        self.unoffered = {ATELIER_WAITING_GROUP} if seminar.has_started() or not ateliers else set()
        if seminar.has_started():
            groups.help_text = (
                "« Présents » : les personnes émargées (pour écrire que les actes sont en ligne) ; "
                "avec un atelier choisi, celles marquées présentes à cet atelier."
            )
        else:
            self.unoffered.add(PRESENT_GROUP)
            if ateliers:
                groups.help_text = (
                    "« Listes d'attente des ateliers » : les personnes confirmées qui attendent "
                    "une place dans un atelier complet ; avec un atelier choisi, celles de sa liste."
                )
        groups.widget.choices = [c for c in groups.choices if c[0] not in self.unoffered]
        if not ateliers:
            del self.fields["atelier"]
            return
        with_date = slots_need_date(seminar, ateliers)
        self.fields["atelier"].choices = [
            ("", "Tous les ateliers"),
            *((a.pk, f"{a.title} – {atelier_slot(a, with_date)}") for a in ateliers),
        ]

    def clean_statuses(self):
        groups = self.cleaned_data["statuses"]
        if ATELIER_WAITING_GROUP in groups and ATELIER_WAITING_GROUP in self.unoffered:
            raise forms.ValidationError(
                "« Listes d'attente des ateliers » se choisit avant le début d'un événement qui a "
                "des ateliers."
            )
        if PRESENT_GROUP in groups and PRESENT_GROUP in self.unoffered:
            raise forms.ValidationError(
                "« Présents » se choisit une fois l'événement commencé, le "
                f"{long_date(self.seminar.start, time=True)} : personne n'a encore été émargé. "
                "Cochez les inscriptions confirmées ou la liste d'attente."
            )
        return groups

    def recipients(self):
        """The registrations the message is for (with an address or not), by name: the people
        email_registrants sends it to, and those without an address (message_recipients)."""
        chosen = message_recipients(
            self.seminar, self.cleaned_data["statuses"], self.cleaned_data.get("atelier")
        )
        return chosen.order_by("nom", "prenom", "pk")


UNKNOWN_FILTER = {
    "invalid_choice": "« %(value)s » n'est pas une valeur possible : ce filtre n'est pas appliqué."
}


# The waiting-list filter's « N'importe lequel »: the people on any atelier's list.
ANY_ATELIER_LIST = "tous"


def atelier_id_or_any(value: str) -> int | str:
    return value if value == ANY_ATELIER_LIST else int(value)


def atelier_filter(label: str, coerce=int) -> forms.TypedChoiceField:
    """A filter by one of the event's ateliers (its choices set by the form)."""
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=coerce,
        empty_value=None,
        error_messages={
            "invalid_choice": "Cet atelier n'existe pas ou plus dans cet événement : "
            "ce filtre n'est pas appliqué."
        },
    )


class RegistrationFilterForm(forms.Form):
    """The organiser's filters. Each valid one applies even when another is wrong (a stale atelier
    id, a value typed in the address): the wrong one is shown in error next to its field, so that
    the list never widens without a word."""

    # First: at the welcome desk, the name typed on a phone (tested in tests/browser).
    q = forms.CharField(
        label="Rechercher (nom, prénom, e-mail)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    presence = forms.ChoiceField(
        label="Présence",
        required=False,
        choices=[("", "Toutes"), ("present", "Présents"), ("absent", "Pas encore arrivés")],
        error_messages=UNKNOWN_FILTER,
    )
    status = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "Tous"), *Registration.Status.choices],
        error_messages=UNKNOWN_FILTER,
    )
    commune = forms.CharField(label="Commune (nom ou code INSEE)", required=False)
    fonction = forms.ChoiceField(
        label="Fonction",
        required=False,
        choices=[("", "Toutes"), *Fonction.choices],
        error_messages=UNKNOWN_FILTER,
    )
    atelier = atelier_filter("Atelier")
    atelier_waiting = atelier_filter("Sur la liste d'attente de l'atelier", atelier_id_or_any)
    flagged = forms.BooleanField(label="Communes à vérifier seulement", required=False)

    def __init__(self, *args, seminar, **kwargs):
        super().__init__(*args, **kwargs)
        # Two ateliers of the same title told apart by their slot (SeminarPage.atelier_labels).
        ateliers = [(a.pk, a.label) for a in seminar.ateliers.order_by("starts_at", "sort_order")]
        self.fields["atelier"].choices = [("", "Tous"), *ateliers]
        self.fields["atelier_waiting"].choices = [
            ("", "Indifférent"),
            (ANY_ATELIER_LIST, "N'importe lequel"),
            *ateliers,
        ]

    def filter(self, queryset):
        from seminars.attendance import atelier_people, presence_filter

        if not self.is_bound:
            return queryset
        self.is_valid()  # the fields in error are left out of cleaned_data, the others apply
        data = {name: None for name in self.fields} | self.cleaned_data
        if data["q"]:
            queryset = matching_people(queryset, data["q"])
        if data["presence"] and data["atelier"]:
            # The per-atelier door view: present at that atelier (seminars.attendance).
            queryset = queryset.exclude(status=Registration.Status.CANCELLED).filter(
                presence_filter(data["atelier"], data["presence"] == "present")
            )
        elif data["presence"]:
            queryset = queryset.exclude(status=Registration.Status.CANCELLED).filter(
                checked_in_at__isnull=data["presence"] == "absent"
            )
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["commune"]:
            queryset = matching_communes(queryset, data["commune"])
        if data["fonction"]:
            queryset = queryset.filter(fonction=data["fonction"])
        if data["atelier"]:
            # Who chose it, and who was marked present at it without having chosen it.
            queryset = queryset.filter(atelier_people(data["atelier"]))
        if data["atelier_waiting"] == ANY_ATELIER_LIST:
            queryset = queryset.filter(
                status=Registration.Status.CONFIRMED, atelier_waits__isnull=False
            )
        elif data["atelier_waiting"]:
            # The people its freed seats go to (services.give_freed_atelier_seats): confirmed.
            queryset = queryset.filter(
                status=Registration.Status.CONFIRMED,
                atelier_waits__atelier_id=data["atelier_waiting"],
            )
        if data["flagged"]:
            queryset = queryset.filter(commune_status=Registration.CommuneStatus.FLAGGED)
        return queryset.distinct()

    def waiting_filter(self) -> int | str | None:
        """The waiting-list filter as applied: an atelier's id, ANY_ATELIER_LIST, or None."""
        return self.cleaned_data.get("atelier_waiting") if self.is_bound else None

    def waiting_list_shown(self) -> int | None:
        """The atelier whose waiting list the list shows (its rows in that list's order)."""
        shown = self.waiting_filter()
        return None if shown == ANY_ATELIER_LIST else shown

    def every_waiting_list_shown(self) -> bool:
        """« N'importe lequel »: the people waiting for any atelier, in the list's own order."""
        return self.waiting_filter() == ANY_ATELIER_LIST


def search_words(typed: str) -> list[str]:
    """What was typed in the list's search, as lower-case words without accents (« Hélène
    DUPONT » -> ["helene", "dupont"]), to compare with `unaccent(lower(…))` in PostgreSQL."""
    text = typed.lower().replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.split()[:10]


def containing_every_word(queryset, name: str, haystack, words: list[str]):
    """The rows whose `haystack` (an `unaccent(lower(…))` expression, annotated as `name`: each
    search of one list has its own) contains each of `words` (search_words)."""
    queryset = queryset.annotate(**{name: haystack})
    for word in words:
        queryset = queryset.filter(**{f"{name}__contains": word})
    return queryset


def matching_people(queryset, typed: str):
    """The registrations whose nom, prénom or e-mail contain every word typed, whatever the
    accents and the case (« dupont jean », « JÉRÔME », « mairie-bondy »)."""
    text = Concat("nom", Value(" "), "prenom", Value(" "), "email", output_field=CharField())
    return containing_every_word(
        queryset, "search_text", Unaccent(Lower(text)), search_words(typed)
    )


def matching_communes(queryset, typed: str):
    """The registrations whose commune, official or as typed, contains every word typed, whatever
    the accents, the case and the hyphens (« Epinay » finds Épinay-sur-Seine, « saint denis »
    Saint-Denis): `icontains` found nobody from « Epinay ». An INSEE code (« 93066 », « 2A004 »)
    finds the registrations matched to that commune, or typed as that code."""
    code = typed.strip().upper()
    if INSEE_CODE.match(code):
        return queryset.filter(Q(commune_id=code) | Q(commune_typed__iexact=code))
    text = Concat(Coalesce("commune__nom", Value("")), Value(" "), "commune_typed")
    haystack = Replace(Unaccent(Lower(text)), Value("-"), Value(" "))
    return containing_every_word(
        queryset, "commune_text", haystack, search_words(typed.replace("-", " "))
    )


RATING_CHOICES = [(str(value), label) for value, label in Rating.choices]
COMMENT_LIMIT = 3000


def _rating_field(label: str, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES if required else [*RATING_CHOICES, ("", "Sans avis")],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une réponse."},
    )


def _comment_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


ADDED_QUESTION_REQUIRED = "Répondez à cette question."


def _added_question_field(question) -> forms.Field:
    """A question added by the organisers, with the widget of the standard ones of its kind."""
    if question.is_rating:
        field = _rating_field(question.text, required=question.required)
    else:
        field = _comment_field(question.text)
        field.required = question.required
    field.error_messages["required"] = ADDED_QUESTION_REQUIRED
    return field


class EvaluationForm(forms.Form):
    """The questionnaire: three ratings, one per atelier chosen (optional), three comments."""

    overall = _rating_field("Votre appréciation générale de la rencontre")
    usefulness = _rating_field("Son utilité pour votre mandat ou votre fonction")
    organisation = _rating_field("L'organisation et l'accueil")
    best = _comment_field("Ce qui vous a été le plus utile")
    improve = _comment_field("Ce qui serait à améliorer")
    wishes = _comment_field(
        "Les thèmes que vous aimeriez voir traités lors d'une prochaine rencontre"
    )

    def __init__(self, *args, ateliers: list, questions: list = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.ateliers = ateliers
        self.questions = list(questions)
        # Each atelier's question right after the three general ones, in the atelier's order.
        comments = {name: self.fields.pop(name) for name in COMMENTS}
        for atelier in ateliers:
            self.fields[self.atelier_field(atelier.pk)] = _rating_field(
                f"L'atelier « {atelier.label} »", required=False
            )
        self.fields.update(comments)
        # The organisers' own questions after the standard ones, in their order.
        for question in self.questions:
            self.fields[self.question_field(question.pk)] = _added_question_field(question)

    @staticmethod
    def question_field(question_id: int) -> str:
        return f"question_{question_id}"

    def added_answers(self) -> dict[int, int | str | None]:
        """Question id -> rating or text as given (None or "" when left empty)."""
        return {
            question.pk: self.cleaned_data.get(self.question_field(question.pk))
            for question in self.questions
        }

    @staticmethod
    def atelier_field(atelier_id: int) -> str:
        return f"atelier_{atelier_id}"

    def atelier_ratings(self) -> dict[int, int]:
        return {
            atelier.pk: self.cleaned_data[self.atelier_field(atelier.pk)]
            for atelier in self.ateliers
            if self.cleaned_data.get(self.atelier_field(atelier.pk))
        }

    @classmethod
    def initial_from(cls, evaluation) -> dict:
        """A participant correcting their answer sees it again."""
        if evaluation is None:
            return {}
        initial = {name: getattr(evaluation, name) for name in QUESTIONS + COMMENTS}
        for rating in evaluation.atelier_ratings.all():
            initial[cls.atelier_field(rating.atelier_id)] = rating.rating
        for answer in evaluation.answers.all():
            initial[cls.question_field(answer.question_id)] = answer.rating or answer.text
        return initial

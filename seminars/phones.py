"""Registrants' phone numbers: checked lightly, written as the organisers dial them.

A French number is ten digits starting with 0 (« 06 12 34 56 78 »), typed with spaces, dots,
dashes or as +33 / 0033 followed by nine digits (the 0 of « +33 (0)6… » tolerated); it is
written in pairs. Any other number starts with + or 00 and a country code, 8 to 15 digits in all
(E.164); it is kept with its own grouping, separators made spaces (« +32 2 123 45 67 »). No
directory is consulted: the number is the person's, only its shape is checked.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

INVALID_PHONE = (
    "Numéro de téléphone invalide : saisissez un numéro français à 10 chiffres (06 12 34 56 78) "
    "ou un numéro international commençant par + et l'indicatif du pays (+32 2 123 45 67)."
)
PHONE_MAX_LENGTH = 30
_SEPARATORS = re.compile(r"[\s.\-/()]+")


def normalise_phone(text: str, *, spreadsheet: bool = False) -> str:
    """The number as stored and shown, "" for nothing typed; ValidationError (INVALID_PHONE)
    otherwise. `spreadsheet`: nine digits are a French number whose leading 0 a spreadsheet
    dropped (0612345678 read as the number 612345678), and 33 followed by nine digits one whose
    + it dropped (+33612345678 read as the number 33612345678)."""
    text = (text or "").strip()
    if not text:
        return ""
    if len(text) > PHONE_MAX_LENGTH:
        raise ValidationError(INVALID_PHONE, code="invalid")
    compact = _SEPARATORS.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if spreadsheet and re.fullmatch(r"33[1-9]\d{8}", compact):
        # Only France's code is restored. Digits alone do not say where another country's code
        # ends (1 to 3 digits) nor how long its numbers are, nor that a + was lost at all: a
        # guess could store a number that rings someone else. 33 and nine digits is the French
        # number in international form, the shape the organisers' lists carry.
        compact = "+" + compact
    if compact.startswith("+33"):
        national = compact[3:]
        if national.startswith("0"):  # « +33 (0)6 12… »
            national = national[1:]
        compact = "0" + national
    if spreadsheet and re.fullmatch(r"[1-9]\d{8}", compact):
        compact = "0" + compact
    if re.fullmatch(r"0[1-9]\d{8}", compact):
        return " ".join(compact[i : i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"\+[1-9]\d{7,14}", compact):
        # Its own grouping kept: every country groups differently.
        spaced = _SEPARATORS.sub(" ", text.replace("(0)", "")).strip()
        if spaced.startswith("00"):
            spaced = "+" + spaced[2:]
        return spaced if re.fullmatch(r"\+[\d ]+", spaced) else compact
    raise ValidationError(INVALID_PHONE, code="invalid")


def display_phone(text: str) -> str:
    """A number typed anywhere, written as normalise_phone writes it (« 01 48 30 12 34 »); text
    it cannot read is shown as typed, stripped."""
    try:
        return normalise_phone(text)
    except ValidationError:
        return (text or "").strip()


def tel_uri(text: str) -> str:
    """The tel: link of a number: its digits, with the leading + of an international one
    (« tel:0148301234 », « tel:+3221234567 »); "" for text that is no readable number
    (« 01 48 30 12 34 poste 12 » would dial 12 digits): it is shown as typed, without a link."""
    try:
        shown = normalise_phone(text)
    except ValidationError:
        return ""
    digits = re.sub(r"\D", "", shown)
    if not digits:
        return ""
    return f"tel:+{digits}" if shown.startswith("+") else f"tel:{digits}"


class PhoneField(forms.CharField):
    """An optional phone number (normalise_phone), with the person's text kept on error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Téléphone (facultatif)")
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", PHONE_MAX_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        kwargs.setdefault("error_messages", {"max_length": INVALID_PHONE})
        super().__init__(**kwargs)

    def clean(self, value):
        return normalise_phone(super().clean(value))


class PhoneForm(forms.Form):
    """The registrant's « Mon téléphone » on their personal page."""

    phone = PhoneField(
        label="Téléphone",
        help_text="Facultatif : pour que l'équipe de l'union puisse vous joindre le jour de "
        "l'événement ; seuls les organisateurs le voient. Laissez vide pour le retirer.",
    )


def set_phone(registration, phone: str) -> bool:
    """The registrant sets or removes their number (personal page), until the event's end,
    whatever the cut-off for other changes: it serves on the day itself. Audited as their other
    changes (`seminar.registration.edited`, the field's name only). Returns whether it changed."""
    from django.db import transaction

    from seminars.models import Registration
    from seminars.services import audit_registrants_change

    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.phone == phone:
            return False
        registration.phone = phone
        registration.save(update_fields=["phone", "updated_at"])
        audit_registrants_change(registration.seminar, registration, ["phone"])
    return True

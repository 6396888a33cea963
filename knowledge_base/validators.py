"""Checks of what editors and members type in the knowledge base."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

PHONE_CHARACTERS = re.compile(r"^\+?[\d\s.()\-]+$")
MIN_PHONE_DIGITS = 10


@deconstructible
class PhoneValidator:
    """A telephone number as people write it: digits, spaces, dots, hyphens, parentheses and a
    leading « + », with at least ten digits (« 01 48 00 00 00 », « +33 (0)1 48 00 00 00 »)."""

    message = (
        "Saisissez un numéro de téléphone : chiffres, espaces, points, tirets ou parenthèses, "
        "un « + » au début pour l'international, et au moins 10 chiffres "
        "(ex. : 01 48 00 00 00)."
    )

    def __call__(self, value) -> None:
        text = str(value or "").strip()
        if not text:
            return
        if not PHONE_CHARACTERS.match(text) or sum(ch.isdigit() for ch in text) < MIN_PHONE_DIGITS:
            raise ValidationError(self.message, code="invalid_phone")

    def __eq__(self, other) -> bool:
        return isinstance(other, PhoneValidator)

    def __hash__(self) -> int:
        return hash(PhoneValidator)


validate_phone = PhoneValidator()

"""Durations as French writes them, « 6 h 30 »: the training time an attestation de présence
certifies. Organisers type it that way in the admin, where Django's DurationField wants
« 06:30:00 » and reads « 6:30 » as six minutes thirty seconds."""

import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# « 6 », « 6 h », « 6h30 », « 6 h 30 », « 6 h 30 min », « 6:30 », « 45 min ».
HOURS_MINUTES = re.compile(r"(?P<hours>\d{1,3})\s*(?:(?:h|:)\s*(?P<minutes>\d{1,2})?\s*(?:min)?)?")
MINUTES_ONLY = re.compile(r"(?P<minutes>\d{1,4})\s*min")
INVALID = "Saisissez une durée en heures et minutes, par exemple « 6 h 30 » ou « 7 h »."


def describe_duration(duration: timedelta) -> str:
    """ "7 h 30", "3 h", "45 min"."""
    hours, minutes = divmod(int(duration.total_seconds()) // 60, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


def parse_duration(text: str) -> timedelta:
    """The duration typed in French (see HOURS_MINUTES); ValidationError otherwise."""
    text = text.strip().lower()
    found = MINUTES_ONLY.fullmatch(text)
    if found:
        return timedelta(minutes=int(found["minutes"]))
    found = HOURS_MINUTES.fullmatch(text)
    if found is None:
        raise ValidationError(INVALID, code="invalid")
    minutes = int(found["minutes"] or 0)
    if minutes >= 60:
        raise ValidationError(INVALID, code="invalid")
    return timedelta(hours=int(found["hours"]), minutes=minutes)


class HoursMinutesFormField(forms.CharField):
    """A duration typed and shown as « 6 h 30 »."""

    def prepare_value(self, value):
        return describe_duration(value) if isinstance(value, timedelta) else value

    def to_python(self, value):
        if isinstance(value, timedelta):
            return value
        text = super().to_python(value)
        return parse_duration(text) if text else None


class HoursMinutesField(models.DurationField):
    """A DurationField that the admin's forms read and show as « 6 h 30 »."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": HoursMinutesFormField, **kwargs})

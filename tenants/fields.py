"""Form fields shared by the screens that match communes."""

from django import forms
from django.core.exceptions import ValidationError

from tenants.matching import UnknownArea, read_area


class AreaHintField(forms.CharField):
    """A département or région that helps the commune matcher with homonyms: a code ("93", "2A")
    or a name ("Seine-Saint-Denis"), as `read_area` reads it. Cleans to the text as typed; a hint
    that names nothing is an error in French rather than a hint silently ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        try:
            read_area(value)
        except UnknownArea as error:
            raise ValidationError(str(error), code="unknown_area") from error

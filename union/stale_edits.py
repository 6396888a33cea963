"""Edit forms left open while someone else saves the same row (audit A9, finding 3).

Without a check, the last save wins: an organiser's « Modifier » opened before the registrant
added an atelier on her personal page took the atelier back; an agent's profile form reverted
the phone number the director had just changed. Optimistic check, with no column to add: the
form, when it is rendered, carries in a hidden field (VERSION_FIELD) a keyed digest of each
value the row had then (`version_of`); the save compares it, under the row's lock, with the row
as it is now (`check_unchanged`). A row changed since is not overwritten: `refuse_stale` keeps
what the person typed, says at the top what is saved now for what changed, and puts the new
version in the form, so that a second submit, once it is read, saves.

A form posted without the field is not checked. The API carries the same version in HTTP's own
way: an `ETag` on what it reads, an `If-Match` on what it writes (`etag_of`, `if_match_version`);
a write without `If-Match` (or with `*`) is not checked."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db import transaction
from django.utils.crypto import salted_hmac

VERSION_FIELD = "saved_version"
SALT = "maillage.stale_edits"

STALE_MESSAGE = (
    "Cette fiche a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte\u00a0: "
    "voici ce qui est enregistré maintenant, {saved}. Ce que vous avez saisi est conservé "
    "ci-dessous\u00a0: vérifiez-le, puis enregistrez de nouveau pour le garder."
)


class StaleEdit(Exception):
    """The row changed since the form was rendered: `changed` (the values' names) and `values`
    (the row's values now, for the message and the new version)."""

    def __init__(self, changed: list[str], values: dict[str, Any]):
        super().__init__(", ".join(changed))
        self.changed = changed
        self.values = values


def _digest(name: str, value: Any) -> str:
    # Keyed: the page never offers a digest to test guesses of values against. Short: the
    # field says only whether each value is still the one the form was rendered with.
    return salted_hmac(SALT, f"{name}={value!r}", algorithm="sha256").hexdigest()[:16]


def version_of(values: dict[str, Any]) -> str:
    """« name:digest » of each value, comma-separated: the check can say which ones changed."""
    return ",".join(f"{name}:{_digest(name, value)}" for name, value in sorted(values.items()))


def changed_since(version: str, values: dict[str, Any]) -> list[str]:
    """The names of `values` that are no longer those of `version` (in `values`' order)."""
    then = dict(part.partition(":")[::2] for part in version.split(",") if part)
    return [name for name, value in values.items() if then.get(name) != _digest(name, value)]


def check_unchanged(version: str | None, values: dict[str, Any]) -> None:
    """Raise StaleEdit if the row's `values` (read under its lock, in the save's transaction)
    are not those the form was rendered with. No version posted: nothing to compare."""
    if not version:
        return
    changed = changed_since(version, values)
    if changed:
        raise StaleEdit(changed, values)


def carry_version(form: forms.BaseForm, values: dict[str, Any]) -> None:
    """Give `form` the hidden field that carries the version of the row's saved `values`."""
    form.fields[VERSION_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
    form.initial[VERSION_FIELD] = version_of(values)


def posted_version(form: forms.BaseForm) -> str:
    return form.data.get(form.add_prefix(VERSION_FIELD), "") if form.is_bound else ""


def refuse_stale(
    form: forms.BaseForm, stale: StaleEdit, labels: dict[str, str] | None = None
) -> None:
    """The stale form comes back as typed, the message at its top; its version is now the row's
    current one, so that the next submit saves. `labels` (else the form's `version_labels`): the
    names of values that are not the form's own fields (a formset's)."""
    saved = [
        f"{_label(form, name, labels)}\u00a0: {_shown(form, name, stale.values[name])}"
        for name in stale.changed
    ]
    data = form.data.copy()
    data[form.add_prefix(VERSION_FIELD)] = version_of(stale.values)
    form.data = data
    form.add_error(None, STALE_MESSAGE.format(saved="\u00a0; ".join(saved)))


class CarriesVersion:
    """For a form that edits one row (`self.instance`, a ModelForm's): `carry_version()` when
    it is made, before validation writes the typed values on the instance; `save_unless_stale`
    around the save. `version_values(row)`: the row's values the form shows, by field name (by
    default its model fields). A form that creates its row (no instance, or one not saved yet)
    has nothing to compare: no version, and the save runs as it is."""

    def version_values(self, row) -> dict[str, Any]:
        return {name: getattr(row, name) for name in self._meta.fields}

    def _edits_a_row(self) -> bool:
        return getattr(self.instance, "pk", None) is not None

    def carry_version(self) -> None:
        if self._edits_a_row():
            carry_version(self, self.version_values(self.instance))

    def save_unless_stale(self, save):
        """`save()` in a transaction, after the row, locked, is found as the form was shown.
        Raises StaleEdit (refuse_stale then says so on the form)."""
        if not self._edits_a_row():
            return save()
        return save_unless_changed(self.instance, posted_version(self), self.version_values, save)


def save_unless_changed(row, version: str, values_of, save):
    """`save()` in a transaction, after `row`, locked, is found with the `version` its values
    had (`values_of(row)`: those a form or an API answer showed). Raises StaleEdit; no version:
    saved as it is."""
    with transaction.atomic():
        locked = type(row)._default_manager.select_for_update().get(pk=row.pk)
        check_unchanged(version, values_of(locked))
        return save()


def _label(form: forms.BaseForm, name: str, labels: dict[str, str]) -> str:
    field = form.fields.get(name)
    labels = labels or getattr(form, "version_labels", {})
    label = labels.get(name) or (field.label if field is not None and field.label else name)
    return f"«\u00a0{label}\u00a0»"


def _shown(form: forms.BaseForm, name: str, value: Any) -> str:
    """A saved value as the person reads it: a choice's label, « oui »/« non », « (vide) »."""
    if value is None or value == "" or value == [] or value == ():
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list | tuple | set):
        return ", ".join(_shown(form, name, item) for item in value)
    choices = getattr(form.fields.get(name), "choices", None)
    if choices:
        labels = {str(key): label for key, label in _flat(choices)}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return f"«\u00a0{value}\u00a0»" if isinstance(value, str) else str(value)


def _flat(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):  # an optgroup
            yield from _flat(label)
        else:
            yield key, label


def etag_of(values: dict[str, Any]) -> str:
    """The row's version as an HTTP entity tag (quoted; `version_of` holds no quote)."""
    return f'"{version_of(values)}"'


def if_match_version(request) -> str:
    """The version an API write's `If-Match` header names ("" for none, or for `*`: any)."""
    tag = request.headers.get("If-Match", "").strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    return "" if tag in ("", "*") else tag.strip('"')


# An API write whose If-Match names a version the row no longer has (412).
STALE_API_MESSAGE = (
    "{what} depuis votre lecture ({fields}) : rien n'est écrit. Relisez (GET, nouvel ETag), "
    "puis renvoyez vos changements avec ce nouvel If-Match."
)


def stale_api_detail(what: str, stale: StaleEdit) -> str:
    """The 412's French `detail`: `what` changed (« Le profil a été modifié »), and which values."""
    return STALE_API_MESSAGE.format(what=what, fields=", ".join(stale.changed))

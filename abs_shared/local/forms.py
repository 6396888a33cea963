"""Forms of the member's ABS pages. Values are typed the French way ("12,5"), "s" for secret."""

from django import forms

from abs_shared.local.importer import TEMPLATE_COLUMNS
from abs_shared.models import Indicator, ValueStatus
from abs_shared.tabular import (
    FIRST_YEAR,
    check_value_range,
    latest_year,
    parse_decimal,
    parse_value,
    typed_decimal,
    year_error,
)
from tenants.workspace.forms import MAX_IMPORT_BYTES  # the activity import's limit, 5 Mo
from union.formats import file_size
from union.stale_edits import CarriesVersion


def observation_as_typed(observation) -> dict:
    """An observation as the form shows it: its initial values, and what the form's version is
    of (union.stale_edits)."""
    return {
        "value": {ValueStatus.SECRET: "s", ValueStatus.MISSING: ""}.get(
            observation.status, _typed_or_blank(observation.value)
        ),
        "numerator": _typed_or_blank(observation.numerator),
        "denominator": _typed_or_blank(observation.denominator),
        "source": observation.source,
        "comment": observation.comment,
    }


def _typed_or_blank(number) -> str:
    """A stored number as typed (« 27,1 », not « 27,1000 »); blank only when there is none: a
    numerator of 0 is a value, which a blank field would drop on saving."""
    return "" if number is None else typed_decimal(number)


class ObservationForm(CarriesVersion, forms.Form):
    """A new value, or a change to one observation (`observation`): then indicator and year are
    shown as text, not fields, because they cannot change (another year is another observation).
    A change carries the version of the observation's values as `observation_as_typed` gives
    them (union.stale_edits): a colleague's save since the page was opened is not undone.
    """

    indicator = forms.ModelChoiceField(
        Indicator.objects.all(), label="Indicateur", empty_label="Choisir un indicateur"
    )
    # Bounded in clean_year: the latest year is the current one, known only when the form is made.
    year = forms.IntegerField(label="Année")
    value = forms.CharField(
        label="Valeur",
        required=False,
        help_text="Un nombre (virgule ou point décimal), « s » si la valeur est couverte par le "
        "secret statistique, vide si elle n'est pas disponible.",
    )
    numerator = forms.CharField(
        label="Numérateur", required=False, help_text="Facultatif : l'effectif concerné."
    )
    denominator = forms.CharField(
        label="Dénominateur",
        required=False,
        help_text="Facultatif : la population de référence. La valeur sera publiée comme "
        "secrète si le dénominateur, le numérateur ou, pour un pourcentage, leur différence "
        "(97 % de 150 : 4 ou 5 personnes hors du taux) est inférieur à 11.",
    )
    source = forms.CharField(label="Source", max_length=200, required=False)
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, observation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.observation = self.instance = observation
        if observation is not None:
            del self.fields["indicator"]
            del self.fields["year"]
        else:
            self.fields["year"].widget.attrs.update({"min": FIRST_YEAR, "max": latest_year()})

    def version_values(self, row) -> dict:
        return observation_as_typed(row)

    def clean_year(self):
        year = self.cleaned_data["year"]
        error = year_error(year)
        if error:
            raise forms.ValidationError(error)
        return year

    def _number(self, name: str):
        text = self.cleaned_data.get(name, "")
        if not text.strip():
            return None
        try:
            number = parse_decimal(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if number < 0:
            raise forms.ValidationError("Un effectif ne peut pas être négatif.")
        return number

    def clean_numerator(self):
        return self._number("numerator")

    def clean_denominator(self):
        return self._number("denominator")

    def clean_value(self):
        try:
            return parse_value(self.cleaned_data.get("value", ""))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        indicator = (
            self.observation.indicator if self.observation is not None else cleaned.get("indicator")
        )
        status_value = cleaned.get("value")
        if indicator is not None and status_value is not None:
            try:
                # The value as typed: a count's message quotes it (« 1.727 »).
                check_value_range(
                    indicator, status_value[1], self.data.get(self.add_prefix("value"))
                )
            except ValueError as error:
                self.add_error("value", str(error))
        numerator, denominator = cleaned.get("numerator"), cleaned.get("denominator")
        if numerator is not None and denominator is not None and numerator > denominator:
            self.add_error("numerator", "Le numérateur dépasse le dénominateur.")
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV ou XLSX",
        help_text=f"Le modèle (colonnes {', '.join(TEMPLATE_COLUMNS[:3])}, et facultativement "
        f"{', '.join(TEMPLATE_COLUMNS[3:])}) ou un fichier communal de l'INSEE (colonne CODGEO "
        "et colonnes MED21, TP6021…). Séparateur virgule ou point-virgule, décimale virgule ou "
        "point ; 5 Mo au plus. Une cellule vide signifie « non disponible » dans le modèle, mais "
        "« secret » dans un fichier de l'INSEE (qui laisse vide une valeur calculée sur trop peu "
        "de ménages).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse 5 Mo ({file_size(uploaded.size)}) : un fichier de l'INSEE "
                "peut être réduit à la ligne de votre territoire et à son en-tête."
            )
        return uploaded


class SelectionForm(forms.Form):
    """Which observations a director validates, publishes or retracts."""

    year = forms.TypedChoiceField(label="Année", coerce=int, empty_value=None, required=False)
    indicators = forms.MultipleChoiceField(
        label="Indicateurs (aucun coché : tous)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Toutes les années")] + [(y, y) for y in years]
        self.fields["indicators"].choices = [
            (i.code, f"{i.label} ({i.code})") for i in Indicator.objects.all()
        ]

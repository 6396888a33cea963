"""Wagtail admin screen of union staff: import reference values, see what is loaded."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, Max, Min, Value, When
from django.shortcuts import redirect, render

from abs_shared.models import WHOLE_FRANCE_CODE, ReferenceValue
from abs_shared.services import import_references
from abs_shared.tabular import ImportRejected
from union import roles
from union.formats import file_size
from union.roles import has_union_role

ABS_STAFF = (roles.UNION_ADMIN, roles.EDITOR)
# Every EPCI, département and région for thirty indicators over ten years is about 15 Mo of CSV;
# beyond 50 Mo the file is not a reference file, and reading it would hold the worker's memory.
MAX_REFERENCE_BYTES = 50 * 1024 * 1024


def is_abs_staff(user) -> bool:
    return has_union_role(user, *ABS_STAFF)


class ReferenceImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV ou XLSX",
        help_text="Colonnes level, code, indicator, year, value (et source facultative, 200 "
        "caractères au plus ; en-têtes français niveau, indicateur, année, valeur acceptés). "
        "level : france (code FRM ; FR pour la France entière, référence des DROM), region (code "
        "INSEE), departement (code INSEE), epci (SIREN). year : de 1990 à l'année en cours. "
        "value : un nombre (virgule ou point), « s » pour secret, vide si non disponible. "
        "50 Mo au plus.",
    )
    source = forms.CharField(
        label="Source par défaut",
        required=False,
        max_length=200,
        help_text="Inscrite sur les lignes sans colonne source (sinon la source de l'indicateur).",
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_REFERENCE_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse 50 Mo ({file_size(uploaded.size)}) : importez-le en "
                "plusieurs fois, par indicateur ou par niveau (les valeurs déjà importées restent)."
            )
        return uploaded


def summarize_references() -> list[dict]:
    """What is loaded, per indicator and level; the national level split by code, as FRM and FR
    are two territories: France entière (the DROM's reference) is not France métropolitaine."""
    nation = Case(
        When(level=ReferenceValue.Level.FRANCE, then="code"),
        default=Value(""),
        output_field=CharField(),
    )
    summary = list(
        ReferenceValue.objects.annotate(nation=nation)
        .values("level", "nation", "indicator_id")
        .annotate(
            rows=Count("id"),
            first=Min("year"),
            last=Max("year"),
            territories=Count("code", distinct=True),
        )
        .order_by("indicator__position", "level", "-nation")
    )
    levels = dict(ReferenceValue.Level.choices)
    for row in summary:
        row["level_label"] = level_label(row["level"], row["nation"], levels)
    return summary


def level_label(level: str, nation: str, levels: dict[str, str]) -> str:
    if level == ReferenceValue.Level.FRANCE and nation == WHOLE_FRANCE_CODE:
        return "France entière"
    return levels[level]


def references(request):
    if not is_abs_staff(request.user):
        raise PermissionDenied("Réservé à l'équipe de l'union.")
    form = ReferenceImportForm(request.POST or None, request.FILES or None)
    errors, error_total = [], 0
    if request.method == "POST" and form.is_valid():
        try:
            count = import_references(
                form.cleaned_data["file"],
                actor=request.user,
                default_source=form.cleaned_data["source"],
            )
        except ImportRejected as rejected:
            errors, error_total = rejected.errors, rejected.total
        else:
            messages.success(request, f"{count} valeurs de référence importées.")
            return redirect("abs_admin:references")
    return render(
        request,
        "abs_shared/admin/references.html",
        {
            "form": form,
            "errors": errors,
            "error_total": error_total,
            "summary": summarize_references(),
            "page_title": "Valeurs de référence ABS",
            "header_icon": "table",
        },
        status=400 if errors or form.errors else 200,
    )

"""Wagtail admin screen of union staff: import reference values, see what is loaded."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min
from django.shortcuts import redirect, render

from abs_shared.models import ReferenceValue
from abs_shared.services import import_references
from abs_shared.tabular import ImportRejected
from union import roles
from union.roles import has_union_role

ABS_STAFF = (roles.UNION_ADMIN, roles.EDITOR)


def is_abs_staff(user) -> bool:
    return has_union_role(user, *ABS_STAFF)


class ReferenceImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV ou XLSX",
        help_text="Colonnes level, code, indicator, year, value (et source facultative). level : "
        "france (code FRM ; FR pour la France entière, référence des DROM), region (code "
        "INSEE), departement (code INSEE), epci (SIREN). value : "
        "un nombre (virgule ou point), « s » pour secret, vide si non disponible.",
    )
    source = forms.CharField(
        label="Source par défaut",
        required=False,
        max_length=200,
        help_text="Inscrite sur les lignes sans colonne source (sinon la source de l'indicateur).",
    )


def references(request):
    if not is_abs_staff(request.user):
        raise PermissionDenied("Réservé à l'équipe de l'union.")
    form = ReferenceImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            count = import_references(
                form.cleaned_data["file"],
                actor=request.user,
                default_source=form.cleaned_data["source"],
            )
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, f"{count} valeurs de référence importées.")
            return redirect("abs_admin:references")
    summary = (
        ReferenceValue.objects.values("level", "indicator_id")
        .annotate(
            rows=Count("id"),
            first=Min("year"),
            last=Max("year"),
            territories=Count("code", distinct=True),
        )
        .order_by("indicator__position", "level")
    )
    levels = dict(ReferenceValue.Level.choices)
    for row in summary:
        row["level_label"] = levels[row["level"]]
    return render(
        request,
        "abs_shared/admin/references.html",
        {
            "form": form,
            "errors": errors,
            "summary": summary,
            "page_title": "Valeurs de référence ABS",
            "header_icon": "table",
        },
    )

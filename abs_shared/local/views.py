"""Member-host pages of the ABS (/abs/): observations, import, validation, publication, comparisons.

Agents and directors enter and import drafts; only a director validates, publishes and retracts.
Comparisons here include the member's own unpublished values, marked as drafts.
"""

from urllib.parse import parse_qsl

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from abs_shared import presenters
from abs_shared.comparisons import Subject, member_subject
from abs_shared.local import domiciliation, services
from abs_shared.local.forms import ImportForm, ObservationForm, SelectionForm, observation_as_typed
from abs_shared.local.importer import TEMPLATE_COLUMNS
from abs_shared.local.models import Observation
from abs_shared.models import Indicator
from abs_shared.tabular import ImportRejected
from abs_shared.views import asked_year, render_comparison, render_portrait
from tenants.access import WRITE_ROLES, has_member_role, member_role_required
from tenants.models import Membership
from tenants.workspace.compliance import abs_report_due
from union.formats import french_list, french_number, plural
from union.params import parse_digits
from union.stale_edits import StaleEdit, refuse_stale

DIRECTOR = (Membership.Role.DIRECTOR,)


def _years() -> list[int]:
    return sorted(set(Observation.objects.values_list("year", flat=True)), reverse=True)


@member_role_required()
def index(request):
    observations = Observation.objects.select_related("indicator")
    year = asked_year(request)
    if year is not None:
        observations = observations.filter(year=year)
    # The indicators the member has values for; an unknown code filters nothing.
    listed = Indicator.objects.filter(
        code__in=set(Observation.objects.values_list("indicator_id", flat=True))
    )
    code = asked_indicator_code(request)
    if any(indicator.code == code for indicator in listed):
        observations = observations.filter(indicator_id=code)
    else:
        code = ""
    state = request.GET.get("etat", "")
    if state == "brouillon":
        observations = observations.filter(state=Observation.State.DRAFT)
    elif state == "validee":
        observations = observations.filter(
            state=Observation.State.VALIDATED, published_at__isnull=True
        )
    elif state == "publiee":
        observations = observations.filter(
            state=Observation.State.VALIDATED, published_at__isnull=False
        )
    years = _years()
    observations = list(observations)
    # A number published as « s » reads as such here too: the director must not take it for
    # a figure the portal shows.
    secrets = services.secret_in_pool(request.tenant)
    for observation in observations:
        observation.secret_in_pool = services.is_secret_in_pool(observation, secrets)
        # As the value beside them: « 23 618 », not the stored « 23618,00 ».
        observation.numerator_shown = _shown_number(observation.numerator)
        observation.denominator_shown = _shown_number(observation.denominator)
    return render(
        request,
        "abs_shared/local/index.html",
        {
            "observations": observations,
            "counts": _count_phrases(services.state_counts(request.tenant)),
            "years": years,
            "year": year,
            "state": state,
            "indicators": listed,
            "indicator_code": code,
            # Carried by each « Modifier » and « Supprimer » link, so that the list comes back
            # filtered.
            "filters": list_filters(request.GET),
            # A validated « Élections de domicile actives » unlike the activity report's figure.
            "domiciliation_mismatches": domiciliation.mismatches(request.tenant),
            "abs_report": abs_report_due(),
            "can_write": has_member_role(request, WRITE_ROLES),
            "is_director": has_member_role(request, DIRECTOR),
            "selection_form": SelectionForm(years=years, prefix="selection"),
            "demo": presenters.is_demo(*(obs.source for obs in observations)),
        },
    )


def _count_phrases(counts: dict[str, int]) -> list[str]:
    """The cards of /abs/ as one phrase each, the number with its noun (« 1 valeur publiée »,
    « 11 brouillons à valider »): a number alone made a heading that said nothing."""
    return [
        plural(counts["drafts"], "brouillon à valider", "brouillons à valider"),
        plural(
            counts["validated"], "valeur validée, non publiée", "valeurs validées, non publiées"
        ),
        plural(counts["published"], "valeur publiée", "valeurs publiées"),
    ]


@member_role_required(*WRITE_ROLES)
def observation_form(request, pk: int | None = None):
    """Enter a new value, or change one observation's value (its indicator and year stay).
    Saving leads back to the list as it was filtered (its filters come along in the query
    string, as for a deletion). A new value may open on an indicator and a year
    (`?indicateur=DOMIC&annee=2025`); a DOMIC value shows the activity report's figure of its
    year beside the field, and `?reprendre=activite` types it in."""
    observation = (
        get_object_or_404(Observation.objects.select_related("indicator"), pk=pk) if pk else None
    )
    back = list_path(request.GET)

    initial = {}
    if observation is not None:
        initial = observation_as_typed(observation)
    else:
        initial.update(_chosen(request))
    code, year = _indicator_and_year(request, observation, initial)
    figure = domiciliation.activity_figure(request.tenant, code, year)
    taken = (
        figure is not None
        and request.method == "GET"
        and request.GET.get(domiciliation.TAKE_PARAMETER) == domiciliation.TAKE_VALUE
    )
    if taken:
        initial["value"] = figure.typed
    form = ObservationForm(request.POST or None, initial=initial, observation=observation)
    form.carry_version()  # a colleague's save since the page was opened is not undone
    if figure is not None:
        _offer_figure(form, figure, _take_query(request, observation, code, year), code)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        status, value = data["value"]
        fields = {
            "status": status,
            "value": value,
            "numerator": data["numerator"],
            "denominator": data["denominator"],
            "source": data["source"],
            "comment": data["comment"],
            "actor": request.user,
        }
        try:
            if observation is not None:
                saved = form.save_unless_stale(
                    lambda: services.update_observation(request.tenant, observation.pk, **fields)
                )
            else:
                saved = services.create_observation(
                    request.tenant, indicator=data["indicator"], year=data["year"], **fields
                )
        except services.ObservationExists as error:
            form.add_error(None, str(error))
        except StaleEdit as stale:
            refuse_stale(form, stale)
        else:
            messages.success(
                request, f"{saved.indicator.label}, {saved.year} : enregistrée comme brouillon."
            )
            return HttpResponseRedirect(back)
    return render(
        request,
        "abs_shared/local/observation_form.html",
        {
            "form": form,
            "observation": observation,
            "back": back,
            "taken": figure if taken else None,
            # The report's figure offered beside the value: the page loads the script that
            # types it in place (abs_shared/take_figure.js) and its status line.
            "figure": figure,
            "take_status_id": TAKE_STATUS_ID,
        },
    )


def asked_indicator_code(request) -> str:
    """The indicator code of the address's `?indicateur=` (the list's filter, a new value's
    indicator), as the catalogue writes codes; "" when none is given."""
    return request.GET.get("indicateur", "").strip().upper()


def _chosen(request) -> dict:
    """A new value's indicator and year given in the address (« Saisir une valeur » from a list
    filtered on them, or a link to take the activity report's figure)."""
    chosen = {}
    code = asked_indicator_code(request)
    indicator = Indicator.objects.filter(code=code).first() if code else None
    if indicator is not None:
        chosen["indicator"] = indicator
    year = asked_year(request)
    if year is not None:
        chosen["year"] = year
    return chosen


def _indicator_and_year(request, observation, initial: dict) -> tuple[str, int | None]:
    """The indicator and year the form is about: the observation's; for a new value, those
    posted (a form sent back with errors) or given in the address."""
    if observation is not None:
        return observation.indicator_id, observation.year
    if request.method == "POST":
        year = parse_digits(request.POST.get("year", "").strip(), 4)
        return request.POST.get("indicator", "").strip().upper(), year
    indicator = initial.get("indicator")
    return (indicator.code if indicator else ""), initial.get("year")


def _take_query(request, observation, code: str, year: int) -> str:
    """The address of « Reprendre ce chiffre »: this form again, with the list's filters (the
    way back) and, for a new value, its indicator and year."""
    params = dict(parse_qsl(list_filters(request.GET)))
    if observation is None:
        params.update({"indicateur": code, "annee": year})
    params[domiciliation.TAKE_PARAMETER] = domiciliation.TAKE_VALUE
    return f"?{urlencode(params)}"


# The status line (a polite live region) where abs_shared/take_figure.js says it typed the figure.
TAKE_STATUS_ID = "abs-take-status"


def _offer_figure(form, figure, take_query: str, code: str) -> None:
    """The report's figure under the value field, in its description (aria-describedby), with
    the link that types it in. Without a script the link reloads the form with the figure (and
    loses what else was typed); its data-take-* attributes let abs_shared/take_figure.js type it
    in place instead, when the form is still about that indicator and year."""
    field = form.fields["value"]
    # The field's id computed, not read from form["value"]: a bound field, once made, keeps the
    # help text it was made with.
    field_id = form.auto_id % form.add_prefix("value")
    field.help_text = format_html(
        '{}<br><span class="abs-report-figure"><strong>{}.</strong> '
        '<a href="{}" data-take-figure="{}" data-take-field="{}" data-take-status="{}" '
        'data-take-indicator="{}" data-take-year="{}" data-take-announce="{}">'
        "Reprendre ce chiffre</a></span>",
        field.help_text,
        figure.sentence,
        take_query,
        figure.typed,
        field_id,
        TAKE_STATUS_ID,
        code,
        figure.year,
        figure.taken_sentence,
    )


def _shown_number(number) -> str:
    """A stored numerator or denominator the French way, with the decimals it has and no more
    (« 23 618 », « 12,5 »); a dash when there is none."""
    if number is None:
        return "–"
    return french_number(number, max(0, -number.normalize().as_tuple().exponent))


# The list's filters a deletion or a change keeps (its year, state and indicator), and nothing
# else: the way back is always /abs/, never an address taken from the request (no `next`).
LIST_FILTERS = ("annee", "etat", "indicateur")


def list_filters(params) -> str:
    """The list's filters of `params` as a query string (« annee=2021&etat=brouillon »), or ""."""
    return urlencode([(key, params[key][:20]) for key in LIST_FILTERS if params.get(key)])


def list_path(params) -> str:
    """/abs/ with the list's filters of `params`: a path of this site, whatever they hold."""
    filters = list_filters(params)
    return f"/abs/?{filters}" if filters else "/abs/"


@require_http_methods(["GET", "POST"])
@member_role_required(*WRITE_ROLES)
def observation_delete(request, pk: int):
    """GET: the value that will go and a button to confirm, as for an activity figure or a board
    member; POST deletes it. Both lead back to the list as it was filtered (its query string
    comes along: ?annee=…&etat=…)."""
    observation = get_object_or_404(Observation.objects.select_related("indicator"), pk=pk)
    back = list_path(request.GET)
    try:
        if request.method == "GET":
            if observation.in_pool:  # delete_observation would refuse: say it before asking
                raise ValueError("Retirez d'abord cette valeur de la publication.")
            label = f"{observation.indicator.label}, {observation.year}"
            return render(
                request,
                "workspace/confirm_delete.html",
                {
                    "title": f"Supprimer la valeur « {label} » ?",
                    "lead": f"Cette valeur sera supprimée de l'espace du {request.tenant.kind}.",
                    "details": [
                        ("Indicateur", observation.indicator.label),
                        ("Année", observation.year),
                        (
                            "Valeur",
                            observation.indicator.format_with_unit(
                                observation.value, observation.status
                            ),
                        ),
                        ("État", "Brouillon" if observation.is_draft else "Validée, non publiée"),
                        ("Source", observation.source or "–"),
                    ],
                    "cancel": back,
                },
            )
        services.delete_observation(request.tenant, observation, actor=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Valeur supprimée : {observation.indicator.label}, {observation.year}."
        )
    return HttpResponseRedirect(back)


@member_role_required(*WRITE_ROLES)
def import_file(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, error_total = [], 0
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.import_observations_summary(
                request.tenant, form.cleaned_data["file"], actor=request.user
            )
        except ImportRejected as rejected:
            errors, error_total = rejected.errors, rejected.total
        else:
            director = has_member_role(request, DIRECTOR)
            messages.success(request, describe_import(summary, director))
            if summary.blank_insee_columns:
                columns = ", ".join(summary.blank_insee_columns)
                blank = len(summary.blank_insee_columns)
                cells = plural(blank, "cellule vide", "cellules vides")
                secret = "importée comme secrète" if blank == 1 else "importées comme secrètes"
                messages.info(
                    request,
                    f"Fichier de l'INSEE : {cells} pour votre commune ({columns}) {secret} "
                    "(« s ») : l'INSEE laisse vide une valeur calculée sur trop peu de ménages.",
                )
            return HttpResponseRedirect("/abs/")
    return render(
        request,
        "abs_shared/local/import.html",
        {
            "form": form,
            "errors": errors,
            "error_total": error_total,
            "required_columns": TEMPLATE_COLUMNS[:3],
            "optional_columns": TEMPLATE_COLUMNS[3:],
        },
    )


def describe_import(summary: services.ImportSummary, director: bool) -> str:
    """« 2 valeurs importées comme brouillons, à valider. », then what the file changed among
    the values already entered (a validated or published one is a draft again) and what it left
    alone: sending a file again must not silently undo the direction's work."""
    if not summary.written:
        same = plural(
            summary.count,
            "valeur du fichier est identique à celle déjà saisie (son état est gardé)",
            "valeurs du fichier sont identiques à celles déjà saisies (leur état est gardé)",
        )
        return f"Rien n'est modifié\u00a0: {same}."
    # A director validates the drafts; an agent's wait for the direction.
    who = "à valider" if director else "à faire valider par la direction"
    drafts = "comme brouillon" if summary.written <= 1 else "comme brouillons"
    text = f"{plural(summary.written, 'valeur importée', 'valeurs importées')} {drafts}, {who}."
    if summary.replaced:
        text += f" Dont {summary.replaced} remplaçant une valeur déjà saisie"
        if summary.replaced_validated:
            again = plural(
                summary.replaced_validated,
                "validée ou publiée, redevenue brouillon",
                "validées ou publiées, redevenues brouillons",
            )
            text += (
                f" (dont {again}\u00a0; une valeur publiée reste sur le portail jusqu'à la "
                "prochaine publication)"
            )
        text += "."
    if summary.unchanged:
        same = plural(
            summary.unchanged,
            "valeur du fichier identique à celle déjà saisie, laissée telle quelle",
            "valeurs du fichier identiques à celles déjà saisies, laissées telles quelles",
        )
        text += f" {same}."
    return text


@member_role_required()
def import_template(request, fmt: str):
    """The template to fill in: one row per indicator of the catalogue, its source prefilled.

    Rows left without year or value are skipped by the importer.
    """
    if fmt not in ("csv", "xlsx"):
        raise Http404
    table = presenters.ShownTable(caption="Modèle d'import ABS", headers=TEMPLATE_COLUMNS)
    for indicator in Indicator.objects.all():
        table.rows.append(
            [presenters.text(indicator.code)]
            + [presenters.text("")] * 4
            + [presenters.text(indicator.source), presenters.text("")]
        )
    return presenters.export_response(table, fmt, "modele-import-abs", demo=False, titled=False)


# What validating and publishing act on: the values whose unit changed are left out of both.
UNIT_CHECKED_STATES = {"valider": Observation.State.DRAFT, "publier": Observation.State.VALIDATED}


def _say_unit_changed(request, state: str, selection: dict) -> None:
    """Name the values of the selection left out because the union changed their indicator's
    unit since they were typed, and what to do."""
    left_out = services.unit_changed_labels(
        request.tenant, state, year=selection["year"], indicators=selection["indicators"]
    )
    if left_out:
        messages.warning(
            request,
            f"{plural(len(left_out), 'valeur laissée', 'valeurs laissées')} de côté, l'union "
            f"ayant changé l'unité de l'indicateur depuis la saisie : {french_list(left_out)}. "
            "Vérifiez chacune dans la nouvelle unité et enregistrez-la de nouveau, puis "
            "validez-la.",
        )


@require_POST
@member_role_required(*DIRECTOR)
def bulk_action(request, action: str):
    form = SelectionForm(request.POST, years=_years(), prefix="selection")
    if not form.is_valid():
        messages.error(
            request,
            "Sélection invalide : choisissez une année proposée et des indicateurs du catalogue.",
        )
        return HttpResponseRedirect("/abs/")
    selection = {
        "year": form.cleaned_data["year"],
        "indicators": form.cleaned_data["indicators"] or None,
        "actor": request.user,
    }
    if action in UNIT_CHECKED_STATES:
        _say_unit_changed(request, UNIT_CHECKED_STATES[action], selection)
    scope = f"{selection['year'] or 'toutes années'}"
    if action == "valider":
        count = services.validate_observations(request.tenant, **selection)
        done = f"{plural(count, 'brouillon validé', 'brouillons validés')} ({scope})."
        nothing = f"Aucun brouillon à valider ({scope}) : rien n'a changé."
    elif action == "publier":
        if not services.validated_count(
            request.tenant, year=selection["year"], indicators=selection["indicators"]
        ):
            messages.warning(
                request,
                f"Aucune valeur validée à publier ({scope}) : rien n'a été publié. Seules les "
                "valeurs validées se publient ; validez d'abord les brouillons.",
            )
            return HttpResponseRedirect("/abs/")
        summary = services.publish_observations_summary(request.tenant, **selection)
        count = summary.count
        done = (
            f"{plural(count, 'valeur publiée', 'valeurs publiées')} dans l'espace commun ({scope})"
        )
        if summary.made_secret:
            # The portal shows « s » for them: the director must not think their figures went out.
            done += (
                f", dont {plural(summary.made_secret, 'publiée comme secrète', 'publiées comme secrètes')} "
                "(moins de 11 personnes "
                "ou ménages) : « s » sur le portail"
            )
        done += "."
        # Validated values all « non disponible »: none is pooled (any older one was withdrawn).
        nothing = (
            f"Aucune valeur publiée ({scope}) : les valeurs validées choisies sont « non "
            "disponibles », et une valeur non disponible ne va pas dans l'espace commun (elle en "
            "retire la valeur publiée auparavant, s'il y en avait une)."
        )
    elif action == "retirer":
        count = services.retract_observations(request.tenant, **selection)
        done = (
            f"{plural(count, 'valeur retirée', 'valeurs retirées')} de l'espace commun ({scope})."
        )
        nothing = f"Aucune valeur publiée à retirer ({scope}) : rien n'a changé."
    else:
        raise PermissionDenied
    # Nothing done is not a success: « 0 valeur publiée » in green would read as one.
    if count:
        messages.success(request, done)
    else:
        messages.warning(request, nothing)
    return HttpResponseRedirect("/abs/")


def _own_subject(request) -> Subject:
    """What the member's values describe: its commune (CCAS) or its intercommunality (CIAS),
    never its seat commune for a CIAS."""
    subject = member_subject(request.tenant)
    if subject is None:
        raise Http404("Ce CIAS n'est rattaché à aucune intercommunalité.")
    return subject


@member_role_required()
def portrait(request):
    return render_portrait(
        request,
        _own_subject(request),
        services.own_points(request.tenant),
        member_space=True,
        link_base="/abs/comparaison/",
    )


@member_role_required()
def comparison(request, code: str):
    """The portal's comparison page with the member's own values (drafts marked), and the same
    choice of communes to set beside a CCAS's (their published values only)."""
    indicator = get_object_or_404(Indicator, code=code.upper())
    return render_comparison(
        request,
        _own_subject(request),
        indicator,
        asked_year(request),
        services.own_points(request.tenant),
        member_space=True,
    )

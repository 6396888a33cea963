"""Organisers' screens in the Wagtail admin: registrations, check-in, manual add, import, flagged
communes, attendance sheets, counts and a message to every registrant. Union admins and event
organisers only."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, Q, When
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from seminars.annual_report import (
    build_year_report,
    default_report_year,
    report_years,
    year_report_workbook,
)
from seminars.certificates import certificate_filename, certificate_pdf, present_registrations
from seminars.check_in import read_check_in_code
from seminars.evaluations import (
    evaluation_closes,
    evaluations_open_state,
    evaluations_workbook,
    event_evaluations,
    remind_to_answer,
    still_to_answer,
    summarise_evaluations,
)
from seminars.exports import (
    badges_pdf,
    export_attendance,
    filename,
    registration_counts,
    registrations_workbook,
)
from seminars.forms import (
    EditRegistrationForm,
    EmailRegistrantsForm,
    ImportForm,
    ManualRegistrationForm,
    RegistrationFilterForm,
)
from seminars.importer import import_registrations
from seminars.links import event_path
from seminars.models import (
    PRESENT,
    Registration,
    SeminarPage,
    position_label,
    waiting_positions,
    with_slots,
    with_taken,
)
from seminars.retention import retention_dates
from seminars.services import (
    RegistrationError,
    cancel_registration,
    certificates_to_send,
    edit_refusal,
    email_registrants,
    fix_commune,
    register_person,
    resend_personal_link,
    send_certificates,
    set_check_in,
    update_registration,
)
from tenants.models import Commune
from union import roles
from union.params import parse_digits
from union.spreadsheets import CONTENT_TYPES, ImportRejected, download_response
from union.task_queue import read_queue_state


def can_organise(user) -> bool:
    return roles.has_union_role(user, roles.UNION_ADMIN, roles.EVENT_ORGANISER)


def _seminar(request, pk: int) -> SeminarPage:
    if not can_organise(request.user):
        raise PermissionDenied("Réservé aux organisateurs d'événements de l'union.")
    return get_object_or_404(SeminarPage, pk=pk)


class Refused(Http404):
    """A request the organiser's screens cannot answer, with its French reason: `explained`
    renders it in an admin page (status 404, or `status=400` for a bad parameter), as Wagtail's
    admin 404 page ignores the message. An Http404 all the same, so that the API, which shares
    `attendance_response`, answers it as any 404 with the message as its `detail`."""

    def __init__(self, message: str, *, status: int = 404, title: str = ""):
        super().__init__(message)
        self.message = message
        self.status = status
        self.title = title  # the page's title, when neither « Introuvable » nor a bad parameter


NOT_FOUND = "Cette page n'existe pas ou plus : l'événement ou l'inscription a pu être supprimé."
SCAN_UNKNOWN = "Code d'émargement inconnu : cherchez la personne dans la liste."
FORMAT_UNKNOWN = "Format inconnu : csv, xlsx ou pdf."
ATELIER_UNKNOWN = "Cet atelier n'existe pas ou plus dans cet événement."


def explained(view):
    """Wrap an organiser's view so that a 404 (or a bad parameter) is an admin page with the
    reason and a link back to the list, instead of Wagtail's generic « page introuvable »."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as error:
            if not can_organise(request.user):
                raise  # the others learn nothing more than a 404
            refused = error if isinstance(error, Refused) else Refused(NOT_FOUND)
        seminar = SeminarPage.objects.filter(pk=kwargs.get("pk")).first()
        return _render(
            request,
            "problem.html",
            seminar,
            refused.title or ("Paramètre invalide" if refused.status == 400 else "Introuvable"),
            message=refused.message,
            status=refused.status,
        )

    return wrapper


def _id(value, message: str = NOT_FOUND) -> int:
    """A primary key from the query string or a form; 404 for anything else (never a 500)."""
    pk = None if value is None else parse_digits(str(value), 18)  # ids fit PostgreSQL's bigint
    if pk is None:
        raise Refused(message)
    return pk


def _render(request, template: str, seminar: SeminarPage | None, title: str, **context):
    context.update({"seminar": seminar, "page_title": title, "header_icon": "date"})
    return render(request, f"seminars/admin/{template}", context, status=context.pop("status", 200))


def seminar_list(request):
    if not can_organise(request.user):
        raise PermissionDenied("Réservé aux organisateurs d'événements de l'union.")
    events = SeminarPage.objects.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
        flagged=Count(
            "registrations",
            filter=Q(registrations__commune_status="flagged")
            & ~Q(registrations__status="cancelled"),
        ),
    ).order_by("-start")
    now = timezone.now()
    return _render(
        request,
        "seminar_list.html",
        None,
        "Événements et inscriptions",
        upcoming=[e for e in events if e.end >= now][::-1],
        past=[e for e in events if e.end < now],
        queue=read_queue_state(),
    )


def year_report(request):
    """The year's events in figures, for the union's activity report (`?annee=`)."""
    if not can_organise(request.user):
        raise PermissionDenied("Réservé aux organisateurs d'événements de l'union.")
    years = report_years()
    asked = request.GET.get("annee", "")
    year = parse_digits(asked, 4) if asked else None
    if year not in years:
        if year is not None:
            messages.error(
                request, f"Aucun événement en « {asked} » : voici la dernière année écoulée."
            )
        elif asked:  # not a year at all (« abc », « ² »)
            messages.error(request, f"Année invalide : « {asked} ».")
        year = default_report_year()
    report = build_year_report(year)
    if request.GET.get("format") == "xlsx":
        return download_response(
            year_report_workbook(report), "xlsx", f"bilan-rencontres-{year}.xlsx"
        )
    return _render(
        request,
        "year_report.html",
        None,
        f"Bilan des rencontres {year}",
        report=report,
        years=years,
    )


Status = Registration.Status


def in_list_order(queryset):
    """Confirmed people, then those waiting in the order the seats go to them (as promote_waiting
    takes them), then the cancelled ones; by name within the confirmed and the cancelled."""
    waiting = Q(status=Status.WAITLISTED)
    return queryset.annotate(
        status_rank=Case(
            When(status=Status.CONFIRMED, then=0),
            When(waiting, then=1),
            default=2,
            output_field=IntegerField(),
        ),
        waiting_since=Case(When(waiting, then=F("waitlisted_at"))),
        waiting_pk=Case(When(waiting, then=F("pk"))),
    ).order_by(
        "status_rank",
        F("waiting_since").asc(nulls_last=True),
        F("waiting_pk").asc(nulls_last=True),
        "nom",
        "prenom",
        "pk",
    )


def _list_url(seminar: SeminarPage, query: str = "") -> str:
    """The registrations list with the organiser's filters (`query`, a query string) kept. The
    query string is parsed and re-encoded: only parameters, never a path or another site."""
    url = reverse("seminars_admin:registrations", args=[seminar.pk])
    query = QueryDict(query or "").urlencode()
    return f"{url}?{query}" if query else url


def _listed(request, seminar: SeminarPage) -> tuple[RegistrationFilterForm, object]:
    """The registrations as the organiser filtered them, in list order."""
    filters = RegistrationFilterForm(request.GET or None, seminar=seminar)
    queryset = in_list_order(
        filters.filter(
            seminar.registrations.select_related("commune", "registered_by").prefetch_related(
                "ateliers"
            )
        )
    )
    return filters, queryset


def registrations(request, pk: int):
    seminar = _seminar(request, pk)
    filters, queryset = _listed(request, seminar)
    positions = waiting_positions(seminar.pk)
    queryset = list(queryset)
    for registration in queryset:
        registration.position = position_label(positions.get(registration.pk))
    return _render(
        request,
        "registrations.html",
        seminar,
        f"Inscriptions – {seminar.title}",
        filters=filters,
        registrations=queryset,
        ateliers=seminar.ateliers.order_by("starts_at"),
        page_url=event_path(seminar),
        seats_left=seminar.seats_left(),
        ended=seminar.has_ended(),
        present_count=seminar.registrations.filter(PRESENT).count(),
        certificates_due=certificates_to_send(seminar).count(),
        evaluations_count=event_evaluations(seminar).count(),
        flagged_count=seminar.registrations.filter(commune_status="flagged")
        .exclude(status="cancelled")
        .count(),
        queue=read_queue_state(),
        retention=retention_dates(seminar),
    )


def check_in_as_posted(request, registration: Registration) -> None:
    """Check in (present=1) or undo it, as the organiser's button posted, and say so."""
    present = request.POST.get("present") == "1"
    set_check_in(registration, present, actor=request.user)
    state = "présent(e)" if present else "non émargé(e)"
    messages.success(request, f"{registration.prenom} {registration.nom} : {state}.")


@require_POST
def check_in(request, pk: int, registration_pk: int):
    seminar = _seminar(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, seminar=seminar)
    check_in_as_posted(request, registration)
    # Back to the same filtered list: check-in goes person after person.
    return redirect(_list_url(seminar, request.POST.get("query", "")))


def scan(request, code: str):
    """What a scanned QR code opens: the person, their status and ateliers, and one button to
    check them in (a GET never writes: a phone's browser may reload or preload the page)."""
    if not can_organise(request.user):
        raise PermissionDenied("Réservé aux organisateurs d'événements de l'union.")
    registration = read_check_in_code(code)
    if registration is None:
        raise Refused(SCAN_UNKNOWN)
    seminar = registration.seminar
    if request.method == "POST":
        check_in_as_posted(request, registration)
        return redirect("seminars_admin:scan", code=code)
    return _render(
        request,
        "scan.html",
        seminar,
        f"Émargement – {registration.prenom} {registration.nom}",
        registration=registration,
        ateliers=with_slots(registration.ateliers.order_by("starts_at"), seminar),
    )


def cancel(request, pk: int, registration_pk: int):
    """Cancel after a confirmation page (GET): the person is e-mailed and, when they held a seat,
    the first person waiting who fits is confirmed. Back to the list as it was filtered."""
    seminar = _seminar(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, seminar=seminar)
    query = (
        request.POST.get("query", "") if request.method == "POST" else request.GET.get("query", "")
    )
    name = f"{registration.prenom} {registration.nom}"
    if registration.status == Status.CANCELLED:
        messages.info(request, f"L'inscription de {name} était déjà annulée.")
        return redirect(_list_url(seminar, query))
    if request.method == "POST":
        cancel_registration(registration, actor=request.user)
        messages.success(request, f"Inscription de {name} annulée.")
        return redirect(_list_url(seminar, query))
    return _render(
        request,
        "cancel.html",
        seminar,
        f"Annuler l'inscription de {name} ?",
        registration=registration,
        query=QueryDict(query).urlencode(),
        back_url=_list_url(seminar, query),
        frees_seat=registration.status == Status.CONFIRMED,
        waiting_count=seminar.registrations.filter(status=Status.WAITLISTED).count(),
    )


@require_POST
def resend_link(request, pk: int, registration_pk: int):
    """E-mail the person a fresh personal link (they lost it); back to the list as filtered."""
    seminar = _seminar(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, seminar=seminar)
    try:
        resend_personal_link(registration, actor=request.user)
    except RegistrationError as error:
        for message in error.errors.get("__all__", []) + error.errors.get("email", []):
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"Lien personnel envoyé à {registration.prenom} {registration.nom} "
            f"({registration.email}).",
        )
    return redirect(_list_url(seminar, request.POST.get("query", "")))


def add(request, pk: int):
    seminar = _seminar(request, pk)
    form = ManualRegistrationForm(request.POST or None, seminar=seminar)
    if request.method == "POST" and form.is_valid():
        try:
            registration, created = register_person(
                seminar,
                form.to_data(),
                source=Registration.Source.MANUAL,
                actor=request.user,
            )
        except RegistrationError as error:
            form.add_registration_errors(error)
        else:
            verb = "ajoutée" if created else "mise à jour"
            messages.success(
                request,
                f"Inscription de {registration.prenom} {registration.nom} {verb} "
                f"({registration.get_status_display().lower()}).",
            )
            return redirect("seminars_admin:registrations", pk=seminar.pk)
    return _render(
        request,
        "form.html",
        seminar,
        f"Ajouter une inscription – {seminar.title}",
        form=form,
        submit="Ajouter",
        summary_title="L'inscription n'est pas enregistrée : des informations sont à corriger",
        status=400 if form.errors else 200,
    )


def edit(request, pk: int, registration_pk: int):
    """Correct a registration (name, address, commune, fonction, ateliers, needs, consent) with
    the manual add's form and the rules of registering (update_registration). Back to the list
    as it was filtered (`?query=`, kept by the form, which posts to this same address)."""
    seminar = _seminar(request, pk)
    registration = get_object_or_404(
        Registration.objects.select_related("commune"), pk=registration_pk, seminar=seminar
    )
    refusal = edit_refusal(registration)
    if refusal:
        raise Refused(refusal, status=409, title="Modification impossible")
    name = f"{registration.prenom} {registration.nom}"
    form = EditRegistrationForm(request.POST or None, seminar=seminar, registration=registration)
    if request.method == "POST" and form.is_valid():
        try:
            registration, changed = update_registration(
                registration, form.to_data(), actor=request.user
            )
        except RegistrationError as error:
            form.add_registration_errors(error)
        else:
            say_what_was_edited(request, registration, changed)
            return redirect(_list_url(seminar, request.GET.get("query", "")))
    return _render(
        request,
        "form.html",
        seminar,
        f"Modifier l'inscription de {name} – {seminar.title}",
        form=form,
        submit="Enregistrer les modifications",
        summary_title="L'inscription n'est pas modifiée : des informations sont à corriger",
        status=400 if form.errors else 200,
    )


def say_what_was_edited(request, registration: Registration, changed: list[str]) -> None:
    name = f"{registration.prenom} {registration.nom}"
    if not changed:
        messages.info(request, f"Aucune modification de l'inscription de {name}.")
        return
    told = " La personne en est informée par e-mail." if registration.email else ""
    messages.success(
        request,
        f"Inscription de {name} modifiée ({registration.get_status_display().lower()}).{told}",
    )


def import_view(request, pk: int):
    seminar = _seminar(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_registrations(
                seminar,
                upload.read(),
                upload.name,
                hint=form.cleaned_data["hint"] or None,
                actor=request.user,
            )
        except ImportRejected as failure:
            errors = failure.errors
        else:
            messages.success(
                request,
                f"{result.imported} inscription(s) importée(s) : {result.confirmed} confirmée(s), "
                f"{result.waitlisted} en liste d'attente, {result.flagged} commune(s) à vérifier.",
            )
            return redirect("seminars_admin:registrations", pk=seminar.pk)
    return _render(
        request,
        "import.html",
        seminar,
        f"Importer une liste – {seminar.title}",
        form=form,
        errors=errors,
        # A refused file (its lines) or a refused form (no file, an empty one, an unknown hint).
        status=400 if errors or form.errors else 200,
    )


def flagged(request, pk: int):
    """Resolve communes typed by people or in imports that the matcher could not recognise.

    A correction that fails re-shows the page (400) with the error on that person's row and the
    code as typed, so the organiser sees whose commune it was and corrects the code."""
    seminar = _seminar(request, pk)
    problem = None
    if request.method == "POST":
        registration = get_object_or_404(
            Registration, pk=_id(request.POST.get("registration")), seminar=seminar
        )
        typed = request.POST.get("code_typed") or ""
        # The typed code wins over the suggestion checked (the first one is, by default).
        code = typed.strip().upper() or (request.POST.get("code") or "").strip().upper()
        name = f"{registration.prenom} {registration.nom}"
        if code and Commune.objects.filter(code=code).exists():
            fix_commune(registration, code, actor=request.user)
            messages.success(request, f"Commune de {name} corrigée.")
            return redirect("seminars_admin:flagged", pk=seminar.pk)
        problem = {
            "registration": registration.pk,
            "typed": typed,
            "checked": request.POST.get("code"),
            "message": f"Code INSEE inconnu pour {name} : « {code} »."
            if code
            else f"Choisissez la commune de {name} ou saisissez son code INSEE.",
        }
    rows = list(
        seminar.registrations.filter(commune_status="flagged")
        .exclude(status="cancelled")
        .order_by("commune_typed", "nom")
    )
    for row in rows:
        row.failed = problem is not None and row.pk == problem["registration"]
    if problem is not None:
        # Someone else may have corrected this row meanwhile: then the message stands alone.
        problem["on_row"] = any(row.failed for row in rows)
    return _render(
        request,
        "flagged.html",
        seminar,
        f"Communes à vérifier – {seminar.title}",
        rows=rows,
        problem=problem,
        status=400 if problem else 200,
    )


def export(request, pk: int):
    seminar = _seminar(request, pk)
    return attendance_response(
        seminar, request.GET.get("format", "csv"), request.GET.get("atelier")
    )


def attendance_response(seminar: SeminarPage, fmt: str, atelier_id: str | None = None):
    """The attendance sheet as a download (shared by the admin and the API). An unknown format
    is a bad parameter (400 in the admin), an atelier not of this event not found (404, with the
    reason as `detail` in the API)."""
    if fmt not in CONTENT_TYPES:
        raise Refused(FORMAT_UNKNOWN, status=400)
    atelier = None
    if atelier_id:
        atelier = seminar.ateliers.filter(pk=_id(atelier_id, ATELIER_UNKNOWN)).first()
        if atelier is None:
            raise Refused(ATELIER_UNKNOWN)
    return download_response(
        export_attendance(seminar, fmt, atelier), fmt, filename(seminar, atelier, fmt)
    )


def export_list(request, pk: int):
    """The list as filtered on screen, as a workbook."""
    seminar = _seminar(request, pk)
    _filters, queryset = _listed(request, seminar)
    return download_response(
        registrations_workbook(seminar, queryset), "xlsx", f"inscriptions-{seminar.slug}.xlsx"
    )


def badges(request, pk: int):
    seminar = _seminar(request, pk)
    return download_response(badges_pdf(seminar), "pdf", f"badges-{seminar.slug}.pdf")


def certificates(request, pk: int):
    """Every present person's attestation de présence in one PDF (a page each), to print."""
    seminar = _seminar(request, pk)
    present = present_registrations(seminar)
    if not present:
        messages.error(request, "Aucune présence émargée : pas d'attestation à produire.")
        return redirect("seminars_admin:registrations", pk=seminar.pk)
    return download_response(
        certificate_pdf(seminar, present), "pdf", certificate_filename(seminar)
    )


def certificate(request, pk: int, registration_pk: int):
    seminar = _seminar(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, seminar=seminar)
    if not registration.was_present:
        raise Refused("Pas de présence émargée pour cette personne : pas d'attestation.")
    return download_response(
        certificate_pdf(seminar, [registration]),
        "pdf",
        certificate_filename(seminar, registration),
    )


@require_POST
def email_certificates(request, pk: int):
    seminar = _seminar(request, pk)
    if not seminar.has_ended():
        messages.error(request, "Les attestations s'envoient à la fin de l'événement.")
        return redirect("seminars_admin:registrations", pk=seminar.pk)
    count = send_certificates(seminar, actor=request.user)
    if count:
        messages.success(
            request,
            f"{count} attestation{'s' if count > 1 else ''} de présence en cours d'envoi par "
            "e-mail.",
        )
    else:
        messages.info(
            request,
            "Aucune attestation à envoyer : chaque personne présente avec une adresse e-mail a "
            "déjà reçu la sienne.",
        )
    return redirect("seminars_admin:registrations", pk=seminar.pk)


def evaluations(request, pk: int):
    """The participants' opinions, without names: levels, share satisfied, ateliers, comments."""
    seminar = _seminar(request, pk)
    return _render(
        request,
        "evaluations.html",
        seminar,
        f"Avis des participants – {seminar.title}",
        summary=summarise_evaluations(seminar),
        state=evaluations_open_state(seminar),
        to_remind=still_to_answer(seminar).count(),
        closes=evaluation_closes(seminar),
    )


@require_POST
def remind_evaluations(request, pk: int):
    seminar = _seminar(request, pk)
    count = remind_to_answer(seminar, actor=request.user)
    if count:
        messages.success(
            request,
            f"Relance en cours d'envoi à {count} personne{'s' if count > 1 else ''} présente"
            f"{'s' if count > 1 else ''} qui n'avai{'en' if count > 1 else ''}t pas répondu.",
        )
    else:
        messages.info(
            request,
            "Aucune personne à relancer : chaque personne présente avec une adresse e-mail a "
            "répondu ou a déjà été relancée, ou le questionnaire n'est pas ouvert.",
        )
    return redirect("seminars_admin:evaluations", pk=seminar.pk)


def export_evaluations(request, pk: int):
    seminar = _seminar(request, pk)
    return download_response(evaluations_workbook(seminar), "xlsx", f"avis-{seminar.slug}.xlsx")


def stats(request, pk: int):
    seminar = _seminar(request, pk)
    return _render(
        request,
        "stats.html",
        seminar,
        f"Chiffres – {seminar.title}",
        counts=registration_counts(seminar),
        ateliers=with_taken(seminar.ateliers.all()),
        # Catering and accessibility: what people asked for, to prepare the day.
        needs=seminar.registrations.exclude(needs="")
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("nom", "prenom"),
    )


def email(request, pk: int):
    seminar = _seminar(request, pk)
    form = EmailRegistrantsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = email_registrants(
            seminar,
            form.cleaned_data["subject"],
            form.cleaned_data["body"],
            statuses=form.cleaned_data["statuses"],
            actor=request.user,
        )
        messages.success(request, f"Message envoyé à {count} personne(s).")
        return redirect("seminars_admin:registrations", pk=seminar.pk)
    return _render(
        request,
        "form.html",
        seminar,
        f"Écrire aux inscrits – {seminar.title}",
        form=form,
        submit="Envoyer",
        summary_title="Le message n'est pas envoyé : des informations sont à corriger",
        status=400 if form.errors else 200,
    )

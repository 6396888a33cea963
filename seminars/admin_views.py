"""Organisers' screens in the Wagtail admin: registrations, check-in, manual add, import, flagged
communes, attendance sheets, counts and a message to every registrant. Union admins and event
organisers only."""

from datetime import timedelta
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.postgres.lookups import Unaccent
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Max, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, Lower
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from seminars.annual_report import (
    build_year_report,
    default_report_year,
    report_years,
    year_report_workbook,
)
from seminars.attendance import atelier_counts, label_rows, mark_rows
from seminars.certificates import (
    attestations_open,
    certificate_filename,
    certificate_pdf,
    present_registrations,
)
from seminars.check_in import off_day, read_check_in_code
from seminars.door_access import DoorRefusal, check_door_access, door_only
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
    registrations_workbook,
)
from seminars.forms import (
    ANY_ATELIER_LIST,
    CancelEventForm,
    EditRegistrationForm,
    EmailRegistrantsForm,
    ImportForm,
    ManualRegistrationForm,
    RegistrationFilterForm,
    containing_every_word,
    search_words,
)
from seminars.importer import import_registrations, result_messages
from seminars.links import event_path, proceedings_path
from seminars.models import (
    PRESENT,
    Atelier,
    AtelierWaiting,
    Registration,
    SeminarIndexPage,
    SeminarPage,
    Visibility,
    position_label,
    waiting_positions,
    with_slots,
    with_taken,
)
from seminars.retention import (
    anonymise_on_request,
    emails_sent_to,
    erase_published_name,
    person_data_rows,
    person_data_workbook,
    record_person_lookup,
    registrations_of_address,
    retention_dates,
)
from seminars.services import (
    ATELIER_WAITING_GROUP,
    CANNOT_CANCEL_STARTED,
    NOT_ON_INVITATION,
    PRESENT_GROUP,
    EventNotCancellable,
    RegistrationError,
    cancel_event,
    cancel_registration,
    cancellation_recipients,
    certificates_to_send,
    confirm_over_capacity,
    confirmed_or_waiting,
    edit_refusal,
    email_registrants,
    fix_commune,
    give_waited_atelier_seat,
    leave_atelier_waiting,
    list_change_told,
    not_a_member_commune,
    outside_audience,
    put_first_on_atelier_list,
    register_at_the_door,
    register_person,
    reminded_of_this_date,
    renew_invitation_key,
    resend_personal_link,
    send_certificates,
    set_check_in,
    update_registration,
)
from seminars.stats import DOWNLOAD_FORMATS as STATS_FORMATS
from seminars.stats import event_figures, figures_file, figures_filename
from tenants.matching import INSEE_CODE, match_in_union
from tenants.models import Commune
from tenants.network_message import announcement_url
from tenants.services import portal_url
from union import roles
from union.formats import french_list, long_date, plural, with_de
from union.mail import TEST_WITHOUT_ADDRESS
from union.params import parse_digits
from union.spreadsheets import CONTENT_TYPES, ImportRejected, ascii_file_name, download_response
from union.stale_edits import StaleEdit, posted_version, refuse_stale
from union.submit_once import AlreadySubmitted, posted_form_id
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
        self.title = title  # the page's title, when neither « Introuvable » nor a bad parameter


NOT_FOUND = "Cette page n'existe pas ou plus : l'événement ou l'inscription a pu être supprimé."
SCAN_UNKNOWN = "Code d'émargement inconnu : cherchez la personne dans la liste."
FORMAT_UNKNOWN = "Format inconnu : csv, xlsx ou pdf."
STATS_FORMAT_UNKNOWN = "Format inconnu : xlsx ou csv."
ATELIER_UNKNOWN = "Cet atelier n'existe pas ou plus dans cet événement."


def explained(view):
    """Wrap an organiser's view so that a 404 (or a bad parameter) is an admin page with the
    reason and a link back to the list, instead of Wagtail's generic « page introuvable »; and
    the desk's refusal outside its days or of a cancelled event (a DoorRefusal) a 403 page that
    says why, which Wagtail's admin would turn into its home page's generic refusal."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DoorRefusal as refusal:  # outside its days, or cancelled: why, and the way back
            return _render(
                request,
                "problem.html",
                None,
                refusal.title,
                message=refusal.message,
                status=403,
                door=True,
            )
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
    # Once for the page rather than on each of 400 rows: the list's filters that its forms send
    # back (`query`) and one CSRF field (a single token is valid for every form of the page).
    context.update(row_query=request.GET.urlencode(), csrf_input=csrf_input(request))
    return render(request, f"seminars/admin/{template}", context, status=context.pop("status", 200))


# The organisers' list of past events, by page (`?passes=2`…): after five years of 120 events
# it rendered some 600 rows, and counted every registration of them, on each visit.
PAST_PAGE_SIZE = 25


def _registrations_count(*conditions, **filters):
    """The event's registrations matching `filters`, counted in a subquery: run for the rows
    fetched only (a page), not for five years of registrations grouped by event."""
    counted = (
        Registration.objects.filter(*conditions, seminar=OuterRef("pk"), **filters)
        .order_by()
        .values("seminar")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(events):
    """Each event's confirmed, waiting and flagged registrations, counted in the same query."""
    return events.annotate(
        confirmed=_registrations_count(status="confirmed"),
        waiting=_registrations_count(status="waitlisted"),
        flagged=_registrations_count(~Q(status="cancelled"), commune_status="flagged"),
    )


def seminar_list(request):
    """The events to come (all of them, the nearest first), then the past ones by page, the
    latest first; `?q=` keeps the events whose title has every word typed (accents and case
    ignored), on every page."""
    if not can_organise(request.user):
        raise PermissionDenied("Réservé aux organisateurs d'événements de l'union.")
    events = SeminarPage.objects.all()
    typed = request.GET.get("q", "").strip()[:200]
    if typed:
        titles = Unaccent(Lower("title"))
        events = containing_every_word(events, "title_search", titles, search_words(typed))
    now = timezone.now()
    upcoming = list(with_counts(events.filter(end__gte=now)).order_by("start", "pk"))
    past_page = Paginator(
        with_counts(events.filter(end__lt=now)).order_by("-start", "pk"), PAST_PAGE_SIZE
    ).get_page(request.GET.get("passes"))
    past = list(past_page.object_list)
    index = SeminarIndexPage.objects.first()
    return _render(
        request,
        "seminar_list.html",
        None,
        "Événements et inscriptions",
        upcoming=upcoming,
        past=past,
        past_page=past_page,
        past_hidden=past_page.paginator.count - len(past),
        typed=typed,
        queue=read_queue_state(),
        # Wagtail's « add a child page » of the calendar, which only takes events.
        new_event_url=reverse("wagtailadmin_pages:add_subpage", args=[index.pk]) if index else "",
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
                request, f"Aucun événement en « {asked} » : voici la dernière année écoulée."
            )
        elif asked:  # not a year at all (« abc », « ² »)
            messages.error(request, f"Année invalide : « {asked} ».")
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
    takes them), then the cancelled ones; by name within the confirmed and the cancelled, as a
    reader sorts names and as the PDF sheets do: case and accents ignored (« Da Silva » before
    « DUPONT », « Émond » among the E), with PostgreSQL's `unaccent`."""
    waiting = Q(status=Status.WAITLISTED)
    return queryset.annotate(
        sort_nom=Unaccent(Lower("nom")),
        sort_prenom=Unaccent(Lower("prenom")),
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
        "sort_nom",
        "sort_prenom",
        "pk",
    )


def _list_url(seminar: SeminarPage, query: str = "", row: Registration | None = None) -> str:
    """The registrations list with the organiser's filters (`query`, a query string) kept. The
    query string is parsed and re-encoded: only parameters, never a path or another site.
    `row`: back at that person's row (`#r-<id>`), where the organiser was, not at the top."""
    url = reverse("seminars_admin:registrations", args=[seminar.pk])
    query = QueryDict(query or "").urlencode()
    url = f"{url}?{query}" if query else url
    return f"{url}#r-{row.pk}" if row is not None else url


# A registration id no row has, reversed in its place and then replaced by each row's.
_ROW_MARKER = 987654321987654321


def row_urls(rows, seminar: SeminarPage, **names: str) -> None:
    """Each row's action addresses as `row.urls[key]`, for `key=url name` of the admin's
    `<int:pk>/<int:registration_pk>/…` pages: each address is reversed once per page and each
    row's id put in it (a reverse() per link of each of 400 rows took a third of the page's
    time), the same addresses as `{% url name seminar.pk r.pk %}`."""
    patterns = {}
    for key, name in names.items():
        head, tail = reverse(name, args=[seminar.pk, _ROW_MARKER]).rsplit(str(_ROW_MARKER), 1)
        patterns[key] = (head, tail)
    for row in rows:
        row.urls = {key: f"{head}{row.pk}{tail}" for key, (head, tail) in patterns.items()}


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
    waited = filters.waiting_list_shown()
    if waited:
        queryset = in_atelier_waiting_order(queryset, waited)
    return filters, queryset


def in_atelier_waiting_order(queryset, atelier_id: int):
    """One atelier's waiting list in the order its freed seats go (as
    models.atelier_waiting_list_ranks counts the ranks): by the date each person joined it."""
    wait = AtelierWaiting.objects.filter(registration=OuterRef("pk"), atelier_id=atelier_id)
    return queryset.annotate(
        atelier_wait_since=Subquery(wait.values("joined_at")[:1]),
        atelier_wait_pk=Subquery(wait.values("pk")[:1]),
    ).order_by("atelier_wait_since", "atelier_wait_pk")


def waiting_list_message_url(seminar: SeminarPage, filters: RegistrationFilterForm) -> str:
    """The message form with the shown waiting list's group ticked (its atelier chosen), for a
    list filtered by one atelier's waiting list or by every one; "" otherwise or once started."""
    shown = filters.waiting_filter()
    if not shown or seminar.has_started():
        return ""
    return f"{reverse('seminars_admin:email', args=[seminar.pk])}?{LIST_MESSAGE}={shown}"


def registrations(request, pk: int):
    seminar = _seminar(request, pk)
    filters, queryset = _listed(request, seminar)
    waited = filters.waiting_list_shown()  # one atelier's waiting list, or None
    positions = waiting_positions(seminar.pk)
    queryset = list(queryset)
    for registration in queryset:
        registration.position = position_label(positions.get(registration.pk))
    shown_atelier = filtered_atelier(filters, seminar)
    confirmed = seminar.confirmed_count()
    event_day = seminar.is_event_day()
    if event_day or request.GET.get(DOOR) == "1":
        # At the desk: « Présent(e) à l'atelier » on each row (attendance.mark_rows).
        mark_rows(seminar, queryset, shown_atelier=shown_atelier)
    else:
        label_rows(seminar, queryset)  # each row's ateliers, told apart by their slot
    row_urls(
        queryset,
        seminar,
        check_in="seminars_admin:check_in",
        edit="seminars_admin:edit",
        cancel="seminars_admin:cancel",
        resend_link="seminars_admin:resend_link",
        erase_name="seminars_admin:erase_name",
        certificate="seminars_admin:certificate",
        leave_atelier_list="seminars_admin:leave_atelier_list",
        give_atelier_seat="seminars_admin:give_atelier_seat",
        put_first_on_list="seminars_admin:put_first_on_list",
    )
    return _render(
        request,
        "registrations.html",
        seminar,
        f"Inscriptions – {seminar.title}",
        filters=filters,
        registrations=queryset,
        ateliers=seminar.ateliers.order_by("starts_at"),
        page_url=event_path(seminar),
        # In full: the organiser pastes it into an invitation e-mail (as seminars.emails does).
        invitation_url=portal_url(event_path(seminar)),
        proceedings_message_url=proceedings_message_url(seminar),
        # « Annoncer aux membres »: « Écrire aux membres » filled in with the event (union
        # admins and event organisers).
        announce_url=announcement_url(seminar, request.user),
        reminder_state=reminder_state(seminar),
        seats_left=max(0, seminar.seats - confirmed),
        confirmed_count=confirmed,
        over_capacity=max(0, confirmed - seminar.seats),
        ended=seminar.has_ended(),
        started=seminar.has_started(),
        # The event's day, or the « Accueil des participants » link: the list before the rest.
        door=event_day or request.GET.get(DOOR) == "1",
        door_param=DOOR,
        door_filters=DOOR_FILTERS,
        # The other filters are folded at the desk, open when one of them is used.
        more_filters_used=any(
            request.GET.get(name) or name in filters.errors
            for name in filters.fields
            if name not in DOOR_FILTERS
        ),
        event_day=event_day,
        present_count=seminar.registrations.filter(PRESENT).count(),
        certificates_due=certificates_to_send(seminar).count(),
        evaluations_count=event_evaluations(seminar).count(),
        flagged_count=seminar.registrations.filter(commune_status="flagged")
        .exclude(status="cancelled")
        .count(),
        queue=read_queue_state(),
        retention=retention_dates(seminar),
        shown_atelier=shown_atelier,
        atelier_counts=atelier_counts(shown_atelier) if shown_atelier else None,
        # Filtered by an atelier's waiting list: the rows in its order, said in the caption.
        waiting_list_label=seminar.atelier_labels.get(waited, ""),
        waiting_list_atelier=waited,  # each row's buttons say which
        every_waiting_list=filters.every_waiting_list_shown(),
        # « Écrire aux personnes de cette liste d'attente » (or of every list), until the start.
        list_message_url=waiting_list_message_url(seminar, filters),
        # « Lui donner la place libre » on its rows while the atelier has room, after the
        # cut-off: before it, a freed seat is given at once to the first on the list.
        waiting_list_room=0
        if seminar.is_cancelled or seminar.has_ended() or seminar.changes_open()
        else atelier_seats_left(waited),
        # Whether the person given a seat is e-mailed (not once the event has begun).
        waiting_list_told=list_change_told(seminar),
        # The rows' links back to the list as filtered (`?query=`, as |urlencode), once.
        back_query=f"?query={quote(request.GET.urlencode(), safe='/')}" if request.GET else "",
    )


def reminder_state(seminar: SeminarPage, now=None) -> str:
    """« Rappel automatique : … », when the reminder of services.send_due_reminders goes or went
    for the event's present date, so that the organiser does not send a second one by hand; ""
    for an event cancelled or begun without any reminder sent."""
    now = now or timezone.now()
    days = settings.SEMINAR_REMINDER_DAYS
    # A reminder of the date before an event was put off does not count.
    reminded = seminar.registrations.filter(reminded_of_this_date())
    sent = reminded.aggregate(
        count=Count("pk"), first=Min("reminder_sent_at"), last=Max("reminder_sent_at")
    )
    to_remind = (
        seminar.registrations.filter(status=Status.CONFIRMED)
        .exclude(email="")
        .exclude(pk__in=reminded.values("pk"))
        .count()
    )
    coming = not seminar.has_started(now) and not seminar.is_cancelled
    if sent["count"]:
        text = (
            f"Rappel automatique : envoyé le {long_date(sent['first'], time=True)} à "
            f"{plural(sent['count'], 'personne', 'personnes')}"
        )
        if timezone.localdate(sent["last"]) != timezone.localdate(sent["first"]):
            text += f" (les dernières le {long_date(sent['last'], time=True)})"
        text += "."
        if coming and to_remind:
            confirmed = plural(to_remind, "personne confirmée", "personnes confirmées")
            verb = "le recevra" if to_remind == 1 else "le recevront"
            text += f" {confirmed} depuis {verb} lors du prochain envoi quotidien."
        return text
    if not coming:
        return ""
    if to_remind == 0:
        who = "les personnes confirmées qui ont une adresse e-mail (aucune pour l'instant)"
    elif to_remind == 1:
        who = "la personne confirmée qui a une adresse e-mail (et celles confirmées d'ici là)"
    else:
        who = (
            f"les {to_remind} personnes confirmées qui ont une adresse e-mail (et celles "
            "confirmées d'ici là)"
        )
    due = timezone.localdate(seminar.start) - timedelta(days=days)
    when = (
        f"prévu le {long_date(due)}, {plural(days, 'jour', 'jours')} avant l'événement"
        if due > timezone.localdate(now)
        else "part lors du prochain envoi quotidien des rappels"
    )
    draft = "" if seminar.live else " une fois l'événement publié"
    return f"Rappel automatique : {when}, pour {who}{draft}. Inutile d'envoyer un rappel vous-même."


# « Écrire aux présents que les actes sont en ligne »: the message form, filled in (`?message=`).
PROCEEDINGS_MESSAGE = "actes"
# « Écrire aux personnes de cette liste d'attente » (one atelier's): `?liste=<atelier id>`.
LIST_MESSAGE = "liste"


def proceedings_message_url(seminar: SeminarPage) -> str:
    """The form's address, ready to tell those who came that the proceedings are published; ""
    before the event or the proceedings."""
    if not seminar.has_started() or seminar.get_proceedings() is None:
        return ""
    url = reverse("seminars_admin:email", args=[seminar.pk])
    return f"{url}?message={PROCEEDINGS_MESSAGE}"


def proceedings_message(seminar: SeminarPage) -> dict | None:
    """The message to those who came, with the proceedings' full address (the invitation key
    too for an invitation-only event: its proceedings open only with it); None without them.
    Only filled in: the organiser reads it over and sends it."""
    proceedings = seminar.get_proceedings() if seminar.has_started() else None
    if proceedings is None:
        return None
    url = portal_url(proceedings_path(seminar, proceedings))
    return {
        "subject": f"Les actes de « {seminar.title} » sont en ligne",
        "body": (
            f"Merci d'avoir participé à « {seminar.title} ». Les actes sont en ligne : "
            "interventions, synthèses des ateliers et documents à télécharger.\n\n"
            f"{url}\n\nBonne lecture."
        ),
        "statuses": [PRESENT_GROUP],
    }


def atelier_seats_left(atelier_id: int | None) -> int:
    """The free seats of an atelier (confirmed people counted); 0 for none."""
    atelier = with_taken(Atelier.objects.filter(pk=atelier_id)).first() if atelier_id else None
    return max(0, atelier.seats - atelier.taken) if atelier else 0


def filtered_atelier(filters, seminar: SeminarPage):
    """The atelier the list is filtered by (the per-atelier door view), or None."""
    filters.is_valid()
    atelier_id = filters.cleaned_data.get("atelier") if hasattr(filters, "cleaned_data") else None
    return seminar.ateliers.filter(pk=atelier_id).first() if atelier_id else None


# The list's parameter of the welcome desk's layout (« Accueil des participants »), and the
# filters it shows unfolded: a name typed on a phone, who came or not.
DOOR = "accueil"
DOOR_FILTERS = ("q", "presence")


def check_in_as_posted(request, registration: Registration, here: str, back: str):
    """What the organiser's buttons posted for a person, on the list or the scan screen:
    `present` 1 (check in) or 0 (undo it), `seat` 1 (« Confirmer malgré la jauge »; with
    `present`: « Confirmer et émarger »). A check-in outside the event's days asks first
    (check_in_question): the same fields are posted again with `confirm=1`. `here`: the address
    the question's form posts to, `back` the page to go back to. Returns that question's page, or None once done (said in a
    message)."""
    present = request.POST.get("present") == "1"
    seat = request.POST.get("seat") == "1"
    seminar = registration.seminar
    name = f"{registration.prenom} {registration.nom}"
    checking_in = present and registration.checked_in_at is None
    if checking_in and not seminar.check_in_expected() and request.POST.get("confirm") != "1":
        return check_in_question(request, registration, here, back)
    if request.POST.get("atelier"):
        # « Présent(e) à l'atelier »: also checks the person in at the event, asked first above
        # outside the event's days, as « Émarger ».
        atelier_presence_as_posted(request, registration, present)
        return None
    if seat:
        try:
            result = confirm_over_capacity(registration, actor=request.user, check_in=present)
        except RegistrationError as error:
            for message in error.errors.get("__all__", []):
                messages.error(request, message)
            return None
        messages.success(request, over_capacity_message(result))
        return None
    if "present" not in request.POST:
        return None  # nothing asked (a form posted without its button's fields)
    undone = set_check_in(registration, present, actor=request.user)
    state = "présent(e)" if present else "non émargé(e)"
    if len(undone) == 1:
        state += f" (et présence à l'atelier « {undone[0]} » annulée)"
    elif undone:
        titles = ", ".join(f"« {title} »" for title in undone)
        state += f" (et présences aux ateliers {titles} annulées)"
    messages.success(request, f"{name} : {state}.")
    return None


def atelier_presence_as_posted(request, registration: Registration, present: bool) -> None:
    """The atelier's button of a person's row (`atelier` posted with `present` 1 or 0), said in
    a message."""
    from seminars.attendance import set_atelier_presence

    name = f"{registration.prenom} {registration.nom}"
    atelier = registration.seminar.ateliers.filter(
        pk=_id(request.POST.get("atelier"), ATELIER_UNKNOWN)
    ).first()
    if atelier is None:
        raise Refused(ATELIER_UNKNOWN)
    was_checked_in = registration.checked_in_at is not None
    try:
        set_atelier_presence(registration, atelier, present, actor=request.user)
    except RegistrationError as error:
        for messages_ in error.errors.values():
            for message in messages_:
                messages.error(request, message)
        return
    if present:
        also = "" if was_checked_in else " (et présence à l'événement émargée)"
        messages.success(request, f"{name} : présent(e) à l'atelier « {atelier.label} »{also}.")
    else:
        messages.success(request, f"{name} : présence à l'atelier « {atelier.label} » annulée.")


def check_in_question(request, registration: Registration, here: str, back: str):
    """Checking someone in outside the event's days (SeminarPage.check_in_days): most likely the
    wrong event or a slip of the finger, and the attestation would certify a presence before the
    event took place. The organiser confirms, or goes back (`back`)."""
    seminar = registration.seminar
    day = off_day(seminar)
    name = f"{registration.prenom} {registration.nom}"
    return _render(
        request,
        "check_in_confirm.html",
        seminar,
        f"Émarger {name} aujourd'hui ?",
        registration=registration,
        when=day.when,
        today=day.today,
        first=day.first,
        last=day.last,
        action=here,
        # The button's fields, posted again with confirm=1.
        fields={
            key: request.POST[key]
            for key in ("present", "seat", "query", "atelier")
            if key in request.POST
        },
        back_url=back,
    )


def over_capacity_message(result, added: str = "") -> str:
    """What « Confirmer malgré la jauge » did, in French, with the counts organisers watch.
    `added`: « ajoutée » or « mise à jour », when the manual add (« Présent(e) maintenant ») came
    first."""
    registration = result.registration
    name = f"{registration.prenom} {registration.nom}"
    checked = " et présence émargée" if registration.checked_in_at else ""
    if not result.confirmed_now:
        return f"{name} était déjà confirmé(e){checked}."
    if added:
        text = f"Inscription {with_de(name)} {added}, confirmée{checked}"
    else:
        text = f"Inscription {with_de(name)} confirmée{checked}"
    if result.beyond:
        text += (
            f", au-delà de la jauge : {confirmed_label(result.confirmed)} pour "
            f"{result.seats} place{'s' if result.seats > 1 else ''}, dont {result.beyond} "
            "au-delà de la jauge."
        )
    else:
        text += "."
    if result.full_ateliers:
        names = ", ".join(f"« {title} »" for title in result.full_ateliers)
        text += f" Atelier complet, où la personne est comptée en plus : {names}."
    if registration.email:
        text += " Un e-mail de confirmation lui est envoyé."
    return text


def confirmed_label(count: int) -> str:
    return f"{count} confirmé{'s' if count > 1 else ''}"


@require_POST
def check_in(request, pk: int, registration_pk: int):
    seminar = _seminar(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, seminar=seminar)
    query = request.POST.get("query", "")
    back = _list_url(seminar, query, registration)
    here = reverse("seminars_admin:check_in", args=[pk, registration_pk])
    question = check_in_as_posted(request, registration, here, back)
    if question is not None:
        return question
    # Back to the same filtered list, at the person's row: check-in goes person after person.
    return redirect(back)


def scan(request, code: str):
    """What a scanned QR code opens: the person, their status and ateliers, and one button to
    check them in (a GET never writes: a phone's browser may reload or preload the page).
    The « Accueil des participants » too, for the events of their day window, without the
    person's needs nor the link to edit the registration (door_access)."""
    check_door_access(request.user)
    registration = read_check_in_code(code)
    if registration is None:
        raise Refused(SCAN_UNKNOWN)
    seminar = registration.seminar
    check_door_access(request.user, seminar)
    only_door = door_only(request.user)
    if request.method == "POST":
        if only_door and request.POST.get("seat") == "1" and request.POST.get("present") != "1":
            raise PermissionDenied("« Confirmer malgré la jauge » est réservé aux organisateurs.")
        here = reverse("seminars_admin:scan", args=[code])
        question = check_in_as_posted(request, registration, here, here)
        return question or redirect(here)
    return _render(
        request,
        "scan.html",
        seminar,
        f"Émargement – {registration.prenom} {registration.nom}",
        registration=registration,
        ateliers=with_slots(registration.ateliers.order_by("starts_at"), seminar),
        event_day=seminar.is_event_day(),
        door_only=only_door,
        back_url=reverse("seminars_admin:door_list", args=[seminar.pk])
        if only_door
        else reverse("seminars_admin:registrations", args=[seminar.pk]),
        # Checked-in people's marks: mark_rows sets registration.atelier_marks.
        marked=mark_rows(seminar, [registration]),
        # Organisers call someone late; the door's volunteers ask an organiser (door_access).
        phone_shown=not only_door,
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
        messages.info(request, f"L'inscription {with_de(name)} était déjà annulée.")
        return redirect(_list_url(seminar, query))
    if request.method == "POST":
        cancel_registration(registration, actor=request.user)
        messages.success(request, f"Inscription {with_de(name)} annulée.")
        return redirect(_list_url(seminar, query))
    return _render(
        request,
        "cancel.html",
        seminar,
        f"Annuler l'inscription {with_de(name)} ?",
        registration=registration,
        query=QueryDict(query).urlencode(),
        back_url=_list_url(seminar, query),
        frees_seat=registration.status == Status.CONFIRMED,
        over_capacity=seminar.over_capacity(),
        waiting_count=seminar.registrations.filter(status=Status.WAITLISTED).count(),
    )


def cancel_event_view(request, pk: int):
    """« Annuler l'événement »: a page that says what will happen (who gets an e-mail, who has
    no address and must be told otherwise) and takes the organiser's message; POST cancels
    (services.cancel_event). Organisers and administrators (never the desk), an event still to
    come; cancelled already (a second tab, a double click): said, nothing sent again."""
    seminar = _seminar(request, pk)
    back_url = reverse("seminars_admin:registrations", args=[seminar.pk])
    if seminar.is_cancelled:
        messages.info(
            request, f"« {seminar.title} » est déjà annulé : personne n'a été prévenu à nouveau."
        )
        return redirect(back_url)
    if seminar.has_started():
        raise Refused(CANNOT_CANCEL_STARTED, status=409, title="Annulation impossible")
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = cancel_event(seminar, by=request.user, message=form.cleaned_data["message"])
        except EventNotCancellable as error:  # started between the page and the click
            raise Refused(str(error), status=409, title="Annulation impossible") from error
        if not done.cancelled_now:
            messages.info(
                request,
                f"« {seminar.title} » était déjà annulé : personne n'a été prévenu à nouveau.",
            )
        else:
            told = plural(done.emailed, "personne prévenue", "personnes prévenues")
            messages.success(
                request, f"« {seminar.title} » est annulé : {told} par e-mail (envoi en cours)."
            )
        return redirect(back_url)
    registrations = cancellation_recipients(seminar)
    without = confirmed_or_waiting(seminar).filter(email="")
    return _render(
        request,
        "cancel_event.html",
        seminar,
        f"Annuler l'événement « {seminar.title} » ?",
        form=form,
        back_url=back_url,
        confirmed=registrations.filter(status=Status.CONFIRMED).count(),
        waiting=registrations.filter(status=Status.WAITLISTED).count(),
        without_address=_without_address(without),
        status=400 if form.errors else 200,
    )


def renew_invitation_view(request, pk: int):
    """« Renouveler le lien d'invitation »: a page that says what the old link will no longer
    open and what still works; POST renews (services.renew_invitation_key), back to the list,
    whose box then shows the new link to copy. Organisers and administrators."""
    seminar = _seminar(request, pk)
    back_url = reverse("seminars_admin:registrations", args=[seminar.pk])
    if seminar.visibility != Visibility.INVITATION:
        raise Refused(NOT_ON_INVITATION, status=409, title="Pas de lien d'invitation")
    if request.method == "POST":
        renew_invitation_key(seminar, by=request.user)
        messages.success(
            request,
            "Nouveau lien d'invitation créé : l'ancien n'ouvre plus l'événement. Copiez le "
            "nouveau ci-dessous pour les personnes invitées.",
        )
        return redirect(f"{back_url}#lien-invitation")
    return _render(
        request,
        "renew_invitation.html",
        seminar,
        f"Renouveler le lien d'invitation de « {seminar.title} » ?",
        back_url=back_url,
        registered=confirmed_or_waiting(seminar).count(),
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


@require_POST
def leave_atelier_list(request, pk: int, registration_pk: int):
    """« Retirer de la liste d'attente » on a row of one atelier's waiting list (the list's
    filter « Sur la liste d'attente de l'atelier »): she is told by e-mail; back at the list."""
    seminar, registration, atelier_id = _waiting_row(request, pk, registration_pk)
    label = seminar.atelier_labels[atelier_id]
    name = f"{registration.prenom} {registration.nom}"
    told = " ; un e-mail l'en informe" if registration.email and list_change_told(seminar) else ""
    return _said_on_the_list(
        request,
        seminar,
        leave_atelier_waiting(registration, atelier_id, actor=request.user),
        done=f"{name} ne figure plus sur la liste d'attente de l'atelier « {label} »{told}.",
        unchanged=f"{name} n'est pas (ou plus) sur la liste d'attente de l'atelier « {label} »",
    )


@require_POST
def put_first_on_list(request, pk: int, registration_pk: int):
    """« Placer en tête » on a row of one atelier's waiting list: the next seat freed there is
    hers; back at the list, in its new order."""
    seminar, registration, atelier_id = _waiting_row(request, pk, registration_pk)
    name = f"{registration.prenom} {registration.nom}"
    label = seminar.atelier_labels[atelier_id]
    try:
        moved = put_first_on_atelier_list(registration, atelier_id, actor=request.user)
    except RegistrationError as error:  # after the cut-off, from a page left open
        messages.error(request, error.errors["atelier"][0])
        return redirect(_list_url(seminar, request.POST.get("query", "")))
    return _said_on_the_list(
        request,
        seminar,
        moved,
        done=f"{name} est en tête de la liste d'attente de l'atelier « {label} » : la prochaine "
        "place libérée lui sera donnée.",
        unchanged=f"{name} est déjà en tête de la liste d'attente de l'atelier « {label} », ou "
        "n'y figure plus",
    )


def _said_on_the_list(request, seminar: SeminarPage, changed: bool, *, done: str, unchanged: str):
    """Back at the list as filtered, saying what a row's button did (`done`) or that it changed
    nothing (`unchanged`, followed by « : aucun changement. »)."""
    if changed:
        messages.success(request, done)
    else:
        messages.info(request, f"{unchanged} : aucun changement.")
    return redirect(_list_url(seminar, request.POST.get("query", "")))


def _waiting_row(request, pk: int, registration_pk: int):
    """The event, the registration and the atelier a row's button of one atelier's waiting list
    posted (`atelier`); 404 for another event's."""
    seminar = _seminar(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, seminar=seminar)
    atelier_id = _id(request.POST.get("atelier"), ATELIER_UNKNOWN)
    if atelier_id not in seminar.atelier_labels:
        raise Refused(ATELIER_UNKNOWN)
    return seminar, registration, atelier_id


@require_POST
def give_atelier_seat(request, pk: int, registration_pk: int):
    """« Lui donner la place libre » on a row of one atelier's waiting list, when the atelier
    has room: after the cut-off nobody is moved by the platform, and the desk chooses whom to
    seat. She is told by « Une place s'est libérée dans l'atelier attendu »."""
    seminar, registration, atelier_id = _waiting_row(request, pk, registration_pk)
    try:
        atelier = give_waited_atelier_seat(registration, atelier_id, actor=request.user)
    except RegistrationError as error:
        messages.error(request, error.errors["atelier"][0])
    else:
        # On the day the worker drops the e-mail (the desk tells her): not promised then.
        told = (
            " ; un e-mail l'en informe" if registration.email and list_change_told(seminar) else ""
        )
        messages.success(
            request,
            f"{registration.prenom} {registration.nom} est maintenant inscrit(e) à l'atelier "
            f"« {seminar.atelier_label(atelier)} »{told}.",
        )
    return redirect(_list_url(seminar, request.POST.get("query", "")))


@require_POST
def erase_name(request, pk: int, registration_pk: int):
    """Take an anonymised person's name off the published list at her request (« Retirer de
    la liste publiée »): her personal link died with her e-mail at anonymisation."""
    seminar = _seminar(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, seminar=seminar)
    if registration.anonymised_at is None or not registration.consent:
        raise Refused(
            "Seules les inscriptions anonymisées dont le nom figure encore dans la liste "
            "publiée se retirent ainsi ; les autres se modifient avec « Modifier ».",
            status=409,
            title="Retrait impossible",
        )
    name = f"{registration.prenom} {registration.nom}"
    erase_published_name(registration, actor=request.user)
    messages.success(request, f"{name} ne figure plus dans la liste publiée ; son nom est effacé.")
    return redirect(_list_url(seminar, request.POST.get("query", "")))


def add(request, pk: int):
    seminar = _seminar(request, pk)
    form = ManualRegistrationForm(request.POST or None, seminar=seminar)
    if request.method == "POST" and form.is_valid():
        at_the_door = form.cleaned_data.get("present_now")
        if at_the_door and not seminar.check_in_expected():
            form.add_error("present_now", present_now_refusal(seminar))
        else:
            response = add_as_posted(request, seminar, form, at_the_door)
            if response is not None:
                return response
    return _render(
        request,
        "form.html",
        seminar,
        f"Ajouter une inscription – {seminar.title}",
        form=form,
        submit="Ajouter",
        summary_title="L'inscription n'est pas enregistrée : des informations sont à corriger",
        status=400 if form.errors else 200,
    )


def present_now_refusal(seminar: SeminarPage) -> str:
    """« Présent(e) maintenant » outside the event's days: a slip, as a check-in weeks early
    (check_in_question), which the list asks about; the form says where to do it."""
    first, last = seminar.check_in_days()
    return (
        f"« Présent(e) maintenant » sert pendant l'événement (du {long_date(first, weekday=False)} "
        f"au {long_date(last, weekday=False)}) : décochez la case pour inscrire la personne, puis "
        "émargez-la depuis la liste."
    )


def add_as_posted(request, seminar: SeminarPage, form, at_the_door: bool):
    """Register the person of the valid manual add form (`at_the_door`: confirmed even beyond
    the seats and checked in); the redirect once done, None with the refusal on the form."""
    try:
        if at_the_door:
            registration, created, beyond = register_at_the_door(
                seminar, form.to_data(), actor=request.user
            )
        else:
            beyond = None
            registration, created = register_person(
                seminar, form.to_data(), source=Registration.Source.MANUAL, actor=request.user
            )
    except RegistrationError as error:
        form.add_registration_errors(error)
        return None
    verb = "ajoutée" if created else "mise à jour"
    name = f"{registration.prenom} {registration.nom}"
    if beyond is not None and beyond.confirmed_now:
        text = over_capacity_message(beyond, added=verb)
    elif at_the_door:
        text = f"Inscription {with_de(name)} {verb} (confirmée) et présence émargée."
    else:
        text = f"Inscription {with_de(name)} {verb} ({registration.get_status_display().lower()})."
    if form.cleaned_data.get("ateliers_waiting") and registration.status != Status.CONFIRMED:
        # _register applies them to a confirmed registration only, until the cut-off.
        text += (
            " La personne attend une place à l'événement avec les ateliers choisis : les listes "
            "d'attente d'ateliers cochées ne s'appliquent pas."
        )
    elif form.cleaned_data.get("ateliers_waiting") and not seminar.changes_open():
        text += (  # a form opened before the cut-off
            " La date limite des modifications est passée : les listes d'attente d'ateliers "
            "cochées ne s'appliquent pas."
        )
    messages.success(request, text)
    if at_the_door:  # back at the desk's list, on her row
        return redirect(_list_url(seminar, f"{DOOR}=1", registration))
    return redirect("seminars_admin:registrations", pk=seminar.pk)


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
    form.carry_version()  # a form left open does not undo the person's own change
    if request.method == "POST" and form.is_valid():
        try:
            registration, changed = update_registration(
                registration, form.to_data(), actor=request.user, version=posted_version(form)
            )
        except RegistrationError as error:
            form.add_registration_errors(error)
        except StaleEdit as stale:
            refuse_stale(form, stale)
        else:
            say_what_was_edited(request, registration, changed)
            return redirect(_list_url(seminar, request.GET.get("query", "")))
    return _render(
        request,
        "form.html",
        seminar,
        f"Modifier l'inscription {with_de(name)} – {seminar.title}",
        form=form,
        submit="Enregistrer les modifications",
        summary_title="L'inscription n'est pas modifiée : des informations sont à corriger",
        status=400 if form.errors else 200,
    )


def say_what_was_edited(request, registration: Registration, changed: list[str]) -> None:
    name = f"{registration.prenom} {registration.nom}"
    if not changed:
        messages.info(request, f"Aucune modification de l'inscription {with_de(name)}.")
        return
    told = " La personne en est informée par e-mail." if registration.email else ""
    messages.success(
        request,
        f"Inscription {with_de(name)} modifiée ({registration.get_status_display().lower()}).{told}",
    )


def import_view(request, pk: int):
    seminar = _seminar(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, error_total = [], 0
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
            errors, error_total = failure.errors, failure.total
        else:
            # The counts and the columns not read, then what the organiser should check.
            summary, *to_check = result_messages(result)
            messages.success(request, summary)
            for message in to_check:
                messages.warning(request, message)
            return redirect("seminars_admin:registrations", pk=seminar.pk)
    return _render(
        request,
        "import.html",
        seminar,
        f"Importer une liste – {seminar.title}",
        form=form,
        errors=errors,
        error_total=error_total,  # the list stops after the first 100 (reported_issues)
        # A refused file (its lines) or a refused form (no file, an empty one, an unknown hint).
        status=400 if errors or form.errors else 200,
    )


def flagged_row_settled(registration: Registration, name: str) -> str:
    """Why a row of « Communes à vérifier » posted from a page loaded earlier is no longer to
    correct there (its commune set since, or the registration cancelled), "" if it still is:
    the second correction overwrote the first without a word (Montreuil (93) became Montreuil
    (62))."""
    if registration.status == Registration.Status.CANCELLED:
        return f"L'inscription {with_de(name)} a été annulée : sa commune n'est plus à vérifier."
    if registration.commune_status != Registration.CommuneStatus.FLAGGED:
        return (
            f"La commune {with_de(name)} a déjà été corrigée ({registration.commune}) : rien n'a "
            "été changé. Pour la changer, utilisez « Modifier » dans la liste des inscriptions."
        )
    return ""


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
        name = f"{registration.prenom} {registration.nom}"
        settled = flagged_row_settled(registration, name)
        if settled:  # a page loaded before another organiser, or another tab, corrected it
            messages.info(request, settled)
            return redirect("seminars_admin:flagged", pk=seminar.pk)
        # What is typed (a name or a code) wins over the suggestion checked (none by default:
        # a pre-checked first suggestion was saved by a click on « Corriger » of another row).
        code, message = _typed_commune(typed, name)
        if not typed.strip():
            code = (request.POST.get("code") or "").strip().upper()
            if not Commune.objects.filter(code=code, current=True).exists():
                code = ""
                message = (
                    f"Choisissez la commune {with_de(name)} ou saisissez son code INSEE. Son nom "
                    "convient aussi."
                )
        if code:
            # The same text typed by others (a list imported with one typo): corrected with it.
            same = " ".join(registration.commune_typed.split()).casefold()
            fixed = [
                fix_commune(row, code, actor=request.user)
                for row in seminar.registrations.filter(commune_status="flagged")
                .exclude(status="cancelled")
                .order_by("nom", "prenom")
                if row.pk == registration.pk
                or " ".join(row.commune_typed.split()).casefold() == same
            ]
            if not fixed:  # corrected by another request between the check and this one
                registration.refresh_from_db()
                messages.info(request, flagged_row_settled(registration, name))
                return redirect("seminars_admin:flagged", pk=seminar.pk)
            commune = fixed[0].commune
            if len(fixed) == 1:
                messages.success(request, f"Commune {with_de(name)} corrigée : {commune}.")
            else:
                names = french_list([f"{row.prenom} {row.nom}" for row in fixed])
                messages.success(
                    request,
                    f"Commune corrigée pour {len(fixed)} inscriptions ({names}) : {commune}.",
                )
            for row in fixed:
                outside = outside_members_only(seminar, row)
                if outside:
                    messages.warning(request, outside)
            return redirect("seminars_admin:flagged", pk=seminar.pk)
        problem = {
            "registration": registration.pk,
            "typed": typed,
            "checked": request.POST.get("code"),
            "message": message,
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


def outside_members_only(seminar: SeminarPage, registration: Registration) -> str:
    """A members-only event lets a commune not recognised through, for the organisers to check
    (services._check_audience): corrected to a commune that is not a member, the person is said
    to be outside the event's audience (registering, the import and « Modifier » refuse such a
    commune), for the organiser to decide; "" otherwise."""
    if registration.status == Status.CANCELLED or not outside_audience(
        seminar, registration.commune_id
    ):
        return ""
    name = f"{registration.prenom} {registration.nom}"
    return (
        f"{not_a_member_commune(registration.commune.nom)} : si {name} ne peut pas y "
        "participer, annulez son inscription."
    )


def _typed_commune(typed: str, name: str) -> tuple[str, str]:
    """(INSEE code, "") of the commune an organiser typed for `name`'s registration, a name or
    a code (a former commune's too), read by the registrations' matcher; else ("", why, in
    French, with the communes it may be)."""
    typed = typed.strip()
    if not typed:
        return "", ""
    result = match_in_union(typed)
    if result.status == "matched":
        return result.commune.code, ""
    if INSEE_CODE.match(typed) or typed.isdigit():
        return "", f"Code INSEE inconnu pour {name} : « {typed.upper()} »."
    listed = ", ".join(f"{c.nom} ({c.code})" for c in result.suggestions)
    if result.status == "ambiguous":
        return "", (
            f"Plusieurs communes s'appellent « {typed} » : {listed}. Saisissez le code INSEE de "
            f"celle {with_de(name)}."
        )
    maybe = f" Vouliez-vous dire : {listed} ?" if listed else ""
    return "", (
        f"Commune inconnue pour {name} : « {typed} ».{maybe} Saisissez son nom exact ou son "
        "code INSEE."
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
        registrations_workbook(seminar, queryset),
        "xlsx",
        ascii_file_name("inscriptions", seminar.slug, extension="xlsx"),
    )


def badges(request, pk: int):
    seminar = _seminar(request, pk)
    name = ascii_file_name("badges", seminar.slug, extension="pdf")
    return download_response(badges_pdf(seminar), "pdf", name)


def refuse_attestations_before_the_event(seminar: SeminarPage) -> None:
    """An attestation certifies a presence at the event: none before it has started (a check-in
    weeks early gave « a participé … le 14 janvier 2027 … Fait le 2 décembre 2026 »)."""
    if not attestations_open(seminar):
        raise Refused(
            "Les attestations de présence se délivrent à partir du début de l'événement, le "
            f"{long_date(timezone.localtime(seminar.start), time=True)}.",
            status=409,
            title="Attestations pas encore disponibles",
        )


def certificates(request, pk: int):
    """Every present person's attestation de présence in one PDF (a page each), to print."""
    seminar = _seminar(request, pk)
    refuse_attestations_before_the_event(seminar)
    present = present_registrations(seminar)
    if not present:
        messages.error(request, "Aucune présence émargée : pas d'attestation à produire.")
        return redirect("seminars_admin:registrations", pk=seminar.pk)
    return download_response(
        certificate_pdf(seminar, present), "pdf", certificate_filename(seminar)
    )


def certificate(request, pk: int, registration_pk: int):
    seminar = _seminar(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, seminar=seminar)
    refuse_attestations_before_the_event(seminar)
    if not registration.was_present:
        raise Refused("Pas de présence émargée pour cette personne : pas d'attestation.")
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
            "Aucune attestation à envoyer : chaque personne présente avec une adresse e-mail a "
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
            "Aucune personne à relancer : chaque personne présente avec une adresse e-mail a "
            "répondu ou a déjà été relancée, ou le questionnaire n'est pas ouvert.",
        )
    return redirect("seminars_admin:evaluations", pk=seminar.pk)


def export_evaluations(request, pk: int):
    seminar = _seminar(request, pk)
    name = ascii_file_name("avis", seminar.slug, extension="xlsx")
    return download_response(evaluations_workbook(seminar), "xlsx", name)


def stats(request, pk: int):
    """Confirmed registrations and, once anyone was checked in, the people present beside them
    (seminars.stats), with their download."""
    seminar = _seminar(request, pk)
    return _render(
        request,
        "stats.html",
        seminar,
        f"Chiffres – {seminar.title}",
        figures=event_figures(seminar),
        over_capacity=seminar.over_capacity(),
        # Catering and accessibility: what people asked for, to prepare the day.
        needs=seminar.registrations.exclude(needs="")
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("nom", "prenom"),
    )


def export_stats(request, pk: int):
    """« Télécharger les chiffres »: the tables of « Chiffres » (`?format=xlsx` or `csv`)."""
    seminar = _seminar(request, pk)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in STATS_FORMATS:
        raise Refused(STATS_FORMAT_UNKNOWN, status=400)
    return download_response(
        figures_file(event_figures(seminar), fmt), fmt, figures_filename(seminar, fmt)
    )


def email(request, pk: int):
    """Write to the confirmed people and/or those waiting, or to one atelier's; « M'envoyer un
    test » sends the message to the organiser alone, as a registrant will read it."""
    seminar = _seminar(request, pk)
    filled_in = None
    # One atelier's waiting list, from the registrations list (an id, or nothing ticked).
    listed = parse_digits(request.GET.get(LIST_MESSAGE, ""), 18)
    if request.GET.get("message") == PROCEEDINGS_MESSAGE:
        filled_in = proceedings_message(seminar)
    elif listed in seminar.atelier_labels:
        filled_in = {"statuses": [ATELIER_WAITING_GROUP], "atelier": listed}
    elif request.GET.get(LIST_MESSAGE) == ANY_ATELIER_LIST:
        filled_in = {"statuses": [ATELIER_WAITING_GROUP]}
    form = EmailRegistrantsForm(request.POST or None, seminar=seminar, initial=filled_in)
    if request.method == "POST" and form.is_valid():
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        recipients = form.recipients()
        if form.cleaned_data["test"]:
            _send_test_message(request, seminar, recipients, subject, body)
            # Back to the form as typed, the test box unchecked: ready to send for good.
            data = request.POST.copy()
            data.pop("test", None)
            form = EmailRegistrantsForm(data, seminar=seminar)
        else:
            try:
                count = email_registrants(
                    seminar,
                    subject,
                    body,
                    statuses=form.cleaned_data["statuses"],
                    atelier_id=form.cleaned_data.get("atelier"),
                    actor=request.user,
                    form_id=posted_form_id(form.cleaned_data),
                )
            except AlreadySubmitted as earlier:  # the same form posted again: nothing sent
                messages.info(request, already_emailed(earlier.entry))
                return redirect("seminars_admin:registrations", pk=seminar.pk)
            without = _without_address(recipients.filter(email=""))
            if count:
                sent = f"Message en cours d'envoi à {count} personne{'s' if count > 1 else ''}."
                messages.success(request, f"{sent} {without}".strip())
            else:
                messages.warning(
                    request,
                    f"Aucun message envoyé : {without or 'personne parmi ces destinataires.'}",
                )
            return redirect("seminars_admin:registrations", pk=seminar.pk)
    return _render(
        request,
        "form.html",
        seminar,
        f"Écrire aux inscrits – {seminar.title}",
        form=form,
        reminder_state=reminder_state(seminar),
        submit="Envoyer",
        summary_title="Le message n'est pas envoyé : des informations sont à corriger",
        status=400 if form.errors else 200,
    )


def already_emailed(entry) -> str:
    sent = plural(entry.details.get("count", 0), "personne", "personnes")
    return (
        f"Ce message a déjà été envoyé à {sent} le {long_date(entry.at, time=True)}\u00a0: il "
        "n'est pas envoyé une seconde fois."
    )


STATUS_PHRASES = {
    Status.CONFIRMED: ("personne confirmée", "personnes confirmées"),
    Status.WAITLISTED: ("personne en liste d'attente", "personnes en liste d'attente"),
}


def _without_address(registrations) -> str:
    """Who the message cannot reach, by status and by name: « 1 personne confirmée n'a pas
    d'adresse e-mail : Inès Garcia. » (to phone them), or ""."""
    said = []
    for status, (one, several) in STATUS_PHRASES.items():
        people = [r for r in registrations if r.status == status]
        if not people:
            continue
        count = len(people)
        verb = "n'a" if count == 1 else "n'ont"
        names = ", ".join(f"{r.prenom} {r.nom}" for r in people)
        said.append(
            f"{count} {one if count == 1 else several} {verb} pas d'adresse e-mail : {names}."
        )
    return " ".join(said)


def _send_test_message(request, seminar: SeminarPage, recipients, subject: str, body: str):
    """The message as the first person it is for will read it (her name in the greeting), sent
    to the organiser's own address only; her personal link is not sent, a placeholder stands
    for it."""
    from seminars.emails import organiser_message

    address = request.user.email
    if not address:
        messages.error(request, TEST_WITHOUT_ADDRESS)
        return
    sample = recipients.exclude(email="").first() or recipients.first()
    if sample is None:
        sample = Registration(seminar=seminar, prenom="Prénom", nom="Nom")
    # Text and HTML, as the registrants get it; no manage_url: a placeholder stands for it.
    test = organiser_message(sample, f"[Test] {subject}", body, to=[address])
    try:
        test.send()
    except OSError as error:  # smtplib's errors are OSErrors: the server refused or is away
        messages.error(request, f"Le test n'a pas pu partir ({error}) : réessayez plus tard.")
        return
    count = recipients.exclude(email="").count()
    messages.success(
        request,
        # Through the e-mail queue (union.mail): on its way, delivered within a minute or so.
        f"Test en route vers {address}, d'ordinaire reçu dans la minute (rien n'a été envoyé "
        f"aux inscrits ; le message ira à {count} "
        f"personne{'s' if count > 1 else ''}). Décochez « M'envoyer un test » pour l'envoyer.",
    )


# --- requests from a person (RGPD art. 15 and 17): seminars.retention ------------------------


def _typed_address(request) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return (source.get("email") or "").strip()[:254]


def person_requests(request):
    """« Demandes des personnes (RGPD) »: every registration held under one address (`?email=`),
    with what each holds and the e-mails the queue keeps, to answer an access request
    (`&format=xlsx`: the file to send her); each look-up is in the audit trail."""
    if not can_organise(request.user):
        raise PermissionDenied("Réservé aux organisateurs d'événements de l'union.")
    email = _typed_address(request)
    found = list(registrations_of_address(email))
    sent = emails_sent_to(email, found)
    if email:
        record_person_lookup(email, len(found), actor=request.user)
    if email and request.GET.get("format") == "xlsx":
        return download_response(
            person_data_workbook(found, sent), "xlsx", "donnees-inscriptions.xlsx"
        )
    return _render(
        request,
        "person_requests.html",
        None,
        "Demandes des personnes (RGPD)",
        email=email,
        found=found,
        rows=zip(found, person_data_rows(found), strict=True),
        sent=sent,
    )


def person_erase(request):
    """« Anonymiser maintenant »: a confirmation page (GET) for all the address's registrations
    or one (`inscription`), then the erasure (POST, retention.anonymise_on_request), said in a
    message: what went, what stays."""
    if not can_organise(request.user):
        raise PermissionDenied("Réservé aux organisateurs d'événements de l'union.")
    email = _typed_address(request)
    source = request.POST if request.method == "POST" else request.GET
    hers = registrations_of_address(email)
    if source.get("inscription"):
        hers = hers.filter(pk=_id(source.get("inscription")))
    chosen = list(hers)
    if not chosen:
        raise Refused("Aucune inscription de cette adresse à anonymiser.")
    back_url = _person_url(email)
    if request.method == "POST":
        done = anonymise_on_request(email, [r.pk for r in chosen], actor=request.user)
        messages.success(request, erasure_message(done))
        return redirect(back_url)
    return _render(
        request,
        "person_erase.html",
        None,
        "Anonymiser maintenant\u00a0?",
        email=email,
        chosen=chosen,
        one=source.get("inscription", ""),
        to_cancel=[r for r in chosen if r.status != Status.CANCELLED and not r.seminar.has_ended()],
        # Her last registrations: the queue's logs naming her address go too (forget_emails_to).
        forgets_emails=not registrations_of_address(email)
        .exclude(pk__in=[r.pk for r in chosen])
        .exists(),
        back_url=back_url,
    )


def _person_url(email: str) -> str:
    query = QueryDict(mutable=True)
    query["email"] = email
    return f"{reverse('seminars_admin:person_requests')}?{query.urlencode()}"


def erasure_message(done) -> str:
    """What « Anonymiser maintenant » erased and what stays, in French."""
    count = plural(done.anonymised, "inscription anonymisée", "inscriptions anonymisées")
    cancelled = ""
    if done.cancelled:
        was = plural(done.cancelled, "inscription à venir", "inscriptions à venir")
        several = done.cancelled > 1
        cancelled = (
            f" ({was} d'abord annulée{'s' if several else ''} : "
            f"{'leurs places vont' if several else 'sa place va'} à la liste d'attente)"
        )
    forgotten = ""
    if done.emails_forgotten:
        forgotten = " " + plural(
            done.emails_forgotten,
            "e-mail que la file d'envoi gardait à son adresse est effacé.",
            "e-mails que la file d'envoi gardait à son adresse sont effacés.",
        )
    return (
        f"{count}{cancelled}\u00a0: nom, prénom, adresse e-mail, téléphone, besoins, "
        "consentement à la liste publiée et textes libres du questionnaire sont effacés, et le "
        "journal d'audit ne la nomme plus. Restent, sans nom, la commune, la fonction, le "
        "statut, la présence et les ateliers, comptés dans les chiffres des événements et le "
        f"bilan annuel de l'union.{forgotten}"
    )

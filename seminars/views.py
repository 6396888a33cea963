"""Portal views of seminars: calendar, event page with its registration form, the registrant's
signed page, and the iCalendar files."""

import calendar as calendar_module
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from knowledge_base.listing import visible_to
from seminars.certificates import certificate_filename, certificate_pdf
from seminars.check_in import check_in_svg
from seminars.evaluations import (
    added_questions,
    evaluation_closes,
    evaluation_state,
    rated_ateliers,
    save_evaluation,
)
from seminars.forms import (
    CommuneCorrectionForm,
    EvaluationForm,
    FindRegistrationsForm,
    ManageAteliersForm,
    NeedsForm,
    RegistrationForm,
    ResendLinkForm,
    ateliers_with_seats,
    full_atelier_ids,
)
from seminars.ics import feed_ics, personal_ics, seminar_ics
from seminars.links import SALT as LINK_SALT
from seminars.links import (
    LinkExpired,
    LinkInvalid,
    calendar_links,
    event_path,
    ics_path,
    manage_path,
    page_path,
    portal_path,
    proceedings_path,
    read_expired_token,
    read_token,
)
from seminars.models import (
    MONTHS,
    Evaluation,
    Kind,
    ProceedingsPage,
    Registration,
    SeminarIndexPage,
    SeminarPage,
    Visibility,
    behind_view_restriction,
    event_last_day,
    position_label,
    with_slots,
)
from seminars.phones import PhoneForm, set_phone
from seminars.retention import retention_periods
from seminars.services import (
    CHANGES_CLOSED,
    RegistrationData,
    RegistrationError,
    atelier_waiting_ranks,
    cancel_registration,
    change_ateliers,
    correct_commune,
    join_atelier_waiting,
    leave_atelier_waiting,
    quoted_atelier_labels,
    register_person,
    send_new_link,
    send_registrations_list,
    set_consent,
    set_needs,
)
from seminars.structured_data import event_json_ld
from union.formats import french_list, long_date
from union.params import parse_digits
from union.spreadsheets import ascii_file_name, attachment_header, download_response

# Updates and new links are e-mailed at most once per services.PUBLIC_NOTICE_INTERVAL (ten
# minutes, queue_public_notice): the pages that trigger them say so.
AT_MOST_EVERY_TEN_MINUTES = "(un message au plus toutes les dix minutes)"
# The calendar's past events, by page of its list view.
PAST_PAGE_SIZE = 12


def listed_events(*, counted: bool = True, invitations: bool = False):
    """Live events anyone may see in lists and feeds (invitation-only events never are, but
    with `invitations`: what organisers may read one by one in the API), with their confirmed
    people counted (`counted`) for the seats their lists show."""
    # The id after the start: events starting together kept in one order from page to page of
    # the API (one listed twice, another never, with `limit=1`).
    events = SeminarPage.objects.live().public().order_by("start", "pk")
    if not invitations:
        events = events.exclude(visibility=Visibility.INVITATION)
    return with_confirmed(events) if counted else events


def with_confirmed(events):
    """`events` with `confirmed`, read by SeminarPage.seats_left: one query for a whole list."""
    return events.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed"))
    )


def upcoming(events):
    """Events not over yet, as the member dashboard's panel « Prochains événements » lists them."""
    return events.filter(end__gte=timezone.now())


def find_upcoming_event(pk: int) -> SeminarPage:
    """An event a member CCAS may register people for (or unregister them from): listed by the
    union (never invitation-only) and not over; 404 in French otherwise."""
    seminar = upcoming(listed_events()).filter(pk=pk).first()
    if seminar is None:
        raise Http404("Événement introuvable.")
    return seminar


def _year(raw: str) -> int | None:
    """A year we can show a month of: the first and last years would overflow when the previous
    or next month is computed."""
    year = parse_digits(raw, 4)
    return year if year is not None and date.min.year < year < date.max.year else None


def _month_parameter(first: date) -> str:
    """`?mois=` for the month of `first`, "" for one _year refuses (no link to « Mois inconnu »)."""
    if not date.min.year < first.year < date.max.year:
        return ""
    return f"{first.year:04d}-{first.month:02d}"


def _month(request) -> tuple[date | None, str]:
    """The month asked for: `?mois=2026-12`, or `?mois=12` in `?annee=2026` (the current year
    without it; `?annee=2026` alone: its January). (None, "") when none is asked; (None, a French
    message) when it is not a month we can show, for the page to say so and show the current
    month instead of ignoring it silently."""
    raw_month = request.GET.get("mois", "").strip()
    raw_year = request.GET.get("annee", "").strip()
    year = None
    if raw_year:
        year = _year(raw_year)
        if year is None:
            return None, f"Année inconnue : « {raw_year} »."
    if not raw_month:
        return (date(year, 1, 1) if year else None), ""
    parts = raw_month.split("-")
    if len(parts) == 2:  # the year in it wins over ?annee=
        year, month = _year(parts[0]), parse_digits(parts[1], 2)
    elif len(parts) == 1:
        year, month = year or timezone.localdate().year, parse_digits(parts[0], 2)
    else:
        year = month = None
    if year is None or month is None or not 1 <= month <= 12:
        return None, f"Mois inconnu : « {raw_month} »."
    return date(year, month, 1), ""


def asked_kind(request) -> str | None:
    """The kind of `?type=` ("" for all); None when it is not one of ours."""
    kind = request.GET.get("type", "")
    return kind if not kind or kind in Kind.values else None


def with_proceedings(events: list, index, request) -> list:
    """`events` (children of `index`), each with `proceedings_url`: its published proceedings
    (« actes »), or "". One query for all of them: the proceedings are the events' children."""
    if not events:
        return events
    of_these_events = Q()
    for event in events:
        of_these_events |= Q(path__startswith=event.path)
    proceedings = ProceedingsPage.objects.live().filter(of_these_events, depth=index.depth + 2)
    by_event_path = {page.path[: -page.steplen]: page for page in proceedings}
    for event in events:
        found = by_event_path.get(event.path)
        event.proceedings_url = found.get_url(request) if found else ""
    return events


def calendar_context(index, request) -> dict:
    from seminars.models import WEEKDAYS, WEEKDAYS_SHORT

    now = timezone.now()
    # Counted only where seats are shown: counting every past event's people made each page of
    # past events (and its count) aggregate five years of registrations.
    events = listed_events(counted=False).child_of(index)
    asked_view = request.GET.get("vue", "")
    month_asked = "mois" in request.GET or "annee" in request.GET
    view = "mois" if asked_view == "mois" or month_asked else "liste"
    kind = asked_kind(request)
    context = {"view": view, "now": now, "kinds": Kind.choices, "kind": kind or ""}
    context["find_url"] = portal_path("find_registrations")  # « Retrouver mes inscriptions »
    if kind is None:
        context["kind_error"] = "Type d'événement inconnu : tous les événements sont affichés."
    elif kind:
        events = events.filter(kind=kind)
    if asked_view not in ("", "liste", "mois"):
        shown = "le calendrier du mois" if view == "mois" else "la liste des événements"
        context["view_error"] = (
            f"Affichage inconnu : « {asked_view} » (liste ou mois). Voici {shown}."
        )
    if view == "liste":
        context["upcoming"] = list(with_confirmed(events.filter(end__gte=now)))
        # Twelve at a time (`?passes=2`…): after a few years of 120 events the list showed the
        # latest twelve only, and nothing led to the older ones nor to their proceedings.
        past_page = Paginator(
            events.filter(end__lt=now).order_by("-start", "pk"), PAST_PAGE_SIZE
        ).get_page(request.GET.get("passes"))
        context["past_page"] = past_page
        context["past"] = with_proceedings(list(past_page.object_list), index, request)
        return context
    first, month_error = _month(request)
    first = first or timezone.localdate().replace(day=1)
    last_day = calendar_module.monthrange(first.year, first.month)[1]
    tz = timezone.get_current_timezone()
    month_start = datetime.combine(first, time.min, tz)
    month_end = month_start + timedelta(days=last_day)
    # Each event's first and last local day, once (the grid asks for them on every day).
    spans = []
    for event in with_confirmed(events.filter(start__lt=month_end, end__gte=month_start)):
        last = event_last_day(event.start, event.end)
        if last >= first:  # not a night of the month before's last day
            spans.append((event, timezone.localtime(event.start).date(), last))
    in_month = [event for event, _starts_on, _ends_on in spans]
    weeks, today = [], timezone.localdate()
    for week in calendar_module.Calendar(firstweekday=0).monthdatescalendar(
        first.year, first.month
    ):
        weeks.append(
            [
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "today": day == today,
                    "events": [
                        event for event, starts_on, ends_on in spans if starts_on <= day <= ends_on
                    ],
                }
                for day in week
            ]
        )
    previous = (first - timedelta(days=1)).replace(day=1)
    following = first + timedelta(days=last_day)
    context.update(
        {
            "month": first,
            "month_label": f"{MONTHS[first.month - 1]} {first.year}",
            "month_error": f"{month_error} Voici le calendrier de {MONTHS[first.month - 1]} "
            f"{first.year}."
            if month_error
            else "",
            "weeks": weeks,
            "month_events": in_month,
            "previous_month": _month_parameter(previous),
            "next_month": _month_parameter(following),
            # The full name for wide screens and screen readers, « mer. » where columns are narrow.
            "weekdays": [
                {"name": name, "short": short}
                for name, short in zip(WEEKDAYS, WEEKDAYS_SHORT, strict=True)
            ],
        }
    )
    return context


def event_context(page: SeminarPage, request, form=None) -> dict:
    """What the event's template shows besides the page, for serving and for Wagtail's previews.

    A preview has `request.is_preview`, and its ateliers are those being edited, in memory: no
    seat count for them. URLs are reversed on the portal URLconf (previews run with the member
    one active)."""
    preview = getattr(request, "is_preview", False)
    saved = page.pk is not None
    state = page.registration_state()
    if form is None and state == "open":
        form = RegistrationForm(seminar=page, seat_counts=not preview, disable_full=True)
    # Seats left for an event still to come, as the form's checkboxes say (not in a preview):
    # the form's own count when it is shown.
    ateliers = getattr(form, "ateliers_shown", None)
    if ateliers is None:
        ateliers = ateliers_with_seats(page, counts=not preview and not page.is_past)
    proceedings = page.get_proceedings() if saved else None
    return {
        "form": form,
        "registration_state": state,
        # A late request's address: the organiser's, else the union's (closed registrations).
        **event_contact(page, request),
        "held_on": held_on(page) if page.is_past else "",
        "seats_left": page.seats_left() if saved else page.seats,
        "ateliers": with_slots(ateliers, page, ateliers),
        # The « Salle » column only when a room is known: a column of « – » pushed « Places »
        # out of a phone's screen.
        "atelier_rooms": any(atelier.room for atelier in ateliers),
        "proceedings": proceedings,
        # Whoever sees an invitation-only page came with its key (or edits it): the proceedings
        # take it along, for their link back to the event.
        "proceedings_url": proceedings_path(page, proceedings) if proceedings else "",
        "calendar_url": page_path(page.get_parent()),
        "ics_url": ics_path(page) if saved else "",
        # « Google Agenda » and « Outlook » beside the .ics, for an event still to come (a
        # preview's request is Wagtail's dummy one: the portal's configured address).
        "calendar_links": calendar_links(page, None if preview else request)
        if saved and not page.is_past and not page.is_cancelled
        else {},
        # No « Recevoir mon lien » for a cancelled event: its personal page has nothing to do.
        "resend_url": portal_path("resend_link", page.pk)
        if saved and not page.is_cancelled
        else "",
        "find_url": portal_path("find_registrations"),  # « Retrouver mes inscriptions »
        "retention": retention_periods(),
        "structured_data": event_json_ld(page, request) if saved and not preview else "",
    }


def held_on(page: SeminarPage) -> str:
    """When a past event took place, after « a eu lieu »: « le jeudi 12 mars 2026 », or « du … au
    … » over several days."""
    start, end = timezone.localtime(page.start), timezone.localtime(page.end)
    if start.date() == end.date():
        return f"le {long_date(start)}"
    return f"du {long_date(start)} au {long_date(end)}"


def serve_seminar(page: SeminarPage, request, default_serve, *args, **kwargs):
    """The event's page; its registration form posts back to it."""
    if not page.open_invitation(request):
        return invitation_needed(request, page)
    form = None
    if request.method == "POST" and page.registration_state() == "open":
        form = RegistrationForm(
            request.POST, seminar=page, disable_full=True, suggest_communes=True
        )
        if form.is_valid():
            data = form.to_data()
            try:
                registration, created = register_person(page, data)
            except RegistrationError as error:
                form.add_registration_errors(error)
            else:
                return _registered(request, registration, created, data)
    context = page.get_context(request, *args, form=form, **kwargs)
    # Registering again comes back to the form's section (section_messages): said there.
    context["messages"], context["section_notices"] = section_messages(
        request, set() if page.is_past else {"inscription"}
    )
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return TemplateResponse(request, page.get_template(request), context, status=status)


def _registered(
    request, registration: Registration, created: bool, data: RegistrationData
) -> HttpResponseRedirect:
    """Where a registration saved from the event page leads, with what the person is told."""
    if not created:
        # Whoever typed a known address (with its registrant's name, or a cancelled
        # registration's) must not reach that registration's page: the link goes to the mailbox
        # only. The form posts to `#inscription`, which the browser keeps: the message is shown
        # in that section (section_messages). A cancelled registration taken up is made anew
        # from what was typed: told as a new one, her status and all.
        if getattr(registration, "taken_up", False):
            said = registered_text(registration, on_her_page=False)
        else:
            said = registered_again_message(registration, data)
        messages.success(request, said, extra_tags="inscription")
        notice = unrecognised_commune_notice(registration)
        if notice:
            messages.warning(request, notice, extra_tags="inscription")
        return HttpResponseRedirect(request.get_full_path())
    messages.success(request, registered_text(registration, on_her_page=True))
    # The personal page says a commune not recognised beside the commune: once, there.
    return HttpResponseRedirect(manage_path(registration))


def registered_text(registration: Registration, *, on_her_page: bool) -> str:
    """Her own answer, in her own session: her status, the address she typed, to find the
    e-mail (or see a typo), and what its link is for; `on_her_page`: she reads it on her
    personal page (a new registration), else on the event page."""
    changes = "changer d'ateliers ou annuler" if registration.seminar.has_ateliers else "annuler"
    page = "cette page" if on_her_page else "votre page personnelle"
    link = "vous ramène à cette page" if on_her_page else "ouvre votre page personnelle"
    sent = (
        f"Un e-mail vous a été envoyé à {registration.email} : son lien {link}, pour {changes} "
        "votre inscription."
    )
    if registration.status != Registration.Status.CONFIRMED:
        text = (
            "L'événement est complet : vous êtes sur la liste d'attente. "
            f"{registration.seminar.waiting_promise} {sent}"
        )
    else:
        text = f"Votre inscription est confirmée. {sent}"
        waited = waited_atelier_lists(registration)
        if waited:
            text += f" Vous êtes aussi sur {waited} : {page} dit votre position."
    if not on_her_page and registration.seminar.has_ateliers:
        # Those she chose just now (a cancelled registration keeps none): her page is not shown.
        held = registration.ateliers.order_by("starts_at")
        text += f" Vos ateliers : {quoted_atelier_labels(registration.seminar, held) or 'aucun'}."
    return text


def registered_again_message(registration: Registration, data: RegistrationData) -> str:
    """What someone who registered again with a known address is told on the event page: the
    resulting ateliers and the published list, as far as what she typed tells them. Anyone who
    knows a registrant's name and address can post the form, so nothing else of the registration
    is named here (the ateliers she kept, whether she had agreed to the published list): the
    « Inscription mise à jour » e-mail, sent to the address only, gives the whole result."""
    parts = [
        "Une inscription existait déjà avec cette adresse : elle est mise à jour avec ce que "
        "vous avez saisi."
    ]
    held = list(registration.ateliers.order_by("starts_at"))
    if data.atelier_ids:
        # A waited atelier that had room is hers in place of the one ticked at that time
        # (services._join_waiting_lists); a full one she holds is not named.
        given = getattr(registration, "given_from_lists", [])
        chosen = {int(pk) for pk in data.atelier_ids} | set(given)
        ticked = [atelier for atelier in held if atelier.pk in chosen]
        named = quoted_atelier_labels(registration.seminar, ticked)
        parts.append(f"Vos ateliers : {named}.")
        if len(held) > len(ticked):  # services._with_full_seats_kept
            parts.append("Une place déjà obtenue dans un atelier complet est aussi conservée.")
    elif held:  # services._keeps_ateliers_held
        parts.append(
            "Aucun atelier coché : vos ateliers ne changent pas (l'e-mail les rappelle ; "
            "pour en changer, utilisez son lien)."
        )
    elif registration.seminar.has_ateliers:
        parts.append("Vos ateliers : aucun.")
    if data.consent:  # registering again never gives it (services._consent_when_registering_again)
        parts.append(
            "Figurer dans la liste des participants publiée avec les actes se décide sur votre "
            "page personnelle (lien de l'e-mail) : une nouvelle inscription ne vous y ajoute "
            "pas, l'e-mail dit si vous y figurez."
        )
    else:
        parts.append(
            "Case non cochée : vous ne figurez pas dans la liste des participants publiée avec "
            "les actes (un accord donné auparavant est retiré ; pour le donner, utilisez le lien "
            "de l'e-mail)."
        )
    blank = blank_details_sentence(registration, data)
    if blank:
        parts.append(blank)
    changes = (
        "changer d'ateliers ou l'annuler" if registration.seminar.has_ateliers else "l'annuler"
    )
    parts.append(
        "Un e-mail est envoyé à cette adresse avec le lien pour consulter l'inscription, "
        f"{changes} {AT_MOST_EVERY_TEN_MINUTES}."
    )
    return " ".join(parts)


def blank_details_sentence(registration: Registration, data: RegistrationData) -> str:
    """Registering again with the needs or the phone left blank keeps what was stored
    (services._details_kept_blank): said on the event page whether or not anything was stored,
    « s'il y en a », since whoever types a name and an address reads this page, and needs may
    tell of someone's health. The e-mail, sent to the address only, says what was kept
    (services.kept_details_sentence). Nothing for a cancelled registration, which starts from
    what is typed."""
    if not getattr(registration, "keeps_blank_details", False):
        return ""
    needs, phone = not data.needs, not data.phone
    where = "vous pouvez les modifier depuis votre page d'inscription (lien de l'e-mail)"
    if needs and phone:
        return (
            "Besoins particuliers et téléphone laissés vides : ceux indiqués précédemment, s'il "
            f"y en a, sont conservés ; {where}."
        )
    if needs:
        return (
            "Besoins particuliers laissés vides : ceux indiqués précédemment, s'il y en a, sont "
            f"conservés ; {where}."
        )
    if phone:
        return (
            "Téléphone laissé vide : celui indiqué précédemment, s'il y en a un, est conservé ; "
            "vous pouvez le modifier depuis votre page d'inscription (lien de l'e-mail)."
        )
    return ""


def event_contact(seminar: SeminarPage | None, request=None) -> dict:
    """Whom a person writes to about an event: its organiser's address, or, when the event has
    none or is not known, the union's own (Paramètres › Identité et coordonnées de l'union, as
    the footer and /contact/ give it). `contact` is "" only when neither is filled in: the
    pages then lead to /contact/. `contact_is_union` lets them say whose address it is."""
    if seminar is not None and seminar.organiser_email:
        return {"contact": seminar.organiser_email, "contact_is_union": False}
    from union.models import UnionSettings

    # Loaded with the request: the footer reads the same settings from its cache.
    identity = UnionSettings.load(request_or_site=request)
    return {"contact": identity.email, "contact_is_union": True}


def invitation_needed(request, page: SeminarPage) -> TemplateResponse:
    """An invitation-only event opened without its key, or with a wrong one (a link cut in two
    by a mail client, a key mistyped): a 404 that says what to do, without the event's title or
    details (the address already shows its slug); only an address to ask: the organiser's, or
    the union's (event_contact)."""
    context = {"calendar_url": page_path(page.get_parent()), **event_contact(page, request)}
    return TemplateResponse(request, "seminars/invitation_needed.html", context, status=404)


def unrecognised_commune_notice(
    registration: Registration, *, correctable: bool = False, request=None
) -> str:
    """What a person whose typed commune was not recognised (and kept as typed) is told, on the
    event page after registering again and on their personal page: the organisers will check
    it, and what to do about a typo: « Corriger ma commune » below, on the personal page while
    changes are open (`correctable`), else whom to write to (event_contact). "" for a
    recognised commune. Never « register again »: the form takes the address of the same person
    only, and asks about close communes before saving (CommuneStepForm.confirm_commune)."""
    text = registration.commune_not_recognised
    if not text:
        return ""
    if correctable:
        return f"{text} Si c'est une erreur de frappe, corrigez-la ci-dessous."
    email = event_contact(registration.seminar, request)["contact"]
    if email:
        return f"{text} Si c'est une erreur de frappe, écrivez à {email}."
    # The confirmation e-mail says this page tells what to do about a typo: nothing, then.
    return f"{text} Si c'est une erreur de frappe, elle la corrigera."


def commune_saved_message(registration: Registration, changed: bool) -> str:
    """What the personal page says once « Corriger ma commune » is saved."""
    if not changed:
        return f"Votre commune n'a pas changé : {registration.commune_label}."
    if registration.commune_id:
        return f"Votre commune est enregistrée : {registration.commune_label}."
    return (
        f"Votre commune est enregistrée telle que saisie, « {registration.commune_typed} » : "
        "l'équipe de l'union la vérifiera."
    )


def needs_saved_message(registration: Registration, changed: bool) -> str:
    """What the personal page says once « Mes besoins particuliers » is saved."""
    if not changed:
        return "Aucun changement."
    if not registration.needs:
        return "Vos besoins particuliers sont retirés."
    return "Vos besoins particuliers sont enregistrés : les organisateurs les verront."


def section_messages(request, sections: set[str]) -> tuple[list, dict[str, list]]:
    """The request's pending messages, split between the top of the page (base.html's block)
    and the sections they were said for.

    A form posting to its own section (`action="#changer"`) comes back through a redirect
    without a fragment, so the browser keeps the form's: the page returns scrolled to that
    section, and a message at the top would be out of view (review of session 19). Such a
    message names its section's id in `extra_tags`; it is shown inside the section, under its
    heading (`role="status"`), when `sections` (the ids the page shows) has it, and at the top
    otherwise, without the tag (base.html puts the tags in the class). The view passes the first
    list as `messages`: a view's context wins over the context processors'. Returns (top, by
    section), the section ids with `_` for `-` (template lookups)."""
    top, by_section = [], {}
    for message in messages.get_messages(request):
        if message.extra_tags in sections:
            by_section.setdefault(message.extra_tags.replace("-", "_"), []).append(message)
        elif message.extra_tags:
            top.append(Message(message.level, message.message))
        else:
            top.append(message)
    return top, by_section


# The registrant's answer about the published list of participants, and what the page says.
CONSENT_ACTIONS = {
    "give_consent": "Vous figurerez dans la liste des participants publiée avec les actes.",
    "withdraw_consent": "Vous ne figurez plus dans la liste des participants publiée avec les actes.",
}


def apply_section_change(request, form, field: str, section: str, change):
    """One section's form of the personal page (ateliers, commune, needs) posted: `change`
    applies the valid form's data through its service and returns the confirmation, shown in
    the section (`section`, section_messages), and the page comes back there. A service's
    refusal (RegistrationError) is shown on the form's `field`, the typed text kept. Returns
    the redirect, or None when the form is to be shown again with its errors (400)."""
    if not form.is_valid():
        return None
    try:
        said = change(form.cleaned_data)
    except RegistrationError as error:
        for message in error.errors.get(field, []):
            form.add_error(field, message)
        return None
    messages.success(request, said, extra_tags=section)
    return HttpResponseRedirect(request.path)


@never_cache  # her needs, phone and check-in code: no shared PC or proxy keeps them
def manage_registration(request, token: str):
    """The registrant's own page, reached through the signed link: see, change ateliers, cancel
    (after a confirmation step, `?annuler`)."""
    try:
        registration = read_token(token)
    except LinkExpired:
        registration = read_expired_token(token)
        # A cancelled registration gets no link (send_new_link): nothing promised then.
        resendable = (
            registration is not None and registration.status != Registration.Status.CANCELLED
        )
        if request.method == "POST" and resendable:
            send_new_link(registration.seminar, registration.email)
            messages.success(
                request,
                f"Un nouveau lien est envoyé à votre adresse e-mail {AT_MOST_EVERY_TEN_MINUTES}.",
            )
            return HttpResponseRedirect("/evenements/")
        context = link_problem_context(token, expired=True, request=request)
        context["can_resend"] = resendable
        return render(request, "seminars/link_problem.html", context, status=410)
    except LinkInvalid:
        context = link_problem_context(token, expired=False, request=request)
        return render(request, "seminars/link_problem.html", context, status=404)
    seminar = registration.seminar
    can_change = seminar.changes_open() and registration.status != Registration.Status.CANCELLED
    form = ManageAteliersForm(
        initial={"ateliers": list(registration.ateliers.values_list("pk", flat=True))},
        seminar=seminar,
        registration=registration,
    )
    # « Corriger ma commune » (« Modifier ma commune » once recognised), until the cut-off.
    commune_form = CommuneCorrectionForm(registration=registration) if can_change else None
    # « Mes besoins particuliers »: until the cut-off too (services.set_needs).
    needs_form = NeedsForm(initial={"needs": registration.needs}) if can_change else None
    # « Mon téléphone »: until the event's end, past the cut-off for other changes (the day).
    phone_open = (
        registration.status != Registration.Status.CANCELLED
        and not seminar.has_ended()
        and not seminar.is_cancelled  # nobody will call about an event that will not take place
    )
    phone_form = PhoneForm(initial={"phone": registration.phone}) if phone_open else None
    status = 200
    if request.method == "POST" and request.POST.get("action") == "phone" and phone_open:
        phone_form = PhoneForm(request.POST)
        if phone_form.is_valid():
            changed = set_phone(registration, phone_form.cleaned_data["phone"])
            said = "Votre numéro de téléphone est enregistré." if changed else "Aucun changement."
            if changed and not phone_form.cleaned_data["phone"]:
                said = "Votre numéro de téléphone est retiré."
            messages.success(request, said, extra_tags="mon-telephone")
            return HttpResponseRedirect(request.path)
        status = 400
    if request.method == "POST" and request.POST.get("action") in CONSENT_ACTIONS:
        try:
            set_consent(registration, request.POST["action"] == "give_consent")
        except RegistrationError as error:
            messages.error(request, error.errors["consent"][0])
        else:
            said = CONSENT_ACTIONS[request.POST["action"]]
            messages.success(request, said, extra_tags="liste-publiee")
        return HttpResponseRedirect(request.path)
    if request.method == "POST" and status == 200:
        cancelled = registration.status == Registration.Status.CANCELLED
        if cancelled and request.POST.get("action") == "cancel":
            # « Oui, annuler » tapped twice, or the page left open in another tab: done already.
            messages.info(request, "Votre inscription est déjà annulée.")
            return HttpResponseRedirect(request.path)
        if not can_change:
            messages.error(request, CHANGES_CLOSED)
            return HttpResponseRedirect(request.path)
        if request.POST.get("action") == "cancel":  # the confirmation step's button
            cancel_registration(registration, by_registrant=True)
            messages.success(request, "Votre inscription est annulée. Un e-mail vous le confirme.")
            return HttpResponseRedirect(request.path)
        if request.POST.get("action") in ATELIER_WAIT_ACTIONS:
            return change_atelier_wait(request, registration)
        if request.POST.get("action") == "needs":
            needs_form = NeedsForm(request.POST)
            done = apply_section_change(
                request,
                needs_form,
                "needs",
                "mes-besoins",
                lambda data: needs_saved_message(*set_needs(registration, data["needs"])),
            )
        elif request.POST.get("action") == "commune":
            commune_form = CommuneCorrectionForm(request.POST, registration=registration)
            done = apply_section_change(
                request,
                commune_form,
                "commune",
                "ma-commune",
                lambda data: commune_saved_message(
                    *correct_commune(registration, commune_form.commune_resolution)
                ),
            )
        else:
            form = ManageAteliersForm(request.POST, seminar=seminar, registration=registration)

            def save_ateliers(data):
                change_ateliers(registration, data["ateliers"])
                return "Vos ateliers sont enregistrés."

            done = apply_section_change(request, form, "ateliers", "changer", save_ateliers)
        if done:
            return done
        status = 400
    # Read through the event: manage_cancel.html names each by its label (Atelier.label), from
    # the event's atelier_labels, one query for them all.
    ateliers = with_slots(
        seminar.ateliers.filter(registrations=registration).order_by("starts_at"), seminar
    )
    if "annuler" in request.GET and can_change and request.method != "POST":
        # « Annuler mon inscription » only asks: cancelling gives the seat away for good.
        context = {
            "registration": registration,
            "seminar": seminar,
            "ateliers": ateliers,
            "manage_url": request.path,
        }
        return render(request, "seminars/manage_cancel.html", context)
    ended = seminar.has_ended()
    # A cancelled event has no seat to put in a calendar nor a code to show at the door.
    confirmed = registration.status == Registration.Status.CONFIRMED and not seminar.is_cancelled
    proceedings = seminar.get_proceedings() if ended else None
    atelier_form = form if seminar.has_ateliers else None
    # « Listes d'attente des ateliers »: for a seat held, until the cut-off.
    waits = None
    if can_change and atelier_form and registration.status == Registration.Status.CONFIRMED:
        waits = atelier_waits(registration, atelier_form.ateliers_shown, ateliers)
    # The sections of manage.html that show their own confirmation (section_messages).
    shown_sections = {
        ATELIER_WAITS_SECTION: bool(waits),
        "liste-publiee": registration.status != Registration.Status.CANCELLED,
        "mon-telephone": phone_form is not None,
        "ma-commune": can_change and commune_form is not None,
        "mes-besoins": can_change and needs_form is not None,
        "changer": can_change and atelier_form is not None,
    }
    top_messages, section_notices = section_messages(
        request, {section for section, shown in shown_sections.items() if shown}
    )
    context = {
        "messages": top_messages,
        "section_notices": section_notices,
        "registration": registration,
        "seminar": seminar,
        "page_url": event_path(seminar),
        # The person's own (personal_ics: their ateliers, the reminder, the latest SEQUENCE), not
        # the public file, older than the attachment already imported and without the ateliers.
        "ics_url": portal_path("personal_ics", token)
        if registration.calendar_file_available
        else "",
        # The event's, as on its page: never this link, which a shared agenda would show.
        "calendar_links": calendar_links(seminar, request)
        if registration.calendar_file_available
        else {},
        "ended": ended,
        "proceedings_url": proceedings_path(seminar, proceedings) if proceedings else "",
        "ateliers": ateliers,
        "form": atelier_form,
        "atelier_waits": waits,
        "can_change": can_change,
        "registration_open": seminar.registration_state() == "open",
        **event_contact(seminar, request),  # once changes are closed, whom to write to
        "commune_notice": unrecognised_commune_notice(
            registration, correctable=commune_form is not None, request=request
        ),
        "commune_form": commune_form,
        "needs_form": needs_form,
        "phone_form": phone_form,
        "certificate_url": portal_path("certificate", token)
        if registration.certificate_available
        else "",
        "evaluation_url": portal_path("evaluate", token)
        if evaluation_state(registration) == "open"
        else "",
        "evaluated": Evaluation.objects.filter(registration=registration).exists(),
        # segno's own markup, no typed text in it.
        "check_in_svg": mark_safe(check_in_svg(registration, request))
        if confirmed and not ended
        else "",
    }
    return render(request, "seminars/manage.html", context, status=status)


ATELIER_WAIT_ACTIONS = {"wait_atelier", "leave_atelier_wait"}


def change_atelier_wait(request, registration: Registration):
    """« Me placer sur la liste d'attente de … » or « Quitter la liste d'attente de … » (the
    personal page's « Listes d'attente des ateliers »): the answer is shown in that section."""
    try:
        atelier_id = int(request.POST.get("atelier", ""))
    except ValueError:
        atelier_id = 0
    label = registration.seminar.atelier_labels.get(atelier_id, "")
    try:
        if request.POST["action"] == "wait_atelier":
            rank = join_atelier_waiting(registration, atelier_id)
            said = (
                f"Vous êtes sur la liste d'attente de l'atelier « {label} », en "
                f"{position_label(rank)} position. Si une place s'y libère, elle vous est donnée "
                "et nous vous l'écrivons."
            )
        elif leave_atelier_waiting(registration, atelier_id):
            said = f"Vous avez quitté la liste d'attente de l'atelier « {label} »."
        else:
            said = "Aucun changement."
    except RegistrationError as error:
        messages.error(request, error.errors["atelier"][0], extra_tags=ATELIER_WAITS_SECTION)
    else:
        messages.success(request, said, extra_tags=ATELIER_WAITS_SECTION)
    return HttpResponseRedirect(request.path)


ATELIER_WAITS_SECTION = "attente-ateliers"


def waited_atelier_lists(registration: Registration) -> str:
    """« la liste d'attente de l'atelier « A » » or « les listes d'attente des ateliers « A » et
    « B » » (each atelier has its own): those she is on, for a sentence; "" for none."""
    labels = registration.seminar.atelier_labels
    names = [f"« {labels[wait.atelier_id]} »" for wait in registration.atelier_waits.all()]
    if not names:
        return ""
    if len(names) == 1:
        return f"la liste d'attente de l'atelier {names[0]}"
    return f"les listes d'attente des ateliers {french_list(names)}"


def atelier_waits(registration: Registration, event_ateliers: list, held: list) -> list:
    """The event's ateliers (`event_ateliers`, with their seats: forms.ateliers_with_seats) whose
    waiting list the registrant is on, and the full ones she may join: not those she holds
    (`held`). Each with `rank` on its waiting list (None when she is not on it)."""
    ranks = atelier_waiting_ranks(registration)
    full = full_atelier_ids(event_ateliers)
    held_ids = {atelier.pk for atelier in held}
    shown = [
        atelier
        for atelier in event_ateliers
        if atelier.pk not in held_ids and (atelier.pk in ranks or atelier.pk in full)
    ]
    for atelier in shown:
        atelier.rank = ranks.get(atelier.pk)
        atelier.rank_label = position_label(atelier.rank)
    return with_slots(shown, registration.seminar, event_ateliers)


def link_problem_context(token: str, *, expired: bool, request=None) -> dict:
    """What the page of an expired or invalid personal link says besides the problem: where to
    ask for a new link (the event's « Recevoir mon lien ») and whom to write to (event_contact),
    when the token is one we signed (its registration's event); the calendar and the union's
    contact otherwise."""
    seminar = None
    try:
        payload = signing.loads(token, salt=LINK_SALT)  # any age: only to find the event
    except signing.BadSignature:
        payload = None
    if isinstance(payload, dict):
        registration = (
            Registration.objects.select_related("seminar")
            .filter(pk=payload.get("r"), seminar__live=True)
            .first()
        )
        seminar = registration.seminar if registration else None
    return {
        "expired": expired,
        # The « lost link » page of an invitation-only event does not name it (resend_link).
        "resend_url": portal_path("resend_link", seminar.pk) if seminar else "",
        "find_url": portal_path("find_registrations"),
        **event_contact(seminar, request),
    }


EVALUATION_UNAVAILABLE = {
    "absent": "Le questionnaire de satisfaction est réservé aux personnes dont la présence a été "
    "émargée le jour de l'événement.",
    "not_ended": "Le questionnaire de satisfaction ouvre à la fin de l'événement.",
    "closed": "Le questionnaire de satisfaction de cet événement est clos.",
}


@never_cache
def evaluate(request, token: str):
    """The participant's questionnaire (signed link), from the end of the event for three months;
    answering again corrects the answer."""
    try:
        registration = read_token(token)
    except (LinkExpired, LinkInvalid):
        # The personal page explains an expired link and offers a new one.
        return HttpResponseRedirect(portal_path("manage", token))
    state = evaluation_state(registration)
    if state != "open":
        messages.info(request, EVALUATION_UNAVAILABLE[state])
        return HttpResponseRedirect(portal_path("manage", token))
    evaluation = (
        Evaluation.objects.filter(registration=registration)
        .prefetch_related("atelier_ratings", "answers")
        .first()
    )
    form = EvaluationForm(
        request.POST or None,
        ateliers=rated_ateliers(registration),
        questions=added_questions(registration.seminar),
        initial=EvaluationForm.initial_from(evaluation),
    )
    if form.is_valid():
        save_evaluation(
            registration,
            form.cleaned_data,
            form.atelier_ratings(),
            added_answers=form.added_answers(),
        )
        closes = long_date(timezone.localtime(evaluation_closes(registration.seminar)))
        messages.success(
            request,
            f"Merci, votre avis est enregistré. Vous pouvez le modifier jusqu'au {closes}.",
        )
        return HttpResponseRedirect(portal_path("manage", token))
    context = {
        "registration": registration,
        "seminar": registration.seminar,
        "form": form,
        "evaluation": evaluation,
        "manage_url": portal_path("manage", token),
    }
    return render(request, "seminars/evaluation.html", context, status=400 if form.errors else 200)


@never_cache
def download_certificate(request, token: str):
    """The registrant's attestation de présence, once checked in on the day (signed link)."""
    try:
        registration = read_token(token)
    except (LinkExpired, LinkInvalid):
        # The personal page explains an expired link and offers a new one.
        return HttpResponseRedirect(portal_path("manage", token))
    if not registration.certificate_available:
        raise Http404("L'attestation est disponible à la fin de l'événement, présence émargée.")
    seminar = registration.seminar
    return download_response(
        certificate_pdf(seminar, [registration]), "pdf", certificate_filename(seminar, registration)
    )


def download_personal_ics(request, token: str):
    """« Ajouter à mon agenda (.ics) » of the personal page: the person's own file, as their
    e-mails attach it (signed link), while a seat is held in an event to come. A tampered or
    expired link, someone waiting or cancelled, an event cancelled or over: 404."""
    try:
        registration = read_token(token)
    except (LinkExpired, LinkInvalid) as error:
        raise Http404("Lien invalide ou expiré.") from error
    if not registration.calendar_file_available:
        raise Http404("Pas de fichier d'agenda pour cette inscription.")
    response = ics_download(personal_ics(registration), registration.seminar)
    add_never_cache_headers(response)  # a person's ateliers: no shared cache keeps them
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def resend_link(request, pk: int):
    """ "Lost your link?": the answer never says whether the address is registered. The event
    page's form posts here; a GET (a bookmarked or shared address) shows the same form on its
    own page, and a refused address comes back to it (400) with what was typed.

    An id that names no live event answers as an unlisted one does (the same form, the same
    message, nothing sent): a 404 there, against a 200 for an invitation-only event, told
    anyone counting ids which unlisted events exist."""
    seminar = SeminarPage.objects.live().filter(pk=pk).first()
    requested = request.POST.get("next") or request.GET.get("next")
    next_url = (
        requested
        if url_has_allowed_host_and_scheme(requested, allowed_hosts={request.get_host()})
        else ""
    )
    # Anyone may type this address: an invitation-only event is not named on it, nor is its
    # page's address given away by the redirect after sending (audit of session 32); nor is
    # one behind a view restriction, which its page names only to those it admits.
    listed = (
        seminar is not None
        and seminar.visibility != Visibility.INVITATION
        and not behind_view_restriction(pk)
    )
    form = ResendLinkForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if seminar is not None:
            send_new_link(seminar, form.cleaned_data["email"])
        messages.success(
            request,
            "Si une inscription existe avec cette adresse, un lien pour la gérer y est envoyé "
            f"{AT_MOST_EVERY_TEN_MINUTES}.",
        )
        return HttpResponseRedirect(next_url or (page_path(seminar) if listed else request.path))
    context = {
        "form": form,
        "seminar": seminar if listed else None,
        "back_url": next_url or (page_path(seminar) if listed else ""),
        "next_url": next_url,
        "find_url": portal_path("find_registrations"),
    }
    return render(request, "seminars/resend_link.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def find_registrations(request):
    """« Retrouver mes inscriptions » (portal only): one e-mail listing an address's
    registrations to come and those of the last year where she was present (attestations),
    each with its personal link, for whoever lost them or is registered for several events. The
    answer never says whether the address is registered; a refused address comes back (400)
    with what was typed."""
    form = FindRegistrationsForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        send_registrations_list(form.cleaned_data["email"])
        messages.success(
            request,
            "Si des inscriptions existent avec cette adresse pour des événements à venir, ou "
            "des douze derniers mois avec votre présence enregistrée, leur liste y est envoyée, "
            f"avec le lien personnel de chacune {AT_MOST_EVERY_TEN_MINUTES}.",
        )
        return HttpResponseRedirect(portal_path("find_registrations"))
    calendar = SeminarIndexPage.objects.live().first()
    context = {"form": form, "calendar_url": page_path(calendar) if calendar else ""}
    return render(
        request, "seminars/find_registrations.html", context, status=400 if form.errors else 200
    )


def ics_feed(request):
    """iCalendar feed of the public events, past month included so that calendars keep them."""
    since = timezone.now() - timedelta(days=31)
    events = listed_events().filter(visibility=Visibility.PUBLIC, end__gte=since)
    kind = asked_kind(request)
    if kind is None:
        raise Http404("Type d'événement inconnu.")
    if kind:
        events = events.filter(kind=kind)
    response = HttpResponse(feed_ics(events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="evenements.ics"'
    return response


def event_ics(request, pk: int):
    # Whoever may read the page (a members' restriction that accepts her) may take its file.
    page = get_object_or_404(visible_to(SeminarPage.objects.all(), request), pk=pk)
    if not page.invitation_ok(request.GET.get("invitation")):
        raise Http404
    return ics_download(seminar_ics(page), page)


def ics_download(content: bytes, seminar) -> HttpResponse:
    """An event's .ics to save, named after its slug (the public file or the person's own)."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = attachment_header(
        ascii_file_name(seminar.slug, extension="ics")
    )
    return response

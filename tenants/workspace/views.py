"""Member-host pages: dashboard, profile, board, activity report, team and documents.

Views stay thin: reads come from compliance.py / activity.py, writes from services.py.
"""

import logging
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from knowledge_base.listing import latest_guides_on
from tenants.access import (
    WRITE_ROLES,
    has_member_role,
    member_role_required,
    membership_for,
    sees_board_contacts,
)
from tenants.models import Membership
from tenants.services import password_link_deadline, password_link_valid_until, portal_url
from tenants.workspace import (
    activity,
    archive,
    board_exports,
    convocation_pdf,
    exports,
    first_steps,
    meetings,
)
from tenants.workspace import documents as documents_list
from tenants.workspace.compliance import (
    abs_report_due,
    board_authorities,
    board_status,
    current_mandate,
    is_past,
    last_municipal_election,
    mandate_compliance,
    next_mandate_label,
    seat_label,
    sitting_members,
    term_warnings,
)
from tenants.workspace.dashboard import PANELS, recent_documents
from tenants.workspace.forms import (
    ActivityFigureForm,
    ActivityImportForm,
    BoardMemberForm,
    BoardRenewalForm,
    ConvocationForm,
    DocumentDetailsForm,
    DocumentForm,
    DocumentReplaceForm,
    InviteForm,
    MandateForm,
    MeetingForm,
    PaperConvocationForm,
    ProfileForm,
    PublicationForm,
    RoleForm,
    ServiceFormSet,
)
from tenants.workspace.models import (
    ActivityFigure,
    BoardMandate,
    BoardMeeting,
    BoardMember,
    Document,
)
from tenants.workspace.services import (
    AGENT_DELETE_WINDOW,
    DOCUMENT_FIELDS,
    DuplicateFigure,
    FieldErrors,
    WorkspaceError,
    add_board_member,
    add_document,
    change_team_role,
    check_board_member_deletable,
    check_mandate_deletable,
    check_team_member_removable,
    create_mandate,
    delete_activity_figure,
    delete_board_member,
    delete_document,
    delete_mandate,
    delete_meeting,
    get_profile,
    import_activity,
    invite_team_member,
    last_invitations,
    may_delete_document,
    published_profile_fields,
    record_meeting,
    remove_team_member,
    renew_board,
    replace_document_file,
    resend_invitation,
    save_activity_figure,
    set_profile_publication,
    signed_in_since_access,
    team_name,
    team_sort_key,
    update_board_member,
    update_document,
    update_mandate,
    update_meeting,
    update_profile,
)
from tenants.workspace.templatetags.workspace_tags import euros, number
from tenants.workspace.uploads import content_type_for, file_not_stored, opens_in_browser
from union.formats import describe_days, french_list, long_date, plural, with_de
from union.spreadsheets import (
    attachment_header,
    csv_bytes,
    download_response,
    reported_issues,
)
from union.stale_edits import StaleEdit, refuse_stale
from union.tokens import accepts_api_token

logger = logging.getLogger(__name__)
DIRECTOR = (Membership.Role.DIRECTOR,)
write_required = member_role_required(*WRITE_ROLES)
director_required = member_role_required(*DIRECTOR)


def _roles(request) -> dict:
    return {
        "can_write": has_member_role(request, WRITE_ROLES),
        "is_director": has_member_role(request, DIRECTOR),
    }


# --- Dashboard -------------------------------------------------------------------------------


def render_panels(request) -> list[dict]:
    """Each app's panel, rendered; an app that has nothing (None) or fails is left out."""
    rendered = []
    for path in PANELS:
        try:
            panel = import_string(path)(request)
            if not panel:
                continue
            html = render_to_string(panel["template"], panel.get("context", {}), request=request)
        except Exception:  # one broken panel must not take the member's home page down
            logger.exception("Dashboard panel %s failed", path)
            continue
        rendered.append(
            {
                "title": panel.get("title", ""),
                "html": mark_safe(html),
                "wide": bool(panel.get("wide")),
            }
        )
    return rendered


@member_role_required()
def home(request):
    member = request.tenant
    mandate = current_mandate()
    seats = list(mandate.members.all()) if mandate else None
    context = {
        "commune": member.commune,
        "intercommunality": member.intercommunality or member.commune.intercommunality,
        "profile": get_profile(member),
        "mandate": mandate,
        "compliance": (compliance := mandate_compliance(mandate, seats)),
        "term_warnings": (warnings := term_warnings(mandate, members=seats)),
        "board_status": board_status(compliance, warnings.renewal, counted=True),
        # The last complete year, and the years being entered after it.
        "activity": (overview := activity.activity_overview()),
        "report": overview.report,
        # Whether the complete year's evolutions compare with anything (a first year is
        # complete once over, with nothing before it).
        "previous_entered": overview.complete
        and overview.report.previous_year in activity.available_years(),
        "domiciliation_year": activity.domiciliation_reminder(timezone.localdate()),
        # Due after the municipal elections whether or not the board was renewed on time.
        "abs_report": abs_report_due(),
        "next_meeting": meetings.next_meeting(),
        "document_count": Document.objects.count(),
        "recent_documents": recent_documents(),
        "panels": render_panels(request),
        # « Premiers pas » for a director, until every step is done or she hides it.
        "first_steps": first_steps.first_steps_panel(request),
        **_roles(request),
    }
    return render(request, "workspace/home.html", context)


@director_required
@require_POST
def first_steps_hide(request):
    """« Masquer ces premiers pas »: a cookie of this host (first_steps.hide_first_steps)."""
    response = HttpResponseRedirect("/")
    first_steps.hide_first_steps(response)
    messages.info(request, "« Premiers pas » est masqué sur ce navigateur.")
    return response


# --- Profile ---------------------------------------------------------------------------------


@member_role_required()
def profile(request):
    member = request.tenant
    profile = get_profile(member)
    publication = PublicationForm(
        initial={
            "name": profile.publish_name,
            "services": profile.publish_services,
            "contact": profile.publish_contact,
        }
    )
    if request.method == "POST":
        if not has_member_role(request, DIRECTOR):
            raise_forbidden()
        publication = PublicationForm(request.POST)
        if publication.is_valid():
            set_profile_publication(member, **publication.cleaned_data, actor=request.user)
            messages.success(request, "Vos choix de publication dans l'annuaire sont enregistrés.")
            return HttpResponseRedirect(request.path)
    return render(
        request,
        "workspace/profile.html",
        {
            "profile": profile,
            "services": profile.services.all(),
            "publication": publication,
            "public_profile": getattr(member, "public_profile", None),
            **_roles(request),
        },
    )


def raise_forbidden():
    raise PermissionDenied("Vous n'avez pas accès à cette fonction de l'espace membre.")


@write_required
def profile_edit(request):
    member = request.tenant
    profile = get_profile(member)
    initial_services = [
        {"kind": s.kind, "label": s.label, "description": s.description}
        for s in profile.services.all()
    ]
    # Which fields the directory copies as soon as they are saved: the form says so.
    published = published_profile_fields(profile)
    form = ProfileForm(request.POST or None, instance=profile, published=published)
    form.carry_version()  # a colleague's save since the page was opened is not undone
    formset = ServiceFormSet(request.POST or None, initial=initial_services, prefix="services")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            form.save_unless_stale(
                lambda: update_profile(
                    member, form.cleaned_data, formset.services(), actor=request.user
                )
            )
        except StaleEdit as stale:
            refuse_stale(form, stale)
        else:
            if profile.publishes_anything:
                messages.success(
                    request,
                    "Profil enregistré. L'annuaire des membres montre déjà les informations "
                    "publiées.",
                )
            else:
                messages.success(request, "Profil enregistré.")
            return HttpResponseRedirect("/profil/")
    return render(
        request,
        "workspace/profile_edit.html",
        {
            "form": form,
            "formset": formset,
            "profile": profile,
            "published": published,
            "is_director": has_member_role(request, DIRECTOR),
        },
    )


# --- Board -----------------------------------------------------------------------------------


def _mandate_view(request, mandate: BoardMandate | None, template: str = "workspace/board.html"):
    # Read once: the list, the sitting members, the compliance and the terms all use these seats.
    members = list(mandate.members.all()) if mandate else []
    sitting = set(m.pk for m in sitting_members(mandate, members=members)) if mandate else set()
    past = mandate is not None and is_past(mandate)
    labels = board_authorities(request.tenant).seat_labels
    return render(
        request,
        template,
        {
            "mandate": mandate,
            # Each seat with its name on this member's board (a CIAS's: the EPCI's authorities).
            "seats": [(m, labels.get(m.seat, m.seat)) for m in members],
            "is_current": (is_current := mandate is not None and mandate == current_mandate()),
            "is_past": past,
            "can_edit_board": _can_edit_board(request, mandate),
            "members": members,
            "sitting": sitting,
            "compliance": (compliance := mandate_compliance(mandate, members)),
            "term_warnings": (warnings := term_warnings(mandate, members=members)),
            "board_status": board_status(compliance, warnings.renewal),
            "abs_report": None if past else abs_report_due(),
            # The board's séances, beside the running board (or in place of any).
            "show_meetings": (show := is_current or mandate is None),
            "last_meeting": meetings.last_meeting() if show else None,
            "next_meeting": meetings.next_meeting() if show else None,
            "mandates": BoardMandate.objects.all(),
            "sees_contacts": sees_board_contacts(request),
            **_roles(request),
        },
    )


def _can_edit_board(request, mandate: BoardMandate | None) -> bool:
    """Agents keep the running board up to date; an ended mandate is the board's history, which
    only the director changes (an agent could otherwise rewrite or erase earlier boards)."""
    if mandate is not None and is_past(mandate):
        return has_member_role(request, DIRECTOR)
    return has_member_role(request, WRITE_ROLES)


def _check_can_edit_board(request, mandate: BoardMandate) -> None:
    if not _can_edit_board(request, mandate):
        raise_forbidden()


def _check_direction_dates_mandates(request) -> None:
    """Opening a mandature and changing its dates are the direction's, as « Renouveler le
    conseil » is: agents enter and edit the board's members within a mandature."""
    if not has_member_role(request, DIRECTOR):
        raise PermissionDenied(
            f"Seule la direction du {request.tenant.kind} ouvre une mandature ou en change les "
            "dates ; vous pouvez saisir et modifier les membres du conseil."
        )


@member_role_required()
def board(request):
    return _mandate_view(request, current_mandate())


@member_role_required()
def board_mandate(request, pk: int):
    return _mandate_view(request, get_object_or_404(BoardMandate, pk=pk))


@write_required
def mandate_add(request):
    _check_direction_dates_mandates(request)
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mandate = create_mandate(request.tenant, **form.cleaned_data, actor=request.user)
        except FieldErrors as error:  # a mandate entered since the form was checked
            for name, message in error.errors.items():
                form.add_error(name, message)
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Mandature {mandate.label} créée.")
            return HttpResponseRedirect(f"/conseil/mandats/{mandate.pk}/")
    return render(
        request, "workspace/form_page.html", {"form": form, "title": "Nouvelle mandature"}
    )


def _mandate_saved_message(mandate: BoardMandate, adjusted: list[BoardMember]) -> str:
    if not adjusted:
        return f"Mandature {mandate.label} mise à jour."
    names = ", ".join(seat.full_name for seat in adjusted)
    return (
        f"Mandature {mandate.label} mise à jour ; dates de mandat ajustées pour "
        f"{len(adjusted)} membre{'s' if len(adjusted) > 1 else ''} du conseil : {names}."
    )


@write_required
def mandate_edit(request, pk: int):
    mandate = get_object_or_404(BoardMandate, pk=pk)
    _check_direction_dates_mandates(request)
    title = f"Modifier la mandature {mandate.label}"  # before the form writes the typed label
    form = MandateForm(request.POST or None, instance=mandate)
    if request.method == "POST" and form.is_valid():
        try:
            adjusted = update_mandate(
                request.tenant, mandate, **form.cleaned_data, actor=request.user
            )
        except FieldErrors as error:  # a seat or a mandate changed since the form was checked
            for name, message in error.errors.items():
                form.add_error(name, message)
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _mandate_saved_message(mandate, adjusted))
            return HttpResponseRedirect(f"/conseil/mandats/{mandate.pk}/")
    return render(
        request,
        "workspace/form_page.html",
        {"form": form, "title": title, "back": f"/conseil/mandats/{mandate.pk}/"},
    )


@write_required
def board_member_edit(request, pk: int | None = None, mandate_pk: int | None = None):
    board_member = get_object_or_404(BoardMember, pk=pk) if pk else None
    mandate = (
        board_member.mandate if board_member else get_object_or_404(BoardMandate, pk=mandate_pk)
    )
    _check_can_edit_board(request, mandate)
    initial = {} if board_member else {"start": mandate.start}
    form = BoardMemberForm(
        request.POST or None,
        instance=board_member,
        initial=initial,
        mandate=mandate,
        authorities=board_authorities(request.tenant),
    )
    form.carry_version()  # a colleague's save since the page was opened is not undone
    if request.method == "POST" and form.is_valid():
        try:
            if board_member:
                form.save_unless_stale(
                    lambda: update_board_member(
                        request.tenant, board_member, form.cleaned_data, actor=request.user
                    )
                )
            else:
                add_board_member(request.tenant, mandate, form.cleaned_data, actor=request.user)
        except StaleEdit as stale:
            refuse_stale(form, stale)
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Conseil d'administration mis à jour.")
            return HttpResponseRedirect(f"/conseil/mandats/{mandate.pk}/")
    title = (
        f"Modifier {board_member.full_name}"
        if board_member
        else f"Ajouter un membre au conseil ({mandate.label})"
    )
    return render(
        request,
        "workspace/board_member_form.html",
        {"form": form, "title": title, "back": f"/conseil/mandats/{mandate.pk}/"},
    )


def _confirm_delete(request, *, title, lead, details, cancel, advice=""):
    """GET of a deletion: what will go, a POST button to confirm and a way back."""
    return render(
        request,
        "workspace/confirm_delete.html",
        {
            "title": title,
            "lead": lead,
            "details": details,
            "cancel": cancel,
            "advice": advice,
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def mandate_delete(request, pk: int):
    """A term entered by mistake goes, once nobody sits in it (services.delete_mandate)."""
    mandate = get_object_or_404(BoardMandate, pk=pk)
    _check_direction_dates_mandates(request)  # the mandature's, as opening it
    back = f"/conseil/mandats/{mandate.pk}/"
    try:
        if request.method == "GET":
            check_mandate_deletable(mandate)
            period = f"du {long_date(mandate.start, weekday=False)}"
            if mandate.end:
                period += f" au {long_date(mandate.end, weekday=False)}"
            return _confirm_delete(
                request,
                title=f"Supprimer la mandature {mandate.label} ?",
                lead="Cette mandature, saisie par erreur et sans membre, sera supprimée.",
                details=[("Mandature", mandate.label), ("Dates", period)],
                cancel=back,
            )
        delete_mandate(request.tenant, mandate, actor=request.user)
    except WorkspaceError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(back)
    messages.success(request, f"Mandature {mandate.label} supprimée.")
    return HttpResponseRedirect("/conseil/")


@director_required
@require_http_methods(["GET", "POST"])
def board_member_delete(request, pk: int):
    """Erases a seat for good: for entry mistakes, and the director's call (as documents'),
    since a seat deleted is gone from the board's history; someone who leaves gets an end."""
    board_member = get_object_or_404(BoardMember.objects.select_related("mandate"), pk=pk)
    mandate_pk = board_member.mandate_id
    back = f"/conseil/mandats/{mandate_pk}/"
    try:
        if request.method == "POST":
            delete_board_member(request.tenant, board_member, actor=request.user)
        else:  # refused before the confirmation page too: a seat in a séance's record stays
            check_board_member_deletable(board_member)
    except WorkspaceError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(back)
    if request.method == "GET":
        period = board_exports.seat_period(board_member, board_member.mandate)
        details = [
            ("Nom", board_member.full_name),
            ("Siège", seat_label(board_member.seat, board_authorities(request.tenant))),
            ("Mandature", board_member.mandate.label),
            ("Mandat", period),
        ]
        if board_member.association or board_member.category:
            association = ", ".join(
                part
                for part in (board_member.association, board_member.get_category_display())
                if part
            )
            details.append(("Association", association))
        return _confirm_delete(
            request,
            title=f"Supprimer {board_member.full_name} du conseil d'administration ?",
            lead="Cette personne sera retirée de la liste du conseil.",
            details=details,
            cancel=back,
            advice="Si cette personne a quitté le conseil, indiquez plutôt la fin de son mandat "
            "en la modifiant : elle restera dans l'historique.",
        )
    messages.success(request, f"{board_member.full_name} retiré(e) de la liste.")
    return HttpResponseRedirect(back)


@director_required
def board_renew(request):
    """« Renouveler le conseil »: the new mandate and the members re-appointed, in one write
    (services.renew_board)."""
    previous = current_mandate()
    if previous is None:  # nothing to renew: the first mandate is opened as any other
        return HttpResponseRedirect("/conseil/mandats/ajouter/")
    seats = sitting_members(previous)
    election = last_municipal_election()
    initial = {}
    if election is not None and previous.start < election.first_round:
        initial["label"] = next_mandate_label()
    authorities = board_authorities(request.tenant)
    form = BoardRenewalForm(
        request.POST or None,
        previous=previous,
        seats=seats,
        initial=initial,
        authorities=authorities,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            renewal = renew_board(
                request.tenant,
                previous,
                data["label"],
                data["start"],
                data["end"],
                data.get("reappointed", []),
                actor=request.user,
            )
        except FieldErrors as error:
            for name, message in error.errors.items():
                form.add_error(name, message)
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _renewal_message(renewal))
            return HttpResponseRedirect(f"/conseil/mandats/{renewal.mandate.pk}/")
    return render(
        request,
        "workspace/board_renew.html",
        {
            "form": form,
            "previous": previous,
            "authorities": authorities,
            "title": "Renouveler le conseil d'administration",
            "back": "/conseil/",
        },
    )


def _renewal_message(renewal) -> str:
    mandate, previous = renewal.mandate, renewal.previous
    text = (
        f"Conseil renouvelé : mandature {mandate.label} ouverte le "
        f"{long_date(mandate.start, weekday=False)}"
    )
    if renewal.closed_on:
        text += (
            f", mandature {previous.label} close le {long_date(renewal.closed_on, weekday=False)}"
        )
    count = len(renewal.reappointed)
    text += (
        f" ; {count} membre{'s' if count > 1 else ''} reconduit{'s' if count > 1 else ''}. "
        "Ajoutez maintenant les nouveaux membres (« Ajouter un membre »)."
    )
    due = abs_report_due()
    if due is not None and not due.presented_on and mandate.start >= due.election.first_round:
        text += " " + due.text
    return text


@member_role_required()
def board_export(request, fmt: str, pk: int | None = None):
    """The board of the current mandate (or of mandate `pk`) as CSV or XLSX (board_exports)."""
    mandate = get_object_or_404(BoardMandate, pk=pk) if pk else current_mandate()
    if mandate is None:
        raise Http404("Aucune mandature saisie.")
    members = list(mandate.members.all())
    authorities = board_authorities(request.tenant)
    contacts = sees_board_contacts(request)
    if fmt == "csv":
        content = board_exports.to_csv(mandate, members, authorities, contacts=contacts)
    else:
        content = board_exports.to_xlsx(
            mandate, members, request.tenant.name, authorities, contacts=contacts
        )
    return download_response(content, fmt, board_exports.file_name(request.tenant, mandate, fmt))


# --- Board meetings (séances) ----------------------------------------------------------------


@member_role_required()
def meetings_list(request):
    counted = meetings.meetings_with_quorum()
    held = [meeting for meeting, _ in counted]
    today = timezone.localdate()
    return render(
        request,
        "workspace/meetings.html",
        {
            "meetings": counted,
            "missing": meetings.missing_quarters_text(meetings.quarters_without_meeting(held)),
            "quarters": meetings.quarters_shown(held, today),
            "abs_report": abs_report_due(),
            "explanatory_report": meetings.needs_explanatory_report(request.tenant),
            "today": today,
            **_roles(request),
        },
    )


@member_role_required()
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(BoardMeeting.objects.select_related("minutes"), pk=pk)
    rows = {row.board_member_id: row for row in meeting.attendance.select_related("proxy_holder")}
    labels = board_authorities(request.tenant).seat_labels
    in_office = meetings.members_in_office(meeting.date)
    letters = convocation_pdf.letter_addressees(in_office, without_address=True)
    sees_contacts = sees_board_contacts(request)
    return render(
        request,
        "workspace/meeting.html",
        {
            "meeting": meeting,
            "heading": meetings.meeting_heading(meeting),
            "quorum": meetings.meeting_quorum(meeting, list(rows.values()), in_office),
            "convocation_issue": meetings.convocation_issue(meeting),
            # A board overdue for renewal sits here only because no new one was entered.
            "overdue_board": meetings.overdue_board_warning(meeting, request.tenant),
            "attendance": [
                (member, labels.get(member.seat, member.seat), rows.get(member.pk))
                for member in in_office
            ],
            # Every « Envoyer la convocation », latest first, shown to the whole team: the
            # proof of the convocation is the CCAS's; the addresses, as on the board page, to
            # those who convene.
            "sendings": meeting.convocation_sendings.all(),
            "sees_contacts": sees_contacts,
            # The letters « sans adresse » prints (not the président(e)'s: she convenes).
            "without_address": letters,
            # Whose envelope is to write by hand; « lecture seule » prints names alone.
            "postal_note": convocation_pdf.postal_note(letters) if sees_contacts else "",
            **_roles(request),
        },
    )


def _meeting_day(request, meeting: BoardMeeting | None):
    """The day whose members the form lists: the one typed, else the séance's, else today."""
    if request.method == "POST":
        try:
            return forms.DateField(widget=forms.DateInput).clean(request.POST.get("date"))
        except forms.ValidationError:
            pass
    return meeting.date if meeting else timezone.localdate()


@write_required
def meeting_edit(request, pk: int | None = None):
    meeting = get_object_or_404(BoardMeeting, pk=pk) if pk else None
    day = _meeting_day(request, meeting)
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        initial={} if meeting else {"date": timezone.localdate()},
        members=meetings.members_in_office(day),
        seat_labels=board_authorities(request.tenant).seat_labels,
    )
    form.carry_version()  # a colleague's save since the page was opened is not undone
    if request.method == "POST" and form.is_valid():
        values, attendance = form.cleaned_data, form.attendance()
        try:
            if meeting:
                form.save_unless_stale(
                    lambda: update_meeting(
                        request.tenant, meeting, values, attendance, actor=request.user
                    )
                )
            else:
                meeting = record_meeting(request.tenant, values, attendance, actor=request.user)
        except StaleEdit as stale:
            refuse_stale(form, stale)
        except FieldErrors as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, f"{meetings.meeting_heading(meeting)} enregistrée.")
            return HttpResponseRedirect(f"/conseil/seances/{meeting.pk}/")
    return render(
        request,
        "workspace/meeting_form.html",
        {
            "form": form,
            "title": f"Modifier la {meetings.meeting_heading(meeting).lower()}"
            if meeting
            else "Enregistrer une séance du conseil",
            "back": f"/conseil/seances/{meeting.pk}/" if meeting else "/conseil/seances/",
            # Said before saving too, as on the séance's page: the members listed are those of
            # a board that should have been renewed by that day.
            "overdue_board": meetings.overdue_board_warning(BoardMeeting(date=day), request.tenant),
            **_roles(request),
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def meeting_convene(request, pk: int):
    """« Envoyer la convocation » of a séance to come: who will receive it by e-mail and who
    must be convened by other means, the e-mail's text, a message and documents to add; the
    sending is meetings.convene_board's."""
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    back = f"/conseil/seances/{meeting.pk}/"
    if meeting.date <= timezone.localdate():
        messages.error(request, meetings.PAST_SEANCE)
        return HttpResponseRedirect(back)
    already_sent = meeting.convocation_sent_at is not None
    # An empty POST (no message, no document) is a sending, not an unbound form.
    form = ConvocationForm(
        request.POST if request.method == "POST" else None, already_sent=already_sent
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = meetings.convene_board(
                request.tenant,
                meeting,
                message=form.cleaned_data["message"],
                documents=form.cleaned_data["documents"],
                again=form.cleaned_data.get("again", False),
                actor=request.user,
            )
        except meetings.ConvocationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _convened_message(sent, meeting))
            return HttpResponseRedirect(back)
    convened, unreachable = meetings.convocation_recipients(meeting)
    reply_to = meetings.convocation_reply_to(request.user)
    preview = meetings.convocation_context(
        request.tenant, meeting, form["message"].value() or "", reply_to
    )
    return render(
        request,
        "workspace/meeting_convene.html",
        {
            "form": form,
            "meeting": meeting,
            "heading": meetings.meeting_heading(meeting),
            "subject": meetings.convocation_subject(request.tenant, meeting),
            "preview": render_to_string("workspace/email/convocation.txt", preview),
            "convened": convened,
            "unreachable": unreachable,
            "late": meetings.late_convocation_warning(meeting),
            "missing": meetings.missing_in_convocation(meeting),
            # As the séance's page says it: the members listed are a board overdue for renewal.
            "overdue_board": meetings.overdue_board_warning(meeting, request.tenant),
            "explanatory_report": preview["explanatory_report"],
            # The letters to print for those without an e-mail address: how many carry the
            # addressee's postal address, whose envelope is to write by hand.
            "postal_note": convocation_pdf.postal_note(unreachable),
            "sent_on": meetings.sent_on(meeting),
            "back": back,
        },
    )


@write_required
@require_http_methods(["GET", "POST"])
def meeting_paper_convocation(request, pk: int):
    """« Noter la convocation papier »: the printed letters handed or posted, kept on the séance
    beside the e-mails (meetings.record_paper_convocation)."""
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    back = f"/conseil/seances/{meeting.pk}/"
    form = PaperConvocationForm(
        request.POST or None, members=meetings.members_in_office(meeting.date)
    )
    if request.method == "POST" and form.is_valid():
        try:
            meetings.record_paper_convocation(
                request.tenant,
                meeting,
                day=form.cleaned_data["day"],
                convened=form.chosen_members(),
                actor=request.user,
            )
        except meetings.ConvocationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            count = plural(len(form.cleaned_data["convened"]), "membre", "membres")
            messages.success(request, f"Convocation papier notée pour {count}.")
            return HttpResponseRedirect(back)
    return render(
        request,
        "workspace/form_page.html",
        {
            "form": form,
            "title": f"Noter la convocation papier – {meetings.meeting_heading(meeting)}",
            "back": back,
        },
        status=400 if form.errors else 200,
    )


def _convened_message(sent: meetings.Convocation, meeting: BoardMeeting) -> str:
    """« Convocation envoyée par courriel à 7 membres du conseil. … »: how many, who was not
    convened by e-mail (with a link to their letters to print), and « convocation adressée le »
    filled in."""
    text = (
        "Convocation envoyée par courriel à "
        f"{plural(len(sent.convened), 'membre du conseil', 'membres du conseil')}."
    )
    if sent.unreachable:
        names = french_list([member.full_name for member in sent.unreachable])
        text += f" Sans adresse électronique, à convoquer par un autre moyen : {names}."
    if sent.convened_on_set:
        text += (
            " « Convocation adressée le » est renseignée : "
            f"{long_date(timezone.localdate(), weekday=False)}."
        )
    if sent.unreachable:
        return format_html(
            '{} <a href="{}" download>{}</a>. {}',
            text,
            f"/conseil/seances/{meeting.pk}/convocations.pdf?sans_adresse=1",
            "Convocations à imprimer pour les membres sans adresse (PDF)",
            convocation_pdf.postal_note(sent.unreachable),
        )
    return text


@director_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request, pk: int):
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    heading = meetings.meeting_heading(meeting)
    if request.method == "GET":
        return _confirm_delete(
            request,
            title=f"Supprimer la {heading.lower()} ?",
            lead="Cette séance, saisie par erreur, sera supprimée avec les présences saisies.",
            details=[("Séance", heading), ("Ordre du jour", " ; ".join(meeting.agenda_items))],
            cancel=f"/conseil/seances/{meeting.pk}/",
        )
    delete_meeting(request.tenant, meeting, actor=request.user)
    messages.success(request, f"{heading} supprimée.")
    return HttpResponseRedirect("/conseil/seances/")


@member_role_required()
def meeting_sheet(request, pk: int):
    """The séance's attendance sheet (PDF), to sign in the room."""
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    labels = board_authorities(request.tenant).seat_labels
    in_office = meetings.members_in_office(meeting.date)
    if not in_office:
        raise Http404("Aucun membre du conseil ne siège à la date de cette séance.")
    content = board_exports.meeting_sheet_pdf(
        request.tenant.name,
        meetings.meeting_heading(meeting),
        meeting.place,
        [[member.full_name, labels.get(member.seat, member.seat)] for member in in_office],
        meetings.meeting_quorum(meeting, in_office=in_office).condition,
        warning=meetings.overdue_board_warning(meeting, request.tenant),
    )
    return download_response(
        content, "pdf", board_exports.meeting_sheet_name(request.tenant, meeting)
    )


@member_role_required()
def meeting_convocations(request, pk: int):
    """« Convocations à imprimer » (PDF, a letter per page): every member in office on the
    séance's day, or with ?sans_adresse=1 those without an e-mail address. Any role of the
    space, as the attendance sheet: the letters are the team's to hand over or post. A past
    séance's too, printed for the record."""
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    without_address = request.GET.get("sans_adresse") == "1"
    content = meetings.convocation_letters(
        request.tenant,
        meeting,
        request.user,
        without_address=without_address,
        postal_addresses=sees_board_contacts(request),
    )
    if not content:
        raise Http404(
            "Tous les membres en exercice ont une adresse électronique."
            if without_address
            else "Aucun membre du conseil ne siège à la date de cette séance."
        )
    return download_response(content, "pdf", convocation_pdf.file_name(meeting))


# --- Activity --------------------------------------------------------------------------------


def _year(request, default: int | None) -> int | None:
    raw = request.GET.get("annee", "")
    if not raw:
        return default
    year = activity.read_year(raw)
    if year is None:
        raise Http404("Année invalide.")
    return year


@member_role_required()
def activity_report(request):
    asked = _year(request, None)
    # Without ?annee=: the dashboard's year (the last complete one), not one just begun.
    year = asked or activity.dashboard_year() or timezone.localdate().year - 1
    report = activity.activity_report(year)
    trend_years, trends = activity.pole_trends()
    return render(
        request,
        "workspace/activity.html",
        {
            "report": report,
            # The current year too, before its first figure: otherwise nothing leads to it.
            "years": activity.report_years(),
            # « Saisir un chiffre »: the year asked, else the one being entered, which the last
            # complete year the page opens on is not.
            "entry_year": asked or max(year, activity.entry_year()),
            "sections": report.figures_by_pole(),
            "trend_years": trend_years,
            "trends": trends,
            **_roles(request),
        },
    )


def _export_title(request, year: int) -> str:
    return f"Rapport d'activité {year} – {request.tenant.name}"


@member_role_required()
def activity_export(request, fmt: str):
    year = _year(request, None)
    if year is None:
        # The year the page opens on (the dashboard's).
        year = activity.dashboard_year()
        if year is None:
            raise Http404("Aucun chiffre d'activité.")
    report = activity.activity_report(year)
    if fmt == "csv":
        content = exports.to_csv(report)
    elif fmt == "xlsx":
        content = exports.to_xlsx(report, _export_title(request, year))
    else:
        content = exports.to_pdf(report, _export_title(request, year))
    return download_response(
        content, fmt, f"rapport-activite-{slugify(request.tenant.slug)}-{year}.{fmt}"
    )


@member_role_required()
def activity_template(request):
    """A ready-to-fill import file with the usual poles and categories."""
    year = timezone.localdate().year - 1
    rows = [list(activity.FRENCH_HEADERS.values())]
    rows += [
        [year, pole, category, "", ""]
        for pole, categories in activity.USUAL_CATEGORIES.items()
        for category in categories
    ]
    return download_response(csv_bytes(rows), "csv", "modele-rapport-activite.csv")


@write_required
def activity_figure_edit(request, pk: int | None = None):
    figure = get_object_or_404(ActivityFigure, pk=pk) if pk else None
    back = figure_back_url(request, figure)  # before the form writes the typed year on it
    initial = {}
    if figure is None:
        initial = {
            "year": request.GET.get("annee") or activity.entry_year(),
            "pole": request.GET.get("pole", ""),
            "category": request.GET.get("categorie", ""),
        }
    form = ActivityFigureForm(request.POST or None, instance=figure, initial=initial)
    form.carry_version()  # a colleague's save since the page was opened is not undone
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = form.save_unless_stale(
                lambda: save_activity_figure(
                    request.tenant,
                    data["year"],
                    data["pole"],
                    data["category"],
                    data["count"],
                    data["amount"],
                    figure=figure,
                    actor=request.user,
                )
            )
        except StaleEdit as stale:
            refuse_stale(form, stale)
        except DuplicateFigure as error:
            form.add_error(None, duplicate_figure_error(error.existing))
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Chiffre enregistré : {saved}."
                + spelling_note(data["pole"], data["category"], saved),
            )
            if "encore" in request.POST:
                query = urlencode({"annee": saved.year, "pole": saved.pole})
                return HttpResponseRedirect(f"/activite/saisir/?{query}")
            return HttpResponseRedirect(f"/activite/?annee={saved.year}")
    pole = form["pole"].value() or ""
    categories = activity.USUAL_CATEGORIES.get(
        activity.spell(pole, "")[0],
        [c for items in activity.USUAL_CATEGORIES.values() for c in items],
    )
    return render(
        request,
        "workspace/activity_form.html",
        {
            "form": form,
            "figure": figure,
            "poles": activity.USUAL_POLES,
            "categories": categories,
            "back": back,
        },
    )


def spelling_note(pole: str, category: str, saved: ActivityFigure) -> str:
    """What the saved figure spells otherwise than typed, and why (save_activity_figure): a
    silent change reads as a correction undone."""
    notes = []
    if saved.respelled_years:
        years = [str(year) for year in saved.respelled_years]
        notes.append(
            f"La catégorie s'écrit désormais « {saved.category} », aussi en {french_list(years)}."
        )
    pole, category = pole.strip(), category.strip()
    if pole != saved.pole:
        reason = (
            "celle de la liste proposée"
            if activity.is_usual_pole(saved.pole)
            else "celle de vos autres chiffres, pour que les années se comparent"
        )
        notes.append(f"Le pôle « {pole} » garde l'orthographe « {saved.pole} », {reason}.")
    if category != saved.category:
        if activity.is_usual_category(saved.pole, saved.category):
            reason = "celle de la liste proposée"
        else:
            reason = (
                "celle de vos autres chiffres, pour que les années se comparent ; pour la "
                "changer, modifiez l'un de ces chiffres : toutes les années suivent"
            )
        notes.append(
            f"La catégorie « {category} » garde l'orthographe « {saved.category} », {reason}."
        )
    return "".join(f" {note}" for note in notes)


def figure_back_url(request, figure: ActivityFigure | None) -> str:
    """Where « Annuler » leads: the report of the figure's year (as stored, not as retyped), or
    of the year the entry was opened for; the latest report when none was asked."""
    year = figure.year if figure else activity.read_year(request.GET.get("annee", ""))
    return f"/activite/?annee={year}" if year else "/activite/"


def duplicate_figure_error(existing: ActivityFigure) -> str:
    """The French refusal of a figure entered twice, with a link to the one already there."""
    return format_html(
        "Un chiffre existe déjà pour {}, « {} », « {} » : "
        '<a href="/activite/{}/">modifiez le chiffre existant</a>.',
        existing.year,
        existing.pole,
        existing.category,
        existing.pk,
    )


@write_required
@require_http_methods(["GET", "POST"])
def activity_figure_delete(request, pk: int):
    figure = get_object_or_404(ActivityFigure, pk=pk)
    year = figure.year
    if request.method == "GET":
        return _confirm_delete(
            request,
            title="Supprimer ce chiffre d'activité ?",
            lead=f"Ce chiffre sera retiré du rapport d'activité {year}.",
            details=[
                ("Année", str(year)),
                ("Pôle", figure.pole),
                ("Catégorie", figure.category),
                ("Nombre", "–" if figure.count is None else number(figure.count)),
                ("Montant", "–" if figure.amount is None else euros(figure.amount)),
            ],
            cancel=f"/activite/?annee={year}",
        )
    delete_activity_figure(request.tenant, figure, actor=request.user)
    messages.success(request, f"Chiffre supprimé : {figure}.")
    return HttpResponseRedirect(f"/activite/?annee={year}")


@write_required
def activity_import(request):
    form = ActivityImportForm()
    errors = []
    if request.method == "POST":
        form = ActivityImportForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                rows, errors = activity.parse_activity_file(uploaded.name, uploaded.read())
            except ValueError as error:
                form.add_error("file", str(error))
            else:
                if not errors:
                    imported = import_activity(request.tenant, rows, actor=request.user)
                    messages.success(request, describe_activity_import(imported))
                    latest = max(row.year for row in rows)
                    return HttpResponseRedirect(f"/activite/?annee={latest}")
    return render(
        request,
        "workspace/activity_import.html",
        # The first errors only (a wrong file has one per line), and how many there are.
        {
            "form": form,
            "errors": reported_issues(errors),
            "error_total": len(errors),
        },
    )


def describe_activity_import(imported) -> str:
    """« 12 chiffres importés. », and, when the file met figures already entered, how many it
    replaced with other numbers: sending a file again can overwrite figures corrected by hand."""
    text = plural(imported.count, "chiffre importé", "chiffres importés")
    if not (imported.replaced or imported.unchanged):
        return f"{text}."
    parts = []
    if imported.created:
        parts.append(plural(imported.created, "nouveau", "nouveaux"))
    if imported.replaced:
        parts.append(
            plural(imported.replaced, "remplaçant", "remplaçant")
            + " un chiffre déjà saisi (valeurs différentes)"
        )
    if imported.unchanged:
        parts.append(
            plural(
                imported.unchanged,
                "identique au chiffre déjà saisi",
                "identiques aux chiffres déjà saisis",
            )
        )
    return f"{text}\u00a0: {french_list(parts)}."


DOMICILIATION_THEME = "domiciliation"


@member_role_required()
def domiciliation(request):
    years = activity.available_years()
    today = timezone.localdate()
    # The report due next in December and January (the dashboard's link: 2026 in December
    # 2026, not 2025, whose deadline has passed); the last full year the rest of the time.
    year = _year(request, activity.domiciliation_reminder(today) or today.year - 1)
    figures = activity.domiciliation_figures(year)
    if request.GET.get("format") == "csv":
        rows = [[f"Rapport annuel de domiciliation {year}", request.tenant.name]]
        rows += [[f.label, "" if f.count is None else f.count] for f in figures]
        # Named after the member, as the activity report: a file sent to the préfecture among
        # others' must say whose it is.
        name = f"domiciliation-{slugify(request.tenant.slug)}-{year}.csv"
        return download_response(csv_bytes(rows), "csv", name)
    due = activity.prefect_due_date(year)
    return render(
        request,
        "workspace/domiciliation.html",
        {
            "year": year,
            "years": years,
            "figures": figures,
            "missing": [f for f in figures if f.count is None],
            "due": due,
            "days_left": (due - today).days,
            # The figures are those of 31 December: before then, what is typed is provisional.
            "year_not_over": year >= today.year,
            "pole": activity.domiciliation_pole(year),
            # The union's guides on the subject, on the portal (the theme seeded by
            # knowledge_base's migration 0002).
            "guides": latest_guides_on(DOMICILIATION_THEME),
            "guides_theme": DOMICILIATION_THEME,
            **_roles(request),
        },
    )


# --- Team ------------------------------------------------------------------------------------


def _team(request):
    return (
        Membership.objects.filter(member_id=request.tenant.pk)
        .select_related("user")
        .order_by("role", "user__last_name", "user__email")
    )


def _with_invitations(team: list[Membership]) -> list[Membership]:
    """Each membership, in the order of the names shown (`shown_name`), with, for someone who
    never signed in, when her invitation went and whether its link still works
    (`never_signed_in`, `invited_at`, `link_valid_until`, `link_expired`)."""
    # Not "never signed in anywhere": the team learns nothing of the person's other spaces.
    waiting = [m for m in team if not signed_in_since_access(m)]
    invitations = last_invitations(m.user_id for m in waiting)
    now = timezone.now()
    team.sort(key=lambda m: team_sort_key(m, invitations.get(m.user_id)))
    for m in team:
        invitation = invitations.get(m.user_id)
        # Before she signs in here, the name typed in her invitation, account elsewhere or not.
        m.shown_name = team_name(m, invitation)
        m.never_signed_in = not signed_in_since_access(m)
        if not m.never_signed_in:
            continue
        # Invited by the union (onboarding): no row here, the access's date says when.
        m.invited_at = invitation.sent_at if invitation else m.created_at
        # For everyone, password or not: telling only the new accounts' link apart (as the page
        # once did) told the direction which addresses already had an account of the platform.
        # Past it, a person without a password needs a new link; one with a password gets a
        # reminder of where the space is: « à renouveler » fits both.
        m.link_valid_until = password_link_valid_until(m.invited_at)
        m.link_expired = m.link_valid_until < now
    return team


@member_role_required()
def team(request):
    form = InviteForm()
    if request.method == "POST":
        if not has_member_role(request, DIRECTOR):
            raise_forbidden()
        form = InviteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership = invite_team_member(
                    request.tenant,
                    data["email"],
                    data["role"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    actor=request.user,
                )
            except WorkspaceError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    f"{team_name(membership)} a été invité(e) ({membership.get_role_display()}).",
                )
                return HttpResponseRedirect("/equipe/")
    team = _with_invitations(list(_team(request)))
    opening = set(_team(request).opening_the_space().values_list("pk", flat=True))
    # An access kept by an account that joined the union's team opens nothing: said on its
    # row, and not counted as a direction.
    for m in team:
        m.union_account = m.user.is_active and m.pk not in opening
    # services.change_team_role refuses to demote the last director who can enter: her row
    # offers no role change, it says why.
    directors = [m for m in team if m.role == Membership.Role.DIRECTOR and m.pk in opening]
    for m in team:
        m.last_director = len(directors) == 1 and m.pk == directors[0].pk
    return render(
        request,
        "workspace/team.html",
        {
            "team": team,
            "has_deactivated": any(not m.user.is_active for m in team),
            "has_union_accounts": any(m.union_account for m in team),
            "account_inactive": describe_days(settings.ACCOUNT_INACTIVE_DAYS),
            "link_lifetime": describe_days(max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)),
            "form": form,
            "roles": Membership.Role.choices,
            "me": membership_for(request),
            **_roles(request),
        },
    )


@director_required
@require_POST
def team_role(request, pk: int):
    membership = get_object_or_404(_team(request), pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            f"Rôle inconnu : celui {with_de(membership.user.email)} ne change pas ; {role_choices()}.",
        )
        return HttpResponseRedirect("/equipe/")
    before = membership.get_role_display()
    try:
        change_team_role(request.tenant, membership, form.cleaned_data["role"], actor=request.user)
    except WorkspaceError as error:
        messages.error(request, str(error))
    else:
        # Immediate (no confirmation), so the message says exactly what changed, or that
        # nothing did.
        name, after = team_name(membership), membership.get_role_display()
        if after == before:
            messages.info(request, f"Le rôle {with_de(name)} reste « {after} » : rien ne change.")
        else:
            messages.success(
                request, f"Le rôle {with_de(name)} passe de « {before} » à « {after} »."
            )
    return HttpResponseRedirect("/equipe/")


def role_choices() -> str:
    """« choisissez « Agent », … ou « Lecture seule » »: the roles an unknown one should be."""
    labels = [f"« {label} »" for _value, label in Membership.Role.choices]
    return f"choisissez {', '.join(labels[:-1])} ou {labels[-1]}"


@director_required
@require_http_methods(["GET", "POST"])
def team_remove(request, pk: int):
    """GET: what removing this person's access means, and a button to confirm; POST removes it
    (services.remove_team_member), as a document or a board member is deleted."""
    membership = get_object_or_404(_team(request), pk=pk)
    name = team_name(membership)
    try:
        if request.method == "GET":
            check_team_member_removable(request.tenant, membership, actor=request.user)
            return render(
                request,
                "workspace/confirm_delete.html",
                {
                    "title": f"Retirer l'accès {with_de(name)} à l'espace ?",
                    "lead": f"{name} ne pourra plus entrer dans l'espace « {request.tenant.name} ».",
                    "consequence": "Son compte est conservé (ses autres espaces aussi) : vous "
                    "pourrez l'inviter de nouveau.",
                    "details": [
                        ("Personne", name),
                        ("Adresse électronique", membership.user.email),
                        ("Rôle", membership.get_role_display()),
                        (
                            "Accès depuis le",
                            long_date(timezone.localtime(membership.created_at), weekday=False),
                        ),
                    ],
                    "confirm_label": "Retirer l'accès",
                    "cancel": "/equipe/",
                },
            )
        remove_team_member(request.tenant, membership, actor=request.user)
    except WorkspaceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{name} n'a plus accès à l'espace.")
    return HttpResponseRedirect("/equipe/")


@director_required
@require_POST
def team_resend(request, pk: int):
    """« Renvoyer l'invitation » to someone who never signed in (services.resend_invitation)."""
    membership = get_object_or_404(_team(request), pk=pk)
    try:
        invitation = resend_invitation(request.tenant, membership, actor=request.user)
    except WorkspaceError as error:
        messages.error(request, str(error))
    else:
        recipient = f"{team_name(membership)} ({membership.user.email})"
        # The same words whether the e-mail holds a link to choose a password or not (the
        # union's page says which): the direction learns nothing of an account elsewhere.
        messages.success(
            request,
            f"Invitation renvoyée à {recipient} : son lien fonctionne jusqu'au "
            f"{password_link_deadline(invitation.sent_at)}.",
        )
    return HttpResponseRedirect("/equipe/")


# --- Documents -------------------------------------------------------------------------------


def _category_asked(request) -> str:
    """The ?categorie= filter of the documents page: "" for all; an unknown one is a 404."""
    category = request.GET.get("categorie", "")
    if category and category not in Document.Category.values:
        raise Http404("Catégorie inconnue.")
    return category


@member_role_required()
def documents(request):
    """The space's documents by category (?categorie= shows one), and the upload form."""
    can_write = has_member_role(request, WRITE_ROLES)
    is_director = has_member_role(request, DIRECTOR)
    category = _category_asked(request)
    form = DocumentForm(initial={"category": category or Document.Category.OTHER})
    status = 200
    if request.method == "POST":
        if not can_write:  # said, not ignored: a viewer's upload must not look accepted
            raise_forbidden()
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = add_document(
                    request.tenant,
                    data["title"],
                    data["file"],
                    actor=request.user,
                    category=data["category"],
                    description=data["description"],
                    document_date=data["document_date"],
                )
            except OSError as error:  # the storage could not write it: nothing saved (atomic)
                # The form again with what was typed, 503: the server's fault, not hers.
                form.add_error("file", file_not_stored(request.tenant, data["file"], error))
                status = 503
            else:
                messages.success(
                    request,
                    f"Document « {document.title} » déposé. Il est rangé dans « "
                    f"{document.get_category_display()} ».",
                )
                # Back to the list it now appears in, on the page that shows it.
                return HttpResponseRedirect(_where_document_is_listed(document, category))
        chosen = request.FILES.get("file")
        if chosen is not None and "file" not in form.errors:
            # Refused for another field: the browser empties the file input and the next
            # « Déposer » would fail on the file she believes is still chosen.
            form.add_error(
                "file",
                f"Choisissez de nouveau le fichier (« {chosen.name} ») : un navigateur ne le "
                "garde pas quand le formulaire revient avec une erreur.",
            )
    counts = documents_list.count_by_category()
    page = documents_list.read_page(
        documents_list.listed_documents(category), request.GET.get("page")
    )
    now = timezone.now()
    for document in page.object_list:
        document.can_delete = can_write and may_delete_document(
            document, request.user, is_director=is_director, now=now
        )
    return render(
        request,
        "workspace/documents.html",
        {
            "page_obj": page,
            "sections": documents_list.sections_of(page, counts, category),
            "total": sum(counts.values()),
            "filters": [
                (value, label, counts[value])
                for value, label in Document.Category.choices
                if counts.get(value)
            ],
            "category": category,
            "category_label": Document.Category(category).label if category else "",
            "form": form,
            "can_write": can_write,
            "is_director": is_director,
            "agent_delete_hours": int(AGENT_DELETE_WINDOW.total_seconds() // 3600),
            "privacy_url": portal_url("/donnees-personnelles/", request),
            "not_stored": status == 503,  # the summary says the server failed, not her entry
        },
        status=status,
    )


def _where_document_is_listed(document: Document, category: str) -> str:
    """The documents page and anchor that show a document just uploaded: the category being
    read (or its own, if another was), on the page where the document's date put it."""
    if category and category != document.category:
        category = document.category
    number = documents_list.page_number_of(documents_list.listed_documents(category), document.pk)
    query = urlencode(
        {key: value for key, value in (("categorie", category), ("page", number)) if value}
    )
    return f"/documents/?{query}#document-{document.pk}"


def _document_form_page(
    request, document: Document, form, *, title: str, intro: str = "", status: int = 200
):
    return render(
        request,
        "workspace/document_form.html",
        {
            "form": form,
            "title": title,
            "document": document,
            "intro": intro,
            "not_stored": status == 503,
        },
        status=status,
    )


@write_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    """« Modifier »: title, category, description and date; the file stays."""
    document = get_object_or_404(Document, pk=pk)
    title = f"Modifier le document « {document.title} »"  # before the form changes it
    form = DocumentDetailsForm(
        request.POST or None,
        initial={name: getattr(document, name) for name in DOCUMENT_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        update_document(request.tenant, document, form.cleaned_data, actor=request.user)
        messages.success(request, f"Document « {document.title} » mis à jour.")
        return HttpResponseRedirect(f"/documents/?categorie={document.category}")
    return _document_form_page(request, document, form, title=title)


def refuse_unless_may_remove(request, document: Document, refusal: str) -> None:
    """Deleting a document, or replacing its file (which deletes the old one): directors may, an
    agent only her own upload within AGENT_DELETE_WINDOW (services.may_delete_document).
    `refusal`: the French reason, with « {hours} »."""
    if not may_delete_document(
        document, request.user, is_director=has_member_role(request, DIRECTOR)
    ):
        hours = int(AGENT_DELETE_WINDOW.total_seconds() // 3600)
        raise PermissionDenied(refusal.format(hours=hours))


@write_required
@require_http_methods(["GET", "POST"])
def document_replace(request, pk: int):
    """« Remplacer le fichier »: a new version under the same title and link; the old file is
    deleted once the change is committed (services.replace_document_file). Replacing destroys
    the old file as deleting does: the same rule (an agent could wipe the director's records by
    uploading anything in their place)."""
    document = get_object_or_404(Document, pk=pk)
    refuse_unless_may_remove(
        request,
        document,
        "Vous ne pouvez remplacer que les fichiers que vous avez déposés il y a moins de "
        "{hours} heures : l'ancien fichier est supprimé. Pour celui-ci, demandez à la "
        "direction, ou déposez la nouvelle version comme un autre document.",
    )
    form = DocumentReplaceForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            replace_document_file(request.tenant, document, uploaded, actor=request.user)
        except OSError as error:  # not written: rolled back, the old file kept (as uploads)
            form.add_error("file", file_not_stored(request.tenant, uploaded, error))
            status = 503
        else:
            messages.success(
                request,
                f"Nouvelle version de « {document.title} » déposée ; l'ancien fichier est supprimé.",
            )
            return HttpResponseRedirect(f"/documents/?categorie={document.category}")
    return _document_form_page(
        request,
        document,
        form,
        title=f"Remplacer le fichier de « {document.title} »",
        intro=f"Le fichier actuel, {document.file_name}, sera remplacé et supprimé ; le titre, "
        "la catégorie, la description et la date restent. Pour changer ceux-ci, utilisez "
        "« Modifier ».",
        status=status,
    )


@write_required
@require_http_methods(["GET", "POST"])
def document_delete(request, pk: int):
    """Directors delete any document; an agent only her own, within AGENT_DELETE_WINDOW of its
    upload (services.may_delete_document)."""
    document = get_object_or_404(Document, pk=pk)
    refuse_unless_may_remove(
        request,
        document,
        "Vous ne pouvez supprimer que les documents que vous avez déposés il y a moins de "
        "{hours} heures. Pour celui-ci, demandez à la direction.",
    )
    if request.method == "GET":
        # The séances whose procès-verbal it is lose it (BoardMeeting.minutes): said first.
        seances = [meetings.meeting_heading(m) for m in document.minutes_of.order_by("date")]
        return _confirm_delete(
            request,
            title=f"Supprimer le document « {document.title} » ?",
            lead="Le document et son fichier seront effacés de l'espace."
            + _minutes_warning(seances),
            details=[
                ("Titre", document.title),
                ("Catégorie", document.get_category_display()),
                ("Fichier", document.file_name),
                (
                    "Déposé le",
                    long_date(timezone.localtime(document.uploaded_at), weekday=False, time=True),
                ),
            ]
            + ([("Procès-verbal de", " ; ".join(seances))] if seances else []),
            cancel="/documents/",
        )
    delete_document(request.tenant, document, actor=request.user)
    messages.success(request, f"Document « {document.title} » supprimé.")
    return HttpResponseRedirect("/documents/")


def _minutes_warning(seances: list[str]) -> str:
    """What the confirmation adds when the document is a séance's procès-verbal."""
    if not seances:
        return ""
    return " Il est le procès-verbal " + (
        "d'une séance du conseil, qui n'en aura plus."
        if len(seances) == 1
        else "de séances du conseil, qui n'en auront plus."
    )


def _missing_file_page(request, document: Document):
    """A 404 that says which document lost its file (the generic page spoke of a mistyped
    address) and what to do: « Remplacer le fichier » for whoever may (the rule of
    document_replace), whom to ask for the others."""
    may_replace = has_member_role(request, WRITE_ROLES) and may_delete_document(
        document, request.user, is_director=has_member_role(request, DIRECTOR)
    )
    return render(
        request,
        "workspace/document_missing.html",
        {"document": document, "may_replace": may_replace},
        status=404,
    )


@accepts_api_token
@member_role_required()
def download_document(request, pk: int):
    """Served through Django so that membership is checked; never from a public media URL.

    The API lists this address as the document's `url` (GET /api/v1/documents/): a client
    that lists with its API token downloads with it too (union.tokens.accepts_api_token), under
    the same role rules as the session.

    PDFs and images open in the browser (a deliberation is read, not filed again); every other
    format, and any file kept before the allow-list (uploads.py), is downloaded. The type comes
    from the allow-list, never from the content, and the browser is told not to guess it."""
    document = get_object_or_404(Document, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:  # lost from the storage (a restore, a manual clean-up): not a 500
        logger.error("Document %s of %s: file %s missing", pk, request.tenant.slug, document.file)
        return _missing_file_page(request, document)
    response = FileResponse(
        handle,
        content_type=content_type_for(document.file.name),
        as_attachment=not opens_in_browser(document.file.name),
        filename=document.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The space's data (réversibilité) ----------------------------------------------------------


def _check_archive_access(request) -> None:
    """The direction only, while the member is active and for some days after it left the
    union (archive.archive_open): member_role_required would refuse a member that left."""
    membership = membership_for(request)
    if membership is None or not membership.is_director or not archive.archive_open(request.tenant):
        raise PermissionDenied(f"Réservé à la direction du {request.tenant.kind}.")


def data_page(request):
    """« Toutes nos données »: what the archive holds, and its download."""
    _check_archive_access(request)
    member = request.tenant
    return render(
        request,
        "workspace/data.html",
        {
            "open_until": None if member.is_active else archive.archive_open_until(member),
            "document_count": Document.objects.count(),
            "download_url": archive.ARCHIVE_DOWNLOAD,
        },
    )


def data_archive(request):
    """The ZIP of the whole space, streamed from a temporary file (deleted once sent)."""
    _check_archive_access(request)
    handle, summary = archive.download_member_archive(request.tenant, actor=request.user)
    response = FileResponse(handle, content_type="application/zip")
    response["Content-Disposition"] = attachment_header(summary.name)
    response["Cache-Control"] = "private, no-store"
    return response

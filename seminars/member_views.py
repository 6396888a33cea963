"""Member-host pages of seminars: a member CCAS registers people of its commune (its elected
officials, its staff) for the union's events, as an organiser adds someone."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from seminars.forms import MemberRegistrationForm
from seminars.links import page_path
from seminars.models import Registration
from seminars.services import RegistrationError, register_person
from seminars.views import listed_events
from tenants.access import WRITE_ROLES, member_role_required
from tenants.services import portal_url


@member_role_required(*WRITE_ROLES)
def register_for_member(request, pk: int):
    """A director or an agent registers someone for an upcoming event the union lists."""
    seminar = get_object_or_404(listed_events().filter(end__gte=timezone.now()), pk=pk)
    state = seminar.registration_state()
    form = None
    if state == "open":
        form = MemberRegistrationForm(
            request.POST if request.method == "POST" else None,  # an empty POST is an error
            seminar=seminar,
            disable_full=True,
            initial={"commune": request.tenant.commune.nom},
        )
        if form.is_valid():  # never for an unbound form (a GET)
            try:
                registration, _created = register_person(
                    seminar, form.to_data(), source=Registration.Source.MEMBER, actor=request.user
                )
            except RegistrationError as error:
                form.add_registration_errors(error)
            else:
                waiting = registration.status == Registration.Status.WAITLISTED
                messages.success(
                    request,
                    f"{registration.prenom} {registration.nom} est inscrit(e) à "
                    f"« {seminar.title} »" + (" en liste d'attente." if waiting else "."),
                )
                return HttpResponseRedirect("/")
    status = 400 if form is not None and form.errors else 200
    context = {
        "seminar": seminar,
        "form": form,
        "page_url": portal_url(page_path(seminar)),
        "seats_left": seminar.seats_left(),
        "state": state,
    }
    return render(request, "seminars/member_register.html", context, status=status)

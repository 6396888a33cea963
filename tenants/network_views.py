"""« Écrire aux membres » in the Wagtail admin: the form, its confirmation step (« N personnes
dans M membres », who is left out) and the sending (tenants.network_message)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tenants.models import MemberCCAS
from tenants.network_message import (
    DIRECTIONS,
    EVENT_PARAMETER,
    NO_RECIPIENTS,
    WHOM,
    Audience,
    NoRecipients,
    UnsentTest,
    choose_recipients,
    departements_of_members,
    event_announcement,
    intercommunalities_of_members,
    queue_network_message,
    send_test_message,
)
from union.formats import long_date, plural
from union.mail import OWN_GREETING_RULE
from union.params import parse_digits
from union.roles import can_write_to_members, is_union_admin
from union.submit_once import AlreadySubmitted, new_form_id, posted_form_id


class NetworkMessageForm(forms.Form):
    whom = forms.ChoiceField(
        label="Destinataires",
        choices=WHOM,
        initial=DIRECTIONS,
        widget=forms.RadioSelect,
        help_text="« Directions »\u00a0: les directrices et directeurs de chaque membre. "
        "« Toutes les équipes »\u00a0: aussi les agents et les personnes en lecture seule.",
    )
    departement = forms.ChoiceField(label="Département", required=False)
    kind = forms.ChoiceField(
        label="Nature",
        required=False,
        choices=[("", "CCAS et CIAS"), *MemberCCAS.Kind.choices],
    )
    intercommunality = forms.ChoiceField(
        label="Intercommunalité",
        required=False,
        help_text="Les CCAS de ses communes et son CIAS.",
    )
    include_pending = forms.BooleanField(
        label="Écrire aussi aux personnes qui n'ont pas encore accepté leur invitation",
        required=False,
        initial=True,
        help_text="Personnes invitées qui ne se sont encore jamais connectées à l'espace de leur "
        "membre. Les comptes désactivés ne reçoivent jamais rien.",
    )
    subject = forms.CharField(label="Objet", max_length=200)
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Texte brut, retours à la ligne conservés. Chaque e-mail commence par "
        "«\u00a0Bonjour Prénom Nom (CCAS de …),\u00a0» («\u00a0Bonjour,\u00a0» à un compte sans "
        "nom)\u00a0: écrivez le message sans formule d'appel. " + OWN_GREETING_RULE,
    )
    test = forms.BooleanField(
        label="M'envoyer un test",
        required=False,
        help_text="Le message part seulement à votre adresse, tel que la première personne "
        "destinataire le recevra (son nom, celui de son membre), pour le relire\u00a0: rien n'est "
        "envoyé aux membres.",
    )
    # Made when the form is rendered: the same form posted twice sends once (union.submit_once).
    form_id = forms.CharField(required=False, widget=forms.HiddenInput, initial=new_form_id)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [
            ("", "Tous"),
            *((d.code, str(d)) for d in departements_of_members()),
        ]
        self.fields["intercommunality"].choices = [
            ("", "Toutes"),
            *((i.pk, f"{i.nom} ({i.kind})") for i in intercommunalities_of_members()),
        ]
        self.recipients = None

    def audience(self) -> Audience:
        data = self.cleaned_data
        return Audience(
            whom=data["whom"],
            departement=data.get("departement", ""),
            kind=data.get("kind", ""),
            include_pending=data.get("include_pending", False),
            intercommunality=data.get("intercommunality", ""),
        )

    def clean(self):
        cleaned = super().clean()
        filters = ("whom", "departement", "kind", "intercommunality")
        if not any(name in self.errors for name in filters):
            # Counted on every POST: the confirmation says whom the message goes to now.
            self.recipients = choose_recipients(self.audience())
            if not self.recipients.people:
                raise forms.ValidationError(NO_RECIPIENTS)
        return cleaned


def _prefill(request) -> dict | None:
    """The form filled in from an event (« Annoncer aux membres » on its registrations page)."""
    from seminars.models import SeminarPage

    raw = request.GET.get(EVENT_PARAMETER)
    if raw is None:
        return None
    pk = parse_digits(raw, 18)
    seminar = get_object_or_404(SeminarPage, pk=pk if pk is not None else 0)
    return event_announcement(seminar)


def way_back(user) -> tuple[str, str]:
    """(address, label) the page leads back to: the members' list is the union admins' only;
    an event organiser, who comes from an event's registrations, goes back to the events."""
    if is_union_admin(user):
        return reverse("tenants_admin:member_list"), "Membres de l'union"
    return reverse("seminars_admin:list"), "Inscriptions aux événements"


def network_message(request):
    """GET: the form (filled in from an event with ?evenement=). POST: checked and counted, then
    the confirmation step; POST with `confirmed` and the count shown: queued."""
    if not can_write_to_members(request.user):
        raise PermissionDenied("Réservé aux administrateurs et aux organisateurs de l'union.")
    if request.method != "POST":
        form = NetworkMessageForm(initial=_prefill(request))
        return _page(request, form)
    form = NetworkMessageForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    if form.cleaned_data["test"]:  # before anything is sent: « Envoyer » too sends only the test
        return _send_test(request, form)
    recipients = form.recipients
    confirmed = request.POST.get("confirmed") and request.POST.get("expected") == str(
        recipients.count
    )
    if not confirmed:
        return _page(request, form, preview=True)
    data = form.cleaned_data
    try:
        recipients = queue_network_message(
            form.audience(),
            data["subject"],
            data["body"],
            actor=request.user,
            form_id=posted_form_id(data),
        )
    except AlreadySubmitted as earlier:  # the same form posted again: nothing sent
        sent = plural(earlier.entry.details.get("count", 0), "personne", "personnes")
        messages.info(
            request,
            f"Ce message a déjà été envoyé à {sent} le {long_date(earlier.entry.at, time=True)}"
            "\u00a0: il n'est pas envoyé une seconde fois.",
        )
        return redirect(way_back(request.user)[0])
    except NoRecipients as error:  # everyone left between the two steps
        form.add_error(None, str(error))
        return _page(request, form, status=400)
    messages.success(
        request, f"Message en cours d'envoi à {recipients.summary()}, un e-mail par personne."
    )
    return redirect(way_back(request.user)[0])


def _send_test(request, form):
    """« M'envoyer un test »: to the sender alone, then the page again as typed, the box
    unchecked and the count shown, ready for « Envoyer »; the form's id is left unused, so that
    sending it for good goes (union.submit_once)."""
    data = form.cleaned_data
    try:
        address = send_test_message(
            form.recipients, data["subject"], data["body"], actor=request.user
        )
    except UnsentTest as error:
        messages.error(request, str(error))
        return _page(request, form)
    count = plural(form.recipients.count, "personne", "personnes")
    messages.success(
        request,
        # Through the e-mail queue (union.mail): on its way, delivered within a minute or so.
        f"Test en route vers {address}, d'ordinaire reçu dans la minute\u00a0; rien n'a été "
        f"envoyé aux membres\u00a0; le message ira à {count}. La case «\u00a0M'envoyer "
        f"un test\u00a0» est décochée\u00a0: «\u00a0Envoyer à {form.recipients.summary()}\u00a0» "
        "l'envoie.",
    )
    kept = request.POST.copy()
    for name in ("test", "confirmed", "expected"):
        kept.pop(name, None)
    form = NetworkMessageForm(kept)
    if not form.is_valid():  # everyone left since the test: said as any other POST would
        return _page(request, form, status=400)
    return _page(request, form, preview=True)


def _page(request, form, *, preview: bool = False, status: int = 200):
    changed = (
        preview
        and request.POST.get("confirmed")
        and request.POST.get("expected") != str(form.recipients.count)
    )
    return render(
        request,
        "tenants/admin/network_message.html",
        {
            "form": form,
            "preview": preview,
            "recipients": form.recipients if preview else None,
            # Sent with « Envoyer » and compared: the message goes only to the count confirmed.
            "changed": changed,
            "back": way_back(request.user),
            "page_title": "Écrire aux membres",
            "header_icon": "group",
        },
        status=status,
    )

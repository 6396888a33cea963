"""Attestations de présence: a PDF page per person checked in on the day.

Elected officials and CCAS staff hand them to their town hall or employer (training records,
expense claims). The attestation states what the union knows: the check-in of the day, the event,
its dates and place, the training time the organisers attest (never the span between start and
end, which counts the lunch), and the ateliers the person attended once presences per atelier
were recorded for the event (seminars.attendance), else those the person had chosen.
"""

from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from seminars.attendance import attended_ateliers, records_ateliers
from seminars.durations import describe_duration
from seminars.models import PRESENT, Atelier, Registration, SeminarPage, with_slots
from tenants.matching import fold
from union.formats import date_span, long_date
from union.spreadsheets import ascii_file_name


def attestations_open(seminar: SeminarPage, now=None) -> bool:
    """Whether organisers may print attestations: from the start of the event (to sign and hand
    out at the close of the day). Before it, one would say « a participé … » to an event still to
    come, « fait le » a date before it. The registrant's own waits for the end
    (Registration.certificate_available)."""
    return seminar.has_started(now)


def present_registrations(seminar: SeminarPage) -> list[Registration]:
    """Everyone checked in with a seat, by name (accents and case ignored)."""
    present = (
        seminar.registrations.filter(PRESENT)
        .select_related("commune")
        .prefetch_related(
            Prefetch("ateliers", Atelier.objects.order_by("starts_at")),
            "atelier_presences__atelier",
        )
    )
    return sorted(present, key=lambda r: (fold(r.nom), fold(r.prenom), r.pk))


def certificate_filename(seminar: SeminarPage, registration: Registration | None = None) -> str:
    """« attestation-presence-seminaire-debut-de-mandat-dupont-elodie.pdf »: ASCII, whatever
    the slug and the name (ascii_file_name)."""
    person = f"{registration.nom} {registration.prenom}" if registration else ""
    return ascii_file_name("attestation-presence", seminar.slug, person, extension="pdf")


def describe_dates(seminar: SeminarPage) -> str:
    """ "le mardi 12 mai 2026, de 09:00 à 17:00", or "du … au …" over several days, followed by
    the organiser's attested training time when set, « (durée de formation : 6 h 30) ". Never
    end − start: élus hand the attestation in as proof of training hours, and the span counts
    the lunch and the breaks."""
    start, end = timezone.localtime(seminar.start), timezone.localtime(seminar.end)
    dates = date_span(start, end) if start.date() != end.date() else f"le {date_span(start, end)}"
    if seminar.attested_duration:
        return f"{dates} (durée de formation : {describe_duration(seminar.attested_duration)})"
    return dates


def certificate_pdf(seminar: SeminarPage, registrations: list[Registration]) -> bytes:
    """One A4 page per person, ready to print and sign, or to send as is."""
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak

    from union.pdf import build_pdf

    single = registrations[0] if len(registrations) == 1 else None
    whose = f" – {single.prenom} {single.nom}" if single else ""
    event_ateliers = list(seminar.ateliers.all())  # once, for the time labels of every page
    attended = records_ateliers(seminar)
    story = []
    for number, registration in enumerate(registrations):
        if number:
            story.append(PageBreak())
        story.extend(_certificate_page(seminar, registration, event_ateliers, attended))
    return build_pdf(
        story,
        title=f"Attestation de présence – {seminar.title}{whose}",
        subject="Attestation de présence",
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
    )


def _certificate_page(
    seminar: SeminarPage, registration: Registration, event_ateliers, attended: bool = False
) -> list:
    """`attended`: presences per atelier were recorded for the event; the page then lists the
    ateliers the person was seen at (none: no line), not those chosen."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer, Table

    from union.pdf import paragraph, stylesheet, table_style

    styles = stylesheet()
    body = ParagraphStyle("certificate", parent=styles["BodyText"], fontSize=11, leading=16)
    centred = ParagraphStyle("centred", parent=body, alignment=1, fontSize=13, leading=19)
    signatory = seminar.organiser_name or "L'organisateur de l'événement"
    venue = ", ".join(
        part for part in (seminar.venue_name, " ".join(seminar.venue_address.split())) if part
    )
    issued = long_date(timezone.localdate(), weekday=False)
    person = f"<b>{escape(registration.prenom)} {escape(registration.nom.upper())}</b>"
    # The commune as the published list gives it: one typed by hand and not yet checked
    # (« Aubervilier ») would be printed misspelt on a document the person hands to her mairie.
    role = " – ".join(
        part for part in (registration.fonction_label, registration.published_commune) if part
    )
    page = [
        paragraph(escape(settings.PLATFORM_NAME), styles["Heading3"]),
        Spacer(1, 1.2 * cm),
        paragraph("Attestation de présence", styles["Title"]),
        Spacer(1, 1 * cm),
        paragraph(f"{escape(signatory)}, pour {escape(settings.PLATFORM_NAME)}, atteste que", body),
        Spacer(1, 0.4 * cm),
        paragraph(person, centred),
        paragraph(escape(role), centred),
        Spacer(1, 0.4 * cm),
        paragraph(
            f"a participé à l'événement « {escape(seminar.title)} » "
            f"({escape(seminar.get_kind_display().lower())}), {escape(describe_dates(seminar))}"
            + (f", {escape(venue)}" if venue else "")
            + ".",
            body,
        ),
    ]
    if attended:
        listed, heading = attended_ateliers(registration), "Ateliers suivis :"
    else:
        listed = sorted(registration.ateliers.all(), key=lambda atelier: atelier.starts_at)
        heading = "Ateliers choisis :"
    ateliers = with_slots(listed, seminar, event_ateliers)
    if ateliers:
        page.append(Spacer(1, 0.3 * cm))
        page.append(paragraph(heading, body))
        page.extend(
            paragraph(f"• {escape(atelier.title)} ({escape(atelier.slot)})", body)
            for atelier in ateliers
        )
    page.append(Spacer(1, 0.6 * cm))
    page.append(paragraph(f"Fait le {issued}, pour servir et valoir ce que de droit.", body))
    page.append(Spacer(1, 0.8 * cm))
    signature = Table(
        [
            [paragraph(f"Pour {escape(settings.PLATFORM_NAME)},<br/>{escape(signatory)}", body)],
            [""],
        ],
        colWidths=[8 * cm],
        rowHeights=[None, 3 * cm],
        hAlign="RIGHT",
    )
    signature.setStyle(table_style([("BOX", (0, 1), (0, 1), 0.5, colors.grey)]))
    page.append(signature)
    return page

"""« Convocations à imprimer »: a séance's convocation as a letter, one page per board member,
for those « Envoyer la convocation » cannot reach (no e-mail address), handed over or posted,
or for every member in office (a past séance's letters printed for the record).

A member with a postal address gets it printed where the window of a DL envelope shows it (the
size most French offices buy: 110 × 220 mm, window 45 × 100 mm), so that the letter is folded in
three and posted as it is; the CCAS's letterhead stays on the left, above it. Without one, the
member's name alone is printed on the right, as on a letter handed over.

The letter says what the e-mail says (templates/workspace/email/convocation.txt, the same
words): the séance, its place, the agenda numbered, the proxy and where to answer; and, in a
commune of 3,500 inhabitants or more, the note explicative de synthèse that goes with it
(meetings.needs_explanatory_report). Built as the attendance sheet is (union.pdf's builder,
font and paragraphs): A4, 2 cm margins, 11 pt.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from tenants.workspace import meetings
from tenants.workspace.models import BoardMeeting, BoardMember, Profile
from union.formats import french_list, plural

# The e-mail's sentence (removed from it since it cannot know what the sender attached): on
# paper, the CCAS puts the note in the envelope itself, and the letter says it goes with it.
EXPLANATORY_REPORT = (
    "La note explicative de synthèse sur les affaires soumises à délibération accompagne cette "
    "convocation."
)
SIGNATORY = "Le président ou la présidente du conseil d'administration"
PRESIDENT = "Président(e) du conseil d'administration"
BLANK = "……………………"  # a line left to write on by hand

# Where a DL envelope's window lies on an A4 page folded in three, in mm from the page's left and
# top edges: its left edge 110 mm in, its top 45 or 50 mm down depending on the envelope, 45 mm
# high. Whatever the envelope, 50 to 90 mm down shows; the block starts a little inside, as a
# letter slides a few millimetres in its envelope.
WINDOW_LEFT = 110
WINDOW_TOP = 50
WINDOW_BOTTOM = 90
ADDRESS_LEFT = WINDOW_LEFT + 5
ADDRESS_TOP = WINDOW_TOP + 3
ADDRESS_WIDTH = 75  # to the letter's right margin (2 cm)
# Where the letter's text goes on, under the window whichever envelope it goes into.
TEXT_RESUMES = WINDOW_BOTTOM + 5
# What La Poste's sorting machines read badly on the last line (norme NF Z10-011): accents,
# hyphens, apostrophes and other punctuation; « Œ » and « Æ » have no decomposition.
LIGATURES = str.maketrans({"Œ": "OE", "Æ": "AE"})
NOT_LETTER_OR_DIGIT = re.compile(r"[^A-Z0-9]+")


def postal_city(city: str) -> str:
    """The commune as the address's last line writes it: capitals without accents or
    punctuation (« L'Île-Saint-Denis » -> « L ILE SAINT DENIS »)."""
    capitals = unicodedata.normalize("NFKD", city.upper().translate(LIGATURES))
    letters = "".join(c for c in capitals if not unicodedata.combining(c))
    return NOT_LETTER_OR_DIGIT.sub(" ", letters).strip()


def recipient_lines(addressee: BoardMember) -> list[str]:
    """The block an envelope's window shows: « Prénom Nom », the street's lines as typed, then
    « code postal COMMUNE ». [] for a member without a postal address."""
    if not addressee.has_postal_address:
        return []
    town = f"{addressee.postal_code} {postal_city(addressee.city)}".strip()
    return [addressee.full_name, *addressee.street_lines, town]


def letter_addressees(in_office: list[BoardMember], *, without_address: bool) -> list[BoardMember]:
    """Whom « Convocations à imprimer » writes to, of the members in office: all but the
    président(e), who convenes and signs; with `without_address`, only those without an e-mail
    address (meetings.convocation_letters, and the count on « Envoyer la convocation »)."""
    president = next((m for m in in_office if m.seat == BoardMember.Seat.PRESIDENT), None)
    addressees = [m for m in in_office if m is not president]
    return [m for m in addressees if not m.email] if without_address else addressees


def postal_note(addressees: list[BoardMember]) -> str:
    """How many of the letters carry their addressee's postal address, and whose envelope is
    to write by hand: « 3 lettres sur 4 portent l'adresse postale du destinataire (enveloppe à
    fenêtre). Enveloppe à écrire à la main : Nommé3 Asso3. » "" without a letter."""
    if not addressees:
        return ""
    total = len(addressees)
    by_hand = [m.full_name for m in addressees if not m.has_postal_address]
    carried = total - len(by_hand)
    if not carried:
        if total == 1:
            return "La lettre ne porte pas d'adresse postale\u00a0: enveloppe à écrire à la main."
        return (
            f"Aucune des {total} lettres ne porte d'adresse postale\u00a0: enveloppes à écrire "
            "à la main."
        )
    if not by_hand:
        if total == 1:
            return "La lettre porte l'adresse postale du destinataire (enveloppe à fenêtre)."
        return (
            f"Les {total} lettres portent l'adresse postale du destinataire (enveloppe à fenêtre)."
        )
    verb = "porte" if carried == 1 else "portent"
    return (
        f"{plural(carried, 'lettre', 'lettres')} sur {total} {verb} l'adresse postale du "
        f"destinataire (enveloppe à fenêtre). Enveloppe à écrire à la main\u00a0: "
        f"{french_list(by_hand)}."
    )


def window_address(lines: list[str], style):
    """A flowable that prints `lines` in the envelope's window wherever the letter's flow has
    reached (the letterhead above may take two lines or four), and takes the room down to
    TEXT_RESUMES so that the letter's text starts under the window."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable

    from union.pdf import paragraph

    class WindowAddress(Flowable):
        def wrap(self, available_width, available_height):
            # The frame says where the flow is (reportlab gives a flowable its frame first).
            frame = getattr(self, "_frame", None)
            if frame is None:
                return available_width, 0
            page_height = self.canv._pagesize[1]
            return available_width, max(0, frame._y - (page_height - TEXT_RESUMES * mm))

        def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 – reportlab's name
            # At the window's place on the page, not at the flow's.
            top = canvas._pagesize[1] - ADDRESS_TOP * mm
            for line in lines:
                block = paragraph(escape(line), style)
                _width, height = block.wrap(ADDRESS_WIDTH * mm, top)
                block.drawOn(canvas, ADDRESS_LEFT * mm, top - height)
                top -= height

    return WindowAddress()


@dataclass(frozen=True)
class Letterhead:
    """What every letter of one printing shares: who writes, from where, where answers go."""

    member_name: str
    address_lines: list[str]
    city: str
    reply_to: str
    president: str
    explanatory_report: bool


def letterhead(
    member, profile: Profile | None, reply_to: str, president: BoardMember | None, report: bool
) -> Letterhead:
    """The CCAS's name and, when its profile gives one, its address; the city the letters are
    written from (the profile's, else the member's commune)."""
    lines: list[str] = []
    if profile is not None:
        town = f"{profile.postal_code} {profile.city}".strip()
        lines = [line for line in (profile.address, town) if line]
    city = (profile.city if profile else "") or getattr(member.commune, "nom", "")
    return Letterhead(
        member_name=member.name,
        address_lines=lines,
        city=city,
        reply_to=reply_to,
        president=president.full_name if president else "",
        explanatory_report=report,
    )


def file_name(meeting: BoardMeeting) -> str:
    return f"convocations-seance-{meeting.date:%Y-%m-%d}.pdf"


def letters_pdf(
    head: Letterhead,
    meeting: BoardMeeting,
    when: str,
    addressees: list[BoardMember],
    *,
    dated: date | None,
    copy_of_past: date | None = None,
    message: str = "",
    documents: list[str] = (),
    postal_addresses: bool = True,
) -> bytes:
    """One letter per addressee, each on its own page. `when`: meetings.meeting_when; `dated`:
    the day the letters are dated, else a line to fill in; `copy_of_past`: the day a past
    séance's letters are printed again, said at the top; `message` and `documents`: what the
    last e-mail carried, which the letter says too; `postal_addresses`: the addressees' in the
    envelope's window (else their names alone, for a reader who may not see them)."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Spacer

    from union.formats import long_date
    from union.pdf import build_pdf, paragraph, stylesheet

    styles = stylesheet()
    body = ParagraphStyle("Letter", parent=styles["BodyText"], fontSize=11, leading=15)
    right = ParagraphStyle("LetterRight", parent=body, alignment=TA_RIGHT)
    title = ParagraphStyle("LetterTitle", parent=styles["Heading2"], fontSize=14, leading=18)
    # Aligned left, as La Poste's readers look for it; no space between the lines.
    address = ParagraphStyle("LetterAddress", parent=body, leading=13, spaceBefore=0, spaceAfter=0)
    item = ParagraphStyle("LetterItem", parent=body, leftIndent=0.8 * cm, firstLineIndent=-0.5 * cm)

    hour = meetings.expected_end(meeting) if meeting.time else " (l'heure vous sera précisée)"
    place = escape(meeting.place.strip()) or "à préciser"
    agenda = meeting.agenda_items
    answer = "Merci de prévenir"
    if head.reply_to:
        answer += f" en écrivant à {escape(head.reply_to)}"
    day = long_date(dated, weekday=False) if dated else BLANK
    signed_at = f"Fait à {escape(head.city) or BLANK}, le {day}."

    story: list = []
    for number, addressee in enumerate(addressees):
        if number:
            story.append(PageBreak())
        if copy_of_past:
            printed = long_date(copy_of_past, weekday=False)
            story.append(paragraph(f"<i>Copie éditée le {printed} (séance passée).</i>", right))
        story.append(paragraph(f"<b>{escape(head.member_name)}</b>", body))
        story += [paragraph(escape(line), body) for line in head.address_lines]
        if postal_addresses and (recipient := recipient_lines(addressee)):
            story.append(window_address(recipient, address))
        else:
            story += [
                Spacer(1, 1 * cm),
                paragraph(escape(addressee.full_name), right),
                Spacer(1, 1 * cm),
            ]
        story += [
            paragraph("Convocation au conseil d'administration", title),
            paragraph("Madame, Monsieur,", body),
            paragraph(
                "Vous êtes convoqué(e) à la séance du conseil d'administration du "
                f"{escape(head.member_name)}, le {escape(when)}{hour}.",
                body,
            ),
            paragraph(f"<b>Lieu\u00a0:</b> {place}", body),
            paragraph("<b>Ordre du jour\u00a0:</b>" + ("" if agenda else " à venir."), body),
        ]
        story += [paragraph(f"{n}. {escape(text)}", item) for n, text in enumerate(agenda, 1)]
        if head.explanatory_report:
            story.append(paragraph(EXPLANATORY_REPORT, body))
        if message.strip():
            lines = "<br/>".join(escape(line) for line in message.strip().splitlines())
            story.append(paragraph(lines, body))
        if documents:
            joined = "\u00a0; ".join(escape(title) for title in documents)
            story.append(paragraph(f"<b>Documents joints\u00a0:</b> {joined}.", body))
        story += [
            paragraph(
                "En cas d'empêchement, vous pouvez donner pouvoir écrit à un autre membre du "
                f"conseil (un pouvoir par membre au plus). {answer}.",
                body,
            ),
            paragraph(
                "Veuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
                body,
            ),
            Spacer(1, 0.8 * cm),
            paragraph(signed_at, right),
            Spacer(1, 2 * cm),  # room for the signature
            paragraph(escape(head.president) or BLANK, right),
            paragraph(PRESIDENT if head.president else SIGNATORY, right),
        ]
    return build_pdf(
        story,
        title=f"Convocations au conseil d'administration – {when}",
        subject=f"Convocations au conseil d'administration du {head.member_name}",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )

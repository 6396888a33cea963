"""« Convocations à imprimer »: a séance's convocation as a letter, one page per board member,
for those « Envoyer la convocation » cannot reach (no e-mail address), handed over or posted,
or for every member in office (a past séance's letters printed for the record).

The letter says what the e-mail says (templates/workspace/email/convocation.txt, the same
words): the séance, its place, the agenda numbered, the proxy and where to answer; and, in a
commune of 3,500 inhabitants or more, the note explicative de synthèse that goes with it
(meetings.needs_explanatory_report). Built as the attendance sheet is (union.pdf's builder,
font and paragraphs): A4, 2 cm margins, 11 pt.
"""

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from tenants.workspace.models import BoardMeeting, BoardMember, Profile

# The e-mail's sentence (removed from it since it cannot know what the sender attached): on
# paper, the CCAS puts the note in the envelope itself, and the letter says it goes with it.
EXPLANATORY_REPORT = (
    "La note explicative de synthèse sur les affaires soumises à délibération accompagne cette "
    "convocation."
)
SIGNATORY = "Le président ou la présidente du conseil d'administration"
PRESIDENT = "Président(e) du conseil d'administration"
BLANK = "……………………"  # a line left to write on by hand


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
) -> bytes:
    """One letter per addressee, each on its own page. `when`: meetings.meeting_when; `dated`:
    the day the letters are dated, else a line to fill in; `copy_of_past`: the day a past
    séance's letters are printed again, said at the top; `message` and `documents`: what the
    last e-mail carried, which the letter says too."""
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
    item = ParagraphStyle("LetterItem", parent=body, leftIndent=0.8 * cm, firstLineIndent=-0.5 * cm)

    hour = "" if meeting.time else " (l'heure vous sera précisée)"
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
        story += [
            Spacer(1, 1 * cm),
            paragraph(escape(addressee.full_name), right),
            Spacer(1, 1 * cm),
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

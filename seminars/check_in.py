"""Check-in by QR code: each confirmed person's badge and personal page carry a code that opens
their check-in screen in the organisers' admin, so that the welcome desk scans rather than
searches a list of names.

The code is a signed registration id in an admin URL: only a signed-in organiser can act on it,
so a code seen by someone else gives nothing away but the fact that it is a code. It never
expires (a badge is printed days before the event).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from seminars.models import Registration
from tenants.services import portal_url

SALT = "maillage.seminars.check_in"


@dataclass(frozen=True)
class OffDay:
    """Checking someone in outside the event's days (SeminarPage.check_in_days): what the admin's
    question and the API's refusal say of today against the event."""

    today: date
    first: date
    last: date
    when: str  # « n'a pas encore eu lieu » or « est terminé depuis plus d'une semaine »


def off_day(seminar) -> OffDay:
    first, last = seminar.check_in_days()
    today = timezone.localdate()
    when = "n'a pas encore eu lieu" if today < first else "est terminé depuis plus d'une semaine"
    return OffDay(today, first, last, when)


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def check_in_code(registration: Registration) -> str:
    # No timestamp (a plain Signer): the shorter the URL, the coarser and easier to scan the QR.
    return _signer().sign(str(registration.pk))


def read_check_in_code(code: str) -> Registration | None:
    try:
        pk = _signer().unsign(code)
    except signing.BadSignature:
        return None
    return (
        Registration.objects.select_related("seminar", "commune").filter(pk=int(pk)).first()
        if pk.isdigit()
        else None
    )


def check_in_url(registration: Registration, request=None) -> str:
    """The absolute URL a scan opens (the admin lives on the portal's host)."""
    path = reverse(
        "seminars_admin:scan",
        args=[check_in_code(registration)],
        urlconf=settings.PUBLIC_SCHEMA_URLCONF,
    )
    return portal_url(path, request)


def check_in_qr(registration: Registration, request=None, *, mask: int | None = None):
    """The QR code (segno), at the lowest error correction level segno can raise without growing
    it: a coarser code that phones read from further away, on a clean printed badge.
    `mask`: a fixed data mask (BADGE_QR_MASK) rather than the best of the eight for this code."""
    import segno

    return segno.make(check_in_url(registration, request), error="l", mask=mask)


# The badges' codes take a fixed data mask. Choosing the best of the eight masks, as segno does by
# default, builds and scores eight versions of each code: half of the badges PDF's time (10.0 ms
# of processor per badge with it, 5.0 without, 2026-12-03). Any mask makes a valid code of the same
# size holding the same link; the choice only spares scanners some patterns (large blocks,
# look-alikes of the corner squares). Mask 2 (every third column) came closest to the best on
# 1,200 codes of our URLs at versions 5, 6 and 8: 3 to 5 % above the lowest penalty on average,
# where mask 6, segno's usual choice at one of them, was 2 to 8 % above. Both decoded alike
# (OpenCV, blurred and noisy at 4 pixels a module). The page's and the e-mail's single codes keep
# segno's choice.
BADGE_QR_MASK = 2


def check_in_svg(registration: Registration, request=None) -> str:
    """The QR code as an inline <svg> (one path, a few kilobytes)."""
    return check_in_qr(registration, request).svg_inline(
        scale=4, svgclass="check-in-code", lineclass=None, omitsize=True
    )


CHECK_IN_PNG_SCALE = 5  # pixels per module: about 200 px wide, under a kilobyte


def check_in_png(registration: Registration, request=None) -> bytes:
    """The QR code as a PNG, for the e-mails (mail clients drop inline <svg>). segno writes PNG
    itself, without Pillow; the quiet zone of 4 modules that scanners need is in the image."""
    import io

    buffer = io.BytesIO()
    check_in_qr(registration, request).save(buffer, kind="png", scale=CHECK_IN_PNG_SCALE, border=4)
    return buffer.getvalue()


def check_in_flowable(registration: Registration, size: float):
    """The QR code as a reportlab flowable of `size` points, for the PDF badges: one filled path
    of the dark runs of each row (reportlab's own QR widget draws a rectangle per module, which
    took seconds per hundred badges)."""
    from reportlab.platypus import Flowable

    matrix = check_in_qr(registration, mask=BADGE_QR_MASK).matrix
    quiet_zone = 4  # modules of white around the code, as the standard asks
    unit = size / (len(matrix) + 2 * quiet_zone)

    class QrCode(Flowable):
        def wrap(self, *_available):
            return size, size

        def draw(self):
            path = self.canv.beginPath()
            for y, row in enumerate(matrix):
                top = size - (y + 1 + quiet_zone) * unit
                x = 0
                while x < len(row):
                    if not row[x]:
                        x += 1
                        continue
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    path.rect((start + quiet_zone) * unit, top, (x - start) * unit, unit)
            self.canv.drawPath(path, stroke=0, fill=1)

    code = QrCode()
    code.hAlign = "CENTER"
    code.matrix = matrix
    return code

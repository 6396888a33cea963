"""Check-in by QR code: each confirmed person's badge and personal page carry a code that opens
their check-in screen in the organisers' admin, so that the welcome desk scans rather than
searches a list of names.

The code is a signed registration id in an admin URL: only a signed-in organiser can act on it,
so a code seen by someone else gives nothing away but the fact that it is a code. It never
expires (a badge is printed days before the event).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from seminars.models import Registration
from tenants.services import portal_url

SALT = "maillage.seminars.check_in"


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


def check_in_svg(registration: Registration, request=None) -> str:
    """The QR code as an inline <svg> (one path, a few kilobytes)."""
    import segno

    return segno.make(check_in_url(registration, request), error="m").svg_inline(
        scale=4, svgclass="check-in-code", lineclass=None, omitsize=True
    )


def check_in_drawing(registration: Registration, size: float):
    """The QR code as a reportlab drawing of `size` points, for the PDF badges."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    from union.pdf import FONT

    widget = QrCodeWidget(check_in_url(registration), barLevel="M")
    left, bottom, right, top = widget.getBounds()
    scale = [size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    # No text in a QR code, but reportlab would still name Helvetica in the PDF: ours instead.
    drawing = Drawing(size, size, transform=scale, initialFontName=FONT)
    drawing.add(widget)
    drawing.hAlign = "CENTER"
    return drawing

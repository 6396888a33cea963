"""Name badges PDF (seminars.exports.badges_pdf): milliseconds per badge for an event of 50 and
one of 400 confirmed people. Each badge carries a QR code (seminars.check_in.check_in_flowable).

Target: < 15 ms per badge, so that 400 badges stay far from gunicorn's 30 s timeout on a busy
2-core server. 2026-12-03, a quiet machine (10 million additions in 0.49 s): 10 ms per badge
with segno choosing each code's mask, 5 ms with a fixed one (check_in.BADGE_QR_MASK); the morning's
review measured 44 ms per badge on a loaded machine. Most of the rest is ReportLab formatting the
codes' rectangles in Python; its C accelerator (the rl_accel package) is not installed: it
measures text widths otherwise and shortened labels of the portrait PDF (docs/abs.md)."""

from bench import bench_seminars
from bench.harness import report, timings
from seminars.exports import badges_pdf
from seminars.models import Registration, SeminarPage
from tenants.models import Commune

SIZES = (50, 400)
TARGET_MS_PER_BADGE = 15


def make_event(people: int) -> SeminarPage:
    """A published event with `people` confirmed registrations (inserted at once: the badges are
    what is measured, not the registrations)."""
    page = bench_seminars.make_event(f"Bench – badges pour {people} personnes", seats=people)
    communes = list(Commune.objects.filter(departement_id="93").order_by("code")[:40])
    Registration.objects.bulk_create(
        [
            Registration(
                seminar=page,
                nom=f"Nom{number:04d}",
                prenom="Camille",
                email=f"badge-{people}-{number}@exemple.fr",
                commune=communes[number % len(communes)],
                fonction="conseiller_municipal",
                consent=True,
                status=Registration.Status.CONFIRMED,
            )
            for number in range(people)
        ]
    )
    return page


def run() -> None:
    for people in SIZES:
        event = make_event(people)
        pdf = badges_pdf(event)
        assert pdf.startswith(b"%PDF"), "not a PDF"
        repeat = 5 if people <= 50 else 3
        values = timings(lambda event=event: badges_pdf(event), repeat=repeat, warmup=1)
        report(
            f"badges PDF, {people} badges, ms per badge",
            [value / people for value in values],
            TARGET_MS_PER_BADGE,
        )
        print(
            f"  whole PDF: {min(values) / 1000:.2f} s at best, {len(pdf) // 1024} KB",
            flush=True,
        )

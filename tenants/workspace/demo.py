"""Demo data of the member workspace, loaded by `manage.py demo`. Idempotent.

Bondy: a full profile (published), a compliant board with the previous mandate as history,
ten years of activity, two documents (PDFs written here), and an agent and a viewer account. A few
others: a profile, a board that breaks a rule, two or three years of activity. The CIAS of Grand
Paris Grand Est (union.demo.load_cias): a published profile, a board renewed after the 2026
elections (its seats named after the EPCI's authorities), two years of activity.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership
from tenants.workspace.activity import ImportRow
from tenants.workspace.meetings import Attendance, members_in_office
from tenants.workspace.models import (
    BoardMandate,
    BoardMeeting,
    BoardMember,
    Document,
    MeetingAttendance,
    Service,
)
from tenants.workspace.services import (
    add_board_member,
    add_document,
    create_mandate,
    get_profile,
    import_activity,
    record_meeting,
    set_profile_publication,
    update_profile,
)
from union.pdf import build_pdf, paragraph, stylesheet

Seat = BoardMember.Seat
Category = BoardMember.Category
EXTRA_ACCOUNTS = {
    "agent@ccas-bondy.demo": Membership.Role.AGENT,
    "lecture@ccas-bondy.demo": Membership.Role.VIEWER,
}
# (pole, category, yearly count around, yearly amount around in euros or None)
ACTIVITY_BASE = [
    ("Accueil", "Personnes reçues à l'accueil", 6200, None),
    ("Accueil", "Appels téléphoniques", 9800, None),
    ("Élection de domicile", "Demandes d'élection de domicile", 310, None),
    ("Élection de domicile", "Élections de domicile accordées", 270, None),
    ("Élection de domicile", "Refus d'élection de domicile", 25, None),
    ("Élection de domicile", "Radiations", 60, None),
    ("Élection de domicile", "Domiciliations actives au 31 décembre", 420, None),
    ("Élection de domicile", "Courriers reçus", 5100, None),
    ("Attestations d'accueil", "Attestations d'accueil instruites", 140, None),
    ("Aides légales", "Dossiers d'aide sociale", 180, None),
    ("Aides légales", "Dossiers ASPA", 35, None),
    ("Aides légales", "Obligations alimentaires", 40, None),
    ("Aides facultatives", "Dossiers examinés", 950, None),
    ("Aides facultatives", "Aides accordées", 720, None),
    ("Secours", "Urgence alimentaire et hygiène", 410, 61000),
    ("Secours", "Transports", 160, 9500),
    ("Secours", "Permis de conduire", 12, 8400),
    ("Secours", "Obsèques", 9, 11000),
    ("Secours", "Énergie, eau, loyer", 230, 52000),
    ("Secours", "Commissions de secours", 22, None),
    ("Secours", "Aides aux enfants et étudiants", 90, 14000),
    ("Secours", "Fêtes de fin d'année", 1300, 26000),
    ("RSA", "Accompagnements RSA", 380, 95000),
    ("Seniors", "Visites à domicile", 850, None),
    ("Seniors", "Participants aux ateliers", 420, None),
    ("Réussite éducative", "Enfants suivis", 130, None),
]
PROFILES = {
    "bondy": {
        "address": "Hôtel de ville, esplanade Claude Fuzier",
        "phone": "01 48 50 53 00",
        "email": "ccas@ccas-bondy.demo",
        "director_name": "Dominique Direction",
        "opening_hours": "Lundi au vendredi : 8h30-12h et 13h30-17h30\nJeudi : fermé le matin",
    },
    "montreuil": {
        "address": "1 place Jean Jaurès",
        "phone": "01 48 70 60 00",
        "email": "ccas@ccas-montreuil.demo",
        "director_name": "Camille Montreuil",
        "opening_hours": "Lundi au vendredi : 9h-12h30 et 13h30-17h",
    },
    "saint-denis": {
        "address": "2 place Victor Hugo",
        "phone": "01 49 33 66 66",
        "email": "ccas@ccas-saint-denis.demo",
        "director_name": "Sacha Denis",
        "opening_hours": "Lundi au vendredi : 8h30-17h",
    },
    # Invented, as the CIAS itself (the numbers are not real).
    "cias-grand-paris-grand-est": {
        "address": "11 boulevard du Mont d'Est",
        "phone": "01 00 00 00 93",
        "email": "cias@cias-grand-paris-grand-est.demo",
        "director_name": "Claude Territoire",
        "opening_hours": "Lundi au vendredi : 9h-12h30 et 13h30-17h30",
    },
}
SERVICES = [
    {"kind": Service.Kind.ACCUEIL, "description": "Accueil, information et orientation."},
    {"kind": Service.Kind.DOMICILIATION, "description": "Élection de domicile sur rendez-vous."},
    {"kind": Service.Kind.EPICERIE, "description": "Produits à 10 à 30 % du prix du commerce."},
    {"kind": Service.Kind.SENIORS, "description": "Visites à domicile, ateliers, plan canicule."},
    {"kind": Service.Kind.REUSSITE, "description": "Parcours pour les enfants de 2 à 16 ans."},
]
# Invented streets for the postal addresses of some board members (the demo's boards have no
# e-mail addresses: their convocations are printed). The second takes two lines.
STREETS = [
    "allée des Quatre-Saisons",
    "Résidence Les Hirondelles, bâtiment C\n{number} rue du Jardin-Partagé",
    "square des Tisserands-Bleus",
]
# Seen on boards (years of activity, whether the board complies, and if not, what breaks).
OTHERS = {"montreuil": (3, "no_disability"), "saint-denis": (2, "no_vice_president")}


def _board(member: MemberCCAS, breaks: str | None) -> None:
    if BoardMandate.objects.exists():
        return
    if member.slug == "bondy":
        old = create_mandate(member, "2014-2020", date(2014, 4, 5), date(2020, 6, 30))
        _seat_board(member, old, date(2014, 4, 5), elected=5, breaks=None)
    mandate = create_mandate(member, "2020-2026", date(2020, 7, 4))
    _seat_board(member, mandate, date(2020, 7, 4), elected=6, breaks=breaks)


def _cias_board(member: MemberCCAS) -> None:
    """The board of 2020, elected by the conseil de territoire installed in July 2020, and the
    one that followed the 2026 elections (within two months of the council's installation,
    compliance.RenewalDue): the page shows a CIAS's board, its history and no overdue renewal."""
    if BoardMandate.objects.exists():
        return
    old = create_mandate(member, "2020-2026", date(2020, 9, 15), date(2026, 6, 9))
    _seat_board(member, old, date(2020, 9, 15), elected=5, breaks=None)
    mandate = create_mandate(member, "2026-2032", date(2026, 6, 10))
    _seat_board(member, mandate, date(2026, 6, 10), elected=6, breaks=None)


def _seat_board(member, mandate, start, elected: int, breaks: str | None) -> None:
    rng = random.Random(f"{member.slug}-{mandate.label}")
    first = [
        "Alix",
        "Bastien",
        "Chloé",
        "Driss",
        "Emma",
        "Farid",
        "Gaëlle",
        "Hugo",
        "Inès",
        "Jules",
        "Karima",
        "Léo",
        "Maya",
        "Nabil",
        "Océane",
        "Paul",
    ]
    last = [
        "Bernard",
        "Diallo",
        "Durand",
        "Garcia",
        "Haddad",
        "Leroy",
        "Martin",
        "Moreau",
        "Nguyen",
        "Petit",
        "Roux",
        "Traoré",
        "Vincent",
        "Lefebvre",
        "Benali",
        "Fontaine",
    ]
    rng.shuffle(first)
    rng.shuffle(last)
    names = iter(zip(first, last, strict=True))
    seats = [dict(seat=Seat.PRESIDENT)]
    seats += [dict(seat=Seat.ELECTED, is_vice_president=(i == 0)) for i in range(elected)]
    categories = [Category.FAMILY, Category.INCLUSION, Category.ELDERLY, Category.DISABILITY]
    if breaks == "no_disability":
        categories[-1] = Category.OTHER
    associations = {
        Category.FAMILY: "UDAF de la Seine-Saint-Denis",
        Category.INCLUSION: "Secours populaire",
        Category.ELDERLY: "Les Petits Frères des pauvres",
        Category.DISABILITY: "APF France handicap",
        Category.OTHER: "Restos du cœur",
    }
    for i in range(elected):
        category = categories[i] if i < len(categories) else Category.OTHER
        seats.append(
            dict(seat=Seat.APPOINTED, category=category, association=associations[category])
        )
    if breaks == "no_vice_president":
        seats[1]["is_vice_president"] = False
    # Every other nommé(e) has a postal address in the commune: « Convocations à imprimer »
    # shows letters for the window envelope and letters whose envelope is written by hand.
    appointed = [values for values in seats if values["seat"] == Seat.APPOINTED]
    for street, values in zip(STREETS, appointed[::2], strict=False):
        values.update(_postal_address(member, street, rng.randint(2, 80)))
    for values in seats:
        first_name, last_name = next(names)
        add_board_member(
            member,
            mandate,
            {"first_name": first_name, "last_name": last_name, "start": start, **values},
        )


def _postal_address(member: MemberCCAS, street: str, number: int) -> dict:
    """An invented address in the member's commune ({} if the union knows no postal code)."""
    commune = member.commune
    if commune is None or not commune.codes_postaux:
        return {}
    if "{number}" not in street:
        street = f"{number} {street}"
    return {
        "postal_address": street.format(number=number),
        "postal_code": commune.codes_postaux[0],
        "city": commune.nom,
    }


Presence = MeetingAttendance.Presence
# The séances of the last year, by days before today, with how many of the board were absent;
# the second lacked its quorum and was convened again a week later (reconvened). One planned.
MEETINGS = [
    (290, 2, False, "Compte administratif\nBudget primitif\nRèglement des aides facultatives"),
    (185, 8, False, "Convention avec l'épicerie sociale\nPlan canicule"),
    (178, 8, True, "Convention avec l'épicerie sociale\nPlan canicule"),
    (95, 3, False, "Décision modificative n° 1\nBilan de la domiciliation"),
    (20, 1, False, "Débat d'orientation budgétaire\nColis et repas des aînés"),
    (-12, 0, False, "Budget primitif de l'année prochaine\nTarifs du portage de repas"),
]


def _meetings(member: MemberCCAS) -> None:
    """A year of séances of Bondy's board, with their presences and one proxy each."""
    if BoardMeeting.objects.exists():
        return
    today = timezone.localdate()
    for days_before, absent, reconvened, agenda in MEETINGS:
        day = today - timedelta(days=days_before)
        board = members_in_office(day)
        attendance = {}
        if days_before > 0:  # a séance to come has no presences yet
            attendance = {m.pk: Attendance(Presence.PRESENT) for m in board}
            for m in board[len(board) - absent :]:
                attendance[m.pk] = Attendance(Presence.EXCUSED)
            giver = board[-1]
            attendance[giver.pk] = Attendance(Presence.PROXY, board[0].pk)
        values = {
            "date": day,
            "time": time(18, 30),
            "end_time": time(20, 30),
            "place": "Salle du conseil, hôtel de ville",
            "convened_on": day - timedelta(days=7),
            "reconvened": reconvened,
            "agenda": agenda,
            "abs_report": False,
            "notes": "",
            "minutes": None,
        }
        record_meeting(member, values, attendance)


def _activity(member: MemberCCAS, years: int) -> None:
    """`years` years up to last year, drifting a few percent a year (seeded: stable output)."""
    rng = random.Random(member.slug)
    last_year = timezone.localdate().year - 1  # Paris's year, not the server's (UTC)
    # The population served: a CIAS's is its intercommunality's (MemberCCAS.population).
    scale = max(0.2, min(2.0, member.population / 55000))
    rows = []
    for pole, category, count, amount in ACTIVITY_BASE:
        growth = rng.uniform(-0.03, 0.06)
        for offset in range(years):
            year = last_year - years + 1 + offset
            drift = (1 + growth) ** offset * rng.uniform(0.92, 1.08)
            # Covid year: fewer people at the desk, more emergency aid.
            if year == 2020:
                drift *= 0.7 if pole == "Accueil" else 1.25 if pole == "Secours" else 1
            rows.append(
                ImportRow(
                    0,
                    year,
                    pole,
                    category,
                    max(0, round(count * scale * drift)),
                    None
                    if amount is None
                    else Decimal(amount * scale * drift).quantize(Decimal("0.01")),
                )
            )
    import_activity(member, rows)


def _profile(member: MemberCCAS, publish: bool) -> None:
    profile = get_profile(member)
    if profile.director_name:
        return
    update_profile(member, PROFILES[member.slug], SERVICES[: 5 if publish else 3])
    if publish:
        set_profile_publication(member, name=True, services=True, contact=True)


# (title, file name, paragraphs): fictional texts, in the words a CCAS writes them.
DOCUMENTS = [
    (
        "Règlement des aides facultatives 2026",
        "reglement-aides-facultatives-2026.pdf",
        [
            "Adopté par le conseil d'administration du 12 mars 2026.",
            "Article 1 – Objet. Le CCAS peut accorder des aides facultatives aux personnes "
            "domiciliées dans la commune dont les ressources sont insuffisantes pour faire face "
            "à une dépense ponctuelle : alimentation, énergie, transport, santé.",
            "Article 2 – Instruction. La demande est instruite par un travailleur social, qui "
            "calcule le reste à vivre par jour et par personne du foyer.",
            "Article 3 – Barème. Reste à vivre inférieur à 8 € : aide possible jusqu'à 300 € ; "
            "de 8 à 12 € : jusqu'à 150 € ; au-delà, avis motivé de la commission.",
            "Article 4 – Commission. La commission d'attribution se réunit chaque semaine ; "
            "l'urgence est traitée le jour même par la direction.",
        ],
    ),
    (
        "Procès-verbal du conseil d'administration du 12 mars 2026",
        "pv-ca-2026-03-12.pdf",
        [
            "Présents : 11 administrateurs sur 13. Le quorum est atteint.",
            "1. Compte administratif 2025 : adopté à l'unanimité.",
            "2. Règlement des aides facultatives 2026 : adopté (10 pour, 1 abstention).",
            "3. Analyse des besoins sociaux : le conseil prend acte du calendrier de l'ABS ; "
            "les premiers résultats lui seront présentés en juin.",
            "La séance est levée à 20 h 15.",
        ],
    ),
]


# How the demo's documents are filed: category and date of the document.
DOCUMENT_FILING = {
    "Règlement des aides facultatives 2026": (Document.Category.RULES, date(2026, 3, 12)),
    "Procès-verbal du conseil d'administration du 12 mars 2026": (
        Document.Category.BOARD,
        date(2026, 3, 12),
    ),
}


def _documents(member: MemberCCAS) -> None:
    if Document.objects.exists():
        # Loaded by a version without categories: file the demo's own documents, once.
        for title, (category, day) in DOCUMENT_FILING.items():
            Document.objects.filter(
                title=title, category=Document.Category.OTHER, document_date__isnull=True
            ).update(category=category, document_date=day)
        return
    director = get_user_model().objects.filter(email="direction@ccas-bondy.demo").first()
    styles = stylesheet()
    for title, file_name, paragraphs in DOCUMENTS:
        story = [paragraph(title, styles["Title"])]
        story += [paragraph(text, styles["Normal"]) for text in paragraphs]
        content = ContentFile(build_pdf(story, title=title), name=file_name)
        category, day = DOCUMENT_FILING[title]
        add_document(member, title, content, actor=director, category=category, document_date=day)


def load(stdout) -> None:
    """Load the workspace demo data. Idempotent."""
    from union.demo import DEMO_CIAS_SLUG, DEMO_PASSWORD

    bondy = MemberCCAS.objects.get(slug="bondy")
    for email, role in EXTRA_ACCOUNTS.items():
        grant_membership(bondy, email, role, password=DEMO_PASSWORD)
    with schema_context(bondy.schema_name):
        _profile(bondy, publish=True)
        _board(bondy, breaks=None)
        _meetings(bondy)
        _activity(bondy, years=10)
        _documents(bondy)
    for slug, (years, breaks) in OTHERS.items():
        member = MemberCCAS.objects.get(slug=slug)
        with schema_context(member.schema_name):
            _profile(member, publish=False)
            _board(member, breaks=breaks)
            _activity(member, years=years)
    # Absent when a test loads this demo without union.demo's members.
    cias = MemberCCAS.objects.filter(slug=DEMO_CIAS_SLUG).select_related("intercommunality")
    for member in cias:
        with schema_context(member.schema_name):
            _profile(member, publish=True)
            _cias_board(member)
            _activity(member, years=2)
    connection.set_schema_to_public()
    stdout.write(
        "Espace membre : profils, conseils d'administration (Bondy conforme, Montreuil et "
        "Saint-Denis non conformes, le CIAS Grand Paris Grand Est renouvelé en 2026), 10 ans "
        "d'activité, une année de séances du conseil et deux documents pour Bondy."
    )
    for email, role in EXTRA_ACCOUNTS.items():
        stdout.write(f"  {Membership.Role(role).label:<28} {email}   http://bondy.localhost:8000/")

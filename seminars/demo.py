"""Demo data of seminars, loaded by `manage.py demo`: the calendar page, five events written for
the demo (fictional people), registrations from communes of several départements. Idempotent,
except on a later day (`make demo` loads it again on the same database): the event of the day
(DOOR_EVENT) is brought back to today, so that the desk's account (« Accueil des participants »)
always has an event to open, and an upcoming event whose registrations have closed is put back
to its days ahead (_keep_upcoming)."""

from datetime import date, datetime, timedelta

from dateutil.easter import easter
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from seminars.door_access import in_door_window
from seminars.evaluations import save_evaluation
from seminars.links import event_path
from seminars.models import (
    PRESENT,
    Atelier,
    AtelierPresence,
    Fonction,
    Kind,
    ProceedingsPage,
    Registration,
    SeminarIndexPage,
    SeminarPage,
    Visibility,
)
from seminars.services import (
    RegistrationData,
    ensure_event_index,
    event_changes_untold,
    join_atelier_waiting,
    register_person,
    resolve_commune,
)
from tenants.models import MemberCCAS

FIRST_NAMES = [
    "Nadia", "Julien", "Fatou", "Marc", "Sophie", "Karim", "Élise", "Thomas", "Amina", "Pierre",
    "Chantal", "Mehdi", "Isabelle", "Yannick", "Leïla", "François", "Awa", "Gilles", "Claire", "Rachid",
]  # fmt: skip
LAST_NAMES = [
    "Benali", "Moreau", "Diallo", "Lefèvre", "Traoré", "Girard", "Nguyen", "Perrin", "Haddad", "Roussel",
    "Camara", "Fontaine", "Belkacem", "Marchand", "Sylla", "Lambert", "Kone", "Chevalier", "Mercier", "Dupuis",
]  # fmt: skip
# Typed as organisers receive them: capitals, "St", missing hyphens, one typo.
COMMUNES = [
    ("BONDY", None), ("Montreuil", None), ("ST DENIS", None), ("Aubervilliers", None),
    ("NOISY LE SEC", None), ("Pantin", None), ("Bobigny", None), ("Rosny sous Bois", None),
    ("Créteil", "94"), ("VINCENNES", "94"), ("Ivry sur Seine", "94"), ("Argenteuil", "95"),
    ("Sarcelles", "95"), ("MEAUX", "77"), ("Chelles", "77"), ("Nanterre", "92"),
    ("Clichy sous bois", None), ("Villepinte", None), ("Sevran", None), ("Aulnay-sous-Boi", None),
]  # fmt: skip
# A day from 9 h to 17 h with an hour and a half for lunch: the training time an attestation de
# présence certifies (end − start would count the lunch).
DAY_WITH_LUNCH = timedelta(hours=6, minutes=30)
FONCTIONS = [
    ("maire", ""), ("maire_adjoint", ""), ("conseiller_municipal", ""), ("vice_president_ccas", ""),
    ("membre_ca", ""), ("directeur_ccas", ""), ("agent_action_sociale", ""), ("dgs", ""),
]  # fmt: skip


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def french_public_holidays(year: int) -> set[date]:
    """The eleven public holidays of metropolitan France (Code du travail, L3133-1): the fixed
    ones and Easter's (dateutil's computus)."""
    easter_sunday = easter(year)
    fixed = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
    moving = (1, 39, 50)  # lundi de Pâques, Ascension, lundi de Pentecôte
    return {date(year, month, day) for month, day in fixed} | {
        easter_sunday + timedelta(days=offset) for offset in moving
    }


def working_day(days: int) -> int:
    """`days` from today, moved away from today to the nearest working day (Monday to Friday,
    not a public holiday): the demo's events fall on days a union would choose."""
    step = 1 if days >= 0 else -1
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5 or day in french_public_holidays(day.year):
        day += timedelta(days=step)
    return (day - timezone.localdate()).days


def _moved(moment: datetime | None, days: int) -> datetime | None:
    """`moment` `days` local days later, at the same local time (Europe/Paris: the same hour
    across a DST change)."""
    if moment is None:
        return None
    local = timezone.localtime(moment)
    day = local.date() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, local.time()))


# The event of the day, for the desk's demo account: the door opens only the events of the day
# before, the day and the day after (seminars.door_access.door_window).
DOOR_EVENT = "journee-non-recours-aux-droits"


def _event(index: SeminarIndexPage, slug: str, ateliers=(), **fields) -> tuple[SeminarPage, bool]:
    existing = SeminarPage.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    page = SeminarPage(slug=slug, organiser_name="Olivia Événements", **fields)
    page.organiser_email = "evenements@udccas93.demo"
    index.add_child(instance=page)
    for number, (title, starts_at, ends_at, room, seats, description) in enumerate(ateliers):
        Atelier.objects.create(
            page=page,
            sort_order=number,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            room=room,
            seats=seats,
            description=description,
        )
    page.save_revision().publish()
    return page, True


def _attest(page: SeminarPage, duration: timedelta) -> None:
    """Give the event its attested training duration. Events of a demo loaded before the field
    existed get it when the demo runs again (published, so that the admin shows it too); a
    duration already set, by the demo or an organiser, is kept: running the demo twice changes
    nothing."""
    if page.attested_duration is not None:
        return
    page.attested_duration = duration
    page.save_revision().publish()


def _programme(*items) -> list[dict]:
    return [
        {
            "type": "item",
            "value": {"time": time, "title": title, "description": "", "speakers": who},
        }
        for time, title, who in items
    ]


def _register(seminar: SeminarPage, count: int, offset: int = 0, atelier_ids=()) -> None:
    for number in range(offset, offset + count):
        typed, hint = COMMUNES[number % len(COMMUNES)]
        fonction, text = FONCTIONS[number % len(FONCTIONS)]
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        # Shifted each round of first names, so that no two demo people share a full name.
        last = LAST_NAMES[(number * 7 + number // len(FIRST_NAMES)) % len(LAST_NAMES)]
        ateliers = [atelier_ids[number % len(atelier_ids)]] if atelier_ids else []
        register_person(
            seminar,
            RegistrationData(
                nom=last,
                prenom=first,
                email=f"{slugify(first)}.{slugify(last)}.{number}@exemple.fr",
                commune=resolve_commune(typed, hint),
                fonction=fonction,
                fonction_text=text,
                atelier_ids=ateliers,
                needs="Accès en fauteuil roulant" if number % 13 == 5 else "",
                consent=number % 4 != 0,
            ),
            source="import",
            notify=False,
        )


def _register_from_bondys_space(seminar: SeminarPage, atelier_id: int) -> None:
    """Bondy's CCAS registered one of its new elected officials itself, without her e-mail: its
    dashboard shows her with the link to withdraw her (source « member »)."""
    register_person(
        seminar,
        RegistrationData(
            nom="Haddad",
            prenom="Samia",
            email="",
            commune=resolve_commune("93010"),
            fonction=Fonction.MAIRE_ADJOINT,
            atelier_ids=[atelier_id],
        ),
        source=Registration.Source.MEMBER,
        notify=False,
        member=MemberCCAS.objects.filter(commune_id="93010", kind=MemberCCAS.Kind.CCAS).first(),
    )


def _check_in_most(seminar: SeminarPage) -> None:
    """A past event's day: most people came (every fifth did not), so attestations exist."""
    confirmed = seminar.registrations.filter(status=Registration.Status.CONFIRMED).order_by("pk")
    present = [r.pk for number, r in enumerate(confirmed) if number % 5 != 4]
    arrival = seminar.start - timedelta(minutes=20)
    seminar.registrations.filter(pk__in=present).update(checked_in_at=arrival)


# (overall, usefulness, organisation, most useful, to improve, wishes), used in turn.
OPINIONS = [
    (4, 4, 3, "Les exemples de communes de notre taille.", "", "Le logement des jeunes"),
    (3, 4, 3, "", "Moins de diapositives, plus d'échanges.", ""),
    (4, 3, 4, "La méthode pour prioriser les besoins.", "", ""),
    (3, 3, 2, "", "Le repas était trop court pour échanger.", "Non-recours aux droits"),
    (4, 4, 4, "Les données de la CAF commune par commune.", "", ""),
    (2, 3, 3, "", "Trop technique pour des élus qui débutent.", "Le rôle du conseil"),
]


def _evaluate_most(seminar: SeminarPage) -> None:
    """Three in four present people gave their opinion, so the summary has something to show."""
    present = seminar.registrations.filter(PRESENT).order_by("pk")
    for number, registration in enumerate(present):
        if number % 4 == 3:
            continue
        overall, usefulness, organisation, best, improve, wishes = OPINIONS[number % len(OPINIONS)]
        answers = {
            "overall": overall,
            "usefulness": usefulness,
            "organisation": organisation,
            "best": best,
            "improve": improve,
            "wishes": wishes,
        }
        save_evaluation(registration, answers, {})


def _redate(page: SeminarPage, days_ahead: int) -> None:
    """The demo loaded again on a later day (`make demo` reloads it on the same database): the
    event starts `days_ahead` days from today again, at the same hours, with its ateliers and
    registration dates; its registrations are kept and their check-ins undone."""
    days = (timezone.localdate() + timedelta(days=days_ahead) - timezone.localdate(page.start)).days
    for atelier in Atelier.objects.filter(page=page):
        Atelier.objects.filter(pk=atelier.pk).update(
            starts_at=_moved(atelier.starts_at, days), ends_at=_moved(atelier.ends_at, days)
        )
    page = SeminarPage.objects.get(pk=page.pk)  # its ateliers as just moved, for the revision
    for field in ("start", "end", "registration_opens", "registration_closes"):
        setattr(page, field, _moved(getattr(page, field), days))
    with event_changes_untold():  # the demo's registrants are not told their event moved
        page.save_revision().publish()
    AtelierPresence.objects.filter(registration__seminar=page).delete()
    page.registrations.update(checked_in_at=None)


def _keep_upcoming(page: SeminarPage, days_ahead: int) -> None:
    """An event the README calls « à venir » is put back `days_ahead` days from today once its
    registrations have closed (loaded weeks ago, it would show a past date, or refuse the
    registration the demo invites)."""
    if page.registration_state() == "closed":
        _redate(page, days_ahead)


def _event_of_the_day(index: SeminarIndexPage) -> None:
    """Today, from 9 h 30 to 16 h 30: 24 people to check in at the desk, two ateliers."""
    page, created = _event(
        index,
        DOOR_EVENT,
        title="Journée d'étude : le non-recours aux droits sociaux",
        kind=Kind.JOURNEE_ETUDE,
        start=_at(0, 9, 30),
        end=_at(0, 16, 30),
        venue_name="Bourse départementale du travail",
        venue_address="1 place de la Libération\n93000 Bobigny",
        access_notes="Tramway T1, arrêt Libération. Accueil au rez-de-chaussée.",
        audience="Élus, directions et agents des CCAS",
        summary="Pourquoi tant de personnes ne demandent pas les aides auxquelles elles ont "
        "droit, et comment les CCAS vont vers elles : chiffres, témoignages, méthodes.",
        seats=30,
        attested_duration=timedelta(hours=5, minutes=30),  # 9 h 30–12 h 30, 14 h 00–16 h 30
        programme=_programme(
            ("9 h 30", "Accueil et émargement", ""),
            (
                "10 h 00",
                "Le non-recours en chiffres : ce que disent les études",
                "Chargée d'études de l'union",
            ),
            ("11 h 00", "Témoignages de deux CCAS du département", ""),
            ("12 h 30", "Déjeuner", ""),
            ("14 h 00", "Ateliers en parallèle (au choix)", ""),
            ("16 h 00", "Restitution et clôture", "La présidente de l'union"),
        ),
        ateliers=(
            (
                "Aller vers les personnes qui ne demandent rien",
                _at(0, 14), _at(0, 16), "Salle A", 15,
                "Permanences hors les murs, repérage avec les partenaires.",
            ),
            (
                "Simplifier les démarches",
                _at(0, 14), _at(0, 16), "Salle B", 15,
                "Dossier unique, rendez-vous accompagnés, suivi des demandes.",
            ),
        ),
    )  # fmt: skip
    if created:
        atelier_ids = list(page.ateliers.order_by("sort_order").values_list("pk", flat=True))
        _register(page, 24, offset=60, atelier_ids=atelier_ids)
    elif not in_door_window(page):
        _redate(page, 0)


@transaction.atomic
def load(stdout) -> None:
    """Load this app's demo data. Idempotent."""
    index = ensure_event_index()
    # Working days (Monday to Friday, not a public holiday): an « atelier » on Christmas Day or a
    # séminaire on a Sunday reads as a mistake to an élue.
    debut_day, past_day = working_day(21), working_day(-75)
    commission_day, invitation_day = working_day(35), working_day(49)
    debut, created = _event(
        index,
        "atelier-debut-de-mandat",
        title="Atelier début de mandat : le CCAS, mode d'emploi",
        kind=Kind.ATELIER_DEBUT_MANDAT,
        start=_at(debut_day, 9),
        end=_at(debut_day, 17),
        venue_name="Hôtel du Département",
        venue_address="93 rue Carnot\n93000 Bobigny",
        access_notes="Métro ligne 5, arrêt Bobigny–Pablo Picasso. Salle accessible de plain-pied.",
        audience="Élus nouvellement désignés au conseil d'administration d'un CCAS",
        summary="Une journée pour prendre ses marques : rôle du conseil d'administration, "
        "budget du CCAS, analyse des besoins sociaux à conduire dans l'année qui suit l'élection.",
        seats=60,
        attested_duration=DAY_WITH_LUNCH,  # 9 h 00–12 h 30 and 14 h 00–17 h 00
        registration_closes=_at(debut_day - 3, 23, 59),
        programme=_programme(
            ("9 h 00", "Accueil café", ""),
            (
                "9 h 30",
                "Le CCAS, établissement public : compétences et gouvernance",
                "Service juridique de l'union",
            ),
            ("10 h 30", "Ateliers en parallèle (au choix)", ""),
            ("12 h 30", "Déjeuner", ""),
            (
                "14 h 00",
                "L'analyse des besoins sociaux : obligations et méthode",
                "Chargée d'études de l'union",
            ),
            ("16 h 30", "Clôture", "La présidente de l'union"),
        ),
        ateliers=(
            (
                "Le budget du CCAS en pratique",
                _at(debut_day, 10, 30),
                _at(debut_day, 12, 30),
                "Salle 1",
                20,
                "Lire un budget, préparer le débat d'orientation.",
            ),
            (
                "Aides facultatives : fixer un règlement",
                _at(debut_day, 10, 30),
                _at(debut_day, 12, 30),
                "Salle 2",
                20,
                "Critères, barèmes, commission d'attribution.",
            ),
            (
                "Domiciliation et accès aux droits",
                _at(debut_day, 15, 0),
                _at(debut_day, 16, 15),
                "Salle 3",
                25,
                "Élection de domicile, rapport annuel au préfet.",
            ),
        ),  # fmt: skip
    )
    _attest(debut, DAY_WITH_LUNCH)
    if created:
        atelier_ids = list(debut.ateliers.order_by("sort_order").values_list("pk", flat=True))
        _register(debut, 40, atelier_ids=atelier_ids[:2])
        _register_from_bondys_space(debut, atelier_ids[2])  # the two others are full
        # Someone in the second morning atelier would rather be in the first, full: she is on
        # its own waiting list (the organisers' list shows it).
        in_second = debut.registrations.filter(ateliers=atelier_ids[1]).order_by("pk").first()
        join_atelier_waiting(in_second, atelier_ids[0])
    _keep_upcoming(debut, debut_day)

    past, created = _event(
        index,
        "seminaire-abs-2026",
        title="Séminaire annuel : l'ABS, un outil pour décider",
        kind=Kind.SEMINAIRE,
        start=_at(past_day, 9),
        end=_at(past_day, 17),
        venue_name="Salle des fêtes de Pantin",
        venue_address="Place de l'Église\n93500 Pantin",
        summary="Comment les CCAS utilisent l'analyse des besoins sociaux pour orienter leur action.",
        seats=120,
        attested_duration=DAY_WITH_LUNCH,  # its attestations say « durée de formation : 6 h 30 »
    )
    _attest(past, DAY_WITH_LUNCH)
    if created:
        _register(past, 30)
        _check_in_most(past)
        _evaluate_most(past)
        _proceedings(past)

    commission, _ = _event(
        index,
        "commission-seniors",
        title="Commission « personnes âgées et isolement »",
        kind=Kind.COMMISSION,
        start=_at(commission_day, 14),
        end=_at(commission_day, 17),
        venue_name="Siège de l'union",
        venue_address="12 avenue Jean-Jaurès\n93000 Bobigny",
        summary="Travaux de la commission : plan canicule, visites de convivialité, repérage.",
        seats=25,
        visibility=Visibility.MEMBERS,
    )
    _event_of_the_day(index)
    _keep_upcoming(commission, commission_day)
    invitation, _ = _event(
        index,
        "reunion-partenaires-caf",
        title="Réunion de travail avec la CAF (sur invitation)",
        kind=Kind.JOURNEE_ETUDE,
        start=_at(invitation_day, 9, 30),
        end=_at(invitation_day, 12, 30),
        venue_name="Caisse d'allocations familiales",
        summary="Échanges sur les données allocataires à l'échelle communale.",
        seats=15,
        visibility=Visibility.INVITATION,
    )
    _keep_upcoming(invitation, invitation_day)
    stdout.write(
        f"Événements : {SeminarPage.objects.count()} (calendrier /evenements/). "
        f"Lien d'invitation : {event_path(invitation)}"
    )


def _proceedings(seminar: SeminarPage) -> None:
    proceedings = ProceedingsPage(
        title="Actes du séminaire annuel : l'ABS, un outil pour décider",
        slug="actes",
        preamble="<p>Plus de cent élus et professionnels des CCAS du département se sont réunis "
        "à Pantin pour partager leurs pratiques de l'analyse des besoins sociaux. Ces actes "
        "reprennent les interventions, les synthèses des ateliers et les pistes retenues.</p>",
        interventions=[
            _intervention(
                "Hélène Marceau",
                "Présidente de l'union",
                "UDCCAS",
                "L'analyse des besoins sociaux n'est pas un rapport de plus : c'est le moment où "
                "une commune se regarde en face.",
                "<p>La présidente a rappelé l'obligation issue du décret de 2016 et insisté sur "
                "la mutualisation des données entre membres pour en réduire le coût.</p>",
            ),
            _intervention(
                "Samir Ouali",
                "Directeur",
                "CCAS de Bondy",
                "Nos chiffres sur la domiciliation ont convaincu le conseil d'administration "
                "d'ouvrir une permanence supplémentaire.",
                "<p>Retour d'expérience : un diagnostic conduit en interne, appuyé sur les données "
                "de l'INSEE et de la CAF, présenté au conseil d'administration en six mois.</p>",
            ),
        ],
        syntheses=[
            _synthesis(
                "Atelier 1 : les données",
                "Quelles données mobiliser sans bureau d'études ?",
                [
                    "Les données Filosofi s'arrêtent à 2021",
                    "Le secret statistique limite les petites communes",
                ],
                ["Mutualiser l'extraction des données au niveau de l'union"],
            ),
            _synthesis(
                "Atelier 2 : associer les habitants",
                "Comment recueillir la parole des personnes accompagnées ?",
                ["Questionnaires en salle d'attente", "Appui sur les associations de quartier"],
                ["Un guide commun d'entretien", "Restituer les résultats aux habitants"],
            ),
        ],  # fmt: skip
        conclusion="<p>L'union proposera en début de mandat un atelier dédié à l'ABS et un jeu "
        "d'indicateurs communs à tous ses membres.</p>",
    )
    seminar.add_child(instance=proceedings)
    proceedings.save_revision().publish()


def _intervention(name, role, organisation, quote, text) -> dict:
    return {
        "type": "intervention",
        "value": {
            "speaker_name": name,
            "role": role,
            "organisation": organisation,
            "quote": quote,
            "text": text,
        },
    }


def _synthesis(atelier, question, key_points, proposals) -> dict:
    return {
        "type": "synthesis",
        "value": {
            "atelier": atelier,
            "question": question,
            "key_points": key_points,
            "proposals": proposals,
        },
    }

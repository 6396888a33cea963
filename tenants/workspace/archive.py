"""« Télécharger toutes nos données »: everything a member's space holds, in one ZIP file.

Réversibilité: a CCAS that chooses the platform asks first whether it can get everything back,
and a member that leaves the union must be able to. The archive is built from the exporters the
pages already use (board_exports, exports, activity, union.spreadsheets), so that a file in the
archive is the file the page downloads; what has no exporter yet (profile, ABS observations,
documents' index, team, journal, event registrations) is written here with the same CSV dialect
(UTF-8 with a BOM, semicolons, decimal comma, formulas made inert: union.spreadsheets.csv_bytes).

The ZIP is written to a temporary file, never held in memory: documents (20 Mo each) are copied
into it by chunks, the journal by batches of rows; the view streams the file and closes it, which
deletes it. It is built on the connection's schema, which must be the member's own (a request on
its host, or tenant_context): `build_member_archive` refuses any other, so that no code path can
put one member's rows in another's archive.

A member that left the union keeps, for DEPARTURE_ARCHIVE_DAYS days after its departure, a way
in for its direction to this download only (union.middleware lets `OPEN_AFTER_DEPARTURE` through):
the data is the member's, and the union never enters a space to hand it over.
"""

import logging
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from tenants.journal.models import JournalEntry
from tenants.journal.services import ACTION_LABELS, describe_details
from tenants.models import MemberCCAS, Membership
from tenants.workspace import activity, board_exports, exports, meetings
from tenants.workspace.compliance import board_authorities
from tenants.workspace.models import ActivityFigure, BoardMandate, ConvocationSending, Document
from tenants.workspace.services import last_invitations, team_names, team_sort_key
from union.audit import record_audit
from union.formats import french_number, long_date, plural
from union.spreadsheets import csv_bytes

logger = logging.getLogger(__name__)

# How long after its departure from the union (the union's « a quitté l'union », dated by its
# audit trail) a member's direction may still sign in to download this archive. Long enough for
# a director on leave to come back to it; the union can open it again by recording the
# departure anew. A suspended member gets none: suspension is temporary and keeps everything.
DEPARTURE_ARCHIVE_DAYS = getattr(settings, "MEMBER_DEPARTURE_ARCHIVE_DAYS", 30)
# What a member's host still answers during those days (everything else shows the closed page):
# signing in and out, the hand-over from the portal, and the archive's page and download.
OPEN_AFTER_DEPARTURE = ("/connexion/", "/deconnexion/", "/acces/", "/donnees/")
ARCHIVE_PAGE = "/donnees/"
ARCHIVE_DOWNLOAD = "/donnees/archive.zip"

# Formats that are already compressed: stored as they are, deflating them again costs time for
# nothing.
COMPRESSED = {"pdf", "png", "jpg", "jpeg", "docx", "xlsx", "pptx", "odt", "ods", "odp", "zip"}
CHUNK = 1024 * 1024
JOURNAL_BATCH = 2000
# Names Windows refuses for a file, whatever the extension.
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)
}


class WrongSchema(RuntimeError):
    """The connection is not on the member's schema: the archive would hold another's data."""


# --- Access after a departure ---------------------------------------------------------------


def departed_on(member: MemberCCAS) -> date | None:
    """The day the union recorded the member's departure (its last « a quitté l'union » in the
    union's trail), for a member that has left; None otherwise or when no such line is kept."""
    if member.status != MemberCCAS.Status.LEFT:
        return None
    from union.models import AuditEntry

    entry = (
        AuditEntry.objects.filter(
            member_id=member.pk, action="member.status", details__after=MemberCCAS.Status.LEFT
        )
        .order_by("-at")
        .first()
    )
    return timezone.localdate(entry.at) if entry else None


def archive_deadline(left_on: date) -> date:
    """The last day, included, a member that left on `left_on` may download its archive."""
    return left_on + timedelta(days=DEPARTURE_ARCHIVE_DAYS)


def archive_open_until(member: MemberCCAS) -> date | None:
    """The last day the direction of a member that left may download its archive; None for a
    member that has not left (or whose departure has no date: the union records it again)."""
    left_on = departed_on(member)
    return archive_deadline(left_on) if left_on else None


def archive_still_open_until(member: MemberCCAS, today: date | None = None) -> date | None:
    """archive_open_until while that day has not passed yet; None once it has, or for a member
    that has not left (« Mes espaces » gives a departed member's direction this date)."""
    until = archive_open_until(member)
    return until if until is not None and (today or timezone.localdate()) <= until else None


def archive_open(member: MemberCCAS, today: date | None = None) -> bool:
    """Whether the member's direction may download the archive: while the member is active,
    and for DEPARTURE_ARCHIVE_DAYS days after it left the union. Never while it is suspended."""
    return member.is_active or archive_still_open_until(member, today) is not None


def open_after_departure(request) -> bool:
    """For union.middleware: a request to a closed space that may still go through (the
    archive and signing in, during the days after a departure)."""
    return request.path.startswith(OPEN_AFTER_DEPARTURE) and archive_open(request.tenant)


def closed_space_context(member: MemberCCAS) -> dict:
    """What the closed space's page says: until when the archive can still be downloaded."""
    until = archive_open_until(member)
    if until is None or until < timezone.localdate():
        return {"member": member}
    return {"member": member, "archive_until": until, "archive_url": ARCHIVE_PAGE}


# --- The archive ----------------------------------------------------------------------------


@dataclass
class ArchiveSummary:
    """What went into an archive: its files (path -> what it is, for LISEZ-MOI.txt), the
    documents copied and those whose file was missing from the storage."""

    name: str
    files: dict[str, str] = field(default_factory=dict)
    documents: int = 0
    missing_documents: list[str] = field(default_factory=list)
    entries: int = 0  # files in the ZIP


def archive_name(member: MemberCCAS, today: date | None = None) -> str:
    """ "maillage-bondy-2026-12-02.zip": whose and of when, among other downloads."""
    day = today or timezone.localdate()
    return f"maillage-{member.slug}-{day.isoformat()}.zip"


def _dmy(value) -> str:
    """A date as French spreadsheets read it (« 05/04/2026 »); a moment in the union's time with its
    hour (« 05/04/2026 14:05 »); "" for none."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    return f"{value:%d/%m/%Y}"


def _yes(value: bool) -> str:
    return "oui" if value else "non"


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()


def _zip_time(moment: datetime | None) -> tuple:
    """A ZIP entry's date: the union's time, and not before 1980, which the format cannot hold."""
    moment = timezone.localtime(moment or timezone.now())
    return max(moment.timetuple()[:6], (1980, 1, 1, 0, 0, 0))


def safe_file_name(name: str) -> str:
    """A name every file system takes: no path separator or control character (the document's
    download_name has none), no leading or trailing dot or space, no name Windows reserves."""
    name = " ".join(name.replace("/", " ").replace("\\", " ").split()).strip(". ") or "document"
    if name.partition(".")[0].upper() in WINDOWS_RESERVED:
        name = f"_{name}"
    return name


class ArchiveWriter:
    """A ZIP being written, which keeps each path unique (as Windows compares them: without
    case) and what each file is."""

    def __init__(self, fileobj, summary: ArchiveSummary, now: datetime):
        self.zip = zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED)
        self.summary = summary
        self.now = now
        self.taken: set[str] = set()

    def unique(self, path: str) -> str:
        """`path`, or « nom (2).pdf » when a file of that name is already in the archive."""
        folder, slash, name = path.rpartition("/")
        stem, dot, extension = name.rpartition(".")
        if not dot or not stem:
            stem, dot, extension = name, "", ""
        candidate, number = path, 1
        while candidate.lower() in self.taken:
            number += 1
            candidate = f"{folder}{slash}{stem} ({number}){dot}{extension}"
        self.taken.add(candidate.lower())
        return candidate

    def _info(self, path: str, moment: datetime | None, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=_zip_time(moment or self.now))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16  # a plain readable file once unzipped
        return info

    def add(self, path: str, content: bytes, description: str) -> str:
        path = self.unique(path)
        self.zip.writestr(self._info(path, None, True), content)
        self.summary.files[path] = description
        return path

    def add_chunks(self, path: str, chunks: Iterable[bytes], description: str) -> str:
        path = self.unique(path)
        with self.zip.open(self._info(path, None, True), "w") as target:
            for chunk in chunks:
                target.write(chunk)
        self.summary.files[path] = description
        return path

    def add_file(self, path: str, source, moment: datetime | None, compress: bool) -> str:
        path = self.unique(path)
        with self.zip.open(self._info(path, moment, compress), "w") as target:
            shutil.copyfileobj(source, target, CHUNK)
        return path

    def close(self) -> None:
        self.zip.close()


def build_member_archive(
    member: MemberCCAS, fileobj, *, actor=None, now: datetime | None = None
) -> ArchiveSummary:
    """Write the archive of `member`'s space to `fileobj` (a seekable binary file) and say what
    it holds. The connection must be on the member's schema (WrongSchema otherwise)."""
    if connection.schema_name != member.schema_name:
        raise WrongSchema(
            f"Archive of {member.schema_name} asked on schema {connection.schema_name}."
        )
    now = now or timezone.now()
    summary = ArchiveSummary(name=archive_name(member, timezone.localdate(now)))
    writer = ArchiveWriter(fileobj, summary, now)
    try:
        _add_identity(writer, member)
        _add_board(writer, member)
        _add_meetings(writer)
        _add_activity(writer, member)
        _add_abs(writer)
        _add_documents(writer)
        _add_team(writer, member)
        _add_journal(writer)
        _add_registrations(writer, member)
        # Last, so that it lists every file; first in the ZIP's listing anyway (sorted by name
        # in most tools), and named in capitals so that it stands out.
        readme = readme_text(member, summary, now, actor)
        writer.add("LISEZ-MOI.txt", readme.encode("utf-8-sig"), "Ce fichier.")
        summary.entries = len(writer.zip.infolist())
    finally:
        writer.close()
    return summary


def write_member_archive(member: MemberCCAS, *, actor=None):
    """The archive in a temporary file (deleted once closed), rewound; and its summary."""
    handle = tempfile.TemporaryFile(suffix=".zip", dir=settings.FILE_UPLOAD_TEMP_DIR)
    try:
        summary = build_member_archive(member, handle, actor=actor)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle, summary


def download_member_archive(member: MemberCCAS, *, actor=None):
    """« Télécharger toutes nos données »: the archive (write_member_archive), its download
    audited in the member's journal (whole) and in the union's trail (who and when only: the
    action is not `shared`, nothing of what the archive holds leaves the space)."""
    handle, summary = write_member_archive(member, actor=actor)
    record_audit(
        "archive.downloaded",
        actor=actor,
        member=member,
        target=summary.name,
        files=summary.entries,
        documents=summary.documents,
    )
    return handle, summary


# --- Each part ------------------------------------------------------------------------------


def _add_identity(writer: ArchiveWriter, member: MemberCCAS) -> None:
    from tenants.workspace.services import get_profile

    profile = get_profile(member)
    commune = member.commune
    grouping = member.intercommunality or commune.intercommunality
    rows = [
        ["Rubrique", "Valeur"],
        ["Nom dans l'union", member.name],
        ["Nature", member.get_kind_display()],
        ["Commune siège" if member.is_cias else "Commune", f"{commune.nom} ({commune.code})"],
        ["Intercommunalité", f"{grouping.nom} (SIREN {grouping.siren})" if grouping else ""],
        ["Membre de l'union depuis le", _dmy(member.joined_on)],
        ["Statut dans l'union", member.get_status_display()],
        ["Adresse de l'espace", member.domain_name],
        ["Raison sociale", profile.legal_name],
        ["Nature (profil)", profile.get_kind_display()],
        ["Adresse", profile.address],
        ["Code postal", profile.postal_code],
        ["Ville", profile.city],
        ["Téléphone", profile.phone],
        ["Adresse électronique", profile.email],
        ["Site internet", profile.website],
        ["Directeur ou directrice", profile.director_name],
        ["Horaires d'ouverture", profile.opening_hours],
        ["Annuaire des membres : nom publié", _yes(profile.publish_name)],
        ["Annuaire des membres : services publiés", _yes(profile.publish_services)],
        ["Annuaire des membres : coordonnées publiées", _yes(profile.publish_contact)],
        ["Profil modifié le", _dmy(profile.updated_at)],
    ]
    writer.add(
        "profil/fiche-identite.csv",
        csv_bytes(rows),
        # « du CIAS » for a CIAS: the archive names the member as its pages do.
        f"La fiche d'identité du {member.kind} (page Profil) : une ligne par rubrique, avec les "
        "choix de publication dans l'annuaire des membres.",
    )
    services = [["Service", "Intitulé", "Description courte"]]
    services += [
        [service.get_kind_display(), service.label, service.description]
        for service in profile.services.all()
    ]
    writer.add(
        "profil/services.csv",
        csv_bytes(services),
        "Les services décrits sur la page Profil, un par ligne.",
    )


def _add_board(writer: ArchiveWriter, member: MemberCCAS) -> None:
    mandates = list(BoardMandate.objects.order_by("start", "pk").prefetch_related("members"))
    listing = [["Mandature", "Début", "Fin", "Membres", "Fichiers"]]
    # The seats named as the member's board names them (a CIAS's: the EPCI's authorities).
    authorities = board_authorities(member)
    for mandate in mandates:
        seats = list(mandate.members.all())
        paths = [
            writer.add(
                f"conseil/{board_exports.file_name(member, mandate, 'csv')}",
                board_exports.to_csv(mandate, seats, authorities),
                f"Le conseil d'administration de la mandature {mandate.label} (CSV).",
            ),
            writer.add(
                f"conseil/{board_exports.file_name(member, mandate, 'xlsx')}",
                board_exports.to_xlsx(mandate, seats, member.name, authorities),
                f"Le conseil d'administration de la mandature {mandate.label} (XLSX).",
            ),
        ]
        listing.append(
            [
                mandate.label,
                _dmy(mandate.start),
                _dmy(mandate.end),
                len(seats),
                ", ".join(path.rpartition("/")[2] for path in paths),
            ]
        )
    writer.add(
        "conseil/mandatures.csv",
        csv_bytes(listing),
        "Les mandatures du conseil d'administration, en cours et passées, et le nom du fichier "
        "de chacune ; chaque fichier conseil-administration-… donne une ligne par membre (nom, "
        "qualité, fonction, association, début et fin du mandat, adresse électronique, adresse "
        "postale, code postal et commune).",
    )


def _add_meetings(writer: ArchiveWriter) -> None:
    """The séances: one row each, with the quorum as its page says it, and one row per
    presence entered."""
    rows = [
        [
            "Date",
            "Heure",
            "Heure de fin prévue",
            "Lieu",
            "Convocation adressée le",
            "Nouvelle convocation",
            "Ordre du jour",
            "Rapport d'ABS présenté",
            "Quorum",
            "Observations",
            "Procès-verbal",
        ]
    ]
    presences = [["Date de la séance", "Nom", "Présence", "Pouvoir donné à"]]
    for meeting, quorum in meetings.meetings_with_quorum():
        rows.append(
            [
                _dmy(meeting.date),
                meeting.time.strftime("%H:%M") if meeting.time else "",
                meeting.end_time.strftime("%H:%M") if meeting.end_time else "",
                meeting.place,
                _dmy(meeting.convened_on),
                _yes(meeting.reconvened),
                " ; ".join(meeting.agenda_items),
                _yes(meeting.abs_report),
                quorum.text,
                meeting.notes,
                meeting.minutes.title if meeting.minutes else "",
            ]
        )
        for row in meeting.attendance.all():
            presences.append(
                [
                    _dmy(meeting.date),
                    row.board_member.full_name,
                    row.get_presence_display(),
                    row.proxy_holder.full_name if row.proxy_holder else "",
                ]
            )
    writer.add(
        "conseil/seances.csv",
        csv_bytes(rows),
        "Les séances du conseil d'administration : date, lieu, convocation, ordre du jour, "
        "rapport d'ABS présenté, quorum, titre du procès-verbal (dans documents/).",
    )
    writer.add(
        "conseil/presences.csv",
        csv_bytes(presences),
        "Les présences saisies à chaque séance, et à qui chaque pouvoir a été donné.",
    )
    writer.add(
        "conseil/convocations.csv",
        csv_bytes(_convocation_rows()),
        "Chaque « Envoyer la convocation » et chaque convocation papier notée : la "
        "séance, quand et par qui, les membres convoqués par courriel et leur adresse, ceux à "
        "convoquer par un autre moyen, le message et les documents joints ; les membres "
        "convoqués sur papier et le jour de la remise ou de l'envoi.",
    )


def _convocation_rows() -> list[list[str]]:
    """One row per sending (ConvocationSending), as the séance's page lists them: the proof of
    a convocation leaves with the space's archive."""
    rows = [
        [
            "Date de la séance",
            "Envoyée le",
            "Envoyée par",
            "Convoqués par courriel",
            "À convoquer par un autre moyen",
            "Message",
            "Documents joints",
            "Convoqués sur papier",
            "Remise ou postée le",
        ]
    ]
    for sending in ConvocationSending.objects.select_related("meeting").order_by(
        "meeting__date", "sent_at"
    ):
        rows.append(
            [
                _dmy(sending.meeting.date),
                _dmy(sending.sent_at),
                sending.sent_by,
                " ; ".join(f"{p['name']} <{p['email']}>" for p in sending.convened),
                " ; ".join(sending.to_convene_otherwise),
                sending.message,
                " ; ".join(sending.documents),
                " ; ".join(sending.on_paper),
                _dmy(sending.paper_date),
            ]
        )
    return rows


def _amount(value) -> str:
    return "" if value is None else french_number(value, 2, thousands="")


def _add_activity(writer: ArchiveWriter, member: MemberCCAS) -> None:
    figures = [list(activity.FRENCH_HEADERS.values())]
    figures += [
        [figure.year, figure.pole, figure.category, figure.count, _amount(figure.amount)]
        for figure in ActivityFigure.objects.order_by("year", "pole", "category")
    ]
    writer.add(
        "activite/chiffres-toutes-annees.csv",
        csv_bytes(figures),
        "Tous les chiffres d'activité saisis, toutes années, au format d'import du rapport "
        "d'activité (année ; pôle ; catégorie ; nombre ; montant) : ce fichier s'importe tel "
        "quel (« Importer un fichier »).",
    )
    for year in sorted(activity.available_years()):
        report = activity.activity_report(year)
        stem = f"rapport-activite-{member.slug}-{year}"
        title = f"Rapport d'activité {year} – {member.name}"
        writer.add(
            f"activite/{stem}.csv",
            exports.to_csv(report),
            f"Le rapport d'activité {year}, comparé à {report.previous_year} (CSV).",
        )
        writer.add(
            f"activite/{stem}.xlsx",
            exports.to_xlsx(report, title),
            f"Le rapport d'activité {year}, comparé à {report.previous_year} (XLSX).",
        )


def _observation_value(observation) -> str:
    from abs_shared.models import ValueStatus
    from abs_shared.tabular import typed_decimal

    if observation.status == ValueStatus.SECRET:
        return "s"
    if observation.status == ValueStatus.MISSING or observation.value is None:
        return "n.d."
    return typed_decimal(observation.value)


def _publication(observation) -> str:
    if observation.is_published:
        return "publiée"
    if observation.changed_since_publication:
        return "modifiée depuis la publication"
    return "non publiée"


def _add_abs(writer: ArchiveWriter) -> None:
    from abs_shared.local.importer import TEMPLATE_COLUMNS
    from abs_shared.local.models import Observation
    from abs_shared.tabular import typed_decimal

    observations = list(
        Observation.objects.select_related("indicator").order_by(
            "indicator__position", "indicator_id", "year"
        )
    )
    people = _people_by_id(
        {o.updated_by_id for o in observations} | {o.validated_by_id for o in observations}
    )
    rows = [
        TEMPLATE_COLUMNS
        + [
            "libellé de l'indicateur",
            "unité",
            "état",
            "publication",
            "saisie ou modifiée par",
            "modifiée le",
            "validée par",
            "validée le",
            "publiée le",
            "dans l'espace commun depuis le",
        ]
    ]
    for observation in observations:
        indicator = observation.indicator
        rows.append(
            [
                indicator.code,
                observation.year,
                _observation_value(observation),
                "" if observation.numerator is None else typed_decimal(observation.numerator),
                "" if observation.denominator is None else typed_decimal(observation.denominator),
                observation.source,
                observation.comment,
                indicator.label,
                indicator.get_unit_display(),
                observation.get_state_display(),
                _publication(observation),
                _person(people.get(observation.updated_by_id)),
                _dmy(observation.updated_at),
                _person(people.get(observation.validated_by_id)),
                _dmy(observation.validated_at),
                _dmy(observation.published_at),
                _dmy(observation.pooled_at),
            ]
        )
    writer.add(
        "abs/indicateurs-abs.csv",
        csv_bytes(rows),
        "Les valeurs des indicateurs de l'analyse des besoins sociaux : brouillons et valeurs "
        "validées, publiées ou non, avec leur source, qui les a saisies et validées, et quand. "
        "Les sept premières colonnes sont celles du modèle d'import ABS : le fichier s'importe "
        "tel quel (« s » : secret statistique ; « n.d. » : non disponible).",
    )


def _people_by_id(ids: set) -> dict:
    ids = {pk for pk in ids if pk}
    return get_user_model().objects.in_bulk(ids) if ids else {}


def _add_documents(writer: ArchiveWriter) -> None:
    category_labels = dict(Document.Category.choices)
    index = [
        [
            "Titre",
            "Catégorie",
            "Date du document",
            "Description",
            "Fichier dans l'archive",
            "Format",
            "Taille (octets)",
            "Déposé par",
            "Déposé le",
            "Fichier remplacé par",
            "Remplacé le",
        ]
    ]
    documents = Document.objects.select_related("uploaded_by", "replaced_by").order_by(
        "category", "document_date", "uploaded_at", "pk"
    )
    for document in documents.iterator(chunk_size=200):
        folder = f"documents/{document.category}"
        path = f"{folder}/{safe_file_name(document.download_name)}"
        size = ""
        try:
            source = document.file.open("rb")
        except OSError:  # lost from the storage (a restore, a manual clean-up): listed, said
            logger.error("Archive: document %s, file %s missing", document.pk, document.file)
            writer.summary.missing_documents.append(document.title)
            path = "(fichier introuvable dans le stockage de l'espace)"
        else:
            with source:
                moment = document.replaced_at or document.uploaded_at
                compress = document.extension not in COMPRESSED
                path = writer.add_file(path, source, moment, compress=compress)
                size = source.tell()
            writer.summary.documents += 1
        index.append(
            [
                document.title,
                category_labels.get(document.category, document.category),
                _dmy(document.document_date),
                document.description,
                path,
                document.file_format,
                size,
                _person(document.uploaded_by),
                _dmy(document.uploaded_at),
                _person(document.replaced_by),
                _dmy(document.replaced_at),
            ]
        )
    writer.add(
        "documents/index.csv",
        csv_bytes(index),
        "La liste des documents : titre, catégorie, date, description, qui l'a déposé et "
        "quand, et où est son fichier dans l'archive.",
    )
    if writer.summary.documents:
        writer.summary.files["documents/<catégorie>/"] = (
            "Les fichiers des documents, tels qu'ils ont été déposés, dans un dossier par "
            "catégorie (conseil, budget, reglements, abs, rapports, conventions, autres), "
            "nommés d'après leur titre."
        )


def _add_team(writer: ArchiveWriter, member: MemberCCAS) -> None:
    rows = [
        [
            "Prénom",
            "Nom",
            "Adresse électronique",
            "Rôle",
            "Accès depuis le",
            "Dernière connexion",
            "Compte",
        ]
    ]
    team = list(Membership.objects.filter(member_id=member.pk).select_related("user"))
    invitations = last_invitations(m.user_id for m in team)
    # As the team page names and orders them: before someone signs in here, the name typed in
    # her invitation, not an account's name from elsewhere (services.team_names).
    team.sort(key=lambda m: team_sort_key(m, invitations.get(m.user_id)))
    for membership in team:
        user = membership.user
        first_name, last_name = team_names(membership, invitations.get(membership.user_id))
        rows.append(
            [
                first_name,
                last_name,
                user.email,
                membership.get_role_display(),
                _dmy(membership.created_at),
                # This space's, not the account's: nothing of her other spaces or the portal.
                _dmy(membership.last_signed_in_at) or "jamais",
                "actif" if user.is_active else "désactivé",
            ]
        )
    writer.add(
        "equipe/equipe.csv",
        csv_bytes(rows),
        "Les personnes qui ont accès à l'espace et leur rôle (sans aucun mot de passe).",
    )


def _journal_chunks() -> Iterable[bytes]:
    """The journal, oldest first, as CSV written by batches: a space's years of changes are
    never held at once."""
    batch = [["Date", "Personne", "Modification", "Code", "Objet", "Détails"]]
    first = True
    for entry in JournalEntry.objects.order_by("at", "pk").iterator(chunk_size=JOURNAL_BATCH):
        batch.append(
            [
                _dmy(entry.at),
                entry.actor_label,
                ACTION_LABELS.get(entry.action, entry.action),
                entry.action,
                entry.target,
                describe_details(entry.details),
            ]
        )
        if len(batch) >= JOURNAL_BATCH:
            yield _csv_part(batch, first)
            batch, first = [], False
    if batch or first:
        yield _csv_part(batch, first)


def _csv_part(rows: list, first: bool) -> bytes:
    """Rows of one CSV written in parts: the byte order mark only at its start."""
    content = csv_bytes(rows)
    return content if first else content.removeprefix("\ufeff".encode())


def _add_journal(writer: ArchiveWriter) -> None:
    writer.add_chunks(
        "journal/journal.csv",
        _journal_chunks(),
        "Le journal des modifications de l'espace (qui a fait quoi, et quand), du plus ancien "
        "au plus récent, pour la durée de conservation du journal.",
    )


def _add_registrations(writer: ArchiveWriter, member: MemberCCAS) -> None:
    """The people the member registered to the union's events. Registrations are the union's
    rows (public schema): only those this member made (`registered_by`) are its own; people of
    its commune who registered themselves are not."""
    from seminars.models import Registration

    rows = [
        [
            "Événement",
            "Début",
            "Nom",
            "Prénom",
            "Adresse électronique",
            "Commune",
            "Fonction",
            "Ateliers",
            "Statut",
            "Inscrite le",
            "Annulée le",
            "Présence émargée le",
            "Anonymisée le",
        ]
    ]
    registrations = (
        Registration.objects.filter(registered_by_id=member.pk)
        .select_related("seminar", "commune")
        .prefetch_related("ateliers")
        .order_by("seminar__start", "nom", "prenom", "pk")
    )
    for registration in registrations:
        rows.append(
            [
                registration.seminar.title,
                _dmy(registration.seminar.start),
                registration.nom,
                registration.prenom,
                registration.email,
                registration.commune_label,
                registration.fonction_label,
                ", ".join(atelier.title for atelier in registration.ateliers.all()),
                registration.get_status_display(),
                _dmy(registration.created_at),
                _dmy(registration.cancelled_at),
                _dmy(registration.checked_in_at),
                _dmy(registration.anonymised_at),
            ]
        )
    writer.add(
        "evenements/inscriptions.csv",
        csv_bytes(rows),
        f"Les personnes que le {member.kind} a inscrites aux événements de l'union depuis son "
        "espace (les inscriptions sont tenues par l'union : celles faites par les personnes "
        "elles-mêmes n'y sont pas).",
    )


# --- LISEZ-MOI.txt --------------------------------------------------------------------------


def readme_text(member: MemberCCAS, summary: ArchiveSummary, now: datetime, actor=None) -> str:
    """The archive's guide, in French: whose, of when, what each file is, the formats."""
    moment = long_date(timezone.localtime(now), weekday=False, time=True)
    lines = [
        f"Archive des données de l'espace « {member.name} » sur Maillage ({member.domain_name})",
        "",
        f"Préparée le {moment}" + (f" à la demande de {_person(actor)}." if actor else "."),
        "Elle contient tout ce que l'espace tient : fiche d'identité, conseil d'administration, "
        "chiffres d'activité, indicateurs ABS, documents, équipe, journal des modifications et "
        "inscriptions aux événements de l'union faites depuis l'espace.",
        "",
        "Contenu",
        "-------",
    ]
    for path, description in sorted(summary.files.items()):
        lines.append(f"- {path} : {description}")
    lines.append("- LISEZ-MOI.txt : ce fichier.")
    copied = plural(summary.documents, "fichier copié", "fichiers copiés")
    lines += ["", f"Documents : {copied}."]
    if summary.missing_documents:
        lines.append(
            plural(len(summary.missing_documents), "document", "documents")
            + " dont le fichier est introuvable dans "
            "le stockage de l'espace (listés dans documents/index.csv) : "
            + " ; ".join(summary.missing_documents)
        )
    lines += [
        "",
        "Formats",
        "-------",
        "- CSV : texte UTF-8 (avec BOM), séparateur point-virgule, virgule décimale, dates "
        "JJ/MM/AAAA (heure locale de l'union) ; s'ouvre tel quel dans Excel ou LibreOffice Calc. Une "
        "cellule qui commencerait comme une formule est précédée d'une apostrophe.",
        "- XLSX : classeurs Excel, ouverts aussi par LibreOffice ; dates et nombres en vraies "
        "valeurs.",
        "- Documents : les fichiers tels qu'ils ont été déposés (PDF, bureautique, images).",
        "",
        "Ce que l'archive ne contient pas : aucun mot de passe ; les données de l'union "
        "(comparaisons, indicateurs mis en commun par les autres membres) ; les inscriptions "
        "aux événements faites par les personnes elles-mêmes.",
        "",
    ]
    return "\r\n".join(lines)  # Windows' Notepad shows the lines of a CRLF file

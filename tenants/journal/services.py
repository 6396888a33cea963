"""Writes and reads of the member's journal (see models.JournalEntry)."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django_tenants.utils import tenant_context

from tenants.journal.models import JournalEntry


def actor_label(actor) -> str:
    if actor is None:
        return ""
    return actor.get_full_name() or actor.email or actor.get_username()


def record_journal_entry(action: str, *, actor=None, target: str = "", details=None) -> None:
    """One line of the journal of the member whose schema the connection is on (called by
    union.audit.record_audit, inside the write's transaction)."""
    JournalEntry.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label(actor),
        target=target,
        details=details or {},
    )


def prune_member_journals(before: datetime) -> int:
    """Delete every member's journal lines older than `before` (the audit trail's retention,
    union.retention); how many. Cross-member work: commands and tasks only (ARCHITECTURE.md)."""
    from tenants.models import MemberCCAS

    deleted = 0
    for member in MemberCCAS.objects.exclude(schema_name="public"):
        with tenant_context(member), transaction.atomic():
            count, _by_model = JournalEntry.objects.filter(at__lt=before).delete()
            deleted += count
    return deleted


def describe_details(details: dict[str, Any]) -> str:
    """The details as one French line for the journal page and the archive's journal.csv: each
    key under its French name (DETAIL_LABELS), and the codes the writes store (a role, a seat, a
    document's category and fields, an ISO date) in the words the pages use (detail_value)."""
    parts = []
    # In DETAIL_LABELS' order (« avant » before « après »): a JSON field of PostgreSQL keeps its
    # keys sorted by length, not in the order the write gave them.
    order = {key: index for index, key in enumerate(DETAIL_LABELS)}
    for key, value in sorted(details.items(), key=lambda item: order.get(item[0], len(order))):
        if key in HIDDEN_DETAILS:
            continue
        label = DETAIL_LABELS.get(key, key)
        if isinstance(value, bool):
            value = "oui" if value else "non"
        elif isinstance(value, list):
            value = ", ".join(str(detail_value(key, item)) for item in value) or "–"
        else:
            value = detail_value(key, value)
        parts.append(f"{label} : {value}")
    return " ; ".join(parts)


def detail_value(key: str, value: Any) -> Any:
    """A stored detail as the pages say it: « Lecture seule », not « viewer »; « Élu(e) du
    conseil municipal », not « elected » (as the member's board names its seats); « Budget et
    finances », not « budget »; « titre », not « title »; 31/03/2026, not 2026-03-31. A value
    that is not one of those codes (an older entry's, a free text) is shown as stored."""
    if not isinstance(value, str):
        return value
    from tenants.models import Membership
    from tenants.workspace.models import Document

    if key in ("role", "before", "after"):
        return dict(Membership.Role.choices).get(value, value)
    if key == "category":
        return dict(Document.Category.choices).get(value, value)
    if key == "fields":
        try:
            return str(Document._meta.get_field(value).verbose_name)
        except FieldDoesNotExist:
            return value
    if key == "seat":
        from tenants.workspace.compliance import seat_label

        return seat_label(value)
    if key in DATE_DETAILS:
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


DETAIL_LABELS = {
    "year": "année",
    "years": "années",
    "rows": "lignes",
    "values": "valeurs",
    "suppressed": "secrètes",
    "withdrawn_as_missing": "retirées",
    "indicators": "indicateurs",
    "seat": "siège",
    "mandate": "mandature",
    "before": "avant",
    "after": "après",
    "reason": "motif",
    "seats_adjusted": "sièges ajustés",
    "name": "nom publié",
    "services": "services publiés",
    "contact": "contact publié",
    "previous": "mandature précédente",
    "closed_on": "close le",
    "reappointed": "membres reconduits",
    "role": "rôle",
    "password_link": "lien pour choisir un mot de passe",
    "files": "fichiers",
    "documents": "documents",
    "category": "catégorie",
    "fields": "champs modifiés",
    "previous_file": "ancien fichier",
    "new_file": "nouveau fichier",
}
# ISO dates in the details, shown as the pages write dates.
DATE_DETAILS = ("closed_on",)
# Details that mean nothing to the member's direction (a page's id in the union's site).
HIDDEN_DETAILS = ("page_id",)

# The journal page's filter: code -> (label, action prefix).
KINDS = {
    "documents": ("Documents", "document."),
    "conseil": ("Conseil d'administration", "board."),
    "activite": ("Rapport d'activité", "activity."),
    "abs": ("Indicateurs ABS", "abs."),
    "equipe": ("Équipe", "membership."),
    "profil": ("Profil", "profile."),
    "experiences": ("Expériences", "experience."),
    "donnees": ("Archive des données", "archive."),
}

ACTION_LABELS = {
    "document.added": "Document déposé",
    "document.changed": "Document modifié",
    "document.replaced": "Fichier d'un document remplacé",
    "document.deleted": "Document supprimé",
    "profile.updated": "Profil modifié",
    "profile.publication": "Publication dans l'annuaire modifiée",
    "board.mandate_created": "Mandature créée",
    "board.mandate_changed": "Mandature modifiée",
    "board.mandate_deleted": "Mandature supprimée",
    "board.renewed": "Conseil renouvelé",
    "board.member_added": "Membre du conseil ajouté",
    "board.member_changed": "Membre du conseil modifié",
    "board.member_deleted": "Membre du conseil supprimé",
    "board.meeting_recorded": "Séance du conseil enregistrée",
    "board.meeting_changed": "Séance du conseil modifiée",
    "board.meeting_convened": "Convocation du conseil envoyée",
    "board.meeting_paper_convened": "Convocation papier du conseil notée",
    "board.meeting_deleted": "Séance du conseil supprimée",
    "activity.figure_saved": "Chiffre d'activité enregistré",
    "activity.figure_deleted": "Chiffre d'activité supprimé",
    "activity.imported": "Chiffres d'activité importés",
    "activity.category_respelled": "Catégorie d'activité réécrite dans toutes les années",
    "abs.observations.import": "Indicateurs ABS importés",
    "abs.observations.validate": "Indicateurs ABS validés",
    "abs.publish": "Indicateurs publiés vers l'union",
    "abs.retract": "Publication d'indicateurs retirée",
    "membership.granted": "Accès accordé",
    "membership.revoked": "Accès retiré",
    "membership.role_changed": "Rôle modifié",
    "membership.invitation_resent": "Invitation renvoyée",
    "experience.proposed": "Expérience proposée à l'union",
    "experience.revised": "Expérience modifiée et renvoyée",
    "archive.downloaded": "Archive de toutes les données téléchargée",
}

"""Fonctions of registrants: typed text (imports, "autre") mapped to the API codes."""

from seminars.models import Fonction
from tenants.matching import fold

# Checked in order: the more specific wording first ("vice-président" before "président",
# "directeur général des services" before "directeur", "adjoint" before "maire").
PATTERNS: list[tuple[tuple[str, ...], str]] = [
    (("vice president", "vice presidente", "vp ccas"), Fonction.VICE_PRESIDENT_CCAS),
    (("president", "presidente"), Fonction.PRESIDENT_CCAS),
    (("directeur general des services", "directrice generale des services", "dgs"), Fonction.DGS),
    (("directeur", "directrice"), Fonction.DIRECTEUR_CCAS),
    (("adjoint", "adjointe"), Fonction.MAIRE_ADJOINT),
    (("maire",), Fonction.MAIRE),
    (
        ("conseiller municipal", "conseillere municipale", "conseiller", "conseillere"),
        Fonction.CONSEILLER_MUNICIPAL,
    ),
    (
        ("membre du ca", "membre ca", "administrateur", "administratrice", "membre du conseil"),
        Fonction.MEMBRE_CA,
    ),
    (("charge de mission", "chargee de mission"), Fonction.CHARGE_MISSION),
    (
        (
            "agent",
            "responsable",
            "travailleur social",
            "travailleuse sociale",
            "assistant social",
            "assistante sociale",
        ),
        Fonction.AGENT_ACTION_SOCIALE,
    ),
    (("partenaire",), Fonction.PARTENAIRE),
]


def map_fonction(typed: str) -> tuple[str, str]:
    """Return (code, text kept as typed). A code typed as such is taken as it is.

    "Conseillère municipale" -> ("conseiller_municipal", "Conseillère municipale");
    anything unknown -> ("autre", typed).
    """
    typed = (typed or "").strip()
    if typed in Fonction.values:
        return typed, ""
    folded = f" {fold(typed)} "
    for words, code in PATTERNS:
        if any(f" {word} " in folded for word in words):
            return code, typed
    # Labels of the list itself ("Maire adjoint(e) / adjoint(e) au maire") fold to known words above.
    return Fonction.AUTRE, typed

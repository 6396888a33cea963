"""Fonctions of registrants: typed text (imports, the API, "autre") mapped to the API codes.

A fonction printed on a badge, an attendance sheet or an attestation, and counted among the
élus in the year report, must not be a guess: a typed text becomes a code only when it starts
with a whole expression that names that fonction (« Adjoint au maire délégué aux solidarités »,
« 1ère adjointe », « Directrice du CCAS de Bondy »). A single word shared with another meaning
(« Adjoint administratif », an agent's grade; « Conseiller numérique France Services »;
« Président de l'association … ») is not enough: such a text is kept as typed under « Autre ».
Whatever the code, the typed text is kept beside it (`fonction_text`) and shown where it says
more than the label (`typed_fonction`).
"""

import re

from seminars.models import Fonction
from tenants.matching import fold

# Feminine endings written apart, « Conseiller(ère) », « Directeur(trice) », « Adjoint(e) »:
# once folded they are words of their own, dropped so that both forms read the same.
GENDER_ENDINGS = {"e", "ere", "trice", "euse"}
# Civilities and articles people put in front: « Madame la maire », « M. le 1er adjoint ».
LEADING_WORDS = {"madame", "monsieur", "mme", "mlle", "m", "mr", "le", "la", "l"}
# After an expression, these words change what it names (« DGS adjoint » is the DGA, « Maire
# honoraire » no longer holds the office): not confident, kept as « Autre ».
NOT_CONFIDENT_AFTER = {"adjoint", "adjointe", "adjoints", "honoraire", "suppleant", "suppleante"}

ORDINAL = (
    r"(?:1er|1ere|1re|premier|premiere|\d{1,2}(?:e|eme|me)|second|seconde|deuxieme|"
    r"troisieme|quatrieme|cinquieme|sixieme|septieme|huitieme|neuvieme|dixieme)"
)
# « du CCAS », « de CCAS », « CCAS », and the CIAS of an intercommunality.
OF_CCAS = r"(?:du |de |de la )?(?:ccas|cias)"
# The CCAS's board, named in full: « Président du conseil d'administration ».
OF_BOARD = r"du conseil d administration"

# The policy areas an élu's delegation names after « adjoint(e) aux / à la / au / à l' »
# (« Adjointe aux affaires sociales », « Adjoint à l'action sociale »), by their first words once
# folded. An agent's grade never reads so (« Adjoint administratif », « Adjoint d'animation »,
# « Adjoint technique », « Adjoint du patrimoine »), but a deputy on the staff does (« Adjointe
# au directeur du CCAS », « Adjoint à la responsable du pôle »): hence areas, never any word.
POLICY_AREA = (
    r"(?:affaires|(?:action|aide|cohesion) sociale|social|lien social|solidarites?|insertion"
    r"|inclusion|emploi|precarite|seniors?|aines|personnes (?:agees|handicapees|en situation)"
    r"|handicap|autonomie|grand age|sante|logement|habitat|familles?|petite enfance|enfance"
    r"|jeunesse|education|vie (?:scolaire|associative|des quartiers)|quartiers"
    r"|politique de la ville|citoyennete|democratie|egalite|prevention|securite|tranquillite"
    r"|accessibilite|intergenerationnel|ccas|cias|culture|sports?|finances|budget|urbanisme"
    r"|travaux|environnement|transition|developpement|commerce|economie|transports?"
    r"|mobilites?|etat civil)"
)

# Checked in order, each against the start of the normalised text (`_normalise`), followed by
# its end or a space: the more specific first (« vice-président » before « président »,
# « maire adjoint » before « maire »).
RULES: list[tuple[str, str]] = [
    (Fonction.VICE_PRESIDENT_CCAS, rf"(?:vice presidente?|vp) (?:{OF_CCAS}|{OF_BOARD})"),
    (Fonction.PRESIDENT_CCAS, rf"presidente? (?:{OF_CCAS}|{OF_BOARD})"),
    (Fonction.DGS, r"dgs|directeur general des services|directrice generale des services"),
    (Fonction.DIRECTEUR_CCAS, rf"(?:directeur|directrice) {OF_CCAS}"),
    (
        Fonction.MAIRE_ADJOINT,
        rf"(?:{ORDINAL} )?adjointe? (?:au|du) maire"
        rf"|(?:{ORDINAL} )?maire adjointe?"
        rf"|{ORDINAL} adjointe?"
        r"|adjointe? deleguee?"
        # An élu's delegation: « Adjointe aux solidarités », « Adjoint chargé des seniors »,
        # « Adjointe en charge de la santé » (not « Adjoint chargé de mission », a staff post).
        rf"|adjointe? (?:aux|au|a la|a l) {POLICY_AREA}"
        r"|adjointe? (?:chargee?|en charge)(?! de mission)"
        # « Adjoint » alone, the whole text: in a list of élus, the maire's adjoint. With more
        # words (« Adjoint administratif », « Adjoint technique ») it is an agent's grade.
        r"|adjointe?$",
    ),
    (
        Fonction.CONSEILLER_MUNICIPAL,
        r"(?:conseiller|conseillere) (?:municipal|municipale)|membre du conseil municipal",
    ),
    (Fonction.MAIRE, r"maire"),
    (
        Fonction.MEMBRE_CA,
        rf"membre (?:du )?ca|membre {OF_BOARD}|(?:administrateur|administratrice) {OF_CCAS}",
    ),
    (Fonction.CHARGE_MISSION, r"(?:charge|chargee) de mission"),
    (
        Fonction.AGENT_ACTION_SOCIALE,
        r"(?:agente?|responsable|cheffe?) (?:de |du |d )?(?:l )?(?:(?:pole|service|direction) )?"
        r"(?:de |du |d )?(?:l )?action sociale"
        rf"|agente? {OF_CCAS}"
        r"|(?:travailleur|travailleuse) (?:social|sociale)"
        r"|(?:assistant|assistante) (?:social|sociale|de service social)"
        r"|(?:conseiller|conseillere) en economie sociale et familiale|cesf",
    ),
    (Fonction.PARTENAIRE, r"partenaire"),
]
COMPILED = [(code, re.compile(rf"(?:{pattern})(?: (?P<rest>.*))?$")) for code, pattern in RULES]


def _normalise(text: str) -> str:
    """Folded (case, accents, punctuation), feminine endings written apart and leading
    civilities dropped: « Madame la Vice-présidente du CCAS » -> « vice president du ccas »."""
    words = [word for word in fold(text).split() if word not in GENDER_ENDINGS]
    while len(words) > 1 and words[0] in LEADING_WORDS:
        words.pop(0)
    return " ".join(words)


LABELS = {_normalise(label): code for code, label in Fonction.choices}


def map_fonction(typed: str) -> tuple[str, str]:
    """Return (code, text kept as typed). A code typed as such is taken as it is.

    "Conseillère municipale" -> ("conseiller_municipal", "Conseillère municipale");
    "Adjoint administratif", or anything else not named by a whole expression,
    -> ("autre", typed).
    """
    typed = (typed or "").strip()
    if typed in Fonction.values:
        return typed, ""
    text = _normalise(typed)
    if text in LABELS:  # a label of the list itself, « Maire adjoint(e) / adjoint(e) au maire »
        return LABELS[text], typed
    for code, pattern in COMPILED:
        found = pattern.match(text)
        if found is None:
            continue
        rest = (found["rest"] or "").split()
        if rest and rest[0] in NOT_CONFIDENT_AFTER:
            break
        return code, typed
    return Fonction.AUTRE, typed


def typed_fonction(registration) -> str:
    """The text typed for a fonction that was mapped to a code, when it is not the code's label
    itself: shown beside the label (« Maire adjoint(e)… — saisi : 1er adjoint ») so that the
    organiser can check it. Empty for « Autre », whose label is the typed text already."""
    text = (registration.fonction_text or "").strip()
    return text if says_more_than_label(text, registration.fonction) else ""


def says_more_than_label(text: str, code: str) -> bool:
    """Whether `text`, typed for the fonction `code`, is worth showing beside its label: not
    empty, not « Autre » (whose label is the text) and not the label itself."""
    if not text.strip() or code == Fonction.AUTRE or code not in Fonction.values:
        return False
    return _normalise(text) != _normalise(Fonction(code).label)

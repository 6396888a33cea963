"""French names of members: "CCAS de Bondy", "CCAS d'Aubervilliers", "CCAS du Blanc-Mesnil"; of
homonym communes in a list: "Saint-Denis (93)", "Saint-Denis (974)"; and of a person as her team
reads it: "Prénom Nom", else her address."""

import unicodedata
from collections import Counter

VOWELS = set("AEIOUYŒÆ")
# Communes whose initial h is mute ("d'Hendaye"). Elsewhere an initial h is taken as aspirated
# ("de Haguenau", "de Houilles"): a wrong "de" reads better than a wrong "d'". A member whose
# name is still wrong gets it typed at onboarding or corrected in the administration.
MUTE_H = {
    "harfleur",
    "hazebrouck",
    "hendaye",
    "hennebont",
    "herblay-sur-seine",
    "herouville-saint-clair",
    "henin-beaumont",
    "hyeres",
}


def _base_letters(text: str) -> str:
    """'Épinay' -> 'Epinay': accents dropped, case kept."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _elides(name: str) -> bool:
    plain = _base_letters(name)
    first = plain[:1].upper()
    if first == "H":
        return plain.lower() in MUTE_H
    return first in VOWELS


def of_place(name: str) -> str:
    """The place name after "de", as French writes it.

    "Bondy" -> "de Bondy", "Aubervilliers" -> "d'Aubervilliers", "Le Blanc-Mesnil" -> "du
    Blanc-Mesnil", "Les Lilas" -> "des Lilas"; "La Courneuve" and "L'Île-Saint-Denis" keep "de".
    """
    name = name.strip()
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name.startswith(("La ", "L'", "L’")):
        return "de " + name
    if _elides(name):
        return "d'" + name
    return "de " + name


def at_place(name: str) -> str:
    """The place name after "à", as French writes it (never elided, but contracted).

    "Bondy" -> "à Bondy", "Aubervilliers" -> "à Aubervilliers", "Le Blanc-Mesnil" -> "au
    Blanc-Mesnil", "Les Lilas" -> "aux Lilas"; "La Courneuve" and "L'Île-Saint-Denis" keep "à".
    """
    name = name.strip()
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return "à " + name


# Names of bodies that say which word leads them, and its gender: « le CCAS de Bondy », « le
# CIAS Est Ensemble », « le Centre communal d'action sociale de… ».
MASCULINE_HEADS = ("CCAS ", "CIAS ", "Centre ")


def of_body(name: str) -> str:
    """A member's (or the union's) name after « de », with its article: « du CCAS de Bagnolet »,
    « du CIAS Est Ensemble », « de l'UDCCAS de Seine-Saint-Denis », « des Restos… » (a name
    that starts with its article contracts it, as of_place does); any other name starting with
    a consonant keeps a bare « de », its gender being unknown (« de Maison des solidarités »
    reads better than a wrong « du »)."""
    name = name.strip()
    if name.startswith(MASCULINE_HEADS):
        return "du " + name
    if name.startswith(("Le ", "Les ", "La ", "L'", "L’")):
        return of_place(name)
    return f"de l'{name}" if _elides(name) else f"de {name}"


def the_body(name: str, *, capital: bool = False) -> str:
    """A member's name as a subject or an object, with its article when its head word gives
    the gender (of_body): « le CCAS de Bondy », « Le CCAS de Bondy a rejoint… »;
    any other name bare."""
    name = name.strip()
    if not name.startswith(MASCULINE_HEADS):
        return name
    return ("Le " if capital else "le ") + name


def at_body(name: str) -> str:
    """A member's (or the union's) name after « à », as of_body: « au CCAS de Bagnolet »,
    « à l'UDCCAS de Seine-Saint-Denis », « aux Restos… », « à Maison des solidarités »."""
    name = name.strip()
    if name.startswith(MASCULINE_HEADS):
        return "au " + name
    if name.startswith(("Le ", "Les ", "La ", "L'", "L’")):
        return at_place(name)
    return f"à l'{name}" if _elides(name) else f"à {name}"


def ccas_name(commune_name: str) -> str:
    """The usual name of a commune's CCAS: "CCAS de Bondy", "CCAS d'Épinay-sur-Seine"."""
    return f"CCAS {of_place(commune_name)}"


def distinct_commune_labels(communes) -> dict[str, str]:
    """INSEE code -> how a list of `communes` (Commune rows, or anything with code, nom and
    departement_id) names each so that no two rows read alike: the name alone when no other
    carries it, with its département when another does (« Saint-Denis (93) », « Saint-Denis
    (974) »), with its INSEE code when the département is shared too (a former commune kept
    beside the one that absorbed it)."""
    communes = {commune.code: commune for commune in communes}.values()
    names = Counter(commune.nom for commune in communes)
    placed = Counter((commune.nom, commune.departement_id) for commune in communes)
    labels = {}
    for commune in communes:
        if names[commune.nom] == 1:
            labels[commune.code] = commune.nom
        elif placed[(commune.nom, commune.departement_id)] == 1:
            labels[commune.code] = f"{commune.nom} ({commune.departement_id})"
        else:
            labels[commune.code] = f"{commune.nom} ({commune.code})"
    return labels


def person_name(user) -> str:
    """ "Prénom Nom" when the person gave it (« Mon compte »), else her e-mail address."""
    return user.get_full_name() or user.email

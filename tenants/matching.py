"""The commune-name matcher used by every import and form.

Organisers type commune names by hand: capitals, no accents or hyphens, "St" for "Saint",
"(Le)" at the end, typos. A typed name (or an INSEE code) plus an optional département or région
code or name as a hint (read by `read_area`) gives one of:
- matched: one official commune (names compared once folded, former names of merged communes too;
  the INSEE code of a former commune leads to the commune it joined; a municipal arrondissement,
  by name « Paris 15e » or code, to its city; a postal code to the one commune that has it, and
  « 93140 Bondy » is read as both);
- ambiguous: several communes carry that name and the hint does not pick one;
- unknown: nothing carries that name; the closest names, former ones included, are suggested
  (rapidfuzz), those of the hinted département first when their spelling is close.

What people add or leave out around the name (session 26):
- « Cedex » and its number are dropped wherever they stand (« BOBIGNY CEDEX 9 »);
- a département code beside the name (« Bondy (93) », « Villemomble, 93 », « montreuil
  93 ») is the hint, and wins over the hint given with it: it was written for this commune,
  the hint is often a form's or a union's default (« Saint-Denis (974) » in a list of the
  93). « Paris 15 », « Marseille 13 » stay arrondissements;
- « 20 » (Corsica's number before 1976, still its postal codes' start) names both Corsican
  départements, « 97 » every overseas one (GROUPED_DEPARTEMENTS), as a hint or beside the name
  (« Ajaccio (20) »); a département or région named without its article or after « Île de »
  (« Réunion », « Ile de la Réunion ») is La Réunion (session 37);
- « X/Y » reads « X sur Y » (« Neuilly/Marne »), as « s/ » did;
- an official name's leading article may be left out (« Blanc-Mesnil », « Ile St Denis »):
  matched when one commune only (one of the hinted area, when there is a hint) has that name
  after its article;
- a name with words added after it (« Montreuil-sous-Bois », the long name Montreuil is still
  called by): the communes of the hinted département whose whole name starts the typed words
  are suggested first, flagged, never matched (« Saint-Denis-de-la-Réunion » in a list of the
  93 is not Saint-Denis).
"""

import json
import re
import threading
import time
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from rapidfuzz import fuzz, process

ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes", "s/": "sur"}
TRAILING_ARTICLE = re.compile(r"^(?P<name>.*?)\s*\((?P<article>l'|le|la|les)\)\s*$", re.IGNORECASE)
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
# « 93140 Bondy », « BONDY (93140) », « Bondy 93140 »: a postal or INSEE code beside the name.
NAME_WITH_CODE = re.compile(
    r"^\(?(?P<before>\d{5}|2[AB]\d{3})\)?[\s,-]+(?P<name>\D.*?)$"
    r"|^(?P<name_first>.*?\D)[\s,-]+\(?(?P<after>\d{5}|2[AB]\d{3})\)?$",
    re.IGNORECASE,
)
# A municipal arrondissement once folded: « paris 15e », « marseille 1er arrondissement »,
# « lyon 7eme arr », « paris xve ».
ARRONDISSEMENT_NAME = re.compile(
    r"^(?P<city>[a-z ]+?) (?P<number>\d{1,2}|[ivx]{1,5}) ?(?:er|ere|e|eme|ieme)?"
    r"(?: arrondissement| arr)?$"
)
# A département or région code inside a hint: "93", "2A", "971", "1" (a spreadsheet dropped the 0).
AREA_CODE = re.compile(r"(?<![0-9A-Za-z])(\d{1,3}|2[AB])(?![0-9A-Za-z])", re.IGNORECASE)
LEVELS = ("departement", "region")
SUGGESTION_COUNT = 5
# _similarity's parts, which _closest relies on to pick the names worth scoring with it: the
# lowest score suggested, the weight of the words-in-any-order score, the shortest typed start
# of a name that scores as that name.
SUGGESTION_CUTOFF = 60
WORD_ORDER_WEIGHT = 0.95
NAME_START_MIN_LENGTH = 4
INDEX_TTL_SECONDS = 600
# « AULNAY S/S BOIS »: « s/s » is « sous » (« s/ » alone is « sur »).
SOUS = re.compile(r"(?<![a-z0-9])s/s(?![a-z0-9])")
# « Neuilly s/ Marne », « Neuilly-s/-Marne »: « s/ » as a word of its own is « sur »…
SUR = re.compile(r"(?<![a-z0-9])s/")
# …and so is a slash between two words, « Neuilly/Marne », « Champs/Marne » (Champs-sur-Marne).
SLASH_BETWEEN_WORDS = re.compile(r"(?<=[a-z])/(?=[a-z])")
# « Neuillys/Marne »: « Neuilly s/Marne » with its space forgotten. Read so only when the name
# as typed matches nothing, since « Champs/Marne » is Champs-sur-Marne, its « s » its own.
GLUED_SUR = re.compile(r"(?<=[^\W\d_])s/(?=\s*[^\W\d_])", re.IGNORECASE)
# « BOBIGNY CEDEX 9 », « Aubervilliers Cedex »: a postal mention, never part of a name. A number
# of one or two digits after it is the CEDEX's (« cedex 93000 » keeps its postal code).
CEDEX = re.compile(r"(?<![0-9A-Za-z])cedex(?:\s*\d{1,2}(?!\d))?(?![0-9A-Za-z])", re.IGNORECASE)
# A département code beside the name: « Bondy (93) », « Villemomble, 93 », « montreuil 93 »,
# « 93 - Bondy ». Only a known département's code is read so (see CommuneIndex._split_departement).
DEPARTEMENT_CODE = r"(?:\d{2,3}|2[AB])"
NAME_WITH_DEPARTEMENT = re.compile(
    rf"^(?P<name>.*?[^\W\d_])[\s,;/-]*\(?\s*(?P<after>{DEPARTEMENT_CODE})\s*\)?[\s.]*$"
    rf"|^\(?\s*(?P<before>{DEPARTEMENT_CODE})\s*\)?[\s,;/-]*(?P<name_after>[^\W\d_].*)$",
    re.IGNORECASE,
)
# Codes people write for several départements at once: « 20 », Corsica's number until 1976 and
# still the start of its postal codes (2A, 2B); « 97 », the start of every overseas code and
# postal code (971 Guadeloupe … 976 Mayotte, and Saint-Pierre-et-Miquelon, Saint-Barthélemy,
# Saint-Martin, whose postal codes start 975, 971). A hint, never a région.
GROUPED_DEPARTEMENTS = {
    "20": ("2A", "2B"),
    "97": ("971", "972", "973", "974", "975", "976", "977", "978"),
}
# « Île de la Réunion », « Ile de Mayotte »: an island's name, once folded.
ISLAND = re.compile(r"^ile d(?:e)? ")
# The words an official name may start with and people leave out: « Le Blanc-Mesnil », « L'Île-
# Saint-Denis » (« l » once folded).
ARTICLES = ("le", "la", "les", "l")
# How close (rapidfuzz ratio) a typed name must be to the start of a name of the hinted
# département for that commune to be suggested first: a letter missed or doubled.
CLOSE_START = 90
# How many communes' names must start with a word for it to be a common start (« saint »: about
# 4,000; « bourget », of Le Bourget-du-Lac alone, is not one).
COMMON_START = 5


def fold(text: str) -> str:
    """Fold a commune name to a key: lower case, no accents, abbreviations expanded, single spaces."""
    text = text.strip()
    article = TRAILING_ARTICLE.match(text)
    if article:  # "PRE SAINT GERVAIS (LE)" -> "LE PRE SAINT GERVAIS"
        text = f"{article['article']} {article['name']}"
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = SOUS.sub(" sous ", text)
    text = SLASH_BETWEEN_WORDS.sub(" s/ ", SUR.sub(" s/ ", text))
    words = re.split(r"[^a-z0-9/]+", text)
    return " ".join(ABBREVIATIONS.get(word, word) for word in words if word and word != "/")


def compact(key: str) -> str:
    """Spaces removed too: "saintdenis", "saint denis" and "Saint-Denis" meet here."""
    return key.replace(" ", "")


@dataclass(frozen=True)
class CommuneRef:
    code: str
    nom: str
    departement: str
    region: str
    population: int


@dataclass(frozen=True)
class Area:
    """What a hint names: a département or a région. `level` is None for a bare code that is
    both ("93": Seine-Saint-Denis and Provence-Alpes-Côte d'Azur); the département wins then."""

    code: str
    level: str | None = None  # "departement" | "region" | None


class UnknownArea(ValueError):
    """A hint that names no département or région; the message is French, for the person."""

    def __init__(self, what: str, typed: str):
        self.what, self.typed = what, typed
        super().__init__(self.sentence())

    def sentence(self, field: str = "") -> str:
        """The message; `field` names the request's field it came in (« (champ hint) »), where
        a form shows it beside the field itself."""
        where = f" (champ {field})" if field else ""
        return (
            f"{self.what}{where} : « {self.typed} ». Indiquez un code (93, 2A, 11) ou un nom "
            "(Seine-Saint-Denis, Île-de-France)."
        )


@dataclass
class Candidate:
    commune: CommuneRef
    score: float

    def as_dict(self) -> dict:
        return {
            "code": self.commune.code,
            "nom": self.commune.nom,
            "departement": self.commune.departement,
            "population": self.commune.population,
            "score": round(self.score, 3),
        }


@dataclass
class MatchResult:
    status: str  # "matched" | "ambiguous" | "unknown"
    typed: str
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def commune(self) -> CommuneRef | None:
        return self.candidates[0].commune if self.status == "matched" else None

    @property
    def suggestions(self) -> list[CommuneRef]:
        return [candidate.commune for candidate in self.candidates]

    def as_dict(self) -> dict:
        return {"status": self.status, "results": [c.as_dict() for c in self.candidates]}


class CommuneIndex:
    """Folded names of every current commune and former name, held in memory (about 37,000)."""

    def __init__(
        self,
        communes: list[CommuneRef],
        aliases: list[tuple[str, str]],
        areas: list[tuple[str, str, str]] = (),
        cog_codes: "CogCodes | None" = None,
    ):
        """`areas`: (code, name, level) of each département and région, for hints;
        `cog_codes`: the other codes that lead to a current commune (former communes,
        arrondissements, postal codes)."""
        self.by_code = {commune.code: commune for commune in communes}
        self.by_key: dict[str, list[str]] = {}
        for commune in communes:
            self.by_key.setdefault(compact(fold(commune.nom)), []).append(commune.code)
        self.alias_by_key: dict[str, list[str]] = {}
        for alias_name, code in aliases:
            self.alias_by_key.setdefault(compact(fold(alias_name)), []).append(code)
        cog_codes = cog_codes or CogCodes()
        self.former_codes = {
            old: new
            for old, new in cog_codes.former.items()
            if new in self.by_code and old not in self.by_code
        }
        self.arrondissement_codes = cog_codes.arrondissements
        self.arrondissement_cities = cog_codes.arrondissement_cities
        self.postal_codes = cog_codes.postal
        # Fuzzy search runs on spaced keys so that token-based scorers see words.
        self.choices = {commune.code: fold(commune.nom) for commune in communes}
        # Former names (a position -> its folded name), each leading to its current commune.
        live_aliases = [(fold(name), code) for name, code in aliases if code in self.by_code]
        self.alias_choices = {position: name for position, (name, _) in enumerate(live_aliases)}
        self.alias_codes = [code for _, code in live_aliases]
        self.codes_by_departement: dict[str, list[str]] = {}
        # Every name, current or former, of each département: (folded name, current code).
        self.names_by_departement: dict[str, list[tuple[str, str]]] = {}
        for commune in communes:
            self.codes_by_departement.setdefault(commune.departement, []).append(commune.code)
            self.names_by_departement.setdefault(commune.departement, []).append(
                (self.choices[commune.code], commune.code)
            )
        for name, code in live_aliases:
            departement = self.by_code[code].departement
            self.names_by_departement.setdefault(departement, []).append((name, code))
        # Names once their leading article is left out (« blanc mesnil »): the communes that
        # carry each, and, for the hinted département's start and close-spelling rules, one more
        # name of that département (« Pavillons » in the 93: Les Pavillons-sous-Bois).
        self.by_key_without_article: dict[str, list[str]] = {}
        for names in self.names_by_departement.values():
            for name, code in list(names):
                without = _without_article(name)
                if without:
                    self.by_key_without_article.setdefault(compact(without), []).append(code)
                    names.append((without, code))
        # (département, compact name) -> the communes of that département with that name, any
        # of the above: the names a typed name may start with (« Montreuil-sous-Bois »).
        # And the starts, in whole words, of those names: « saint » in the Morbihan, where Le
        # Saint must not come first for every « Saint-… » misspelt (see _name_starts_…).
        self.codes_by_departement_key: dict[tuple[str, str], set[str]] = {}
        self.departement_name_starts: set[tuple[str, str]] = set()
        communes_by_start: dict[str, set[str]] = {}
        for departement, names in self.names_by_departement.items():
            for name, code in names:
                key = (departement, compact(name))
                self.codes_by_departement_key.setdefault(key, set()).add(code)
                words = name.split()
                for end in range(1, len(words)):
                    start = compact(" ".join(words[:end]))
                    self.departement_name_starts.add((departement, start))
                    communes_by_start.setdefault(start, set()).add(code)
        # The starts many names share in France (« saint », « mesnil », « ferte »): typed
        # alone, such a word is a name cut short, not the one commune that carries it after
        # its article (« Saint » is not Le Saint, in the Morbihan).
        self.common_name_starts = {
            start for start, codes in communes_by_start.items() if len(codes) >= COMMON_START
        }
        self.area_codes: dict[str, set[str]] = {"departement": set(), "region": set()}
        self.areas_by_name: dict[str, list[Area]] = {}
        # Départements first: La Réunion is département 974 and région 04, either will do.
        areas = sorted(areas, key=lambda area: area[2] != "departement")
        for code, name, level in areas:
            self.area_codes[level].add(code)
            self.areas_by_name.setdefault(compact(fold(name)), []).append(Area(code, level))
        # And without its article (« Réunion »), unless another area carries that name.
        without_article: dict[str, list[Area]] = {}
        for code, name, level in areas:
            short = compact(_without_article(fold(name)))
            if short and short not in self.areas_by_name:
                without_article.setdefault(short, []).append(Area(code, level))
        self.areas_by_name.update(without_article)

    @classmethod
    def from_database(cls) -> "CommuneIndex":
        from tenants.models import Commune, CommuneAlias, Departement, Region

        # Current communes only: a former one (merged, flagged by import_cog) left in the
        # table would win its own code and name, which must lead to the commune that absorbed
        # it (the former codes of the COG package, the CommuneAlias rows).
        communes = [
            CommuneRef(code, nom, departement, region, population)
            for code, nom, departement, region, population in Commune.objects.filter(
                current=True
            ).values_list("code", "nom", "departement_id", "region_id", "population")
        ]
        aliases = list(CommuneAlias.objects.values_list("nom", "commune_id"))
        areas = [
            (code, nom, level)
            for model, level in ((Departement, "departement"), (Region, "region"))
            for code, nom in model.objects.values_list("code", "nom")
        ]
        return cls(communes, aliases, areas, read_cog_codes())

    def read_area(self, text: str | None, level: str | None = None) -> Area | None:
        """The area a hint names, as organisers type it: a code ("93", "2A", "1" for "01"), a
        name ("Seine St Denis", "Île-de-France") or both ("93 - Seine-Saint-Denis", "Aude (11)").
        A name says its level; `level` (the column it was typed in) says a bare code's.
        None for an empty hint; UnknownArea for a hint that names nothing."""
        text = (text or "").strip()
        if not text:
            return None
        name = fold(AREA_CODE.sub(" ", text))  # the words, without any code
        named = self._areas_named(name)
        if named:
            return next((area for area in named if area.level == level), named[0])
        codes = AREA_CODE.findall(text)
        if len(codes) == 1 and not name:
            code = codes[0].upper().zfill(2)
            if code in GROUPED_DEPARTEMENTS and level != "region":
                return Area(code, "departement")  # « 20 »: 2A or 2B, as _in_area reads it
            if any(code in self.area_codes[tried] for tried in ([level] if level else LEVELS)):
                return Area(code, level)
        what = {"departement": "Département inconnu", "region": "Région inconnue"}.get(
            level, "Département ou région inconnu"
        )
        raise UnknownArea(what, text)

    def _areas_named(self, folded: str) -> list[Area]:
        """The areas a folded name names: as typed (« la reunion », « reunion »), after
        « Île de » (« ile de la reunion », not « ile de france », a name of its own), or that
        without its article (« ile de la martinique »)."""
        island = ISLAND.sub("", folded)
        for key in (folded, island, _without_article(island)):
            if key and (found := self.areas_by_name.get(compact(key))):
                return found
        return []

    def match(self, typed: str, hint: str | None = None, level: str | None = None) -> MatchResult:
        """`level` ("departement" or "region") says what the hint is; without it, either
        (a code such as "93" is both), the département first. The result keeps the text as
        typed, « Cedex » included: it is what the person wrote, shown back to them."""
        typed = (typed or "").strip()
        cleaned = _without_cedex(typed)
        if not cleaned:
            return MatchResult("unknown", typed)
        result = self._match(cleaned, hint, level)
        return MatchResult(result.status, typed, result.candidates)

    def _match(self, typed: str, hint: str | None, level: str | None) -> MatchResult:
        if INSEE_CODE.match(typed):
            communes = self.communes_of_code(typed.upper())
            if len(communes) == 1:
                return MatchResult("matched", typed, [Candidate(communes[0], 1.0)])
            if communes:  # a postal code several communes share
                return self._decide(typed, communes, hint, level)
        with_code = NAME_WITH_CODE.match(typed)
        if with_code:
            return self._match_name_with_code(with_code, hint, level)
        folded = fold(typed)
        city = self._city_of_arrondissement(folded)
        if city is not None:
            return MatchResult("matched", typed, [Candidate(city, 1.0)])
        with_departement = self._split_departement(typed)
        if with_departement is not None:
            name, departement = with_departement
            return self._match(name, departement, "departement")
        key = compact(folded)
        exact_codes = self.by_key.get(key) or self.alias_by_key.get(key) or []
        exact = [self.by_code[code] for code in dict.fromkeys(exact_codes) if code in self.by_code]
        without_article = self._communes_without_article(key)
        if hint and not any(_in_area(commune, hint, level) for commune in exact):
            # People drop the end of long names: "ST OUEN" in the 93 is Saint-Ouen-sur-Seine even
            # though a "Saint-Ouen" exists elsewhere; only when the start picks one commune there.
            shortened = self._unique_name_start_in_departement(folded, hint)
            if shortened is not None:
                return MatchResult("matched", typed, [Candidate(shortened, 0.95)])
            # Or its article: « Bourget » in the 93 is Le Bourget.
            in_hint = _one_in_area(without_article, hint, level)
            if in_hint is not None:
                return MatchResult("matched", typed, [Candidate(in_hint, 0.95)])
        if exact:
            return self._decide(typed, exact, hint, level)
        if without_article:
            return self._decide_without_article(typed, without_article, hint, level)
        if GLUED_SUR.search(typed):
            unglued = self._match(GLUED_SUR.sub(" s/ ", typed), hint, level)
            if unglued.status == "matched":
                return MatchResult("matched", typed, unglued.candidates)
        return MatchResult("unknown", typed, self._suggest(folded, hint, level))

    def _split_departement(self, typed: str) -> tuple[str, str] | None:
        """The name and the département code typed beside it (« Bondy (93) », « 93 - Bondy »),
        or None: no code there, or one that is no département's (« Bondy 12345 » is a postal
        code's business, « Paris 15 » an arrondissement's, read before)."""
        found = NAME_WITH_DEPARTEMENT.match(typed)
        if found is None:
            return None
        code = (found["after"] or found["before"]).upper()
        if code not in self.area_codes["departement"] and code not in GROUPED_DEPARTEMENTS:
            return None
        return (found["name"] or found["name_after"]).strip(), code

    def _communes_without_article(self, key: str) -> list[CommuneRef]:
        """The communes whose name, current or former, is the typed one once its leading
        article is left out (« blanc mesnil »: Le Blanc-Mesnil)."""
        codes = dict.fromkeys(self.by_key_without_article.get(key, ()))
        if len(codes) == 1 and key in self.common_name_starts:
            return []  # « Saint », cut short: not Le Saint (several: ambiguous, as homonyms)
        return [self.by_code[code] for code in codes]

    def _decide_without_article(
        self, typed: str, communes: list[CommuneRef], hint: str | None, level: str | None
    ) -> MatchResult:
        """A name typed without its article, which no commune carries as typed. Matched when
        one commune of France has it after its article, without a hint (with one, the commune
        of the hinted area was matched before): « Blanc-Mesnil ». Several: ambiguous, as for
        homonyms. One, but outside the hinted area: a guess, first of the suggestions."""
        if len(communes) == 1 and not hint:
            return MatchResult("matched", typed, [Candidate(communes[0], 0.95)])
        if len(communes) > 1:
            return self._decide(typed, communes, hint, level)
        return MatchResult("unknown", typed, self._suggest(fold(typed), hint, level, communes))

    def communes_of_postal_code(self, code: str) -> list[CommuneRef]:
        """The current communes that have the postal code `code` (several may share one)."""
        return [self.by_code[c] for c in self.postal_codes.get(code, ()) if c in self.by_code]

    def communes_of_code(self, code: str) -> list[CommuneRef]:
        """The communes a five-character code leads to, in this order: a current commune's INSEE
        code; a municipal arrondissement's (75115: Paris); a former commune's that joined one of
        the same département (« 93059 », Pierrefitte-sur-Seine, part of Saint-Denis since 2025),
        with the communes whose postal code it also is; a postal code, which several communes
        may share; last, a code a département's reorganisation retired (1968 in Île-de-France:
        « 75015 » was Bry-sur-Marne's, and is Paris 15e's postal code, typed far more often)."""
        for found in (code, self.arrondissement_codes.get(code, "")):
            if found in self.by_code:
                return [self.by_code[found]]
        former = self.former_codes.get(code, "")
        postal = self.communes_of_postal_code(code)
        if former[:2] == code[:2] and former in self.by_code:
            # Also a postal code (« 01150 »): both readings are offered, the former first.
            return list(dict.fromkeys([self.by_code[former], *postal]))
        if postal:
            return postal
        return [self.by_code[former]] if former in self.by_code else []

    def _match_name_with_code(self, found: re.Match, hint: str | None, level: str | None):
        """« 93140 Bondy »: the name decides, the code picks among communes of that name (or
        stands alone when the name is misspelt and the code names one commune)."""
        typed = found.string
        name = found["name"] or found["name_first"]
        by_code = self.communes_of_code((found["before"] or found["after"]).upper())
        by_name = self.match(name, hint, level)
        if by_name.status == "matched":
            return MatchResult("matched", typed, by_name.candidates)
        among = [c for c in by_name.suggestions if c in by_code]
        if len(among) == 1 or (not among and len(by_code) == 1):
            return MatchResult("matched", typed, [Candidate((among or by_code)[0], 0.95)])
        if by_name.status == "ambiguous":
            return MatchResult("ambiguous", typed, by_name.candidates)
        close = [Candidate(c, 0.9) for c in by_code if c not in by_name.suggestions]
        return MatchResult("unknown", typed, (by_name.candidates + close)[:SUGGESTION_COUNT])

    def _city_of_arrondissement(self, folded: str) -> CommuneRef | None:
        """Paris, Marseille or Lyon for « Paris 15e », « Marseille 1er arrondissement »: their
        CCAS (the CASVP in Paris) is the city's, one for all its arrondissements."""
        found = ARRONDISSEMENT_NAME.match(folded)
        if found is None:
            return None
        return self.by_code.get(self.arrondissement_cities.get(found["city"], ""))

    def _unique_name_start_in_departement(self, folded: str, hint: str) -> CommuneRef | None:
        """The only commune of the hinted département whose name, current or former, starts
        with the typed words (« Pierrefitte » in the 93: Pierrefitte-sur-Seine, now part of
        Saint-Denis, though four Pierrefitte exist elsewhere).

        A département only, never a région: every région code is also a département's ("93" is
        Seine-Saint-Denis and Provence-Alpes-Côte d'Azur), and among a région's hundreds of
        communes a name's start picks one too easily ("Fontaine", a commune of the Isère, of the
        Aube and of the Territoire de Belfort, became Fontaine-de-Vaucluse)."""
        if len(folded) < 4:
            return None
        names = self._departement_names(hint)
        found = {code for name, code in names if name.startswith(folded + " ")}
        return self.by_code[found.pop()] if len(found) == 1 else None

    def _name_starts_in_departement(
        self, folded: str, hint: str | None, level: str | None
    ) -> set[str]:
        """The communes of the hinted département (a département only, as above) whose whole
        name, current, former or without its article, starts the typed words, other words
        following: « montreuil sous bois » starts with « montreuil », Montreuil (93048).

        Not a name that also starts other names of the département: the words after it may be
        the rest of one of those, misspelt (« Saint-Avee » in the Morbihan is Saint-Avé, not Le
        Saint; « Mont-Saint-Vincnt » in the Saône-et-Loire, Mont-Saint-Vincent, not Mont)."""
        if not hint or level == "region":
            return set()
        words = folded.split()
        found: set[str] = set()
        for departement in hinted_departements(hint):
            for end in range(1, len(words)):
                start = (departement, compact(" ".join(words[:end])))
                if start not in self.departement_name_starts:
                    found |= self.codes_by_departement_key.get(start, set())
        return found

    def _close_name_starts_in_departement(
        self, folded: str, hint: str | None, level: str | None
    ) -> dict[str, float]:
        """The communes of the hinted département (a département only, as above) with a name,
        current or former, whose start is a close spelling of the typed words (« Pierrefite »:
        Pierrefitte-sur-Seine, now Saint-Denis), with that closeness; none when too many are
        (a common start tells nothing)."""
        if not hint or level == "region" or len(folded) < 4:
            return {}
        words = len(folded.split())
        close: dict[str, float] = {}
        for name, code in self._departement_names(hint):
            start = " ".join(name.split()[:words])
            score = fuzz.ratio(folded, start)
            if score >= CLOSE_START:
                close[code] = max(close.get(code, 0), score)
        return close if len(close) <= SUGGESTION_COUNT else {}

    def _departement_names(self, hint: str) -> list[tuple[str, str]]:
        """names_by_departement of the hinted département, or of each one « 20 » or « 97 »
        names."""
        return [
            name
            for departement in hinted_departements(hint)
            for name in self.names_by_departement.get(departement, [])
        ]

    def _decide(
        self, typed: str, exact: list[CommuneRef], hint: str | None, level: str | None
    ) -> MatchResult:
        if len(exact) == 1:
            return MatchResult("matched", typed, [Candidate(exact[0], 1.0)])
        # A hint may be a département or a région code ("11" is both): the département wins.
        for tried in (level,) if level else LEVELS:
            in_hint = [commune for commune in exact if _in_area(commune, hint, tried)]
            if len(in_hint) == 1:
                return MatchResult("matched", typed, [Candidate(in_hint[0], 1.0)])
        # Ties: communes inside the hinted area first, then the most populated.
        ordered = sorted(exact, key=lambda c: (not _in_area(c, hint, level), -c.population, c.code))
        return MatchResult("ambiguous", typed, [Candidate(c, 1.0) for c in ordered])

    def _suggest(
        self, folded: str, hint: str | None, level: str | None, guesses: list[CommuneRef] = ()
    ) -> list[Candidate]:
        """The closest names, best first. `guesses`: communes the typed name may well mean but
        that a rule would not match (a name without its article, carried outside the hinted
        area), put first."""
        scores: dict[str, float] = {}
        for _choice, score, code in _closest(folded, self.choices):
            scores[code] = max(scores.get(code, 0), score)
        # Former names lead to the commune they joined.
        for _choice, score, position in _closest(folded, self.alias_choices):
            code = self.alias_codes[position]
            scores[code] = max(scores.get(code, 0), score)
        for code, score in scores.items():
            # A commune inside the hinted area wins a tie against one outside it.
            if hint and _in_area(self.by_code[code], hint, level):
                scores[code] = score + 3
        # A close spelling of the start of a name of the hinted département scores as that
        # name's start, with the same bonus: for a union of the 93, « Pierrefite » is
        # Pierrefitte-sur-Seine (now Saint-Denis) before the Pierrefitte of the Deux-Sèvres or
        # the Vosges. Below 1, which only a name typed in full scores.
        for code, score in self._close_name_starts_in_departement(folded, hint, level).items():
            scores[code] = max(scores.get(code, 0), min(score + 3, 99))
        # A commune of the hinted département whose whole name starts the typed words comes
        # next: « Montreuil-sous-Bois » (the long name it is still called by) is Montreuil
        # for a union of the 93, before Montreuil-sous-Pérouse. Flagged, not matched:
        # « Saint-Denis-de-la-Réunion » starts with a name of the 93 too.
        for code in self._name_starts_in_departement(folded, hint, level):
            scores[code] = max(scores.get(code, 0), 98)
        for commune in guesses:  # a whole name, its article left out: first of all
            scores[commune.code] = 99
        candidates = [
            Candidate(self.by_code[code], min(score, 100) / 100) for code, score in scores.items()
        ]
        candidates.sort(key=lambda c: (-c.score, -c.commune.population))
        return candidates[:SUGGESTION_COUNT]


def _closest(folded: str, choices: dict) -> list[tuple[str, float, object]]:
    """The names of `choices` closest to `folded` by _similarity, (name, score, key) best first,
    as rapidfuzz's process.extract with that scorer gives them, without calling it on every
    name: 0.34 s for the 35,000 communes, each typo of an imported list (review of session 45).
    _similarity is the best of three scores, so its best names are among the best by
    rapidfuzz's own fuzz.ratio and fuzz.token_sort_ratio (compiled, a few milliseconds) and
    among the names that start with the typed text; only those are scored with it."""
    limit = SUGGESTION_COUNT * 4
    keys = set()
    for scorer, cutoff in (
        (fuzz.ratio, SUGGESTION_CUTOFF),
        (fuzz.token_sort_ratio, SUGGESTION_CUTOFF / WORD_ORDER_WEIGHT),
    ):
        found = process.extract(folded, choices, scorer=scorer, limit=limit, score_cutoff=cutoff)
        keys.update(key for _choice, _score, key in found)
    by_start = len(folded) >= NAME_START_MIN_LENGTH
    # One pass, in the choices' order (as process.extract ranks equal scores).
    scored = []
    for key, choice in choices.items():
        if key in keys or (by_start and choice.startswith(folded)):
            score = _similarity(folded, choice)
            if score >= SUGGESTION_CUTOFF:
                scored.append((choice, score, key))
    scored.sort(key=lambda found: -found[1])
    return scored[:limit]


def _similarity(typed: str, choice: str, **kwargs) -> float:
    """Close spellings (typos, a missing letter) and a merged commune's longer new name both score."""
    whole = fuzz.ratio(typed, choice)
    if len(typed) >= NAME_START_MIN_LENGTH and choice.startswith(typed):
        # "chemille" -> "chemille en anjou": the new commune kept the old name as its start.
        whole = max(whole, 88 + 10 * len(typed) / len(choice))
    return max(whole, WORD_ORDER_WEIGHT * fuzz.token_sort_ratio(typed, choice))


def _without_article(folded: str) -> str:
    """A folded name without its leading article (« le blanc mesnil » -> « blanc mesnil »), or
    "" when it has none."""
    article, _, rest = folded.partition(" ")
    return rest if article in ARTICLES and rest else ""


def _without_cedex(typed: str) -> str:
    """The typed text without « Cedex » and its number, and the commas or dashes that set it
    apart: « Bobigny Cedex 9 », « 93735 Bobigny, Cedex » are Bobigny's."""
    return " ".join(CEDEX.sub(" ", typed).split()).strip(" ,;-/")


def _one_in_area(
    communes: list[CommuneRef], hint: str | None, level: str | None
) -> CommuneRef | None:
    """The one commune of the hinted area among `communes` (the département first, as in
    `_decide`), or None: none or several there."""
    for tried in (level,) if level else LEVELS:
        in_hint = [commune for commune in communes if _in_area(commune, hint, tried)]
        if len(in_hint) == 1:
            return in_hint[0]
    return None


def _in_area(commune: CommuneRef, hint: str | None, level: str | None = None) -> bool:
    """Whether the commune lies in the hinted département or région (or either, without level)."""
    if not hint:
        return False
    hint = hint.strip().upper()
    in_departement = commune.departement in hinted_departements(hint)
    in_region = commune.region == hint
    if level == "departement":
        return in_departement
    if level == "region":
        return in_region
    return in_departement or in_region


def hinted_departements(hint: str) -> tuple[str, ...]:
    """The départements a hint's code names: itself, or those of « 20 » and « 97 »
    (GROUPED_DEPARTEMENTS)."""
    hint = hint.strip().upper()
    return GROUPED_DEPARTEMENTS.get(hint, (hint,))


@dataclass(frozen=True)
class CogCodes:
    """The codes, other than current INSEE codes, that lead to a current commune."""

    former: dict[str, str] = field(default_factory=dict)  # former commune's code -> current
    arrondissements: dict[str, str] = field(default_factory=dict)  # 75115 -> 75056
    arrondissement_cities: dict[str, str] = field(default_factory=dict)  # "paris" -> 75056
    postal: dict[str, list[str]] = field(default_factory=dict)  # 93140 -> [93010]


_cog_codes: tuple[tuple, CogCodes] | None = None


def read_cog_codes() -> CogCodes:
    """Read from the COG package that `import_cog` loads: former communes (`anciensCodes` of
    current communes, and the codes of delegated and associated communes), municipal
    arrondissements and postal codes (`codesPostaux`). Empty when the package is not on this
    server: those codes are then unknown. Read again only when the file changes."""
    global _cog_codes
    path = Path(settings.COG_DATA_DIR) / "package" / "data" / "communes.json"
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return CogCodes()
    if _cog_codes is not None and _cog_codes[0] == stamp:
        return _cog_codes[1]
    try:
        with open(path, encoding="utf-8") as handle:
            entries = json.load(handle)
    except (OSError, ValueError):
        return CogCodes()
    codes = CogCodes()
    for entry in entries:
        kind = entry.get("type")
        if kind == "commune-actuelle":
            for old in entry.get("anciensCodes") or []:
                codes.former.setdefault(old, entry["code"])
            for postal in entry.get("codesPostaux") or []:
                codes.postal.setdefault(postal, []).append(entry["code"])
        elif kind == "arrondissement-municipal" and entry.get("commune"):
            codes.arrondissements[entry["code"]] = entry["commune"]
            city = re.split(r" \d", fold(entry["nom"]), maxsplit=1)[0]  # « paris 15e … »
            codes.arrondissement_cities[city] = entry["commune"]
    for entry in entries:
        if entry.get("type") in ("commune-deleguee", "commune-associee") and entry.get("chefLieu"):
            codes.former.setdefault(entry["code"], entry["chefLieu"])
    _cog_codes = (stamp, codes)
    return codes


_index: CommuneIndex | None = None
_index_built_at = 0.0
_lock = threading.Lock()


def get_index() -> CommuneIndex:
    """The process-wide index, rebuilt after INDEX_TTL_SECONDS or after reset_index()."""
    global _index, _index_built_at
    with _lock:
        if _index is None or time.monotonic() - _index_built_at > INDEX_TTL_SECONDS:
            _index = CommuneIndex.from_database()
            _index_built_at = time.monotonic()
        return _index


def reset_index() -> None:
    global _index
    with _lock:
        _index = None


def match_commune(typed: str, hint: str | None = None, level: str | None = None) -> MatchResult:
    """Match a typed commune name or INSEE code against the official list; `hint` is a
    département or région code, `level` ("departement", "region") says which if it is known."""
    return get_index().match(typed, hint, level)


def read_area(text: str | None, level: str | None = None) -> Area | None:
    """The département or région a typed hint names (CommuneIndex.read_area); UnknownArea."""
    if not (text or "").strip():
        return None  # most registrations: no hint, no need for the index's lock
    return get_index().read_area(text, level)


def match_in_union(typed: str, hint: str | None = None, level: str | None = None) -> MatchResult:
    """match_commune with a hint as typed (a code or a name, read by read_area; UnknownArea if
    it names nothing), or the union's département (UNION_DEPARTEMENT) when none is given.

    That default is a département only. Its code may also be a région's ("93" is Provence-Alpes-
    Côte d'Azur's), whose communes must not win a tie: « Villeneuve », a commune of six
    départements, became the one in the Alpes-de-Haute-Provence for a union of the 93.
    """
    area = read_area(hint, level)
    if area:
        return match_commune(typed, area.code, area.level)
    return match_commune(typed, settings.UNION_DEPARTEMENT, level="departement")


def prefer_listed(result: MatchResult, listed: Collection[str]) -> MatchResult:
    """The matcher's reading of a name, for a page that offers some communes only: `listed`, their
    INSEE codes (those a member serves, those that published). The official list also knows
    homonyms and former names, which such a page's visitors seldom mean:
    - homonyms (« Saint-Denis », « Montreuil »): the only one listed is matched; several listed
      come first;
    - a commune read by a former name (« Épinay », now in Mesnil-en-Ouche (27)), or homonyms none
      of which is listed (« Saint-Ouen »: (41) and (80)), give way to the listed communes whose
      name starts with the typed words (Épinay-sur-Seine, Saint-Ouen-sur-Seine): they come first
      and the name is ambiguous. Offered, never matched, as the matcher's own name starts
      (« Saint-Denis-de-la-Réunion » is not Saint-Denis): the page decides.
    A listed commune, or one typed by its own current name (or code), stays matched."""
    if result.status == "matched":
        commune = result.commune
        if commune.code in listed or commune.code == result.typed.strip().upper():
            return result
        if compact(fold(commune.nom)) == compact(fold(result.typed)):
            return result
    first = [candidate for candidate in result.candidates if candidate.commune.code in listed]
    if result.status == "ambiguous" and len(first) == 1:
        return MatchResult("matched", result.typed, first)
    if not first:
        first = [Candidate(commune, 0.98) for commune in _listed_name_starts(result.typed, listed)]
    if not first:
        return result
    codes = {candidate.commune.code for candidate in first}
    others = [candidate for candidate in result.candidates if candidate.commune.code not in codes]
    status = "ambiguous" if result.status == "matched" else result.status
    return MatchResult(status, result.typed, first + others)


def _listed_name_starts(typed: str, listed: Collection[str]) -> list[CommuneRef]:
    """The communes of `listed` whose current name starts with the typed words, other words
    following (« epinay »: Épinay-sur-Seine), by name."""
    start = fold(typed)
    if len(start) < 3:
        return []
    index = get_index()
    found = [
        index.by_code[code]
        for code in listed
        if code in index.choices and index.choices[code].startswith(start + " ")
    ]
    return sorted(found, key=lambda commune: (index.choices[commune.code], commune.code))


def found_by(member, typed: str) -> bool:
    """Whether a search for `typed` lists `member` (a MemberCCAS), in the admin's member list and
    the portal's directory: its INSEE code, or its name, its commune's or
    its intercommunality's, whatever the accents, case, hyphens or « St » (« epinay » finds the
    CCAS d'Épinay-sur-Seine, « est-ensemble » the CIAS Est Ensemble). Folded in Python: the
    union has a few hundred members at most; both lists then show them by pages of 50."""
    if member.commune_id == typed.upper():
        return True
    wanted = compact(fold(typed))
    names = [member.name, member.commune.nom]
    if member.intercommunality is not None:
        names.append(member.intercommunality.nom)
    return bool(wanted) and any(wanted in compact(fold(name)) for name in names)

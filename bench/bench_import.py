"""Importing a list of registrations whose communes are misspelled (seminars.importer).

An unrecognised commune is compared with every commune of France for its suggestions. Session
45's review measured 0.25 s per such line (a 100-line list with ten typos took 24.5 s; 500 lines,
94 s: gunicorn's 30 s timeout ended the request and nothing was imported). Each distinct text is
now read once per file, and the closest names are found with rapidfuzz's compiled scorers
before the platform's own (tenants.matching._closest).

Targets: one unrecognised commune's suggestions < 50 ms; a 1,000-line list whose communes are
200 different typos < 15 s (half of gunicorn's timeout)."""

import time

from bench.bench_seminars import make_event
from bench.harness import report, timings
from seminars.importer import import_registrations
from tenants.matching import get_index, match_in_union
from tenants.models import Commune

TARGET_MS_PER_TYPO = 50
TARGET_IMPORT_MS = 15_000
LINES, DISTINCT = 1_000, 200


def misspell(name: str, number: int) -> str:
    """A typo a mairie's list might hold: one letter dropped, at a place that varies."""
    letters = [position for position, letter in enumerate(name) if letter.isalpha()]
    drop = letters[(number * 7) % len(letters)]
    return name[:drop] + name[drop + 1 :]


def typos(count: int) -> list[str]:
    names = Commune.objects.filter(current=True, departement_id__in=["93", "94", "95", "77"])
    return [
        misspell(nom, n)
        for n, nom in enumerate(names.order_by("code").values_list("nom", flat=True)[:count])
    ]


def run() -> None:
    started = time.perf_counter()
    get_index()
    print(f"  index des communes chargé en {time.perf_counter() - started:.1f} s", flush=True)
    texts = typos(DISTINCT)
    samples = iter(texts * 3)
    report(
        "suggestions for one misspelled commune, ms",
        timings(lambda: match_in_union(next(samples)), repeat=40, warmup=2),
        TARGET_MS_PER_TYPO,
    )
    rows = ["Nom;Prénom;Commune;Fonction;Email"] + [
        f"Nom{line:04d};Camille;{texts[line % DISTINCT]};Maire;import-{line}@exemple.fr"
        for line in range(LINES)
    ]
    content = ("\n".join(rows) + "\n").encode()

    def import_once():
        result = import_registrations(make_event("Bench – import", seats=LINES), content, "l.csv")
        assert result.imported == LINES, result

    report(
        f"import of {LINES} lines, {DISTINCT} different misspelled communes, ms",
        timings(import_once, repeat=2, warmup=0),
        TARGET_IMPORT_MS,
    )

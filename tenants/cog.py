"""Load the Code officiel géographique (Etalab's @etalab/decoupage-administratif) into public tables."""

import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction

from tenants.matching import fold, reset_index
from tenants.models import (
    Commune,
    CommuneAlias,
    Departement,
    Intercommunality,
    MemberCCAS,
    Region,
)

FILES = ("communes.json", "epci.json", "ept.json", "departements.json", "regions.json")


class CogDataError(Exception):
    pass


@dataclass
class CogImportReport:
    regions: int
    departements: int
    intercommunalities: int
    communes: int
    aliases: int
    # Rows this vintage no longer lists, flagged former by this import (mergers, dissolutions).
    former_communes: int = 0
    former_intercommunalities: int = 0
    # What still points at a former commune or EPCI, for the union to re-attach: each member as
    # « name (commune or EPCI, code) », and how many event registrations.
    members_on_former: list[str] = field(default_factory=list)
    registrations_on_former: int = 0


def data_dir() -> Path:
    return Path(settings.COG_DATA_DIR) / "package" / "data"


def has_cog_files(data: Path) -> bool:
    """Whether every file of the package is in `data`."""
    return all((data / name).exists() for name in FILES)


def fetch_cog_package(target: Path | None = None) -> Path:
    """Download the npm package once (npm pack) and unpack it under COG_DATA_DIR."""
    base = Path(target or settings.COG_DATA_DIR)
    data = base / "package" / "data"
    if has_cog_files(data):
        return data
    if shutil.which("npm") is None:
        raise CogDataError(
            "npm est introuvable : installez Node.js/npm, ou déposez le paquet "
            f"{settings.COG_PACKAGE} décompressé dans {base}."
        )
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            ["npm", "pack", settings.COG_PACKAGE, "--silent"],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CogDataError(
                f"Téléchargement de {settings.COG_PACKAGE} impossible : {result.stderr}"
            )
        archive = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(archive) as tar:
            tar.extractall(base, filter="data")
    return data


def _load(path: Path, name: str) -> list[dict]:
    with open(path / name, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def import_cog(path: Path | None = None) -> CogImportReport:
    """Insert or update regions, départements, EPCI/EPT, communes and former names. Idempotent.

    A commune or EPCI/EPT of the database that this vintage no longer lists (a merger, a
    dissolution) is flagged former (`current` False), not deleted: members and registrations
    point at it (PROTECT). Its name becomes a former name of the commune that absorbed it, when
    the vintage says which; one listed again is current again."""
    path = Path(path) if path else fetch_cog_package()
    regions = {r["code"]: r["nom"] for r in _load(path, "regions.json")}
    departements = {d["code"]: d for d in _load(path, "departements.json")}
    communes = [c for c in _load(path, "communes.json") if c["type"] == "commune-actuelle"]
    former = [
        c
        for c in _load(path, "communes.json")
        if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu")
    ]
    epcis = _load(path, "epci.json")
    epts = _load(path, "ept.json")

    # Overseas collectivities (COM) have no région or département file entry: they are their own.
    for commune in communes:
        regions.setdefault(commune["region"], commune["region"])
        departements.setdefault(
            commune["departement"],
            {
                "code": commune["departement"],
                "nom": commune["departement"],
                "region": commune["region"],
            },
        )
    Region.objects.bulk_create(
        [Region(code=code, nom=nom) for code, nom in regions.items()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["nom"],
    )
    Departement.objects.bulk_create(
        [
            Departement(code=d["code"], nom=d["nom"], region_id=d["region"])
            for d in departements.values()
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["nom", "region"],
    )
    groupings = [
        Intercommunality(
            siren=e["code"],
            nom=e["nom"],
            kind=e["type"],
            population=e.get("populationMunicipale") or 0,
        )
        for e in epcis + epts
    ]
    Intercommunality.objects.bulk_create(
        groupings,
        update_conflicts=True,
        unique_fields=["siren"],
        update_fields=["nom", "kind", "population", "current"],
    )
    former_intercommunalities = (
        Intercommunality.objects.filter(current=True)
        .exclude(siren__in=[grouping.siren for grouping in groupings])
        .update(current=False)
    )
    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    ept_of = {m["code"]: e["code"] for e in epts for m in e["membres"]}
    Commune.objects.bulk_create(
        [
            Commune(
                code=c["code"],
                nom=c["nom"],
                departement_id=c["departement"],
                region_id=c["region"],
                population=c.get("population") or 0,
                codes_postaux=c.get("codesPostaux", []),
                siren=c.get("siren", ""),
                epci_id=epci_of.get(c["code"]),
                ept_id=ept_of.get(c["code"]),
                match_key=fold(c["nom"]),
            )
            for c in communes
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "nom",
            "departement",
            "region",
            "population",
            "codes_postaux",
            "siren",
            "epci",
            "ept",
            "match_key",
            "current",
        ],
        batch_size=2000,
    )
    current_codes = {c["code"] for c in communes}
    former_communes = (
        Commune.objects.filter(current=True).exclude(code__in=current_codes).update(current=False)
    )
    CommuneAlias.objects.all().delete()
    former_names = {(c["nom"], c["chefLieu"]) for c in former if c["chefLieu"] in current_codes}
    # A commune nouvelle often keeps no delegated communes: the name of a former row, whose code
    # the vintage lists among a current commune's `anciensCodes`, would be lost to the matcher.
    absorbed_by = {old: c["code"] for c in communes for old in c.get("anciensCodes") or []}
    for code, nom in Commune.objects.filter(current=False).values_list("code", "nom"):
        if code in absorbed_by:
            former_names.add((nom, absorbed_by[code]))
    aliases = CommuneAlias.objects.bulk_create(
        [
            CommuneAlias(nom=nom, match_key=fold(nom), commune_id=code)
            for nom, code in sorted(former_names)
        ],
        batch_size=2000,
    )
    transaction.on_commit(reset_index)
    return CogImportReport(
        regions=len(regions),
        departements=len(departements),
        intercommunalities=len(groupings),
        communes=len(communes),
        aliases=len(aliases),
        former_communes=former_communes,
        former_intercommunalities=former_intercommunalities,
        members_on_former=members_on_former(),
        registrations_on_former=registrations_on_former(),
    )


def members_on_former() -> list[str]:
    """The members whose commune, or whose CIAS's intercommunality, is a former one: the union
    re-attaches them (to the commune that absorbed it, the EPCI that followed) in the admin."""
    members = (
        MemberCCAS.objects.filter(commune__current=False)
        | MemberCCAS.objects.filter(intercommunality__current=False)
    ).select_related("commune", "intercommunality")
    lines = []
    for member in members.distinct().order_by("name"):
        if not member.commune.current:
            lines.append(f"{member.name} ({member.commune.nom}, {member.commune.code})")
        if member.intercommunality is not None and not member.intercommunality.current:
            grouping = member.intercommunality
            lines.append(f"{member.name} ({grouping.nom}, SIREN {grouping.siren})")
    return lines


def registrations_on_former() -> int:
    """How many event registrations record a former commune (seminars, loaded by name: the
    geography does not depend on the events' app)."""
    registration = apps.get_model("seminars", "Registration")
    return registration.objects.filter(commune__current=False).count()

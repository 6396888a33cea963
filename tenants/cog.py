"""Load the Code officiel géographique (Etalab's @etalab/decoupage-administratif) into public tables."""

import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from tenants.matching import fold, reset_index
from tenants.models import Commune, CommuneAlias, Departement, Intercommunality, Region

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
    """Insert or update regions, départements, EPCI/EPT, communes and former names. Idempotent."""
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
        update_fields=["nom", "kind", "population"],
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
        ],
        batch_size=2000,
    )
    current_codes = {c["code"] for c in communes}
    CommuneAlias.objects.all().delete()
    aliases = CommuneAlias.objects.bulk_create(
        [
            CommuneAlias(nom=c["nom"], match_key=fold(c["nom"]), commune_id=c["chefLieu"])
            for c in former
            if c["chefLieu"] in current_codes
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
    )

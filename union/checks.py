"""System checks of the deployment's settings against its data, run at startup (runserver,
`manage.py check`, migrate and the other commands)."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError


def union_departement_known(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """UNION_DEPARTEMENT must be a département of the COG: an unknown code (« 20 », « 2a » set
    past the settings, a name) would leave the home page without its département's name, put
    every member added « hors du département de l'union » and break no tie between homonyms.
    Skipped while the COG is not loaded (a new database, before setup_platform) or without a
    database at all (a build step)."""
    from tenants.models import Departement

    code = settings.UNION_DEPARTEMENT
    try:
        if not Departement.objects.exists() or Departement.objects.filter(code=code).exists():
            return []
    except DatabaseError:
        return []
    return [
        checks.Error(
            f"UNION_DEPARTEMENT « {code} » n'est pas un département du Code officiel "
            "géographique : les communes homonymes ne seraient pas départagées et chaque "
            "membre ajouté serait dit hors du département de l'union.",
            hint="Indiquez le code INSEE du département de l'union : 93, 01, 974 ; pour la "
            "Corse, 2A ou 2B (et non 20).",
            id="union.E001",
        )
    ]


def register() -> None:
    checks.register(union_departement_known)

"""`manage.py demo`: the union "UDCCAS de Seine-Saint-Denis" with every commune of the 93 as a member
and one CIAS (of the EPT Grand Paris Grand Est).

Idempotent. Each app adds its own demo data through `<app>.demo.load(stdout)`, called in order.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from seminars.door_access import DOOR_STAFF
from tenants.models import Commune, Intercommunality, MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member
from union import roles

DEMO_DEPARTEMENT = "93"
DEMO_PASSWORD = "Maillage-demo-2026"
# One CIAS beside the communes' CCAS, so that the demo shows an intercommunal member (its board
# presided by the président of the EPCI, its council electing the élus): an invented CIAS of the
# EPT Grand Paris Grand Est, seated in Noisy-le-Grand (the EPT's seat), slug as onboard_member
# names it.
DEMO_CIAS_SIREN = "200058790"  # Grand Paris Grand Est (EPT T9 of the Métropole du Grand Paris)
DEMO_CIAS_SEAT = "93051"  # Noisy-le-Grand
DEMO_CIAS_SLUG = "cias-grand-paris-grand-est"
# The members whose directors can log in with the demo password.
DEMO_DIRECTORS = {
    "bondy": "direction@ccas-bondy.demo",
    "montreuil": "direction@ccas-montreuil.demo",
    "saint-denis": "direction@ccas-saint-denis.demo",
    DEMO_CIAS_SLUG: f"direction@{DEMO_CIAS_SLUG}.demo",
}
UNION_STAFF = {
    "admin@udccas93.demo": (roles.UNION_ADMIN, "Alice", "Admin"),
    "editrice@udccas93.demo": (roles.EDITOR, "Élodie", "Rédaction"),
    "moderateur@udccas93.demo": (roles.MODERATOR, "Marc", "Modération"),
    "organisatrice@udccas93.demo": (roles.EVENT_ORGANISER, "Olivia", "Événements"),
    "accueil@udccas93.demo": (DOOR_STAFF, "Anaïs", "Accueil"),
}
APP_DEMOS = [
    "tenants.workspace.demo.load",
    "knowledge_base.demo.load",
    "seminars.demo.load",
    "abs_shared.demo.load",
]


def load_members(stdout) -> list[MemberCCAS]:
    """Every commune of the demo département becomes a member (real names and populations),
    and the demo's CIAS (load_cias)."""
    members = []
    for commune in Commune.objects.filter(departement_id=DEMO_DEPARTEMENT).order_by("nom"):
        member = MemberCCAS.objects.filter(commune=commune, kind=MemberCCAS.Kind.CCAS).first()
        if member is None:
            if len(members) % 20 == 0 and not connection.in_atomic_block:
                # A backend that cloned many schemas clones slower (docs/operations.md).
                connection.close()
            member = onboard_member(commune.code)
            connection.set_schema_to_public()
        members.append(member)
    stdout.write(f"{len(members)} membres (communes du {DEMO_DEPARTEMENT}).")
    cias = load_cias()
    stdout.write(f"1 CIAS : {cias.name} ({cias.covered_communes().count()} communes).")
    return [*members, cias]


def load_cias() -> MemberCCAS:
    """The demo's CIAS, onboarded once (one CIAS per intercommunality: found by its EPT)."""
    grouping = Intercommunality.objects.get(siren=DEMO_CIAS_SIREN)
    cias = MemberCCAS.objects.filter(kind=MemberCCAS.Kind.CIAS, intercommunality=grouping).first()
    if cias is None:
        cias = onboard_member(
            DEMO_CIAS_SEAT,
            kind=MemberCCAS.Kind.CIAS,
            epci_siren=grouping.siren,
            slug=DEMO_CIAS_SLUG,
        )
        connection.set_schema_to_public()
    return cias


@transaction.atomic
def load_people(stdout) -> None:
    User = get_user_model()
    for email, (group_name, first_name, last_name) in UNION_STAFF.items():
        user, _ = User.objects.get_or_create(
            username=email,
            defaults={"email": email, "first_name": first_name, "last_name": last_name},
        )
        user.set_password(DEMO_PASSWORD)
        user.is_staff = group_name == roles.UNION_ADMIN
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
    for slug, email in DEMO_DIRECTORS.items():
        member = MemberCCAS.objects.get(slug=slug)
        grant_membership(member, email, Membership.Role.DIRECTOR, password=DEMO_PASSWORD)


# The union's identity (admin: Paramètres › Identité et coordonnées de l'union). Invented: the
# address is the one the seminars' demo gives the union's seat; the phone numbers are not real.
DEMO_IDENTITY = {
    "name": "Union départementale des CCAS de la Seine-Saint-Denis (UDCCAS 93)",
    "rna": "W930000000",
    "address": "12 avenue Jean-Jaurès\n93000 Bobigny",
    "phone": "01 00 00 00 00",
    "email": "contact@udccas93.demo",
    "opening_hours": "Du lundi au vendredi, de 9 h à 12 h 30 et de 14 h à 17 h",
    "publication_director": "Claire Martin",
    "publication_director_role": "présidente de l'union",
    "host_name": "Hébergeur de démonstration SAS",
    "host_address": "1 rue de l'Exemple\n75000 Paris",
    "host_phone": "01 00 00 00 01",
}


def load_identity(stdout) -> None:
    """Fill the union's settings; a field someone already filled in the admin is kept."""
    from union.models import UnionSettings

    identity = UnionSettings.load()
    changed = [name for name, value in DEMO_IDENTITY.items() if not getattr(identity, name)]
    for name in changed:
        setattr(identity, name, DEMO_IDENTITY[name])
    if identity.accessibility_statement_date is None:
        identity.accessibility_statement_date = timezone.localdate()
        changed.append("accessibility_statement_date")
    if changed:
        identity.save(update_fields=changed)
    stdout.write(f"Identité de l'union : {identity.display_name}.")


def load_demo(stdout) -> None:
    load_members(stdout)
    load_people(stdout)
    load_identity(stdout)
    for path in APP_DEMOS:
        import_string(path)(stdout)
        connection.set_schema_to_public()
    stdout.write(f"\nComptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD})")
    for email, (group_name, *_names) in UNION_STAFF.items():
        stdout.write(f"  {group_name:<28} {email}   http://localhost:8000/admin/")
    for slug, email in DEMO_DIRECTORS.items():
        stdout.write(f"  Direction {slug:<18} {email}   http://{slug}.localhost:8000/")
    stdout.write(
        "  Agent, Bondy                 agent@ccas-bondy.demo   http://bondy.localhost:8000/"
    )
    stdout.write(
        "  Lecture seule, Bondy         lecture@ccas-bondy.demo   http://bondy.localhost:8000/"
    )

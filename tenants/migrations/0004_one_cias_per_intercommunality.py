"""One CIAS per intercommunality (tenants.services.onboard_member refuses a second one; the
constraint is the backstop). A database that already holds two stops here with the duplicates
named: which one to keep is a person's decision (a member row owns a schema), not a migration's."""

from django.db import migrations, models
from django.db.models import Count


def refuse_duplicate_cias(apps, schema_editor):
    MemberCCAS = apps.get_model("tenants", "MemberCCAS")
    duplicated = (
        MemberCCAS.objects.filter(kind="CIAS", intercommunality__isnull=False)
        .values("intercommunality")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("intercommunality", flat=True)
    )
    if not duplicated:
        return
    lines = [
        f"- {member.name} (id {member.pk}, {member.slug}, statut {member.status}, "
        f"intercommunalité {member.intercommunality_id})"
        for member in MemberCCAS.objects.filter(
            kind="CIAS", intercommunality__in=list(duplicated)
        ).order_by("intercommunality", "pk")
    ]
    # The ways out must work at this point: public is half-migrated, and the new release's models
    # already have columns of later migrations (tenants.0005), so its delete() fails. The
    # wrapper still runs the previous release (`current` switches after setup_platform); without
    # it (a restore), SQL unties the duplicate, deleted once the migrations are done.
    raise RuntimeError(
        "Plusieurs CIAS pour une même intercommunalité :\n"
        + "\n".join(lines)
        + "\nGardez-en un par intercommunalité : supprimez le doublon créé par erreur avec la "
        "version précédente, celle qui sert encore (maillage-manage lance celle de "
        "/srv/maillage/current ; le code de cette version-ci ne convient pas à une base à moitié "
        "migrée) :\n"
        '  sudo -u maillage maillage-manage shell -c "from tenants.models import MemberCCAS; '
        'MemberCCAS.objects.get(pk=<id>).delete(force_drop=True)"\n'
        "puis relancez setup_platform. Si la version précédente n'est plus là (restauration d'une "
        "sauvegarde avec cette version-ci), détachez le doublon de son intercommunalité :\n"
        '  psql "$DATABASE_URL" -c "UPDATE tenants_memberccas SET intercommunality_id = NULL '
        'WHERE id = <id>"\n'
        "relancez setup_platform, puis supprimez le doublon avec la commande maillage-manage "
        "ci-dessus."
    )


class Migration(migrations.Migration):
    dependencies = [("tenants", "0003_french_member_names")]

    operations = [
        migrations.RunPython(refuse_duplicate_cias, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="memberccas",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "CIAS")),
                fields=("intercommunality",),
                name="one_cias_per_intercommunality",
            ),
        ),
    ]

"""Members onboarded with the old default name "CCAS de <commune>" get the French form ("CCAS
d'Aubervilliers", "CCAS du Blanc-Mesnil", "CCAS des Lilas"). A name typed by hand is left alone."""

from django.db import migrations

from tenants.naming import ccas_name


def rename_generated_names(apps, schema_editor):
    MemberCCAS = apps.get_model("tenants", "MemberCCAS")
    members = MemberCCAS.objects.filter(kind="CCAS").select_related("commune")
    for member in members:
        if member.name == f"CCAS de {member.commune.nom}":
            new_name = ccas_name(member.commune.nom)
            if new_name != member.name:
                MemberCCAS.objects.filter(pk=member.pk).update(name=new_name)


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_publicmemberprofile")]

    operations = [migrations.RunPython(rename_generated_names, migrations.RunPython.noop)]

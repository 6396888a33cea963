"""A database default for the unit 0003 added NOT NULL: the previous version, serving while
`setup_platform` migrates or after a rollback, inserts observations without it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('abs_local', '0003_observation_unit'),
    ]

    operations = [
        migrations.AlterField(
            model_name='observation',
            name='unit',
            field=models.CharField(blank=True, choices=[('percent', '%'), ('euros_year', 'euros par an'), ('count', 'effectif'), ('ratio', 'rapport'), ('index', 'indice')], db_default='', default='', max_length=12, verbose_name='unité à la saisie'),
        ),
    ]

"""Places on the waiting list of a full atelier (AtelierWaiting); 0020 makes its foreign keys
cascade in PostgreSQL."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('seminars', '0018_database_defaults_for_old_code'),
    ]

    operations = [
        migrations.CreateModel(
            name='AtelierWaiting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('joined_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name="en liste d'attente depuis le")),
                ('atelier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='waiting', to='seminars.atelier')),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='atelier_waits', to='seminars.registration')),
            ],
            options={
                'verbose_name': "place en liste d'attente d'un atelier",
                'verbose_name_plural': "listes d'attente des ateliers",
                'ordering': ['joined_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('registration', 'atelier'), name='one_wait_per_atelier')],
            },
        ),
    ]

"""Database defaults for the columns 0010, 0011 and 0016 added NOT NULL with a Python-only default.

The previous version keeps serving while `setup_platform` migrates, and serves again after a
rollback: its INSERTs leave these columns out, and PostgreSQL refused them (A19: the public
registration answered 500 on « links_sent »). The database now fills them itself."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('seminars', '0017_registration_source_door'),
    ]

    operations = [
        migrations.AlterField(
            model_name='registration',
            name='links_sent',
            field=models.PositiveIntegerField(db_default=0, default=0),
        ),
        migrations.AlterField(
            model_name='registration',
            name='phone',
            field=models.CharField(blank=True, db_default='', default='', max_length=30, verbose_name='téléphone'),
        ),
        migrations.AlterField(
            model_name='seminarpage',
            name='cancellation_message',
            field=models.TextField(blank=True, db_default='', default='', editable=False, verbose_name="message de l'annulation"),
        ),
    ]

"""AtelierWaiting's foreign keys cascade in PostgreSQL too.

The previous version's code, which keeps serving while `setup_platform` migrates and serves
again after a rollback, knows nothing of this table: deleting a registration (an erasure) or an
atelier with people waiting would otherwise be refused at commit. The current code deletes the
rows itself first (Django's CASCADE). In a migration of its own: Django creates 0019's foreign
keys only at the end of that migration, after any SQL of its own."""

from django.db import migrations


TABLE = "seminars_atelierwaiting"
CASCADE_IN_DATABASE = f"""
DO $$
DECLARE fk record;
BEGIN
  FOR fk IN SELECT conname FROM pg_constraint
            WHERE conrelid = '{TABLE}'::regclass AND contype = 'f' LOOP
    EXECUTE format('ALTER TABLE {TABLE} DROP CONSTRAINT %I', fk.conname);
  END LOOP;
END $$;
ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_registration_cascade
  FOREIGN KEY (registration_id) REFERENCES seminars_registration (id)
  ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_atelier_cascade
  FOREIGN KEY (atelier_id) REFERENCES seminars_atelier (id)
  ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
"""



class Migration(migrations.Migration):
    dependencies = [("seminars", "0019_atelier_waiting")]

    operations = [migrations.RunSQL(CASCADE_IN_DATABASE, migrations.RunSQL.noop)]

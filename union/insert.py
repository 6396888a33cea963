"""INSERT a new row with the statement compiled once per model: for hot paths only.

`Model.save()` builds and compiles its INSERT statement on every call. For a registration, the
registration's row and its queued e-mail's row took a third of the server's CPU, about half of
it compiling the same two statements again (docs/seminars.md). `insert_new` runs the statement
Django's own compiler produced for the model the first time, with the values `save()` would send
(each field's `pre_save` and `get_db_prep_save`), sets the primary key the database returned, and
sends the `pre_save` and `post_save` signals as `save()` does (django-tasks-db's queue sets a
task's `run_after` in one). Only for a model without parent tables, and plain values: an
expression such as F() or Now() is refused.

`unless_conflict=True` adds ON CONFLICT DO NOTHING: a row that breaks a unique constraint is not
inserted and the call returns False, where save() would raise an IntegrityError after PostgreSQL
logged an ERROR and aborted the transaction.
"""

import functools

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.constants import OnConflict
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery


class NotInsertable(ValueError):
    pass


@functools.cache
def _compiled(model: type[models.Model], unless_conflict: bool) -> tuple[str, tuple, tuple]:
    """(statement, fields given, fields returned) for a row of `model`, as `save()` compiles them
    (as `bulk_create(ignore_conflicts=True)` does with `unless_conflict`, returning the key)."""
    meta = model._meta
    if meta.parents:
        raise NotInsertable(f"{model.__name__} : un modèle hérité s'enregistre avec save().")
    fields = tuple(f for f in meta.local_concrete_fields if not f.generated)
    fields = tuple(f for f in fields if f is not meta.auto_field)
    returned = tuple(meta.db_returning_fields)
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE if unless_conflict else None)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = list(returned)
    ((statement, params),) = compiler.as_sql()
    # One plain placeholder per field, so that the statement fits any row's values.
    if len(params) != len(fields) or statement.count("%s") != len(fields):
        raise NotInsertable(f"{model.__name__} : une colonne n'est pas une simple valeur.")
    return statement, fields, returned


def insert_new(instance: models.Model, *, unless_conflict: bool = False) -> bool:
    """INSERT `instance` as a new row, as `instance.save(force_insert=True)` would. False, and
    nothing written, when `unless_conflict` and a row with the same unique values exists."""
    model = type(instance)
    statement, fields, returned = _compiled(model, unless_conflict)
    # The connection itself, not django.db.connection: each attribute read through that proxy
    # looks the connection up again, and the fields read it a few dozen times per row.
    db = connections[DEFAULT_DB_ALIAS]
    signal = {"sender": model, "instance": instance, "raw": False, "using": db.alias}
    pre_save.send(**signal, update_fields=None)
    values = [field.pre_save(instance, True) for field in fields]
    if any(hasattr(value, "resolve_expression") for value in values):
        raise NotInsertable("Une expression SQL ne peut pas être insérée ainsi.")
    params = [
        field.get_db_prep_save(value, db) for field, value in zip(fields, values, strict=True)
    ]
    with db.cursor() as cursor:
        cursor.execute(statement, params)
        if cursor.rowcount == 0:  # ON CONFLICT DO NOTHING: not inserted
            return False
        row = cursor.fetchone() if returned else ()
    for field, value in zip(returned, row, strict=True):
        setattr(instance, field.attname, value)
    instance._state.adding = False
    instance._state.db = db.alias
    post_save.send(**signal, created=True, update_fields=None)
    return True

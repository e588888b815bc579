"""Re-encrypt the crisis records' encrypted columns under their new labels.

An encrypted value's associated data is "app_label.model.field" (see
aluna/encryption/fields.py): what accompaniment encrypted as
"accompaniment.aggression.narrative" must now decrypt as "crisis.aggression.narrative".
Each value is decrypted under the old label and encrypted under the new one, in
batches, one transaction per batch. A value that already decrypts under the new
label is left alone, so an interrupted run is simply run again. The backwards
step does the opposite. A value bound to its row (the label, "|" and the row's
id, see fields.py) stays bound; one written before rows were bound becomes bound.
"""

import uuid

from django.db import migrations, transaction

from aluna.encryption import keys

ENCRYPTED = {
    "aggression": ("municipality", "narrative", "evidence_keeper"),
    "crisisintervention": ("actions_taken", "referrals"),
    "crisisfollowup": ("note",),
}
BATCH = 500


def _label(app_label: str, model: str, field: str) -> bytes:
    return f"{app_label}.{model}.{field}".encode()


def _bound(label: bytes, row_id) -> bytes:
    return label + b"|" + str(uuid.UUID(str(row_id))).encode()


def _decrypts(token: str, associated_data: bytes) -> bytes | None:
    try:
        return keys.decrypt(token, associated_data=associated_data)
    except keys.UnknownKeyError:
        raise
    except keys.DecryptionError:
        return None


def _reencrypted(
    token: str, *, row_id, model: str, field: str, source: str, target: str
) -> str | None:
    """The value under `target`'s label, bound to its row, or None when it is there already."""
    new_label = _label(target, model, field)
    if _decrypts(token, _bound(new_label, row_id)) is not None:
        return None
    old_label = _label(source, model, field)
    plaintext = _decrypts(token, _bound(old_label, row_id))
    if plaintext is None:
        plaintext = _decrypts(token, new_label)  # under the new label, not yet bound
    if plaintext is None:
        plaintext = keys.decrypt(token, associated_data=old_label)  # before rows were bound
    return keys.encrypt(plaintext, associated_data=_bound(new_label, row_id))


def _move(schema_editor, *, source: str, target: str) -> None:
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for model, fields in ENCRYPTED.items():
        table = quote(f"crisis_{model}")
        columns = ", ".join(quote(f) for f in fields)
        last_id = None
        while True:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                # Table and column names are this migration's constants, quoted.
                where = "" if last_id is None else "WHERE id > %s"
                cursor.execute(
                    f"SELECT id, {columns} FROM {table} {where} ORDER BY id LIMIT {BATCH}",  # noqa: S608 # nosec B608
                    [] if last_id is None else [last_id],
                )
                rows = cursor.fetchall()
                for row_id, *values in rows:
                    changes = {}
                    for field, token in zip(fields, values, strict=True):
                        if token is None:
                            continue
                        new = _reencrypted(
                            token,
                            row_id=row_id,
                            model=model,
                            field=field,
                            source=source,
                            target=target,
                        )
                        if new is not None:
                            changes[field] = new
                    if changes:
                        assignments = ", ".join(f"{quote(f)} = %s" for f in changes)
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 # nosec B608
                            [*changes.values(), row_id],
                        )
            if len(rows) < BATCH:
                break
            last_id = rows[-1][0]


def forwards(apps, schema_editor):
    _move(schema_editor, source="accompaniment", target="crisis")


def backwards(apps, schema_editor):
    _move(schema_editor, source="crisis", target="accompaniment")


class Migration(migrations.Migration):
    # One transaction per batch, not one for the whole table.
    atomic = False

    dependencies = [("crisis", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

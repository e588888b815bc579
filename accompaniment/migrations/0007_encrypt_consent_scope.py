"""A subject's consent scope is encrypted at rest, like its name and factors.

Someone may write who gave consent, or what for, in words that identify the
subject. The column becomes text, every existing value (the empty string too,
as EncryptedCharField does) is encrypted in place, bound to its row as the
field does, then the field becomes an EncryptedCharField; no SQL at that last step.
Backwards decrypts in place and gives the 200-character column back.
"""

from django.db import migrations, models

import aluna.encryption.fields
from aluna.encryption import keys

ASSOCIATED_DATA = b"accompaniment.politicalsubject.consent_scope"
BATCH = 500


def _bound(pk) -> bytes:
    # As aluna.encryption.fields binds a value to its row: the column, then the pk.
    return ASSOCIATED_DATA + b"|" + str(pk).encode()


def _rewrite(apps, convert) -> None:
    # Historical model with a plain TextField: values go in and out untouched.
    Subject = apps.get_model("accompaniment", "PoliticalSubject")
    last_pk = None
    while True:
        rows = Subject.objects.order_by("pk")
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows.values_list("pk", "consent_scope")[:BATCH])
        if not batch:
            return
        for pk, value in batch:
            Subject.objects.filter(pk=pk).update(consent_scope=convert(value, pk))
        last_pk = batch[-1][0]


def encrypt_existing(apps, schema_editor):
    def convert(value: str, pk) -> str:
        if value.startswith(f"{keys.VERSION}:"):
            return value  # already encrypted (a re-run after a failure)
        return keys.encrypt(value.encode("utf-8"), associated_data=_bound(pk))

    _rewrite(apps, convert)


def decrypt_existing(apps, schema_editor):
    def convert(value: str, pk) -> str:
        try:
            plaintext = keys.decrypt(value, associated_data=_bound(pk))
        except keys.DecryptionError:
            plaintext = keys.decrypt(value, associated_data=ASSOCIATED_DATA)  # not bound yet
        return plaintext.decode("utf-8")

    _rewrite(apps, convert)


class Migration(migrations.Migration):
    dependencies = [("accompaniment", "0006_move_crisis_to_its_app")]

    operations = [
        migrations.AlterField(
            model_name="politicalsubject",
            name="consent_scope",
            field=models.TextField(blank=True, verbose_name="consent scope"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
        migrations.AlterField(
            model_name="politicalsubject",
            name="consent_scope",
            field=aluna.encryption.fields.EncryptedCharField(
                blank=True, max_length=200, verbose_name="consent scope"
            ),
        ),
    ]

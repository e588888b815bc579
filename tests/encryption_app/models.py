import uuid

from django.db import models

from aluna.encryption.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField


class Defender(models.Model):
    name = EncryptedCharField(max_length=50)
    alias = EncryptedCharField(max_length=50, blank=True)
    notes = EncryptedTextField(null=True, blank=True)
    profile = EncryptedJSONField(null=True, blank=True)
    city = models.CharField(max_length=50, blank=True)

    blind_index_fields = ["name"]

    def __str__(self):
        return f"Defender {self.pk}"


class Collective(models.Model):
    """A UUID primary key, to check the blind index turns object ids back into pks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = EncryptedCharField(max_length=100)

    blind_index_fields = ["name"]

    def __str__(self):
        return f"Collective {self.pk}"

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class BlindIndexEntry(models.Model):
    """One keyed hash of a normalised value, or of one of its words, for one object.

    Kept in one generic table (not one column per word) so it works the same on
    PostgreSQL and SQLite and any model can opt in with ``blind_index_fields``.
    Maintained by aluna.encryption.blind_index; never edited by hand.
    """

    class Kind(models.TextChoices):
        FULL = "full", _("Full value")
        WORD = "word", _("Word")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    field = models.CharField(max_length=100)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    digest = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("blind index entry")
        verbose_name_plural = _("blind index entries")
        indexes = [
            models.Index(
                fields=["content_type", "field", "kind", "digest"], name="encryption_bidx_lookup"
            ),
            models.Index(fields=["content_type", "object_id"], name="encryption_bidx_object"),
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}:{self.field}:{self.kind}"

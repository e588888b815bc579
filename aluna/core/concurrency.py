"""Optimistic concurrency: a stale form never overwrites someone else's save.

A versioned model has an integer `version`. The edit form carries the version
it was opened on; `save_versioned` locks the row, compares, and either saves
with version + 1 or raises `StaleEdit` with the record as it is now, so the view
can show the user both their input (kept) and the other person's change.
"""

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

STALE_EDIT_MESSAGE = _(
    "Someone else saved this record while you were editing it. Nothing was overwritten: "
    "your input is kept below and the values saved now are shown beside it. Review them "
    "and save again."
)


class StaleEdit(Exception):
    def __init__(self, current: models.Model):
        super().__init__("stale edit")
        self.current = current


def save_versioned(
    instance: models.Model, *, expected_version: int, update_fields: list[str] | None = None
) -> models.Model:
    """Save `instance` if its row is still at `expected_version`; bump the version.

    Must run inside the caller's transaction (the row lock lasts until commit).
    """
    model = type(instance)
    with transaction.atomic():
        current_version = (
            model.objects.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
        )
        if current_version != expected_version:
            raise StaleEdit(model.objects.get(pk=instance.pk))
        instance.version = expected_version + 1
        if update_fields is not None:
            update_fields = sorted({*update_fields, "version", "updated_at"})
        instance.save(update_fields=update_fields)
    return instance


class VersionedFormMixin(forms.Form):
    """Adds the hidden `version` field an edit form was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

"""Optimistic concurrency: a stale form never overwrites someone else's save.

A versioned model has an integer `version`. The edit form carries the version
it was opened on; `save_versioned` locks the row, compares, and either saves
with version + 1 or raises `StaleEdit` with the record as it is now.

Views never handle `StaleEdit` themselves: `submit_versioned` validates the
form, calls the service and, on a stale edit, answers 409 with the person's
input kept (now based on the saved version, so saving again is a deliberate
choice) and the values saved meanwhile (`stale_values`, shown by
`includes/stale_values.html`).
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

STALE_EDIT_MESSAGE = gettext_lazy(
    "Someone else saved this record while you were editing it. Nothing was overwritten: "
    "your input is kept below and the values saved now are shown beside it. Review them "
    "and save again."
)


class StaleEdit(Exception):
    """The record changed since the form was opened; `current` is it as saved now
    (None when it no longer exists)."""

    def __init__(self, current: models.Model | None):
        super().__init__("stale edit")
        self.current = current


class VersionedModel(models.Model):
    """Optimistic concurrency: every save through `save_versioned` bumps `version`;
    a form that was opened on an older version is refused."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


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


def initial_from(instance: models.Model, names: Iterable[str]) -> dict:
    """The initial values of a plain edit form opened on `instance`: its fields
    `names` (related records by id) and the version it is at."""
    initial = {"version": instance.version}
    for name in names:
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            initial[name] = [item.pk for item in getattr(instance, name).all()]
        elif model_field.is_relation:
            initial[name] = getattr(instance, model_field.attname)
        else:
            initial[name] = getattr(instance, name)
    return initial


# --- The view side: one helper for every edit form ------------------------------------------


@dataclass
class Submission:
    """What became of a form: `saved` (with the service's `result`), or a page to
    render again with `form`, `status` (200, 400 or 409) and `stale_values`."""

    form: forms.BaseForm
    status: int = 200
    saved: bool = False
    result: Any = None
    stale_values: list[tuple[str, str]] | None = field(default=None)

    @property
    def context(self) -> dict:
        return {"form": self.form, "stale_values": self.stale_values}


def submit_versioned(
    request,
    form: forms.BaseForm,
    *,
    save: Callable[[dict], Any],
    describe: Callable[[models.Model], list[tuple[str, str]]] | None = None,
    errors: Iterable[type[Exception]] = (),
) -> Submission:
    """Validate `form` on POST and hand its cleaned data to `save` (a service call).

    - GET: nothing is saved; status 200.
    - invalid input, or `save` raised a ValidationError (shown on its fields, or on
      the form) or one of `errors` (shown as a form error): 400.
    - `save` raised StaleEdit: 409. The form keeps the person's input, now based on
      the saved version, with STALE_EDIT_MESSAGE; `stale_values` lists what is saved
      now (`describe(current)`, by default the form's fields as stored).
    """
    if request.method != "POST":
        return Submission(form=form)
    if not form.is_valid():
        return Submission(form=form, status=400)
    try:
        result = save(form.cleaned_data)
    except StaleEdit as stale:
        return _stale_submission(form, stale.current, describe)
    except ValidationError as exc:
        form.add_error(None, exc)
        return Submission(form=form, status=400)
    except tuple(errors) as exc:
        form.add_error(None, str(exc))
        return Submission(form=form, status=400)
    return Submission(form=form, status=200, saved=True, result=result)


def _stale_submission(form, current, describe) -> Submission:
    if current is not None:
        stale_values = (describe or _describe_with(form))(current)
        data = form.data.copy()
        data[form.add_prefix("version")] = current.version
        form.data = data
    else:
        stale_values = [(_("Record"), _("It was deleted meanwhile."))]
    form.add_error(None, STALE_EDIT_MESSAGE)
    return Submission(form=form, status=409, stale_values=stale_values)


def _describe_with(form) -> Callable[[models.Model], list[tuple[str, str]]]:
    names = [name for name in form.fields if name != "version"]
    return lambda current: stale_values_of(current, names)


def stale_values_of(instance: models.Model, names: Iterable[str]) -> list[tuple[str, str]]:
    """(label, value as a person reads it) of the model fields `names` of `instance`.

    Names that are not model fields (a form's extra inputs) are left out."""
    values = []
    for name in names:
        try:
            model_field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only input
            continue
        values.append((capfirst(model_field.verbose_name), display_value(instance, model_field)))
    return values


def display_value(instance: models.Model, model_field) -> str:
    """A stored value as a person reads it: choice labels, names, local dates, Sí/No."""
    if model_field.many_to_many:
        return ", ".join(str(item) for item in getattr(instance, model_field.name).all()) or "—"
    value = getattr(instance, model_field.name)
    if model_field.choices and value not in (None, ""):
        return str(getattr(instance, f"get_{model_field.name}_display")())
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)

"""Model fields that encrypt their value at rest (AES-256-GCM, see keys.py).

The model attribute is plaintext; the column holds ``v1:<key id>:<base64>``
text. Decisions:

- None is stored as NULL, so whether a value is set is visible in the database.
  Every other value, the empty string included, is encrypted: an empty
  ciphertext would otherwise reveal "blank" versus "filled in".
- Ciphertexts are randomised, so the database cannot compare them: every
  lookup except ``isnull`` (and ``=None``) raises FieldError. Search by value
  goes through a blind index (blind_index.py). ``unique``, ``db_index`` and
  ``primary_key`` are refused by a system check for the same reason.
- The associated data is ``app_label.model.field``: renaming a model or field
  (or moving it to another app) needs a data migration that decrypts under the
  old name and encrypts under the new one.
- dumpdata writes plaintext (value_to_string): treat dumps as sensitive.
"""

import json

from django import forms
from django.core import checks, validators
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.utils.translation import gettext_lazy as _

from aluna.encryption import keys


class _NoneOnlyExact(Exact):
    """``filter(field=None)``: Django turns it into isnull; any other value is refused."""

    def __init__(self, lhs, rhs):
        if rhs is not None:
            raise _lookup_error(lhs.output_field, "exact")
        super().__init__(lhs, rhs)


def _lookup_error(field, lookup_name: str) -> FieldError:
    return FieldError(
        f"{field.model._meta.label}.{field.name} is encrypted: the database cannot compare "
        f"its values, so the lookup '{lookup_name}' is not supported (only 'isnull'). "
        "Search it through its blind index (aluna.encryption.blind_index.blind_index_filter)."
    )


class EncryptedFieldMixin:
    """Encrypts in get_prep_value and decrypts in from_db_value."""

    encrypted = True

    def associated_data(self) -> bytes:
        return f"{self.model._meta.label_lower}.{self.name}".encode()

    # --- Python <-> text ------------------------------------------------------------
    def serialize_plaintext(self, value) -> str:
        return value

    def deserialize_plaintext(self, text: str):
        return text

    # --- Database ---------------------------------------------------------------------
    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        plaintext = keys.decrypt(value, associated_data=self.associated_data())
        return self.deserialize_plaintext(plaintext.decode("utf-8"))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        text = self.serialize_plaintext(value)
        return keys.encrypt(text.encode("utf-8"), associated_data=self.associated_data())

    # --- Lookups ------------------------------------------------------------------------
    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _NoneOnlyExact
        raise _lookup_error(self, lookup_name)

    def get_transform(self, lookup_name):
        raise _lookup_error(self, lookup_name)

    # --- Checks ---------------------------------------------------------------------------
    def check(self, **kwargs):
        errors = super().check(**kwargs)
        for option in ("unique", "db_index", "primary_key"):
            if getattr(self, option, False):
                errors.append(
                    checks.Error(
                        f"Encrypted fields cannot set {option}=True: ciphertexts are random.",
                        hint="Use a blind index to find or deduplicate values.",
                        obj=self,
                        id="encryption.E001",
                    )
                )
        return errors


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # PostgreSQL would store a NUL inside the ciphertext without complaint,
        # so keep the same rule as CharField for the plaintext.
        self.validators.append(validators.ProhibitNullCharactersValidator())


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """A CharField whose max_length is checked on the plaintext; the column is text."""

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def cast_db_type(self, connection):
        return self.db_type(connection)


class EncryptedJSONField(EncryptedFieldMixin, models.TextField):
    """JSON-serialisable values, encrypted as one blob. Python None is stored as NULL."""

    empty_strings_allowed = False
    default_error_messages = {"invalid": _("Value must be valid JSON.")}

    def __init__(self, *args, encoder=DjangoJSONEncoder, **kwargs):
        self.encoder = encoder
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not DjangoJSONEncoder:
            kwargs["encoder"] = self.encoder
        return name, path, args, kwargs

    def serialize_plaintext(self, value) -> str:
        return json.dumps(value, cls=self.encoder, ensure_ascii=False)

    def deserialize_plaintext(self, text: str):
        return json.loads(text)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        # Skip TextField.get_prep_value, which would turn a dict into its str().
        if value is None:
            return None
        return keys.encrypt(
            self.serialize_plaintext(value).encode("utf-8"),
            associated_data=self.associated_data(),
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            self.serialize_plaintext(value)
        except TypeError as exc:
            raise validators.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from exc

    def value_to_string(self, obj):
        return self.value_from_object(obj)

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": forms.JSONField, "encoder": self.encoder, **kwargs}
        )

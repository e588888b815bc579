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
- The associated data is ``app_label.model.field|<primary key>``: a ciphertext
  copied into another row, column or table fails to decrypt there (DecryptionError),
  instead of showing another person's text. Renaming a model or field (or moving
  it to another app) needs a data migration that decrypts under the old name and
  encrypts under the new one.
- A row's pk is known before it is written: UUID pks have a default, and an
  auto-increment pk is taken from its sequence just before the first save
  (bulk_create: `allocate_pks(objs)` first). A value read from the database
  is decrypted once the whole row is loaded (Model.from_db), with the row's pk.
  values()/values_list() have no row: they give `Sealed` values, which only
  `field.open(sealed, pk=...)` opens.
- Values written before rows were bound (``app_label.model.field`` only) still
  decrypt, unless FIELD_ENCRYPTION_ALLOW_UNBOUND is off; `manage.py
  bind_encrypted_rows` re-encrypts them bound. So does any value written without
  its row (queryset.update() with a plain value, loaddata, a migration's default).
- dumpdata writes plaintext (value_to_string): treat dumps as sensitive.
"""

import json

from django import forms
from django.conf import settings
from django.core import checks, validators
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router
from django.db.models.fields import AutoFieldMixin
from django.db.models.lookups import Exact, IsNull
from django.utils.translation import gettext_lazy as _

from aluna.encryption import keys


class Sealed:
    """A stored value read without its row (values(), values_list()): still encrypted.

    Refuses to be shown: `str()` raises instead of printing ciphertext or nothing.
    Open it with `field.open(sealed, pk=row_pk)`.
    """

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token

    def __repr__(self) -> str:
        return "<Sealed encrypted value>"

    def __str__(self) -> str:
        raise TypeError(
            "An encrypted value read without its row (values()/values_list()) cannot be "
            "shown: load model instances, or open it with field.open(value, pk=...)."
        )


class RowValue:
    """A plaintext on its way to the database, with the pk of the row it belongs to.

    `field.pre_save` wraps every saved value; use it yourself in
    `queryset.filter(pk=pk).update(field=RowValue(value, pk))`.
    """

    __slots__ = ("pk", "value")

    def __init__(self, value, pk):
        self.value = value
        self.pk = pk


def allocate_pks(objs) -> None:
    """Give objects of a model with an auto-increment pk their pk before bulk_create,
    so that their encrypted values can be bound to it (one query for all)."""
    objs = [obj for obj in objs if obj.pk is None]
    if not objs:
        return
    model = type(objs[0])
    for obj, pk in zip(objs, _next_pks(model, len(objs)), strict=True):
        obj.pk = pk


def _next_pks(model, count: int) -> list[int]:
    connection = connections[router.db_for_write(model)]
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite (development only): the next free ids; one writer at a time there.
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) "  # noqa: S608 # nosec B608 # quoted model names
            f"FROM {connection.ops.quote_name(table)}"
        )
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _allocate_pk_before_save(sender, instance, raw=False, **kwargs):
    """pre_save of every model (connected in apps.py): a model with encrypted fields
    and an auto-increment pk gets its pk before the INSERT, to bind its values to."""
    if (
        getattr(sender, "_aluna_encrypted_fields", False)
        and instance.pk is None
        and not raw
        and isinstance(sender._meta.pk, AutoFieldMixin)
    ):
        allocate_pks([instance])


def _from_db_opening_sealed(original):
    def from_db(cls, db, field_names, values, **kwargs):
        # **kwargs: fetch_mode (Django 6.1) and whatever comes next, passed on.
        instance = original.__func__(cls, db, field_names, values, **kwargs)
        for field in cls._meta.concrete_fields:
            value = instance.__dict__.get(field.attname)
            if isinstance(value, Sealed):
                instance.__dict__[field.attname] = field.open(value, pk=instance.pk)
        return instance

    from_db._aluna_opens_sealed = True
    return classmethod(from_db)


def _install_row_binding(cls) -> None:
    """Once per model class (inherited by subclasses): decrypt on load with the row's pk."""
    cls._aluna_encrypted_fields = True
    if not getattr(cls.from_db, "_aluna_opens_sealed", False):
        cls.from_db = _from_db_opening_sealed(cls.from_db)


def _bound(associated_data: bytes, pk) -> bytes:
    return associated_data + b"|" + str(pk).encode()


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
    """Encrypts in get_prep_value (bound to the row pre_save names); decrypts in Model.from_db."""

    encrypted = True

    def associated_data(self) -> bytes:
        """The column's associated data; a row's adds its pk (see `_bound`)."""
        return f"{self.model._meta.label_lower}.{self.name}".encode()

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        _install_row_binding(cls)

    # --- Rows --------------------------------------------------------------------------
    def seal(self, value, *, pk) -> str:
        """The ciphertext of `value` bound to this column of row `pk`."""
        plaintext = self.serialize_plaintext(value).encode("utf-8")
        return keys.encrypt(plaintext, associated_data=_bound(self.associated_data(), pk))

    def open(self, sealed: "Sealed", *, pk):
        """The value in `sealed`, which must belong to this column of row `pk`."""
        try:
            plaintext = keys.decrypt(
                sealed.token, associated_data=_bound(self.associated_data(), pk)
            )
        except keys.UnknownKeyError:
            raise
        except keys.DecryptionError:
            if not settings.FIELD_ENCRYPTION_ALLOW_UNBOUND:
                raise
            # Written before rows were bound, or without its row: the column only.
            plaintext = keys.decrypt(sealed.token, associated_data=self.associated_data())
        return self.deserialize_plaintext(plaintext.decode("utf-8"))

    def is_bound(self, token: str, *, pk) -> bool:
        try:
            keys.decrypt(token, associated_data=_bound(self.associated_data(), pk))
        except keys.DecryptionError:
            return False
        return True

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if value is None or model_instance.pk is None:
            return value
        return RowValue(value, model_instance.pk)

    # --- Python <-> text ------------------------------------------------------------
    def serialize_plaintext(self, value) -> str:
        return value

    def deserialize_plaintext(self, text: str):
        return text

    # --- Database ---------------------------------------------------------------------
    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        # Opened by Model.from_db once the row's pk is known (see _install_row_binding).
        return None if value is None else Sealed(value)

    def get_prep_value(self, value):
        if isinstance(value, RowValue):
            if value.value is None:
                return None
            return self.seal(super().get_prep_value(value.value), pk=value.pk)
        value = super().get_prep_value(value)
        if value is None:
            return None
        # No row (queryset.update(), loaddata, a migration's default): the column only,
        # until `manage.py bind_encrypted_rows` binds it.
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
        if isinstance(value, RowValue):
            return None if value.value is None else self.seal(value.value, pk=value.pk)
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

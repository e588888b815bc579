"""The key ring for field encryption: AES-256-GCM with keys from settings.

settings.FIELD_ENCRYPTION_KEYS is a list of urlsafe-base64 32-byte keys. The
first one encrypts; every one of them decrypts, so a new key is put first and
the old ones stay until `manage.py rotate_encryption_keys` has re-encrypted
every value.

A stored value is ``v1:<key id>:<base64(nonce + ciphertext + tag)>``. The key
id is the first 8 hex characters of SHA-256 of the key: it tells which key to
use and which rows still need rotating, and reveals nothing about the key.
The associated data binds a ciphertext to its column (``app_label.model.field``)
and, for model fields, to its row's primary key (fields.py), so a value copied
into another row, column or table fails to decrypt.

The ring is read from settings on each call (and cached by the key values), so
overriding the setting in tests or at runtime needs no cache clearing.
"""

import base64
import binascii
import functools
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "v1"
NONCE_BYTES = 12  # 96 bits, the size AES-GCM is designed for


class DecryptionError(Exception):
    """A stored value could not be decrypted. The message never contains the data."""


class UnknownKeyError(DecryptionError):
    """The value was encrypted under a key that is not in FIELD_ENCRYPTION_KEYS."""


@dataclass(frozen=True)
class Key:
    key_id: str
    aead: AESGCM


def key_id_for(raw_key: bytes) -> str:
    return hashlib.sha256(raw_key).hexdigest()[:8]


def decode_key(encoded: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(encoded.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold urlsafe-base64 encoded keys."
        ) from exc
    if len(raw) != 32:
        raise ImproperlyConfigured(
            f"Each FIELD_ENCRYPTION_KEYS entry must decode to 32 bytes, not {len(raw)}."
        )
    return raw


def generate_key() -> str:
    """A new key in the format FIELD_ENCRYPTION_KEYS expects."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


@functools.lru_cache(maxsize=8)
def _ring(encoded_keys: tuple[str, ...]) -> tuple[Key, ...]:
    if not encoded_keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: no key to encrypt with.")
    keys = []
    for encoded in encoded_keys:
        raw = decode_key(encoded)
        keys.append(Key(key_id=key_id_for(raw), aead=AESGCM(raw)))
    ids = [key.key_id for key in keys]
    if len(set(ids)) != len(ids):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS lists the same key twice.")
    return tuple(keys)


def key_ring() -> tuple[Key, ...]:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if isinstance(keys, str):
        keys = [k for k in keys.split(",") if k.strip()]
    return _ring(tuple(keys))


def current_key_id() -> str:
    return key_ring()[0].key_id


def current_prefix() -> str:
    """What every value encrypted under the current key starts with."""
    return f"{VERSION}:{current_key_id()}:"


def encrypt(plaintext: bytes, *, associated_data: bytes) -> str:
    key = key_ring()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = key.aead.encrypt(nonce, plaintext, associated_data)
    payload = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
    return f"{VERSION}:{key.key_id}:{payload}"


def key_id_of(token: str) -> str:
    version, key_id, _payload = _split(token)
    return key_id


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != VERSION:
        raise DecryptionError("Stored value is not in the encrypted format (v1:<key id>:...).")
    return parts[0], parts[1], parts[2]


def decrypt(token: str, *, associated_data: bytes) -> bytes:
    _version, key_id, payload = _split(token)
    key = next((k for k in key_ring() if k.key_id == key_id), None)
    if key is None:
        raise UnknownKeyError(
            f"No key with id {key_id} in FIELD_ENCRYPTION_KEYS: add the key that encrypted "
            "this value back to the list."
        )
    try:
        blob = base64.urlsafe_b64decode(payload.encode("ascii"))
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError(f"Value under key {key_id} is not valid base64.") from exc
    nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    try:
        return key.aead.decrypt(nonce, sealed, associated_data)
    except InvalidTag as exc:
        raise DecryptionError(
            f"Value under key {key_id} failed authentication for "
            f"{associated_data.decode('utf-8', 'replace')}: it was tampered with or "
            "belongs to another column."
        ) from exc

"""Keep what a user typed when their session expired mid-form.

The POST is sealed with AES-GCM (settings.FIELD_ENCRYPTION_KEYS[0]) before
it goes into the new, anonymous session: the session table never holds the
plain text of a case note. The sealed blob names its owner and target path
(as authenticated data), so it opens only for the same person, on the same
page, within STASH_MAX_AGE.
"""

import base64
import json
import os
import time

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

SESSION_KEY = "aluna_expired_post"
STASH_MAX_AGE = 60 * 60
_AAD_PREFIX = b"aluna.accounts.stash:"


def _key() -> bytes:
    return base64.urlsafe_b64decode(settings.FIELD_ENCRYPTION_KEYS[0])


def seal(*, user_id: str, path: str, items: list[tuple[str, str]]) -> dict:
    nonce = os.urandom(12)
    plaintext = json.dumps({"items": items, "at": time.time()}).encode()
    aad = _AAD_PREFIX + f"{user_id}:{path}".encode()
    ciphertext = AESGCM(_key()).encrypt(nonce, plaintext, aad)
    return {
        "path": path,
        "user": user_id,
        "blob": base64.b64encode(nonce + ciphertext).decode(),
    }


def unseal(stash: dict, *, user_id: str, path: str) -> list[tuple[str, str]] | None:
    """The typed items, or None when the stash is not this user's, this page's, or too old."""
    if not isinstance(stash, dict) or stash.get("user") != user_id or stash.get("path") != path:
        return None
    try:
        raw = base64.b64decode(stash["blob"])
        aad = _AAD_PREFIX + f"{user_id}:{path}".encode()
        data = json.loads(AESGCM(_key()).decrypt(raw[:12], raw[12:], aad))
    except (KeyError, ValueError, InvalidTag):
        return None
    if time.time() - data["at"] > STASH_MAX_AGE:
        return None
    return [(str(k), str(v)) for k, v in data["items"]]

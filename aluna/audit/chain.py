"""The tamper-evident chain: how an event's `hmac` is computed from its fields.

hmac(n) = HMAC-SHA256(AUDIT_HMAC_KEY, canonical(event n) + hmac(n-1)), with
hmac(0) = "". Changing the serialisation breaks every existing chain: keep it.
"""

import hashlib
import hmac as hmac_lib
import json
from datetime import UTC

from django.conf import settings

GENESIS = ""


def _key() -> bytes:
    return settings.AUDIT_HMAC_KEY.encode()


def canonical(event) -> bytes:
    """A stable byte string of every field the chain protects."""
    fields = {
        "sequence": event.sequence,
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": str(event.actor_id) if event.actor_id is not None else None,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "request_id": event.request_id,
        "ip_network": event.ip_network or None,
        "metadata": event.metadata or {},
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def compute_hmac(event, *, previous_hmac: str) -> str:
    message = canonical(event) + b"|" + previous_hmac.encode()
    return hmac_lib.new(_key(), message, hashlib.sha256).hexdigest()


def hmac_matches(event, *, previous_hmac: str) -> bool:
    return hmac_lib.compare_digest(event.hmac, compute_hmac(event, previous_hmac=previous_hmac))

"""Writing the audit trail. Every write goes through `audit_record`."""

import ipaddress
import re

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from aluna.core.client_address import client_address

from .chain import GENESIS, compute_hmac
from .models import AuditAction, AuditEvent

# Any constant works; it only has to be the same for every writer.
_CHAIN_LOCK_ID = 0x41_4C_55_4E_41  # "ALUNA"
_TARGET_TYPE_RE = re.compile(r"^([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)?$")
# Ids and codes only: UUIDs, numbers, slugs, hashes, url names. No spaces, no "@",
# so no name, sentence or e-mail address fits.
_SAFE_TEXT_RE = re.compile(r"^[A-Za-z0-9_.:\-]{0,128}$")
_MAX_METADATA_KEYS = 12


def audit_target_type(obj) -> str:
    """ "app_label.model_name" of a model instance or class, e.g. "accompaniment.subject"."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def identifier_hash(identifier: str) -> str:
    """A keyed hash of a submitted login identifier: lets us count attempts per
    account without ever storing what somebody typed."""
    normalised = (identifier or "").strip().lower()
    return salted_hmac(
        "aluna.audit.identifier", normalised, secret=settings.AUDIT_HMAC_KEY, algorithm="sha256"
    ).hexdigest()


def _clean_metadata(metadata: dict | None) -> dict:
    if not metadata:
        return {}
    if not isinstance(metadata, dict) or len(metadata) > _MAX_METADATA_KEYS:
        raise ValueError("Audit metadata must be a small dict.")
    cleaned = {}
    for key, value in metadata.items():
        if not isinstance(key, str) or not _SAFE_TEXT_RE.match(key) or not key:
            raise ValueError(f"Audit metadata key {key!r} is not an identifier.")
        is_code = isinstance(value, str) and _SAFE_TEXT_RE.match(value)
        if not (value is None or isinstance(value, bool | int) or is_code):
            # Floats, lists, dicts and free text are refused: metadata holds ids and codes only.
            raise ValueError(f"Audit metadata value for {key!r} must be a scalar id or code.")
        cleaned[key] = value
    return cleaned


def _ip_network(request) -> str | None:
    """The client's network (/24 or /48), through our own proxies (TRUSTED_PROXIES)."""
    raw = client_address(request) if request is not None else None
    if not raw:
        return None
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def _previous_link() -> tuple[int, str]:
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hmac").first()
    return last if last is not None else (0, GENESIS)


def audit_record(
    *,
    action: str,
    actor=None,
    target_type: str = "",
    target_id: str = "",
    request=None,
    metadata: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit trail, inside the caller's transaction.

    Side effects: inserts an AuditEvent. On PostgreSQL it takes a transaction
    advisory lock so concurrent writers append one after the other instead of
    forking the chain; the lock is held until the caller's transaction ends,
    so keep audited transactions short. If the caller rolls back, the event
    goes too: no trace of an action that did not happen.

    `action` is an AuditAction. `actor` defaults to the request's signed-in user.
    `metadata` accepts only scalar ids and codes (ValueError otherwise): never
    names or free text.
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditAction.")
    action = str(action)
    if not _TARGET_TYPE_RE.match(target_type):
        raise ValueError(f"Audit target_type must be 'app_label.model_name', not {target_type!r}.")
    target_id = "" if target_id is None else str(target_id)
    if not _SAFE_TEXT_RE.match(target_id) or len(target_id) > 64:
        raise ValueError("Audit target_id must be an id (UUID or number).")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    request_id = str(getattr(request, "request_id", "") or "")[:64] if request is not None else ""

    event = AuditEvent(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        request_id=request_id,
        ip_network=_ip_network(request),
        metadata=_clean_metadata(metadata),
    )
    # savepoint=False: the event lives and dies with the caller's transaction.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])
        previous_sequence, previous_hmac = _previous_link()
        event.sequence = previous_sequence + 1
        # Stamped under the lock so created_at never runs backwards along the chain.
        event.created_at = timezone.now()
        event.hmac = compute_hmac(event, previous_hmac=previous_hmac)
        event.save(force_insert=True)
    return event


def audit_view(request, obj, *, action: str = AuditAction.VIEW, metadata: dict | None = None):
    """Record that the signed-in user read `obj`: a sensitive record's page, its
    download or its export. The one way views audit a read."""
    return audit_record(
        action=action,
        actor=request.user,
        target_type=audit_target_type(obj),
        target_id=str(obj.pk),
        request=request,
        metadata=metadata,
    )

"""Anchors: the audit chain's head, published outside the database.

The hash chain (chain.py) shows that a row was edited or removed from the
middle, but whoever owns the database can disable the append-only trigger and
delete the newest rows, or truncate the table and let a new chain start: what
is left still verifies. So the head of the chain (its last sequence number and
that event's HMAC) is published every minute (beat task `aluna.audit.anchor`)
and at each `manage.py backup` to a sink the database owner cannot rewrite:

- `AUDIT_ANCHOR_PATH`: one JSON line appended per anchor, opened O_APPEND and
  fsynced, on a volume that is not on the database host (see README);
- `AUDIT_ANCHOR_SYSLOG` (optional): the same line to syslog, e.g.
  `udp://logs.example.org:514` or `/dev/log`, for a remote collector.

Each line carries its own MAC (AUDIT_HMAC_KEY) so a line added by someone
without the key is refused, not believed. `verify_audit` compares the table
with the latest anchors: an anchored event that is missing past the last row
is a deleted tail, an empty table under an anchor is a truncation, and an
anchored event whose HMAC differs is a replaced table. An anchor that is too
old is reported as a gap: rows written since are not protected yet.

A line: {"at": ISO-8601 UTC, "sequence": 42, "hmac": "<64 hex>", "reason": "beat",
"mac": "<64 hex>"}. Sequence 0 with hmac "" is the empty chain.
"""

import hashlib
import hmac as hmac_lib
import json
import logging
import logging.handlers
import os
import re
import socket
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from .chain import GENESIS
from .models import AuditEvent

logger = logging.getLogger(__name__)

_JSON_RE = re.compile(r"\{.*\}")
_HMAC_RE = re.compile(r"^([0-9a-f]{64})?$")


class AnchorError(Exception):
    """The anchor could not be published (the sink is missing or refuses writes)."""


@dataclass(frozen=True)
class Anchor:
    at: datetime
    sequence: int
    hmac: str
    reason: str

    def payload(self) -> dict:
        return {
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "sequence": self.sequence,
            "hmac": self.hmac,
            "reason": self.reason,
        }


def _mac(payload: dict) -> str:
    message = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    key = settings.AUDIT_HMAC_KEY.encode()
    return hmac_lib.new(key, b"aluna.audit.anchor|" + message, hashlib.sha256).hexdigest()


def anchor_line(anchor: Anchor) -> str:
    payload = anchor.payload()
    return json.dumps({**payload, "mac": _mac(payload)}, sort_keys=True, separators=(",", ":"))


def parse_anchor_line(line: str) -> Anchor | None:
    """The anchor in `line` (a bare JSON line, or a syslog line that ends with one),
    or None when the line holds none or its MAC does not match the key."""
    found = _JSON_RE.search(line)
    if found is None:
        return None
    try:
        data = json.loads(found.group(0))
        payload = {
            "at": str(data["at"]),
            "sequence": int(data["sequence"]),
            "hmac": str(data["hmac"]),
            "reason": str(data["reason"]),
        }
        mac = str(data["mac"])
        at = datetime.fromisoformat(payload["at"])
    except (ValueError, KeyError, TypeError):
        return None
    if payload["sequence"] < 0 or not _HMAC_RE.match(payload["hmac"]) or at.tzinfo is None:
        return None
    if not hmac_lib.compare_digest(mac, _mac(payload)):
        return None
    return Anchor(
        at=at, sequence=payload["sequence"], hmac=payload["hmac"], reason=payload["reason"]
    )


def chain_head() -> tuple[int, str]:
    """(sequence, hmac) of the newest committed event; (0, "") for an empty trail."""
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hmac").first()
    return last if last is not None else (0, GENESIS)


def _append(path: Path, line: str) -> None:
    # O_APPEND: every write lands at the end, whatever else has the file open;
    # the app never opens it for writing in any other way. 0600: only this user.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        data = (line + "\n").encode()
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(f"short write to {path}")
        os.fsync(fd)
    finally:
        os.close(fd)


def _syslog_handler(target: str) -> logging.Handler:
    parts = urlsplit(target)
    if parts.scheme in ("udp", "tcp"):
        socktype = socket.SOCK_DGRAM if parts.scheme == "udp" else socket.SOCK_STREAM
        return logging.handlers.SysLogHandler(
            address=(parts.hostname, parts.port or 514),
            facility=logging.handlers.SysLogHandler.LOG_AUTH,
            socktype=socktype,
        )
    return logging.handlers.SysLogHandler(
        address=target, facility=logging.handlers.SysLogHandler.LOG_AUTH
    )


def _send_syslog(target: str, line: str) -> None:
    handler = _syslog_handler(target)
    try:
        handler.ident = "aluna-audit-anchor: "
        record = logging.LogRecord("aluna.audit.anchor", logging.INFO, "", 0, line, None, None)
        handler.emit(record)
    finally:
        handler.close()


def anchor_publish(*, reason: str) -> Anchor:
    """Append the chain's current head to the anchor file (and syslog if set).

    Raises AnchorError when no sink is configured or the file cannot be written:
    a silent failure would look like protection that is not there.
    """
    path = settings.AUDIT_ANCHOR_PATH
    target = settings.AUDIT_ANCHOR_SYSLOG
    if not path and not target:
        raise AnchorError("Neither AUDIT_ANCHOR_PATH nor AUDIT_ANCHOR_SYSLOG is set.")
    sequence, head_hmac = chain_head()
    anchor = Anchor(at=timezone.now(), sequence=sequence, hmac=head_hmac, reason=reason)
    line = anchor_line(anchor)
    if path:
        path = Path(path)
        if settings.DEBUG or settings.TESTING:
            # Production mounts the folder (a separate volume): never create it there,
            # or a missing mount would send the anchors to the container's own disk.
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            _append(path, line)
        except OSError as exc:
            raise AnchorError(f"Cannot append to the audit anchor file {path}: {exc}") from exc
    if target:
        try:
            _send_syslog(target, line)
        except OSError as exc:
            raise AnchorError(f"Cannot send the audit anchor to syslog {target}: {exc}") from exc
    return anchor


def read_anchors(path: Path, *, latest: int) -> tuple[list[Anchor], int]:
    """The `latest` valid anchors of the file, oldest first, and how many lines
    that look like anchors were refused (damaged, or a MAC that does not match)."""
    anchors: deque[Anchor] = deque(maxlen=latest)
    refused = 0
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if _JSON_RE.search(line) is None:
                continue  # a blank line, or another program's line in a syslog extract
            anchor = parse_anchor_line(line)
            if anchor is None:
                refused += 1
            else:
                anchors.append(anchor)
    return list(anchors), refused


def _describe(anchor: Anchor) -> str:
    return f"the anchor of {anchor.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def anchor_problems(anchors: list[Anchor], *, max_age: timedelta, now=None) -> list[str]:
    """Compare the table with `anchors` (oldest first); an empty list means they agree."""
    if not anchors:
        return ["no audit anchor found: the newest events cannot be checked"]
    now = now or timezone.now()
    problems: list[str] = []
    head_sequence, _ = chain_head()
    anchored = {a.sequence for a in anchors if a.sequence > 0}
    stored = dict(AuditEvent.objects.filter(sequence__in=anchored).values_list("sequence", "hmac"))
    latest = max(anchors, key=lambda a: (a.sequence, a.at))
    if head_sequence == 0 and latest.sequence > 0:
        problems.append(
            f"the audit table is empty, but {_describe(latest)} recorded event "
            f"{latest.sequence}: the table was truncated"
        )
        return problems
    if latest.sequence > head_sequence:
        problems.append(
            f"events {head_sequence + 1}-{latest.sequence}: missing after the last event "
            f"(deleted tail; {_describe(latest)} recorded event {latest.sequence})"
        )
    replaced = [a for a in anchors if a.sequence in stored and stored[a.sequence] != a.hmac]
    if replaced:
        first = replaced[0]
        problems.append(
            f"event {first.sequence}: differs from {_describe(first)} "
            f"({len(replaced)} anchor(s) disagree): the table was replaced or rolled back"
        )
    newest = max(a.at for a in anchors)
    if now - newest > max_age:
        minutes = int((now - newest).total_seconds() // 60)
        problems.append(
            f"no anchor since {newest.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC ({minutes} min): "
            f"events after {latest.sequence} are not protected against deletion"
        )
    return problems

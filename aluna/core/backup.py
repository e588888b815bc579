"""Encrypted PostgreSQL backups: `manage.py backup` and `manage.py restore`.

A backup is `pg_dump --format=custom` streamed through AES-256-GCM under
BACKUP_KEY, a key of its own: whoever holds the backup key can read a dump,
and a field key alone cannot. In DEBUG and under tests the key is generated
once into var/backup_key, like the other development keys; production refuses
to back up without BACKUP_KEY in the environment.

File format (version 1), every integer big-endian:

    header  = b"ALUNABK\\0" | version (1 byte) | key id (8 ASCII hex) |
              chunk size (4 bytes) | base nonce (12 bytes)
    chunk_i = AES-256-GCM(key, nonce_i, plaintext_i, aad_i)  (chunk size + 16 bytes,
              the last one shorter)
    nonce_i = base nonce XOR i (i as 96-bit integer)
    aad_i   = header | i (8 bytes) | 1 if chunk i is the last one else 0

The header is in every chunk's associated data, so changing it fails every
chunk; the counter makes reordered chunks fail; the "last" flag makes a file
cut at a chunk boundary, or one with chunks appended, fail. An empty plaintext
still produces one (last) chunk. The key id (first 8 hex characters of
SHA-256 of the key, as for the field keys) tells which key a file needs and
nothing about the key.

Neither direction ever writes the data, or pg_restore's DETAIL lines (which
may quote values), to the terminal.
"""

import base64
import binascii
import hashlib
import os
import secrets
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import environ
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connections
from django.dispatch import Signal

MAGIC = b"ALUNABK\0"
FORMAT_VERSION = 1
CHUNK_SIZE = 1024 * 1024
TAG_BYTES = 16
NONCE_BYTES = 12
_HEADER = struct.Struct(">8sB8sI12s")
HEADER_BYTES = _HEADER.size
# No sane dump uses chunks above 64 MiB: refuse a header that asks for more memory.
MAX_CHUNK_SIZE = 64 * 1024 * 1024
POSTGRESQL_ENGINES = ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis")


class BackupError(Exception):
    """A backup or restore could not be done. The message never contains data."""


# Sent by `manage.py backup` just before it dumps the configured database (not
# one given by --database-url). The audit app anchors its chain's head here, so
# every backup has an anchor that covers what it holds.
backup_starting = Signal()


# --- The key -------------------------------------------------------------------


def _decode_key(encoded: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(encoded.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise BackupError("BACKUP_KEY must be an urlsafe-base64 encoded 32-byte key.") from exc
    if len(raw) != 32:
        raise BackupError(f"BACKUP_KEY must decode to 32 bytes, not {len(raw)}.")
    return raw


def _dev_key_file() -> Path:
    return Path(settings.VAR_DIR) / "backup_key"


def backup_key() -> bytes:
    """BACKUP_KEY from settings; in DEBUG or tests a key generated once into var/.

    Refuses a key that is also a field, blind-index or audit key: the point of
    a separate key is that one leaked key does not open both.
    """
    encoded = getattr(settings, "BACKUP_KEY", "")
    if not encoded:
        if not (settings.DEBUG or getattr(settings, "TESTING", False)):
            raise BackupError(
                "BACKUP_KEY is not set. Set it in the environment to a urlsafe-base64 "
                "32-byte key that is not one of FIELD_ENCRYPTION_KEYS, and keep a copy "
                "away from the backups: without it no backup can be restored."
            )
        key_file = _dev_key_file()
        if not key_file.exists():
            key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
            key_file.chmod(0o600)
        encoded = key_file.read_text().strip()
    raw = _decode_key(encoded)
    other_keys = [
        *settings.FIELD_ENCRYPTION_KEYS,
        settings.BLIND_INDEX_KEY,
        settings.AUDIT_HMAC_KEY,
    ]
    for other in other_keys:
        try:
            if base64.urlsafe_b64decode(str(other).strip().encode("ascii")) == raw:
                raise BackupError(
                    "BACKUP_KEY must be a key of its own, not one of FIELD_ENCRYPTION_KEYS, "
                    "BLIND_INDEX_KEY or AUDIT_HMAC_KEY."
                )
        except (binascii.Error, ValueError, UnicodeEncodeError):
            continue
    return raw


def key_id_for(raw_key: bytes) -> str:
    return hashlib.sha256(raw_key).hexdigest()[:8]


# --- The stream format -----------------------------------------------------------


def _nonce(base_nonce: bytes, counter: int) -> bytes:
    return (int.from_bytes(base_nonce, "big") ^ counter).to_bytes(NONCE_BYTES, "big")


def _aad(header: bytes, counter: int, last: bool) -> bytes:
    return header + struct.pack(">QB", counter, 1 if last else 0)


def _read_full(stream: BinaryIO, size: int) -> bytes:
    """Read exactly `size` bytes unless the stream ends first (pipes return short reads)."""
    parts = []
    remaining = size
    while remaining:
        part = stream.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def _chunks(stream: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    """(chunk, is_last) pairs, reading one chunk ahead; an empty stream gives one empty chunk."""
    current = _read_full(stream, size)
    while True:
        following = _read_full(stream, size) if len(current) == size else b""
        yield current, not following
        if not following:
            return
        current = following


def encrypt_stream(source: BinaryIO, target: BinaryIO, *, key: bytes, chunk_size=CHUNK_SIZE):
    aead = AESGCM(key)
    base_nonce = os.urandom(NONCE_BYTES)
    header = _HEADER.pack(
        MAGIC, FORMAT_VERSION, key_id_for(key).encode("ascii"), chunk_size, base_nonce
    )
    target.write(header)
    for counter, (chunk, last) in enumerate(_chunks(source, chunk_size)):
        target.write(aead.encrypt(_nonce(base_nonce, counter), chunk, _aad(header, counter, last)))


def read_header(source: BinaryIO) -> tuple[bytes, str, int, bytes]:
    header = _read_full(source, HEADER_BYTES)
    if len(header) < HEADER_BYTES:
        raise BackupError("This is not an Aluna backup: the file is too short.")
    magic, version, key_id, chunk_size, base_nonce = _HEADER.unpack(header)
    if magic != MAGIC:
        raise BackupError("This is not an Aluna backup (wrong magic bytes).")
    if version != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format version {version}.")
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise BackupError("The backup header is damaged (impossible chunk size).")
    return header, key_id.decode("ascii", "replace"), chunk_size, base_nonce


def decrypt_stream(source: BinaryIO, target: BinaryIO, *, key: bytes) -> None:
    """Decrypt and authenticate the whole stream; BackupError on any damage.

    Plaintext of a chunk is written only after its tag checked out, but a
    later chunk may still fail: write to a scratch file and use it only if
    this returns.
    """
    header, key_id, chunk_size, base_nonce = read_header(source)
    if key_id != key_id_for(key):
        raise BackupError(
            f"This backup was encrypted with key {key_id}; BACKUP_KEY is key "
            f"{key_id_for(key)}. Set BACKUP_KEY to the key the backup was made with."
        )
    aead = AESGCM(key)
    for counter, (sealed, last) in enumerate(_chunks(source, chunk_size + TAG_BYTES)):
        try:
            plain = aead.decrypt(_nonce(base_nonce, counter), sealed, _aad(header, counter, last))
        except InvalidTag as exc:
            raise BackupError(
                f"The backup failed authentication at chunk {counter}: it is damaged, "
                "truncated or was tampered with. Nothing was restored."
            ) from exc
        target.write(plain)


# --- PostgreSQL -----------------------------------------------------------------------


def database_settings(database_url: str | None = None, alias: str = "default") -> dict:
    """The connection settings of `alias`, or those parsed from `database_url`."""
    if database_url:
        config = environ.Env.db_url_config(database_url)
    else:
        config = dict(connections[alias].settings_dict)
    if config.get("ENGINE") not in POSTGRESQL_ENGINES:
        raise BackupError(
            "Backups need PostgreSQL: this database is "
            f"{config.get('ENGINE') or 'not configured'}. "
            "With SQLite, copy the database file while the app is stopped."
        )
    if not config.get("NAME"):
        raise BackupError("The database has no NAME to back up or restore.")
    return config


def _pg_arguments(config: dict) -> list[str]:
    args = ["--dbname", str(config["NAME"]), "--no-password"]
    if config.get("HOST"):
        args += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", str(config["USER"])]
    return args


def _pg_environment(config: dict) -> dict[str, str]:
    """The process environment plus the password: never on the command line (ps shows it)."""
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    options = config.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on the PATH. Install the PostgreSQL client whose major "
            "version matches the server (e.g. postgresql-client-15)."
        )
    return found


def _safe_stderr(stderr: bytes) -> str:
    """pg_dump/pg_restore messages without DETAIL/CONTEXT lines, which may quote row values."""
    lines = stderr.decode("utf-8", "replace").splitlines()
    kept = [
        line
        for line in lines
        if not line.lstrip().startswith(("DETAIL:", "CONTEXT:", "HINT:", "LINE "))
    ]
    return "\n".join(kept[-10:])


def _open_private(path: Path) -> BinaryIO:
    """Open `path` for writing with mode 0600 from the first byte (no umask window)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def backup(output: Path, *, database_url: str | None = None) -> str:
    """Dump the database encrypted into `output` (0600). Returns the key id used.

    Written to a temporary name beside `output` and renamed only once pg_dump
    succeeded, so a failed backup never leaves a file that looks complete.
    """
    output = Path(output)
    config = database_settings(database_url)
    key = backup_key()
    pg_dump = _program("pg_dump")
    partial = output.with_name(f".{output.name}.partial")
    command = [pg_dump, "--format=custom", "--compress=6", *_pg_arguments(config)]
    try:
        with (
            _open_private(partial) as target,
            tempfile.TemporaryFile() as errors,
            subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=errors, env=_pg_environment(config)
            ) as process,
        ):
            encrypt_stream(process.stdout, target, key=key)
            process.stdout.close()
            status = process.wait()
            errors.seek(0)
            stderr = errors.read()
        if status != 0:
            raise BackupError(f"pg_dump failed (exit {status}):\n{_safe_stderr(stderr)}")
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return key_id_for(key)


def verify(path: Path) -> None:
    """Decrypt the whole file into nothing: BackupError if any chunk fails."""
    with open(path, "rb") as source, open(os.devnull, "wb") as sink:
        decrypt_stream(source, sink, key=backup_key())


def restore(path: Path, *, database_url: str | None = None) -> dict:
    """Decrypt `path` to a private scratch file, then pg_restore it over the database.

    Nothing touches the database unless the whole file authenticates. The
    restore runs in one transaction (--single-transaction): if pg_restore
    fails, the database is as it was. Returns the target's NAME and HOST.
    """
    config = database_settings(database_url)
    key = backup_key()
    pg_restore = _program("pg_restore")
    with tempfile.TemporaryDirectory(prefix="aluna-restore-") as scratch:
        os.chmod(scratch, 0o700)
        plain = Path(scratch) / "dump"
        with open(path, "rb") as source, _open_private(plain) as target:
            decrypt_stream(source, target, key=key)
        # Django's own connections to the target must not hold locks the DROPs wait for.
        if not database_url:
            connections.close_all()
        result = subprocess.run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *_pg_arguments(config),
                str(plain),
            ],
            capture_output=True,
            env=_pg_environment(config),
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore failed (exit {result.returncode}); the database was left as it "
            f"was:\n{_safe_stderr(result.stderr)}"
        )
    return {"name": config["NAME"], "host": config.get("HOST") or "local socket"}

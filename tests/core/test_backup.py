"""Encrypted backups: the case files survive a backup and restore, a damaged file never restores.

The story: Carmen (coordination) has a process with sessions whose notes are
encrypted. The operator runs `manage.py backup`; the file holds neither the
notes nor anything pg_dump would recognise. `manage.py restore` brings it back
into a fresh database with the same counts and notes that still decrypt, and
over the live database it undoes what happened after the backup. A file with
one flipped byte or cut short is refused before the database is touched.
"""

import base64
import os
import secrets
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections
from psycopg import sql

from accompaniment.factories import PoliticalSubjectFactory, ProcessFactory, SessionFactory
from accompaniment.models import PoliticalSubject, Process, Session
from aluna.accounts.models import User
from aluna.audit.anchor import parse_anchor_line
from aluna.audit.models import AuditEvent
from aluna.audit.services import audit_record
from aluna.core import backup

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("backup"),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="the PostgreSQL client (pg_dump, pg_restore) is not installed",
    ),
]

BASE_DIR = Path(__file__).resolve().parents[2]
SECRET_NAME = "Rosario Ibarra de la Prueba"
SECRET_NOTES = "Habló del hostigamiento en la colonia Guerrero"


@pytest.fixture
def case_file(coordinator, accompanier):
    subject = PoliticalSubjectFactory(name=SECRET_NAME, alias="Sujeto Respaldo")
    process = ProcessFactory(subject=subject, lead=accompanier)
    SessionFactory.create_batch(3, process=process, notes=SECRET_NOTES)
    audit_record(
        action="view",
        actor=coordinator,
        target_type="accompaniment.politicalsubject",
        target_id=str(subject.pk),
    )
    return subject


@pytest.fixture
def backup_file(case_file, tmp_path):
    path = tmp_path / "aluna.backup"
    call_command("backup", str(path))
    return path


MODELS = (User, PoliticalSubject, Process, Session, AuditEvent)
TABLES = {model._meta.label: model._meta.db_table for model in MODELS}


def _counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in MODELS}


def _database_url(name: str | None = None) -> str:
    config = connections["default"].settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    host, port = config["HOST"] or "127.0.0.1", config["PORT"] or 5432
    return f"postgres://{config['USER']}{password}@{host}:{port}/{name or config['NAME']}"


@pytest.fixture
def scratch_database():
    """An empty database beside the test database, dropped afterwards. Yields its URL.

    Read with psycopg: Django's test case refuses connections to an alias it
    was not set up with, and the encrypted columns are decrypted by the model
    fields themselves (their from_db_value), as the ORM would.
    """
    name = f"aluna_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _database_url(name)
    finally:
        with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _counts_in(url: str) -> dict[str, int]:
    with psycopg.connect(url) as restored:
        return {
            label: restored.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for label, table in TABLES.items()
        }


def _decrypted(url: str, model, field_name: str, **where) -> list:
    """The plaintext of one encrypted column in the restored database, through the field."""
    field = model._meta.get_field(field_name)
    ((column, value),) = where.items()
    query = sql.SQL("SELECT id, {} FROM {} WHERE {} = %s").format(
        sql.Identifier(field.column), sql.Identifier(model._meta.db_table), sql.Identifier(column)
    )
    with psycopg.connect(url) as restored:
        rows = restored.execute(query, [value]).fetchall()
    # Each value is bound to its row: opened with the row's id.
    return [
        field.open(field.from_db_value(raw, None, connections["default"]), pk=row_id)
        for row_id, raw in rows
    ]


def _key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="aluna.settings",
        DEBUG="false",
        ALUNA_TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="aluna.example.org",
        FIELD_ENCRYPTION_KEYS=_key(),
        BLIND_INDEX_KEY=_key(),
        AUDIT_HMAC_KEY=_key(),
        BACKUP_KEY="",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_backup_file_is_private_and_reveals_neither_the_notes_nor_the_dump(backup_file):
    content = backup_file.read_bytes()

    assert oct(backup_file.stat().st_mode & 0o777) == "0o600"
    assert content.startswith(backup.MAGIC)
    assert b"PGDMP" not in content
    for plaintext in (SECRET_NAME, SECRET_NOTES, "Sujeto Respaldo", "pablo@aluna.test"):
        assert plaintext.encode() not in content
    assert list(backup_file.parent.iterdir()) == [backup_file]


def test_operator_restores_a_backup_into_another_database_with_every_record(
    backup_file, case_file, scratch_database
):
    before = _counts()

    call_command("restore", str(backup_file), database_url=scratch_database, yes=True)

    assert _counts_in(scratch_database) == before
    assert before["accompaniment.Session"] == 3
    assert _decrypted(scratch_database, PoliticalSubject, "name", id=case_file.pk) == [SECRET_NAME]
    process_id = Process.objects.get(subject=case_file).pk
    notes = _decrypted(scratch_database, Session, "notes", process_id=process_id)
    assert notes == [SECRET_NOTES] * 3


def test_restore_over_the_database_undoes_what_happened_after_the_backup(backup_file, case_file):
    before = _counts()
    PoliticalSubject.objects.filter(pk=case_file.pk).update(alias="Cambiado después")
    Session.objects.filter(process__subject=case_file).first().delete()
    PoliticalSubjectFactory.create_batch(2)

    call_command("restore", str(backup_file), yes=True)

    assert _counts() == before
    restored = PoliticalSubject.objects.get(pk=case_file.pk)
    assert (restored.alias, restored.name) == ("Sujeto Respaldo", SECRET_NAME)
    call_command("verify_audit")  # the HMAC chain came back intact


def test_each_backup_anchors_the_audit_chain_it_holds(backup_file):
    """The head is published before the dump, so the backup holds every anchored event."""
    [line] = Path(settings.AUDIT_ANCHOR_PATH).read_text().splitlines()
    anchor = parse_anchor_line(line)

    head = AuditEvent.objects.order_by("-sequence").first()
    assert (anchor.sequence, anchor.hmac, anchor.reason) == (head.sequence, head.hmac, "backup")


def test_restore_check_authenticates_the_file_without_a_database(backup_file, capsys):
    call_command("restore", str(backup_file), check=True)

    assert "authenticates" in capsys.readouterr().out


def test_a_backup_with_one_flipped_byte_is_refused_before_the_database_is_touched(
    backup_file, case_file
):
    content = bytearray(backup_file.read_bytes())
    content[len(content) // 2] ^= 0x01
    backup_file.write_bytes(bytes(content))
    PoliticalSubject.objects.filter(pk=case_file.pk).update(alias="Cambiado después")

    with pytest.raises(CommandError, match="failed authentication"):
        call_command("restore", str(backup_file), yes=True)

    assert PoliticalSubject.objects.get(pk=case_file.pk).alias == "Cambiado después"


def test_a_backup_cut_in_half_is_refused(backup_file):
    content = backup_file.read_bytes()
    backup_file.write_bytes(content[: len(content) // 2])

    with pytest.raises(CommandError, match="failed authentication"):
        call_command("restore", str(backup_file), yes=True)


def test_a_backup_cut_exactly_between_two_chunks_is_refused(backup_file, tmp_path):
    # Re-encrypt the dump in 4 KiB chunks so it has several, then keep the first two whole:
    # every kept chunk authenticates, only the missing "last chunk" flag can tell.
    key = backup.backup_key()
    dump, chunked = tmp_path / "dump", tmp_path / "chunked.backup"
    with open(backup_file, "rb") as source, open(dump, "wb") as target:
        backup.decrypt_stream(source, target, key=key)
    with open(dump, "rb") as source, open(chunked, "wb") as target:
        backup.encrypt_stream(source, target, key=key, chunk_size=4096)
    call_command("restore", str(chunked), check=True)
    two_chunks = backup.HEADER_BYTES + 2 * (4096 + backup.TAG_BYTES)
    assert chunked.stat().st_size > two_chunks
    chunked.write_bytes(chunked.read_bytes()[:two_chunks])

    with pytest.raises(CommandError, match="failed authentication at chunk 1"):
        call_command("restore", str(chunked), yes=True)


def test_a_backup_made_with_another_key_is_refused_with_the_key_ids(backup_file, settings):
    settings.BACKUP_KEY = _key()

    with pytest.raises(CommandError, match="encrypted with key [0-9a-f]{8}; BACKUP_KEY is key"):
        call_command("restore", str(backup_file), yes=True)


def test_restore_without_yes_refuses_when_nobody_can_confirm(backup_file):
    with pytest.raises(CommandError, match="pass --yes"):
        call_command("restore", str(backup_file))


def test_the_backup_key_cannot_be_a_field_encryption_key(settings, tmp_path):
    settings.BACKUP_KEY = settings.FIELD_ENCRYPTION_KEYS[0]

    with pytest.raises(CommandError, match="a key of its own"):
        call_command("backup", str(tmp_path / "aluna.backup"))

    assert list(tmp_path.iterdir()) == []


def test_a_failed_pg_dump_is_reported_and_leaves_no_file(tmp_path):
    with pytest.raises(CommandError, match=r"pg_dump failed \(exit 1\)"):
        call_command(
            "backup",
            str(tmp_path / "aluna.backup"),
            database_url=_database_url("aluna_no_such_database"),
        )

    assert list(tmp_path.iterdir()) == []


def test_production_refuses_to_back_up_without_a_backup_key(tmp_path):
    result = _manage("backup", str(tmp_path / "aluna.backup"), DATABASE_URL=_database_url())

    assert result.returncode == 1
    assert "BACKUP_KEY is not set" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_backup_refuses_sqlite_clearly(tmp_path):
    result = _manage(
        "backup",
        str(tmp_path / "aluna.backup"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'aluna.sqlite3'}",
    )

    assert result.returncode == 1
    assert "Backups need PostgreSQL" in result.stderr

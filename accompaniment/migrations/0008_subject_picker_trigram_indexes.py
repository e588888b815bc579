"""Indexes for the subject pickers' type-ahead (PostgreSQL only).

The pickers search "alias contains" and "initials start with" among up to tens of
thousands of subjects, as someone types (accompaniment.selectors.subjects.
subject_picker_matches). "alias ILIKE '%…%'" is served by a GIN trigram index on
the alias; "initials LIKE 'M.L.%'" by a b-tree in pattern order (trigrams ignore
the dots, so they would match nearly every row). pg_trgm is a trusted extension
(PostgreSQL >= 13): the database owner may create it. SQLite (the demo without a
server) scans, which is fine at its size.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS subject_alias_trgm_idx
    ON accompaniment_politicalsubject USING gin (alias gin_trgm_ops);
CREATE INDEX IF NOT EXISTS subject_initials_prefix_idx
    ON accompaniment_politicalsubject (initials varchar_pattern_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS subject_alias_trgm_idx;
DROP INDEX IF EXISTS subject_initials_prefix_idx;
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("accompaniment", "0007_encrypt_consent_scope")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]

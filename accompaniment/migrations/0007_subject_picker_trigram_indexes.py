"""Trigram indexes for the subject pickers' type-ahead (PostgreSQL only).

The pickers search "alias contains" and "initials start with" among up to tens of
thousands of subjects, as someone types. Django writes those lookups as
UPPER("alias"::text) LIKE UPPER('%…%'): a GIN trigram index over that very
expression serves them, where the b-tree on alias cannot. pg_trgm is a trusted
extension (PostgreSQL >= 13): the database owner may create it. SQLite (the demo
without a server) scans, which is fine at its size.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS subject_alias_trgm_idx
    ON accompaniment_politicalsubject USING gin ((UPPER(alias::text)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS subject_initials_trgm_idx
    ON accompaniment_politicalsubject USING gin (initials gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS subject_alias_trgm_idx;
DROP INDEX IF EXISTS subject_initials_trgm_idx;
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("accompaniment", "0006_move_crisis_to_its_app")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]

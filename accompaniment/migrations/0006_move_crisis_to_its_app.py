"""Crisis response moves to its own app (`crisis`), without losing a row.

The tables, their many-to-many tables and their indexes are renamed in place
(accompaniment_aggression -> crisis_aggression, ...); the models leave this app's
state here and enter crisis's in crisis/migrations/0001_initial.py. Content types
follow, so anything that points at them (permissions, admin history) still does.
The audit trail keeps its rows as they were (its HMAC chain covers them): the
crisis app registers the old record types as aliases of the new ones.
"""

from django.db import migrations

MOVED = (
    "aggression",
    "aggressionreport",
    "crisisintervention",
    "crisisalert",
    "crisisfollowup",
    "oncallshift",
)
INDEXES = (
    ("aggression", "accompanime_occurre_c2a3a5_idx", "crisis_aggression_when_idx"),
    ("crisisintervention", "accompanime_status_c2b863_idx", "crisis_board_idx"),
    ("crisisfollowup", "accompanime_done_at_bb2580_idx", "crisis_follow_up_due_idx"),
    ("crisisalert", "accompanime_acknowl_9895c7_idx", "crisis_alert_pending_idx"),
)


def _move_content_types(apps, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_forwards(apps, schema_editor):
    _move_content_types(apps, source="accompaniment", target="crisis")


def content_types_backwards(apps, schema_editor):
    _move_content_types(apps, source="crisis", target="accompaniment")


class Migration(migrations.Migration):
    dependencies = [
        ("accompaniment", "0005_process_last_assessed_on"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                *(
                    migrations.RenameIndex(model_name=model, old_name=old, new_name=new)
                    for model, old, new in INDEXES
                ),
                *(
                    migrations.AlterModelTable(name=model, table=f"crisis_{model}")
                    for model in MOVED
                ),
            ],
            state_operations=[
                migrations.DeleteModel(name="CrisisAlert"),
                migrations.DeleteModel(name="CrisisFollowUp"),
                migrations.DeleteModel(name="CrisisIntervention"),
                migrations.DeleteModel(name="AggressionReport"),
                migrations.DeleteModel(name="Aggression"),
                migrations.DeleteModel(name="OnCallShift"),
            ],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]

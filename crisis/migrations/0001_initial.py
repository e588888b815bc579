"""Crisis response's models, taken over from the accompaniment app (see its 0006)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import aluna.encryption.fields


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accompaniment", "0006_move_crisis_to_its_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already: accompaniment 0006 renamed them from
        # accompaniment_* to crisis_*. Only the models' state is created here.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Aggression",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("occurred_at", models.DateTimeField(verbose_name="date and time")),
                        (
                            "is_approximate",
                            models.BooleanField(default=False, verbose_name="date is approximate"),
                        ),
                        (
                            "municipality",
                            aluna.encryption.fields.EncryptedCharField(
                                blank=True, max_length=120, verbose_name="municipality"
                            ),
                        ),
                        (
                            "narrative",
                            aluna.encryption.fields.EncryptedTextField(
                                blank=True, verbose_name="narrative"
                            ),
                        ),
                        (
                            "evidence_kept",
                            models.BooleanField(default=False, verbose_name="evidence is kept"),
                        ),
                        (
                            "evidence_keeper",
                            aluna.encryption.fields.EncryptedCharField(
                                blank=True, max_length=200, verbose_name="who keeps the evidence"
                            ),
                        ),
                        (
                            "perpetrators",
                            models.ManyToManyField(
                                blank=True,
                                related_name="+",
                                to="accompaniment.perpetrator",
                                verbose_name="perpetrators",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "state",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accompaniment.federalentity",
                                verbose_name="state",
                            ),
                        ),
                        (
                            "subjects",
                            models.ManyToManyField(
                                related_name="aggressions",
                                to="accompaniment.politicalsubject",
                                verbose_name="subjects affected",
                            ),
                        ),
                        (
                            "types",
                            models.ManyToManyField(
                                related_name="+",
                                to="accompaniment.aggressiontype",
                                verbose_name="types",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "aggression",
                        "verbose_name_plural": "aggressions",
                        "ordering": ["-occurred_at"],
                    },
                ),
                migrations.CreateModel(
                    name="AggressionReport",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        (
                            "body",
                            models.CharField(
                                choices=[
                                    ("prosecutor", "Prosecutor's office (Fiscalía)"),
                                    ("protection_mechanism", "Protection Mechanism"),
                                    ("human_rights_commission", "CNDH or state commission"),
                                    ("iachr", "IACHR"),
                                ],
                                max_length=32,
                                verbose_name="reported to",
                            ),
                        ),
                        (
                            "reported_on",
                            models.DateField(blank=True, null=True, verbose_name="reported on"),
                        ),
                        (
                            "aggression",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reports",
                                to="crisis.aggression",
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="CrisisIntervention",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, editable=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("contacted_at", models.DateTimeField(verbose_name="contact happened at")),
                        (
                            "channel",
                            models.CharField(
                                choices=[
                                    ("phone", "Phone"),
                                    ("in_person", "In person"),
                                    ("messaging", "Messaging"),
                                ],
                                max_length=16,
                                verbose_name="how",
                            ),
                        ),
                        (
                            "risk_level",
                            models.CharField(
                                choices=[
                                    ("low", "Low"),
                                    ("medium", "Medium"),
                                    ("high", "High"),
                                    ("critical", "Critical"),
                                ],
                                max_length=16,
                                verbose_name="risk level",
                            ),
                        ),
                        (
                            "immediate_needs",
                            models.JSONField(
                                blank=True, default=list, verbose_name="immediate needs"
                            ),
                        ),
                        (
                            "actions_taken",
                            aluna.encryption.fields.EncryptedTextField(
                                blank=True, verbose_name="actions taken"
                            ),
                        ),
                        (
                            "referrals",
                            aluna.encryption.fields.EncryptedTextField(
                                blank=True, verbose_name="referrals made"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Open"), ("closed", "Closed")],
                                default="open",
                                max_length=8,
                                verbose_name="status",
                            ),
                        ),
                        ("last_contact_at", models.DateTimeField(verbose_name="last contact")),
                        (
                            "aggression",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="interventions",
                                to="crisis.aggression",
                                verbose_name="aggression",
                            ),
                        ),
                        (
                            "process",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="crisis_interventions",
                                to="accompaniment.process",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "responders",
                            models.ManyToManyField(
                                related_name="crises",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="who is on it",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "crisis intervention",
                        "verbose_name_plural": "crisis interventions",
                        "ordering": ["-contacted_at"],
                    },
                ),
                migrations.CreateModel(
                    name="CrisisFollowUp",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("due_at", models.DateTimeField(verbose_name="due at")),
                        (
                            "done_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="done at"),
                        ),
                        (
                            "note",
                            aluna.encryption.fields.EncryptedTextField(
                                blank=True, verbose_name="note"
                            ),
                        ),
                        (
                            "reminded_at",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        (
                            "done_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "intervention",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="follow_ups",
                                to="crisis.crisisintervention",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["due_at"],
                    },
                ),
                migrations.CreateModel(
                    name="CrisisAlert",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("escalation_step", models.PositiveSmallIntegerField(default=0)),
                        ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("acknowledged_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "acknowledged_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="crisis_alerts",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "intervention",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="alerts",
                                to="crisis.crisisintervention",
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="OnCallShift",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("week_start", models.DateField(verbose_name="week starting (Monday)")),
                        (
                            "position",
                            models.PositiveSmallIntegerField(
                                default=0,
                                help_text="0 is on call; 1, 2, ... are the fallbacks.",
                                verbose_name="order",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="on_call_shifts",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "on-call shift",
                        "verbose_name_plural": "on-call shifts",
                        "ordering": ["week_start", "position"],
                    },
                ),
                migrations.AddIndex(
                    model_name="aggression",
                    index=models.Index(fields=["-occurred_at"], name="crisis_aggression_when_idx"),
                ),
                migrations.AddConstraint(
                    model_name="aggressionreport",
                    constraint=models.UniqueConstraint(
                        fields=("aggression", "body"), name="unique_report_per_body"
                    ),
                ),
                migrations.AddIndex(
                    model_name="crisisintervention",
                    index=models.Index(
                        fields=["status", "risk_level", "last_contact_at"], name="crisis_board_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="crisisfollowup",
                    index=models.Index(
                        fields=["done_at", "due_at"], name="crisis_follow_up_due_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="crisisalert",
                    index=models.Index(
                        fields=["acknowledged_at", "sent_at"], name="crisis_alert_pending_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="crisisalert",
                    constraint=models.UniqueConstraint(
                        fields=("intervention", "recipient"), name="one_alert_per_person_and_crisis"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="oncallshift",
                    constraint=models.UniqueConstraint(
                        fields=("week_start", "position"), name="one_person_per_slot"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="oncallshift",
                    constraint=models.UniqueConstraint(
                        fields=("week_start", "user"), name="one_slot_per_person"
                    ),
                ),
            ],
        ),
    ]

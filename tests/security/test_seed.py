"""The security demo data (security/seeding.py): idempotent, consistent with the risk
formula, visible to the demo staff, encrypted, and quiet for the periodic tasks."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.utils import timezone

from accompaniment.seeding import seed_demo_data
from accompaniment.selectors.access import processes_for_user
from aluna.accounts import seeding
from aluna.accounts.models import User
from security import models as sm
from security import selectors, services
from security.risk import compute_risk
from security.seeding import SIZES, seed_security

SECURITY_MODELS = (
    sm.RiskAssessment,
    sm.Threat,
    sm.RiskFactor,
    sm.ProtectionMeasure,
    sm.SecurityPlan,
    sm.PlanMeasure,
    sm.Protocol,
    sm.CheckIn,
    sm.CheckInContact,
)


def _seed_security() -> None:
    seed_security(scale="small", rng=random.Random("seed:security"))


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in SECURITY_MODELS}


def _demo(key: str) -> User:
    return User.objects.get(email=seeding.demo_user(key).email)


@pytest.fixture
def seeded(db):
    seeding.seed_users(scale="small", rng=random.Random(1))
    seed_demo_data(scale="small", rng=random.Random("seed:accompaniment"))
    _seed_security()


def _raw(model, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [model._meta.pk.get_db_prep_value(pk, connection)],
        )
        return cursor.fetchone()[0]


def test_operator_can_seed_security_twice_without_duplicates(seeded):
    after_first = _counts()

    _seed_security()

    sizes = SIZES["small"]
    assert _counts() == after_first
    assert after_first["security.RiskAssessment"] == sizes.assessments
    assert after_first["security.ProtectionMeasure"] == sizes.measures
    assert after_first["security.SecurityPlan"] == sizes.plans
    assert after_first["security.CheckIn"] == sizes.open_checkins + sizes.closed_checkins
    assert after_first["security.Threat"] >= 3 * sizes.assessments
    assert after_first["security.RiskFactor"] >= 6 * sizes.assessments


def test_operator_gets_a_deleted_seeded_assessment_back_with_its_threats(seeded):
    after_first = _counts()
    assessment_id = sm.RiskAssessment.objects.order_by("pk").values_list("pk", flat=True)[0]
    sm.RiskAssessment.objects.filter(pk=assessment_id).delete()

    _seed_security()

    assert _counts() == after_first
    assert sm.Threat.objects.filter(assessment_id=assessment_id).count() >= 3


def test_every_seeded_level_is_the_one_the_risk_formula_gives(seeded):
    for assessment in sm.RiskAssessment.objects.prefetch_related("threats", "factors"):
        factors = list(assessment.factors.all())
        result = compute_risk(
            threats=[(t.likelihood, t.impact) for t in assessment.threats.all()],
            vulnerabilities=[f.weight for f in factors if f.kind == "vulnerability"],
            capacities=[f.weight for f in factors if f.kind == "capacity"],
        )

        assert (assessment.score, assessment.level) == (result.score, result.level)
        assert 3 <= assessment.threat_count <= 5
        assert assessment.threat_count == result.threat_count


def test_demo_accompanier_finds_security_records_on_every_one_of_their_processes(seeded):
    accompanier = _demo("accompanier1")
    processes = set(processes_for_user(user=accompanier).values_list("pk", flat=True))

    assessed = set(
        selectors.risk_assessments_for_user(user=accompanier).values_list("process_id", flat=True)
    )
    measured = set(
        selectors.measures_for_user(user=accompanier).values_list("process_id", flat=True)
    )

    assert assessed == processes
    assert measured == processes
    assert selectors.measures_granted_not_implemented_for_user(user=accompanier).exists() is True
    assert selectors.plans_for_user(user=accompanier).exists() is True
    assert selectors.checkins_open_for_list(user=accompanier).exists() is True
    assert selectors.checkins_for_user(user=accompanier).filter(closed_at__isnull=False).exists()


def test_demo_coordinator_sees_every_seeded_security_record(seeded):
    coordinator = _demo("coordinator")

    visible = (
        selectors.risk_assessments_for_user(user=coordinator).count(),
        selectors.measures_for_user(user=coordinator).count(),
        selectors.plans_for_user(user=coordinator).count(),
        selectors.checkins_for_user(user=coordinator).count(),
    )

    assert visible == (
        sm.RiskAssessment.objects.count(),
        sm.ProtectionMeasure.objects.count(),
        sm.SecurityPlan.objects.count(),
        sm.CheckIn.objects.count(),
    )


def test_demo_trainer_sees_no_seeded_security_record(seeded):
    trainer = _demo("trainer")

    assert selectors.risk_assessments_for_user(user=trainer).count() == 0
    assert selectors.checkins_for_user(user=trainer).count() == 0


def test_seeded_measures_are_well_formed(seeded):
    today = timezone.localdate()
    for measure in sm.ProtectionMeasure.objects.all():
        measure.full_clean()  # the CIDH number validator included
        if measure.source == sm.MeasureSource.CIDH:
            assert measure.cidh_number.endswith(f"-{measure.granted_on.year}")
        else:
            assert measure.cidh_number == ""
        if measure.status in sm.ACTIVE_MEASURE_STATUSES and measure.expires_on is not None:
            assert measure.expires_on > today
        if measure.implemented_on is not None:
            assert measure.implemented_on >= measure.granted_on


def test_seeded_texts_are_encrypted_in_the_raw_row(seeded):
    assessment = sm.RiskAssessment.objects.order_by("pk").first()
    threat = sm.Threat.objects.order_by("pk").first()
    plan = sm.SecurityPlan.objects.order_by("pk").first()
    protocol = sm.Protocol.objects.order_by("pk").first()
    checkin = sm.CheckIn.objects.order_by("pk").first()

    raw = [
        (_raw(sm.RiskAssessment, "summary", assessment.pk), assessment.summary),
        (_raw(sm.Threat, "description", threat.pk), threat.description),
        (_raw(sm.SecurityPlan, "title", plan.pk), plan.title),
        (_raw(sm.Protocol, "steps", protocol.pk), protocol.steps),
        (_raw(sm.CheckIn, "municipality", checkin.pk), checkin.municipality),
    ]

    for stored, plaintext in raw:
        assert stored.startswith("v1:") is True
        assert plaintext
        assert plaintext not in stored


def test_seeded_data_leaves_nothing_for_the_periodic_tasks_to_send_or_purge(seeded):
    now = timezone.now()

    sent = (
        services.overdue_checkins_alert(now=now),
        services.plan_review_reminders_send(today=timezone.localdate(now)),
        services.closed_checkins_purge(now=now),
    )

    assert sent == (0, 0, 0)


def test_seeded_check_ins_are_recent_and_registered_before_they_were_due(seeded):
    now = timezone.now()
    for checkin in sm.CheckIn.objects.prefetch_related("contacts"):
        contacts = [c.user_id for c in checkin.contacts.all()]
        assert checkin.created_at <= now
        assert checkin.created_at < checkin.expected_at
        assert checkin.expected_at > now - dt.timedelta(days=30)
        assert contacts
        assert checkin.created_by_id not in contacts
        if checkin.closed_at is not None:
            assert checkin.closed_at <= now

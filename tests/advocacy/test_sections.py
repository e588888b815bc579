"""The security and training sections of a donor report: counts from those apps, no one named."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accompaniment.factories import PoliticalSubjectFactory, ProcessFactory
from accompaniment.models import GenderIdentity, RiskLevel
from advocacy.models import DonorReport
from advocacy.services import report_compute_tables, report_download_pdf, report_generate
from advocacy.suppression import SMALL, recomputable_cells
from security.models import MeasureStatus, ProtectionMeasure, RiskAssessment
from training.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    ParticipantFactory,
    TrainingSessionFactory,
)
from training.models import Question, Questionnaire
from training.services import response_record

from .test_reports import _pdf_text, _table

DISTINCTIVE = ["Tecolote Insomne", "Ahuehuete Sagrado", "Citlalmina Ortuño"]


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


def _period():
    today = timezone.localdate()
    return today - dt.timedelta(days=365), today


def _report(user, sections) -> DonorReport:
    start, end = _period()
    return DonorReport.objects.create(
        title="Informe", start=start, end=end, sections=sections, created_by=user
    )


def _seed_measures(recorder, *, granted=7, not_implemented=6, implemented=1):
    process = ProcessFactory(subject=PoliticalSubjectFactory(alias=DISTINCTIVE[0]), lead=recorder)
    recent = timezone.localdate() - dt.timedelta(days=30)
    for status, count in (
        (MeasureStatus.GRANTED, granted),
        (MeasureStatus.NOT_IMPLEMENTED, not_implemented),
        (MeasureStatus.IMPLEMENTED, implemented),
    ):
        for _ in range(count):
            ProtectionMeasure.objects.create(
                process=process,
                source="federal",
                kind="panic_button",
                status=status,
                granted_on=recent,
                notes=f"Escolta para {DISTINCTIVE[1]}",
            )
    # Outside the period: never counted.
    ProtectionMeasure.objects.create(
        process=process,
        source="state",
        kind="patrols",
        status=MeasureStatus.NOT_IMPLEMENTED,
        granted_on=recent - dt.timedelta(days=800),
    )
    RiskAssessment.objects.create(
        process=process, assessed_on=recent, assessed_by=recorder, level=RiskLevel.HIGH
    )


def _seed_cohort(trainer, *, rising=6, falling=1):
    start, end = _period()
    cohort = CohortFactory(starts_on=start + dt.timedelta(days=10), ends_on=end)
    entry = Questionnaire.objects.create(programme=cohort.programme, kind="entry", title="E")
    exit_ = Questionnaire.objects.create(programme=cohort.programme, kind="exit", title="S")
    q_entry = Question.objects.create(questionnaire=entry, kind="likert", text="Q", key="q")
    q_exit = Question.objects.create(questionnaire=exit_, kind="likert", text="Q", key="q")
    session = TrainingSessionFactory(cohort=cohort, date=start + dt.timedelta(days=20))
    for index in range(rising + falling):
        participant = ParticipantFactory(
            name=DISTINCTIVE[2], gender=GenderIdentity.WOMAN if index % 2 else ""
        )
        enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
        AttendanceFactory(session=session, enrolment=enrolment, status="present")
        before, after = (2, 4) if index < rising else (4, 3)
        response_record(
            actor=trainer, questionnaire=entry, enrolment=enrolment, answers={q_entry: before}
        )
        response_record(
            actor=trainer, questionnaire=exit_, enrolment=enrolment, answers={q_exit: after}
        )
    return cohort


def test_advocate_sees_measures_granted_versus_implemented(advocate, accompanier):
    _seed_measures(accompanier)

    report = report_generate(report_id=_report(advocate, ["security"]).pk)

    by_state = _table(report, "Protection measures granted in the period, by state")
    # One implemented shows as "<5"; the smallest other cell is hidden too, or the
    # total (14) minus the visible cells would give it back.
    assert dict(by_state["rows"]) == {
        "Granted": 7,
        "Granted but not implemented": "*",
        "Implemented": SMALL,
    }
    not_implemented = _table(report, "Protection measures granted but not implemented")
    assert not_implemented["rows"] == [["Federal Protection Mechanism", 6]]
    by_level = _table(report, "Risk assessments made, by risk level")
    assert by_level["rows"] == [["High", SMALL]]
    for section in report.tables:
        for table in section["tables"]:
            assert recomputable_cells([s for _c, s in table["rows"]], table["total"]) == []
    text = _pdf_text(report_download_pdf(report=report, actor=advocate))
    assert "Granted but not implemented" in text
    for secret in DISTINCTIVE:
        assert secret not in text


def test_advocate_sees_training_participation_and_change(advocate, trainer):
    _seed_cohort(trainer, rising=6, falling=1)

    report = report_generate(report_id=_report(advocate, ["training"]).pk)

    change = _table(report, "Participants by change from the entry to the exit evaluation")
    # Six rose and one fell: the one shows as "<5" and the six is hidden as well, or
    # the total (7) would give the one back.
    assert dict(change["rows"]) == {
        "Mean score fell": SMALL,
        "Mean score held": 0,
        "Mean score rose": "*",
    }
    assert change["total"] == 7
    attendance = _table(report, "Attendance marks at training sessions, by status")
    assert attendance["rows"] == [["Present", 7]]
    cohorts = _table(report, "Training cohorts running in the period, by modality")
    assert cohorts["rows"] == [["In person", 1]]  # cohorts are not people: not protected
    for section in report.tables:
        for table in section["tables"]:
            assert recomputable_cells([s for _c, s in table["rows"]], table["total"]) == []
    text = _pdf_text(report_download_pdf(report=report, actor=advocate))
    assert "Mean score rose" in text
    for secret in DISTINCTIVE:
        assert secret not in text


def test_security_and_training_sections_take_constant_queries(advocate, accompanier, trainer):
    report = _report(advocate, ["security", "training"])
    _seed_measures(accompanier)
    _seed_cohort(trainer)
    with CaptureQueriesContext(connection) as small:
        report_compute_tables(report=report)
    for _ in range(3):
        _seed_measures(accompanier)
        _seed_cohort(trainer)
    with CaptureQueriesContext(connection) as large:
        report_compute_tables(report=report)

    assert len(small) == len(large)

"""The donor report's response-time section: the same figures as coordination's page,
with medians of small groups kept out of the PDF."""

import datetime as dt
import io

import pypdf
import pytest

from advocacy.models import DonorReport
from advocacy.pdf import report_pdf_bytes
from advocacy.services import report_compute_tables
from advocacy.suppression import NOT_SHOWN, SECONDARY, SMALL
from tests.crisis.test_response_times import DAY, at, make_case


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


def _pdf_text(report) -> str:
    reader = pypdf.PdfReader(io.BytesIO(report_pdf_bytes(report=report)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_donor_sees_response_times_with_small_groups_hidden(coordinator):
    for delay in (1, 2, 3, 4, 5):
        make_case(recorded_by=coordinator, happened=at(0), contacts=[at(delay)], state="20")
    for delay in (7.7, 9.9):
        make_case(recorded_by=coordinator, happened=at(0), contacts=[at(delay)], state="09")
    report = DonorReport.objects.create(
        title="Informe",
        start=DAY.replace(day=1),
        end=DAY + dt.timedelta(days=5),
        sections=["response_times"],
    )

    report.tables = report_compute_tables(report=report)

    tables = {table["label"]: table for table in report.tables[0]["tables"]}
    by_region = tables["Hours from the aggression to the first crisis contact, by region"]
    assert by_region["headers"] == ["Cases", "Median (hours)", "90th percentile (hours)"]
    # Central's 2 cases are "<5" and, as the total would give them away, South's 5 is "*".
    assert by_region["rows"] == [
        ["Central", SMALL, NOT_SHOWN, NOT_SHOWN],
        ["South", SECONDARY, 3.0, 4.6],
    ]
    assert by_region["total"] == [7, 4.0, 8.6]
    by_month = tables["Hours from the aggression to the first crisis contact, by month"]
    assert by_month["rows"] == [["2026-03", 7, 4.0, 8.6]]
    by_type = tables["Hours from the aggression to the first crisis contact, by type of aggression"]
    assert by_type["total"] is None
    process = tables["Hours from the crisis to the opening of a long process, by region"]
    assert process["rows"] == [] and process["total"] is None

    text = _pdf_text(report)
    assert "Hours from the aggression to the first crisis contact, by region" in text
    assert "Central <5 — —" in text
    for hidden in ("7.7", "9.9", "8.8"):  # the small group's delays and their median
        assert hidden not in text

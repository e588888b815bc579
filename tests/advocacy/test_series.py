"""Series protection: a donor who received Q1 cannot subtract it from the half-year to
find a small count of the second quarter."""

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse

from accompaniment.factories import ProcessFactory
from accompaniment.models import ProcessKind
from advocacy.models import Donor, DonorReport, Grant, ReportDelivery
from advocacy.series import exact_figures, nested
from advocacy.services import report_generate, report_mark_delivered
from advocacy.suppression import SECONDARY, TOTAL
from aluna.audit.models import AuditEvent

Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
H1 = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def grant(db):
    donor = Donor.objects.create(name="Fundación Norte")
    return Grant.objects.create(donor=donor, project="Raíces", start=H1[0], end=H1[1])


def _opened(kind, day, n):
    for _i in range(n):
        ProcessFactory(kind=kind, opened_on=day)


def _report(grant, advocate, period) -> DonorReport:
    report = DonorReport.objects.create(
        title="Informe",
        grant=grant,
        start=period[0],
        end=period[1],
        sections=["processes"],
        created_by=advocate,
    )
    return report_generate(report_id=report.pk)


def _opened_table(report) -> dict:
    return next(t for s in report.tables for t in s["tables"] if t["ref"] == "processes:0")


def test_q1_then_h1_recovers_nothing(grant, advocate, login):
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 1, 20), 10)
    _opened(ProcessKind.CRISIS, dt.date(2026, 2, 10), 6)
    q1 = _report(grant, advocate, Q1)
    assert _opened_table(q1)["rows"] == [
        ["Crisis and emergency", 6],
        ["Organisational strengthening", 10],
    ]
    report_mark_delivered(report=q1, actor=advocate)
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 5, 4), 2)  # two in the second quarter

    h1 = _report(grant, advocate, H1)

    # 12 - 10 would give the second quarter's 2: both the count and the total are hidden.
    table = _opened_table(h1)
    assert table["rows"] == [
        ["Crisis and emergency", 6],
        ["Organisational strengthening", SECONDARY],
    ]
    assert table["total"] == SECONDARY
    assert [note["category"] for note in table["series"]] == ["Organisational strengthening", TOTAL]
    # Whatever both reports show exactly differs by 0 or by 5 or more.
    before, after = exact_figures(q1.tables), exact_figures(h1.tables)
    for key in before.keys() & after.keys():
        assert after[key] - before[key] == 0 or abs(after[key] - before[key]) >= 5
    # The PDF shows neither 12 nor 18.
    reader = pypdf.PdfReader(io.BytesIO(_pdf(h1)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert " 12 " not in f" {' '.join(text.split())} " and "18" not in text
    # And the page says why.
    html = login(advocate).get(reverse("advocacy:report-detail", kwargs={"report_id": h1.pk})).text
    assert "“Organisational strengthening” is hidden (“*”): subtracted from the report" in html
    assert "from Jan. 1, 2026 to March 31, 2026" in html, html.split("series-note")[1][:400]


def _pdf(report) -> bytes:
    from advocacy.services import _associated_data
    from aluna.encryption.keys import decrypt

    return decrypt(report.pdf_encrypted, associated_data=_associated_data(report.pk))


def test_a_report_of_another_donor_or_a_merely_overlapping_period_is_not_compared(grant, advocate):
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 3, 20), 10)
    q1 = _report(grant, advocate, Q1)
    report_mark_delivered(report=q1, actor=advocate)
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 4, 4), 2)
    other = Grant.objects.create(
        donor=Donor.objects.create(name="Otra fundación"), project="Otro", start=H1[0], end=H1[1]
    )

    assert _opened_table(_report(other, advocate, H1))["rows"] == [
        ["Organisational strengthening", 12]
    ]
    overlapping = _report(grant, advocate, (dt.date(2026, 2, 1), dt.date(2026, 4, 30)))
    assert _opened_table(overlapping)["rows"] == [["Organisational strengthening", 12]]
    assert not nested(dt.date(2026, 2, 1), dt.date(2026, 4, 30), *Q1)


def test_advocate_records_a_delivery_with_exactly_the_figures_shown(grant, advocate, login):
    q1 = _report(grant, advocate, Q1)
    client = login(advocate)

    response = client.post(reverse("advocacy:report-deliver", kwargs={"report_id": q1.pk}))

    assert response.status_code == 302
    delivery = ReportDelivery.objects.get()
    assert (delivery.donor, delivery.start, delivery.end) == (grant.donor, *Q1)
    assert delivery.tables == q1.tables
    assert AuditEvent.objects.filter(action="create", target_id=str(delivery.pk)).count() == 1


def test_a_draft_cannot_be_recorded_as_delivered(grant, advocate, login):
    draft = DonorReport.objects.create(
        title="Borrador", grant=grant, start=Q1[0], end=Q1[1], created_by=advocate
    )
    client = login(advocate)

    response = client.post(
        reverse("advocacy:report-deliver", kwargs={"report_id": draft.pk}), follow=True
    )

    assert "Only a generated report of a grant can be recorded as delivered." in response.text
    assert ReportDelivery.objects.count() == 0

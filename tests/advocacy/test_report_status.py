"""The PDF's status box on the report page, polled while the worker generates it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.models import DonorReport, ReportStatus


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


def _report(user, **values) -> DonorReport:
    return DonorReport.objects.create(
        title="Informe semestral",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        sections=["outputs"],
        created_by=user,
        **values,
    )


def _status(client, report):
    return client.get(reverse("advocacy:report-status", kwargs={"report_id": report.pk}))


def test_advocate_can_watch_a_queued_report_and_the_box_keeps_polling(login, advocate):
    report = _report(advocate, status=ReportStatus.QUEUED)

    response = _status(login(advocate), report)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "Queued: generation starts in a few seconds." in html
    assert "You can leave this page" in html


def test_advocate_can_see_the_progress_of_a_report_being_generated(login, advocate):
    report = _report(advocate, status=ReportStatus.RUNNING, progress=45)

    html = _status(login(advocate), report).content.decode()

    assert '<progress class="report-progress" max="100" value="45"' in html
    assert 'data-status-label="Generating the PDF…"' in html


def test_advocate_can_download_a_ready_report_and_polling_stops(login, advocate):
    report = _report(
        advocate,
        status=ReportStatus.DONE,
        progress=100,
        pdf_encrypted="v1:x",
        generated_at=timezone.now(),
        tables=[{"code": "outputs", "label": "Outputs", "tables": []}],
    )

    html = _status(login(advocate), report).content.decode()

    assert "hx-trigger" not in html
    assert reverse("advocacy:report-download", kwargs={"report_id": report.pk}) in html
    assert reverse("advocacy:report-csv", kwargs={"report_id": report.pk}) in html
    assert '<h2 class="h5">Outputs</h2>' in html  # the figures arrive with the download


def test_advocate_can_retry_a_failed_report(login, advocate):
    report = _report(advocate, status=ReportStatus.FAILED)

    html = _status(login(advocate), report).content.decode()

    assert "hx-trigger" not in html
    assert "Generation failed." in html
    assert reverse("advocacy:report-generate", kwargs={"report_id": report.pk}) in html
    assert ">Try again</button>" in html


def test_advocate_finds_the_progress_again_after_leaving_the_page(login, advocate):
    report = _report(advocate, status=ReportStatus.RUNNING, progress=60)
    client = login(advocate)
    client.get(reverse("advocacy:index"))

    html = client.get(reverse("advocacy:report-detail", kwargs={"report_id": report.pk})).text

    assert 'id="report-status"' in html
    assert (
        'hx-get="{}"'.format(reverse("advocacy:report-status", kwargs={"report_id": report.pk}))
        in html
    )
    assert 'value="60"' in html

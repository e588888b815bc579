"""The advocacy journey in a real browser, in Spanish, on a phone: record an output,
build a donor report, watch the real worker generate it, download the PDF and read
it back. Every advocacy page passes the page checks at 360 and 1366 px."""

import datetime as dt
import io
import re

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from accompaniment.factories import ProcessFactory, SessionFactory
from advocacy.models import AdvocacyOutput, Donor, DonorReport, Grant, ReportDue, ReportStatus
from advocacy.services import report_generate
from aluna.audit.models import AuditEvent
from tests.fixtures.mfa import mark_recently_reauthenticated
from tests.fixtures.pagecheck import page_problems

pytestmark = [pytest.mark.browser]

PHONE_WIDTH = 390
SIZES = [(360, 740), (1366, 768)]


def _sign_in(page, client, live_server) -> None:
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "es-mx", "url": live_server.url},
        ]
    )


def _structure(reader) -> list:
    """Every element of the PDF's structure tree (its tags), depth first."""
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            found.append(node)
        kids = node.get("/K", [])
        stack.extend(kids if isinstance(kids, list) else [kids])
    return found


def _long_date(day: dt.date) -> str:
    with translation.override("es-mx"):
        return date_format(day, "DATE_FORMAT")


@pytest.mark.worker
def test_advocate_can_record_an_output_and_generate_download_and_read_a_donor_pdf_on_a_phone(
    celery_worker, phone_page, live_server, login, advocate, accompanier
):
    # Arrange: some accompaniment in the period; Inés signed in and re-authenticated.
    for process in [ProcessFactory(lead=accompanier) for _ in range(3)]:
        SessionFactory(process=process)
    client = login(advocate)
    mark_recently_reauthenticated(client, advocate)
    page = phone_page
    _sign_in(page, client, live_server)
    today = timezone.localdate()

    # Act: record an output from the advocacy home.
    page.goto(reverse("advocacy:index"))
    assert page_problems(page) == []
    page.get_by_role("link", name="Registrar un producto").click()
    assert page_problems(page) == []
    page.get_by_label("Tipo").select_option(label="Video")
    page.get_by_label("Fecha").fill(today.isoformat())
    page.get_by_label("Título").fill("Video sobre defensoras del agua")
    page.get_by_label("Medio ambiente").check()
    page.get_by_label("Oaxaca").check()
    page.get_by_role("button", name="Guardar").click()

    # Assert: the output, its date written the Mexican way.
    expect(page.get_by_role("heading", name="Video sobre defensoras del agua")).to_be_visible()
    expect(page.get_by_text(_long_date(today), exact=True)).to_be_visible()
    assert AdvocacyOutput.objects.get().states.get().label == "Oaxaca"
    assert page_problems(page) == []

    # Act: build the report.
    page.goto(reverse("advocacy:report-create"))
    page.get_by_label("Título").fill("Informe semestral")
    page.get_by_label("Desde").fill(f"{today.year - 1}-01-01")
    page.get_by_label("Hasta").fill(today.isoformat())
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page).to_have_url(re.compile(r"/informes/[0-9a-f-]{36}/$"))
    report = DonorReport.objects.get()
    assert page_problems(page) == []

    # Act: generate it and watch the progress until the download appears.
    page.get_by_role("button", name="Generar el PDF").click()
    status = page.locator("#report-status")
    expect(status.locator("progress")).to_be_visible()
    expect(page.get_by_text("Puedes salir de esta página")).to_be_visible()
    expect(page.get_by_role("link", name="Descargar PDF")).to_be_visible(timeout=60_000)
    expect(page.locator("#report-status-announce")).to_have_text("El PDF está listo.")
    expect(page.get_by_role("heading", name="Productos de incidencia del periodo")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert page_problems(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar PDF").click()
    download = download_info.value

    # Assert: a tagged PDF with its cover and labelled charts, named in Spanish.
    assert download.suggested_filename == f"informe-donante-{today.isoformat()}.pdf"
    with open(download.path(), "rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    cover = pages[0]
    assert "INFORME PARA LA FINANCIADORA" in cover
    assert "Informe semestral" in cover
    assert f"del 1 de enero de {today.year - 1} al {_long_date(today)}" in cover
    assert pages[1].startswith("Cifras clave")
    assert reader.metadata.title == "Informe semestral"
    assert reader.trailer["/Root"]["/Lang"] == "es-MX"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    charts = {str(node.get("/Alt")) for node in _structure(reader) if node["/S"] == "/Figure"}
    assert "Gráfica de barras: Productos de incidencia, por tipo" in charts
    outputs_page = next(p for p in pages if "Productos de incidencia, por tipo" in p)
    assert outputs_page.count("Video 1") >= 1  # the chart's label and value, as text
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert AuditEvent.objects.filter(action="download", target_id=str(report.pk)).count() == 1


def _queued_report(user) -> DonorReport:
    return DonorReport.objects.create(
        title="Informe en cola",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        sections=["outputs"],
        status=ReportStatus.QUEUED,
        created_by=user,
    )


def test_advocate_is_told_when_the_progress_cannot_be_checked_and_sees_it_resume(
    phone_page, live_server, login, advocate
):
    report = _queued_report(advocate)
    page = phone_page
    _sign_in(page, login(advocate), live_server)
    status_url = reverse("advocacy:report-status", kwargs={"report_id": report.pk})

    # Act: the network drops every poll.
    page.route(f"**{status_url}", lambda route: route.abort())
    page.goto(reverse("advocacy:report-detail", kwargs={"report_id": report.pk}))

    # Assert: a visible message, not a frozen bar.
    expect(page.locator("#report-status-error")).to_be_visible()
    expect(page.locator("#report-status-error")).to_contain_text("No pudimos consultar")

    # Act: the network comes back while the worker is halfway.
    DonorReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40)
    page.unroute(f"**{status_url}")

    # Assert: the message goes and the progress moves on.
    expect(page.locator("#report-status-error")).to_be_hidden()
    expect(page.locator("#report-status progress")).to_have_attribute("value", "40")
    expect(page.locator("#report-status-announce")).to_have_text("Generando el PDF…")
    # htmx logs each failed poll on the console: expected here, and only here.
    page.problems.messages = [m for m in page.problems.messages if "htmx:" not in m]


def test_advocate_whose_session_ended_is_not_shown_the_login_page_in_the_status_box(
    phone_page, live_server, login, advocate
):
    report = _queued_report(advocate)
    page = phone_page
    _sign_in(page, login(advocate), live_server)
    page.goto(reverse("advocacy:report-detail", kwargs={"report_id": report.pk}))

    # Act: the session ends (here: its cookie goes); the next poll lands on the login page.
    page.context.clear_cookies()

    expect(page.locator("#report-status-signed-out")).to_be_visible()
    expect(page.locator("#report-status progress")).to_be_visible()
    expect(page.locator("#report-status input[name=login]")).to_have_count(0)


@pytest.fixture
def advocacy_records(advocate):
    donor = Donor.objects.create(name="Fundación Norte")
    grant = Grant.objects.create(
        donor=donor, project="Raíces", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    ReportDue.objects.create(grant=grant, due_on=timezone.localdate() + dt.timedelta(days=20))
    output = AdvocacyOutput.objects.create(
        kind="video", title="Video", date=dt.date(2026, 3, 4), created_by=advocate
    )
    report = report_generate(
        report_id=DonorReport.objects.create(
            title="Informe anual",
            grant=grant,
            start=grant.start,
            end=grant.end,
            sections=["outputs", "processes"],
            created_by=advocate,
        ).pk
    )
    return {"output_id": output.pk, "grant_id": grant.pk, "report_id": report.pk}


ADVOCACY_PAGES = [
    ("advocacy:index", None),
    ("advocacy:output-list", None),
    ("advocacy:output-create", None),
    ("advocacy:output-detail", "output_id"),
    ("advocacy:output-edit", "output_id"),
    ("advocacy:grant-list", None),
    ("advocacy:grant-create", None),
    ("advocacy:donor-create", None),
    ("advocacy:grant-detail", "grant_id"),
    ("advocacy:report-list", None),
    ("advocacy:report-create", None),
    ("advocacy:report-detail", "report_id"),
    ("advocacy:report-edit", "report_id"),
]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_advocate_can_use_every_advocacy_page_on_a_phone_and_a_desk(
    page, live_server, login, advocate, advocacy_records, width, height
):
    _sign_in(page, login(advocate), live_server)
    page.set_viewport_size({"width": width, "height": height})
    problems = {}

    for name, key in ADVOCACY_PAGES:
        kwargs = {key: advocacy_records[key]} if key else {}
        page.goto(reverse(name, kwargs=kwargs))
        found = page_problems(page)
        if found:
            problems[name] = found

    assert problems == {}
